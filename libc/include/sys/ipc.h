/*
 * C library: System V IPC common definitions (course section: shared memory).
 *
 * Every System V IPC object (shared memory segment, semaphore set, message
 * queue) is found by a key -- a number the cooperating programs agree on,
 * or IPC_PRIVATE for "a new one nobody else can find by key" -- and then
 * named by the id the kernel returns. Its owner and rights live in a struct
 * ipc_perm. The constants and the kernel's layout are in <abi/ipc.h>.
 */
#ifndef LIBC_SYS_IPC_H
#define LIBC_SYS_IPC_H

#include <sys/types.h>

#include "abi/ipc.h"	/* IPC_PRIVATE, IPC_CREAT, IPC_EXCL, IPC_RMID, IPC_SET, IPC_STAT */

/* Linux's struct ipc64_perm (48 bytes): who owns the object, and its mode. */
struct ipc_perm {
	key_t __key;		/* the key it was created with (IPC_PRIVATE after IPC_RMID) */
	uid_t uid, gid;		/* owner */
	uid_t cuid, cgid;	/* creator */
	mode_t mode;		/* rwx bits as for files, plus SHM_DEST when removed */
	unsigned short __seq;	/* how many times the slot was reused */
	unsigned short __pad2;
	unsigned long __unused1, __unused2;
};

/* A key derived from an existing file's inode and an 8-bit project id, so
 * that unrelated programs agreeing on a path get the same key. -1 and errno
 * if the file does not exist. */
key_t ftok(const char *path, int proj_id);

#endif
