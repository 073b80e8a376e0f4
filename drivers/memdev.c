/*
 * /dev/null and /dev/zero (course section: files; devices).
 *
 * The smallest devices: a file whose operations are all there is to it.
 * /dev/null: reads give end of file, writes are accepted and dropped.
 * /dev/zero: reads give zeros, writes are dropped, and mmap gives memory
 * (private or shared) as MAP_ANONYMOUS does.
 */
#include "drivers/memdev.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

static ssize_t null_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)n, (void)pos;
	return 0;
}

static ssize_t discard_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return n;
}

static ssize_t zero_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)f, (void)pos;
	return clear_user(buf, n) ? -EFAULT : (ssize_t)n;
}

static const struct file_ops null_ops = { .read = null_read, .write = discard_write, .seekable = true };
/* mmap of /dev/zero is how programs got zeroed memory before MAP_ANONYMOUS. */
static const struct file_ops zero_ops = {
	.read = zero_read, .write = discard_write, .seekable = true, .mmap_anonymous = true
};

void memdev_init(void)
{
	dev_register("null", &null_ops, NULL, 0x103);
	dev_register("zero", &zero_ops, NULL, 0x105);
}
