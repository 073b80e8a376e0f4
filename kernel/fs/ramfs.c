/*
 * The in-memory filesystem (course section: files).
 *
 * sysgate has no disk: at boot the initrd is unpacked into this filesystem
 * (kernel/init/initrd.c) and it is writable from then on. An inode is a file,
 * a directory or a device:
 *   - a regular file's bytes live in frames, one per 4 KiB page, indexed by
 *     page number (a missing frame reads as zeros: a "hole"). mmap of the
 *     file maps these very frames, which is why a shared mapping and
 *     read()/write() always agree;
 *   - a directory is a list of (name, inode) entries, also indexed by
 *     name and by position (kernel/fs/dir_index.c);
 *   - a device inode only names a set of file operations.
 * An inode lives while a directory entry names it (nlink) or something
 * uses it (refs): an open file keeps an unlinked file alive, as in Unix.
 */
#include "kernel/fs/vfs.h"
#include "kernel/fs/ramfs_limit.h"
#include "kernel/cred/permission.h"
#include "arch/x86_64/x86.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/fs/filelock.h"
#include "kernel/printk.h"
#include "kernel/fs/procfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/phys.h"
#include "mm/uaccess.h"
#include "mm/vm.h"


struct inode *root_inode;
static unsigned long next_ino = 1;

static struct timespec now(void)
{
	uint64_t ns = clock_realtime_ns();
	return (struct timespec){ (long)(ns / 1000000000), (long)(ns % 1000000000) };
}

void inode_touch(struct inode *i, bool modified)
{
	struct timespec t = now();
	i->atime = t;
	if (modified)
		i->mtime = i->ctime = t;
}

static struct inode *inode_new(unsigned mode)
{
	struct inode *i = kzalloc(sizeof(*i));
	if (!i)
		return NULL;
	i->ino = next_ino++;
	i->fs = FS_ROOT;
	i->mode = mode;
	list_init(&i->entries);
	inode_touch(i, true);
	return i;
}

struct inode *inode_new_anonymous(unsigned mode)
{
	struct inode *i = inode_new(mode);
	if (i) {
		i->refs = 1;
		inode_init_owner(i, NULL);
	}
	return i;
}

void inode_get(struct inode *i)
{
	i->refs++;
}

static void inode_free(struct inode *i)
{
	inode_truncate(i, 0);
	kfree(i->pages);
	kfree(i->link);
	locks_inode_freed(i);
	kfree(i);
}

void inode_put(struct inode *i)
{
	if (--i->refs == 0 && i->nlink == 0)
		inode_free(i);
}

void vfs_init(void)
{
	root_inode = inode_new(S_IFDIR | 0755);
	root_inode->nlink = 2;
	root_inode->parent = root_inode;
	inode_get(root_inode); /* the root is never freed */
}

void fs_mount(struct inode *dir, enum fs_id fs)
{
	dir->fs = fs;
	dir->mount_root = true;
}

/* --- directories ------------------------------------------------------------ */

static struct dir_entry *find_entry(struct inode *dir, const char *name)
{
	return dir_index_find(dir, name);
}

struct inode *dir_lookup(struct inode *dir, const char *name)
{
	if (!strcmp(name, "."))
		return dir;
	if (!strcmp(name, ".."))
		return dir->parent;
	if (procfs_is_root(dir) && !strcmp(name, "self"))
		return procfs_self();
	if (procfs_is_root(dir) && !strcmp(name, "thread-self"))
		return procfs_thread_self();
	struct dir_entry *e = find_entry(dir, name);
	if (e && e->inode->fs == FS_PROC && e->inode->dev_data && inode_is_dir(e->inode))
		procfs_lookup_refresh(e->inode); /* /proc/PID/fd, exe, cwd: made when looked up */
	if (!e && procfs_is_root(dir))
		return procfs_thread_lookup(name); /* /proc/TID: found, though not listed */
	return e ? e->inode : NULL;
}

