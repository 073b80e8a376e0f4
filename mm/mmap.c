/*
 * Memory syscalls: brk, mmap, munmap, mprotect, madvise, msync (course
 * section: memory; shared memory).
 *
 * None of these touches a page: they only change the regions (mm/vm.c).
 * Frames arrive later, one page-fault at a time, when the program touches
 * the memory. So mmap of a gigabyte is quick, and only the pages used cost
 * memory. To keep that promise honest, a request larger than the free
 * memory is refused with ENOMEM at once, as Linux's default heuristic does.
 *
 * Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) is backed by a file
 * without a name, so that parent and child, after fork, find the same
 * frames even for pages neither had touched before the fork.
 */
#include "kernel/fs/file.h"
#include "kernel/proc/rlimit.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "mm/paging.h"
#include "mm/vm.h"
#include "mm/map_count.h"

/* RLIMIT_AS: may the address space grow by `more` bytes? */
static bool within_as_limit(struct mm *mm, uint64_t more)
{
	unsigned long limit = rlimit(RLIMIT_AS);
	return limit == RLIM_INFINITY || vm_total(mm) + more <= limit;
}

/* Make the heap region end at new_end. It normally ends at the old break's
 * page (old_end); munmap may have cut its top off, or all of it (an empty
 * heap region, which then moves up to the break). */
static bool heap_grow(struct mm *mm, uint64_t old_end, uint64_t new_end)
{
	struct vma *heap = mm->heap;
	if (heap->start == heap->end && heap->start != old_end) {
		vma_unlink(mm, heap);
		heap->start = heap->end = old_end;
		vma_link(mm, heap); /* back in address order */
	}
	if (!vm_range_is_free(mm, heap->end, new_end) || !vm_can_commit(new_end - heap->end))
		return false;
	/* RLIMIT_DATA, in its classic meaning: the size of the heap. */
	if (new_end - mm->brk_start > rlimit(RLIMIT_DATA) || !within_as_limit(mm, new_end - heap->end))
		return false;
	heap->end = new_end;
	return true;
}

long sys_brk(unsigned long brk)
{
	struct mm *mm = current->mm;
	if (brk < mm->brk_start)
		return mm->brk; /* brk(0) asks where the break is */
	uint64_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	uint64_t new_end = ALIGN_UP(brk, PAGE_SIZE);
	if (brk > USER_MMAP_TOP)
		return mm->brk;
	if (new_end > old_end) {
		if (!heap_grow(mm, old_end, new_end))
			return mm->brk; /* failure: the old break */
	} else if (new_end < old_end) {
		vm_unmap_range(mm, new_end, old_end);
	}
	mm->brk = brk;
	return brk;
}

static bool valid_range(uint64_t addr, uint64_t len)
{
	return addr < USER_TOP && len <= USER_TOP - addr;
}

/* The file behind a mapping: the fd's, or a nameless one for shared
 * anonymous memory. A file that maps as memory (/dev/zero) turns the
 * mapping into an anonymous one: *flags gains MAP_ANONYMOUS. */
static long mapping_file(int fd, int prot, unsigned long *flags, uint64_t len, struct file **out)
{
	*out = NULL;
	if (!(*flags & MAP_ANONYMOUS)) {
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		if (!f->ops->mmap_frame && !f->ops->mmap_anonymous)
			return -ENODEV;
		if (!file_readable(f))
			return -EACCES;
		if ((*flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) && !file_writable(f))
			return -EACCES;
		if (!f->ops->mmap_anonymous) {
			file_get(f);
			*out = f;
			return 0;
		}
		*flags |= MAP_ANONYMOUS;
	}
	if ((*flags & MAP_TYPE) == MAP_PRIVATE)
		return 0;
	struct inode *i = inode_new_anonymous(S_IFREG | 0600);
	int err = i ? 0 : -ENOMEM;
	if (i)
		i->size = len; /* all of it is memory: no SIGBUS inside */
	*out = i ? file_open_inode(i, O_RDWR, &err) : NULL;
	return err;
}

static long choose_address(struct mm *mm, uint64_t addr, uint64_t len, int flags)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr % PAGE_SIZE)
			return -EINVAL;
		if (!valid_range(addr, len) || addr < PAGE_SIZE)
			return -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !(flags & MAP_FIXED) && !vm_range_is_free(mm, addr, addr + len))
			return -EEXIST;
		vm_unmap_range(mm, addr, addr + len);
		return (long)addr;
	}
	/* A hint is taken when the place is free; otherwise we choose. */
	addr = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr >= PAGE_SIZE * 16 && valid_range(addr, len) && vm_range_is_free(mm, addr, addr + len))
		return (long)addr;
	uint64_t gap = vm_find_gap(mm, len);
	return gap ? (long)gap : -ENOMEM;
}

