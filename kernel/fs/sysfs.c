/*
 * sysfs: the kernel's objects as files (course section: procfs and sysfs).
 *
 * /proc began as "one directory per process" and grew everything else;
 * /sys was designed instead: one directory per kernel object (a module, a
 * device, a class of devices), one small file per attribute holding one
 * value as text, and symbolic links for the relations between objects (a
 * device's `subsystem` is its class). Programs read a value with cat and
 * set one with echo -- `echo 5 > /sys/module/hello/parameters/times` --
 * and the object sees the new value at once, because reading and writing
 * call the object's show and store functions: there is no stored copy.
 *
 * This file is the mechanism; the objects register themselves:
 * modules (kernel/module/module_sysfs.c), devices and their classes
 * (kernel/fs/sysfs_devices.c). As in /proc, the names are the kernel's:
 * programs cannot create or remove files here.
 */
#include "kernel/fs/sysfs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/net/uevent.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

static struct inode *sys_root;

/* What a sysfs file's inode points at (dev_data); NULL once the object is gone. */
struct sysfs_node {
	const struct sysfs_attr *attr;
	void *obj;
	const void *arg;
	bool owns_attr; /* the attribute was made for this file: freed with it */
};

/* An open file's text: what show gave at open (Linux also fills the
 * buffer once, so a reader sees one consistent value). */
struct sysfs_open {
	char *buf;
	size_t len;
};

static int sysfs_open(struct inode *inode, struct file *f)
{
	const struct sysfs_node *n = inode->dev_data;
	if (!n)
		return -ENODEV;
	/* Linux refuses to open for an access the attribute has no function for. */
	if ((file_readable(f) && !n->attr->show) || (file_writable(f) && !n->attr->store))
		return -EACCES;
	struct sysfs_open *o = kzalloc(sizeof(*o));
	if (!o)
		return -ENOMEM;
	if (n->attr->show) {
		o->buf = kmalloc(SYSFS_VALUE_MAX);
		ssize_t len = o->buf ? n->attr->show(n->obj, n->arg, o->buf) : -ENOMEM;
		if (len < 0) {
			kfree(o->buf);
			kfree(o);
			return (int)len;
		}
		o->len = (size_t)len;
	}
	f->private = o;
	return 0;
}

static ssize_t sysfs_read(struct file *f, void __user *ubuf, size_t n, off_t *pos)
{
	struct sysfs_open *o = f->private;
	return read_from_buffer(ubuf, n, pos, o->buf, o->len);
}

/* A write is one value: at most a page, handed to store as a string. */
static ssize_t sysfs_write(struct file *f, const void __user *ubuf, size_t n, off_t *pos)
{
	(void)pos;
	const struct sysfs_node *node = f->inode->dev_data;
	if (!node)
		return -ENODEV;
	n = MIN(n, (size_t)SYSFS_VALUE_MAX - 1);
	char *text = kmalloc(n + 1);
	if (!text)
		return -ENOMEM;
	ssize_t r = copy_from_user(text, ubuf, n) ? -EFAULT : 0;
	if (!r) {
		text[n] = 0;
		r = node->attr->store(node->obj, node->arg, text, n);
	}
	kfree(text);
	return r;
}

static void sysfs_release(struct file *f)
{
	struct sysfs_open *o = f->private;
	kfree(o->buf);
	kfree(o);
}

static const struct file_ops sysfs_ops = {
	.open = sysfs_open,
	.read = sysfs_read,
	.write = sysfs_write,
	.release = sysfs_release,
	.seekable = true,
};

/* --- the tree ------------------------------------------------------------------------------ */

static struct inode *root(void)
{
	if (!sys_root) {
		sys_root = dir_lookup(root_inode, "sys");
		if (!sys_root && dir_create(root_inode, "sys", S_IFDIR | 0555, &sys_root))
			return NULL;
		fs_mount(sys_root, FS_SYS);
	}
	return sys_root;
}

struct inode *sysfs_mkdir(const char *path)
{
	struct inode *dir = root();
	char part[NAME_MAX + 1];
	while (dir && *path) {
		size_t n = 0;
		while (*path && *path != '/' && n < NAME_MAX)
			part[n++] = *path++;
		part[n] = 0;
		while (*path == '/')
			path++;
		if (!n)
			continue;
		struct inode *next = dir_lookup(dir, part);
		if (!next && dir_create(dir, part, S_IFDIR | 0755, &next))
			return NULL;
		dir = inode_is_dir(next) ? next : NULL;
	}
	return dir;
}

