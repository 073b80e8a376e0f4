/*
 * mlock, mlock2, munlock, mlockall, munlockall: keeping memory in RAM
 * (course section: memory).
 *
 * On Linux a locked page is never swapped out, which real-time programs
 * and keepers of secrets (keys must not reach the disk) rely on. sysgate
 * has no swap, so every page already stays; what locking still means here,
 * and what programs can observe, is what Linux also does:
 *   - the pages are brought in at once (no page fault later: the latency a
 *     real-time program locks to avoid), unless MLOCK_ONFAULT/MCL_ONFAULT;
 *   - the region is marked locked (VmLck in /proc/PID/status);
 *   - the amount is limited by RLIMIT_MEMLOCK unless the caller has
 *     CAP_IPC_LOCK: ENOMEM beyond it, EPERM when the limit is 0;
 *   - locks are not inherited by fork nor kept by exec.
 * Locking part of a region splits it, as mprotect does.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/resource.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/vm.h"

#define LOCK_FLAGS (VMA_LOCKED | VMA_LOCKONFAULT)

/* Bytes of [start, end) not locked yet: what locking it would add. */
static uint64_t unlocked_bytes_in(struct mm *mm, uint64_t start, uint64_t end)
{
	uint64_t total = 0;
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		const struct vma *v = list_entry(n, struct vma, node);
		if (v->end > start && v->start < end && !(v->flags & VMA_LOCKED))
			total += MIN(v->end, end) - MAX(v->start, start);
	}
	return total;
}

/* May this process have `more` bytes locked besides those it has? */
static long check_lock_limit(struct mm *mm, uint64_t more)
{
	unsigned long limit = current->rlim[RLIMIT_MEMLOCK].rlim_cur;
	if (capable(CAP_IPC_LOCK) || limit == RLIM_INFINITY)
		return 0;
	if (limit == 0)
		return -EPERM;
	return vm_locked_bytes(mm) + more > limit ? -ENOMEM : 0;
}

static bool range_mapped(struct mm *mm, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end;) {
		struct vma *v = vma_find(mm, a);
		if (!v || v->start > a)
			return false;
		a = v->end;
	}
	return true;
}

/* Bring every page of v in (for a readable region: PROT_NONE pages cannot be touched). */
static long populate(struct mm *mm, struct vma *v)
{
	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE)
		if (vm_populate_page(mm, v, va))
			return -EAGAIN; /* Linux's answer when pages could not be locked */
	return 0;
}

/* Set the lock flags of every region in [start, end), splitting at the ends. */
static long apply_lock(struct mm *mm, uint64_t start, uint64_t end, unsigned lock)
{
	for (uint64_t a = start; a < end;) {
		struct vma *v = vma_find(mm, a);
		uint64_t piece_end = MIN(v->end, end);
		v = vm_isolate(mm, a, piece_end);
		if (!v)
			return -ENOMEM; /* no memory, or too many regions, for the split */
		v->flags = (v->flags & ~LOCK_FLAGS) | lock;
		if ((lock & VMA_LOCKED) && !(lock & VMA_LOCKONFAULT)) {
			long err = populate(mm, v);
			if (err)
				return err;
		}
		a = piece_end;
	}
	return 0;
}

/* The checks mlock, mlock2 and munlock share: the range, page-rounded. */
static long lock_range(uint64_t addr, uint64_t len, unsigned lock)
{
	struct mm *mm = current->mm;
	uint64_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	if (addr + len < addr)
		return -EINVAL;
	uint64_t end = ALIGN_UP(addr + len, PAGE_SIZE);
	if (end > USER_TOP)
		return -ENOMEM;
	if (start == end)
		return 0;
	if (lock & VMA_LOCKED) {
		long err = check_lock_limit(mm, unlocked_bytes_in(mm, start, end));
		if (err)
			return err;
	}
	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	return apply_lock(mm, start, end, lock);
}

long sys_mlock(unsigned long addr, size_t len)
{
	return lock_range(addr, len, VMA_LOCKED);
}

long sys_mlock2(unsigned long addr, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(addr, len, VMA_LOCKED | (flags & MLOCK_ONFAULT ? VMA_LOCKONFAULT : 0));
}

long sys_munlock(unsigned long addr, size_t len)
{
	return lock_range(addr, len, 0);
}

/* Lock or unlock every region there is. */
static long lock_all(struct mm *mm, unsigned lock)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		v->flags = (v->flags & ~LOCK_FLAGS) | lock;
		if ((lock & VMA_LOCKED) && !(lock & VMA_LOCKONFAULT)) {
			long err = populate(mm, v);
			if (err)
				return err;
		}
	}
	return 0;
}

long sys_mlockall(int flags)
{
	struct mm *mm = current->mm;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	unsigned lock = VMA_LOCKED | (flags & MCL_ONFAULT ? VMA_LOCKONFAULT : 0);
	if (flags & MCL_CURRENT) {
		long err = check_lock_limit(mm, unlocked_bytes_in(mm, 0, USER_TOP));
		if (err)
			return err;
	} else if (!capable(CAP_IPC_LOCK) && current->rlim[RLIMIT_MEMLOCK].rlim_cur == 0) {
		return -EPERM;
	}
	mm->lock_future = flags & MCL_FUTURE;
	mm->lock_future_onfault = flags & MCL_ONFAULT;
	return flags & MCL_CURRENT ? lock_all(mm, lock) : 0;
}

long sys_munlockall(void)
{
	struct mm *mm = current->mm;
	mm->lock_future = mm->lock_future_onfault = false;
	return lock_all(mm, 0);
}

long mlock_new_region(struct mm *mm, struct vma *v, bool map_locked)
{
	if (!map_locked && !mm->lock_future)
		return 0;
	long err = check_lock_limit(mm, v->end - v->start);
	if (err)
		return -EAGAIN; /* mmap's word for "too much memory locked" */
	unsigned lock = VMA_LOCKED | (!map_locked && mm->lock_future_onfault ? VMA_LOCKONFAULT : 0);
	v->flags |= lock;
	return lock & VMA_LOCKONFAULT ? 0 : populate(mm, v);
}
