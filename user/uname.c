/*
 * uname: name the system (course section: the syscall gate).
 *
 * One syscall fills six fixed-size strings (struct utsname). The same
 * binary prints a different release and version on Linux and on sysgate
 * ("6.1.0-sysgate": sysgate calls itself Linux, whose ABI it speaks, as
 * programs and test suites check): it is the kernel that answers, not the
 * program.
 *   uname        the kernel's name      uname -a   all of them
 *   -s -n -r -v -m   name, host name, release, version, machine
 */
#include <stdio.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	struct utsname u;
	const char *fields[5];
	int want[5] = { 0 }, any = 0, n = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-') {
			fprintf(stderr, "usage: uname [-asnrvm]\n");
			return 1;
		}
		for (const char *p = argv[i] + 1; *p; p++) {
			switch (*p) {
			case 'a': want[0] = want[1] = want[2] = want[3] = want[4] = 1; break;
			case 's': want[0] = 1; break;
			case 'n': want[1] = 1; break;
			case 'r': want[2] = 1; break;
			case 'v': want[3] = 1; break;
			case 'm': want[4] = 1; break;
			default:
				fprintf(stderr, "uname: invalid option -- '%c'\n", *p);
				return 1;
			}
			any = 1;
		}
	}
	if (!any)
		want[0] = 1;
	if (uname(&u) < 0) {
		perror("uname");
		return 1;
	}
	fields[0] = u.sysname;
	fields[1] = u.nodename;
	fields[2] = u.release;
	fields[3] = u.version;
	fields[4] = u.machine;
	for (int i = 0; i < 5; i++)
		if (want[i])
			printf("%s%s", n++ ? " " : "", fields[i]);
	putchar('\n');
	return 0;
}
