/*
 * select and pselect6 (course section: the integrated event system).
 *
 * select is poll's older form. Instead of an array of struct pollfd it takes
 * three bitmaps -- read, write, except -- where bit n stands for descriptor
 * n, and it overwrites each with the answer. The kernel turns the bitmaps
 * into the pollfd array poll uses, waits exactly as poll does
 * (kernel/events/poll.c), then turns the answers back into bits:
 *
 *     readable  POLLIN, POLLHUP or POLLERR (a read would not block)
 *     writable  POLLOUT or POLLERR         (a write would not block)
 *     except    POLLPRI
 *
 * What differs from poll is Linux's rule, kept here: a bit for a
 * descriptor that is not open is EBADF (poll says POLLNVAL); the result
 * counts bits, so a descriptor both readable and writable counts twice; the
 * timeout is a struct timeval (select) or timespec (pselect6), and the
 * kernel writes the time left back into it. pselect6 also installs a signal
 * mask while it waits, as ppoll does.
 */
#include "kernel/fs/file.h"
#include "kernel/time/ktimer.h"
#include "kernel/events/poll.h"
#include "kernel/syscall.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/poll.h"
#include "libc/include/abi/time.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define BITS_PER_WORD 64
#define SELECT_IN (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX POLLPRI
#define SELECT_STACK_FDS 64

enum { IN, OUT, EX, NSETS };

static const short select_events[NSETS] = { SELECT_IN, SELECT_OUT, SELECT_EX };

static bool bit(const uint64_t *set, int fd)
{
	return set[fd / BITS_PER_WORD] >> (fd % BITS_PER_WORD) & 1;
}

/* The pollfd array for the descriptors that have a bit in any set. */
static long sets_to_pollfds(uint64_t *sets[NSETS], int n, struct pollfd *fds)
{
	long count = 0;
	for (int fd = 0; fd < n; fd++) {
		short events = 0;
		for (int s = 0; s < NSETS; s++)
			if (bit(sets[s], fd))
				events |= select_events[s];
		if (!events)
			continue;
		if (!fd_get(fd))
			return -EBADF;
		fds[count++] = (struct pollfd){ .fd = fd, .events = events };
	}
	return count;
}

/* The answers as bits: every set is rewritten; returns the bits set. */
static long pollfds_to_sets(const struct pollfd *fds, long count, uint64_t *sets[NSETS], size_t words)
{
	uint64_t *asked[NSETS];
	for (int s = 0; s < NSETS; s++) {
		asked[s] = sets[s] + words; /* the second half of each buffer keeps the question */
		memcpy(asked[s], sets[s], words * sizeof(uint64_t));
		memset(sets[s], 0, words * sizeof(uint64_t));
	}
	long bits = 0;
	for (long i = 0; i < count; i++)
		for (int s = 0; s < NSETS; s++)
			if (bit(asked[s], fds[i].fd) && (fds[i].revents & select_events[s])) {
				sets[s][fds[i].fd / BITS_PER_WORD] |= 1ull << (fds[i].fd % BITS_PER_WORD);
				bits++;
			}
	return bits;
}

static long do_select(int n, unsigned long __user *inp, unsigned long __user *outp, unsigned long __user *exp,
		      uint64_t deadline)
{
	uint64_t __user *user_sets[NSETS] = { (uint64_t __user *)inp, (uint64_t __user *)outp,
					      (uint64_t __user *)exp };
	if (n < 0)
		return -EINVAL;
	if (n > MAX_FDS)
		n = MAX_FDS; /* bits past the last possible descriptor mean nothing */
	size_t words = ((size_t)n + BITS_PER_WORD - 1) / BITS_PER_WORD;
	/* Up to SELECT_STACK_FDS descriptors, the sets and the pollfd array
	 * fit on the stack: no allocation for the common small select. */
	uint64_t stack_buf[NSETS * 2 * SELECT_STACK_FDS / BITS_PER_WORD];
	struct pollfd stack_fds[SELECT_STACK_FDS];
	bool small = n <= SELECT_STACK_FDS;
	uint64_t *buf = small ? stack_buf : kmalloc(NSETS * 2 * words * sizeof(uint64_t) + 1);
	struct pollfd *fds = small ? stack_fds : kmalloc(sizeof(*fds) * (n ? n : 1));
	long r = buf && fds ? 0 : -ENOMEM;
	if (buf)
		memset(buf, 0, NSETS * 2 * words * sizeof(uint64_t));
	uint64_t *sets[NSETS];
	for (int s = 0; s < NSETS && r == 0; s++) {
		sets[s] = buf + s * 2 * words;
		if (user_sets[s] && copy_from_user(sets[s], user_sets[s], words * sizeof(uint64_t)))
			r = -EFAULT;
	}
	long count = r ? r : sets_to_pollfds(sets, n, fds);
	if (count >= 0)
		r = poll_files(fds, (unsigned)count, deadline);
	else
		r = count;
	if (r >= 0) {
		r = pollfds_to_sets(fds, count, sets, words);
		for (int s = 0; s < NSETS; s++)
			if (user_sets[s] && copy_to_user(user_sets[s], sets[s], words * sizeof(uint64_t)))
				r = -EFAULT;
	}
	if (!small) {
		kfree(fds);
		kfree(buf);
	}
	return r;
}

long sys_select(int n, unsigned long __user *inp, unsigned long __user *outp, unsigned long __user *exp,
		struct timeval __user *tvp)
{
	uint64_t deadline = UINT64_MAX;
	if (tvp) {
		struct timeval tv;
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux carries whole seconds out of tv_usec rather than refusing
		 * them; and centuries are as good as for ever. */
		uint64_t sec = MIN((uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / 1000000, TIMEOUT_FOREVER / NSEC_PER_SEC);
		deadline = poll_deadline_ns(sec * NSEC_PER_SEC + (uint64_t)tv.tv_usec % 1000000 * 1000);
	}
	long r = do_select(n, inp, outp, exp, deadline);
	return tvp ? poll_time_left(tvp, deadline, true, r) : r;
}

/* pselect6's sixth argument: where the signal mask is, and its size. */
struct pselect_sigmask {
	const kernel_sigset_t __user *set;
	size_t size;
};

static int pselect_mask_from_user(const void __user *sig)
{
	struct pselect_sigmask m;
	if (!sig)
		return 0;
	if (copy_from_user(&m, sig, sizeof(m)))
		return -EFAULT;
	return set_temporary_sigmask(m.set, m.size);
}

long sys_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp, unsigned long __user *exp,
		  struct timespec __user *tsp, const void __user *sig)
{
	uint64_t deadline;
	int err = poll_timeout_from_user(tsp, &deadline);
	if (!err)
		err = pselect_mask_from_user(sig);
	if (err)
		return err;
	long r = do_select(n, inp, outp, exp, deadline);
	return tsp ? poll_time_left(tsp, deadline, false, r) : r;
}
