/* File permissions: who may read, write, run, search, own (course section:
 * kernel design -- privilege; files). See kernel/cred/permission.c. */
#ifndef KERNEL_PERMISSION_H
#define KERNEL_PERMISSION_H

#include "kernel/types.h"

#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

struct inode;

/* 0 or -EACCES: may the current filesystem ids do mask to the file? */
int inode_permission(const struct inode *i, int mask);
/* May a name be added to dir (create, mkdir, link, rename's target)? */
int may_create(const struct inode *dir);
/* May the name of victim be removed from dir: EACCES, or EPERM in a
 * sticky directory (/tmp) for somebody else's file. */
int may_delete(const struct inode *dir, const struct inode *victim);
/* Is the caller the file's owner, or has it CAP_FOWNER? */
bool owner_or_capable(const struct inode *i);
/* A new file's owner and group: the caller's filesystem ids, or the
 * directory's group when the directory is set-group-ID. */
void inode_init_owner(struct inode *i, const struct inode *dir);
/* chmod's new bits (S_ISGID dropped for a group the caller is not in). */
int inode_set_mode(struct inode *i, unsigned mode);
/* chown: -1 leaves an id unchanged. */
int inode_chown(struct inode *i, uid_t uid, gid_t gid);
/* A write or truncate by somebody without CAP_FSETID drops set-user-ID
 * and set-group-ID (so nobody can plant code in a set-user-ID program). */
void inode_kill_suid(struct inode *i);

#endif
