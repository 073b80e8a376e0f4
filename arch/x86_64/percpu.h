/*
 * The per-CPU area (course section: the syscall gate).
 *
 * `syscall` does not switch stacks: it arrives in the kernel with the
 * program's rsp. The entry code needs one place it can reach without any
 * free register: the gs segment. While the kernel runs, the GS base points
 * at this structure (user programs have their own GS base; `swapgs`
 * exchanges the two on every entry and exit). sysgate runs on one CPU, but
 * the code is written the way an SMP kernel must be.
 */
#ifndef ARCH_X86_64_PERCPU_H
#define ARCH_X86_64_PERCPU_H

/* Offsets used by arch/x86_64/syscall_entry.asm, checked below. */
#define PERCPU_SELF 0
#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP 16
#define PERCPU_CURRENT 24

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct task;

struct percpu {
	struct percpu *self;  /* gs:0 holds this structure's own address */
	uint64_t kernel_rsp;  /* top of the running task's kernel stack */
	uint64_t user_rsp;    /* the program's rsp, saved at syscall entry */
	struct task *current_task; /* the running task */
	uint64_t syscalls;    /* syscalls made on this CPU, for the curious */
};

_Static_assert(__builtin_offsetof(struct percpu, self) == PERCPU_SELF, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) == PERCPU_KERNEL_RSP, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "percpu layout");
_Static_assert(__builtin_offsetof(struct percpu, current_task) == PERCPU_CURRENT, "percpu layout");

/* One `mov %gs:0, reg` finds this CPU's area. volatile: the value depends
 * on the GS base, which gcc cannot see, so it must not hoist the read above
 * percpu_init() (as it did once UBSAN's checks reshaped kmain). */
static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

void percpu_init(void);
void percpu_set_kernel_stack(uint64_t top);
#endif

#endif
