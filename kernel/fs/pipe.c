/*
 * Pipes (course section: processes; the integrated event system).
 *
 * A pipe is a ring buffer in the kernel with two open files: a read end and
 * a write end. Readers sleep while it is empty, writers while it is full,
 * both on the pipe's one wait queue. The rules programs rely on:
 *   - read returns 0 (end of file) once the buffer is empty and no write
 *     end is open any more: that is how `cat | wc` knows the input ended;
 *   - write with no read end open fails with EPIPE and sends SIGPIPE;
 *   - a write of at most PIPE_BUF bytes is atomic: its bytes are never
 *     interleaved with another writer's;
 *   - with O_NONBLOCK, EAGAIN instead of sleeping.
 * The poll operation reports the same conditions, so poll and epoll wait
 * on exactly what a blocking read or write would wait for.
 *
 * A FIFO (named pipe, made by mknod or mkfifo) is the same ring, found
 * through a name: every open of the name joins the one pipe its inode
 * holds while anyone has it open (fifo_open).
 */
#include "kernel/fs/pipe.h"
#include "kernel/cred/cred.h"
#include "libc/include/abi/capability.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "arch/x86_64/x86.h"
#include "kernel/signal/signal.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/ioctl.h"
#include "libc/include/abi/stat.h"
#include "libc/include/abi/fcntl.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define PIPE_SIZE 65536         /* Linux's default capacity */
#define PIPE_MAX_SIZE (1 << 20) /* Linux's default /proc/sys/fs/pipe-max-size */
#define PIPE_BUF 4096           /* writes up to this size are atomic */

long pipe_max_size = PIPE_MAX_SIZE; /* /proc/sys/fs/pipe-max-size */

struct pipe {
	char *buf;
	size_t size;          /* the capacity: PIPE_SIZE unless F_SETPIPE_SZ changed it */
	size_t head, count;   /* data is buf[head .. head+count) modulo size */
	int readers, writers; /* open ends */
	unsigned r_opened, w_opened; /* opens so far: a FIFO's blocked open waits for the other side's */
	struct inode *fifo;   /* the FIFO's inode, which points back at us; NULL for pipe() */
	struct wait_queue wait;
};

static size_t space(const struct pipe *p)
{
	return p->size - p->count;
}

/* Copy between the ring and user memory, in at most two pieces. */
static int ring_copy(struct pipe *p, char __user *ubuf, size_t n, bool to_user)
{
	size_t start = to_user ? p->head : (p->head + p->count) % p->size;
	size_t first = MIN(n, p->size - start);
	int err = to_user ? copy_to_user(ubuf, p->buf + start, first) : copy_from_user(p->buf + start, ubuf, first);
	if (!err && n > first)
		err = to_user ? copy_to_user(ubuf + first, p->buf, n - first)
			      : copy_from_user(p->buf, ubuf + first, n - first);
	return err;
}

static ssize_t pipe_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct pipe *p = f->private;
	if (n == 0)
		return 0;
	if (p->count == 0 && p->writers > 0 && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&p->wait, p->count > 0 || p->writers == 0);
	if (err)
		return err;
	n = MIN(n, p->count);
	if (ring_copy(p, buf, n, true))
		return -EFAULT;
	p->head = (p->head + n) % p->size;
	p->count -= n;
	wake_up(&p->wait, POLLOUT | POLLWRNORM);
	return n;
}

static void send_sigpipe(void)
{
	ksiginfo_t info = { .si_signo = SIGPIPE, .si_code = SI_USER };
	info.fields.kill.si_pid = current->pid;
	send_signal_thread(current, SIGPIPE, &info); /* for the writer itself, as on Linux */
}

static ssize_t pipe_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	struct pipe *p = f->private;
	size_t done = 0;
	/* An atomic write waits for room for all of it; a larger one goes in
	 * pieces as readers make room. */
	size_t need = n <= PIPE_BUF ? n : 1;
	while (done < n) {
		if (p->readers == 0) {
			send_sigpipe();
			return done ? (ssize_t)done : -EPIPE;
		}
		if (space(p) < need) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			int err = wait_event_interruptible(&p->wait, space(p) >= need || p->readers == 0);
			if (err)
				return done ? (ssize_t)done : err;
			continue;
		}
		size_t chunk = MIN(n - done, space(p));
		if (ring_copy(p, (char __user *)buf + done, chunk, false))
			return done ? (ssize_t)done : -EFAULT;
		p->count += chunk;
		done += chunk;
		wake_up(&p->wait, POLLIN | POLLRDNORM);
	}
	return done;
}

