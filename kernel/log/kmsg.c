/*
 * /dev/kmsg: the kernel log as a file of records (course section: the
 * kernel's own tools).
 *
 * Each open file remembers the sequence number of the next record it will
 * read (in f->pos); a new one starts at the oldest record still in the
 * ring. read() returns exactly one record, "PRIO,SEQ,MICROSECONDS,-;text\n"
 * (EINVAL if the buffer is too small for it), waits for the next one when
 * there is none (EAGAIN with O_NONBLOCK), and says EPIPE once when records
 * it had not read yet were overwritten. lseek(fd, 0, SEEK_SET / SEEK_DATA /
 * SEEK_END) moves to the oldest record, the first after the last clear, or
 * past the newest. write() adds a record: "<N>text" gives level N & 7 (and
 * the facility N >> 3, the user's if none), as a program's log line.
 */
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/log/log_buffer.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/seek.h"
#include "libc/include/abi/syslog.h"
#include "mm/uaccess.h"

#define KMSG_RDEV 0x10b /* major 1, minor 11, as on Linux */
#define KMSG_WRITE_MAX 1024

static int kmsg_open(struct inode *inode, struct file *f)
{
	(void)inode;
	f->pos = (off_t)log_first_seq();
	return 0;
}

static ssize_t kmsg_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	if ((f->flags & O_NONBLOCK) && (uint64_t)*pos >= log_next_seq())
		return -EAGAIN;
	int err = wait_event_interruptible(&log_readers, (uint64_t)*pos < log_next_seq());
	if (err)
		return err;
	if ((uint64_t)*pos < log_first_seq()) {
		*pos = (off_t)log_first_seq(); /* overwritten: say so, go on from the oldest */
		return -EPIPE;
	}
	char line[LOG_TEXT_MAX * 4 + 64]; /* every byte may become \xNN */
	size_t len = log_format_kmsg((uint64_t)*pos, line, sizeof(line));
	if (len > n)
		return -EINVAL;
	if (copy_to_user(buf, line, len))
		return -EFAULT;
	(*pos)++;
	return (ssize_t)len;
}

/* "<N>" at the start of a written line: its priority; the prefix's length. */
static size_t parse_priority(const char *s, size_t n, unsigned *prio)
{
	unsigned v = 0;
	size_t i = 1;
	if (n < 3 || s[0] != '<')
		return 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9' && v < 1024; i++)
		v = v * 10 + (unsigned)(s[i] - '0');
	if (i == 1 || i >= n || s[i] != '>')
		return 0;
	*prio = (v & ~LOG_LEVEL_MASK) ? v : (LOG_USER_FACILITY << 3 | v);
	return i + 1;
}

static ssize_t kmsg_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)pos;
	char text[KMSG_WRITE_MAX];
	if (n > sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, n))
		return -EFAULT;
	unsigned prio = LOG_USER_FACILITY << 3 | LOG_DEFAULT_LEVEL;
	size_t skip = parse_priority(text, n, &prio);
	size_t len = n - skip;
	if (len > 0 && text[skip + len - 1] == '\n')
		len--;
	log_add_record(prio, text + skip, len);
	return (ssize_t)n;
}

static long kmsg_llseek(struct file *f, off_t offset, int whence)
{
	if (offset)
		return -ESPIPE;
	switch (whence) {
	case SEEK_SET:
		f->pos = (off_t)log_first_seq();
		return 0;
	case SEEK_DATA:
		f->pos = (off_t)log_clear_seq();
		return 0;
	case SEEK_END:
		f->pos = (off_t)log_next_seq();
		return 0;
	default:
		return -EINVAL;
	}
}

static uint32_t kmsg_poll(struct file *f, struct poll_table *pt)
{
	poll_wait(pt, &log_readers);
	return ((uint64_t)f->pos < log_next_seq() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static const struct file_ops kmsg_ops = {
	.open = kmsg_open,
	.read = kmsg_read,
	.write = kmsg_write,
	.poll = kmsg_poll,
	.llseek = kmsg_llseek,
	.seekable = true,
};

void kmsg_init(void)
{
	dev_register("kmsg", &kmsg_ops, NULL, KMSG_RDEV);
}
