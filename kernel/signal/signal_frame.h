/* Entering a signal handler and returning from it (course section: signals). */
#ifndef KERNEL_SIGNAL_FRAME_H
#define KERNEL_SIGNAL_FRAME_H

#include "arch/x86_64/regs.h"
#include "libc/include/abi/signal.h"

/* Rewrite the frame so that the return to user mode enters the handler. */
void enter_signal_handler(struct regs *r, int sig, const ksiginfo_t *info, struct kernel_sigaction *act);
/* A syscall interrupted by a signal whose action was not a handler: restart it. */
void restart_syscall_if_needed(struct regs *r);

#endif
