/*
 * Paths from user arguments, shared by the calls that act on names
 * (course section: files). See kernel/fs/path_at.c.
 */
#ifndef KERNEL_FS_PATH_AT_H
#define KERNEL_FS_PATH_AT_H

#include "kernel/fs/vfs.h"
#include "kernel/syscall.h"

/* What a resolution gives: the file (following a last symbolic link, or
 * not), or the directory that holds the last name (following a last link
 * to where its target would be, or not). */
enum resolve { FILE_FOLLOW, FILE_NOFOLLOW, PARENT_NOFOLLOW, PARENT_FOLLOW };

int dirfd_base(int dirfd, const char *path, struct inode **base);
int resolve_at(int dirfd, const char __user *upath, enum resolve how, struct inode **out, char *last,
	       bool *slash);
int lookup_at(int dirfd, const char __user *upath, struct inode **out);
int lookup_nofollow_at(int dirfd, const char __user *upath, struct inode **out);
int parent_at(int dirfd, const char __user *upath, struct inode **dir, char *last, bool *slash);
int check_slash(struct inode *dir, const char *last, bool slash);
bool kernel_names(const struct inode *dir);
/* AT_EMPTY_PATH: for "", the file dirfd is open on (0, with a reference);
 * 1 when the path is not empty and is to be looked up as usual. */
int empty_path_at(int dirfd, const char __user *path, struct inode **out);

#endif
