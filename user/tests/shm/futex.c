/*
 * shm: futex; robust futexes (course section: shared memory;  bad-input catalogue "SysV shared
 * memory" 25-27). One part of the shm test: main.c runs it.
 */
#include "shm.h"

/* ---- futex ----------------------------------------------------------------------------------- */

void test_futex_errors(void)
{
	uint32_t word = 5;
	struct timespec short_wait = { 0, 10 * 1000 * 1000 }, bad = { 0, 1000000000 };

	check_errno("FUTEX_WAIT on a value that differs: EAGAIN", futex(&word, FUTEX_WAIT, 6, NULL, NULL, 0), EAGAIN);
	check_errno("the same with FUTEX_PRIVATE_FLAG: EAGAIN",
		    futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 6, NULL, NULL, 0), EAGAIN);
	check_errno("FUTEX_WAIT with a 10 ms timeout: ETIMEDOUT", futex_wait(&word, 5, &short_wait), ETIMEDOUT);
	check_errno("the same, private: ETIMEDOUT",
		    futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 5, &short_wait, NULL, 0), ETIMEDOUT);
	check_errno("a timeout of 1e9 ns: EINVAL", futex_wait(&word, 5, &bad), EINVAL);
	check_errno("a timeout at (void *)-1: EFAULT", futex_wait(&word, 5, (void *)-1), EFAULT);
	check_eq("FUTEX_WAKE with nobody waiting wakes 0", futex_wake(&word, 1), 0);
	check_eq("FUTEX_WAKE private, nobody: 0", futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	check_errno("a misaligned word: EINVAL", futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, NULL, NULL, 0),
		    EINVAL);
	check_errno("FUTEX_WAIT at NULL: EFAULT", futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	check_errno("FUTEX_WAIT at a kernel address: EFAULT",
		    futex((uint32_t *)0xffff800000000000UL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	check_errno("an unknown operation: ENOSYS", futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
	uint32_t other = 0;
	check_errno("FUTEX_CMP_REQUEUE with the word changed: EAGAIN",
		    futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &other, 4), EAGAIN);
	check_errno("FUTEX_REQUEUE of a negative count: EINVAL", futex(&word, FUTEX_REQUEUE, 1, (void *)-1L, &other, 0),
		    EINVAL);
	check_errno("FUTEX_REQUEUE to a misaligned word: EINVAL",
		    futex(&word, FUTEX_REQUEUE, 1, (void *)1, (uint32_t *)((char *)&other + 2), 0), EINVAL);
	check_eq("FUTEX_CMP_REQUEUE with nobody waiting: 0", futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &other, 5),
		 0);
	check_eq("the word is unchanged", word, 5);
}

/* Children that sleep on a shared word until woken; exit 0 if woken (not EAGAIN). */
void sleep_on(uint32_t *word, int private_flag)
{
	long r = futex(word, FUTEX_WAIT | private_flag, 0, NULL, NULL, 0);
	_exit(r == 0 ? 0 : 10 + errno);
}

pid_t sleeper(uint32_t *word, int private_flag)
{
	pid_t pid = t_fork();
	if (pid == 0)
		sleep_on(word, private_flag);
	return pid;
}

/* Three children asleep in FUTEX_WAIT on word (which holds 0); 1 if they
 * all got there. */
int three_sleepers(uint32_t *word, pid_t kids[3])
{
	int asleep = 1;

	*word = 0;
	for (int i = 0; i < 3; i++)
		kids[i] = sleeper(word, 0);
	for (int i = 0; i < 3; i++)
		asleep &= (t_wait_for_state(kids[i], 'S') == 'S');
	return asleep;
}

/* Reaps the three; how many saw their FUTEX_WAIT return 0 (woken). */
int reap_woken(const pid_t kids[3])
{
	int woken = 0;

	for (int i = 0; i < 3; i++)
		woken += t_wait(kids[i], T_WAIT_TICKS) == 0;
	return woken;
}

void test_futex_wake_counts(void)
{
	uint32_t *word = shared_page(PAGE);
	pid_t kids[3];

	check("three children sleep in FUTEX_WAIT on a shared word", three_sleepers(word, kids),
	      "a child did not sleep");
	check_eq("FUTEX_WAKE 2 wakes exactly 2", futex_wake(word, 2), 2);
	check_eq("FUTEX_WAKE INT_MAX wakes the last one", futex_wake(word, INT_MAX), 1);
	check_eq("FUTEX_WAKE again wakes nobody", futex_wake(word, INT_MAX), 0);
	check_eq("each child's FUTEX_WAIT returned 0", reap_woken(kids), 3);
	munmap(word, PAGE);
}

/* FUTEX_CMP_REQUEUE: of three sleepers on one word, wake one and move one
 * to a second word (still asleep); the third stays where it was. */
void test_futex_requeue(void)
{
	uint32_t *words = shared_page(PAGE), *a = &words[0], *b = &words[1];
	pid_t kids[3];

	*b = 0;
	check("three children sleep on word A", three_sleepers(a, kids), "a child did not sleep");
	check_eq("FUTEX_CMP_REQUEUE wake 1, move 1 to B: 2 handled",
		 futex(a, FUTEX_CMP_REQUEUE, 1, (void *)1, b, 0), 2);
	check_eq("the one moved sleeps on B now: FUTEX_WAKE(B) wakes it", futex_wake(b, INT_MAX), 1);
	check_eq("and one is left on A", futex_wake(a, INT_MAX), 1);
	check_eq("every child's FUTEX_WAIT returned 0", reap_woken(kids), 3);
	munmap(words, PAGE);
}

/* ---- robust futexes -------------------------------------------------------------------------------------------- */

/* The owner: take the lock (the word gets our tid), put it on our robust
 * list, tell the parent, and die holding it when the parent says so. */
void robust_owner(struct robust_lock *lock, int ready, int go)
{
	static struct robust_head head;
	char c;

	head.list.next = &lock->entry;
	head.futex_offset = offsetof(struct robust_lock, word);
	lock->entry.next = &head.list;	/* the list ends back at the head */
	lock->word = (uint32_t)gettid();
	if (syscall(SYS_set_robust_list, &head, sizeof(head)) != 0)
		_exit(1);
	write(ready, "r", 1);
	read(go, &c, 1);
	_exit(0);			/* still holding the lock */
}

/* A waiter: mark the lock contended and sleep until the owner's death
 * wakes it; then the word must say so. */
void robust_waiter(struct robust_lock *lock)
{
	uint32_t seen = __atomic_fetch_or(&lock->word, FUTEX_WAITERS, __ATOMIC_SEQ_CST) | FUTEX_WAITERS;
	long r = futex(&lock->word, FUTEX_WAIT, seen, NULL, NULL, 0);
	if (r != 0 && errno != EAGAIN)
		_exit(2);
	_exit((lock->word & FUTEX_OWNER_DIED) ? 0 : 3);
}

void test_robust(void)
{
	struct robust_head head, *got = NULL;
	size_t len = 0;

	check_errno("set_robust_list with a wrong length: EINVAL", syscall(SYS_set_robust_list, &head, 23), EINVAL);
	check_eq("set_robust_list", syscall(SYS_set_robust_list, &head, sizeof(head)), 0);
	check_eq("get_robust_list(0) reads it back", syscall(SYS_get_robust_list, 0, &got, &len), 0);
	check("the same head and length", got == &head && len == sizeof(head), "%p %zu", (void *)got, len);
	check_errno("get_robust_list of a missing pid: ESRCH", syscall(SYS_get_robust_list, 30000, &got, &len), ESRCH);
	check_errno("get_robust_list to a kernel address: EFAULT",
		    syscall(SYS_get_robust_list, 0, 0xffff800000000000UL, &len), EFAULT);
	syscall(SYS_set_robust_list, NULL, sizeof(head));

	struct robust_lock *lock = shared_page(PAGE);
	int ready[2], go[2];

	pipe(ready);
	pipe(go);
	pid_t owner = t_fork();
	if (owner == 0)
		robust_owner(lock, ready[1], go[0]);
	char c;
	read(ready[0], &c, 1);
	check_eq("the owner holds the lock: the word is its tid", lock->word & FUTEX_TID_MASK, owner);
	pid_t waiter = t_fork();
	if (waiter == 0)
		robust_waiter(lock);
	check_eq("a second process sleeps on the held lock", t_wait_for_state(waiter, 'S'), 'S');
	write(go[1], "g", 1);
	check_exited("the owner exits holding it", t_wait(owner, T_WAIT_TICKS), 0);
	check_exited("the kernel wakes the waiter, and the word says FUTEX_OWNER_DIED", t_wait(waiter, T_WAIT_TICKS), 0);
	check_eqx("the word: FUTEX_OWNER_DIED | FUTEX_WAITERS, no owner", lock->word, FUTEX_OWNER_DIED | FUTEX_WAITERS);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	munmap(lock, PAGE);
}

void robust_adder(struct robust_shared *s, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		robust_mutex_lock(&s->m);
		long v = s->counter;
		if (i % 64 == 0)
			sched_yield(); /* let the other one try while we hold it */
		s->counter = v + 1;
		robust_mutex_unlock(&s->m);
	}
	_exit(0);
}

