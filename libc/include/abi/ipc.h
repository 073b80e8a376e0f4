/* Linux System V IPC and futex definitions (course section: shared memory). */
#ifndef ABI_IPC_H
#define ABI_IPC_H

#include <stddef.h>

#define IPC_PRIVATE 0
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3
#define IPC_64 0x0100 /* glibc may pass it in cmd; the kernel strips it */

#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15
#define SHM_LOCKED 02000 /* in shm_perm.mode: SHM_LOCK was done */
#define SHM_DEST 01000   /* in shm_perm.mode: removed, gone at the last detach */
#define SHMLBA 4096

struct ipc_perm_abi {
	int key;
	unsigned int uid, gid, cuid, cgid;
	unsigned int mode;
	unsigned short seq;
	unsigned short pad2;
	unsigned long unused1, unused2;
};

struct shmid_ds_abi {
	struct ipc_perm_abi shm_perm;
	size_t shm_segsz;
	long shm_atime, shm_dtime, shm_ctime;
	int shm_cpid, shm_lpid;
	unsigned long shm_nattch;
	unsigned long unused4, unused5;
};

/* What shmctl(IPC_INFO) writes: the system's limits. */
struct shminfo_abi {
	unsigned long shmmax, shmmin, shmmni, shmseg, shmall;
	unsigned long unused[4];
};

/* What shmctl(SHM_INFO) writes: what all segments use, in pages. */
struct shm_info_abi {
	int used_ids;
	unsigned long shm_tot, shm_rss, shm_swp;
	unsigned long swap_attempts, swap_successes;
};

_Static_assert(sizeof(struct ipc_perm_abi) == 48, "struct ipc64_perm is 48 bytes");
_Static_assert(sizeof(struct shmid_ds_abi) == 112, "struct shmid64_ds is 112 bytes");

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffff

/* A robust lock word: the owner's tid, and two flags (kernel/ipc/futex_robust.c). */
#define FUTEX_WAITERS 0x80000000u	/* someone sleeps on it: the unlocker must wake */
#define FUTEX_OWNER_DIED 0x40000000u	/* the owner exited holding it */
#define FUTEX_TID_MASK 0x3fffffffu

#endif
