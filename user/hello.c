/*
 * hello: the smallest program (course section: starting a program).
 *
 * printf() formats into libc's buffer and, at the newline, calls write(1,
 * ...): one trip through the syscall gate. Then main returns, and libc's
 * exit() calls exit_group: a second trip, from which there is no return.
 */
#include <stdio.h>

int main(void)
{
	printf("Hello from user mode!\n");
	return 0;
}
