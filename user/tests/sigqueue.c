/*
 * sigqueue: real-time signals and sigqueue (course section: signals).
 *
 * A standard signal is a flag: sent three times while blocked, it is
 * handled once. A real-time signal is a queue: every sending is kept, with
 * the value sigqueue gave it, and handled in the order sent, lowest signal
 * number first. This binary checks those rules, the two pending sets
 * (signals sent to the process and to the thread itself), rt_sigqueueinfo
 * and rt_tgsigqueueinfo with every error Linux gives, what RLIMIT_SIGPENDING
 * does when the queue is full, and that queued signals survive exec, vanish
 * with SIG_IGN and are not inherited by fork.
 *
 * Linux counts RLIMIT_SIGPENDING per user, so any other process of the same
 * user with signals pending takes some of the room (under `make test` some
 * always do). So on Linux only limit 0 is checked, which nothing can make
 * fuller; sysgate counts per process, and is checked at 3 as well.
 *
 * Run with "--drain" as argv[1], the binary is the program that execve
 * tests: it collects the signals it was sent before the exec.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>

#include "testlib.h"

#define RT0 SIGRTMIN
#define RT1 (SIGRTMIN + 1)
#define RT2 (SIGRTMIN + 2)

/* ---- helpers ---------------------------------------------------------------------- */

/* What the recording handler saw, in order. */
#define MAX_SEEN 32
static volatile int seen_count;
static volatile int seen_sig[MAX_SEEN], seen_code[MAX_SEEN], seen_value[MAX_SEEN];

static void record(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	int i = seen_count;
	if (i < MAX_SEEN) {
		seen_sig[i] = sig;
		seen_code[i] = info->si_code;
		seen_value[i] = info->si_value.sival_int;
		seen_count = i + 1;
	}
}

static void install_recorder(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = record;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void block(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

static void unblock_all(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigprocmask(SIG_SETMASK, &s, NULL);
}

static sigset_t set_of(int a, int b, int c)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, a);
	if (b)
		sigaddset(&s, b);
	if (c)
		sigaddset(&s, c);
	return s;
}

/* Take one pending signal of `set` without waiting: its number, or -errno. */
static int take(sigset_t set, siginfo_t *info)
{
	struct timespec zero = { 0, 0 };
	int sig = sigtimedwait(&set, info, &zero);
	return sig < 0 ? -errno : sig;
}

/* Take every pending signal of `set`; how many there were. */
static int drain(sigset_t set)
{
	siginfo_t info;
	int n = 0;
	while (take(set, &info) > 0)
		n++;
	return n;
}

static int queue_value(pid_t pid, int sig, int value)
{
	union sigval v = { .sival_int = value };
	return sigqueue(pid, sig, v);
}

/* A siginfo as a program might write it for rt_sigqueueinfo. */
static siginfo_t info_with_code(int code)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	info.si_code = code;
	info.si_pid = getpid();
	info.si_value.sival_int = 7;
	return info;
}

static long sigqueueinfo(pid_t pid, int sig, const void *info)
{
	return syscall(SYS_rt_sigqueueinfo, pid, sig, info);
}

static long tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, const void *info)
{
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, info);
}


static unsigned long bit(int sig)
{
	return 1ul << (sig - 1);
}

/* ---- a flag and a queue -------------------------------------------------------------------- */

static void group_flag_and_queue(void)
{
	install_recorder(SIGUSR1);
	install_recorder(RT0);
	block(SIGUSR1);
	block(RT0);
	for (int i = 0; i < 3; i++) {
		kill(getpid(), RT0);
		kill(getpid(), SIGUSR1);
	}
	unblock_all();
	int usr1 = 0, rt0 = 0;
	for (int i = 0; i < seen_count; i++) {
		usr1 += seen_sig[i] == SIGUSR1;
		rt0 += seen_sig[i] == RT0;
	}
	check_eq("SIGUSR1 sent 3 times while blocked: handled once", usr1, 1);
	check_eq("RT0 sent 3 times while blocked: handled 3 times", rt0, 3);
	check_eq("kill's si_code is SI_USER", seen_code[0], SI_USER);
}

