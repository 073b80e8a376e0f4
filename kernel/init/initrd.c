/*
 * Unpacking the initrd (course section: booting).
 *
 * GRUB loaded build/initrd.cpio into memory as a multiboot2 module; we copy
 * every directory and regular file in it into the in-memory filesystem, so
 * that /bin/init can be found and run. The module's memory is not reused:
 * it is reserved in the frame allocator.
 */
#include "kernel/init/initrd.h"
#include "kernel/init/cpio.h"
#include "kernel/printk.h"
#include "kernel/fs/vfs.h"
#include "libc/include/string.h"

/* Create every missing directory on the way to `path`'s last component;
 * returns that directory (with a reference) or NULL. */
static struct inode *make_parents(char *path, char **last)
{
	struct inode *dir = root_inode;
	char *p = path;
	for (;;) {
		char *slash = strchr(p, '/');
		if (!slash) {
			*last = p;
			inode_get(dir);
			return dir;
		}
		*slash = 0;
		if (*p) {
			struct inode *next = dir_lookup(dir, p);
			if (!next && dir_create(dir, p, S_IFDIR | 0755, &next))
				return NULL;
			if (!inode_is_dir(next))
				return NULL;
			dir = next;
		}
		p = slash + 1;
	}
}

static int add_entry(struct cpio_entry *e)
{
	char *name = e->name;
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	if (!name[0] || !strcmp(name, "."))
		return 0;
	char *last;
	struct inode *dir = make_parents(name, &last);
	if (!dir)
		return -1;
	struct inode *i = dir_lookup(dir, last);
	int err = 0;
	if ((e->mode & S_IFMT) == S_IFDIR) {
		if (!i)
			err = dir_create(dir, last, e->mode, NULL);
	} else if ((e->mode & S_IFMT) == S_IFREG) {
		if (!i)
			err = dir_create(dir, last, e->mode, &i);
		if (!err && inode_is_reg(i)) {
			inode_truncate(i, 0);
			err = inode_write_kernel(i, e->data, e->size);
		}
	}
	inode_put(dir);
	return err ? -1 : 1;
}

int initrd_unpack(const uint8_t *archive, size_t size)
{
	size_t offset = 0;
	int files = 0, r;
	struct cpio_entry e;
	while ((r = cpio_next(archive, size, &offset, &e)) > 0) {
		if (add_entry(&e) < 0) {
			printk("initrd: cannot unpack %s\n", e.name);
			continue;
		}
		files++;
	}
	if (r < 0) {
		printk("initrd: malformed cpio archive at byte %zu\n", offset);
		return -1;
	}
	return files;
}