static int add_entry(struct inode *dir, const char *name, struct inode *target)
{
	struct dir_entry *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	strncpy(e->name, name, NAME_MAX);
	e->inode = target;
	list_push_back(&dir->entries, &e->node);
	dir_index_add(dir, e);
	target->nlink++;
	if (inode_is_dir(target)) {
		target->parent = dir;
		dir->nlink++; /* the child's ".." */
	}
	inode_touch(dir, true);
	return 0;
}

int dir_link(struct inode *dir, const char *name, struct inode *target)
{
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory takes no new names */
	if (find_entry(dir, name) || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EEXIST;
	if (target->fs != dir->fs)
		return -EXDEV;
	if (inode_is_dir(target))
		return -EPERM; /* a second name for a directory would make loops */
	int err = add_entry(dir, name, target);
	if (!err)
		target->ctime = dir->mtime;
	return err;
}

int dir_symlink(struct inode *dir, const char *name, const char *target)
{
	size_t len = strlen(target);
	char *copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len + 1);
	struct inode *i;
	int err = dir_create(dir, name, S_IFLNK | 0777, &i);
	if (err) {
		kfree(copy);
		return err;
	}
	i->link = copy;
	i->size = len; /* what lstat reports: the target's length */
	return 0;
}

int dir_create(struct inode *dir, const char *name, unsigned mode, struct inode **out)
{
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory (someone's cwd) takes no new names */
	if (find_entry(dir, name) || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EEXIST;
	struct inode *i = inode_new(mode);
	if (!i)
		return -ENOMEM;
	i->fs = dir->fs;
	inode_init_owner(i, dir);
	if (inode_is_dir(i))
		i->nlink = 1; /* its own "." */
	int err = add_entry(dir, name, i);
	if (err) {
		kfree(i);
		return err;
	}
	if (out)
		*out = i;
	return 0;
}

static void remove_entry(struct inode *dir, struct dir_entry *e)
{
	struct inode *i = e->inode;
	list_remove(&e->node);
	dir_index_remove(dir, e);
	kfree(e);
	inode_touch(dir, true);
	if (inode_is_dir(i)) {
		dir->nlink--;
		i->nlink = 0; /* its "." goes with it */
	} else {
		i->nlink--;
	}
	if (i->nlink == 0 && i->refs == 0)
		inode_free(i);
}

int dir_unlink(struct inode *dir, const char *name, bool want_dir)
{
	if (!strcmp(name, "."))
		return want_dir ? -EINVAL : -EISDIR;
	if (!strcmp(name, ".."))
		return want_dir ? -ENOTEMPTY : -EISDIR;
	struct dir_entry *e = find_entry(dir, name);
	if (!e)
		return -ENOENT;
	if (want_dir && !inode_is_dir(e->inode))
		return -ENOTDIR;
	if (!want_dir && inode_is_dir(e->inode))
		return -EISDIR;
	if (want_dir && (e->inode == root_inode || e->inode->mount_root))
		return -EBUSY;
	if (want_dir && !list_empty(&e->inode->entries))
		return -ENOTEMPTY;
	remove_entry(dir, e);
	return 0;
}

static bool is_ancestor(struct inode *a, struct inode *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d == root_inode)
			return false;
		d = d->parent;
	}
}