static void queue_four(void)
{
	queue_value(getpid(), RT2, 1);
	queue_value(getpid(), RT0, 2);
	queue_value(getpid(), RT1, 3);
	queue_value(getpid(), RT0, 4);
}

static void group_order(void)
{
	siginfo_t info;
	int sig[4], value[4];
	block(RT0);
	block(RT1);
	block(RT2);
	queue_four();
	check_eqx("all three are pending", t_pending_now(), bit(RT0) | bit(RT1) | bit(RT2));
	for (int i = 0; i < 4; i++) {
		sig[i] = take(set_of(RT0, RT1, RT2), &info);
		value[i] = info.si_value.sival_int;
	}
	check("taken lowest number first, each number in the order sent",
	      sig[0] == RT0 && value[0] == 2 && sig[1] == RT0 && value[1] == 4 && sig[2] == RT1 && value[2] == 3 &&
		      sig[3] == RT2 && value[3] == 1,
	      "got %d/%d %d/%d %d/%d %d/%d", sig[0], value[0], sig[1], value[1], sig[2], value[2], sig[3], value[3]);
	check_eq("sigqueue's si_code is SI_QUEUE", info.si_code, SI_QUEUE);
}

/*
 * Unblocking several signals at once: on the way back to user mode the
 * kernel takes them one by one, and gives each a frame on top of the last,
 * until only blocked ones are left (each handler blocks its own signal).
 * So the handler of the signal taken LAST runs first, and RT0's second
 * instance waits until RT0's first handler returns.
 */
static void group_handler_nesting(void)
{
	install_recorder(RT0);
	install_recorder(RT1);
	install_recorder(RT2);
	block(RT0);
	block(RT1);
	block(RT2);
	queue_four();
	unblock_all();
	check_eq("four sendings, four handler runs", seen_count, 4);
	int order_ok = seen_sig[0] == RT2 && seen_value[0] == 1 && seen_sig[1] == RT1 && seen_value[1] == 3 &&
		       seen_sig[2] == RT0 && seen_value[2] == 2 && seen_sig[3] == RT0 && seen_value[3] == 4;
	check("nested frames: RT2, RT1, RT0 run in that order, then RT0's second instance", order_ok,
	      "got %d/%d %d/%d %d/%d %d/%d", seen_sig[0], seen_value[0], seen_sig[1], seen_value[1], seen_sig[2],
	      seen_value[2], seen_sig[3], seen_value[3]);
	check_eq("a handler sees si_code SI_QUEUE", seen_code[0], SI_QUEUE);
}

static void group_sigqueue_info(void)
{
	static int target;
	siginfo_t info;
	block(RT0);
	union sigval v = { .sival_ptr = &target };
	check_ok("sigqueue with a pointer value", sigqueue(getpid(), RT0, v));
	check_eq("sigtimedwait takes it", take(set_of(RT0, 0, 0), &info), RT0);
	check("si_value.sival_ptr comes back as sent", info.si_value.sival_ptr == &target, "got %p",
	      info.si_value.sival_ptr);
	check_eq("si_pid is the sender", info.si_pid, getpid());
	check_eq("si_uid is the sender's", info.si_uid, getuid());
	check_eq("si_code SI_QUEUE", info.si_code, SI_QUEUE);
	check_eq("and nothing is left", take(set_of(RT0, 0, 0), &info), -EAGAIN);

	for (int i = 0; i < 3; i++)
		queue_value(getpid(), RT0, 10 + i);
	int ok = 1;
	for (int i = 0; i < 3; i++)
		ok &= take(set_of(RT0, 0, 0), &info) == RT0 && info.si_value.sival_int == 10 + i;
	check("three values queued, taken back in order by sigtimedwait", ok, "one came out wrong");
	check_eq("then the queue is empty: EAGAIN", take(set_of(RT0, 0, 0), &info), -EAGAIN);
}

