/*
 * Pending signals: what the kernel remembers between sending a signal and
 * acting on it (course section: signals).
 *
 * POSIX gives two rules, and the difference is the point of this file:
 *   - A standard signal (1-31) is a flag. Sent twice before it is handled,
 *     it is handled once, with the details of the first sending.
 *   - A real-time signal (32-64) is a queue. Every sending is kept with its
 *     siginfo (the sender, sigqueue's value) and handled in the order sent.
 *
 * Each pending instance with its details costs kernel memory, so a process
 * may hold at most RLIMIT_SIGPENDING of them. Past that, a real-time
 * sigqueue fails with EAGAIN; a kill, and any standard signal, is still
 * made pending, only without its details (Linux's rules). The kernel's own
 * signals and kill's standard ones are always kept whole, but they count.
 * (Linux counts per user; sysgate, per process.)
 *
 * Like Linux, a task has two pending sets: signals sent to the whole
 * process (kill, sigqueue, SIGCHLD, the terminal's ^C) and signals sent to
 * the thread itself (tkill, tgkill and so raise, a fault, SIGPIPE). The
 * first set belongs to the process (task.group, kernel/proc/thread_group.c):
 * whichever thread does not block the signal takes it. The thread's own set
 * is taken first, and a standard signal pending in both sets is handled
 * twice. The limit counts the instances of the whole process.
 *
 * Timers send signals from the timer interrupt, so every change to the
 * sets is made with interrupts off.
 */
#include "kernel/signal/signal_pending.h"
#include "arch/x86_64/cpu.h"
#include "kernel/time/posix_timer.h"
#include "kernel/proc/task.h"
#include "libc/include/string.h"
#include "mm/heap.h"

/* Signals the CPU raises for the instruction that just ran: Linux takes
 * them before any other pending signal of the same set. */
#define SYNCHRONOUS_SIGNALS \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE) | SIGBIT(SIGSYS))

struct queued_signal {
	struct list_node node;
	ksiginfo_t info;
};

static bool is_realtime(int sig)
{
	return sig >= SIGRTMIN_KERNEL;
}

static struct sigpending *target_set(struct task *t, enum signal_target to)
{
	return to == TO_THREAD ? &t->sig.pending : &t->group->shared;
}

void sigpending_init(struct sigpending *p)
{
	p->set = 0;
	p->counted = 0;
	list_init(&p->queue);
}

static void describe(ksiginfo_t *out, int sig, const ksiginfo_t *info)
{
	if (info) {
		*out = *info;
	} else {
		memset(out, 0, sizeof(*out));
		out->si_code = SI_KERNEL;
	}
	out->si_signo = sig;
}

/* A signal made pending while the limit was reached: Linux reports it as
 * a kill from nobody in particular. */
static void describe_lost(ksiginfo_t *out, int sig)
{
	describe(out, sig, NULL);
	out->si_code = SI_USER;
}

static bool below_limit(const struct task *t)
{
	return t->group->queued < t->rlim[RLIMIT_SIGPENDING].rlim_cur;
}

/* A real-time sending: queue it, or say why not. */
static int queue_instance(struct task *t, struct sigpending *p, int sig, const ksiginfo_t *info)
{
	/* A POSIX timer's signal always fits: Linux gives each timer its one
	 * queued instance when the timer is made (more expiries only count
	 * in si_overrun), so its sending never fails and never retries. */
	bool timer_instance = info && info->si_code == SI_TIMER;
	struct queued_signal *q = timer_instance || below_limit(t) ? kmalloc(sizeof(*q)) : NULL;
	if (!q) {
		/* Full. Only a sending whose details matter is refused: kill's
		 * (SI_USER) and the kernel's own are made pending without them. */
		if (info && info->si_code != SI_USER)
			return -EAGAIN;
		p->set |= SIGBIT(sig);
		return 0;
	}
	describe(&q->info, sig, info);
	list_push_back(&p->queue, &q->node);
	t->group->queued++;
	p->set |= SIGBIT(sig);
	return 0;
}

static int add(struct task *t, enum signal_target to, int sig, const ksiginfo_t *info)
{
	struct sigpending *p = target_set(t, to);
	if (is_realtime(sig))
		return queue_instance(t, p, sig, info);
	if (p->set & SIGBIT(sig))
		return 0; /* already pending: the first sending's details stand */
	bool always_kept = !info || info->si_code >= 0; /* the kernel's, or kill's */
	if (always_kept || below_limit(t)) {
		describe(&p->info[sig], sig, info);
		p->counted |= SIGBIT(sig);
		t->group->queued++;
	} else {
		describe_lost(&p->info[sig], sig);
	}
	p->set |= SIGBIT(sig);
	return 0;
}

