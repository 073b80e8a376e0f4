/* System V shared memory (course section: shared memory). */
#ifndef KERNEL_SHM_H
#define KERNEL_SHM_H

struct shm_segment;

/* A region mapping the segment was created or removed (fork, split, munmap). */
void shm_vma_opened(struct shm_segment *s);
void shm_vma_closed(struct shm_segment *s);
/* The largest segment shmget makes (/proc/sys/kernel/shmmax). */
extern long shm_max;

#endif
