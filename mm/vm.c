/*
 * Address spaces and their regions (course section: memory; shared memory).
 *
 * A process's address space has two descriptions that must agree:
 *  - the page tables, which the CPU reads: which virtual page maps which
 *    frame, with which rights. They are filled lazily, page by page.
 *  - the regions (struct vma), which the kernel reads: what each range of
 *    addresses is *meant* to be -- the program's code, its heap, its stack,
 *    an mmap of a file, a shared memory segment -- and with what rights.
 * A page fault is the CPU asking "this page is not in the tables (or not
 * writable): what should be there?" and mm/fault.c answers from the
 * regions. mmap, munmap, mprotect and brk change the regions first, then
 * make the page tables agree.
 *
 * Frames are reference-counted (mm/frame.c): fork makes the child share
 * all of the parent's frames read-only, and the first write to a private
 * page copies it ("copy on write").
 *
 * How two address spaces come to map the same frames (shared memory): a
 * region's backing says where its pages come from. A shared region -- a
 * MAP_SHARED mapping of a file, MAP_SHARED|MAP_ANONYMOUS memory, a SysV
 * segment -- is backed by a file (an inode of the in-memory filesystem,
 * nameless for the last two) and an offset in it. The inode owns exactly
 * one frame per page of the file. When a process first touches page k of
 * such a region, the fault handler asks the file for its frame at
 * offset + k pages and writes *that* frame into this process's page
 * table, writable. Every other process that maps the same file gets the
 * same frame the same way -- at whatever virtual address its region
 * starts -- so a store by one is a load by the other, with no copy and no
 * kernel involvement after the first fault; read() and write() on the file
 * copy to and from those same frames, so they agree too. A private region
 * of a file maps the file's frame read-only instead, and the first write
 * copies it. fork copies the regions and the page-table entries: shared
 * regions stay writable on the same frames.
 */
#include "mm/vm.h"
#include "mm/fault.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/ipc/shm.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/map_count.h"
#include "mm/paging.h"

#define MMAP_MIN_ADDR 0x10000 /* the lowest pages stay unmapped: NULL + offset faults */
/* --- regions ------------------------------------------------------------- */

static struct vma *vma_alloc(uint64_t start, uint64_t end, unsigned prot, unsigned flags)
{
	struct vma *v = kzalloc(sizeof(*v));
	if (!v)
		return NULL;
	list_init(&v->node);
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	return v;
}

/* A second region backed by the same thing (split, fork): take a reference. */
static struct vma *vma_clone(const struct vma *src)
{
	struct vma *v = vma_alloc(src->start, src->end, src->prot, src->flags);
	if (!v)
		return NULL;
	v->offset = src->offset;
	v->file = src->file;
	v->shm = src->shm;
	if (v->file)
		file_get(v->file);
	if (v->shm)
		shm_vma_opened(v->shm);
	return v;
}

static void vma_free(struct vma *v)
{
	if (v->file)
		file_put(v->file);
	if (v->shm)
		shm_vma_closed(v->shm);
	kfree(v);
}

/* Keep the list sorted by start address. */
void vma_link(struct mm *mm, struct vma *v)
{
	mm->map_count++;
	struct list_node *pos = &mm->vmas;
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		if (list_entry(n, struct vma, node)->start > v->start) {
			pos = n;
			break;
		}
	}
	list_add_before(pos, &v->node);
}

void vma_unlink(struct mm *mm, struct vma *v)
{
	list_remove(&v->node);
	mm->map_count--;
	mm->gap_hint = NULL;
}

struct vma *vma_find(struct mm *mm, uint64_t addr)
{
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (addr < v->start)
			return NULL;
		if (addr < v->end)
			return v;
	}
	return NULL;
}

bool vm_range_is_free(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->start >= end && v->start != v->end)
			break; /* sorted: nothing further can overlap */
		if (v->start < end && start < v->end && v->start != v->end)
			return false;
	}
	return true;
}

struct vma *vma_insert(struct mm *mm, uint64_t start, uint64_t len, unsigned prot, unsigned flags)
{
	struct vma *v = vma_alloc(start, start + len, prot, flags);
	if (v)
		vma_link(mm, v);
	return v;
}

