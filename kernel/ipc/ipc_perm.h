/* Who owns a System V IPC object and who may use it (kernel/ipc/ipc_perm.c). */
#ifndef KERNEL_IPC_PERM_H
#define KERNEL_IPC_PERM_H

#include "kernel/types.h"

/* Owner, creator and mode: Linux's struct kern_ipc_perm, the parts checks need. */
struct ipc_owner {
	uid_t uid, cuid; /* owner (IPC_SET may change it) and creator */
	gid_t gid, cgid;
	unsigned mode;   /* rwx bits for owner, group, others, as a file's */
};

/* The caller becomes owner and creator. */
void ipc_owner_init(struct ipc_owner *o, unsigned mode);
/* May the caller use the object as flag's permission bits ask (0400 read,
 * 0200 write, for any of user/group/other)? 0 or -EACCES (CAP_IPC_OWNER passes). */
int ipc_permission(const struct ipc_owner *o, int flag);
/* Is the caller its owner or creator, or privileged (CAP_SYS_ADMIN)? For IPC_SET, IPC_RMID. */
bool ipc_owner_or_admin(const struct ipc_owner *o);

#endif
