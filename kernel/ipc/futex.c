/*
 * futex: sleeping on a word of memory (course section: shared memory).
 *
 * A lock in shared memory needs two things: an atomic instruction to take
 * it when it is free (no kernel needed), and a way to sleep when it is not,
 * and to be woken when it is released. FUTEX_WAIT(addr, val) sleeps only if
 * *addr still equals val -- checked by the kernel, so a wake-up between the
 * program's check and its sleep cannot be lost. FUTEX_WAKE(addr, n) wakes
 * up to n sleepers.
 *
 * Sleepers are matched by a key. For memory that may be shared between
 * processes (a shared mapping, a SysV segment) the key is the physical
 * address of the word: two processes see the same frame at different
 * virtual addresses. For private memory it is (address space, virtual
 * address), which survives the copy-on-write that can change the frame;
 * so is every futex the program flags FUTEX_PRIVATE_FLAG (its promise that
 * no other process uses the word, which saves the page-table walk).
 */
#include "kernel/ipc/futex.h"
#include "kernel/time/ktimer.h"
#include "kernel/proc/sched.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/ipc.h"
#include "libc/include/abi/time.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

struct futex_key {
	uint64_t a, b; /* (physical address, 0) or (mm, virtual address) */
};

struct futex_waiter {
	struct list_node node;
	struct futex_key key;
	uint32_t bitset;
	struct task *task;
	bool woken;
};

static struct list_node waiters = LIST_INIT(waiters);

/*
 * The key of the word at uaddr. A private futex (FUTEX_PRIVATE_FLAG, or a
 * word in private memory) is (address space, virtual address): only this
 * process can share it. Otherwise the key is the physical address of the
 * word, so that every process mapping that frame -- at whatever virtual
 * address -- finds the same sleepers.
 */
static int make_key(uint64_t uaddr, bool private, struct futex_key *key)
{
	struct mm *mm = current->mm;
	if (private) {
		if (uaddr >= USER_TOP)
			return -EFAULT;
		*key = (struct futex_key){ (uint64_t)mm, uaddr };
		return 0;
	}
	struct vma *v = vma_find(mm, uaddr);
	if (!v)
		return -EFAULT;
	if (!(v->flags & VMA_SHARED)) {
		*key = (struct futex_key){ (uint64_t)mm, uaddr };
		return 0;
	}
	/* Reading the word brings its page in if this process never touched
	 * it (a FUTEX_WAKE may come before any access). */
	uint32_t word;
	if (copy_from_user(&word, (const void __user *)uaddr, sizeof(word)))
		return -EFAULT;
	uint64_t *pte = pte_lookup(mm->pml4, ALIGN_DOWN(uaddr, PAGE_SIZE), false);
	if (!pte || !(*pte & PTE_P))
		return -EFAULT;
	*key = (struct futex_key){ (*pte & PTE_ADDR_MASK) + uaddr % PAGE_SIZE, 0 };
	return 0;
}

static bool same_key(const struct futex_key *x, const struct futex_key *y)
{
	return x->a == y->a && x->b == y->b;
}

static int wake(const struct futex_key *key, int count, uint32_t bitset)
{
	int woken = 0;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &waiters) {
		struct futex_waiter *w = list_entry(n, struct futex_waiter, node);
		if (!same_key(&w->key, key) || !(w->bitset & bitset))
			continue;
		list_remove(&w->node);
		w->woken = true;
		task_wake(w->task);
		if (++woken >= count)
			break; /* counted after the wake: a count of 0 or less wakes one, as Linux */
	}
	return woken;
}

/*
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE: wake up to nr_wake sleepers on one
 * word and move up to nr_requeue of the others, still asleep, onto a
 * second word. A condition variable's broadcast uses it to hand its
 * sleepers to the mutex's word, to be woken one at a time as the mutex is
 * released, instead of waking them all to fight over it. CMP_ first checks
 * the word still holds `expected` (EAGAIN otherwise), as FUTEX_WAIT does.
 */
