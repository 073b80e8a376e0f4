/*
 * signalfd: receiving signals by reading a file (course section: signals;
 * the integrated event system).
 *
 * A signal handler interrupts a program at any instruction, which makes it
 * hard to write correctly. signalfd turns signals back into data: the
 * program blocks the signals (so no handler runs and they stay pending),
 * and reads them from a file as struct signalfd_siginfo records -- when it
 * wants, or when epoll says the file is readable. send_signal() wakes the
 * task's signal wait queue, which is what a signalfd's poll registers on.
 */
#include "kernel/fs/file.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/events.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define UNCATCHABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

struct signalfd {
	kernel_sigset_t mask;
};

static const struct file_ops signalfd_ops;

static kernel_sigset_t ready_signals(const struct signalfd *s)
{
	return sigpending_all(current) & s->mask;
}

static void to_record(const ksiginfo_t *info, struct signalfd_siginfo *r)
{
	memset(r, 0, sizeof(*r));
	r->ssi_signo = info->si_signo;
	r->ssi_errno = info->si_errno;
	r->ssi_code = info->si_code;
	if (info->si_signo == SIGCHLD) {
		r->ssi_pid = info->fields.chld.si_pid;
		r->ssi_uid = info->fields.chld.si_uid;
		r->ssi_status = info->fields.chld.si_status;
		r->ssi_utime = info->fields.chld.si_utime;
		r->ssi_stime = info->fields.chld.si_stime;
	} else if (info->si_signo == SIGSEGV || info->si_signo == SIGBUS || info->si_signo == SIGILL ||
		   info->si_signo == SIGFPE || info->si_signo == SIGTRAP) {
		r->ssi_addr = (uint64_t)info->fields.fault.si_addr;
	} else {
		r->ssi_pid = info->fields.kill.si_pid;
		r->ssi_uid = info->fields.kill.si_uid;
		r->ssi_int = info->fields.kill.si_value.sival_int;
		r->ssi_ptr = (uint64_t)info->fields.kill.si_value.sival_ptr;
	}
}

static ssize_t signalfd_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct signalfd *s = f->private;
	struct task *t = current;
	size_t max = n / sizeof(struct signalfd_siginfo);
	if (max == 0)
		return -EINVAL;
	if (!ready_signals(s) && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&t->signal_wait, ready_signals(s) != 0);
	if (err)
		return err;
	size_t done = 0;
	ksiginfo_t info;
	/* Each signal read is consumed: it will not be delivered. As on Linux,
	 * one that cannot be copied out is lost. */
	while (done < max && sigpending_take(t, s->mask, &info)) {
		struct signalfd_siginfo rec;
		to_record(&info, &rec);
		if (copy_to_user((char __user *)buf + done * sizeof(rec), &rec, sizeof(rec)))
			return done ? (ssize_t)(done * sizeof(rec)) : -EFAULT;
		done++;
	}
	return done * sizeof(struct signalfd_siginfo);
}

static uint32_t signalfd_poll(struct file *f, struct poll_table *pt)
{
	struct signalfd *s = f->private;
	poll_wait(pt, &current->signal_wait);
	return ready_signals(s) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops signalfd_ops = {
	.read = signalfd_read,
	.anon_name = "[signalfd]",
	.poll = signalfd_poll,
	.release = signalfd_release,
};

long sys_signalfd4(int fd, const kernel_sigset_t __user *umask, size_t sizemask, int flags)
{
	/* Linux's order: the size, the mask, then the flags. */
	if (sizemask != sizeof(kernel_sigset_t))
		return -EINVAL;
	kernel_sigset_t mask;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~UNCATCHABLE;
	if (fd != -1) { /* change the mask of an existing signalfd */
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		if (f->ops != &signalfd_ops)
			return -EINVAL;
		((struct signalfd *)f->private)->mask = mask;
		return fd;
	}
	struct signalfd *s = kzalloc(sizeof(*s));
	struct file *f = s ? file_alloc(&signalfd_ops, O_RDWR | (flags & SFD_NONBLOCK), s) : NULL;
	if (!f) {
		kfree(s);
		return -ENOMEM;
	}
	s->mask = mask;
	int nfd = fd_install(f, 0, flags & SFD_CLOEXEC);
	if (nfd < 0)
		file_put(f);
	return nfd;
}

long sys_signalfd(int fd, const kernel_sigset_t __user *mask, size_t sizemask)
{
	return sys_signalfd4(fd, mask, sizemask, 0);
}
