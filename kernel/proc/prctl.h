/* prctl's settings (kernel/proc/prctl.c; course section: processes). */
#ifndef KERNEL_PRCTL_H
#define KERNEL_PRCTL_H

struct task;

/* Where the children of a dying task go: the nearest ancestor that is a
 * child subreaper, else init. */
struct task *orphan_reaper(struct task *dying);

#endif
