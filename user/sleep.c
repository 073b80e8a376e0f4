/*
 * sleep: wait for a while (course section: processes).
 *
 * nanosleep(2) puts the process to sleep: the scheduler runs others until a
 * timer wakes it. Fractions are allowed ("sleep 0.25"); the program has no
 * floating point, so the fraction is read digit by digit into nanoseconds.
 * Several arguments add up. A signal with a handler would cut the sleep
 * short (EINTR); we then sleep for what remains.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>

/* "1.5" -> { 1, 500000000 }. Returns -1 if s is not a number. */
static int parse(const char *s, struct timespec *t)
{
	long scale = 100000000;		/* the first decimal digit is worth 0.1 s */

	t->tv_sec = t->tv_nsec = 0;
	if (!isdigit((unsigned char)*s) && *s != '.')
		return -1;
	for (; isdigit((unsigned char)*s); s++)
		t->tv_sec = t->tv_sec * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
			t->tv_nsec += (*s - '0') * scale;
	return *s == '\0' ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct timespec total = { 0, 0 }, t;

	if (argc < 2) {
		fprintf(stderr, "usage: sleep SECONDS...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (parse(argv[i], &t) < 0) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			return 1;
		}
		total.tv_sec += t.tv_sec;
		total.tv_nsec += t.tv_nsec;
		if (total.tv_nsec >= 1000000000) {
			total.tv_sec++;
			total.tv_nsec -= 1000000000;
		}
	}
	while (nanosleep(&total, &total) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
	}
	return 0;
}
