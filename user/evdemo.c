/*
 * evdemo: one epoll loop, every kind of event (course section: the
 * integrated event system).
 *
 * A server does not know which of its sources will speak next, so it asks
 * the kernel to watch all of them and wake it when any is ready. Here one
 * epoll set watches:
 *   - an eventfd that a child process adds to (a counter between processes);
 *   - a pipe the same child writes lines into, and finally closes (EPOLLHUP);
 *   - a periodic timerfd (the kernel's timer interrupt makes it readable);
 *   - a signalfd for SIGINT and SIGUSR1, which are blocked, so instead of
 *     interrupting the program they become data to read;
 *   - a netlink socket on the kernel's uevent group: on the first tick the
 *     demo writes "change" to /sys/class/mem/null/uevent, and the kernel's
 *     announcement arrives here as a message;
 *   - a unix socket server: the child connects to it and asks a question,
 *     the server answers on the new connection, which epoll watches too.
 * In the kernel they all reach epoll the same way: the file's poll
 * operation says what is ready, and the file's wait queue wakes epoll.
 *
 * The demo drives itself, so it runs from the shell with no typing: on the
 * second timer tick it sends itself SIGUSR1; once the child has finished
 * it sends itself SIGINT, and SIGINT (read from the signalfd, not caught by
 * a handler) ends the loop. Exit status 0.
 */
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What each epoll item's data says: which source fired. */
enum source { SRC_EVENTFD, SRC_PIPE, SRC_TIMER, SRC_SIGNAL, SRC_UEVENT, SRC_SERVER, SRC_CLIENT, NSOURCES };
static const char *const source_name[NSOURCES] = { "eventfd", "pipe", "timerfd", "signalfd", "uevent",
						   "unix server", "unix client" };
#define SERVER_NAME "\0evdemo-server" /* an abstract unix name: no file */

#define CHILD_MESSAGES 3
#define TICK_MS 100

struct demo {
	int ep, efd, pipe_rd, tfd, sfd, ufd, server;
	pid_t child;
	int fired[NSOURCES];
	long ticks;
	int child_done; /* its pipe hung up */
	int sent_usr1, sent_int, stop;
};

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* The item's data: the source, and the descriptor (for the clients). */
static void watch(struct demo *d, int fd, enum source src)
{
	struct epoll_event ev = { EPOLLIN, { .u64 = (uint64_t)fd << 32 | src } };
	if (epoll_ctl(d->ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		perror("epoll_ctl");
}

static socklen_t server_address(struct sockaddr_un *a)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, SERVER_NAME, sizeof(SERVER_NAME) - 1);
	return (socklen_t)(sizeof(a->sun_family) + sizeof(SERVER_NAME) - 1);
}

/* The child as a client of the parent's unix socket server. */
static void ask_server(void)
{
	struct sockaddr_un a;
	socklen_t len = server_address(&a);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, len) < 0)
		return;
	const char *q = "what time is it?";
	write(fd, q, strlen(q));
	char answer[64];
	read(fd, answer, sizeof(answer)); /* wait for the answer, then hang up */
	close(fd);
}

/* The child: three rounds of "add to the counter, write a line", then it
 * closes its end of the pipe by exiting. */
static void child(int efd, int pipe_wr)
{
	for (int i = 1; i <= CHILD_MESSAGES; i++) {
		nap_ms(150);
		eventfd_write(efd, (eventfd_t)i);
		char line[64];
		int n = snprintf(line, sizeof(line), "hello number %d from process %d", i, getpid());
		write(pipe_wr, line, (size_t)n);
		if (i == 2)
			ask_server();
	}
	_exit(0);
}

static const char *event_names(uint32_t ev)
{
	static char buf[64];
	buf[0] = '\0';
	if (ev & EPOLLIN)
		strcat(buf, "|EPOLLIN");
	if (ev & EPOLLOUT)
		strcat(buf, "|EPOLLOUT");
	if (ev & EPOLLERR)
		strcat(buf, "|EPOLLERR");
	if (ev & EPOLLHUP)
		strcat(buf, "|EPOLLHUP");
	return buf[0] ? buf + 1 : "0";
}

static void on_eventfd(struct demo *d)
{
	eventfd_t value;
	if (eventfd_read(d->efd, &value) == 0)
		printf("    the child added to the counter; read() took it: %llu (and reset it to 0)\n",
		       (unsigned long long)value);
}

