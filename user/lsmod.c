/*
 * lsmod: list the loaded modules (course section: loadable modules).
 *
 * Reformats /proc/modules ("name size users used-by state address", one
 * line per module, Linux's format) as a table, like Linux's lsmod.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The next space-separated field of *p (NUL-terminated in place). */
static char *field(char **p)
{
	while (**p == ' ')
		(*p)++;
	char *start = *p;
	while (**p && **p != ' ')
		(*p)++;
	if (**p)
		*(*p)++ = 0;
	return start;
}

int main(void)
{
	static char buf[16384];
	int fd = open("/proc/modules", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		perror("lsmod: /proc/modules");
		return 1;
	}
	buf[n] = 0;
	printf("%-19s %8s  %s\n", "Module", "Size", "Used by");
	for (char *save, *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p = line;
		char *name = field(&p), *size = field(&p), *users = field(&p), *by = field(&p);
		if (!strcmp(by, "-"))
			by = "";
		size_t len = strlen(by);
		if (len && by[len - 1] == ',')
			by[len - 1] = 0;
		printf("%-19s %8s  %s%s%s\n", name, size, users, *by ? " " : "", by);
	}
	return 0;
}