void robust_dier(struct robust_shared *s, int ready)
{
	robust_mutex_lock(&s->m);
	s->counter = -1; /* half way through an update... */
	write(ready, "r", 1);
	_exit(0);	 /* ...and gone, holding the lock */
}

void test_robust_mutex(void)
{
	struct robust_shared *s = shared_page(PAGE);
	int ready[2];
	char c;

	robust_mutex_init(&s->m);
	s->counter = 0;
	pid_t a = t_fork();
	if (a == 0)
		robust_adder(s, 3000);
	pid_t b = t_fork();
	if (b == 0)
		robust_adder(s, 3000);
	t_wait(a, T_WAIT_TICKS);
	t_wait(b, T_WAIT_TICKS);
	check_eq("two processes add 3000 each under a robust_mutex: 6000", s->counter, 6000);
	check_eq("and it is free afterwards", s->m.word, 0);

	pipe(ready);
	pid_t dier = t_fork();
	if (dier == 0)
		robust_dier(s, ready[1]);
	read(ready[0], &c, 1);
	check_exited("a process takes the lock and dies holding it", t_wait(dier, T_WAIT_TICKS), 0);
	check_eq("the next lock succeeds with EOWNERDEAD", robust_mutex_lock(&s->m), EOWNERDEAD);
	check_eq("(what it protected is as the dead owner left it)", s->counter, -1);
	robust_mutex_unlock(&s->m);
	check_eq("after an unlock it is an ordinary lock again", robust_mutex_lock(&s->m), 0);
	robust_mutex_unlock(&s->m);
	close(ready[0]);
	close(ready[1]);
	munmap(s, PAGE);
}