/* Walk the regions from `from` down, looking for room below `top`. */
static uint64_t gap_below(struct mm *mm, struct list_node *from, uint64_t top, uint64_t len)
{
	for (struct list_node *n = from; n != &mm->vmas; n = n->prev) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			break;
		top = v->start;
	}
	if (top < len || top - len < MMAP_MIN_ADDR)
		return 0;
	return top - len;
}

/* Searching from the top every time would make n mappings cost n^2 steps;
 * like Linux's old free_area_cache, start below the region placed last
 * (forgotten whenever a region goes away, since that may open a higher
 * gap), and search from the top only when that finds nothing. */
uint64_t vm_find_gap(struct mm *mm, uint64_t len)
{
	struct vma *hint = mm->gap_hint;
	if (hint) {
		uint64_t gap = gap_below(mm, hint->node.prev, hint->start, len);
		if (gap)
			return gap;
	}
	return gap_below(mm, mm->vmas.prev, USER_MMAP_TOP, len);
}

uint64_t vm_total(struct mm *mm)
{
	uint64_t bytes = 0;
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		bytes += v->end - v->start;
	}
	return bytes;
}

bool vm_can_commit(uint64_t bytes)
{
	return bytes / PAGE_SIZE <= frames_free_count();
}

/* --- pages ---------------------------------------------------------------- */

uint64_t vma_pte_flags(const struct vma *v)
{
	/* PROT_NONE: not present, but keeping its frame (see pte_has_frame). */
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return PTE_PROTNONE | pte_nx();
	uint64_t f = PTE_U;
	if (v->prot & PROT_WRITE)
		f |= PTE_W;
	if (!(v->prot & PROT_EXEC))
		f |= pte_nx();
	return f;
}

int vm_populate_page(struct mm *mm, struct vma *v, uint64_t va)
{
	va = ALIGN_DOWN(va, PAGE_SIZE);
	uint64_t *present = pte_lookup(mm->pml4, va, false);
	if (present && pte_has_frame(*present))
		return 0; /* already there (mlock of touched memory): keep its contents */
	uint64_t flags = vma_pte_flags(v);
	phys_addr_t frame;
	if (v->file) {
		int err = file_mmap_frame(v->file, v->offset + (va - v->start), &frame);
		if (err)
			return err;
		frame_ref(frame);
		if (!(v->flags & VMA_SHARED))
			flags &= ~PTE_W; /* private: the first write copies (mm/fault.c) */
	} else {
		frame = frame_alloc();
		if (!frame)
			return -ENOMEM;
	}
	if (map_page(mm->pml4, va, frame, flags)) {
		frame_free(frame);
		return -ENOMEM;
	}
	return 0;
}

static void release_pte(uint64_t *pte, uint64_t va, void *ctx)
{
	(void)ctx;
	phys_addr_t pa = *pte & PTE_ADDR_MASK;
	*pte = 0;
	flush_tlb_page(va);
	frame_free(pa);
}

void vm_zap_range(struct mm *mm, struct vma *v, uint64_t start, uint64_t end)
{
	(void)v;
	walk_range(mm->pml4, start, end, release_pte, NULL);
}

/*
 * A file shrank to `size` bytes: no mapping may go on showing its pages past
 * the new end -- their frames go back to the filesystem, and an access
 * there must raise SIGBUS, as on Linux. Linux keeps a list of each file's
 * mappings; we walk every address space instead (truncation is rare, and
 * there is one structure less to keep right). Private copies past the end
 * go too, as Linux's do. A page dropped twice (vfork shares an mm) is no
 * harm: the second walk finds nothing.
 */
void vm_file_shrunk(struct inode *inode, uint64_t size)
{
	uint64_t keep = ALIGN_UP(size, PAGE_SIZE); /* file bytes still backed by pages */
	struct list_node *tn;
	list_for_each(tn, &all_tasks) {
		struct mm *mm = list_entry(tn, struct task, all)->mm;
		if (!mm)
			continue;
		struct list_node *n;
		list_for_each(n, &mm->vmas) {
			struct vma *v = list_entry(n, struct vma, node);
			if (!v->file || v->file->inode != inode || v->offset + (v->end - v->start) <= keep)
				continue;
			uint64_t from = v->offset >= keep ? v->start : v->start + (keep - v->offset);
			vm_zap_range(mm, v, from, v->end);
		}
	}
}