static uint32_t pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->private;
	poll_wait(pt, &p->wait);
	uint32_t events = 0;
	if (file_readable(f)) {
		if (p->count > 0)
			events |= POLLIN | POLLRDNORM;
		if (p->writers == 0)
			events |= POLLHUP;
	}
	if (file_writable(f)) {
		if (space(p) >= PIPE_BUF)
			events |= POLLOUT | POLLWRNORM;
		if (p->readers == 0)
			events |= POLLERR;
	}
	return events;
}

/* FIONREAD: how many bytes a read could take now (shells and `cat` use it
 * to size their reads; Linux answers it on either end). */
static long pipe_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	struct pipe *p = f->private;
	if (cmd != FIONREAD)
		return -ENOTTY;
	int waiting = (int)p->count;
	return copy_to_user((void __user *)arg, &waiting, sizeof(waiting)) ? -EFAULT : 0;
}

/*
 * F_SETPIPE_SZ: a new capacity, rounded up as Linux rounds it (a power of
 * two pages, at least one). The bytes inside move to the new buffer in
 * order; a size too small for them is EBUSY. Above pipe-max-size a pipe
 * needs CAP_SYS_RESOURCE, as on Linux: a pipe's buffer is kernel memory.
 */
static long pipe_set_size(struct pipe *p, unsigned long want)
{
	if (want > (unsigned long)INT32_MAX)
		return -EINVAL;
	if (want > (unsigned long)pipe_max_size && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	size_t size = PAGE_SIZE;
	while (size < want)
		size *= 2;
	if (size < p->count)
		return -EBUSY;
	if (size == p->size)
		return (long)size;
	char *buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	size_t first = MIN(p->count, p->size - p->head);
	memcpy(buf, p->buf + p->head, first);
	memcpy(buf + first, p->buf, p->count - first);
	kfree(p->buf);
	p->buf = buf;
	p->size = size;
	p->head = 0;
	wake_up(&p->wait, POLLOUT | POLLWRNORM); /* a bigger pipe has room */
	return (long)size;
}


static void pipe_free(struct pipe *p);

static void pipe_release(struct file *f)
{
	struct pipe *p = f->private;
	if (file_readable(f))
		p->readers--;
	if (file_writable(f))
		p->writers--;
	wake_up_all(&p->wait); /* readers may now see EOF, writers EPIPE */
	if (p->readers == 0 && p->writers == 0)
		pipe_free(p);
}

static void pipe_free(struct pipe *p)
{
	if (p->fifo)
		p->fifo->dev_data = NULL; /* the next open of the name starts a new pipe */
	kfree(p->buf);
	kfree(p);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
	.anon_mode = S_IFIFO | 0600,
};

long pipe_fcntl(struct file *f, unsigned cmd, unsigned long arg)
{
	if (f->ops != &pipe_ops)
		return -EBADF; /* Linux's answer for a file that is not a pipe */
	struct pipe *p = f->private;
	return cmd == F_SETPIPE_SZ ? pipe_set_size(p, arg) : (long)p->size;
}

int pipe_create(struct file **read_end, struct file **write_end, int flags)
{
	struct pipe *p = kzalloc(sizeof(*p));
	char *buf = kmalloc(PIPE_SIZE);
	struct file *r = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	struct file *w = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!p || !buf || !r || !w) {
		kfree(p);
		kfree(buf);
		kfree(r);
		kfree(w);
		return -ENOMEM;
	}
	p->buf = buf;
	p->size = PIPE_SIZE;
	p->readers = p->writers = 1;
	wait_queue_init(&p->wait);
	*read_end = r;
	*write_end = w;
	return 0;
}

/* --- the kernel's own side: splice, tee and sendfile (kernel/fs/splice.c) ----------------- */

bool file_is_pipe(const struct file *f)
{
	return f->ops == &pipe_ops;
}

/* Sleep until there is data, or no writer is left (then 0: end of file). */
int pipe_wait_data(struct file *f, bool nonblock)
{
	struct pipe *p = f->private;
	if (p->count == 0 && p->writers > 0 && nonblock)
		return -EAGAIN;
	return wait_event_interruptible(&p->wait, p->count > 0 || p->writers == 0);
}

/* Sleep until there is room; EPIPE (and SIGPIPE) when nobody can read. */
int pipe_wait_room(struct file *f, bool nonblock)
{
	struct pipe *p = f->private;
	if (p->readers == 0) {
		send_sigpipe();
		return -EPIPE;
	}
	if (space(p) == 0 && nonblock)
		return -EAGAIN;
	int err = wait_event_interruptible(&p->wait, space(p) > 0 || p->readers == 0);
	if (!err && p->readers == 0) {
		send_sigpipe();
		return -EPIPE;
	}
	return err;
}

