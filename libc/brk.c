/*
 * C library: the program break (course section: the C library on raw
 * syscalls).
 *
 * The heap is one contiguous region that starts just after the program's
 * data and bss and ends at the "break". Moving the break up gives the process
 * more memory; malloc (libc/malloc.c) carves its blocks out of it.
 *
 * The raw brk syscall does not follow the errno convention: brk(addr)
 * returns the new break, or the unchanged old one if it could not move it,
 * and brk(0) just reports the current break. libc's brk and sbrk turn that
 * into the usual 0 / -1 and ENOMEM.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "syscall_arch.h"
#include "syscall_nr.h"

/* The current break, 0 until we first ask the kernel. */
static uintptr_t current;

int brk(void *addr)
{
	uintptr_t got = (uintptr_t)__syscall1(__NR_brk, (long)addr);

	current = got;
	if (got != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(intptr_t increment)
{
	uintptr_t old;

	if (current == 0)
		current = (uintptr_t)__syscall1(__NR_brk, 0);
	old = current;
	if (increment != 0 && brk((void *)(old + (uintptr_t)increment)) < 0)
		return (void *)-1;
	return (void *)old;
}
