/*
 * hello: the smallest program (course section: starting a program).
 *
 * printf() formats into libc's buffer and, at the newline, calls write(1,
 * ...): one trip through the syscall gate. getpid() is a second. Then main
 * returns, and libc's exit() calls exit_group: a last trip, from which
 * there is no return.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("Hello from user mode!\n");
	/* A getpid() for the GDB walk-through in README.md: a breakpoint on
	 * syscall_entry with `if $rax == 39` stops right here. */
	if (getpid() <= 0)
		return 1;
	return 0;
}
