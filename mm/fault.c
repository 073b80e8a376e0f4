/*
 * The page-fault handler (course section: memory).
 *
 * A page fault (#PF) tells us the address (CR2) and, in the error code, what
 * the access was: a read, a write or an instruction fetch; from user or
 * kernel mode; to a page that is not present, or present but protected.
 * We answer from the process's regions (mm/vm.c):
 *   - no region contains the address: a real error. The program gets
 *     SIGSEGV (arch/x86_64/traps.c), or a user copy returns -EFAULT.
 *   - the region does not allow this access (write to read-only, execute
 *     of data, anything on PROT_NONE): also an error.
 *   - the page is simply not there yet: memory is given on first touch
 *     ("demand paging"), so find its frame and map it, and retry. For a
 *     private anonymous region that is a fresh zeroed frame. For a region
 *     backed by a file or a shared memory segment it is the file's own
 *     frame for that offset (vm_populate_page): this is the moment two
 *     processes come to share memory -- each one's first touch puts the
 *     same frame into its own page table. A page past the end of the file
 *     has no frame: SIGBUS.
 *   - a write to a present, read-only page of a writable private region:
 *     the page is shared copy-on-write since fork. If we are the frame's
 *     only user, just make it writable; otherwise copy it first.
 */
#include "mm/fault.h"
#include "arch/x86_64/x86.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/vm.h"
#include "mm/oom.h"

bool fault_was_sigbus;
bool fault_was_accerr;

static bool access_allowed(const struct vma *v, uint64_t error)
{
	if (error & PF_WRITE)
		return v->prot & PROT_WRITE;
	if (error & PF_FETCH)
		return v->prot & PROT_EXEC;
	return v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

bool cow_is_shared(uint64_t pte, const struct vma *v)
{
	return !(v->flags & VMA_SHARED) && (frame_refcount(pte & PTE_ADDR_MASK) > 1 || v->file);
}

bool cow_copy(uint64_t *pte, uint64_t va, const struct vma *v)
{
	phys_addr_t old = *pte & PTE_ADDR_MASK;
	phys_addr_t copy = frame_alloc();
	if (!copy)
		return false;
	memcpy(phys_to_virt(copy), phys_to_virt(old), PAGE_SIZE);
	*pte = pte_make(copy, vma_pte_flags(v));
	frame_free(old);
	flush_tlb_page(va);
	return true;
}

/* The write to a shared-by-fork page: give this address space its own. */
static bool break_cow(struct mm *mm, uint64_t *pte, uint64_t va, const struct vma *v)
{
	if (cow_is_shared(*pte, v)) {
		bool copied = cow_copy(pte, va, v);
		for (int kills = 0; !copied && kills < OOM_MAX_KILLS; kills++) {
			enum oom_result r = oom_kill_one();
			if (r == OOM_KILLED_CURRENT)
				return true; /* as above */
			if (r == OOM_NOTHING)
				break;
			copied = cow_copy(pte, va, v);
		}
		if (!copied)
			return false;
	} else {
		*pte |= PTE_W; /* the last user: no copy needed */
	}
	flush_tlb_page(va);
	(void)mm;
	return true;
}

static bool resolve_fault(uint64_t addr, uint64_t error)
{
	fault_was_sigbus = false;
	fault_was_accerr = false;
	struct task *t = current;
	if (addr >= USER_TOP || !t || !t->mm)
		return false;
	struct mm *mm = t->mm;
	struct vma *v = vma_find(mm, addr);
	if (!v)
		return false;
	if (!access_allowed(v, error)) {
		fault_was_accerr = true;
		return false;
	}

	uint64_t va = ALIGN_DOWN(addr, PAGE_SIZE);
	uint64_t *pte = pte_lookup(mm->pml4, va, false);
	if (!pte || !pte_has_frame(*pte)) {
		int err = vm_populate_page(mm, v, va);
		for (int kills = 0; err == -ENOMEM && kills < OOM_MAX_KILLS; kills++) {
			enum oom_result r = oom_kill_one();
			if (r == OOM_KILLED_CURRENT)
				return true; /* SIGKILL is pending: it dies before running again */
			if (r == OOM_NOTHING)
				break;
			err = vm_populate_page(mm, v, va);
		}
		if (err == -EFAULT)
			fault_was_sigbus = true;
		return err == 0;
	}
	if ((error & PF_WRITE) && !(*pte & PTE_W) && !(v->flags & VMA_SHARED))
		return break_cow(mm, pte, va, v);
	if ((error & PF_WRITE) && !(*pte & PTE_W) && (v->flags & VMA_SHARED)) {
		*pte |= PTE_W; /* a shared page whose rights mprotect widened */
		flush_tlb_page(va);
		return true;
	}
	/* Present and allowed: another CPU... or a stale TLB entry. Retry. */
	flush_tlb_page(va);
	return (error & PF_PRESENT) == 0;
}

/* Every fault the kernel resolves is counted, as Linux's minflt: a page
 * given on first touch, a copy-on-write copy, a file's page mapped in. */
bool handle_page_fault(uint64_t addr, uint64_t error, bool from_user)
{
	(void)from_user;
	bool resolved = resolve_fault(addr, error);
	if (resolved)
		current->min_flt++;
	return resolved;
}
