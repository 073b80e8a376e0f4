/*
 * kill: send a signal (course section: signals).
 *
 *   kill PID...           SIGTERM, the polite "please exit"
 *   kill -9 PID           by number: SIGKILL, which cannot be caught
 *   kill -INT PID         by name, with or without SIG: -SIGINT
 *   kill -s NAME PID
 *   kill -- -PGID         a negative pid is a whole process group
 *   kill -l               list the signal names
 * The kernel checks that we may signal the target and marks the signal
 * pending there; the target acts on it when it next returns to user mode.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "9", "KILL" or "SIGKILL" -> 9; -1 if unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long n;

	if (isdigit((unsigned char)*s)) {
		n = strtol(s, &end, 10);
		return *end == '\0' && n >= 0 && n < NSIG ? (int)n : -1;
	}
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name && strcmp(name, s) == 0)
			return sig;
	}
	return -1;
}

/* Five to a line: " 1) SIGHUP       2) SIGINT ...", no trailing blanks. */
static void list(void)
{
	int last = 0, n = 0;

	for (int sig = 1; sig < NSIG; sig++)
		if (sigabbrev_np(sig))
			last = sig;
	for (int sig = 1; sig <= last; sig++) {
		const char *name = sigabbrev_np(sig);

		if (name == NULL)
			continue;
		if (++n % 5 == 0 || sig == last)
			printf("%2d) SIG%s\n", sig, name);
		else
			printf("%2d) SIG%-9s", sig, name);
	}
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (i < argc && strcmp(argv[i], "-l") == 0) {
		list();
		return 0;
	}
	if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
		sig = parse_signal(argv[i + 1]);
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0) {
		sig = parse_signal(argv[i] + 1);	/* the first "-X" is the signal */
		i++;
	}
	if (sig < 0) {
		fprintf(stderr, "kill: %s: invalid signal specification\n", argv[i - 1]);
		return 1;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc) {
		fprintf(stderr, "usage: kill [-s SIG | -SIG] PID... | kill -l\n");
		return 1;
	}
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (*end != '\0' || end == argv[i]) {
			fprintf(stderr, "kill: %s: arguments must be process ids\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
