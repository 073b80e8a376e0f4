/*
 * What the seccomp tests share (course section: seccomp): installing a
 * filter, the one-syscall filter most cases use, and reading a line of
 * /proc/self/status.
 */
#ifndef SECCOMP_UTIL_H
#define SECCOMP_UTIL_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <abi/filter.h>
#include <abi/seccomp.h>

#include "testlib.h"

/* The test's own pid, before any fork: its children's getppid. */
static long getppid_before;

/* Set no_new_privs (needed without CAP_SYS_ADMIN; harmless as root) and
 * install the filter: seccomp's raw result. */
static inline long sc_install(struct sock_filter *insns, unsigned short len, unsigned flags)
{
	struct sock_fprog prog = { len, insns };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1000;
	return raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)&prog, 0, 0, 0);
}

/* "Syscall nr gets ret; everything else is allowed." */
static inline long sc_forbid(long nr, uint32_t ret)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, ret),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	return sc_install(f, 4, 0);
}

/* A decimal line of /proc/self/status ("Seccomp", "NoNewPrivs"), or -1. */
static inline long sc_status_value(const char *key)
{
	return t_status_field(key, 10);
}

#endif
