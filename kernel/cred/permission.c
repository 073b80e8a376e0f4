/*
 * File permissions as Linux checks them (course section: kernel design --
 * privilege; files).
 *
 * Every file has an owner (uid), a group (gid) and nine permission bits:
 * read, write, execute for the owner, for the group, for everyone else.
 * Exactly one of the three triples applies -- the owner's if the caller's
 * filesystem uid owns the file, else the group's if the file's group is
 * one of the caller's, else the others' -- even when it grants less than
 * the next would. On a directory, read lists the names, write adds and
 * removes them, execute ("search") lets a path walk through.
 *
 * Root passes because of capabilities, not because of uid 0:
 * CAP_DAC_OVERRIDE passes every check except executing a file with no x
 * bit at all; CAP_DAC_READ_SEARCH passes reading and searching. A sticky
 * directory (/tmp, mode 1777) lets anyone add names but only a file's
 * owner (or the directory's, or CAP_FOWNER) remove one.
 */
#include "kernel/cred/permission.h"
#include "kernel/cred/cred.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"

#define NO_CHANGE ((unsigned)-1)

/* The triple of rwx bits that applies to the caller. */
static unsigned applicable_bits(const struct inode *i)
{
	if (current_cred()->fsuid == i->uid)
		return (i->mode >> 6) & 7;
	if (in_group(i->gid))
		return (i->mode >> 3) & 7;
	return i->mode & 7;
}

static int capability_override(const struct inode *i, int mask)
{
	if (inode_is_dir(i)) {
		if (capable(CAP_DAC_OVERRIDE))
			return 0;
		if (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return -EACCES;
	}
	if (!(mask & MAY_EXEC) || (i->mode & 0111))
		if (capable(CAP_DAC_OVERRIDE))
			return 0;
	if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	return -EACCES;
}

int inode_permission(const struct inode *i, int mask)
{
	if (!current)
		return 0; /* the kernel itself, at boot */
	if ((mask & ~applicable_bits(i) & 7) == 0)
		return 0;
	return capability_override(i, mask);
}

int may_create(const struct inode *dir)
{
	return inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

int may_delete(const struct inode *dir, const struct inode *victim)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err || !victim)
		return err;
	uid_t me = current_cred()->fsuid;
	if ((dir->mode & S_ISVTX) && me != victim->uid && me != dir->uid && !capable(CAP_FOWNER))
		return -EPERM;
	return 0;
}

bool owner_or_capable(const struct inode *i)
{
	return !current || current_cred()->fsuid == i->uid || capable(CAP_FOWNER);
}

void inode_init_owner(struct inode *i, const struct inode *dir)
{
	const struct cred *c = current ? current_cred() : NULL;
	i->uid = c ? c->fsuid : 0;
	i->gid = c ? c->fsgid : 0;
	if (!dir || !(dir->mode & S_ISGID))
		return;
	/* A set-group-ID directory: what is made in it belongs to its group,
	 * and a directory made in it is set-group-ID too. */
	i->gid = dir->gid;
	if (inode_is_dir(i))
		i->mode |= S_ISGID;
	else if ((i->mode & S_ISGID) && (i->mode & S_IXGRP) && !in_group(i->gid) && !capable(CAP_FSETID))
		i->mode &= ~S_ISGID;
}

int inode_set_mode(struct inode *i, unsigned mode)
{
	if (!owner_or_capable(i))
		return -EPERM;
	mode &= 07777;
	if ((mode & S_ISGID) && current && !in_group(i->gid) && !capable(CAP_FSETID))
		mode &= ~S_ISGID;
	i->mode = (i->mode & ~07777u) | mode;
	return 0;
}

/* Without CAP_CHOWN: the owner may give the file to a group it is in, and
 * "change" the owner to itself; nothing else. */
static bool chown_allowed(const struct inode *i, uid_t uid, gid_t gid)
{
	if (capable(CAP_CHOWN))
		return true;
	uid_t me = current_cred()->fsuid;
	if (uid != NO_CHANGE && !(me == i->uid && uid == i->uid))
		return false;
	if (gid != NO_CHANGE && !(me == i->uid && (gid == i->gid || in_group(gid))))
		return false;
	return true;
}

int inode_chown(struct inode *i, uid_t uid, gid_t gid)
{
	if (!chown_allowed(i, uid, gid))
		return -EPERM;
	if (uid != NO_CHANGE)
		i->uid = uid;
	if (gid != NO_CHANGE)
		i->gid = gid;
	/* A file given away is no longer trusted to run as its old owner:
	 * chown drops set-user-ID, and set-group-ID with group execute, even
	 * when root does it. A directory keeps its bits. */
	if (!inode_is_dir(i) && (uid != NO_CHANGE || gid != NO_CHANGE)) {
		i->mode &= ~S_ISUID;
		if (i->mode & S_IXGRP)
			i->mode &= ~S_ISGID;
	}
	return 0;
}

void inode_kill_suid(struct inode *i)
{
	unsigned kill = S_ISUID | ((i->mode & S_IXGRP) ? S_ISGID : 0);
	if (!(i->mode & kill) || !inode_is_reg(i) || !current || capable(CAP_FSETID))
		return;
	i->mode &= ~kill;
}