/* A private futex is keyed by the address space: another process's wake,
 * private or not, does not reach it. A signal ends its wait with EINTR. */
void on_usr1(int sig)
{
	(void)sig;
}

void test_futex_private(void)
{
	uint32_t *word = shared_page(PAGE);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: the interrupted wait fails with EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	*word = 0;
	pid_t pid = sleeper(word, FUTEX_PRIVATE_FLAG);
	check("a child sleeps in FUTEX_WAIT_PRIVATE", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("a shared FUTEX_WAKE from another process does not wake it", futex_wake(word, 1), 0);
	check_eq("a private one does not either", futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	kill(pid, SIGUSR1);
	check_exited("a signal ends its wait: EINTR", t_wait(pid, T_WAIT_TICKS), 10 + EINTR);

	pid = sleeper(word, 0);
	check("a child sleeps in a shared FUTEX_WAIT", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("a private wake from another process does not reach it",
		 futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	check_eq("a shared wake does", futex_wake(word, 1), 1);
	check_exited("its FUTEX_WAIT returned 0", t_wait(pid, T_WAIT_TICKS), 0);
	munmap(word, PAGE);
}

/* The futex key is the physical page: a wake at one virtual address reaches
 * a sleeper that attached the segment at another. */
void test_futex_across_addresses(void)
{
	int id = new_segment(PAGE);
	uint32_t *mine = shmat(id, NULL, 0);

	pid_t pid = t_fork();
	if (pid == 0) {
		uint32_t *theirs = shmat(id, NULL, 0); /* a second attachment: elsewhere */
		theirs[1] = theirs != mine; /* tell the parent whether the addresses differ */
		sleep_on(&theirs[0], 0);
	}
	check("the child sleeps on the word at its own address", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("the child's address differs from ours", mine[1], 1);
	check_eq("FUTEX_WAKE at our address wakes it", futex_wake(&mine[0], 1), 1);
	check_exited("the child's FUTEX_WAIT returned 0", t_wait(pid, T_WAIT_TICKS), 0);
	/* A wake on a page that this process never touched faults it in. */
	int id2 = new_segment(PAGE);
	uint32_t *fresh = shmat(id2, NULL, 0);
	check_eq("FUTEX_WAKE on an untouched shared page: 0", futex_wake(fresh, 1), 0);
	shmdt(fresh);
	shmdt(mine);
	remove_noted();
}