/* The flags MAP_SHARED_VALIDATE accepts: Linux's "legacy" set (most are hints we may ignore). */
#define MAP_KNOWN_FLAGS                                                                                          \
	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT | MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE |      \
	 MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_FIXED_NOREPLACE)

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, int fd,
	      unsigned long offset)
{
	struct mm *mm = current->mm;
	int type = flags & MAP_TYPE;
	if (len == 0 || offset % PAGE_SIZE || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE))
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE) {
		/* "Shared, and tell me if you do not know a flag" -- for files. */
		if (flags & MAP_ANONYMOUS)
			return -EINVAL;
		if (flags & ~MAP_KNOWN_FLAGS)
			return -EOPNOTSUPP;
	}
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC; /* Linux ignores the other bits here */
	if (len > USER_TOP)
		return -ENOMEM;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (offset + len < offset)
		return -EOVERFLOW;
	if ((!(flags & MAP_NORESERVE) && !vm_can_commit(len)) || !within_as_limit(mm, len))
		return -ENOMEM;
	if (!map_count_may_map(mm))
		return -ENOMEM; /* vm.max_map_count */

	struct file *file;
	long err = mapping_file(fd, (int)prot, &flags, len, &file);
	if (!err && file && file->ops->mmap_check)
		err = file->ops->mmap_check(file, offset, len, prot, flags);
	if (err) {
		file_put(file);
		return err;
	}
	long start = choose_address(mm, addr, len, flags);
	if (start < 0) {
		file_put(file);
		return start;
	}
	unsigned vflags = type == MAP_PRIVATE ? 0 : VMA_SHARED;
	if (file && file->ops->mmap_no_later_write && !(prot & PROT_WRITE))
		vflags |= VMA_NO_MAYWRITE;
	struct vma *v = vma_insert(mm, start, len, prot, vflags);
	if (!v) {
		file_put(file);
		return -ENOMEM;
	}
	if (!addr && !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		mm->gap_hint = v; /* placed by vm_find_gap: the next search starts below it */
	v->file = file; /* the region now owns the reference */
	v->offset = (flags & MAP_ANONYMOUS) ? 0 : offset;
	long err_lock = mlock_new_region(mm, v, flags & MAP_LOCKED);
	if (err_lock) {
		vm_unmap_range(mm, start, start + len);
		return err_lock;
	}
	if (flags & MAP_POPULATE)
		for (uint64_t va = start; va < start + len; va += PAGE_SIZE)
			if (vm_populate_page(mm, v, va))
				break;
	return start;
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	if (addr % PAGE_SIZE || len == 0 || !valid_range(addr, len))
		return -EINVAL;
	vm_unmap_range(current->mm, addr, addr + ALIGN_UP(len, PAGE_SIZE));
	return 0;
}

/*
 * mremap: resize a mapping, or move it, without copying a byte -- the page
 * table entries move, the frames stay. How realloc grows a large block:
 * in place if the addresses above are free, elsewhere (MREMAP_MAYMOVE)
 * otherwise, or exactly at new_addr (MREMAP_FIXED). The range must lie in
 * one mapping (EFAULT otherwise, as Linux says). brk's heap and the stack
 * are left to brk and to the fault handler: EINVAL.
 */
static long mremap_grow_in_place(struct mm *mm, struct vma *v, uint64_t new_end)
{
	if (!vm_range_is_free(mm, v->end, new_end) || new_end > USER_MMAP_TOP)
		return -ENOMEM;
	v->end = new_end;
	return (long)v->start;
}

static long mremap_move(struct mm *mm, struct vma *v, uint64_t to, uint64_t new_len)
{
	if (!to)
		return -ENOMEM; /* no gap big enough */
	int err = vm_move_region(mm, v, to, to + (v->end - v->start));
	if (err)
		return err;
	v->end = to + new_len;
	return (long)to;
}

/* mremap with old_len 0: a second mapping of the same shared pages (how
 * Linux duplicates a shared mapping). Private memory has nothing to share:
 * EINVAL. Without MREMAP_MAYMOVE it would have to appear where the first
 * one already is: ENOMEM. */