static void on_pipe(struct demo *d, uint32_t events)
{
	char buf[128];
	ssize_t n = (events & EPOLLIN) ? read(d->pipe_rd, buf, sizeof(buf) - 1) : 0;
	if (n > 0) {
		buf[n] = '\0';
		printf("    the child wrote into the pipe: \"%s\"\n", buf);
		return;
	}
	/* EPOLLHUP with nothing left to read: every writer has closed. */
	printf("    end of file: the child exited, so no writer is left (EPOLLHUP)\n");
	epoll_ctl(d->ep, EPOLL_CTL_DEL, d->pipe_rd, NULL);
	close(d->pipe_rd);
	d->child_done = 1;
}

static void on_timer(struct demo *d)
{
	uint64_t expirations = 0;
	read(d->tfd, &expirations, sizeof(expirations));
	d->ticks += (long)expirations;
	printf("    the %d ms period ended %llu time(s) since the last read (tick %ld)\n", TICK_MS,
	       (unsigned long long)expirations, d->ticks);
	if (d->ticks == (long)expirations && d->ufd >= 0) {
		printf("    -> writing \"change\" to /sys/class/mem/null/uevent: the kernel will announce it\n");
		int fd = open("/sys/class/mem/null/uevent", O_WRONLY);
		if (fd < 0 || write(fd, "change", 6) < 0)
			printf("    (could not: no sysfs, or not root)\n");
		if (fd >= 0)
			close(fd);
	}
	if (d->ticks >= 2 && !d->sent_usr1) {
		printf("    -> sending myself SIGUSR1 with kill()\n");
		kill(getpid(), SIGUSR1);
		d->sent_usr1 = 1;
	}
	if (d->child_done && d->sent_usr1 && !d->sent_int) {
		printf("    -> the child is done: sending myself SIGINT, as Ctrl-C would\n");
		kill(getpid(), SIGINT);
		d->sent_int = 1;
	}
}

static void on_signal(struct demo *d)
{
	struct signalfd_siginfo si;
	if (read(d->sfd, &si, sizeof(si)) != sizeof(si))
		return;
	printf("    a blocked signal became data: %s from process %u\n", si.ssi_signo == SIGINT ? "SIGINT" : "SIGUSR1",
	       si.ssi_pid);
	if (si.ssi_signo == SIGINT) {
		printf("    SIGINT means stop: leaving the loop\n");
		d->stop = 1;
	}
}

/* Why epoll woke, said the first time each source fires: who woke the
 * file's wait queue, and which file's poll operation then said "ready". */
static const char *const woken_by[NSOURCES] = {
	[SRC_EVENTFD] = "the child's write() added to the counter and woke the eventfd's wait queue;\n"
			"     epoll's entry on that queue ran, and eventfd_poll said EPOLLIN (counter > 0)",
	[SRC_PIPE] = "the child's write() (or its exit, closing the last write end) woke the pipe's\n"
		     "     wait queue; pipe_poll said EPOLLIN (bytes waiting) or EPOLLHUP (no writer)",
	[SRC_TIMER] = "the timer interrupt found the timerfd's expiry due and woke its wait queue;\n"
		      "     timerfd_poll said EPOLLIN (expirations to read)",
	[SRC_SIGNAL] = "kill() made the blocked signal pending and woke the signalfds' wait queue;\n"
		       "     signalfd_poll said EPOLLIN (a pending signal in its set)",
};

