/*
 * whoami: the name of the effective user (course section: kernel design --
 * privilege). The kernel knows only the number, geteuid(); the name is
 * the line of /etc/passwd with that number.
 */
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);
	if (!pw) {
		fprintf(stderr, "whoami: cannot find name for user ID %u\n", uid);
		return 1;
	}
	printf("%s\n", pw->pw_name);
	return 0;
}