static long mremap_duplicate(struct mm *mm, uint64_t old_addr, uint64_t new_len, bool may_move, bool fixed,
			     uint64_t new_addr)
{
	struct vma *v = vma_find(mm, old_addr);
	if (!v || v->start > old_addr)
		return -EFAULT;
	if (!(v->flags & VMA_SHARED) || !v->file)
		return -EINVAL;
	if (!may_move || !within_as_limit(mm, new_len))
		return -ENOMEM;
	if (fixed)
		vm_unmap_range(mm, new_addr, new_addr + new_len);
	uint64_t start = fixed ? new_addr : vm_find_gap(mm, new_len);
	struct vma *dup = start ? vma_insert(mm, start, new_len, v->prot, VMA_SHARED) : NULL;
	if (!dup)
		return -ENOMEM;
	file_get(v->file);
	dup->file = v->file;
	dup->offset = v->offset + (old_addr - v->start);
	return (long)start;
}

long sys_mremap(unsigned long old_addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	struct mm *mm = current->mm;
	bool fixed = flags & MREMAP_FIXED, may_move = flags & MREMAP_MAYMOVE;
	if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) || (fixed && !may_move) || old_addr % PAGE_SIZE)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if (!new_len || !valid_range(old_addr, old_len) || !valid_range(new_addr, new_len))
		return -EINVAL;
	if (fixed && (new_addr % PAGE_SIZE || (new_addr < old_addr + old_len && old_addr < new_addr + new_len)))
		return -EINVAL;
	if (!old_len)
		return mremap_duplicate(mm, old_addr, new_len, may_move, fixed, new_addr);
	struct vma *v = vma_find(mm, old_addr);
	if (!v || v->start > old_addr || v->end < old_addr + old_len)
		return -EFAULT;
	if (v == mm->heap || (v->flags & VMA_STACK))
		return -EINVAL;
	if (new_len > old_len && (!vm_can_commit(new_len - old_len) || !within_as_limit(mm, new_len - old_len)))
		return -ENOMEM;
	if (new_len < old_len) { /* the tail goes; the rest may still move */
		vm_unmap_range(mm, old_addr + new_len, old_addr + old_len);
		old_len = new_len;
	}
	v = vm_isolate(mm, old_addr, old_addr + old_len);
	if (!v)
		return -ENOMEM;
	if (fixed) {
		vm_unmap_range(mm, new_addr, new_addr + new_len);
		return mremap_move(mm, v, new_addr, new_len);
	}
	if (new_len == old_len)
		return (long)old_addr;
	long r = mremap_grow_in_place(mm, v, old_addr + new_len);
	if (r == -ENOMEM && may_move)
		r = mremap_move(mm, v, vm_find_gap(mm, new_len), new_len);
	return r;
}

long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	if (addr % PAGE_SIZE || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)))
		return -EINVAL;
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!valid_range(addr, len))
		return -ENOMEM;
	if (len == 0)
		return 0;
	return vm_protect_range(current->mm, addr, addr + len, prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/* Is all of [addr, addr+len) inside regions? */
static bool fully_mapped(struct mm *mm, uint64_t addr, uint64_t len)
{
	for (uint64_t a = addr; a < addr + len;) {
		struct vma *v = vma_find(mm, a);
		if (!v)
			return false;
		a = v->end;
	}
	return true;
}

long sys_madvise(unsigned long addr, unsigned long len, int advice)
{
	struct mm *mm = current->mm;
	if (addr % PAGE_SIZE || advice < 0 || advice > 100)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!valid_range(addr, len))
		return -EINVAL;
	if (!fully_mapped(mm, addr, len))
		return -ENOMEM;
	if (advice == MADV_DONTNEED) {
		/* Drop the pages: private memory reads back as zeros, file and
		 * shared memory as the file's current contents. */
		for (uint64_t a = addr; a < addr + len;) {
			struct vma *v = vma_find(mm, a);
			uint64_t end = MIN(v->end, addr + len);
			vm_zap_range(mm, v, a, end);
			a = end;
		}
		return 0;
	}
	if (advice <= MADV_DONTNEED)
		return 0; /* the other hints need no action here */
	return -EINVAL;
}

long sys_msync(unsigned long addr, unsigned long len, int flags)
{
	if (addr % PAGE_SIZE || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!valid_range(addr, len))
		return -ENOMEM;
	/* The filesystem is memory and mappings share its frames: a shared
	 * mapping and the file are always in sync. */
	return fully_mapped(current->mm, addr, len) ? 0 : -ENOMEM;
}