static void group_signalfd(void)
{
	block(RT0);
	int fd = signalfd(-1, &(sigset_t){ bit(RT0) }, SFD_NONBLOCK);
	check_ok("signalfd for RT0", fd);
	queue_value(getpid(), RT0, 21);
	queue_value(getpid(), RT0, 22);
	struct signalfd_siginfo rec[4];
	check_eq("two queued, a read of four records: 2", read(fd, rec, sizeof(rec)), 2 * (long)sizeof(rec[0]));
	check("each record has its own value (ssi_int)", rec[0].ssi_int == 21 && rec[1].ssi_int == 22,
	      "got %d %d", rec[0].ssi_int, rec[1].ssi_int);
	check_eq("ssi_ptr holds the same value", (long)rec[1].ssi_ptr, 22);
	check_eq("ssi_code SI_QUEUE", rec[0].ssi_code, SI_QUEUE);
	check_eq("ssi_pid is the sender", rec[0].ssi_pid, getpid());
	check_errno("and then none: EAGAIN", read(fd, rec, sizeof(rec)), EAGAIN);
	close(fd);
}

/* ---- the process's set and the thread's ------------------------------------------------------ */

static void group_two_sets(void)
{
	siginfo_t info;
	install_recorder(SIGUSR1);
	block(SIGUSR1);
	raise(SIGUSR1); /* tgkill: to this thread */
	kill(getpid(), SIGUSR1);
	unblock_all();
	check_eq("SIGUSR1 raised and killed while blocked: pending twice, handled twice", seen_count, 2);

	block(RT0);
	block(RT1);
	kill(getpid(), RT0);
	syscall(SYS_tgkill, getpid(), getpid(), RT1);
	check_eqx("sigpending shows both sets", t_pending_now(), bit(RT0) | bit(RT1));
	check_eqx("/proc status: SigPnd is the thread's set", t_status_field("SigPnd", 16), bit(RT1));
	check_eqx("ShdPnd is the process's", t_status_field("ShdPnd", 16), bit(RT0));
	long q = t_status_field("SigQ", 10);
	if (on_sysgate())
		check_eq("SigQ counts the 2 queued instances", q, 2);
	else
		check("SigQ counts the 2 queued instances (Linux: per user, at least 2)", q >= 2, "got %ld", q);
	check_eq("the thread's own set is taken first, though its number is higher",
		 take(set_of(RT0, RT1, 0), &info), RT1);
	check_eq("then the process's", take(set_of(RT0, RT1, 0), &info), RT0);

	block(SIGINT);
	block(SIGSEGV);
	raise(SIGINT);
	raise(SIGSEGV);
	check_eq("SIGINT and SIGSEGV pending: the fault's signal first", take(set_of(SIGINT, SIGSEGV, 0), &info),
		 SIGSEGV);
	check_eq("then SIGINT", take(set_of(SIGINT, SIGSEGV, 0), &info), SIGINT);
}

/* ---- rt_sigqueueinfo and rt_tgsigqueueinfo ---------------------------------------------------- */

/* A child that waits for one RT0 and exits with its value. */
static pid_t start_receiver(void)
{
	block(RT0);
	pid_t pid = t_fork();
	if (pid == 0) {
		siginfo_t info;
		sigset_t s = set_of(RT0, 0, 0);
		alarm(20);
		_exit(sigwaitinfo(&s, &info) == RT0 ? info.si_value.sival_int : 99);
	}
	return pid;
}

