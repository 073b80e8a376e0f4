/*
 * expect: drive a program through its terminal, for the boot tests (course
 * section: testing).
 *
 * Usage: expect SCRIPT -- COMMAND [ARGS...]
 *
 * Runs COMMAND (QEMU with the serial console on stdio) with pipes on its
 * stdin and stdout, and follows SCRIPT, one instruction a line:
 *     send TEXT            write TEXT; \n, \r, \t, \\ and \xHH are escapes
 *     expect NAME TEXT     wait (up to the timeout) until TEXT appears in
 *                          the output after the previous match; prints
 *                          "PASS NAME" or "FAIL NAME: ..." accordingly
 *     wait TEXT            the same without a PASS line (e.g. for the shell's
 *                          prompt before typing: typed-ahead text would
 *                          otherwise be echoed in the middle of the output)
 *     timeout SECONDS      the wait for the following expects (default 30)
 *     sleep MILLISECONDS
 * Lines starting with # are comments. Everything COMMAND prints is copied
 * to expect.log in the current directory for when a test fails. The exit
 * status is 1 if any expect failed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *out;          /* everything the command printed */
static size_t out_len, out_cap, matched_upto;
static int to_child, from_child;
static FILE *logf;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read whatever the command has printed, waiting at most ms. */
static void pump(int ms)
{
	struct pollfd p = { from_child, POLLIN, 0 };
	if (poll(&p, 1, ms) <= 0)
		return;
	char buf[4096];
	ssize_t n = read(from_child, buf, sizeof(buf));
	if (n <= 0)
		return;
	if (out_len + n + 1 > out_cap) {
		out_cap = (out_len + n + 1) * 2;
		out = realloc(out, out_cap);
	}
	memcpy(out + out_len, buf, n);
	out_len += n;
	out[out_len] = 0;
	fwrite(buf, 1, n, logf);
	fflush(logf);
}

static size_t unescape(const char *s, char *dst)
{
	size_t n = 0;
	while (*s) {
		if (*s != '\\' || !s[1]) {
			dst[n++] = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': dst[n++] = '\n'; s++; break;
		case 'r': dst[n++] = '\r'; s++; break;
		case 't': dst[n++] = '\t'; s++; break;
		case 'x': dst[n++] = (char)strtol((char[]){ s[1], s[2], 0 }, NULL, 16); s += 3; break;
		default: dst[n++] = *s++;
		}
	}
	dst[n] = 0;
	return n;
}

/* name NULL: a silent wait, reported only when it fails. */
static int expect(const char *name, const char *text, double timeout)
{
	double end = now() + timeout;
	for (;;) {
		char *hit = out ? strstr(out + matched_upto, text) : NULL;
		if (hit) {
			matched_upto = hit - out + strlen(text);
			if (name)
				printf("PASS %s\n", name);
			return 0;
		}
		if (now() > end) {
			printf("FAIL %s: no \"%s\" within %.0f s (see expect.log)\n", name ? name : "boot/wait",
			       text, timeout);
			return 1;
		}
		pump(100);
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "usage: expect SCRIPT -- COMMAND [ARGS...]\n");
		return 2;
	}
	FILE *script = fopen(argv[1], "r");
	if (!script) {
		perror(argv[1]);
		return 2;
	}
	logf = fopen("expect.log", "w");
	int in[2], outp[2];
	if (pipe(in) || pipe(outp))
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	to_child = in[1];
	from_child = outp[0];
	signal(SIGPIPE, SIG_IGN);

	int failures = 0;
	double timeout = 30;
	char line[4096], text[4096];
	while (fgets(line, sizeof(line), script)) {
		line[strcspn(line, "\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (!strncmp(line, "send ", 5)) {
			size_t n = unescape(line + 5, text);
			if (write(to_child, text, n) != (ssize_t)n)
				failures++;
		} else if (!strncmp(line, "expect ", 7)) {
			char *name = line + 7, *sp = strchr(name, ' ');
			if (!sp)
				continue;
			*sp = 0;
			unescape(sp + 1, text);
			failures += expect(name, text, timeout);
		} else if (!strncmp(line, "wait ", 5)) {
			unescape(line + 5, text);
			failures += expect(NULL, text, timeout);
		} else if (!strncmp(line, "timeout ", 8)) {
			timeout = atof(line + 8);
		} else if (!strncmp(line, "sleep ", 6)) {
			double end = now() + atof(line + 6) / 1000;
			while (now() < end)
				pump(50);
		}
		fflush(stdout);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return failures ? 1 : 0;
}
