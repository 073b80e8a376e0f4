/*
 * Waiting on many descriptors: poll, select and epoll over hundreds of
 * files (course section: the integrated event system; high-performance
 * patterns).
 *
 * poll looks first without hooking onto the files and hooks on only when
 * it will sleep; small arrays stay on the kernel's stack, big ones do not;
 * epoll finds its items in a hash table and copies ready events straight
 * out. These cases check the answers stay right at every size, on both
 * paths, and (on sysgate) that nothing is left allocated.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <unistd.h>
#include "testlib.h"

#define SET 900

static int efd[SET];
static struct pollfd fds[SET];

static void open_all(void)
{
	for (int k = 0; k < SET; k++)
		efd[k] = eventfd(0, 0);
}

static void close_all(void)
{
	for (int k = 0; k < SET; k++)
		close(efd[k]);
}

static void fill_pollfds(int n)
{
	for (int k = 0; k < n; k++)
		fds[k] = (struct pollfd){ .fd = efd[k], .events = POLLIN, .revents = 0x7777 };
}

/* How many entries have revents other than want_k's POLLIN, or changed fd/events. */
static int wrong_answers(int n, int ready_k)
{
	int wrong = 0;
	for (int k = 0; k < n; k++)
		wrong += fds[k].fd != efd[k] || fds[k].events != POLLIN ||
			 fds[k].revents != (k == ready_k ? POLLIN : 0);
	return wrong;
}

static void test_poll_sizes(void)
{
	static const int sizes[] = { 1, 8, 32, 33, 100, SET };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int n = sizes[i];
		fill_pollfds(n);
		int r = poll(fds, (nfds_t)n, 0);
		check(cname("poll over %d: none ready, every revents 0, fd and events kept", n),
		      r == 0 && wrong_answers(n, -1) == 0, "returned %d, %d wrong", r, wrong_answers(n, -1));
		t_write_u64(efd[n - 1], 1);
		fill_pollfds(n);
		r = poll(fds, (nfds_t)n, 0);
		check(cname("poll over %d: the last one ready, and only it", n),
		      r == 1 && wrong_answers(n, n - 1) == 0, "returned %d, %d wrong", r, wrong_answers(n, n - 1));
		t_read_u64(efd[n - 1]);
	}
	fill_pollfds(100);
	fds[50].fd = 1020; /* not open */
	int r = poll(fds, 100, 0);
	check("a closed fd among 100: POLLNVAL, counted", r == 1 && fds[50].revents == POLLNVAL, "r=%d revents=%#x",
	      r, fds[50].revents);
	fill_pollfds(100);
	r = poll(fds, 100, 20);
	check_eq("poll over 100 with a 20 ms timeout, none ready: 0 (hooks made and undone)", r, 0);
}

static void write_later(long k)
{
	t_nap(30);
	t_write_u64(efd[k], 1);
}

/* A sleeping poll is woken by a write to one of many files: the hook on
 * that file's queue, past the inline ones, must be on. */
static void test_poll_wakes(void)
{
	static const int sizes[] = { 4, 100, SET };
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int n = sizes[i];
		pid_t pid = fork();
		if (pid == 0) {
			write_later(n - 2);
			_exit(0);
		}
		fill_pollfds(n);
		int r = poll(fds, (nfds_t)n, 10000);
		check(cname("poll over %d sleeps until file %d is written", n, n - 2),
		      r == 1 && wrong_answers(n, n - 2) == 0, "returned %d", r);
		waitpid(pid, NULL, 0);
		t_read_u64(efd[n - 2]);
	}
}

static void test_select(void)
{
	fd_set rd;
	int low = efd[3], high = efd[SET - 1];
	t_write_u64(low, 1);
	FD_ZERO(&rd);
	for (int k = 0; k < 40; k++)
		FD_SET(efd[k], &rd);
	struct timeval tv = { 0, 0 };
	int r = select(efd[39] + 1, &rd, NULL, NULL, &tv);
	check("select over 40 (small sets): only the written one", r == 1 && FD_ISSET(low, &rd) && !FD_ISSET(efd[4], &rd),
	      "returned %d", r);
	t_write_u64(high, 1);
	FD_ZERO(&rd);
	for (int k = 0; k < SET; k++)
		FD_SET(efd[k], &rd);
	tv = (struct timeval){ 0, 0 };
	r = select(high + 1, &rd, NULL, NULL, &tv);
	check(cname("select over %d: the two written ones", SET),
	      r == 2 && FD_ISSET(low, &rd) && FD_ISSET(high, &rd) && !FD_ISSET(efd[500], &rd), "returned %d", r);
	t_read_u64(low);
	t_read_u64(high);
}

