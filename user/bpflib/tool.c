/*
 * What every BPF tool in /bin does around its BPF program (course section:
 * advanced eBPF tracing): stop cleanly on Ctrl-C or after a duration (the
 * programs detach when the tool closes its fds, so it must get to the
 * end), and run a command held back until tracing has started, so that
 * not one of its events is missed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bpflib.h"

volatile sig_atomic_t tool_exiting;

static void on_signal(int sig)
{
	(void)sig;
	tool_exiting = 1;
}

void tool_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a waiting poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

uint64_t tool_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t tool_deadline(long seconds)
{
	return seconds > 0 ? tool_now_ms() + (uint64_t)seconds * 1000 : 0;
}

int tool_running(uint64_t deadline)
{
	return !tool_exiting && (!deadline || tool_now_ms() < deadline);
}

int tool_stream(struct bpf_object *obj, const char *map, ringbuf_fn fn, void *ctx, const char *header, long seconds)
{
	struct ringbuf rb;
	if (ringbuf_open(&rb, bpf_object_map(obj, map)->fd, fn, ctx)) {
		bpf_object_close(obj);
		return 1;
	}
	tool_catch_signals();
	printf("%s\n", header);
	fflush(stdout);
	uint64_t end = tool_deadline(seconds);
	while (tool_running(end)) {
		ringbuf_poll(&rb, 100);
		fflush(stdout); /* each line as it comes, also into a pipe */
	}
	ringbuf_consume(&rb);
	fflush(stdout);
	ringbuf_close(&rb);
	bpf_object_close(obj);
	return 0;
}

static int say(const char *tool, int err)
{
	if (err)
		fprintf(stderr, "%s: cannot start tracing: %s%s\n", tool, strerror(-err),
			err == -ENOSYS ? " (this kernel has no bpf(2))" : err == -EPERM ? " (root is needed)" : "");
	return err;
}

int tool_load(const char *tool, struct bpf_object *obj)
{
	int err = say(tool, bpf_object_load(obj));
	if (err)
		bpf_object_close(obj);
	return err;
}

int tool_attach(const char *tool, struct bpf_object *obj)
{
	int err = say(tool, bpf_object_attach(obj));
	if (err)
		bpf_object_close(obj);
	return err;
}

pid_t tool_spawn_held(char *const argv[], int *release_fd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		/* Wait for the tracer; an end of file means it gave up. */
		if (read(p[0], &c, 1) != 1)
			_exit(127);
		close(p[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -1;
	}
	*release_fd = p[1];
	return pid;
}

void tool_release(int release_fd)
{
	write(release_fd, "g", 1);
	close(release_fd);
}
