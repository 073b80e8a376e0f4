/*
 * A stopped tracee's registers, as ptrace shows them (course section:
 * syscall tracing).
 *
 * The tracee is stopped inside the kernel, so its user registers are in
 * the saved frame at the top of its kernel stack (arch/x86_64/regs.h); its
 * FPU registers were saved when it was switched out. PTRACE_GETREGS copies
 * them into Linux's struct user_regs_struct, whose order differs a little
 * from our frame's; PEEKUSER/POKEUSER address the same words by their
 * offset in Linux's struct user. Writes are checked so that a tracer can
 * never make the tracee return to ring 0 or to a non-canonical address.
 * GETREGSET/SETREGSET reach the same sets by ELF note type (what gdb and
 * strace use). PTRACE_GET_SYSCALL_INFO tells which syscall stop this is, with the
 * number and arguments at entry and the result at exit.
 */
#include "kernel/trace/ptrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/segments.h"
#include "arch/x86_64/x86.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/string.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

_Static_assert(sizeof(struct user_regs_struct) == USER_REGS_SIZE, "user_regs_struct is Linux's");
_Static_assert(sizeof(struct user_fpregs_struct) == FPU_STATE_SIZE, "user_fpregs_struct is fxsave's");

/* The rflags bits a tracer may change, as sigreturn's: the arithmetic
 * flags, TF, DF, AC, RF; never IF, IOPL, NT or VM. */
#define TRACER_CHANGEABLE_FLAGS                                                                         \
	(RFLAGS_CF | (1 << 2) | (1 << 4) | (1 << 6) | (1 << 7) | RFLAGS_TF | RFLAGS_DF | (1 << 11) |    \
	 RFLAGS_AC | RFLAGS_RF)

static void get_regs(struct task *t, struct user_regs_struct *u)
{
	const struct regs *r = task_regs(t);
	memset(u, 0, sizeof(*u));
	u->r15 = r->r15; u->r14 = r->r14; u->r13 = r->r13; u->r12 = r->r12;
	u->rbp = r->rbp; u->rbx = r->rbx; u->r11 = r->r11; u->r10 = r->r10;
	u->r9 = r->r9; u->r8 = r->r8; u->rax = r->rax; u->rcx = r->rcx;
	u->rdx = r->rdx; u->rsi = r->rsi; u->rdi = r->rdi;
	/* Outside a syscall the frame's word is an error code: Linux shows -1. */
	u->orig_rax = r->vector == VEC_SYSCALL ? r->orig_rax : (unsigned long)-1;
	u->rip = r->rip; u->cs = r->cs; u->eflags = r->rflags; u->rsp = r->rsp; u->ss = r->ss;
	u->fs_base = t->fs_base;
	u->gs_base = t->gs_base;
}

/* The values that would hurt the kernel or cannot be returned to. */
static bool regs_acceptable(const struct user_regs_struct *u)
{
	return u->cs == USER_CS && u->ss == USER_DS && u->rip < USER_TOP && is_canonical(u->rsp) &&
	       u->fs_base < USER_TOP && u->gs_base < USER_TOP;
}

static long set_regs(struct task *t, const struct user_regs_struct *u)
{
	if (!regs_acceptable(u))
		return -EIO;
	struct regs *r = task_regs(t);
	r->r15 = u->r15; r->r14 = u->r14; r->r13 = u->r13; r->r12 = u->r12;
	r->rbp = u->rbp; r->rbx = u->rbx; r->r11 = u->r11; r->r10 = u->r10;
	r->r9 = u->r9; r->r8 = u->r8; r->rax = u->rax; r->rcx = u->rcx;
	r->rdx = u->rdx; r->rsi = u->rsi; r->rdi = u->rdi;
	if (r->vector == VEC_SYSCALL)
		r->orig_rax = u->orig_rax; /* at syscall-enter: the call to run (-1: none) */
	r->rip = u->rip;
	r->rsp = u->rsp;
	r->rflags = (r->rflags & ~(uint64_t)TRACER_CHANGEABLE_FLAGS) | (u->eflags & TRACER_CHANGEABLE_FLAGS);
	t->fs_base = u->fs_base; /* loaded when it is switched in */
	t->gs_base = u->gs_base;
	return 0;
}

/* PEEKUSER/POKEUSER: an aligned word of struct user. The registers are
 * real; the debug registers read as 0 (sysgate sets no hardware
 * breakpoints); the rest of the struct reads as 0 and cannot be written. */
static long peek_user(struct task *t, uint64_t offset, uint64_t data)
{
	if (offset % 8 || offset >= USER_STRUCT_SIZE)
		return -EIO;
	uint64_t word = 0;
	if (offset < USER_REGS_SIZE) {
		struct user_regs_struct u;
		get_regs(t, &u);
		word = ((uint64_t *)&u)[offset / 8];
	}
	return copy_to_user((void __user *)data, &word, sizeof(word)) ? -EFAULT : 0;
}

static long poke_user(struct task *t, uint64_t offset, uint64_t data)
{
	if (offset % 8 || offset >= USER_REGS_SIZE)
		return -EIO;
	struct user_regs_struct u;
	get_regs(t, &u);
	((uint64_t *)&u)[offset / 8] = data;
	return set_regs(t, &u);
}

