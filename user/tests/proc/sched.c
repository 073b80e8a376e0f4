/*
 * proc: copy-on-write; scheduling; running out of processes; vfork (course section: processes;
 * bad-input catalogue "Processes"). One part of the proc test: main.c runs it.
 */
#include "proc.h"

/* ---- copy-on-write ------------------------------------------------------------------- */

int cow_data = 1;	/* .data */
int cow_bss;		/* .bss */

void test_cow(void)
{
	int to_child[2], to_parent[2];
	int stack_var = 1;
	size_t big = 1 << 20;
	unsigned char *heap = malloc(big);
	int same = 1;
	pid_t pid;
	char c;

	cow_bss = 1;
	memset(heap, 1, big);
	pipe(to_child);
	pipe(to_parent);
	pid = t_fork();
	if (pid == 0) {
		int ok = 1;
		cow_data = cow_bss = stack_var = 2;
		memset(heap, 2, big);	/* every page of 1 MiB */
		write(to_parent[1], "w", 1);
		read(to_child[0], &c, 1);	/* the parent has now written 3s */
		ok = cow_data == 2 && cow_bss == 2 && stack_var == 2;
		for (size_t i = 0; i < big; i += 4096)
			ok &= heap[i] == 2;
		_exit(ok ? 0 : 1);
	}
	read(to_parent[0], &c, 1);	/* the child has written its 2s */
	for (size_t i = 0; i < big; i += 4096)
		same &= heap[i] == 1;
	check("child's writes to .data don't reach the parent", cow_data == 1, "got %d", cow_data);
	check("child's writes to .bss don't reach the parent", cow_bss == 1, "got %d", cow_bss);
	check("child's writes to the stack don't reach the parent", stack_var == 1, "got %d", stack_var);
	check("child's writes to 1 MiB of heap don't reach the parent", same, "a page changed");
	cow_data = cow_bss = stack_var = 3;
	memset(heap, 3, big);
	write(to_child[1], "g", 1);
	check_exited("parent's writes don't reach the child", t_wait(pid, T_WAIT_TICKS), 0);
	free(heap);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
}

/* ---- scheduling ------------------------------------------------------------------------ */

void spin_forever(long unused)
{
	(void)unused;
	for (;;)
		__asm__ volatile("");
}

/* Spinning children never call the kernel: only the timer interrupt can take
 * the CPU back from them. */
void test_spinners(void)
{
	pid_t pids[3];
	int st, ok = 1;

	for (int i = 0; i < 3; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0)
			spin_forever(0);
	}
	for (int i = 0; i < 20; i++) {	/* the parent still gets to run */
		getpid();
		t_nap(2);
	}
	check_eq("WNOHANG: the spinners are still running", wait4(-1, &st, WNOHANG, NULL), 0);
	for (int i = 0; i < 3; i++)
		ok &= kill(pids[i], SIGKILL) == 0;
	check("the parent runs beside 3 spinners and kills them", ok, "kill failed");
	for (int i = 0; i < 3; i++) {
		st = t_wait(pids[i], T_WAIT_TICKS);
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL)
			ok = 0;
	}
	check("and reaps them, killed by SIGKILL", ok, "got %s", status_text(st));
}

/*
 * Four CPU-bound children, each writing one byte (its number) to a shared
 * pipe per unit of work, a fixed loop. The parent counts bytes and stops
 * everybody after TOKENS of them: a count, not a duration. On one CPU a fair
 * scheduler gives each about TOKENS / 4.
 *
 * Fairness only shows over many time slices, so a unit must be small next to
 * a slice whatever the CPU's speed (KVM or emulation): the loop length is
 * calibrated to take about 0.5 ms, and the run lasts about 200 slices, so
 * a slice lost to the host (under emulation, a burst of timer ticks when
 * QEMU itself was descheduled) moves the shares by little. The clock only
 * sizes the work; nothing is asserted about time.
 */
#define NWORKERS 4
#define TOKENS 4000

void spin(long n)
{
	for (volatile long i = 0; i < n; i++)
		;
}

long calibrate_unit(void)
{
	struct timespec a, b;
	long n = 1024, ns = 0;

	while (n < (1L << 40)) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		spin(n);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
		if (ns >= 4000000)	/* long enough to measure: scale to 0.5 ms */
			return n / (ns / 500000);
		n *= 2;
	}
	return n;
}

void worker(int id, int start_fd, int out_fd, long unit)
{
	unsigned char me = (unsigned char)id;
	char c;

	read(start_fd, &c, 1);	/* wait for the start: EOF when all exist */
	for (;;) {
		spin(unit);
		write(out_fd, &me, 1);
	}
}

/* test.sh: boot alone -- the shares are counted in timer ticks of real
 * time, which another QEMU on the same cores would take from this one. */