/* Copy up to n bytes of data, from skip bytes in, without taking them. */
size_t pipe_peek(struct file *f, void *buf, size_t n, size_t skip)
{
	struct pipe *p = f->private;
	if (skip >= p->count)
		return 0;
	n = MIN(n, p->count - skip);
	size_t start = (p->head + skip) % p->size;
	size_t first = MIN(n, p->size - start);
	memcpy(buf, p->buf + start, first);
	memcpy((char *)buf + first, p->buf, n - first);
	return n;
}

/* Take n bytes already peeked: room for writers. */
void pipe_consume(struct file *f, size_t n)
{
	struct pipe *p = f->private;
	n = MIN(n, p->count);
	p->head = (p->head + n) % p->size;
	p->count -= n;
	wake_up(&p->wait, POLLOUT | POLLWRNORM);
}

/* Append as much of buf as fits; how much did. */
size_t pipe_put(struct file *f, const void *buf, size_t n)
{
	struct pipe *p = f->private;
	n = MIN(n, space(p));
	size_t start = (p->head + p->count) % p->size;
	size_t first = MIN(n, p->size - start);
	memcpy(p->buf + start, buf, first);
	memcpy(p->buf, (const char *)buf + first, n - first);
	p->count += n;
	if (n)
		wake_up(&p->wait, POLLIN | POLLRDNORM);
	return n;
}

/* Do two ends belong to the same pipe? */
bool pipe_same(const struct file *a, const struct file *b)
{
	return a->private == b->private;
}

/* --- FIFOs --------------------------------------------------------------------------------- */

static struct pipe *pipe_alloc(void)
{
	struct pipe *p = kzalloc(sizeof(*p));
	char *buf = kmalloc(PIPE_SIZE);
	if (!p || !buf) {
		kfree(p);
		kfree(buf);
		return NULL;
	}
	p->buf = buf;
	p->size = PIPE_SIZE;
	wait_queue_init(&p->wait);
	return p;
}

/*
 * Opening a FIFO: for reading, wait until a writer has opened it too; for
 * writing, until a reader has. O_NONBLOCK never waits: a reader opens at
 * once, a writer with no reader gets ENXIO. O_RDWR is both ends and never
 * waits (Linux's choice; POSIX leaves it open).
 */
static int fifo_open(struct inode *i, struct file *f)
{
	struct pipe *p = i->dev_data;
	int acc = f->flags & O_ACCMODE;
	bool nonblock = f->flags & O_NONBLOCK;
	if (!p && acc == O_WRONLY && nonblock)
		return -ENXIO;
	if (!p) {
		p = pipe_alloc();
		if (!p)
			return -ENOMEM;
		p->fifo = i;
		i->dev_data = p;
	}
	if (acc == O_WRONLY && nonblock && p->readers == 0)
		return -ENXIO;
	f->ops = &pipe_ops;
	f->private = p;
	unsigned r_seen = p->r_opened, w_seen = p->w_opened;
	if (acc != O_WRONLY) {
		p->readers++;
		p->r_opened++;
	}
	if (acc != O_RDONLY) {
		p->writers++;
		p->w_opened++;
	}
	wake_up_all(&p->wait); /* an open waiting for our side goes on */
	int err = 0;
	if (acc == O_RDONLY && !nonblock)
		err = wait_event_interruptible(&p->wait, p->writers > 0 || p->w_opened != w_seen);
	else if (acc == O_WRONLY)
		err = wait_event_interruptible(&p->wait, p->readers > 0 || p->r_opened != r_seen);
	if (err) { /* interrupted: a failed open has no release, so undo our count here */
		if (acc != O_WRONLY)
			p->readers--;
		if (acc != O_RDONLY)
			p->writers--;
		if (p->readers == 0 && p->writers == 0)
			pipe_free(p);
	}
	return err;
}

static const struct file_ops fifo_ops = { .open = fifo_open };

void fifo_init_inode(struct inode *i)
{
	i->dev_ops = &fifo_ops;
	i->dev_data = NULL;
}

long sys_pipe2(int __user fds[2], int flags)
{
	if (flags & ~(O_NONBLOCK | O_CLOEXEC | O_DIRECT))
		return -EINVAL;
	struct file *r, *w;
	int err = pipe_create(&r, &w, flags);
	if (err)
		return err;
	int fd[2];
	fd[0] = fd_install(r, 0, flags & O_CLOEXEC);
	if (fd[0] < 0) {
		file_put(r);
		file_put(w);
		return fd[0];
	}
	fd[1] = fd_install(w, 0, flags & O_CLOEXEC);
	if (fd[1] < 0) {
		fd_close(fd[0]);
		file_put(w);
		return fd[1];
	}
	if (copy_to_user(fds, fd, sizeof(fd))) {
		fd_close(fd[0]);
		fd_close(fd[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_pipe(int __user fds[2])
{
	return sys_pipe2(fds, 0);
}
