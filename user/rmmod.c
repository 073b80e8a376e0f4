/*
 * rmmod: unload a kernel module (course section: loadable modules).
 *
 *   rmmod NAME
 *
 * delete_module(2) with O_NONBLOCK, as Linux's rmmod does: if the module is
 * in use the kernel refuses at once -- EBUSY while one of its devices is
 * open, EWOULDBLOCK while another module uses its exported functions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: rmmod NAME\n");
		return 2;
	}
	/* Accept "hello.ko" or a path, as a convenience: the name is the stem. */
	char name[64];
	const char *base = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	snprintf(name, sizeof(name), "%s", base);
	char *dot = strstr(name, ".ko");
	if (dot && dot[3] == 0)
		*dot = 0;
	if (syscall(SYS_delete_module, name, O_NONBLOCK) != 0) {
		fprintf(stderr, "rmmod: cannot unload %s: %s\n", name, strerror(errno));
		return 1;
	}
	return 0;
}