int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname)
{
	if (olddir->fs != newdir->fs)
		return -EXDEV;
	if (newdir->nlink == 0)
		return -ENOENT;
	if (!strcmp(oldname, ".") || !strcmp(oldname, "..") || !strcmp(newname, ".") || !strcmp(newname, ".."))
		return -EBUSY;
	struct dir_entry *src = find_entry(olddir, oldname);
	if (!src)
		return -ENOENT;
	struct inode *i = src->inode;
	struct dir_entry *dst = find_entry(newdir, newname);
	if (i->mount_root || (dst && dst->inode->mount_root))
		return -EBUSY;
	if (dst && dst->inode == i)
		return 0;
	if (inode_is_dir(i) && is_ancestor(i, newdir))
		return -EINVAL; /* a directory cannot move into itself */
	if (dst) {
		if (inode_is_dir(i) && !inode_is_dir(dst->inode))
			return -ENOTDIR;
		if (!inode_is_dir(i) && inode_is_dir(dst->inode))
			return -EISDIR;
		if (inode_is_dir(dst->inode) && !list_empty(&dst->inode->entries))
			return -ENOTEMPTY;
	}
	inode_get(i); /* keep it alive between unlink and link */
	if (dst)
		remove_entry(newdir, dst);
	remove_entry(olddir, src);
	int err = add_entry(newdir, newname, i);
	inode_put(i);
	return err;
}

bool dir_entry_at(struct inode *dir, size_t n, const char **name, struct inode **inode)
{
	if (n == 0) {
		*name = ".";
		*inode = dir;
		return true;
	}
	if (n == 1) {
		*name = "..";
		*inode = dir->parent;
		return true;
	}
	size_t k = 2;
	struct list_node *node;
	list_for_each(node, &dir->entries) {
		if (k++ == n) {
			struct dir_entry *e = list_entry(node, struct dir_entry, node);
			*name = e->name;
			*inode = e->inode;
			return true;
		}
	}
	return false;
}

bool dir_entry_from(struct inode *dir, uint64_t *pos, const char **name, struct inode **inode)
{
	if (*pos < 2)
		return dir_entry_at(dir, *pos, name, inode);
	struct dir_entry *e = dir_index_from(dir, *pos);
	if (!e)
		return false;
	*pos = e->pos;
	*name = e->name;
	*inode = e->inode;
	return true;
}

/* --- file contents --------------------------------------------------------------- */

