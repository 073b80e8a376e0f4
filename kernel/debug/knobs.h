/* /proc/sys/kernel/ tunables and /proc/sysrq-trigger (course section: kernel debugging techniques). */
#ifndef KERNEL_DEBUG_KNOBS_H
#define KERNEL_DEBUG_KNOBS_H

void knobs_init(void);

#endif