static void test_epoll_many(void)
{
	int ep = epoll_create1(0), bad = 0;
	for (int k = 0; k < SET; k++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)k };
		bad += epoll_ctl(ep, EPOLL_CTL_ADD, efd[k], &ev) != 0;
	}
	check_eq(cname("%d eventfds added to one epoll set", SET), bad, 0);
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 12345 };
	for (int k = 0; k < SET; k += 97)
		bad += epoll_ctl(ep, EPOLL_CTL_ADD, efd[k], &ev) != -1 || errno != EEXIST;
	check_eq("each added again: EEXIST", bad, 0);
	int dup_fd = dup(efd[10]);
	ev.data.u64 = 777777;
	check_eq("the same file under a dup'ed fd is another item", epoll_ctl(ep, EPOLL_CTL_ADD, dup_fd, &ev), 0);

	t_write_u64(efd[10], 1);
	struct epoll_event out[64];
	int r = epoll_wait(ep, out, 64, 0);
	int both = r == 2 && ((out[0].data.u64 == 10 && out[1].data.u64 == 777777) ||
			       (out[0].data.u64 == 777777 && out[1].data.u64 == 10));
	check("a write to it: both items ready, with their data", both, "returned %d", r);
	r = epoll_wait(ep, out, 1, 0);
	int r2 = epoll_wait(ep, out + 1, 1, 0);
	check("room for 1: the two take turns (level-triggered)",
	      r == 1 && r2 == 1 && out[0].data.u64 != out[1].data.u64, "returned %d, %d", r, r2);
	t_read_u64(efd[10]);
	close(dup_fd); /* closing removes its item */

	for (int k = 0; k < SET; k += 2)
		bad += epoll_ctl(ep, EPOLL_CTL_DEL, efd[k], NULL) != 0;
	for (int k = 0; k < SET; k += 2)
		bad += epoll_ctl(ep, EPOLL_CTL_DEL, efd[k], NULL) != -1 || errno != ENOENT;
	check_eq("half deleted; deleted again: ENOENT", bad, 0);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.u64 = 4242 };
	for (int k = 1; k < SET; k += 2)
		bad += epoll_ctl(ep, EPOLL_CTL_MOD, efd[k], &ev) != 0;
	bad += epoll_ctl(ep, EPOLL_CTL_MOD, efd[2], &ev) != -1 || errno != ENOENT;
	check_eq("the other half modified; a deleted one: ENOENT", bad, 0);
	t_write_u64(efd[SET - 1], 1);
	r = epoll_wait(ep, out, 64, 0);
	check("one written: epoll_wait finds it with its new data", r == 1 && out[0].data.u64 == 4242, "returned %d", r);
	t_read_u64(efd[SET - 1]);
	r = epoll_wait(ep, out, 64, 0);
	check_eq("read again: nothing ready", r, 0);
	close(ep);
}

static void leak_work(void)
{
	int ep = epoll_create1(0);
	for (int k = 0; k < 300; k++) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)k };
		epoll_ctl(ep, EPOLL_CTL_ADD, efd[k], &ev);
	}
	struct epoll_event out;
	epoll_wait(ep, &out, 1, 5);
	close(ep);
	fill_pollfds(200);
	poll(fds, 200, 5);
}

int main(void)
{
	t_begin("manyfds");
	open_all();
	if (efd[SET - 1] < 0) {
		t_fail("eventfds", "cannot open %d eventfds", SET);
		return t_end();
	}
	test_poll_sizes();
	test_poll_wakes();
	test_select();
	test_epoll_many();
	if (on_sysgate())
		t_leak_test("epoll sets of 300, polls of 200 that sleep: no frame or heap byte left", leak_work);
	else
		t_skip("leak", "sysgate only: Linux has no SysgateHeapBytes");
	close_all();
	return t_end();
}
