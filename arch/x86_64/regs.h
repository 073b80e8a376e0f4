/*
 * The saved-register frame (course section: the syscall gate).
 *
 * Every entry into the kernel from a program -- a `syscall`, an interrupt,
 * an exception -- saves the program's registers in this one layout at the
 * top of the task's kernel stack. The C code that handles syscalls, page
 * faults, signals, ptrace and fork reads and changes the program's state
 * through it; the exit path restores the registers from it.
 *
 * From the bottom (lowest address) up: the general registers, pushed by our
 * entry code; the vector number and the error code, pushed by our stubs (or
 * the CPU, for the error code of some exceptions); and the five words the
 * CPU pushes on an interrupt (rip, cs, rflags, rsp, ss). The syscall entry
 * pushes those five itself, so both paths build the same frame.
 */
#ifndef ARCH_X86_64_REGS_H
#define ARCH_X86_64_REGS_H

#define REGS_R15 0
#define REGS_RAX 80
#define REGS_RCX 88
#define REGS_VECTOR 120
#define REGS_ERROR 128
#define REGS_RIP 136
#define REGS_CS 144
#define REGS_RFLAGS 152
#define REGS_RSP 160
#define REGS_SS 168
#define REGS_SIZE 176

#ifndef __ASSEMBLER__
#include "kernel/types.h"

struct regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector; /* interrupt vector, or VEC_SYSCALL */
	union {
		uint64_t error_code; /* for exceptions that push one */
		uint64_t orig_rax;   /* for syscalls: the number (rax becomes the result) */
	};
	uint64_t rip, cs, rflags, rsp, ss; /* the interrupt frame */
};

_Static_assert(offsetof(struct regs, r15) == REGS_R15, "regs layout");
_Static_assert(offsetof(struct regs, rax) == REGS_RAX, "regs layout");
_Static_assert(offsetof(struct regs, rcx) == REGS_RCX, "regs layout");
_Static_assert(offsetof(struct regs, vector) == REGS_VECTOR, "regs layout");
_Static_assert(offsetof(struct regs, error_code) == REGS_ERROR, "regs layout");
_Static_assert(offsetof(struct regs, rip) == REGS_RIP, "regs layout");
_Static_assert(offsetof(struct regs, cs) == REGS_CS, "regs layout");
_Static_assert(offsetof(struct regs, rflags) == REGS_RFLAGS, "regs layout");
_Static_assert(offsetof(struct regs, rsp) == REGS_RSP, "regs layout");
_Static_assert(offsetof(struct regs, ss) == REGS_SS, "regs layout");
_Static_assert(sizeof(struct regs) == REGS_SIZE, "regs layout");
/* The frame sits at the top of a 16-byte aligned stack and must keep the
 * stack aligned for the C code called below it. */
_Static_assert(REGS_SIZE % 16 == 0, "regs keeps the stack aligned");

static inline bool regs_from_user(const struct regs *r)
{
	return (r->cs & 3) == 3;
}
#endif

#endif
