/*
 * signals2: fork; exec; kill to a group, and to everyone (course section: signals). One part of
 * the signals2 test: main.c runs it.
 */
#include "signals2.h"

/* ---- fork ------------------------------------------------------------------------------ */

char alt_mem[SIGSTKSZ];

void forked_child_state(long arg)
{
	struct sigaction now;
	stack_t ss;
	int bad = 0;

	(void)arg;
	sigaction(SIGUSR1, NULL, &now);
	bad |= now.sa_handler != counting_handler;
	sigaction(SIGUSR2, NULL, &now);
	bad |= (now.sa_handler != SIG_IGN) << 1;
	bad |= (t_blocked_now() != (one(SIGTERM) | one(SIGHUP))) << 2;
	bad |= (t_pending_now() != 0) << 3;
	sigaltstack(NULL, &ss);
	bad |= (ss.ss_sp != alt_mem || ss.ss_flags != 0) << 4;
	_exit(bad);
}

void group_fork(void)
{
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };

	install(SIGUSR1, counting_handler, 0);
	signal(SIGUSR2, SIG_IGN);
	block(SIGTERM);
	block(SIGHUP);
	raise(SIGHUP);
	sigaltstack(&ss, NULL);
	int st = run_child(forked_child_state, 0);
	check("fork: the child has the parent's handlers", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 1), "%s",
	      status_text(st));
	check("fork: ignored stays ignored", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 2), "%s", status_text(st));
	check("fork: the mask is copied", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 4), "%s", status_text(st));
	check("fork: the child's pending set is empty", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 8), "%s",
	      status_text(st));
	check("fork: the alternate stack is inherited", st >= 0 && WIFEXITED(st) && !(WEXITSTATUS(st) & 16), "%s",
	      status_text(st));
	check_eqx("the parent's SIGHUP is still pending", t_pending_now(), one(SIGHUP));
}

/* ---- exec ---------------------------------------------------------------------------------- */

/* After execve: each bit of the exit status is a rule that did not hold. */
int exec_helper(void)
{
	struct sigaction now;
	stack_t ss;
	int bad = 0;

	sigaction(SIGUSR1, NULL, &now);
	if (now.sa_handler != SIG_DFL)
		bad |= EX_HANDLER;
	sigaction(SIGUSR2, NULL, &now);
	if (now.sa_handler != SIG_IGN)
		bad |= EX_IGNORED;
	if (t_blocked_now() != (one(SIGTERM) | one(SIGHUP)))
		bad |= EX_MASK;
	if (t_pending_now() != one(SIGHUP))
		bad |= EX_PENDING;
	sigaltstack(NULL, &ss);
	if (ss.ss_flags != SS_DISABLE)
		bad |= EX_ALTSTACK;
	if (alarm(0) == 0)
		bad |= EX_ALARM;
	return bad;
}

void exec_self(long arg)
{
	char *argv[] = { (char *)t_self(), "--sigstate", NULL };
	stack_t ss = { alt_mem, 0, sizeof(alt_mem) };

	(void)arg;
	install(SIGUSR1, counting_handler, 0);
	signal(SIGUSR2, SIG_IGN);
	block(SIGTERM);
	block(SIGHUP);
	raise(SIGHUP);
	sigaltstack(&ss, NULL);
	alarm(1000);
	execve(argv[0], argv, NULL);
	_exit(99);
}

void test_exec(void)
{
	int st = run_child(exec_self, 0);
	int bad = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;

	if (bad < 0 || bad == 99) {
		t_fail("exec", "the helper did not run (%s)", status_text(st));
		return;
	}
	check("exec: a handled signal becomes SIG_DFL", !(bad & EX_HANDLER), "status %#x", bad);
	check("exec: an ignored signal stays ignored", !(bad & EX_IGNORED), "status %#x", bad);
	check("exec: the mask is kept", !(bad & EX_MASK), "status %#x", bad);
	check("exec: pending signals are kept", !(bad & EX_PENDING), "status %#x", bad);
	check("exec: the alternate stack is gone", !(bad & EX_ALTSTACK), "status %#x", bad);
	check("exec: a pending alarm is kept", !(bad & EX_ALARM), "status %#x", bad);
}