static void group_sigqueueinfo_errors(void)
{
	pid_t me = getpid();
	siginfo_t queue = info_with_code(SI_QUEUE), user = info_with_code(SI_USER);
	siginfo_t tkill = info_with_code(SI_TKILL), kernel = info_with_code(SI_KERNEL);
	siginfo_t positive = info_with_code(5), got;
	pid_t child = start_receiver();
	block(RT0);

	check_errno("pid 0: ESRCH (no process groups)", sigqueueinfo(0, RT0, &queue), ESRCH);
	check_errno("pid -1: ESRCH", sigqueueinfo(-1, RT0, &queue), ESRCH);
	check_errno("minus our pid: ESRCH", sigqueueinfo(-me, RT0, &queue), ESRCH);
	check_errno("signal 65: EINVAL", sigqueueinfo(me, 65, &queue), EINVAL);
	check_errno("signal -1: EINVAL", sigqueueinfo(me, -1, &queue), EINVAL);
	check_errno("a missing pid and signal 65: ESRCH (the target first)", sigqueueinfo(999999, 65, &queue),
		    ESRCH);
	check_errno("siginfo at address 1: EFAULT", sigqueueinfo(me, RT0, (void *)1), EFAULT);
	check_errno("a bad siginfo and a missing pid: EFAULT (read first)", sigqueueinfo(999999, RT0, (void *)1),
		    EFAULT);
	check_errno("siginfo at a kernel address: EFAULT", sigqueueinfo(child, RT0, (void *)0xffff800000000000ul),
		    EFAULT);
	check_errno("another process, si_code SI_USER: EPERM (forged kill)", sigqueueinfo(child, RT0, &user),
		    EPERM);
	check_errno("si_code SI_TKILL: EPERM", sigqueueinfo(child, RT0, &tkill), EPERM);
	check_errno("si_code SI_KERNEL: EPERM", sigqueueinfo(child, RT0, &kernel), EPERM);
	check_errno("a positive si_code: EPERM", sigqueueinfo(child, RT0, &positive), EPERM);
	check_errno("EPERM comes before EINVAL", sigqueueinfo(child, 65, &user), EPERM);
	check_ok("signal 0 probes the child", sigqueueinfo(child, 0, &queue));
	check_ok("signal 0 to ourselves", sigqueueinfo(me, 0, &queue));
	check_eqx("and makes nothing pending", t_pending_now(), 0);

	check_ok("SI_USER to ourselves is allowed", sigqueueinfo(me, RT0, &user));
	check_eq("and arrives with si_code SI_USER", take(set_of(RT0, 0, 0), &got) == RT0 ? got.si_code : -1,
		 SI_USER);
	siginfo_t odd = info_with_code(SI_QUEUE);
	odd.si_signo = 99;
	odd.si_errno = 3;
	odd.si_pid = 4242;
	check_ok("a siginfo with si_signo 99, si_errno 3, si_pid 4242", sigqueueinfo(me, RT0, &odd));
	take(set_of(RT0, 0, 0), &got);
	check_eq("si_signo is replaced by the signal sent", got.si_signo, RT0);
	check("si_errno and si_pid arrive as written", got.si_errno == 3 && got.si_pid == 4242, "got %d, %d",
	      got.si_errno, got.si_pid);

	check_ok("SI_QUEUE to another process", sigqueueinfo(child, RT0, &queue));
	check_exited("the child got it, with its value (7)", t_wait(child, T_WAIT_TICKS), 7);
	unblock_all();
}

