/*
 * The syscalls behind two vDSO functions: time and getcpu (course section:
 * syscall basics -- the vDSO).
 *
 * A program without a vDSO (or one that makes the syscall on purpose)
 * still gets the same answers through the gate: time() is the seconds of
 * the last tick, exactly what __vdso_time reads, and getcpu says CPU 0,
 * node 0 -- sysgate runs on one CPU.
 */
#include "kernel/syscall.h"
#include "kernel/vdso/vdso.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/time.h"
#include "mm/uaccess.h"

long sys_time(long __user *tloc)
{
	long secs = (long)(vdso_coarse_ns(true) / NSEC_PER_SEC);
	if (tloc && copy_to_user(tloc, &secs, sizeof(secs)))
		return -EFAULT;
	return secs;
}

long sys_getcpu(unsigned __user *cpu, unsigned __user *node, void __user *cache)
{
	(void)cache; /* unused since Linux 2.6.24 */
	unsigned zero = 0;
	if ((cpu && copy_to_user(cpu, &zero, sizeof(zero))) || (node && copy_to_user(node, &zero, sizeof(zero))))
		return -EFAULT;
	return 0;
}