static int add_file(struct inode *dir, const struct sysfs_attr *a, void *obj, const void *arg, bool owns)
{
	struct sysfs_node *n = kmalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = (struct sysfs_node){ a, obj, arg, owns };
	unsigned mode = S_IFREG | (a->show ? 0444 : 0) | (a->store ? 0200 : 0);
	struct inode *i;
	int err = dir_create(dir, a->name, mode, &i);
	if (err) {
		kfree(n);
		return err;
	}
	i->dev_ops = &sysfs_ops;
	i->dev_data = n;
	i->size = SYSFS_VALUE_MAX; /* what Linux's stat says of every attribute */
	return 0;
}

int sysfs_add_file(struct inode *dir, const struct sysfs_attr *a, void *obj, const void *arg)
{
	return add_file(dir, a, obj, arg, false);
}

int sysfs_add_file_owned(struct inode *dir, struct sysfs_attr *a, void *obj, const void *arg)
{
	return add_file(dir, a, obj, arg, true);
}

int sysfs_symlink(struct inode *dir, const char *name, const char *target)
{
	return dir_symlink(dir, name, target);
}

/* Empty dir and remove it from parent under name. */
static void remove_tree(struct inode *parent, const char *name)
{
	struct inode *i = dir_lookup(parent, name);
	if (!i)
		return;
	if (!inode_is_dir(i)) {
		if (i->dev_ops == &sysfs_ops) {
			struct sysfs_node *n = i->dev_data;
			if (n && n->owns_attr)
				kfree((void *)n->attr);
			kfree(n);
			i->dev_data = NULL; /* an open file answers ENODEV from now on */
		}
		dir_unlink(parent, name, false);
		return;
	}
	const char *child;
	struct inode *ci;
	while (dir_entry_at(i, 2, &child, &ci)) { /* 0, 1: "." and ".." */
		char copy[NAME_MAX + 1];
		strncpy(copy, child, NAME_MAX);
		copy[NAME_MAX] = 0;
		remove_tree(i, copy);
	}
	dir_unlink(parent, name, true);
}

void sysfs_remove(const char *path)
{
	char dirpath[256];
	strncpy(dirpath, path, sizeof(dirpath) - 1);
	dirpath[sizeof(dirpath) - 1] = 0;
	char *slash = strrchr(dirpath, '/');
	const char *name = slash ? slash + 1 : dirpath;
	struct inode *parent = root();
	if (slash) {
		*slash = 0;
		parent = sysfs_mkdir(dirpath);
	}
	if (parent)
		remove_tree(parent, name);
}

/* --- small helpers for show functions --------------------------------------------------------- */

ssize_t sysfs_emit_str(char *buf, const char *s)
{
	size_t n = strlen(s);
	if (n > SYSFS_VALUE_MAX - 2)
		n = SYSFS_VALUE_MAX - 2;
	memcpy(buf, s, n);
	buf[n] = '\n';
	return (ssize_t)n + 1;
}

ssize_t sysfs_emit_long(char *buf, long v)
{
	char digits[24], *d = digits + sizeof(digits);
	*--d = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
	do
		*--d = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--d = '-';
	return sysfs_emit_str(buf, d);
}

static ssize_t show_seqnum(void *obj, const void *arg, char *buf)
{
	(void)obj, (void)arg;
	return sysfs_emit_long(buf, (long)uevent_last_seqnum());
}

static const struct sysfs_attr seqnum_attr = { "uevent_seqnum", show_seqnum, NULL };

void sysfs_init(void)
{
	root();
	struct inode *kernel = sysfs_mkdir("kernel");
	if (kernel)
		sysfs_add_file(kernel, &seqnum_attr, NULL, NULL); /* how many uevents so far */
	sysfs_mkdir("kernel/tracing"); /* mount points, as on Linux: tracefs and debugfs go here */
	sysfs_mkdir("kernel/debug");
	sysfs_mkdir("module");
	sysfs_mkdir("class");
	sysfs_mkdir("devices/virtual");
	sysfs_cpu_init();
}