static void group_tgsigqueueinfo_errors(void)
{
	pid_t me = getpid();
	siginfo_t queue = info_with_code(SI_QUEUE), user = info_with_code(SI_USER), got;
	pid_t child = start_receiver();

	check_errno("tgid 0: EINVAL", tgsigqueueinfo(0, me, RT0, &queue), EINVAL);
	check_errno("tid 0: EINVAL", tgsigqueueinfo(me, 0, RT0, &queue), EINVAL);
	check_errno("tid -1 with a bad siginfo: EFAULT (read first)", tgsigqueueinfo(me, -1, RT0, (void *)1),
		    EFAULT);
	check_errno("a thread of another process: ESRCH", tgsigqueueinfo(child, me, RT0, &queue), ESRCH);
	check_errno("signal 65: EINVAL", tgsigqueueinfo(me, me, 65, &queue), EINVAL);
	check_errno("a missing thread, signal 65: ESRCH", tgsigqueueinfo(999999, 999999, 65, &queue), ESRCH);
	check_errno("another process, si_code SI_USER: EPERM", tgsigqueueinfo(child, child, RT0, &user), EPERM);
	check_ok("to ourselves", tgsigqueueinfo(me, me, RT0, &queue));
	check_eqx("it is pending for the thread", t_status_field("SigPnd", 16), bit(RT0));
	check_eq("with its value", take(set_of(RT0, 0, 0), &got) == RT0 ? got.si_value.sival_int : -1, 7);
	check_ok("SI_QUEUE to another process", tgsigqueueinfo(child, child, RT0, &queue));
	check_exited("the child got it (7)", t_wait(child, T_WAIT_TICKS), 7);
	unblock_all();
}

/* ---- RLIMIT_SIGPENDING --------------------------------------------------------------------- */

static void set_sigpending_limit(unsigned long n)
{
	struct rlimit r = { n, n };
	setrlimit(RLIMIT_SIGPENDING, &r);
}

static void group_limit_zero(void)
{
	pid_t me = getpid();
	siginfo_t queue = info_with_code(SI_QUEUE), got;
	sigset_t all = set_of(SIGUSR1, RT0, RT1);
	block(SIGUSR1);
	block(RT0);
	block(RT1);
	set_sigpending_limit(0);
	check_ok("limit 0: kill with RT0 still succeeds", kill(me, RT0));
	check_ok("twice", kill(me, RT0));
	check_errno("sigqueue of RT0: EAGAIN", queue_value(me, RT0, 1), EAGAIN);
	check_errno("rt_sigqueueinfo of RT0: EAGAIN", sigqueueinfo(me, RT0, &queue), EAGAIN);
	check_errno("tgkill of RT1: EAGAIN (its details, the tid, would be lost)",
		    syscall(SYS_tgkill, me, me, RT1), EAGAIN);
	check_ok("sigqueue of a standard signal succeeds", sigqueueinfo(me, SIGUSR1, &queue));
	check_eq("SIGUSR1 is pending", take(all, &got), SIGUSR1);
	check("without its details: SI_USER from pid 0", got.si_code == SI_USER && got.si_pid == 0,
	      "got code %d, pid %d", got.si_code, got.si_pid);
	check_eq("RT0 is pending once", take(all, &got), RT0);
	check("also without details", got.si_code == SI_USER && got.si_pid == 0, "got code %d, pid %d",
	      got.si_code, got.si_pid);
	check_eq("nothing else is pending", take(all, &got), -EAGAIN);
	kill(me, SIGUSR1);
	take(all, &got);
	check_eq("kill of a standard signal keeps its details even so", got.si_pid, me);
}

static void group_limit_three(void)
{
	pid_t me = getpid();
	siginfo_t got;
	block(RT0);
	set_sigpending_limit(3);
	int sent = 0, refused = 0;
	for (int i = 0; i < 5; i++)
		sent += kill(me, RT0) == 0;
	check_eq("limit 3: five kills of RT0 all succeed", sent, 5);
	for (int i = 0; i < 2; i++)
		refused += queue_value(me, RT0, i) < 0 && errno == EAGAIN;
	check_eq("two sigqueues after them: EAGAIN", refused, 2);
	int whole = 0, total = 0;
	while (take(set_of(RT0, 0, 0), &got) == RT0) {
		total++;
		whole += got.si_pid == me;
	}
	check_eq("three instances kept, with their sender", whole, 3);
	check_eq("the two kills past the limit left no record of their own", total, whole);
	check_ok("with the queue empty, sigqueue works again", queue_value(me, RT0, 9));
}

