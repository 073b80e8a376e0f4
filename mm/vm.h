/* A process's address space: page tables plus a sorted list of regions (course section: memory). */
#ifndef MM_VM_H
#define MM_VM_H

#include "kernel/list.h"
#include "kernel/types.h"
#include "libc/include/abi/mman.h"

struct file;
struct shm_segment;

/* Region flags (besides the PROT_* bits, kept in vma->prot). */
#define VMA_SHARED 0x1 /* writes are seen by every mapping of the same memory */
#define VMA_STACK 0x2
#define VMA_HEAP 0x4   /* the brk area */
#define VMA_LOCKED 0x8 /* mlock: its pages stay in memory (mm/mlock.c) */
#define VMA_LOCKONFAULT 0x10 /* ... but are only brought in when touched */
#define VMA_NO_MAYWRITE 0x20 /* never writable: mprotect(PROT_WRITE) says EACCES (Linux's VM_MAYWRITE cleared) */

/* A region: [start, end) with one protection and one backing. */
struct vma {
	struct list_node node;
	uint64_t start, end;
	unsigned prot;
	unsigned flags;
	struct file *file;          /* file mapping: the file, and the offset of start in it */
	uint64_t offset;
	struct shm_segment *shm;    /* a SysV segment (whose memory is `file`) */
};

struct mm {
	phys_addr_t pml4;
	struct list_node vmas;      /* sorted by start, never overlapping */
	struct vma *heap;           /* the brk region: [brk_start, page-rounded brk) */
	uint64_t brk_start, brk;
	uint64_t arg_start, arg_end; /* argv strings on the stack, for /proc/PID/cmdline */
	uint64_t env_start, env_end; /* envp strings, just above: /proc/PID/environ */
	struct inode *exe;           /* the program file, kept from being written (ETXTBSY) */
	int users;
	long map_count;             /* regions in vmas (mm/map_count.c) */
	bool lock_future;           /* mlockall(MCL_FUTURE): new regions are locked */
	bool lock_future_onfault;
	struct vma *gap_hint;       /* the region vm_find_gap placed last: the next search starts below it */
};

struct mm *mm_create(void);
void mm_put(struct mm *mm);
/* fork: a copy of mm sharing every frame copy-on-write (or truly, for shared regions). */
struct mm *mm_fork(struct mm *parent);

struct vma *vma_find(struct mm *mm, uint64_t addr);
/* Put a region (not in the list) into mm's list, in address order. */
void vma_link(struct mm *mm, struct vma *v);
/* Take a region out of mm's list (it is not freed). */
void vma_unlink(struct mm *mm, struct vma *v);
/* Add a region at exactly [start, start+len), which must be free. */
struct vma *vma_insert(struct mm *mm, uint64_t start, uint64_t len, unsigned prot, unsigned flags);
/* A free gap of len bytes, searching down from the mmap area's top; 0 if none. */
uint64_t vm_find_gap(struct mm *mm, uint64_t len);
bool vm_range_is_free(struct mm *mm, uint64_t start, uint64_t end);
/* munmap: remove [start, end) from every region, splitting them. */
void vm_unmap_range(struct mm *mm, uint64_t start, uint64_t end);
/* mremap: make [start, end) a region of its own, splitting the one it lies
 * in (NULL if it does not lie inside one region); then move that region to
 * [new_start, new_end), a free range, taking its pages along. */
struct vma *vm_isolate(struct mm *mm, uint64_t start, uint64_t end);
int vm_move_region(struct mm *mm, struct vma *v, uint64_t new_start, uint64_t new_end);
/* mprotect; -ENOMEM if part of the range is not mapped. */
int vm_protect_range(struct mm *mm, uint64_t start, uint64_t end, unsigned prot);
/* Drop the pages of [start, end) without removing the region (MADV_DONTNEED). */
void vm_zap_range(struct mm *mm, struct vma *vma, uint64_t start, uint64_t end);

/* Give the page at va in vma a frame, unless it has one (zeroed, or the file's or segment's
 * page). Returns 0 or -ENOMEM/-EFAULT (SIGBUS: beyond the end of a file). */
int vm_populate_page(struct mm *mm, struct vma *vma, uint64_t va);
/* The page-table flags that express a region's protection. */
uint64_t vma_pte_flags(const struct vma *vma);

/* A file shrank: drop every mapped page of it past the new end (SIGBUS there). */
struct inode;
void vm_file_shrunk(struct inode *inode, uint64_t size);

/* Write kernel bytes into another address space (exec builds the new
 * program's memory before switching to it). Pages are populated as needed. */
int vm_write(struct mm *mm, uint64_t va, const void *src, size_t n);

/* Read bytes of another address space (present pages only): 0 or -EFAULT. */
int vm_read(struct mm *mm, uint64_t va, void *dst, size_t n);
/* Mapped bytes (vsize) and resident pages (rss), for /proc. */
void vm_usage(struct mm *mm, uint64_t *vsize, uint64_t *rss);

/* Bytes of address space in all of mm's regions (RLIMIT_AS counts them). */
uint64_t vm_total(struct mm *mm);

/* Pages of memory that the free frames can still back (for ENOMEM checks). */
bool vm_can_commit(uint64_t bytes);
/* mm/mlock.c: bytes in locked regions (VmLck); lock a new region if
 * mmap asked (MAP_LOCKED) or mlockall(MCL_FUTURE) did: 0 or an errno. */
uint64_t vm_locked_bytes(struct mm *mm);
long mlock_new_region(struct mm *mm, struct vma *v, bool map_locked);

#endif
