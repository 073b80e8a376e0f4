/*
 * seccomp: a process confines its own syscalls (course section: seccomp).
 *
 * What a confined program sees, case by case, on Linux and on sysgate:
 *   - strict mode: read, write, exit and rt_sigreturn, and death by SIGKILL
 *     for anything else (exit_group included);
 *   - every action of a filter: ALLOW, LOG, ERRNO (its data as errno, capped
 *     at 4095), TRAP (SIGSYS and its siginfo: si_code, si_call_addr,
 *     si_syscall, si_arch, si_errno), TRACE (without a tracer: ENOSYS; with
 *     one: the PTRACE_EVENT_SECCOMP stop, GETEVENTMSG, skipping the call),
 *     USER_NOTIF without a listener, KILL_THREAD, KILL_PROCESS;
 *   - stacked filters: the most restrictive action wins, on a tie the newest;
 *   - inheritance by fork and exec, /proc/PID/status's lines;
 *   - no_new_privs: needed without CAP_SYS_ADMIN, kept, never unset, and a
 *     set-user-ID program grants nothing under it.
 * seccomp_load.c covers the checker's refusals, bad input, threads (TSYNC,
 * KILL_THREAD) and leaks. Every case that installs a filter runs in a child:
 * a filter is for good.
 */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <ucontext.h>
#include <abi/filter.h>
#include <abi/seccomp.h>

#include "testlib.h"
#include "seccomp_util.h"

#define USER 1000
#define OTHER 2000

/* ---- strict mode ------------------------------------------------------------------------- */

static void strict_then(long what)
{
	char c = 'x';
	int p[2];
	if (pipe(p))
		_exit(90);
	if (raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0, 0, 0, 0) != 0)
		_exit(91);
	if (raw_syscall(SYS_write, p[1], (long)&c, 1, 0, 0, 0) != 1 ||
	    raw_syscall(SYS_read, p[0], (long)&c, 1, 0, 0, 0) != 1)
		raw_syscall(SYS_exit, 92, 0, 0, 0, 0, 0);
	if (what == 1)
		raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
	else if (what == 2)
		raw_syscall(SYS_exit_group, 0, 0, 0, 0, 0, 0);
	raw_syscall(SYS_exit, 3, 0, 0, 0, 0, 0);
}

static void strict_by_prctl(long unused)
{
	(void)unused;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0))
		_exit(91);
	raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	raw_syscall(SYS_exit, 3, 0, 0, 0, 0, 0);
}

static void test_strict(void)
{
	check_eq("PR_GET_SECCOMP: 0 at first", prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
	check_exited("strict: read, write and exit work", run_child(strict_then, 0), 3);
	check_signaled("strict: getpid kills with SIGKILL", run_child(strict_then, 1), SIGKILL);
	check_signaled("strict: exit_group is not exit: SIGKILL", run_child(strict_then, 2), SIGKILL);
	check_signaled("strict by prctl(PR_SET_SECCOMP, 1)", run_child(strict_by_prctl, 0), SIGKILL);
	check_raw_errno("strict with flags: EINVAL", raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, 0, 0, 0, 0),
			EINVAL);
	check_raw_errno("strict with args: EINVAL",
			raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 8, 0, 0, 0), EINVAL);
	check_errno("PR_SET_SECCOMP mode 3: EINVAL", prctl(PR_SET_SECCOMP, 3, 0, 0, 0), EINVAL);
}

/* ---- each action alone ------------------------------------------------------------------- */

/* In a child: install "getppid gets ret", call getppid, exit with what
 * it returned (its errno, or 200 + the value). */
static void getppid_under(long ret)
{
	if (sc_forbid(SYS_getppid, (uint32_t)ret))
		_exit(99);
	long r = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	_exit(r < 0 ? (int)-r : r == getppid_before ? 200 : 201);
}

static void test_actions(void)
{
	check_exited("ALLOW: the call runs", run_child(getppid_under, SECCOMP_RET_ALLOW), 200);
	check_exited("LOG: the call runs", run_child(getppid_under, SECCOMP_RET_LOG), 200);
	check_exited("ERRNO|EPERM: fails with EPERM", run_child(getppid_under, SECCOMP_RET_ERRNO | EPERM), EPERM);
	check_exited("ERRNO|200: errno 200", run_child(getppid_under, SECCOMP_RET_ERRNO | 200), 200);
	check_exited("TRACE without a tracer: ENOSYS", run_child(getppid_under, SECCOMP_RET_TRACE | 5), ENOSYS);
	check_exited("USER_NOTIF without a listener: ENOSYS", run_child(getppid_under, SECCOMP_RET_USER_NOTIF),
		     ENOSYS);
	check_signaled("KILL_THREAD of the only thread: SIGSYS", run_child(getppid_under, SECCOMP_RET_KILL_THREAD),
		       SIGSYS);
	check_signaled("KILL_PROCESS: SIGSYS", run_child(getppid_under, SECCOMP_RET_KILL_PROCESS), SIGSYS);
	check_signaled("an unknown action kills: SIGSYS", run_child(getppid_under, 0x00010000), SIGSYS);
	check_signaled("TRAP without a handler: SIGSYS", run_child(getppid_under, SECCOMP_RET_TRAP), SIGSYS);
}