void test_fairness(void)
{
	int start[2], tok[2];
	long count[NWORKERS] = { 0 };
	pid_t pids[NWORKERS];
	long total = 0, lo, hi;
	unsigned char buf[64];
	long unit = calibrate_unit();

	pipe(start);
	pipe(tok);
	for (int i = 0; i < NWORKERS; i++) {
		pids[i] = t_fork();
		if (pids[i] == 0) {
			close(start[1]);
			close(tok[0]);
			worker(i, start[0], tok[1], unit);
		}
	}
	close(start[0]);
	close(start[1]);	/* go */
	close(tok[1]);
	while (total < TOKENS) {
		ssize_t n = read(tok[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, total++)
			count[buf[i] % NWORKERS]++;
	}
	for (int i = 0; i < NWORKERS; i++)
		kill(pids[i], SIGKILL);
	for (int i = 0; i < NWORKERS; i++)
		t_wait(pids[i], T_WAIT_TICKS);
	close(tok[0]);
	lo = hi = count[0];
	for (int i = 1; i < NWORKERS; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
	}
	check("4 CPU-bound children all progress", lo > 0, "a child never ran (counts %ld %ld %ld %ld)",
	      count[0], count[1], count[2], count[3]);
	if (on_sysgate())
		check("and equally, within 20%", hi * 100 <= lo * 120, "counts %ld %ld %ld %ld",
		      count[0], count[1], count[2], count[3]);
	else
		t_skip("and equally, within 20%", "checked on sysgate only (Linux has several CPUs)");
}

/* ---- running out of processes ------------------------------------------------------------ */

/*
 * Fork children that wait on a pipe until fork fails, then let them all go
 * and reap them. On Linux the limit is large (or absent, for root) and the
 * host is shared, so the test stops at 200 children there. Returns how many
 * were forked; *err gets fork's errno (0 if it never failed), *reaped the
 * number wait4 collected.
 */
long fork_until_failure(long cap, int *err, long *reaped)
{
	long n = 0;
	int p[2];
	pid_t pid;

	*err = 0;
	*reaped = 0;
	pipe(p);
	while (n < cap) {
		pid = t_fork();
		if (pid < 0) {
			*err = errno;
			break;
		}
		if (pid == 0) {
			char c;
			close(p[1]);
			read(p[0], &c, 1);
			_exit(0);
		}
		n++;
	}
	close(p[1]);	/* all children see EOF */
	close(p[0]);
	while (wait4(-1, NULL, 0, NULL) > 0)
		(*reaped)++;
	return n;
}

void test_fork_bomb(void)
{
	long cap = on_sysgate() ? 100000 : 200, n, n2, reaped;
	int err;
	struct leak_mark m;

	n = fork_until_failure(cap, &err, &reaped);
	if (on_sysgate())
		check(cname("fork until it fails (%ld children)", n), err == EAGAIN || err == ENOMEM,
		      "wrong errno (expected EAGAIN or ENOMEM, got %s)", n == cap ? "no failure" : errno_name(err));
	else
		t_skip("fork until it fails", "stopped at %ld children on Linux", n);
	check_eq("every child reaped", reaped, n);
	check_errno("one more wait4: ECHILD", wait4(-1, NULL, 0, NULL), ECHILD);
	/* The second time, with the kernel's tables already grown by the first:
	 * as many children as before, and every frame back afterwards. */
	leak_mark(&m);
	n2 = fork_until_failure(cap, &err, &reaped);
	check_eq("the same number of children the second time", n2, n);
	check_eq("every child reaped again", reaped, n2);
	leak_check("free frames back to the baseline", &m);
	/* And the system still works. */
	check_exited("a fork after all that", run_child(exit_with, 9), 9);
}

/* ---- vfork ------------------------------------------------------------------------------- */

/*
 * vfork by hand (libc's vfork is a plain fork). The child borrows the
 * parent's memory and stack until it execs or exits, so this function may
 * not keep its return address on the stack across the syscall: the child
 * would return through it first and the parent would find it overwritten.
 * It waits in rdx instead, which the syscall preserves, and is pushed back
 * for the ret.
 */
__asm__(".text\n"
	".globl raw_vfork\n"
	"raw_vfork:\n\t"
	"pop %rdx\n\t"
	"mov $58, %eax\n\t"	/* SYS_vfork */
	"syscall\n\t"
	"push %rdx\n\t"
	"ret\n");

void test_vfork(void)
{
	char *argv[] = { "proc", "--exit", "11", NULL };
	volatile int shared = 0;
	pid_t pid;

	fflush(stdout);
	pid = raw_vfork();
	if (pid == 0) {
		/* Only execve or _exit are allowed here: we share the parent's memory. */
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check("vfork returns a pid", pid > 0, "got %d", pid);
	check_exited("vfork + execve: the child's status", t_wait(pid, T_WAIT_TICKS), 11);
	pid = raw_vfork();
	if (pid == 0) {
		shared = 1;	/* the parent is suspended; it sees this after _exit */
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
	check_eq("a vfork child shares the parent's memory", shared, 1);
}
