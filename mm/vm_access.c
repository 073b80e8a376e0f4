/*
 * The kernel looking into a process's memory from outside it (course
 * section: memory): reading and writing another address space through its
 * page tables (ptrace's PEEK/POKE, process_vm_readv, /proc/PID/cmdline,
 * clone's CLONE_CHILD_SETTID), and counting what it uses (/proc/PID/status
 * and statm: VmSize, VmRSS, VmLck).
 */
#include "mm/vm.h"
#include "mm/fault.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/layout.h"
#include "mm/paging.h"

int vm_write(struct mm *mm, uint64_t va, const void *src, size_t n)
{
	for (size_t done = 0; done < n;) {
		uint64_t at = va + done;
		struct vma *v = vma_find(mm, at);
		if (!v)
			return -EFAULT;
		uint64_t *pte = pte_lookup(mm->pml4, ALIGN_DOWN(at, PAGE_SIZE), false);
		if (!pte || !pte_has_frame(*pte)) {
			int err = vm_populate_page(mm, v, at);
			if (err)
				return err;
			pte = pte_lookup(mm->pml4, ALIGN_DOWN(at, PAGE_SIZE), false);
		}
		/* Writing through the direct map bypasses copy-on-write: break
		 * it by hand, or the write would show in the page's other users
		 * (clone's CLONE_CHILD_SETTID into a fresh fork's memory). */
		if (cow_is_shared(*pte, v) && !cow_copy(pte, ALIGN_DOWN(at, PAGE_SIZE), v))
			return -ENOMEM;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		memcpy((char *)phys_to_virt(*pte & PTE_ADDR_MASK) + at % PAGE_SIZE, (const char *)src + done, chunk);
		done += chunk;
	}
	return 0;
}

int vm_read(struct mm *mm, uint64_t va, void *dst, size_t n)
{
	for (size_t done = 0; done < n;) {
		uint64_t at = va + done;
		uint64_t *pte = pte_lookup(mm->pml4, ALIGN_DOWN(at, PAGE_SIZE), false);
		if (!pte || !pte_has_frame(*pte))
			return -EFAULT;
		size_t chunk = MIN(n - done, PAGE_SIZE - at % PAGE_SIZE);
		memcpy((char *)dst + done, (char *)phys_to_virt(*pte & PTE_ADDR_MASK) + at % PAGE_SIZE, chunk);
		done += chunk;
	}
	return 0;
}

static void count_pte(uint64_t *pte, uint64_t va, void *ctx)
{
	(void)pte, (void)va;
	(*(uint64_t *)ctx)++;
}

void vm_usage(struct mm *mm, uint64_t *vsize, uint64_t *rss)
{
	*vsize = *rss = 0;
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		*vsize += v->end - v->start;
		walk_range(mm->pml4, v->start, v->end, count_pte, rss);
	}
}

uint64_t vm_locked_bytes(struct mm *mm)
{
	uint64_t total = 0;
	struct list_node *n;
	list_for_each(n, &mm->vmas) {
		const struct vma *v = list_entry(n, struct vma, node);
		if (v->flags & VMA_LOCKED)
			total += v->end - v->start;
	}
	return total;
}
