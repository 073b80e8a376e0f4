/*
 * User copies (course section: the syscall gate).
 *
 * A syscall's pointer arguments come from the program and cannot be
 * trusted: NULL, a kernel address, an unmapped page, a buffer that runs
 * off the end of user space. Two defences:
 *   1. access_ok(): the whole range must lie below USER_TOP. This stops a
 *      program from making the kernel read or write kernel memory.
 *   2. The copy itself (arch/x86_64/usercopy.asm) may still fault on an
 *      unmapped user page. Its instructions are listed in the exception
 *      table, so the page-fault handler, instead of an oops, jumps to a
 *      fix-up that makes the copy report failure: the syscall returns
 *      -EFAULT. (A page that is merely not allocated yet is first given
 *      to the process by mm/fault.c, as for any user access.)
 * With SMAP on, the kernel can touch user pages only between `stac` and
 * `clac`, which only these helpers execute.
 */
#include "mm/uaccess.h"
#include "libc/include/abi/errno.h"

/* arch/x86_64/usercopy.asm: bytes NOT copied (0 = success). */
uint64_t __copy_user(void *dst, const void *src, size_t n);
uint64_t __clear_user(void *dst, size_t n);
/* Length copied (without the NUL) if found; max if no NUL; -1 on a fault. */
long __strncpy_user(char *dst, const char *src, size_t max);

struct extable_entry {
	uint64_t insn, fixup;
};
extern const struct extable_entry __ex_table_start[], __ex_table_end[];

int copy_from_user(void *dst, const void __user *src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return __copy_user(dst, (const void *)src, n) ? -EFAULT : 0;
}

int copy_to_user(void __user *dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __copy_user((void *)dst, src, n) ? -EFAULT : 0;
}

int clear_user(void __user *dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return __clear_user((void *)dst, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	uint64_t a = (uint64_t)src;
	if (a >= USER_TOP || max == 0)
		return -EFAULT;
	/* Never read past the ceiling, even looking for the NUL. */
	size_t limit = MIN(max, USER_TOP - a);
	long n = __strncpy_user(dst, (const char *)src, limit);
	if (n < 0)
		return -EFAULT;
	if ((size_t)n == limit)
		return limit < max ? -EFAULT : -ENAMETOOLONG;
	return n;
}

/* A kernel address: above the user half (and its guard page) and canonical. */
static bool kernel_address_ok(const void *src, size_t n)
{
	uint64_t a = (uint64_t)src;
	return a >= KERNEL_HALF_START && a + n >= a;
}

int copy_from_kernel_nofault(void *dst, const void *src, size_t n)
{
	if (!kernel_address_ok(src, n))
		return -ERANGE;
	/* The copy's instructions are in the exception table, which fixes up
	 * a fault on any address, not only user ones. */
	return __copy_user(dst, src, n) ? -EFAULT : 0;
}

long strncpy_from_kernel_nofault(char *dst, const void *src, size_t max)
{
	if (max == 0)
		return 0;
	if (!kernel_address_ok(src, max))
		return -ERANGE;
	long n = __strncpy_user(dst, src, max - 1);
	if (n < 0)
		return -EFAULT;
	dst[n] = 0;
	return n + 1;
}

bool extable_contains(uint64_t rip)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return true;
	return false;
}

bool extable_fixup(struct regs *r)
{
	for (const struct extable_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == r->rip) {
			r->rip = e->fixup;
			return true;
		}
	}
	return false;
}
