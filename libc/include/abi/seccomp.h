/*
 * seccomp(2)'s ABI, as Linux's <linux/seccomp.h> defines it (course
 * section: seccomp). Shared by the kernel (kernel/seccomp/), libc and the
 * programs that confine themselves.
 */
#ifndef ABI_SECCOMP_H
#define ABI_SECCOMP_H

#include <stdint.h>
#include "audit.h" /* AUDIT_ARCH_X86_64, seccomp_data.arch */

/* The modes: prctl(PR_GET_SECCOMP) and /proc/PID/status's Seccomp: line. */
#define SECCOMP_MODE_DISABLED 0
#define SECCOMP_MODE_STRICT 1 /* read, write, exit and rt_sigreturn only */
#define SECCOMP_MODE_FILTER 2 /* a classic BPF program judges each syscall */

/* seccomp(2)'s operations. */
#define SECCOMP_SET_MODE_STRICT 0
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_GET_ACTION_AVAIL 2
#define SECCOMP_GET_NOTIF_SIZES 3

/* SECCOMP_SET_MODE_FILTER's flags. */
#define SECCOMP_FILTER_FLAG_TSYNC (1UL << 0)      /* every thread gets the filter */
#define SECCOMP_FILTER_FLAG_LOG (1UL << 1)        /* log what it does (but ALLOW) */
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW (1UL << 2) /* no speculation mitigation forced */
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)

/* What a filter returns: an action in the high 16 bits, data in the low
 * 16. The lower the action (as a signed number), the more it wins. */
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_RET_KILL_THREAD 0x00000000U
#define SECCOMP_RET_KILL SECCOMP_RET_KILL_THREAD
#define SECCOMP_RET_TRAP 0x00030000U   /* SIGSYS to the thread */
#define SECCOMP_RET_ERRNO 0x00050000U  /* fail with errno = data */
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#define SECCOMP_RET_TRACE 0x7ff00000U  /* let the ptrace tracer decide */
#define SECCOMP_RET_LOG 0x7ffc0000U    /* allow, and log it */
#define SECCOMP_RET_ALLOW 0x7fff0000U
#define SECCOMP_RET_ACTION_FULL 0xffff0000U
#define SECCOMP_RET_ACTION 0x7fff0000U
#define SECCOMP_RET_DATA 0x0000ffffU


/* What a filter reads: 64 bytes, in 32-bit words. */
struct seccomp_data {
	int nr;
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t args[6];
};

_Static_assert(sizeof(struct seccomp_data) == 64, "struct seccomp_data is 64 bytes");

/* SECCOMP_GET_NOTIF_SIZES: the sizes of the user-notification structs
 * (struct seccomp_notif is 80 bytes, seccomp_notif_resp 24). */
struct seccomp_notif_sizes {
	uint16_t seccomp_notif;
	uint16_t seccomp_notif_resp;
	uint16_t seccomp_data;
};

#endif
