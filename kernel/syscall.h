/* The syscall table and dispatcher (course section: the syscall gate). */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "arch/x86_64/regs.h"
#include "kernel/types.h"
#include "libc/include/abi/errno.h"
#include "syscall_nr.h"
#include "syscall_protos.h"

typedef long (*syscall_fn_t)(const struct regs *r);

/* Generated from kernel/syscalls.tbl (build/gen/syscall_table.c). */
extern syscall_fn_t syscall_table[NR_SYSCALLS];

/* Set the MSRs that make `syscall` enter the kernel at syscall_entry. */
void syscall_init(void);
/* Called by syscall_entry.asm; returns true if `sysret` may be used. */
bool syscall_dispatch(struct regs *r);

/* A hook called on every syscall entry (tracers and modules), or NULL. */
typedef void (*syscall_hook_fn)(const struct regs *r);
extern syscall_hook_fn syscall_entry_hook;

/* Syscalls a module adds at run time: set/clear an empty table slot. */
int syscall_register(unsigned nr, syscall_fn_t fn);
void syscall_unregister(unsigned nr);

#endif
