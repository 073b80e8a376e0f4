/* Copying to and from user memory safely (course section: the syscall gate). */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include "arch/x86_64/regs.h"
#include "kernel/types.h"
#include "mm/layout.h"

/* Is [p, p+n) entirely below the user ceiling (and not wrapping around)? */
static inline bool access_ok(const void __user *p, size_t n)
{
	uint64_t a = (uint64_t)p;
	return a <= USER_TOP && n <= USER_TOP - a;
}

/* 0 on success, -EFAULT if any byte is not accessible. */
int copy_from_user(void *dst, const void __user *src, size_t n);
int copy_to_user(void __user *dst, const void *src, size_t n);
int clear_user(void __user *dst, size_t n);
/* Copy a NUL-terminated string of at most max-1 characters. Returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL was found in max bytes. */
long strncpy_from_user(char *dst, const char __user *src, size_t max);

/* Kernel memory that may not be mapped (BPF's probe_read_kernel): never an
 * oops. 0, -EFAULT when a byte is not there, -ERANGE for a user or
 * non-canonical address, as Linux's copy_from_kernel_nofault. */
int copy_from_kernel_nofault(void *dst, const void *src, size_t n);
/* The string's length with its NUL (cut to max-1 bytes and a NUL if longer),
 * or -EFAULT/-ERANGE as above; dst is NUL-terminated on success. */
long strncpy_from_kernel_nofault(char *dst, const void *src, size_t max);

/* The exception table: if the faulting instruction is a user access,
 * resume at its fix-up (which makes the copy return -EFAULT). */
bool extable_fixup(struct regs *r);
bool extable_contains(uint64_t rip);

/* The address of a field of a user structure, without dereferencing or
 * "member access" on the user pointer: a program may pass a misaligned or
 * wild pointer, and C (and UBSAN) only allow p->f on a valid object. */
#define user_field(uptr, type, member) ((void __user *)((char __user *)(uptr) + __builtin_offsetof(type, member)))

#endif
