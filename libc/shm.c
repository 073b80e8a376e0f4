/*
 * C library: shared memory, System V and POSIX (course section: shared
 * memory).
 *
 * System V: shmget, shmdt and shmctl are plain syscalls (generated from
 * kernel/syscalls.tbl); shmat is written here because it returns an
 * address, whose failure value is (void *)-1, like mmap's MAP_FAILED.
 *
 * POSIX: shm_open is not a syscall at all. A POSIX shared memory object is
 * a file in /dev/shm, a directory of the in-memory filesystem: shm_open
 * opens it, ftruncate sizes it, mmap(MAP_SHARED) maps its pages -- the same
 * frames in every process -- and shm_unlink removes the name. glibc and
 * musl do exactly this on Linux (where /dev/shm is a tmpfs).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "syscall_arch.h"
#include "syscall_nr.h"

_Static_assert(sizeof(struct ipc_perm) == sizeof(struct ipc_perm_abi), "struct ipc_perm is Linux's ipc64_perm");
_Static_assert(sizeof(struct shmid_ds) == sizeof(struct shmid_ds_abi), "struct shmid_ds is Linux's shmid64_ds");

void *shmat(int shmid, const void *shmaddr, int shmflg)
{
	return (void *)__syscall_ret((unsigned long)__syscall3(__NR_shmat, shmid, (long)shmaddr, shmflg));
}

/* glibc's formula: the project id, the device and the inode, packed. */
key_t ftok(const char *path, int proj_id)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	return (key_t)(((unsigned)proj_id & 0xff) << 24 | (unsigned)(st.st_dev & 0xff) << 16 |
		       (unsigned)(st.st_ino & 0xffff));
}

#define SHM_DIR "/dev/shm/"

/* "/name" -> "/dev/shm/name" in path; -1 and errno if the name is not one
 * path component (EINVAL) or is too long (ENAMETOOLONG). */
static int shm_path(const char *name, char path[sizeof(SHM_DIR) + NAME_MAX])
{
	while (*name == '/')
		name++;
	size_t len = strlen(name);
	if (len == 0 || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		errno = EINVAL;
		return -1;
	}
	if (len > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, SHM_DIR, sizeof(SHM_DIR) - 1);
	memcpy(path + sizeof(SHM_DIR) - 1, name, len + 1);
	return 0;
}

int shm_open(const char *name, int oflag, mode_t mode)
{
	char path[sizeof(SHM_DIR) + NAME_MAX];
	if (shm_path(name, path) < 0)
		return -1;
	/* O_CLOEXEC: POSIX says the descriptor is not inherited by exec.
	 * O_NOFOLLOW: a symbolic link planted in /dev/shm is not followed. */
	return open(path, oflag | O_CLOEXEC | O_NOFOLLOW, mode);
}

int shm_unlink(const char *name)
{
	char path[sizeof(SHM_DIR) + NAME_MAX];
	if (shm_path(name, path) < 0)
		return -1;
	return unlink(path);
}