static long requeue(uint64_t addr, uint64_t addr2, bool private, long nr_wake, long nr_requeue, bool compare,
		    uint32_t expected)
{
	if (nr_wake < 0 || nr_requeue < 0 || addr2 % 4)
		return -EINVAL;
	struct futex_key from, to;
	int err = make_key(addr, private, &from);
	if (!err)
		err = make_key(addr2, private, &to);
	if (err)
		return err;
	uint32_t cur;
	if (compare && copy_from_user(&cur, (const void __user *)addr, sizeof(cur)))
		return -EFAULT;
	if (compare && cur != expected)
		return -EAGAIN;
	long done = 0;
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &waiters) {
		struct futex_waiter *w = list_entry(n, struct futex_waiter, node);
		if (!same_key(&w->key, &from))
			continue;
		if (done >= nr_wake + nr_requeue)
			break;
		if (done < nr_wake) {
			list_remove(&w->node);
			w->woken = true;
			task_wake(w->task);
		} else {
			w->key = to; /* it sleeps on, on the other word */
		}
		done++;
	}
	return done;
}

static void futex_timeout(struct ktimer *t)
{
	task_wake(t->data);
}

static long futex_wait(uint64_t uaddr, bool private, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	uint32_t cur;
	if (copy_from_user(&cur, (const void __user *)uaddr, sizeof(cur)))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	struct futex_waiter w = { .bitset = bitset, .task = current };
	int err = make_key(uaddr, private, &w.key);
	if (err)
		return err;
	/* No other task can run between the check above and queueing here:
	 * the kernel is not preempted. That is the futex's atomicity. */
	list_push_back(&waiters, &w.node);
	struct ktimer timer;
	ktimer_init(&timer, futex_timeout, current);
	if (deadline != UINT64_MAX)
		ktimer_start(&timer, deadline);
	long result = 0;
	for (;;) {
		current->state = TASK_SLEEPING;
		if (w.woken)
			break;
		if (current_signal_pending()) {
			result = deadline == UINT64_MAX ? -ERESTARTSYS : -EINTR;
			break;
		}
		if (clock_monotonic_ns() >= deadline) {
			result = -ETIMEDOUT;
			break;
		}
		schedule();
	}
	current->state = TASK_RUNNING;
	ktimer_cancel(&timer);
	if (!w.woken)
		list_remove(&w.node);
	return result;
}

int futex_wake_address(uint64_t uaddr, int count)
{
	struct futex_key key;
	if (make_key(uaddr, false, &key))
		return 0;
	return wake(&key, count, FUTEX_BITSET_MATCH_ANY);
}

static int timeout_deadline(const struct timespec __user *ut, bool absolute, bool realtime, uint64_t *deadline)
{
	*deadline = UINT64_MAX;
	if (!ut)
		return 0;
	uint64_t ns;
	int err = timespec_from_user(ut, &ns);
	if (err)
		return err;
	uint64_t now = clock_monotonic_ns();
	if (!absolute) {
		*deadline = now + ns;
	} else {
		uint64_t clock_now = realtime ? clock_realtime_ns() : now;
		*deadline = ns > clock_now ? now + (ns - clock_now) : now;
	}
	return 0;
}

/*
 * FUTEX_WAKE_OP: change a second word and wake on both, in one call. A
 * condition variable's signal uses it: update the mutex word, wake a
 * waiter of the condition, and -- if the mutex was contended (the compare
 * on its old value) -- a waiter of the mutex too. val3 packs the change
 * and the test: op (4 bits), cmp (4), oparg (12), cmparg (12).
 */
#define WAKE_OP_SET 0
#define WAKE_OP_ADD 1
#define WAKE_OP_OR 2
#define WAKE_OP_ANDN 3
#define WAKE_OP_XOR 4
#define WAKE_OP_ARG_SHIFT 8 /* in op: oparg is a bit number, the argument 1 << oparg */

