/*
 * C library: System V shared memory (course section: shared memory).
 *
 *     int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);  // a segment
 *     char *p = shmat(id, NULL, 0);       // map it: the kernel picks where
 *     ... fork(): the child inherits the attachment, the same frames ...
 *     shmdt(p);                           // unmap it
 *     shmctl(id, IPC_RMID, NULL);         // destroy it at the last detach
 *
 * A segment outlives the processes that use it: until IPC_RMID (or a
 * reboot) it stays, even with nobody attached. Programs must remove what
 * they create.
 */
#ifndef LIBC_SYS_SHM_H
#define LIBC_SYS_SHM_H

#include <sys/ipc.h>

/* SHM_RDONLY, SHM_RND, SHM_REMAP, SHM_EXEC, SHMLBA, SHM_DEST, SHM_LOCKED, and
 * the commands SHM_LOCK, SHM_UNLOCK, SHM_STAT, SHM_STAT_ANY, SHM_INFO come
 * from <abi/ipc.h>. */

typedef unsigned long shmatt_t;

/* Linux's struct shmid64_ds (112 bytes), what IPC_STAT fills in. */
struct shmid_ds {
	struct ipc_perm shm_perm;
	size_t shm_segsz;	/* the size asked for at creation, in bytes */
	time_t shm_atime;	/* last shmat */
	time_t shm_dtime;	/* last shmdt */
	time_t shm_ctime;	/* creation or last IPC_SET */
	pid_t shm_cpid;		/* creator */
	pid_t shm_lpid;		/* last shmat or shmdt */
	shmatt_t shm_nattch;	/* how many mappings of it exist, in all processes */
	unsigned long __unused4, __unused5;
};

/* The system's limits, as shmctl(0, IPC_INFO, (struct shmid_ds *)&info) returns them. */
struct shminfo {
	unsigned long shmmax;	/* largest segment, in bytes */
	unsigned long shmmin;	/* smallest segment */
	unsigned long shmmni;	/* most segments in the system */
	unsigned long shmseg;	/* most attachments per process */
	unsigned long shmall;	/* most pages of all segments together */
	unsigned long __unused[4];
};

/* The id of the segment with this key (created with IPC_CREAT; IPC_EXCL:
 * only if new), or -1 and errno. */
int shmget(key_t key, size_t size, int shmflg);
/* Maps the segment and returns its address, or (void *)-1 and errno. */
void *shmat(int shmid, const void *shmaddr, int shmflg);
int shmdt(const void *shmaddr);
/* What all segments use, in pages, as shmctl(0, SHM_INFO, (struct shmid_ds *)&info) returns it. */
struct shm_info {
	int used_ids;			/* segments that exist */
	unsigned long shm_tot;		/* their pages */
	unsigned long shm_rss;		/* their pages in memory */
	unsigned long shm_swp;		/* ... and swapped out (sysgate: never) */
	unsigned long swap_attempts, swap_successes;
};

int shmctl(int shmid, int cmd, struct shmid_ds *buf);

#endif
