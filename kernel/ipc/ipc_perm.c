/*
 * Permissions of System V IPC objects (course sections: shared memory;
 * privilege).
 *
 * A shared memory segment has no name in the filesystem, so it carries its
 * own owner, group and rwx mode, checked as a file's are: the caller's
 * effective uid against the owner and creator picks the owner's bits, its
 * groups against the object's group pick the group's, others get the rest.
 * Reading (IPC_STAT, shmat) needs r, writing (shmat without SHM_RDONLY)
 * needs w; CAP_IPC_OWNER passes every such check. Changing or removing the
 * object (IPC_SET, IPC_RMID) is for its owner or creator, or CAP_SYS_ADMIN.
 */
#include "kernel/ipc/ipc_perm.h"
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"

void ipc_owner_init(struct ipc_owner *o, unsigned mode)
{
	const struct cred *c = current_cred();
	*o = (struct ipc_owner){ .uid = c->euid, .cuid = c->euid, .gid = c->egid, .cgid = c->egid, .mode = mode & 0777 };
}

int ipc_permission(const struct ipc_owner *o, int flag)
{
	const struct cred *c = current_cred();
	/* The bits asked for, as "other" bits, whichever class they were given in. */
	unsigned requested = ((unsigned)flag >> 6 | (unsigned)flag >> 3 | (unsigned)flag) & 07;
	unsigned granted = o->mode;
	if (c->euid == o->cuid || c->euid == o->uid)
		granted >>= 6;
	else if (in_group(o->cgid) || in_group(o->gid))
		granted >>= 3;
	if ((requested & ~granted & 07) && !capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

bool ipc_owner_or_admin(const struct ipc_owner *o)
{
	uid_t euid = current_cred()->euid;
	return euid == o->uid || euid == o->cuid || capable(CAP_SYS_ADMIN);
}
