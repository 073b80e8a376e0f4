/*
 * Path names (course section: files).
 *
 * "/a/b/c" is resolved one component at a time: start at the root (or, for
 * a relative path, at the current directory or the *at() call's directory),
 * look each name up in the directory reached so far. Every intermediate
 * component must be a directory (else ENOTDIR) and must exist (else
 * ENOENT); each component may be at most NAME_MAX bytes (else ENAMETOOLONG).
 *
 * A symbolic link met on the way is replaced by its target: the walk goes
 * on through the target's components (from the root if it is absolute,
 * else from the link's own directory), then through the rest of the path.
 * A link that is the LAST component is followed or not, as the syscall
 * says: stat and open follow it, lstat, readlink, unlink and rename act on
 * the link itself. At most MAX_SYMLINKS links are followed in one walk, so
 * a loop (a -> b -> a) ends with ELOOP. The walk keeps a small stack of
 * "what is left to read": the path, then each link's target being read.
 *
 * To look a name up in a directory the caller needs search (execute)
 * permission on it: a directory without x for you is a closed door, even
 * to names inside it you know.
 */
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "kernel/cred/permission.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define MAX_SYMLINKS 40 /* Linux's limit for one walk */

int path_from_user(const char __user *upath, char *buf)
{
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return 0;
}

/* Split off the next component of *p into name; its length, 0 at the end. */
static int next_component(const char **p, char name[NAME_MAX + 1])
{
	while (**p == '/')
		(*p)++;
	const char *start = *p;
	while (**p && **p != '/')
		(*p)++;
	size_t len = *p - start;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, start, len);
	name[len] = 0;
	return (int)len;
}

/* "/" for the caller: the real root, or the directory it chrooted into.
 * (The kernel's own work at boot runs in the idle task, which has no
 * filesystem context: for it "/" is the real root.) */
static struct inode *task_root(void)
{
	const struct fs_context *fs = current->fs;
	return fs && fs->root ? fs->root : root_inode;
}

static struct inode *start_dir(struct inode *base, const char *path)
{
	if (path[0] == '/')
		return task_root();
	if (base)
		return base;
	return current->fs && current->fs->cwd ? current->fs->cwd : root_inode;
}

static bool only_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return *p == 0;
}

struct walk {
	const char *left[MAX_SYMLINKS + 1]; /* [0]: the path; above: targets being read */
	int depth;
	int links;                          /* followed so far */
	struct inode *dir;                  /* where the walk has got to */
	bool slash;                         /* a '/' came after the last component */
};

/* Is nothing left to read, at any depth? */
static bool walk_done(const struct walk *w)
{
	for (int k = 0; k <= w->depth; k++)
		if (!only_slashes(w->left[k]))
			return false;
	return true;
}

/* At the last component: does a '/' follow it, here or in a string below
 * (the path, or the target of the link that led here)? */
static bool slash_follows(const struct walk *w)
{
	for (int k = 0; k <= w->depth; k++)
		if (*w->left[k] == '/')
			return true;
	return false;
}

/* Go on through link's target before the rest of the walk. */
static int enter_link(struct walk *w, const struct inode *link)
{
	if (++w->links > MAX_SYMLINKS)
		return -ELOOP;
	w->left[++w->depth] = link->link;
	if (link->link[0] == '/')
		w->dir = task_root();
	return 0;
}

/*
 * The core walk: every component but the last, following links; then the
 * last one, in `last`, with w->dir its directory. With follow_last, a last
 * component that is a link is entered too, until it is not one. A path
 * that ends in a directory itself ("/", "a/..", a link to a directory)
 * gives the last component ".". w->slash tells whether a '/' followed the
 * last component -- in the path, or in the link target it came from.
 */
