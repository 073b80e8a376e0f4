/*
 * greet: call the syscall a module added (course section: loadable
 * modules; the syscall gate).
 *
 * modules/newsyscall.ko takes syscall number 400 while it is loaded:
 * sysgate_greet(buf, size, x) writes a greeting into buf and returns 2 * x.
 * libc has no wrapper for a syscall that did not exist when it was built, so
 * this program uses syscall(2), which any number goes through. Without the
 * module the kernel answers ENOSYS, as for any unknown number.
 *
 * Usage: insmod /lib/modules/newsyscall.ko; greet [X [NR]]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NEWSYSCALL_NR 400

int main(int argc, char **argv)
{
	char buf[128];
	long x = argc > 1 ? atol(argv[1]) : 21;
	long nr = argc > 2 ? atol(argv[2]) : NEWSYSCALL_NR;
	long ret = syscall(nr, buf, sizeof(buf), x);

	if (ret < 0 && errno == ENOSYS) {
		fprintf(stderr, "greet: syscall %ld: %s (insmod /lib/modules/newsyscall.ko first)\n", nr,
			strerror(errno));
		return 1;
	}
	if (ret < 0) {
		fprintf(stderr, "greet: syscall %ld: %s\n", nr, strerror(errno));
		return 1;
	}
	printf("syscall %ld says \"%s\" and returns %ld (2 * %ld)\n", nr, buf, ret, x);
	return 0;
}
