/*
 * eventfd + epoll + fork, from a musl program (course section: eventfd
 * communication; the integrated event system).
 *
 * Parent and child play ping-pong through two eventfds; the parent waits
 * with epoll, the child with blocking reads. Then a periodic timerfd and a
 * pipe join the epoll set; last, musl's poll, signalfd and the eventfd
 * semaphore. The output must be the same on Linux and sysgate.
 */
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1000

int main(void)
{
	int ping = eventfd(0, 0), pong = eventfd(0, 0);
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 42 };
	epoll_ctl(ep, EPOLL_CTL_ADD, pong, &ev);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		uint64_t v;
		for (int i = 0; i < ROUNDS; i++) {
			read(ping, &v, sizeof(v));
			v += 1;
			write(pong, &v, sizeof(v));
		}
		_exit(0);
	}
	uint64_t sum = 0;
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t v = 1;
		write(ping, &v, sizeof(v));
		struct epoll_event got;
		int n = epoll_wait(ep, &got, 1, -1);
		if (n != 1 || got.data.u64 != 42) {
			printf("epoll_wait gave %d\n", n);
			return 1;
		}
		read(pong, &v, sizeof(v));
		sum += v;
	}
	int status;
	waitpid(pid, &status, 0);
	printf("musl: %d round trips, sum %llu, child status %d\n", ROUNDS, (unsigned long long)sum, WEXITSTATUS(status));

	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = { { 0, 5000000 }, { 0, 5000000 } };
	timerfd_settime(tfd, 0, &its, NULL);
	int p[2];
	pipe(p);
	ev.events = EPOLLIN;
	ev.data.u64 = 1;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.u64 = 2;
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
	write(p[1], "x", 1);
	int seen_timer = 0, seen_pipe = 0;
	while (!seen_timer || !seen_pipe) {
		struct epoll_event got[4];
		int n = epoll_wait(ep, got, 4, -1);
		for (int i = 0; i < n; i++) {
			if (got[i].data.u64 == 1) {
				uint64_t ticks;
				read(tfd, &ticks, sizeof(ticks));
				seen_timer = ticks >= 1;
			} else if (got[i].data.u64 == 2) {
				char c;
				read(p[0], &c, 1);
				seen_pipe = c == 'x';
			}
		}
	}
	printf("musl: the timerfd and the pipe both fired through epoll\n");

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK);
	kill(getpid(), SIGUSR1);
	struct pollfd pfd = { sfd, POLLIN, 0 };
	int ready = poll(&pfd, 1, -1);
	struct signalfd_siginfo si = { 0 };
	read(sfd, &si, sizeof(si));
	printf("musl: poll found %d ready (revents %#x); the signalfd read signal %u\n", ready, pfd.revents,
	       si.ssi_signo);

	int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	eventfd_t a = 0, b = 0, c = 0;
	eventfd_read(sem, &a);
	eventfd_read(sem, &b);
	int third = eventfd_read(sem, &c);
	printf("musl: semaphore reads %llu, %llu, then %d\n", (unsigned long long)a, (unsigned long long)b, third);
	return 0;
}
