/* The audit architecture numbers of Linux's <linux/audit.h> (course
 * section: the Linux ABI): ptrace's syscall info, seccomp's data and
 * SIGSYS's si_arch say which syscall ABI a call used. */
#ifndef ABI_AUDIT_H
#define ABI_AUDIT_H

/* x86_64: EM_X86_64 (62), 64-bit, little-endian. */
#define AUDIT_ARCH_X86_64 0xc000003eu

#endif
