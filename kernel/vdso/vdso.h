/* The vDSO, kernel side (course section: syscall basics -- the vDSO).
 * See kernel/vdso/vdso.c and README.md here. */
#ifndef KERNEL_VDSO_H
#define KERNEL_VDSO_H

#include "kernel/types.h"

struct mm;
struct file;

/* At boot, after the timer and the filesystem. */
void vdso_init(void);
/* Map [vvar] and [vdso] into a new program's memory; *base is the vDSO's
 * ELF header (AT_SYSINFO_EHDR). */
int vdso_map(struct mm *mm, uint64_t *base);
/* Each tick: the coarse clocks. */
void vdso_update_coarse(uint64_t mono_ns);
/* CLOCK_*_COARSE for the syscall, the same value the vDSO reads. */
uint64_t vdso_coarse_ns(bool realtime);
struct regs;
/* A user call into the legacy vsyscall page at addr, emulated: true if it
 * was one and the frame now returns to the caller (kernel/vdso/vsyscall.c). */
bool vsyscall_emulate(struct regs *r, uint64_t addr);
/* "[vdso]" or "[vvar]" for a region mapping f, else NULL (/proc/PID/maps). */
const char *vdso_region_name(const struct file *f);

#endif
