/*
 * The checkers' files in /proc (course section: kernel debugging
 * techniques): the tunables Linux keeps under /proc/sys/kernel/, and
 * /proc/sysrq-trigger.
 *
 *   /proc/sys/kernel/watchdog_thresh   seconds; a soft lockup is reported
 *                                      after twice this (0: off)
 *   /proc/sysrq-trigger                write a letter: kernel/debug/sysrq.c
 *
 * A tunable reads as its number and a line feed, and takes a new number
 * written in decimal (EINVAL for anything else), as Linux's sysctl files do.
 */
#include "kernel/debug/knobs.h"
#include "kernel/debug/sysrq.h"
#include "kernel/debug/watchdog.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "libc/format.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/stat.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

struct knob {
	int *value;
	int min, max;
};

static struct knob watchdog_knob = { &watchdog_thresh, 0, 60 };

static ssize_t knob_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	const struct knob *k = f->inode->dev_data;
	char text[16];
	size_t len = 0;
	int v = *k->value; /* never negative: min is 0 */
	char digits[12];
	int nd = 0;
	do
		digits[nd++] = (char)('0' + v % 10);
	while ((v /= 10) > 0);
	while (nd)
		text[len++] = digits[--nd];
	text[len++] = '\n';
	return read_from_buffer(buf, n, pos, text, len);
}

static ssize_t knob_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	const struct knob *k = f->inode->dev_data;
	char text[16];
	if (n == 0 || n >= sizeof(text))
		return -EINVAL;
	if (copy_from_user(text, buf, n))
		return -EFAULT;
	long v = 0;
	size_t i = 0;
	for (; i < n && text[i] >= '0' && text[i] <= '9'; i++)
		v = v * 10 + (text[i] - '0');
	if (i == 0 || (i < n && text[i] != '\n') || v < k->min || v > k->max)
		return -EINVAL;
	*k->value = (int)v;
	*pos += n;
	return n;
}

static const struct file_ops knob_ops = { .read = knob_read, .write = knob_write };

/* Each letter written runs that command (Linux: only the first; the rest
 * of the line is ignored -- so here too). */
static ssize_t sysrq_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f;
	char key;
	if (n == 0)
		return 0;
	if (copy_from_user(&key, buf, 1))
		return -EFAULT;
	sysrq_handle(key);
	*pos += n;
	return n;
}

static const struct file_ops sysrq_ops = { .write = sysrq_write };

static struct inode *subdir(struct inode *parent, const char *name)
{
	if (!parent)
		return NULL;
	struct inode *d = dir_lookup(parent, name);
	if (!d && dir_create(parent, name, S_IFDIR | 0555, &d))
		return NULL;
	return d;
}

static void add(struct inode *dir, const char *name, unsigned mode, const struct file_ops *ops, void *data)
{
	struct inode *i;
	if (!dir || dir_create(dir, name, S_IFREG | mode, &i))
		return;
	i->dev_ops = ops;
	i->dev_data = data;
}

void knobs_init(void)
{
	struct inode *proc = dir_lookup(root_inode, "proc");
	if (!proc)
		return;
	struct inode *kernel = subdir(subdir(proc, "sys"), "kernel");
	add(kernel, "watchdog_thresh", 0644, &knob_ops, &watchdog_knob);
	add(proc, "sysrq-trigger", 0200, &sysrq_ops, NULL);
}
