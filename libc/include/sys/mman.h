/*
 * C library: memory mappings (course section: the C library on raw syscalls).
 *
 * mmap asks the kernel for a range of pages: zero-filled (MAP_ANONYMOUS) or
 * showing a file, private to this process (copy-on-write) or shared with
 * others. The constants are Linux's, in <abi/mman.h>, shared with the kernel.
 */
#ifndef LIBC_SYS_MMAN_H
#define LIBC_SYS_MMAN_H

#include <sys/types.h>

#include "abi/mman.h"	/* PROT_*, MAP_*, MS_*, MADV_*, MAP_FAILED */



/* Returns the mapping's address, or MAP_FAILED (not NULL: 0 can be a valid
 * address) with errno set. */
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
int msync(void *addr, size_t length, int flags);
int madvise(void *addr, size_t length, int advice);
/* Keep pages in memory, brought in now (mm/mlock.c): limited by RLIMIT_MEMLOCK. */
int mlock(const void *addr, size_t length);
int mlock2(const void *addr, size_t length, unsigned int flags);
int munlock(const void *addr, size_t length);
int mlockall(int flags);
int munlockall(void);
/* Grow, shrink or move a mapping without copying (MREMAP_MAYMOVE lets it
 * move; with MREMAP_FIXED too, to the address given after flags). */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);

/*
 * POSIX shared memory: a named object that unrelated processes open and
 * mmap(MAP_SHARED). As in glibc and musl it is an ordinary file in the
 * in-memory directory /dev/shm: shm_open("/name", O_RDWR | O_CREAT, 0600)
 * opens /dev/shm/name (O_CLOEXEC added), ftruncate gives it a size, and
 * shm_unlink("/name") removes the name (the memory goes with the last
 * mapping or descriptor). Names are one component: "/a/b" is EINVAL.
 */
int shm_open(const char *name, int oflag, mode_t mode);
int shm_unlink(const char *name);

#endif
