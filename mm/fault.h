/* The page-fault handler (course section: memory). */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include "kernel/types.h"

/* Try to resolve a fault at addr (error code bits from arch/x86_64/x86.h).
 * True if the page is now there and the instruction can be retried. */
bool handle_page_fault(uint64_t addr, uint64_t error, bool from_user);

struct vma;
/* Copy-on-write: is the frame in this private page's entry still shared
 * (with a fork's other side, or a file's own page)? Then cow_copy gives the
 * address space a copy of its own, mapped with the region's rights. */
bool cow_is_shared(uint64_t pte, const struct vma *v);
bool cow_copy(uint64_t *pte, uint64_t va, const struct vma *v);

/* Set when the last unresolved fault was an access beyond the end of a
 * mapped file (SIGBUS rather than SIGSEGV). */
extern bool fault_was_sigbus;
/* Set when the last unresolved fault hit a region that exists but forbids
 * the access (si_code SEGV_ACCERR, as on Linux; SEGV_MAPERR otherwise). */
extern bool fault_was_accerr;

#endif
