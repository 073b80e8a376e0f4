/*
 * C library: memory mappings (course section: memory).
 *
 * Written by hand because the C types differ from the kernel's: C passes an
 * address as void * and gets one back from mmap, the kernel deals in
 * unsigned longs. mmap also cannot use the -1/errno convention as is: it
 * returns an address, so failure is the special address MAP_FAILED.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "internal.h"
#include "syscall_arch.h"
#include "syscall_nr.h"

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	long r = __syscall6(__NR_mmap, (long)addr, (long)length, prot, flags, fd, offset);

	/* __syscall_ret knows that an address high up (a "negative" long) is
	 * not an error; only -4095..-1 are. It returns -1, i.e. MAP_FAILED. */
	return (void *)__syscall_ret((unsigned long)r);
}

int munmap(void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_munmap, (long)addr, (long)length));
}

int mprotect(void *addr, size_t length, int prot)
{
	return (int)__syscall_ret(__syscall3(__NR_mprotect, (long)addr, (long)length, prot));
}

int msync(void *addr, size_t length, int flags)
{
	return (int)__syscall_ret(__syscall3(__NR_msync, (long)addr, (long)length, flags));
}

int madvise(void *addr, size_t length, int advice)
{
	return (int)__syscall_ret(__syscall3(__NR_madvise, (long)addr, (long)length, advice));
}

int mlock(const void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_mlock, (long)addr, (long)length));
}

int mlock2(const void *addr, size_t length, unsigned int flags)
{
	return (int)__syscall_ret(__syscall3(__NR_mlock2, (long)addr, (long)length, flags));
}

int munlock(const void *addr, size_t length)
{
	return (int)__syscall_ret(__syscall2(__NR_munlock, (long)addr, (long)length));
}

/* new_addr is read only with MREMAP_FIXED, as in glibc's variadic mremap. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;

	if (flags & MREMAP_FIXED) {
		va_list ap;

		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(
		(unsigned long)__syscall5(__NR_mremap, (long)old, (long)old_len, (long)new_len, flags, (long)new_addr));
}
