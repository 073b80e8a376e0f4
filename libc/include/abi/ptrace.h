/* Linux's ptrace ABI: requests, options, events and the structs a tracer
 * reads (course section: syscall tracing). Shared by the kernel
 * (kernel/trace/) and libc (<sys/ptrace.h>, <sys/user.h>). */
#ifndef ABI_PTRACE_H
#define ABI_PTRACE_H

#include <stdint.h>
#include "audit.h"

#define PTRACE_TRACEME 0
#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_PEEKUSER 3
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_POKEUSER 6
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_SINGLESTEP 9
#define PTRACE_GETREGS 12
#define PTRACE_SETREGS 13
#define PTRACE_GETFPREGS 14
#define PTRACE_SETFPREGS 15
#define PTRACE_ATTACH 16
#define PTRACE_DETACH 17
#define PTRACE_SYSCALL 24
#define PTRACE_SETOPTIONS 0x4200
#define PTRACE_GETEVENTMSG 0x4201
#define PTRACE_GETSIGINFO 0x4202
#define PTRACE_SETSIGINFO 0x4203
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define PTRACE_SEIZE 0x4206
#define PTRACE_INTERRUPT 0x4207
#define PTRACE_LISTEN 0x4208
#define PTRACE_GET_SYSCALL_INFO 0x420e

/* What a stop reports, in bits 16..23 of the wait status. */
#define PTRACE_EVENT_FORK 1
#define PTRACE_EVENT_VFORK 2
#define PTRACE_EVENT_CLONE 3
#define PTRACE_EVENT_EXEC 4
#define PTRACE_EVENT_VFORK_DONE 5
#define PTRACE_EVENT_EXIT 6
#define PTRACE_EVENT_SECCOMP 7 /* a seccomp filter returned SECCOMP_RET_TRACE */
#define PTRACE_EVENT_STOP 128

#define PTRACE_O_TRACESYSGOOD 1
#define PTRACE_O_TRACEFORK (1 << PTRACE_EVENT_FORK)
#define PTRACE_O_TRACEVFORK (1 << PTRACE_EVENT_VFORK)
#define PTRACE_O_TRACECLONE (1 << PTRACE_EVENT_CLONE)
#define PTRACE_O_TRACEEXEC (1 << PTRACE_EVENT_EXEC)
#define PTRACE_O_TRACEVFORKDONE (1 << PTRACE_EVENT_VFORK_DONE)
#define PTRACE_O_TRACEEXIT (1 << PTRACE_EVENT_EXIT)
#define PTRACE_O_TRACESECCOMP (1 << PTRACE_EVENT_SECCOMP)
#define PTRACE_O_EXITKILL (1 << 20)

/* GETREGSET/SETREGSET: which registers (the ELF core note types). */
#define NT_PRSTATUS 1 /* struct user_regs_struct */
#define NT_PRFPREG 2  /* struct user_fpregs_struct */

#define PTRACE_SYSCALL_INFO_NONE 0
#define PTRACE_SYSCALL_INFO_ENTRY 1
#define PTRACE_SYSCALL_INFO_EXIT 2
#define PTRACE_SYSCALL_INFO_SECCOMP 3 /* a PTRACE_EVENT_SECCOMP stop */

/* The registers as PTRACE_GETREGS shows them (also the start of struct user). */
struct user_regs_struct {
	unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	unsigned long rax, rcx, rdx, rsi, rdi, orig_rax;
	unsigned long rip, cs, eflags, rsp, ss;
	unsigned long fs_base, gs_base, ds, es, fs, gs;
};

/* PTRACE_GETFPREGS: the fxsave image. */
struct user_fpregs_struct {
	uint16_t cwd, swd, ftw, fop;
	uint64_t rip, rdp;
	uint32_t mxcsr, mxcr_mask;
	uint32_t st_space[32];
	uint32_t xmm_space[64];
	uint32_t padding[24];
};

/* PEEKUSER/POKEUSER offsets are into the kernel's struct user: the
 * registers at 0, the debug registers at 848, 928 bytes in all (glibc's
 * <sys/user.h> copy lacks the last two words). */
#define USER_REGS_SIZE 216
#define USER_DEBUGREG_OFFSET 848
#define USER_STRUCT_SIZE 928

struct ptrace_syscall_info {
	uint8_t op; /* PTRACE_SYSCALL_INFO_* */
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct {
			uint64_t nr;
			uint64_t args[6];
		} entry;
		struct {
			int64_t rval;
			uint8_t is_error;
		} exit;
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint32_t ret_data; /* the filter's SECCOMP_RET_DATA */
		} seccomp;
	};
};

#endif
