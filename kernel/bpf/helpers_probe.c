/*
 * Helpers that read memory that may not be there, and stacks (course
 * section: advanced eBPF tracing).
 *
 * A tracing program follows pointers it found in a context -- a filename
 * argument, a field of a kernel structure -- that the verifier cannot
 * check. The probe_read helpers copy through the kernel's fault-tolerant
 * copy (its instructions are in the exception table), so a bad address
 * gives an error and a zeroed buffer, never an oops. _user reads the
 * program's half of the address space, _kernel the kernel's (a user
 * address there is -ERANGE, as Linux's copy_from_kernel_nofault); the old
 * probe_read chooses by the address. The _str forms stop at the NUL and
 * return the length with it.
 *
 * get_stack walks saved frame pointers: [rbp] is the caller's rbp and
 * [rbp+8] its return address -- the kernel's own chain, or with
 * BPF_F_USER_STACK the program's, starting from the registers its entry
 * into the kernel saved.
 */
#include "kernel/bpf/helpers.h"
#include "arch/x86_64/oops.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

static uint64_t zero_on_error(void *dst, uint32_t size, long err)
{
	if (err < 0)
		memset(dst, 0, size);
	return (uint64_t)err;
}

BPF_HELPER(bpf_probe_read_user_fn)
{
	(void)r4, (void)r5;
	int err = copy_from_user((void *)r1, (const void __user *)r3, (uint32_t)r2);
	return zero_on_error((void *)r1, (uint32_t)r2, err);
}

BPF_HELPER(bpf_probe_read_kernel_fn)
{
	(void)r4, (void)r5;
	int err = copy_from_kernel_nofault((void *)r1, (const void *)r3, (uint32_t)r2);
	return zero_on_error((void *)r1, (uint32_t)r2, err);
}

/* Linux's strncpy_from_user_nofault: the length with the NUL, the string cut to fit. */
static long user_str(char *dst, const char __user *src, uint32_t size)
{
	if (size == 0)
		return 0;
	long n = strncpy_from_user(dst, src, size);
	if (n == -ENAMETOOLONG) {
		dst[size - 1] = 0;
		return size;
	}
	return n < 0 ? n : n + 1;
}

BPF_HELPER(bpf_probe_read_user_str_fn)
{
	(void)r4, (void)r5;
	long n = user_str((char *)r1, (const char __user *)r3, (uint32_t)r2);
	return zero_on_error((void *)r1, (uint32_t)r2, n);
}

BPF_HELPER(bpf_probe_read_kernel_str_fn)
{
	(void)r4, (void)r5;
	long n = strncpy_from_kernel_nofault((char *)r1, (const void *)r3, (uint32_t)r2);
	return zero_on_error((void *)r1, (uint32_t)r2, n);
}

BPF_HELPER(bpf_probe_read_compat_fn)
{
	if (r3 < USER_TOP)
		return bpf_probe_read_user_fn(r1, r2, r3, r4, r5);
	return bpf_probe_read_kernel_fn(r1, r2, r3, r4, r5);
}

BPF_HELPER(bpf_probe_read_compat_str_fn)
{
	if (r3 < USER_TOP)
		return bpf_probe_read_user_str_fn(r1, r2, r3, r4, r5);
	return bpf_probe_read_kernel_str_fn(r1, r2, r3, r4, r5);
}

/* --- stacks ----------------------------------------------------------------------------------- */

/* The kernel's return addresses from our own frame up, skipping skip of them. */
static uint32_t kernel_stack(uint64_t *ips, uint32_t max, uint32_t skip)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0), low, high;
	if (!stack_bounds(rbp, &low, &high))
		return 0;
	uint32_t n = 0;
	while (n < max && rbp >= low && rbp + 16 <= high && !(rbp & 7)) {
		uint64_t ret = ((uint64_t *)rbp)[1];
		if (ret < KERNEL_HALF_START)
			break; /* the chain left the kernel */
		if (skip)
			skip--;
		else
			ips[n++] = ret;
		rbp = ((uint64_t *)rbp)[0];
	}
	return n;
}

/* The program's: where it entered the kernel, then its frame chain. */
static uint32_t user_stack(uint64_t *ips, uint32_t max, uint32_t skip)
{
	if (!current || !current->mm)
		return 0;
	const struct regs *r = task_regs(current);
	uint64_t ip = r->rip, rbp = r->rbp;
	uint32_t n = 0;
	while (n < max && ip && ip < USER_TOP) {
		if (skip)
			skip--;
		else
			ips[n++] = ip;
		uint64_t frame[2];
		if (!rbp || (rbp & 7) || copy_from_user(frame, (const void __user *)rbp, sizeof(frame)))
			break;
		if (frame[0] <= rbp)
			break; /* frames go up the stack: anything else is not a chain */
		rbp = frame[0], ip = frame[1];
	}
	return n;
}

/* bpf_get_stack(ctx, buf, size, flags): bytes written, the rest of buf zeroed. */
BPF_HELPER(bpf_get_stack_fn)
{
	(void)r1, (void)r5;
	uint64_t *buf = (uint64_t *)r2;
	uint32_t size = (uint32_t)r3;
	uint64_t flags = r4;
	if ((flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK)) || size % sizeof(uint64_t))
		return zero_on_error(buf, size, -EINVAL);
	uint32_t skip = flags & BPF_F_SKIP_FIELD_MASK, max = size / sizeof(uint64_t);
	uint32_t n = flags & BPF_F_USER_STACK ? user_stack(buf, max, skip) : kernel_stack(buf, max, skip);
	memset(buf + n, 0, size - n * sizeof(uint64_t));
	return n * sizeof(uint64_t);
}

_Static_assert(offsetof(struct regs, rdi) == 14 * 8 && offsetof(struct regs, ss) == 21 * 8,
	       "struct regs is Linux's pt_regs with one word (vector) after rdi");

void bpf_regs_to_pt_regs(const struct regs *r, uint64_t out[BPF_PT_REGS_WORDS])
{
	const uint64_t *in = (const uint64_t *)r;
	/* r15 ... rdi are the same 15 words; Linux has no `vector`; orig_rax .. ss follow. */
	memcpy(out, in, 15 * sizeof(uint64_t));
	memcpy(out + 15, &r->orig_rax, 6 * sizeof(uint64_t));
}