/* ---- lifetime: SIG_IGN, fork, exec, exit ------------------------------------------------------ */

static void group_ignore_flushes(void)
{
	block(RT0);
	for (int i = 0; i < 3; i++)
		queue_value(getpid(), RT0, i);
	signal(RT0, SIG_IGN);
	check_eqx("SIG_IGN drops every queued instance", t_pending_now(), 0);
	install_recorder(RT0);
	unblock_all();
	check_eq("so none reaches a handler installed afterwards", seen_count, 0);
	if (on_sysgate())
		check_eq("SigQ is back to 0", t_status_field("SigQ", 10), 0);
}

static void group_fork(void)
{
	block(RT0);
	queue_value(getpid(), RT0, 1);
	queue_value(getpid(), RT0, 2);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(t_pending_now() == 0 ? 0 : 1);
	check_exited("a forked child has nothing pending", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("the parent keeps both", drain(set_of(RT0, 0, 0)), 2);
}

/* After exec: the signals queued before it, in order. Exits with how many
 * arrived with the values 1, 2, 3 in turn (3), or 100 + the count. */
static int drain_helper(void)
{
	siginfo_t info;
	int n = 0, in_order = 1;
	while (take(set_of(RT0, 0, 0), &info) == RT0) {
		n++;
		in_order &= info.si_value.sival_int == n;
	}
	return in_order ? n : 100 + n;
}

static void group_exec(void)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)t_self(), "--drain", NULL };
		block(RT0);
		for (int i = 1; i <= 3; i++)
			queue_value(getpid(), RT0, i);
		execve(argv[0], argv, NULL);
		_exit(98);
	}
	check_exited("three values queued before execve arrive after it, in order", t_wait(pid, T_WAIT_TICKS), 3);
}

/* A child that dies with a full queue, or sends to one. */
static void fill_queue_and_exit(long n)
{
	block(RT0);
	for (long i = 0; i < n; i++)
		queue_value(getpid(), RT0, (int)i);
	block(SIGUSR2);
	kill(getpid(), SIGUSR2); /* a standard one too: it counts */
}

static void queued_signal_lifetimes(void)
{
	for (int round = 0; round < 20; round++)
		run_child(fill_queue_and_exit, 1000);
	pid_t pid = t_fork();
	if (pid == 0) {
		block(RT0);
		for (;;)
			pause();
	}
	for (int i = 0; i < 500; i++)
		queue_value(pid, RT0, i);
	kill(pid, SIGKILL);
	t_wait(pid, T_WAIT_TICKS);
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc > 1 && strcmp(argv[1], "--drain") == 0)
		return drain_helper();
	t_begin("sigqueue");
	t_group("a flag and a queue", group_flag_and_queue);
	t_group("order", group_order);
	t_group("handler nesting", group_handler_nesting);
	t_group("sigqueue's siginfo", group_sigqueue_info);
	t_group("signalfd", group_signalfd);
	t_group("two pending sets", group_two_sets);
	t_group("rt_sigqueueinfo", group_sigqueueinfo_errors);
	t_group("rt_tgsigqueueinfo", group_tgsigqueueinfo_errors);
	t_group("RLIMIT_SIGPENDING 0", group_limit_zero);
	if (on_sysgate())
		t_group("RLIMIT_SIGPENDING 3", group_limit_three);
	else
		t_skip("RLIMIT_SIGPENDING 3", "Linux counts per user: other processes share the room");
	t_group("SIG_IGN", group_ignore_flushes);
	t_group("fork", group_fork);
	t_group("exec", group_exec);
	if (on_sysgate())
		t_leak_test("20 processes exit with 1,000 queued signals, one is killed with 500: no frame or heap "
			    "byte lost",
			    queued_signal_lifetimes);
	else
		t_skip("leaks", "sysgate only");
	return t_end();
}
