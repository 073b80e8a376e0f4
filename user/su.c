/*
 * su: run a shell as another user (course section: kernel design --
 * privilege).
 *
 *     su [-] [USER] [-c COMMAND]      USER defaults to root
 *
 * Becoming somebody is three syscalls, in this order: setgroups (the
 * supplementary groups /etc/group lists for the user), setgid, setuid.
 * The gids go first: once the uid is not 0 any more, CAP_SETGID is gone
 * and the gids could not be changed. Only root may make them (Linux's
 * CAP_SETUID and CAP_SETGID); sysgate keeps no passwords, so this su is
 * not set-user-ID and anybody else gets "Operation not permitted" -- the
 * kernel's refusal, not su's. With "-" the shell starts in the user's home
 * with a fresh HOME, USER, LOGNAME and SHELL, as after a login.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "su: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	int login = 0, a = 1;
	const char *name = "root", *command = NULL;
	for (; a < argc; a++) {
		if (!strcmp(argv[a], "-") || !strcmp(argv[a], "-l"))
			login = 1;
		else if (!strcmp(argv[a], "-c") && a + 1 < argc)
			command = argv[++a];
		else if (argv[a][0] != '-')
			name = argv[a];
		else {
			fprintf(stderr, "usage: su [-] [USER] [-c COMMAND]\n");
			return 1;
		}
	}
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		fprintf(stderr, "su: user %s does not exist\n", name);
		return 1;
	}
	char *shell = strdup(pw->pw_shell[0] ? pw->pw_shell : "/bin/sh");
	char *home = strdup(pw->pw_dir);
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	if (initgroups(name, gid))
		return fail("setgroups");
	if (setgid(gid))
		return fail("setgid");
	if (setuid(uid))
		return fail("setuid");
	setenv("HOME", home, 1);
	setenv("SHELL", shell, 1);
	if (login || uid != 0) {
		setenv("USER", name, 1);
		setenv("LOGNAME", name, 1);
	}
	if (login && chdir(home))
		fprintf(stderr, "su: warning: cannot change directory to %s: %s\n", home, strerror(errno));
	char *sh_argv[] = { login ? "-sh" : "sh", command ? "-c" : NULL, (char *)command, NULL };
	execv(shell, sh_argv);
	return fail(shell);
}