static int grow_page_array(struct inode *i, size_t slots)
{
	if (slots <= i->page_slots)
		return 0;
	size_t n = MAX(slots, i->page_slots * 2);
	phys_addr_t *p = kzalloc(n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (i->pages)
		memcpy(p, i->pages, i->page_slots * sizeof(*p));
	kfree(i->pages);
	i->pages = p;
	i->page_slots = n;
	return 0;
}

/* The frame for page `index`; allocated (zeroed) if `create`. */
static phys_addr_t file_page(struct inode *i, size_t index, bool create)
{
	if (index < i->page_slots && i->pages[index])
		return i->pages[index];
	if (!create || grow_page_array(i, index + 1) || !ramfs_charge_page())
		return 0;
	i->pages[index] = frame_alloc();
	if (!i->pages[index])
		ramfs_uncharge_page();
	return i->pages[index];
}

int inode_page(struct inode *i, uint64_t offset, phys_addr_t *frame)
{
	phys_addr_t f = file_page(i, offset / PAGE_SIZE, true);
	if (!f)
		return -ENOMEM;
	*frame = f;
	return 0;
}

ssize_t inode_read(struct inode *i, void __user *buf, size_t n, off_t pos)
{
	if (pos < 0 || (uint64_t)pos >= i->size)
		return 0;
	n = MIN(n, i->size - pos);
	size_t done = 0;
	while (done < n) {
		uint64_t at = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		phys_addr_t f = file_page(i, at / PAGE_SIZE, false);
		int err = f ? copy_to_user((char __user *)buf + done, (char *)phys_to_virt(f) + at % PAGE_SIZE, chunk)
			    : clear_user((char __user *)buf + done, chunk);
		if (err)
			return done ? (ssize_t)done : err;
		done += chunk;
	}
	inode_touch(i, false);
	return done;
}

off_t inode_seek_data(const struct inode *i, off_t pos, bool hole)
{
	if (pos < 0 || (uint64_t)pos >= i->size)
		return -ENXIO;
	for (uint64_t p = (uint64_t)pos / PAGE_SIZE; p * PAGE_SIZE < i->size; p++) {
		bool data = p < i->page_slots && i->pages[p];
		if (data != hole)
			return MAX(pos, (off_t)(p * PAGE_SIZE));
	}
	return hole ? (off_t)i->size : -ENXIO; /* the end of the file counts as a hole */
}

/* Write n bytes at pos from user memory, or kernel memory (splice). */
static ssize_t write_pages(struct inode *i, const char *src, size_t n, off_t pos, bool from_user)
{
	if (pos < 0)
		return -EINVAL;
	if ((uint64_t)pos >= MAX_FILE_SIZE)
		return -EFBIG;
	n = MIN(n, MAX_FILE_SIZE - pos);
	size_t done = 0;
	while (done < n) {
		uint64_t at = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		phys_addr_t f = file_page(i, at / PAGE_SIZE, true);
		if (!f)
			return done ? (ssize_t)done : -ENOSPC;
		char *dst = (char *)phys_to_virt(f) + at % PAGE_SIZE;
		if (!from_user)
			memcpy(dst, src + done, chunk);
		else if (copy_from_user(dst, (const char __user *)src + done, chunk))
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
		i->size = MAX(i->size, at + chunk);
	}
	inode_touch(i, true);
	return done;
}

ssize_t inode_write(struct inode *i, const void __user *buf, size_t n, off_t pos)
{
	return write_pages(i, (const char *)buf, n, pos, true);
}

ssize_t inode_write_at_kernel(struct inode *i, const void *buf, size_t n, off_t pos)
{
	return write_pages(i, buf, n, pos, false);
}

ssize_t inode_read_kernel(struct inode *i, void *buf, size_t n, uint64_t pos)
{
	if (pos >= i->size)
		return 0;
	n = MIN(n, i->size - pos);
	for (size_t done = 0; done < n;) {
		uint64_t at = pos + done;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		phys_addr_t f = file_page(i, at / PAGE_SIZE, false);
		if (f)
			memcpy((char *)buf + done, (char *)phys_to_virt(f) + at % PAGE_SIZE, chunk);
		else
			memset((char *)buf + done, 0, chunk);
		done += chunk;
	}
	return n;
}

int inode_write_kernel(struct inode *i, const void *data, size_t n)
{
	for (size_t done = 0; done < n;) {
		uint64_t at = i->size;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		phys_addr_t f = file_page(i, at / PAGE_SIZE, true);
		if (!f)
			return -ENOMEM;
		memcpy((char *)phys_to_virt(f) + at % PAGE_SIZE, (const char *)data + done, chunk);
		done += chunk;
		i->size += chunk;
	}
	return 0;
}

int inode_truncate(struct inode *i, uint64_t size)
{
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	size_t keep = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	if (size < i->size)
		vm_file_shrunk(i, size); /* mappings let go of the pages first */
	for (size_t p = keep; p < i->page_slots; p++) {
		if (i->pages[p]) {
			frame_free(i->pages[p]);
			ramfs_uncharge_page();
			i->pages[p] = 0;
		}
	}
	/* The bytes past the new end in the last page must read as zeros if
	 * the file grows again. */
	if (size % PAGE_SIZE && keep - 1 < i->page_slots && i->pages[keep - 1])
		memset((char *)phys_to_virt(i->pages[keep - 1]) + size % PAGE_SIZE, 0,
		       PAGE_SIZE - size % PAGE_SIZE);
	i->size = size;
	inode_touch(i, true);
	return 0;
}

void inode_stat(const struct inode *i, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = i->fs;
	st->st_ino = i->ino;
	st->st_nlink = i->nlink;
	st->st_mode = i->mode;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = i->rdev;
	st->st_size = (long)i->size;
	st->st_blksize = PAGE_SIZE;
	size_t blocks = 0;
	for (size_t p = 0; p < i->page_slots; p++)
		blocks += i->pages[p] != 0;
	st->st_blocks = (long)(blocks * (PAGE_SIZE / 512));
	st->st_atim = i->atime;
	st->st_mtim = i->mtime;
	st->st_ctim = i->ctime;
}