/* The raw results ERRNO gives: 0 for data 0 (the call "succeeds" without
 * running), and at most -4095. */
static void errno_data(long data)
{
	if (sc_forbid(SYS_getppid, SECCOMP_RET_ERRNO | (uint32_t)data))
		_exit(99);
	long r = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	_exit(r == 0 ? 0 : r == -4095 ? 1 : r == -(long)data ? 2 : 3);
}

static void test_errno_data(void)
{
	check_exited("ERRNO|0: returns 0, the call not run", run_child(errno_data, 0), 0);
	check_exited("ERRNO|5000: capped at 4095", run_child(errno_data, 5000), 1);
	check_exited("ERRNO|4095: 4095", run_child(errno_data, 4095), 1);
	check_exited("ERRNO|0xffff: capped at 4095", run_child(errno_data, 0xffff), 1);
}

/* ---- TRAP: the siginfo and the registers ---------------------------------------------------- */

static volatile siginfo_t trapped;
static volatile unsigned long trap_rip, trap_rax;

static void on_sigsys(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	(void)sig;
	trapped = *si;
	trap_rip = uc->uc_mcontext.gregs[REG_RIP];
	trap_rax = uc->uc_mcontext.gregs[REG_RAX];
}

static void trap_group(void)
{
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	if (!check_eq("install TRAP|0x1234 for getppid", sc_forbid(SYS_getppid, SECCOMP_RET_TRAP | 0x1234), 0))
		return;
	long r = raw_syscall(SYS_getppid, 7, 8, 9, 10, 11, 12);
	check_eq("the handler ran: si_signo SIGSYS", trapped.si_signo, SIGSYS);
	check_eq("si_code SYS_SECCOMP", trapped.si_code, SYS_SECCOMP);
	check_eq("si_errno: the filter's data", trapped.si_errno, 0x1234);
	check_eq("si_syscall: getppid", trapped.si_syscall, SYS_getppid);
	check_eqx("si_arch: AUDIT_ARCH_X86_64", trapped.si_arch, AUDIT_ARCH_X86_64);
	check_eqx("si_call_addr: after the syscall instruction", (unsigned long)trapped.si_call_addr, trap_rip);
	check_eq("the handler's rax: the syscall number", (long)trap_rax, SYS_getppid);
	check_eq("the call returns its own number (not run)", r, SYS_getppid);
	check_eq("other calls run", getpid() > 0, 1);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGSYS);
	sigprocmask(SIG_BLOCK, &block, NULL);
	check_signaled("TRAP with SIGSYS blocked: killed", run_child(getppid_under, SECCOMP_RET_TRAP), SIGSYS);
}

static void kill_process_with_handler(long unused)
{
	(void)unused;
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	getppid_under(SECCOMP_RET_KILL_PROCESS);
}

/* ---- stacked filters --------------------------------------------------------------------- */

/* Two filters on getppid, older first; the child exits as getppid_under. */
static void stack_two(long pair)
{
	uint32_t older = (uint32_t)(pair >> 32), newer = (uint32_t)pair;
	if (sc_forbid(SYS_getppid, older))
		_exit(98);
	getppid_under(newer);
}

static long pair(uint32_t older, uint32_t newer)
{
	return (long)((uint64_t)older << 32 | newer);
}

static void test_precedence(void)
{
	check_exited("ALLOW then ERRNO: ERRNO", run_child(stack_two, pair(SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | 3)), 3);
	check_exited("ERRNO then ALLOW: ERRNO", run_child(stack_two, pair(SECCOMP_RET_ERRNO | 3, SECCOMP_RET_ALLOW)), 3);
	check_exited("ERRNO|7 then ERRNO|5: the newest's data", run_child(stack_two, pair(SECCOMP_RET_ERRNO | 7,
		     SECCOMP_RET_ERRNO | 5)), 5);
	check_exited("LOG then TRACE: TRACE (ENOSYS)", run_child(stack_two, pair(SECCOMP_RET_LOG, SECCOMP_RET_TRACE)),
		     ENOSYS);
	check_exited("TRACE then ERRNO: ERRNO", run_child(stack_two, pair(SECCOMP_RET_TRACE, SECCOMP_RET_ERRNO | 9)), 9);
	check_exited("USER_NOTIF then ERRNO: ERRNO", run_child(stack_two, pair(SECCOMP_RET_USER_NOTIF,
		     SECCOMP_RET_ERRNO | 9)), 9);
	check_signaled("ERRNO then TRAP: TRAP", run_child(stack_two, pair(SECCOMP_RET_ERRNO | 3, SECCOMP_RET_TRAP)),
		       SIGSYS);
	check_signaled("TRAP then KILL_THREAD: a kill", run_child(stack_two, pair(SECCOMP_RET_TRAP,
		       SECCOMP_RET_KILL_THREAD)), SIGSYS);
	check_signaled("KILL_PROCESS then ALLOW: KILL_PROCESS",
		       run_child(stack_two, pair(SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW)), SIGSYS);
	check_signaled("KILL_PROCESS even over a SIGSYS handler", run_child(kill_process_with_handler, 0), SIGSYS);
}