/* --- whole address spaces --------------------------------------------------- */

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->pml4 = pml4_create();
	if (!mm->pml4) {
		kfree(mm);
		return NULL;
	}
	list_init(&mm->vmas);
	mm->users = 1;
	return mm;
}

void mm_put(struct mm *mm)
{
	if (!mm || --mm->users > 0)
		return;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		vm_zap_range(mm, v, v->start, v->end);
		vma_unlink(mm, v);
		vma_free(v);
	}
	pml4_destroy(mm->pml4);
	if (mm->exe) {
		inode_allow_write_access(mm->exe);
		inode_put(mm->exe);
	}
	kfree(mm);
}

struct fork_ctx {
	struct mm *child;
	const struct vma *vma;
	int error;
};

/* One present page of the parent: share its frame with the child. A
 * private page becomes read-only in both, so whichever writes first gets
 * its own copy; a shared page stays writable and shared. */
static void fork_pte(uint64_t *pte, uint64_t va, void *ctx_)
{
	struct fork_ctx *ctx = ctx_;
	if (ctx->error)
		return;
	if (!(ctx->vma->flags & VMA_SHARED) && (*pte & PTE_W)) {
		*pte &= ~PTE_W;
		flush_tlb_page(va);
	}
	phys_addr_t pa = *pte & PTE_ADDR_MASK;
	uint64_t flags = *pte & ~PTE_ADDR_MASK & ~(PTE_A | PTE_D);
	if (map_page(ctx->child->pml4, va, pa, flags)) {
		ctx->error = -ENOMEM;
		return;
	}
	frame_ref(pa);
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();
	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	/* /proc/PID/cmdline and environ: the same strings, on copied pages */
	child->arg_start = parent->arg_start, child->arg_end = parent->arg_end;
	child->env_start = parent->env_start, child->env_end = parent->env_end;
	if (parent->exe && inode_deny_write_access(parent->exe) == 0) { /* cannot fail: the parent denies already */
		child->exe = parent->exe;
		inode_get(child->exe);
	}
	struct list_node *n;
	list_for_each(n, &parent->vmas) {
		struct vma *pv = list_entry(n, struct vma, node);
		struct vma *cv = vma_clone(pv);
		if (!cv) {
			mm_put(child);
			return NULL;
		}
		cv->flags &= ~(VMA_LOCKED | VMA_LOCKONFAULT); /* mlock is not inherited (mm/mlock.c) */
		/* The parent's list is sorted: appending keeps the child's sorted
		 * (vma_link would walk the list for each, n^2 steps in all). */
		list_push_back(&child->vmas, &cv->node);
		child->map_count++;
		if (pv == parent->heap)
			child->heap = cv;
		struct fork_ctx ctx = { child, pv, 0 };
		walk_range(parent->pml4, pv->start, pv->end, fork_pte, &ctx);
		if (ctx.error) {
			mm_put(child);
			return NULL;
		}
	}
	return child;
}

/* --- munmap and mprotect ------------------------------------------------------ */

/* Split v at addr: v keeps [start, addr), the new region gets [addr, end).
 * The brk heap splits like any region; the top piece stays mm->heap (the
 * one brk moves), the pieces below become ordinary anonymous regions. */
static struct vma *vma_split(struct mm *mm, struct vma *v, uint64_t addr)
{
	if (!map_count_may_split(mm))
		return NULL;
	struct vma *tail = vma_clone(v);
	if (!tail)
		return NULL;
	mm->map_count++;
	tail->start = addr;
	tail->offset = v->offset + (addr - v->start);
	v->end = addr;
	list_add_after(&v->node, &tail->node);
	if (v == mm->heap) {
		mm->heap = tail;
		v->flags &= ~VMA_HEAP;
	}
	return tail;
}

