/*
 * The legacy vsyscall page, emulated (course section: syscall basics --
 * the vDSO's ancestor).
 *
 * Before the vDSO, Linux put three functions at fixed kernel addresses
 * that user programs called directly: gettimeofday at 0xffffffffff600000,
 * time at ...600400, getcpu at ...600800. Fixed addresses help exploits,
 * so Linux no longer maps code there; by default (vsyscall=xonly, the only
 * setting left besides "none" since Linux 5.18) a call there faults, and
 * the page-fault handler does what the function would have done: it runs
 * the syscall, puts the result in rax and returns to the caller's return
 * address, as `ret` would. Reading the page faults like any kernel
 * address. sysgate does the same, so old static binaries (dietlibc's)
 * still run. A jump anywhere else in the page, or a bad pointer argument,
 * is a SIGSEGV, as on Linux.
 */
#include "kernel/syscall.h"
#include "kernel/vdso/vdso.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

#define VSYSCALL_PAGE 0xffffffffff600000ul
#define VSYSCALL_GETTIMEOFDAY 0x000
#define VSYSCALL_TIME 0x400
#define VSYSCALL_GETCPU 0x800

bool vsyscall_emulate(struct regs *r, uint64_t addr)
{
	if ((addr & ~0xffful) != VSYSCALL_PAGE || r->rip != addr)
		return false; /* not a call into the page: a plain fault */
	long ret;
	switch (addr & 0xfff) {
	case VSYSCALL_GETTIMEOFDAY:
		ret = sys_gettimeofday((void __user *)r->rdi, (void __user *)r->rsi);
		break;
	case VSYSCALL_TIME:
		ret = sys_time((long __user *)r->rdi);
		break;
	case VSYSCALL_GETCPU:
		ret = sys_getcpu((unsigned __user *)r->rdi, (unsigned __user *)r->rsi, (void __user *)r->rdx);
		break;
	default:
		return false;
	}
	uint64_t return_to;
	if (ret == -EFAULT || copy_from_user(&return_to, (const void __user *)r->rsp, sizeof(return_to)))
		return false;
	r->rax = (uint64_t)ret;
	r->rip = return_to; /* as `ret`: pop the return address */
	r->rsp += 8;
	return true;
}