/* ---- inheritance, /proc, modes -------------------------------------------------------------- */

static void fork_inherits(long unused)
{
	(void)unused;
	if (sc_forbid(SYS_getppid, SECCOMP_RET_ERRNO | 33))
		_exit(99);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit((int)-raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0));
	int st = t_wait(pid, T_WAIT_TICKS);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 98);
}

static void exec_keeps(long unused)
{
	(void)unused;
	if (sc_forbid(SYS_getppid, SECCOMP_RET_ERRNO | 34) || sc_forbid(SYS_getppid, SECCOMP_RET_ALLOW))
		_exit(99);
	execl(t_self(), t_self(), "probe", (char *)NULL);
	_exit(97);
}

/* What an exec'ed copy of this test reports: getppid's errno, its mode,
 * and its status lines. */
static int probe(void)
{
	long r = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0);
	int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	int ok = sc_status_value("Seccomp") == 2 && sc_status_value("Seccomp_filters") == 2 &&
		 sc_status_value("NoNewPrivs") == 1;
	return r == -34 && mode == 2 && ok ? 0 : r == -34 ? 1 : 2;
}

static void status_lines(long unused)
{
	(void)unused;
	int ok = sc_status_value("Seccomp") == 0 && sc_status_value("Seccomp_filters") == 0;
	if (sc_forbid(SYS_getppid, SECCOMP_RET_ALLOW))
		_exit(99);
	ok = ok && sc_status_value("Seccomp") == 2 && sc_status_value("Seccomp_filters") == 1;
	ok = ok && prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 2;
	/* Filter mode cannot become strict. */
	ok = ok && raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0, 0, 0, 0) == -EINVAL;
	_exit(ok ? 0 : 1);
}

static void test_inheritance(void)
{
	check_exited("/proc/self/status: Seccomp 0 then 2, Seccomp_filters 1; no way to strict",
		     run_child(status_lines, 0), 0);
	check_exited("fork: the child is filtered too", run_child(fork_inherits, 0), 33);
	check_exited("exec keeps both filters, the mode, the status lines", run_child(exec_keeps, 0), 0);
}

/* ---- no_new_privs --------------------------------------------------------------------------- */

static void become_user(void)
{
	if (setgroups(0, NULL) || setresgid(USER, USER, USER) || setresuid(USER, USER, USER))
		_exit(99);
}

static void user_without_nnp(long unused)
{
	(void)unused;
	become_user();
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, allow };
	int ok = raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0, 0) == -EACCES;
	ok &= prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, (unsigned long)&prog, 0, 0) == -1 && errno == EACCES;
	ok &= prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0;
	/* Strict mode needs nothing: it can only take rights away. */
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
	ok &= raw_syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)&prog, 0, 0, 0) == 0;
	_exit(ok ? 0 : 1);
}

static void nnp_rules(long unused)
{
	(void)unused;
	int ok = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) == -1 && errno == EINVAL;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0) == -1 && errno == EINVAL;
	ok &= prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 && errno == EINVAL;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) == -1 && prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	ok &= sc_status_value("NoNewPrivs") == 1;
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
	int st = t_wait(pid, T_WAIT_TICKS);
	ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	_exit(ok ? 0 : 1);
}

/* A set-user-ID copy of this test owned by OTHER, run by USER with
 * no_new_privs: its effective uid stays USER's. */
#define SUID_COPY "/tmp/seccomp-suid"

static void run_suid_copy(long nnp)
{
	become_user();
	if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		_exit(98);
	execl(SUID_COPY, SUID_COPY, "euid", (char *)NULL);
	_exit(97);
}

static int copy_self(const char *to)
{
	char buf[4096];
	int in = open(t_self(), O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	long n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	int ok = in >= 0 && out >= 0;
	close(in);
	close(out);
	return ok ? 0 : -1;
}

static void test_no_new_privs(void)
{
	check_exited("no_new_privs: set once, never unset, inherited; bad arguments EINVAL", run_child(nnp_rules, 0),
		     0);
	check_exited("a user without no_new_privs: EACCES; with it: installed", run_child(user_without_nnp, 0), 0);
	if (!check_eq("copy the test as a set-user-ID program", copy_self(SUID_COPY), 0))
		return;
	chown(SUID_COPY, OTHER, OTHER);
	chmod(SUID_COPY, 04755);
	check_exited("set-user-ID exec without no_new_privs: euid the owner's", run_child(run_suid_copy, 0), OTHER % 256);
	check_exited("with no_new_privs: euid stays the caller's", run_child(run_suid_copy, 1), USER % 256);
	unlink(SUID_COPY);
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc > 1 && !strcmp(argv[1], "probe"))
		return probe();
	if (argc > 1 && !strcmp(argv[1], "euid"))
		return (int)(geteuid() % 256);
	t_begin("seccomp");
	getppid_before = getpid();
	test_strict();
	test_actions();
	test_errno_data();
	t_group("TRAP's siginfo", trap_group);
	test_precedence();
	test_inheritance();
	test_no_new_privs();
	return t_end();
}
