/* The way back to user mode (course section: the syscall gate; signals). */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include "arch/x86_64/regs.h"

/* Work to do before any return to user mode: switch tasks if the time
 * slice is over, deliver pending signals (which may change the frame). */
void exit_to_user(struct regs *r);

#endif