static int walk(struct walk *w, bool follow_last, char last[NAME_MAX + 1])
{
	for (;;) {
		while (w->depth > 0 && only_slashes(w->left[w->depth]))
			w->depth--;
		int len = next_component(&w->left[w->depth], last);
		if (len < 0)
			return len;
		if (len == 0) {
			strcpy(last, ".");
			return 0;
		}
		bool is_last = walk_done(w);
		w->slash = slash_follows(w);
		if (is_last && !follow_last)
			return 0;
		if (!inode_is_dir(w->dir))
			return -ENOTDIR;
		int denied = inode_permission(w->dir, MAY_EXEC);
		if (denied)
			return denied;
		/* A chroot's top is its own parent: ".." cannot climb out. */
		struct inode *next = !strcmp(last, "..") && w->dir == task_root() ? w->dir : dir_lookup(w->dir, last);
		if (next && inode_is_symlink(next)) {
			int err = enter_link(w, next);
			if (err)
				return err;
			continue;
		}
		if (is_last)
			return 0;
		if (!next)
			return -ENOENT;
		w->dir = next;
	}
}

static int walk_from(struct inode *base, const char *path, bool follow_last, struct inode **dir,
		     char last[NAME_MAX + 1], bool *slash)
{
	struct walk w = { .depth = 0, .links = 0, .dir = start_dir(base, path), .slash = false };
	w.left[0] = path;
	int err = walk(&w, follow_last, last);
	*dir = w.dir;
	*slash = w.slash;
	return err;
}

static bool ends_in_slash(const char *path)
{
	size_t len = strlen(path);
	return len && path[len - 1] == '/';
}

static int lookup(struct inode *base, const char *path, bool follow, struct inode **out)
{
	struct inode *dir;
	char name[NAME_MAX + 1];
	bool slash;
	/* "name/" must be a directory: a link there is followed to see (even
	 * by lstat). The calls that change names do not follow (path_parent):
	 * for them "link/" is a link, and so not a directory. */
	int err = walk_from(base, path, follow || ends_in_slash(path), &dir, name, &slash);
	if (err)
		return err;
	if (!inode_is_dir(dir))
		return -ENOTDIR;
	err = inode_permission(dir, MAY_EXEC);
	if (err)
		return err;
	struct inode *i = !strcmp(name, "..") && dir == task_root() ? dir : dir_lookup(dir, name);
	if (!i)
		return -ENOENT;
	if (slash && !inode_is_dir(i))
		return -ENOTDIR;
	inode_get(i);
	*out = i;
	return 0;
}

int path_lookup(struct inode *base, const char *path, struct inode **out)
{
	return lookup(base, path, true, out);
}

int path_lookup_nofollow(struct inode *base, const char *path, struct inode **out)
{
	return lookup(base, path, false, out);
}

static int parent(struct inode *base, const char *path, bool follow, struct inode **dir, char last[NAME_MAX + 1])
{
	bool slash;
	int err = walk_from(base, path, follow, dir, last, &slash);
	if (err)
		return err;
	if (!inode_is_dir(*dir))
		return -ENOTDIR;
	err = inode_permission(*dir, MAY_EXEC);
	if (err)
		return err;
	inode_get(*dir);
	return 0;
}

int path_parent(struct inode *base, const char *path, struct inode **dir, char last[NAME_MAX + 1])
{
	return parent(base, path, false, dir, last);
}

int path_parent_follow(struct inode *base, const char *path, struct inode **dir, char last[NAME_MAX + 1])
{
	return parent(base, path, true, dir, last);
}

int inode_path(struct inode *dir, char *buf, size_t size)
{
	/* Collect the names from dir up to the root, then write them reversed. */
	char tmp[PATH_MAX];
	size_t len = 0;
	for (struct inode *d = dir; d != task_root(); d = d->parent) {
		if (d == root_inode)
			return -ENOENT; /* outside the chroot: Linux says "(unreachable)" */
		const char *name = NULL;
		struct inode *child;
		struct inode *parent = d->parent;
		for (size_t n = 2; dir_entry_at(parent, n, &name, &child); n++)
			if (child == d)
				break;
		if (!name || child != d)
			return -ENOENT; /* removed directory */
		size_t nl = strlen(name);
		if (len + nl + 1 >= sizeof(tmp))
			return -ENAMETOOLONG;
		for (size_t k = 0; k < nl; k++)
			tmp[len++] = name[nl - 1 - k];
		tmp[len++] = '/';
	}
	if (len == 0)
		tmp[len++] = '/';
	if (len + 1 > size)
		return -ERANGE;
	for (size_t k = 0; k < len; k++)
		buf[k] = tmp[len - 1 - k];
	buf[len] = 0;
	return (int)len + 1;
}