static long set_fpregs(struct task *t, uint64_t data)
{
	uint8_t fx[FPU_STATE_SIZE] __attribute__((aligned(16)));
	if (copy_from_user(fx, (const void __user *)data, sizeof(fx)))
		return -EFAULT;
	uint32_t *mxcsr = (uint32_t *)(fx + 24);
	*mxcsr &= fpu_mxcsr_mask(); /* reserved bits would make fxrstor fault */
	memcpy(t->fpu_state, fx, sizeof(fx));
	return 0;
}

static long syscall_info(struct task *t, uint64_t size, uint64_t data)
{
	const struct regs *r = task_regs(t);
	struct ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	info.arch = AUDIT_ARCH_X86_64;
	info.instruction_pointer = r->rip;
	info.stack_pointer = r->rsp;
	size_t filled = offsetof(struct ptrace_syscall_info, entry);
	const struct ptrace_link *l = t->ptrace_link;
	enum ptrace_stop_kind kind = l->kind;
	bool seccomp = kind == STOP_EVENT && (l->stop_status >> 16) == PTRACE_EVENT_SECCOMP;
	if (kind == STOP_SYSCALL_ENTER || seccomp) {
		/* (entry and seccomp share the layout of nr and args) */
		info.op = seccomp ? PTRACE_SYSCALL_INFO_SECCOMP : PTRACE_SYSCALL_INFO_ENTRY;
		info.entry.nr = r->orig_rax;
		uint64_t args[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };
		memcpy(info.entry.args, args, sizeof(args));
		filled = offsetof(struct ptrace_syscall_info, entry.args) + sizeof(args);
		if (seccomp) {
			info.seccomp.ret_data = (uint32_t)l->eventmsg;
			filled = offsetof(struct ptrace_syscall_info, seccomp.ret_data) + sizeof(info.seccomp.ret_data);
		}
	} else if (kind == STOP_SYSCALL_EXIT) {
		info.op = PTRACE_SYSCALL_INFO_EXIT;
		info.exit.rval = (int64_t)r->rax;
		info.exit.is_error = info.exit.rval < 0 && info.exit.rval >= -4095;
		filled = offsetof(struct ptrace_syscall_info, exit.is_error) + 1;
	}
	size_t n = size < filled ? size : filled;
	if (copy_to_user((void __user *)data, &info, n))
		return -EFAULT;
	return (long)filled;
}

/* GETREGSET/SETREGSET: the same two sets, named by note type, through an
 * iovec whose length says how much the tracer has room for (and, after a
 * GET, how much was written). A short SET changes only the first bytes. */
static long regset(struct task *t, bool set, uint64_t type, uint64_t data)
{
	struct iovec_abi { uint64_t base, len; } iov;
	if (copy_from_user(&iov, (const void __user *)data, sizeof(iov)))
		return -EFAULT;
	if (iov.len % 8)
		return -EINVAL; /* whole registers only */
	uint8_t buf[FPU_STATE_SIZE] __attribute__((aligned(16)));
	size_t size;
	if (type == NT_PRSTATUS) {
		size = sizeof(struct user_regs_struct);
		get_regs(t, (struct user_regs_struct *)buf);
	} else if (type == NT_PRFPREG) {
		size = FPU_STATE_SIZE;
		memcpy(buf, t->fpu_state, size);
	} else {
		return -EINVAL;
	}
	size_t n = iov.len < size ? iov.len : size;
	if (!set) {
		iov.len = n;
		if (copy_to_user((void __user *)iov.base, buf, n) ||
		    copy_to_user((void __user *)data, &iov, sizeof(iov)))
			return -EFAULT;
		return 0;
	}
	if (copy_from_user(buf, (const void __user *)iov.base, n))
		return -EFAULT;
	if (type == NT_PRSTATUS)
		return set_regs(t, (struct user_regs_struct *)buf);
	uint32_t *mxcsr = (uint32_t *)(buf + 24);
	*mxcsr &= fpu_mxcsr_mask();
	memcpy(t->fpu_state, buf, size);
	return 0;
}

long ptrace_regs_request(struct task *t, long request, uint64_t addr, uint64_t data)
{
	struct user_regs_struct u;
	switch (request) {
	case PTRACE_GETREGS:
		get_regs(t, &u);
		return copy_to_user((void __user *)data, &u, sizeof(u)) ? -EFAULT : 0;
	case PTRACE_SETREGS:
		if (copy_from_user(&u, (const void __user *)data, sizeof(u)))
			return -EFAULT;
		return set_regs(t, &u);
	case PTRACE_PEEKUSER:
		return peek_user(t, addr, data);
	case PTRACE_POKEUSER:
		return poke_user(t, addr, data);
	case PTRACE_GETFPREGS:
		return copy_to_user((void __user *)data, t->fpu_state, FPU_STATE_SIZE) ? -EFAULT : 0;
	case PTRACE_SETFPREGS:
		return set_fpregs(t, data);
	case PTRACE_GET_SYSCALL_INFO:
		return syscall_info(t, addr, data);
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET:
		return regset(t, request == PTRACE_SETREGSET, addr, data);
	default:
		return -EIO; /* a request sysgate does not know */
	}
}
