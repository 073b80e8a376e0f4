/*
 * Restartable sequences: rseq(2) (course sections: syscall basics;
 * high-performance patterns).
 *
 * Per-CPU data (a counter per CPU, a free list per CPU) needs no lock if a
 * thread's few instructions on "its" CPU's slot are never interrupted half
 * way -- but a thread can be preempted or moved anywhere. rseq makes the
 * kernel and the thread agree instead: the thread registers a struct rseq
 * (the kernel writes the current CPU number there), and before a short
 * critical section stores a pointer to a struct rseq_cs describing it. If
 * the kernel preempts the thread, or delivers it a signal, while its
 * instruction pointer is inside that section, it does not resume it there:
 * it jumps to the section's abort handler, which starts over. The last
 * instruction of the section commits, so a section either completes
 * whole or is restarted whole. glibc (2.35 and later) registers one area
 * for every thread.
 *
 * The abort handler is preceded by a 4-byte signature fixed at
 * registration, so a forged rseq_cs cannot send the thread to an arbitrary
 * address: a mismatch kills it with SIGSEGV, as Linux does.
 *
 * sysgate has one CPU: cpu_id is always 0, and the work happens at the two
 * points where a section can be interrupted: after a preemption and before
 * a signal handler's frame is built (kernel/entry.c).
 */
#include "kernel/proc/rseq.h"
#include "kernel/proc/task.h"
#include "kernel/signal/signal.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/rseq.h"
#include "libc/include/abi/signal.h"
#include "mm/uaccess.h"

#define RSEQ_ALIGN 32
#define SIGNATURE_SIZE 4

/* Write the CPU fields the thread reads: cpu_id_start, cpu_id (and
 * node_id, mm_cid when the area is long enough to have them). */
static int publish_cpu(struct task *t, uint32_t cpu_start, uint32_t cpu)
{
	/* user_field, not &area->field: area is a user address, maybe 0. */
	void __user *area = (void __user *)t->rseq_area;
	uint32_t ids[2] = { cpu_start, cpu };
	uint32_t zero[2] = { 0, 0 };
	if (copy_to_user(user_field(area, struct rseq, cpu_id_start), ids, sizeof(ids)))
		return -EFAULT;
	if (t->rseq_len > RSEQ_ORIG_SIZE - sizeof(zero) &&
	    copy_to_user(user_field(area, struct rseq, node_id), zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

static long rseq_unregister(uint64_t area, uint32_t len, uint32_t sig)
{
	struct task *t = current;
	if (t->rseq_area != area || t->rseq_len != len)
		return -EINVAL;
	if (t->rseq_sig != sig)
		return -EPERM;
	publish_cpu(t, 0, RSEQ_CPU_ID_UNINITIALIZED); /* what Linux leaves there */
	t->rseq_area = 0;
	t->rseq_len = t->rseq_sig = 0;
	return 0;
}

long sys_rseq(struct rseq __user *rseq, uint32_t rseq_len, int flags, uint32_t sig)
{
	struct task *t = current;
	uint64_t area = (uint64_t)rseq;
	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		return rseq_unregister(area, rseq_len, sig);
	}
	if (flags)
		return -EINVAL;
	if (t->rseq_area) { /* already registered: the same again is EBUSY */
		if (t->rseq_len != rseq_len || t->rseq_area != area)
			return -EINVAL;
		return t->rseq_sig != sig ? -EPERM : -EBUSY;
	}
	if (rseq_len < RSEQ_ORIG_SIZE || area % RSEQ_ALIGN)
		return -EINVAL;
	if (!access_ok(rseq, rseq_len))
		return -EFAULT;
	t->rseq_area = area;
	t->rseq_len = rseq_len;
	t->rseq_sig = sig;
	if (publish_cpu(t, 0, 0)) { /* the only CPU */
		t->rseq_area = 0;
		return -EFAULT;
	}
	return 0;
}

/* The thread's current critical section, checked; 0 if none, 1 if the
 * section is valid, -1 if the thread must die. */
static int read_section(struct task *t, struct rseq_cs *cs, uint64_t *cs_ptr)
{
	void __user *area = (void __user *)t->rseq_area;
	uint32_t area_flags;
	if (copy_from_user(cs_ptr, user_field(area, struct rseq, rseq_cs), sizeof(*cs_ptr)))
		return -1;
	if (!*cs_ptr)
		return 0;
	if (copy_from_user(cs, (const void __user *)*cs_ptr, sizeof(*cs)) ||
	    copy_from_user(&area_flags, user_field(area, struct rseq, flags), sizeof(area_flags)))
		return -1;
	/* The flags (once "do not restart on preemption"...) are refused
	 * since Linux 6.0; so is any version but 0. */
	if (cs->version != 0 || cs->flags || area_flags || cs->start_ip + cs->post_commit_offset < cs->start_ip)
		return -1;
	bool abort_inside = cs->abort_ip - cs->start_ip < cs->post_commit_offset;
	return abort_inside ? -1 : 1;
}

void rseq_interrupted(struct regs *r)
{
	struct task *t = current;
	if (!t->rseq_area || !regs_from_user(r))
		return;
	struct rseq_cs cs;
	uint64_t cs_ptr;
	int state = read_section(t, &cs, &cs_ptr);
	if (state == 0)
		return;
	uint32_t signature;
	if (state < 0 || copy_from_user(&signature, (const void __user *)(cs.abort_ip - SIGNATURE_SIZE),
					sizeof(signature)) ||
	    (r->rip - cs.start_ip < cs.post_commit_offset && signature != t->rseq_sig)) {
		force_sigsegv(SIGSEGV);
		return;
	}
	if (r->rip - cs.start_ip < cs.post_commit_offset)
		r->rip = cs.abort_ip; /* restart the section from its abort handler */
	uint64_t none = 0;          /* the section is over either way */
	copy_to_user(user_field(t->rseq_area, struct rseq, rseq_cs), &none, sizeof(none));
}

void rseq_fork(struct task *child, const struct task *parent, bool shares_memory)
{
	if (shares_memory)
		return; /* a new thread registers its own area */
	child->rseq_area = parent->rseq_area;
	child->rseq_len = parent->rseq_len;
	child->rseq_sig = parent->rseq_sig;
}

void rseq_exec(struct task *t)
{
	t->rseq_area = 0;
	t->rseq_len = t->rseq_sig = 0;
}
