/*
 * Path names (course section: files).
 *
 * "/a/b/c" is resolved one component at a time: start at the root (or, for
 * a relative path, at the current directory or the *at() call's directory),
 * look each name up in the directory reached so far. Every intermediate
 * component must be a directory (else ENOTDIR) and must exist (else
 * ENOENT); each component may be at most NAME_MAX bytes (else ENAMETOOLONG).
 * sysgate has no symbolic links, so there is no ELOOP.
 */
#include "kernel/task.h"
#include "kernel/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

int path_from_user(const char __user *upath, char *buf)
{
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	return 0;
}

/* Split off the next component of *p into name; false at the end. */
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

static struct inode *start_dir(struct inode *base, const char *path)
{
	if (path[0] == '/')
		return root_inode;
	if (base)
		return base;
	return current->cwd ? current->cwd : root_inode;
}

/* Walk all but the last component. Leaves *rest at the last one. */
static int walk_to_parent(struct inode *base, const char *path, struct inode **dir, const char **rest)
{
	struct inode *d = start_dir(base, path);
	const char *p = path;
	char name[NAME_MAX + 1];
	for (;;) {
		const char *before = p;
		int len = next_component(&p, name);
		if (len < 0)
			return len;
		const char *after = p;
		while (*after == '/')
			after++;
		if (*after == 0) { /* `name` is the last component */
			*dir = d;
			*rest = before;
			return 0;
		}
		if (!inode_is_dir(d))
			return -ENOTDIR;
		struct inode *next = dir_lookup(d, name);
		if (!next)
			return -ENOENT;
		d = next;
	}
}

int path_lookup(struct inode *base, const char *path, struct inode **out)
{
	struct inode *dir;
	const char *rest;
	int err = walk_to_parent(base, path, &dir, &rest);
	if (err)
		return err;
	char name[NAME_MAX + 1];
	err = next_component(&rest, name);
	if (err < 0)
		return err;
	struct inode *i = dir;
	if (err > 0) {
		if (!inode_is_dir(dir))
			return -ENOTDIR;
		i = dir_lookup(dir, name);
		if (!i)
			return -ENOENT;
	}
	/* "file/" names a directory: it must be one. */
	size_t len = strlen(path);
	if (len && path[len - 1] == '/' && !inode_is_dir(i))
		return -ENOTDIR;
	inode_get(i);
	*out = i;
	return 0;
}

int path_parent(struct inode *base, const char *path, struct inode **dir, char last[NAME_MAX + 1])
{
	const char *rest;
	int err = walk_to_parent(base, path, dir, &rest);
	if (err)
		return err;
	if (!inode_is_dir(*dir))
		return -ENOTDIR;
	err = next_component(&rest, last);
	if (err < 0)
		return err;
	if (err == 0) /* the path was "/" */
		strcpy(last, ".");
	inode_get(*dir);
	return 0;
}

int inode_path(struct inode *dir, char *buf, size_t size)
{
	/* Collect the names from dir up to the root, then write them reversed. */
	char tmp[PATH_MAX];
	size_t len = 0;
	for (struct inode *d = dir; d != root_inode; d = d->parent) {
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
