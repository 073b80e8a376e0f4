/*
 * rmmod: unload a kernel module (course section: loadable modules).
 *
 *   rmmod NAME
 *
 * delete_module(2) with O_NONBLOCK, as Linux's rmmod does: if the module is
 * in use the kernel refuses at once -- EBUSY while one of its devices is
 * open, EWOULDBLOCK while another module uses its exported functions. Then
 * rmmod says who: the "used by" column of /proc/modules names the modules
 * that use it ("rmmod: ERROR: Module hello is in use by: needs_hello", as
 * Linux's kmod says it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The "used by" field of name's line in /proc/modules ("needs_hello," or
 * "-"), copied into users; 0 if found. */
static int used_by(const char *name, char *users, size_t size)
{
	static char buf[16384];
	int fd = open("/proc/modules", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	size_t len = strlen(name);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char field[256];
		if (strncmp(line, name, len) != 0 || line[len] != ' ')
			continue;
		/* name size refcount used-by state address */
		const char *p = line;
		for (int i = 0; i < 3 && p; i++)
			p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
		if (!p)
			return -1;
		size_t flen = strcspn(p, " \n");
		snprintf(field, sizeof(field), "%.*s", (int)flen, p);
		if (field[0] && field[strlen(field) - 1] == ',')
			field[strlen(field) - 1] = 0;	/* "a,b," -> "a,b" */
		snprintf(users, size, "%s", strcmp(field, "-") == 0 ? "" : field);
		return 0;
	}
	return -1;
}

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
		int err = errno;
		char users[256];
		if ((err == EWOULDBLOCK || err == EBUSY) && used_by(name, users, sizeof(users)) == 0) {
			if (users[0])
				fprintf(stderr, "rmmod: ERROR: Module %s is in use by: %s\n", name, users);
			else
				fprintf(stderr, "rmmod: ERROR: Module %s is in use (%s)\n", name,
					err == EBUSY ? "a file of it is open" : strerror(err));
			return 1;
		}
		fprintf(stderr, "rmmod: cannot unload %s: %s\n", name, strerror(err));
		return 1;
	}
	return 0;
}
