/*
 * insmod: load a kernel module (course section: loadable modules).
 *
 *   insmod FILE.ko [name=value ...]
 *
 * Opens the file and hands the descriptor to finit_module(2) with the
 * parameters joined by spaces; the kernel reads, checks, links and starts
 * the module. Errors are the kernel's: ENOEXEC (not a module for this
 * kernel), EEXIST (loaded already), ENOENT (it needs a symbol nobody
 * exports: the kernel log names it), EINVAL (an unknown parameter)...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: insmod FILE.ko [name=value ...]\n");
		return 2;
	}
	char params[1024] = "";
	for (int i = 2; i < argc; i++) {
		if (strlen(params) + strlen(argv[i]) + 2 > sizeof(params)) {
			fprintf(stderr, "insmod: parameters too long\n");
			return 1;
		}
		if (i > 2)
			strcat(params, " ");
		strcat(params, argv[i]);
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, params, 0) != 0) {
		fprintf(stderr, "insmod: cannot load %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
