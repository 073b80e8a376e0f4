/*
 * Device nodes: how a name in /dev reaches a driver (course section: files;
 * loadable modules).
 *
 * A driver registers a set of file operations under a name, and /dev/NAME
 * appears: an inode that holds no bytes, only those operations, which open
 * gives the new file. The user may rename the node inside /dev or give it
 * more names there (never outside: /dev is its own filesystem). So the
 * kernel remembers which inode each driver registered, not just its name:
 * when the driver goes (rmmod), every name of that inode goes with it, and
 * the inode forgets the operations, whose code is about to be freed.
 */
#include "kernel/fs/sysfs.h"
#include "kernel/fs/file.h"
#include "kernel/list.h"
#include "kernel/printk.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct device {
	struct list_node node;
	char name[NAME_MAX + 1];	/* the name it was registered under */
	struct inode *inode;		/* a reference: alive until unregistered */
};

static struct list_node devices = LIST_INIT(devices);

/* Opening a node whose driver has gone. */
static int gone_open(struct inode *inode, struct file *f)
{
	(void)inode;
	(void)f;
	return -ENXIO;
}

static const struct file_ops gone_ops = { .open = gone_open };

static struct inode *dev_dir(void)
{
	return dir_lookup(root_inode, "dev");
}

int dev_register(const char *name, const struct file_ops *ops, void *data, unsigned long rdev)
{
	struct inode *dev = dev_dir();
	if (!dev)
		return -ENOENT;
	struct device *d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	struct inode *i;
	int err = dir_create(dev, name, S_IFCHR | 0666, &i);
	if (err) {
		kfree(d);
		return err;
	}
	i->dev_ops = ops;
	i->dev_data = data;
	i->rdev = rdev;
	inode_get(i);
	strncpy(d->name, name, NAME_MAX);
	d->inode = i;
	list_push_back(&devices, &d->node);
	sysfs_device_added(name, rdev); /* /sys/devices/..., /sys/class/..., the "add" uevent */
	return 0;
}

/* Remove every name of inode i in dir and the directories below it that
 * belong to /dev's filesystem. */
static void unlink_names(struct inode *dir, struct inode *i)
{
	const char *name;
	struct inode *child;
	for (size_t k = 2; dir_entry_at(dir, k, &name, &child);) { /* 0, 1: ".", ".." */
		if (child == i) {
			dir_unlink(dir, name, false);
			continue; /* the next entry moved into place k */
		}
		if (inode_is_dir(child) && child->fs == FS_DEV)
			unlink_names(child, i);
		k++;
	}
}

static void device_remove(struct device *d)
{
	struct inode *dev = dev_dir();
	if (dev)
		unlink_names(dev, d->inode);
	sysfs_device_removed(d->name, d->inode->rdev);
	d->inode->dev_ops = &gone_ops; /* if a reference outlives the names */
	d->inode->dev_data = NULL;
	inode_put(d->inode);
	list_remove(&d->node);
	kfree(d);
}

void dev_unregister(const char *name)
{
	struct list_node *n;
	list_for_each(n, &devices) {
		struct device *d = list_entry(n, struct device, node);
		if (!strcmp(d->name, name)) {
			device_remove(d);
			return;
		}
	}
}

int dev_unregister_range(uint64_t start, uint64_t end, const char *module)
{
	int removed = 0;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &devices) {
		struct device *d = list_entry(n, struct device, node);
		uint64_t ops = (uint64_t)d->inode->dev_ops;
		if (ops >= start && ops < end) {
			printk("module %s: /dev/%s still registered at unload; removed\n", module, d->name);
			device_remove(d);
			removed++;
		}
	}
	return removed;
}