void vm_unmap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	struct list_node *n, *tmp;
	mm->gap_hint = NULL; /* a gap may open above it */
	list_for_each_safe(n, tmp, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->start >= end)
			break; /* sorted: the rest lie above the range */
		if (v->end <= start)
			continue;
		uint64_t lo = MAX(v->start, start), hi = MIN(v->end, end);
		vm_zap_range(mm, v, lo, hi);
		if (v == mm->heap && lo == v->start && hi == v->end) {
			v->end = v->start; /* an empty heap stays, for brk to grow again */
			continue;
		}
		if (lo == v->start && hi == v->end) {
			vma_unlink(mm, v);
			vma_free(v);
		} else if (lo == v->start) {
			v->offset += hi - v->start;
			v->start = hi;
		} else if (hi == v->end) {
			v->end = lo;
		} else {
			struct vma *tail = vma_split(mm, v, hi);
			if (!tail) { /* cannot split: drop the pages, keep the region */
				continue;
			}
			v->end = lo;
			tmp = tail->node.next; /* the tail lies past the range */
		}
	}
}

/* --- mremap ------------------------------------------------------------------- */

struct vma *vm_isolate(struct mm *mm, uint64_t start, uint64_t end)
{
	struct vma *v = vma_find(mm, start);
	if (!v || v->start > start || v->end < end)
		return NULL;
	if (v->start < start && !(v = vma_split(mm, v, start)))
		return NULL;
	if (v->end > end && !vma_split(mm, v, end))
		return NULL;
	return v;
}

/* The leaf entry for va, made (with its page tables) if need be; NULL only
 * when memory for a page table runs out. */
static uint64_t *pte_for(struct mm *mm, uint64_t va)
{
	return pte_lookup(mm->pml4, va, true);
}

int vm_move_region(struct mm *mm, struct vma *v, uint64_t new_start, uint64_t new_end)
{
	uint64_t old_start = v->start, old_end = v->end;
	/* First make every page table the new place needs, so that nothing
	 * can fail once entries start to move. */
	for (uint64_t va = old_start; va < old_end; va += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(mm->pml4, va, false);
		if (pte && pte_has_frame(*pte) && !pte_for(mm, va - old_start + new_start))
			return -ENOMEM;
	}
	/* Then move the entries: the same frames, at other addresses. */
	for (uint64_t va = old_start; va < old_end; va += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(mm->pml4, va, false);
		if (!pte || !pte_has_frame(*pte))
			continue;
		*pte_for(mm, va - old_start + new_start) = *pte;
		*pte = 0;
		flush_tlb_page(va);
	}
	vma_unlink(mm, v);
	v->start = new_start;
	v->end = new_end;
	vma_link(mm, v);
	return 0;
}

struct protect_ctx {
	const struct vma *vma;
};

static void protect_pte(uint64_t *pte, uint64_t va, void *ctx_)
{
	struct protect_ctx *ctx = ctx_;
	uint64_t flags = vma_pte_flags(ctx->vma);
	/* Private pages lose write access here even if the region allows it:
	 * the next write faults and mm/fault.c checks whether the frame is
	 * shared before making it writable again. */
	if (!(ctx->vma->flags & VMA_SHARED))
		flags &= ~PTE_W;
	*pte = pte_make(*pte & PTE_ADDR_MASK, flags);
	flush_tlb_page(va);
}

/* A shared mapping writes into its file: it may only become writable if
 * the file was opened for writing (not a read-only fd, not SHM_RDONLY). */
static bool may_write(const struct vma *v)
{
	return !(v->flags & VMA_NO_MAYWRITE) && (!(v->flags & VMA_SHARED) || !v->file || file_writable(v->file));
}

int vm_protect_range(struct mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	/* The whole range must be mapped, without holes, and allow prot. */
	uint64_t covered = start;
	struct list_node *n, *tmp;
	list_for_each(n, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->end <= covered || v->start >= end)
			continue;
		if (v->start > covered)
			return -ENOMEM;
		if ((prot & PROT_WRITE) && !may_write(v))
			return -EACCES;
		covered = v->end;
	}
	if (covered < end)
		return -ENOMEM;

	list_for_each_safe(n, tmp, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start) {
			struct vma *tail = vma_split(mm, v, start);
			if (!tail)
				return -ENOMEM;
			v = tail;
		}
		if (v->end > end && !vma_split(mm, v, end))
			return -ENOMEM;
		v->prot = prot;
		struct protect_ctx ctx = { v };
		walk_range(mm->pml4, v->start, v->end, protect_pte, &ctx);
		tmp = v->node.next;
	}
	return 0;
}