/* ---- kill to a group, and to everyone -------------------------------------------------------- */

/* Waits (blocked, race-free) for SIGUSR1, writes 'g' on out, exits. */
void await_usr1(int ready_fd, int out_fd)
{
	sigset_t none = 0;

	got = 0;
	install(SIGUSR1, counting_handler, 0);
	write(ready_fd, "r", 1);
	while (!got)
		sigsuspend(&none);
	write(out_fd, "g", 1);
	_exit(0);
}

void group_kill_pgrp(void)
{
	int ready[2], out[2];
	pid_t leader, member;

	pipe(ready);
	pipe(out);
	block(SIGUSR1); /* inherited: no signal is lost before sigsuspend */
	leader = t_fork();
	if (leader == 0) {
		setpgid(0, 0);
		await_usr1(ready[1], out[1]);
	}
	setpgid(leader, leader);
	member = t_fork();
	if (member == 0) {
		setpgid(0, leader);
		await_usr1(ready[1], out[1]);
	}
	setpgid(member, leader);
	check_eq("two children ready", (read_byte(ready[0]) == 'r') + (read_byte(ready[0]) == 'r'), 2);
	check_eq("kill(-pgid, SIGUSR1)", kill(-leader, SIGUSR1), 0);
	check_eq("reached both members of the group", (read_byte(out[0]) == 'g') + (read_byte(out[0]) == 'g'), 2);
	check_exited("the leader", t_wait(leader, T_WAIT_TICKS), 0);
	check_exited("the member", t_wait(member, T_WAIT_TICKS), 0);

	/* kill(0, sig) from inside a group reaches the sender too. */
	pid_t sender = t_fork();
	if (sender == 0) {
		sigset_t none = 0;
		setpgid(0, 0);
		got = 0;
		install(SIGUSR1, counting_handler, 0);
		pid_t other = t_fork();
		if (other == 0)
			await_usr1(ready[1], out[1]);
		if (read_byte(ready[0]) != 'r')
			_exit(2);
		kill(0, SIGUSR1);
		while (!got)
			sigsuspend(&none);
		_exit(read_byte(out[0]) == 'g' && t_wait(other, T_WAIT_TICKS) == 0 ? 0 : 3);
	}
	check_exited("kill(0, SIGUSR1) reaches the whole group, sender included", t_wait(sender, T_WAIT_TICKS), 0);
}

/* kill(-1): every process but init and the sender. Only when we are init
 * on sysgate: elsewhere it would reach the host's processes. */
void kill_everyone(long arg)
{
	sigset_t none = 0;

	(void)arg;
	got = 0;

	install(SIGUSR1, counting_handler, 0);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (kill(-1, SIGUSR1) != 0)
		_exit(2);
	_exit(got ? 1 : 0); /* a signal to ourselves would have run by now */
}

void test_kill_everyone(void)
{
	int ready[2], out[2];

	if (!on_sysgate() || getpid() != 1) {
		t_skip("kill(-1)", "only as init on sysgate");
		return;
	}
	pipe(ready);
	pipe(out);
	got = 0;
	install(SIGUSR1, counting_handler, 0); /* init must not get it */
	block(SIGUSR1);
	pid_t target = t_fork();
	if (target == 0)
		await_usr1(ready[1], out[1]);
	read_byte(ready[0]);
	check_exited("kill(-1, SIGUSR1) does not signal the sender", run_child(kill_everyone, 0), 0);
	check_eq("it reached the other process", read_byte(out[0]), 'g');
	check_exited("which then exited", t_wait(target, T_WAIT_TICKS), 0);
	sigset_t p = t_pending_now();
	check("init (pid 1) was spared", !sigismember(&p, SIGUSR1) && got == 0, "pending %#lx", p);
	signal(SIGUSR1, SIG_DFL);
	sigset_t s = one(SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	/* With nobody else left, kill(-1) finds no target: ESRCH. */
	check_errno("kill(-1, 0) with no other process: ESRCH", kill(-1, 0), ESRCH);
	close(ready[0]);
	close(ready[1]);
	close(out[0]);
	close(out[1]);
}
