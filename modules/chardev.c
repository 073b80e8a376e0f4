/*
 * chardev: a character device, /dev/hello (course section: loadable modules;
 * files).
 *
 * A device is a file whose operations are the driver's functions. Here:
 *   read   returns the stored message (from the file position, so `cat`
 *          shows it once and then sees end of file);
 *   write  replaces the message (`echo hi > /dev/hello`);
 *   ioctl  HELLO_GET_LENGTH, HELLO_GET_MESSAGE, HELLO_SET_MESSAGE, HELLO_CLEAR;
 *   poll   readable while there is a message, always writable.
 * .owner = THIS_MODULE makes every open file hold the module: rmmod
 * chardev fails with EBUSY until the last one is closed.
 */
#include "kernel/module/module_api.h"

MODULE_NAME("chardev");
MODULE_DESCRIPTION("/dev/hello: read, write, ioctl and poll a stored message");

#define MESSAGE_MAX 256
/* ioctl numbers: 'h' and a command number, as Linux's _IO(...) macros would make. */
#define HELLO_GET_LENGTH 0x6801
#define HELLO_GET_MESSAGE 0x6802
#define HELLO_SET_MESSAGE 0x6803
#define HELLO_CLEAR 0x6804

static char message[MESSAGE_MAX] = "Hello from the chardev module!\n";
static size_t length;
static struct wait_queue changed;

static ssize_t hello_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)f;
	if (*pos >= (off_t)length)
		return 0;
	n = n < length - *pos ? n : length - *pos;
	if (copy_to_user(buf, message + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
}

static ssize_t hello_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f;
	(void)pos;
	if (n >= MESSAGE_MAX)
		return -ENOSPC;
	char tmp[MESSAGE_MAX];
	if (copy_from_user(tmp, buf, n))
		return -EFAULT;
	memcpy(message, tmp, n);
	message[n] = 0; /* HELLO_GET_MESSAGE hands out a C string */
	length = n;
	wake_up(&changed, POLLIN | POLLRDNORM);
	return n;
}

static long hello_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	(void)f;
	switch (cmd) {
	case HELLO_GET_LENGTH:
		return (long)length;
	case HELLO_GET_MESSAGE:
		return copy_to_user((void __user *)arg, message, length + 1) ? -EFAULT : (long)length;
	case HELLO_SET_MESSAGE: {
		char tmp[MESSAGE_MAX];
		long n = strncpy_from_user(tmp, (const char __user *)arg, sizeof(tmp));
		if (n < 0)
			return n == -ENAMETOOLONG ? -ENOSPC : n;
		strcpy(message, tmp);
		length = (size_t)n;
		wake_up(&changed, POLLIN | POLLRDNORM);
		return 0;
	}
	case HELLO_CLEAR:
		length = 0;
		message[0] = 0;
		return 0;
	default:
		return -ENOTTY;
	}
}

static uint32_t hello_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	poll_wait(pt, &changed);
	return (length ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static const struct file_ops hello_ops = {
	.read = hello_read,
	.write = hello_write,
	.ioctl = hello_ioctl,
	.poll = hello_poll,
	.owner = THIS_MODULE,
};

static int chardev_init(void)
{
	length = strlen(message);
	wait_queue_init(&changed);
	return register_chardev("hello", &hello_ops);
}

static void chardev_exit(void)
{
	unregister_chardev("hello");
}

module_init(chardev_init);
module_exit(chardev_exit);
