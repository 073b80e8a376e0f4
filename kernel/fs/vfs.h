/* Inodes, the in-memory filesystem and path names (course section: files). */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include "kernel/fs/dir_index.h"
#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/stat.h"

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAX_FILE_SIZE (1ull << 32) /* 4 GiB: far beyond our RAM */

struct file_ops;
struct lock_space;
struct lease_set;

/*
 * sysgate keeps one tree of inodes, but, as under Linux's mounts, parts of
 * it are separate filesystems: a name never moves or links from one to
 * another (EXDEV), stat gives each its own st_dev, and a filesystem's top
 * directory cannot be removed or renamed (EBUSY). In /proc and /sys the names are
 * the kernel's: user programs cannot add, remove or rename them.
 */
enum fs_id { FS_ROOT = 1, FS_DEV, FS_SHM, FS_PROC, FS_SYS, FS_TRACE /* kernel/tracing/tracefs.c */ };

struct inode {
	unsigned long ino;
	enum fs_id fs;             /* the filesystem it belongs to */
	bool mount_root;           /* the top directory of its filesystem */
	unsigned mode;             /* S_IF* type and permission bits */
	int write_count;           /* >0: open for writing; <0: a running program (ETXTBSY) */
	uid_t uid;                 /* owner and group (kernel/cred/permission.c) */
	gid_t gid;
	unsigned nlink;            /* directory entries naming it */
	int refs;                  /* open files, working directories... */
	uint64_t size;
	struct timespec atime, mtime, ctime;

	/* Regular files: the contents, one frame per 4 KiB page (0 = a hole). */
	phys_addr_t *pages;
	size_t page_slots;

	/* Directories: the entries, and the directory above. */
	struct list_node entries;
	struct dir_index index;    /* the entries by name and by position (kernel/fs/dir_index.c) */
	struct inode *parent;

	/* Devices: the operations a file opened on it gets. */
	const struct file_ops *dev_ops;
	void *dev_data;
	unsigned long rdev;

	struct lock_space *locks;  /* advisory locks, made on first use (kernel/fs/filelock.c) */
	struct lease_set *leases;  /* F_SETLEASE's leases, made on first use (kernel/fs/lease.c) */
	char *link;                /* a symbolic link's target (NUL-terminated) */
};

struct dir_entry {
	struct list_node node;
	struct avl_node by_name, by_pos; /* in the directory's index */
	uint64_t pos;                    /* getdents' offset: never reused in the directory */
	struct inode *inode;
	char name[NAME_MAX + 1];
};

extern struct inode *root_inode;

void vfs_init(void);
/* Make directory dir the top of its own filesystem (before anything is in it). */
void fs_mount(struct inode *dir, enum fs_id fs);
void inode_get(struct inode *i);
/* An inode in no directory, alive while referenced (shared anonymous memory). */
struct inode *inode_new_anonymous(unsigned mode);
/* An open file on an inode, with the file operations its type calls for. */
struct file *file_open_inode(struct inode *i, int flags, int *err);
void inode_put(struct inode *i);
static inline bool inode_is_dir(const struct inode *i) { return (i->mode & S_IFMT) == S_IFDIR; }
static inline bool inode_is_reg(const struct inode *i) { return (i->mode & S_IFMT) == S_IFREG; }
static inline bool inode_is_symlink(const struct inode *i) { return (i->mode & S_IFMT) == S_IFLNK; }

/* Directory operations (kernel/fs/ramfs.c). Names are single components. */
struct inode *dir_lookup(struct inode *dir, const char *name);
int dir_create(struct inode *dir, const char *name, unsigned mode, struct inode **out);
/* A symbolic link `name` in dir, whose contents is the path `target`. */
int dir_symlink(struct inode *dir, const char *name, const char *target);
int dir_link(struct inode *dir, const char *name, struct inode *target);
int dir_unlink(struct inode *dir, const char *name, bool want_dir);
int dir_rename(struct inode *olddir, const char *oldname, struct inode *newdir, const char *newname);
/* The n-th entry of dir (0 is ".", 1 is ".."); false past the end. */
bool dir_entry_at(struct inode *dir, size_t n, const char **name, struct inode **inode);
/* The entry at position *pos or the first after it ("." is 0, ".." 1),
 * its position put in *pos: getdents' walk, which entries made or removed
 * between calls do not disturb. False past the end. */
bool dir_entry_from(struct inode *dir, uint64_t *pos, const char **name, struct inode **inode);

/* File contents (kernel/fs/ramfs.c). The buffers are user addresses. */
ssize_t inode_read(struct inode *i, void __user *buf, size_t n, off_t pos);
ssize_t inode_write(struct inode *i, const void __user *buf, size_t n, off_t pos);
int inode_truncate(struct inode *i, uint64_t size);
/* lseek's SEEK_DATA (hole false) and SEEK_HOLE: the first byte at or after
 * pos in a page that has a frame, or in one that has none. */
off_t inode_seek_data(const struct inode *i, off_t pos, bool hole);
/* The frame holding byte `offset`, allocating it if needed (mmap). */
int inode_page(struct inode *i, uint64_t offset, phys_addr_t *frame);
/* Read into a kernel buffer (exec reads programs this way). */
ssize_t inode_read_kernel(struct inode *i, void *buf, size_t n, uint64_t pos);
/* Copy kernel bytes into a file (the initrd unpacker). */
int inode_write_kernel(struct inode *i, const void *data, size_t n);
/* inode_write from kernel memory (splice, sendfile, copy_file_range). */
ssize_t inode_write_at_kernel(struct inode *i, const void *buf, size_t n, off_t pos);
void inode_stat(const struct inode *i, struct stat *st);
void inode_touch(struct inode *i, bool modified);

/* Path names (kernel/fs/namei.c). `base` is the directory relative paths start
 * from (NULL: the current directory). Results carry a reference. */
int path_lookup(struct inode *base, const char *path, struct inode **out);
/* ... but a symbolic link as the last component is the result itself. */
int path_lookup_nofollow(struct inode *base, const char *path, struct inode **out);
/* The directory that would contain `path`, and its last component (which
 * may name a symbolic link, or nothing yet). */
int path_parent(struct inode *base, const char *path, struct inode **dir, char last[NAME_MAX + 1]);
/* ... where a last component that is a link is replaced by the link's
 * target, again and again: where open(O_CREAT) would create the file. */
int path_parent_follow(struct inode *base, const char *path, struct inode **dir, char last[NAME_MAX + 1]);
/* Copy a path argument from user memory (EFAULT, ENAMETOOLONG, ENOENT if empty). */
int path_from_user(const char __user *upath, char *buf);
/* The absolute path of a directory, for getcwd. */
int inode_path(struct inode *dir, char *buf, size_t size);

/* ETXTBSY (kernel/fs/text_busy.c): a program file that runs may not be
 * opened for writing, and one open for writing may not run. */
int inode_get_write_access(struct inode *i);
void inode_put_write_access(struct inode *i);
int inode_deny_write_access(struct inode *i);
void inode_allow_write_access(struct inode *i);

/* Register a character device as /dev/NAME (kernel/fs/devfs.c). */
int dev_register(const char *name, const struct file_ops *ops, void *data, unsigned long rdev);
/* Remove the device registered as NAME, whatever its nodes are called now. */
void dev_unregister(const char *name);
/* Remove the devices whose operations lie in [start, end): what a module
 * left registered at unload. Each one is reported in the kernel log. */
int dev_unregister_range(uint64_t start, uint64_t end, const char *module);

#endif