static int sign_extend_12(uint32_t v)
{
	return (int)(v << 20) >> 20;
}

static bool apply_op(uint32_t encoded, uint32_t old, uint32_t *new)
{
	unsigned op = (encoded >> 28) & 0xf;
	int oparg = sign_extend_12(encoded >> 12);
	if (op & WAKE_OP_ARG_SHIFT)
		oparg = 1 << (oparg & 31);
	switch (op & ~WAKE_OP_ARG_SHIFT) {
	case WAKE_OP_SET: *new = (uint32_t)oparg; return true;
	case WAKE_OP_ADD: *new = old + (uint32_t)oparg; return true;
	case WAKE_OP_OR: *new = old | (uint32_t)oparg; return true;
	case WAKE_OP_ANDN: *new = old & ~(uint32_t)oparg; return true;
	case WAKE_OP_XOR: *new = old ^ (uint32_t)oparg; return true;
	default: return false;
	}
}

/* The compare on the old value: 1 true, 0 false, -1 an unknown comparison. */
static int compare_old(uint32_t encoded, uint32_t old)
{
	int v = (int)old, arg = sign_extend_12(encoded);
	switch ((encoded >> 24) & 0xf) {
	case 0: return v == arg;
	case 1: return v != arg;
	case 2: return v < arg;
	case 3: return v <= arg;
	case 4: return v > arg;
	case 5: return v >= arg;
	default: return -1;
	}
}

static long wake_op(uint64_t addr, uint64_t addr2, bool private, int nr_wake, int nr_wake2, uint32_t encoded)
{
	struct futex_key key, key2;
	int err = make_key(addr, private, &key);
	if (!err)
		err = make_key(addr2, private, &key2);
	if (err)
		return err;
	uint32_t old, new;
	if (addr2 % 4)
		return -EINVAL;
	if (copy_from_user(&old, (const void __user *)addr2, sizeof(old)))
		return -EFAULT;
	if (!apply_op(encoded, old, &new))
		return -ENOSYS;
	/* One CPU, and no preemption in the kernel: the read and the write
	 * are one atomic step for every other task. As Linux, the change is
	 * made before the comparison is even decoded. */
	if (copy_to_user((void __user *)addr2, &new, sizeof(new)))
		return -EFAULT;
	int cmp = compare_old(encoded, old);
	if (cmp < 0)
		return -ENOSYS;
	long woken = wake(&key, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (cmp)
		woken += wake(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
}

long sys_futex(uint32_t __user *uaddr, int op, uint32_t val, const struct timespec __user *timeout,
	       uint32_t __user *uaddr2, uint32_t val3)
{
	uint64_t addr = (uint64_t)uaddr;
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	bool private = op & FUTEX_PRIVATE_FLAG;
	if (addr % 4)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;
	uint64_t deadline;
	int err;
	switch (cmd) {
	case FUTEX_WAIT: /* WAIT is WAIT_BITSET with any bits and a relative timeout */
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (val3 == 0)
			return -EINVAL;
		err = timeout_deadline(timeout, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
		return err ? err : futex_wait(addr, private, val, deadline, val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		if (cmd == FUTEX_WAKE)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (val3 == 0)
			return -EINVAL;
		struct futex_key key;
		err = make_key(addr, private, &key);
		return err ? err : wake(&key, (int)val, val3);
	}
	case FUTEX_WAKE_OP: /* the timeout argument carries nr_wake2, as an int */
		return wake_op(addr, (uint64_t)uaddr2, private, (int)val, (int)(uint64_t)timeout, val3);
	case FUTEX_REQUEUE: /* the timeout argument carries nr_requeue, as an int */
	case FUTEX_CMP_REQUEUE:
		return requeue(addr, (uint64_t)uaddr2, private, (int)val, (int)(uint64_t)timeout,
			       cmd == FUTEX_CMP_REQUEUE, val3);
	default:
		return -ENOSYS;
	}
}
