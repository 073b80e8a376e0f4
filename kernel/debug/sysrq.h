/* Magic SysRq (course section: kernel debugging techniques). */
#ifndef KERNEL_DEBUG_SYSRQ_H
#define KERNEL_DEBUG_SYSRQ_H

/* Run one command letter (h for the list). */
void sysrq_handle(char key);

#endif