/* A uevent: "ACTION@DEVPATH", then KEY=VALUE strings, NUL-separated. */
static void on_uevent(struct demo *d)
{
	char buf[2048];
	ssize_t n = recv(d->ufd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return;
	buf[n] = '\0';
	printf("    the kernel announced: %s (", buf);
	for (char *kv = buf + strlen(buf) + 1; kv < buf + n; kv += strlen(kv) + 1)
		printf("%s%s", kv, kv + strlen(kv) + 1 < buf + n ? " " : "");
	printf(")\n");
}

static void on_server(struct demo *d)
{
	int c = accept4(d->server, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	struct ucred who;
	socklen_t len = sizeof(who);
	getsockopt(c, SOL_SOCKET, SO_PEERCRED, &who, &len);
	printf("    a client connected: process %d (SO_PEERCRED); watching its connection too\n", who.pid);
	watch(d, c, SRC_CLIENT);
}

static void on_client(struct demo *d, int fd)
{
	char buf[128];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0) {
		printf("    the client hung up: closing its connection\n");
		epoll_ctl(d->ep, EPOLL_CTL_DEL, fd, NULL);
		close(fd);
		return;
	}
	buf[n] = '\0';
	printf("    the client asks \"%s\"; answering: tick %ld\n", buf, d->ticks);
	char answer[64];
	int len = snprintf(answer, sizeof(answer), "tick %ld", d->ticks);
	write(fd, answer, (size_t)len);
}

static void handle(struct demo *d, const struct epoll_event *ev)
{
	enum source src = (enum source)(ev->data.u64 & 0xffffffff);
	printf("[%s] ready: %s\n", source_name[src], event_names(ev->events));
	if (d->fired[src]++ == 0 && woken_by[src])
		printf("  why: %s\n", woken_by[src]);
	switch (src) {
	case SRC_EVENTFD:
		on_eventfd(d);
		break;
	case SRC_PIPE:
		on_pipe(d, ev->events);
		break;
	case SRC_TIMER:
		on_timer(d);
		break;
	case SRC_UEVENT:
		on_uevent(d);
		break;
	case SRC_SERVER:
		on_server(d);
		break;
	case SRC_CLIENT:
		on_client(d, (int)(ev->data.u64 >> 32));
		break;
	default:
		on_signal(d);
		break;
	}
}

static int setup(struct demo *d)
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL); /* pending, not delivered: for the signalfd */

	int p[2];
	struct itimerspec period = { { 0, TICK_MS * 1000000L }, { 0, TICK_MS * 1000000L } };
	d->ep = epoll_create1(EPOLL_CLOEXEC);
	d->efd = eventfd(0, 0);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	d->sfd = signalfd(-1, &mask, 0);
	if (d->ep < 0 || d->efd < 0 || d->tfd < 0 || d->sfd < 0 || pipe(p) < 0) {
		perror("evdemo: setup");
		return -1;
	}
	d->pipe_rd = p[0];
	/* The kernel's device events: group 1 of NETLINK_KOBJECT_UEVENT (Linux
	 * lets only root join it). */
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	d->ufd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (d->ufd >= 0 && bind(d->ufd, (struct sockaddr *)&nl, sizeof(nl)) < 0) {
		close(d->ufd);
		d->ufd = -1;
	}
	struct sockaddr_un a;
	socklen_t alen = server_address(&a);
	d->server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (d->server < 0 || bind(d->server, (struct sockaddr *)&a, alen) < 0 || listen(d->server, 8) < 0) {
		perror("evdemo: unix server");
		return -1;
	}
	fflush(stdout);
	d->child = fork();
	if (d->child == 0) {
		close(p[0]);
		child(d->efd, p[1]);
	}
	close(p[1]); /* the child holds the only write end: its exit is our EOF */
	watch(d, d->efd, SRC_EVENTFD);
	watch(d, d->pipe_rd, SRC_PIPE);
	watch(d, d->tfd, SRC_TIMER);
	watch(d, d->sfd, SRC_SIGNAL);
	watch(d, d->server, SRC_SERVER);
	if (d->ufd >= 0)
		watch(d, d->ufd, SRC_UEVENT);
	timerfd_settime(d->tfd, 0, &period, NULL);
	return 0;
}

int main(void)
{
	struct demo d;
	memset(&d, 0, sizeof(d));
	printf("evdemo: one epoll set watching an eventfd, a pipe, a timerfd, a signalfd, a uevent socket and a unix server\n");
	if (setup(&d) < 0)
		return 1;
	printf("evdemo: child %d will write 3 times; the timer ticks every %d ms\n", d.child, TICK_MS);
	while (!d.stop) {
		struct epoll_event ev[8];
		int n = epoll_wait(d.ep, ev, 8, -1); /* the only place we sleep */
		if (n < 0) {
			perror("epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++)
			handle(&d, &ev[i]);
		fflush(stdout);
	}
	int status;
	waitpid(d.child, &status, 0);
	printf("evdemo: fired -- eventfd %d, pipe %d, timerfd %d, signalfd %d, uevent %d, unix %d; child exit %d\n",
	       d.fired[SRC_EVENTFD], d.fired[SRC_PIPE], d.fired[SRC_TIMER], d.fired[SRC_SIGNAL], d.fired[SRC_UEVENT],
	       d.fired[SRC_SERVER] + d.fired[SRC_CLIENT], WEXITSTATUS(status));
	return 0;
}