int sigpending_add(struct task *t, enum signal_target to, int sig, const ksiginfo_t *info)
{
	uint64_t flags = irq_save();
	int err = add(t, to, sig, info);
	irq_restore(flags);
	return err;
}

/* Unhook the oldest instance of sig and tell whether another one waits. */
static struct queued_signal *oldest_instance(struct sigpending *p, int sig, bool *more)
{
	struct queued_signal *first = NULL;
	*more = false;
	struct list_node *n;
	list_for_each(n, &p->queue) {
		struct queued_signal *q = list_entry(n, struct queued_signal, node);
		if (q->info.si_signo != sig)
			continue;
		if (first) {
			*more = true;
			break;
		}
		first = q;
	}
	return first;
}

static void take_realtime(struct task *t, struct sigpending *p, int sig, ksiginfo_t *info)
{
	bool more;
	struct queued_signal *q = oldest_instance(p, sig, &more);
	if (!more)
		p->set &= ~SIGBIT(sig);
	if (!q) {
		describe_lost(info, sig); /* made pending while the queue was full */
		return;
	}
	*info = q->info;
	list_remove(&q->node);
	kfree(q);
	t->group->queued--;
}

static void uncount_standard(struct task *t, struct sigpending *p, kernel_sigset_t set)
{
	for (kernel_sigset_t bits = p->counted & set; bits; bits &= bits - 1)
		t->group->queued--;
	p->counted &= ~set;
}

static int next_signal(kernel_sigset_t ready)
{
	if (ready & SYNCHRONOUS_SIGNALS)
		ready &= SYNCHRONOUS_SIGNALS;
	return ready ? __builtin_ctzll(ready) + 1 : 0;
}

static int take_from(struct task *t, struct sigpending *p, kernel_sigset_t set, ksiginfo_t *info)
{
	int sig = next_signal(p->set & set);
	if (!sig)
		return 0;
	if (is_realtime(sig)) {
		take_realtime(t, p, sig, info);
	} else {
		*info = p->info[sig];
		p->set &= ~SIGBIT(sig);
		uncount_standard(t, p, SIGBIT(sig));
	}
	return sig;
}

int sigpending_take(struct task *t, kernel_sigset_t set, ksiginfo_t *info)
{
	uint64_t flags = irq_save();
	struct sigpending *p = (t->sig.pending.set & set) ? &t->sig.pending : &t->group->shared;
	int sig = take_from(t, p, set, info);
	irq_restore(flags);
	if (sig && info->si_code == SI_TIMER)
		posix_timer_delivered(t, info);
	return sig;
}

/* A pending instance of sig sent by POSIX timer `id`, in either set. */
static ksiginfo_t *find_timer_instance(struct sigpending *p, int sig, int id)
{
	if (!(p->set & SIGBIT(sig)))
		return NULL;
	if (!is_realtime(sig)) {
		ksiginfo_t *i = &p->info[sig];
		return i->si_code == SI_TIMER && i->fields.timer.si_tid == id ? i : NULL;
	}
	struct list_node *n;
	list_for_each(n, &p->queue) {
		ksiginfo_t *i = &list_entry(n, struct queued_signal, node)->info;
		if (i->si_signo == sig && i->si_code == SI_TIMER && i->fields.timer.si_tid == id)
			return i;
	}
	return NULL;
}

bool sigpending_timer_overrun(struct task *t, int sig, int id, uint64_t missed)
{
	uint64_t flags = irq_save();
	ksiginfo_t *i = find_timer_instance(&t->sig.pending, sig, id);
	if (!i)
		i = find_timer_instance(&t->group->shared, sig, id);
	if (i) {
		uint64_t sum = (uint64_t)i->fields.timer.si_overrun + missed;
		i->fields.timer.si_overrun = sum > INT32_MAX ? INT32_MAX : (int)sum;
	}
	irq_restore(flags);
	return i != NULL;
}

static void flush_from(struct task *t, struct sigpending *p, kernel_sigset_t set)
{
	p->set &= ~set;
	uncount_standard(t, p, set);
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &p->queue) {
		struct queued_signal *q = list_entry(n, struct queued_signal, node);
		if (set & SIGBIT(q->info.si_signo)) {
			list_remove(&q->node);
			kfree(q);
			t->group->queued--;
		}
	}
}

void sigpending_flush(struct task *t, kernel_sigset_t set)
{
	uint64_t flags = irq_save();
	flush_from(t, &t->sig.pending, set);
	flush_from(t, &t->group->shared, set);
	irq_restore(flags);
}

void sigpending_flush_thread(struct task *t, kernel_sigset_t set)
{
	uint64_t flags = irq_save();
	flush_from(t, &t->sig.pending, set);
	irq_restore(flags);
}

unsigned sigpending_queued(const struct task *t)
{
	return t->group->queued;
}
