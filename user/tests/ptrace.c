/*
 * Tests: ptrace and process_vm_readv/writev -- the stops and their order,
 * each request and its errors, changing a syscall's number and result,
 * breakpoints and single steps, tracers that die (course section:
 * syscall tracing).
 *
 * The tracer is the test (a t_group child); tracees are its children,
 * except where a test needs a tracer that is not the tracee's parent.
 */
#include "lib/testlib.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#define WALL 0x40000000
#define REG_OFF(field) offsetof(struct user_regs_struct, field)
#define EVENT_OF(st) ((st) >> 16)

static long pt(long req, pid_t pid, long addr, long data)
{
	return raw_syscall(SYS_ptrace, req, pid, addr, data, 0, 0);
}

static int wait_stop(pid_t pid)
{
	int st = -1;
	if (waitpid(pid, &st, WALL) != pid)
		return -1;
	return st;
}

/* A child that asks to be traced and stops itself with SIGSTOP; then fn. */
static pid_t traced_child(void (*fn)(void))
{
	pid_t pid = t_fork();
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(99);
		raise(SIGSTOP);
		fn();
		_exit(0);
	}
	int st = wait_stop(pid);
	if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGSTOP) {
		t_fail("traced child stops with SIGSTOP", "status %s", status_text(st));
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return -1;
	}
	return pid;
}

static void finish(const char *name, pid_t pid, int want_code)
{
	check_exited(name, t_wait(pid, T_WAIT_TICKS), want_code);
}

/* ---- signal-delivery-stops ---------------------------------------------------------------- */

static void raise_usr1_exit3(void)
{
	raise(SIGUSR1);
	_exit(3);
}

static void test_signal_stops(void)
{
	/* Suppressed: the tracer resumes with 0. */
	pid_t pid = traced_child(raise_usr1_exit3);
	check_eq("CONT from the SIGSTOP stop", pt(PTRACE_CONT, pid, 0, 0), 0);
	int st = wait_stop(pid);
	check("SIGUSR1 gives a signal-delivery-stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGUSR1, "%s",
	      status_text(st));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	check_eq("GETSIGINFO", pt(PTRACE_GETSIGINFO, pid, 0, (long)&si), 0);
	check_eq("GETSIGINFO: si_signo", si.si_signo, SIGUSR1);
	check_eq("GETSIGINFO: sent by the tracee itself", si.si_pid, pid);
	check_raw_errno("GETSIGINFO to a bad pointer: EFAULT", pt(PTRACE_GETSIGINFO, pid, 0, 1), EFAULT);
	check_eq("CONT with 0 suppresses it", pt(PTRACE_CONT, pid, 0, 0), 0);
	finish("suppressed signal: the tracee goes on to exit 3", pid, 3);

	/* Delivered as is, and changed to another. */
	pid = traced_child(raise_usr1_exit3);
	pt(PTRACE_CONT, pid, 0, 0);
	wait_stop(pid);
	pt(PTRACE_CONT, pid, 0, SIGUSR1);
	check_signaled("CONT with the signal delivers it", t_wait(pid, T_WAIT_TICKS), SIGUSR1);
	pid = traced_child(raise_usr1_exit3);
	pt(PTRACE_CONT, pid, 0, 0);
	wait_stop(pid);
	pt(PTRACE_CONT, pid, 0, SIGTERM);
	check_signaled("CONT with another signal delivers that one", t_wait(pid, T_WAIT_TICKS), SIGTERM);

	/* Killed while stopped. */
	pid = traced_child(raise_usr1_exit3);
	check_ok("SIGKILL to a stopped tracee", kill(pid, SIGKILL));
	check_signaled("a tracee killed while stopped dies at once", t_wait(pid, T_WAIT_TICKS), SIGKILL);
	pid = traced_child(raise_usr1_exit3);
	check_eq("PTRACE_KILL", pt(PTRACE_KILL, pid, 0, 0), 0);
	check_signaled("PTRACE_KILL kills", t_wait(pid, T_WAIT_TICKS), SIGKILL);
}

/* ---- syscall stops: change the number, skip, change the result ---------------------------- */

static void three_calls(void)
{
	long a = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);  /* result becomes 4242 */
	long b = raw_syscall(SYS_getppid, 0, 0, 0, 0, 0, 0); /* becomes getpid */
	long c = raw_syscall(SYS_getuid, 0, 0, 0, 0, 0, 0);  /* skipped, result 77 */
	long me = raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
	_exit(a == 4242 && b == me && c == 77 ? 0 : 1);
}

/* Resume with PTRACE_SYSCALL and wait for the next syscall stop. */
static int next_syscall_stop(pid_t pid)
{
	pt(PTRACE_SYSCALL, pid, 0, 0);
	int st = wait_stop(pid);
	return WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80);
}

static void test_syscall_stops(void)
{
	pid_t pid = traced_child(three_calls);
	check_eq("SETOPTIONS TRACESYSGOOD", pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD), 0);
	check("syscall-enter-stop: SIGTRAP|0x80", next_syscall_stop(pid), "no syscall stop");
	struct ptrace_syscall_info info;
	memset(&info, 0, sizeof(info));
	long n = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), (long)&info);
	check_eq("GET_SYSCALL_INFO at entry: size", n, 80);
	check_eq("GET_SYSCALL_INFO: op ENTRY", info.op, PTRACE_SYSCALL_INFO_ENTRY);
	check_eqx("GET_SYSCALL_INFO: arch", info.arch, AUDIT_ARCH_X86_64);
	check_eq("GET_SYSCALL_INFO: nr getpid", (long)info.entry.nr, SYS_getpid);
	check("syscall-exit-stop", next_syscall_stop(pid), "no syscall stop");
	n = pt(PTRACE_GET_SYSCALL_INFO, pid, sizeof(info), (long)&info);
	check_eq("GET_SYSCALL_INFO at exit: size", n, 33);
	check_eq("GET_SYSCALL_INFO: op EXIT", info.op, PTRACE_SYSCALL_INFO_EXIT);
	check_eq("GET_SYSCALL_INFO: rval is the pid", info.exit.rval, pid);
	struct user_regs_struct regs;
	check_eq("GETREGS", pt(PTRACE_GETREGS, pid, 0, (long)&regs), 0);
	check_eq("GETREGS: orig_rax", (long)regs.orig_rax, SYS_getpid);
	check_eq("GETREGS: rax is the result", (long)regs.rax, pid);
	check_eqx("GETREGS: cs", regs.cs, 0x33);
	struct user_regs_struct set_regs;
	struct iovec iov = { &set_regs, sizeof(set_regs) + 96 };
	check_eq("GETREGSET NT_PRSTATUS", pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (long)&iov), 0);
	check_eq("GETREGSET: the length becomes the set's", (long)iov.iov_len, sizeof(set_regs));
	check_eq("GETREGSET: the same rax as GETREGS", (long)set_regs.rax, (long)regs.rax);
	struct iovec odd = { &set_regs, 12 };
	check_raw_errno("GETREGSET with a length not a multiple of 8: EINVAL",
			pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, (long)&odd), EINVAL);
	check_raw_errno("GETREGSET of an unknown note type: EINVAL", pt(PTRACE_GETREGSET, pid, 0x999, (long)&iov), EINVAL);
	check_raw_errno("GETREGSET with a bad iovec: EFAULT", pt(PTRACE_GETREGSET, pid, NT_PRSTATUS, 8), EFAULT);
	struct user_fpregs_struct fpset;
	struct iovec fiov = { &fpset, sizeof(fpset) };
	check_eq("GETREGSET NT_PRFPREG", pt(PTRACE_GETREGSET, pid, NT_PRFPREG, (long)&fiov), 0);
	regs.rax = 4242;
	check_eq("SETREGS: the result becomes 4242", pt(PTRACE_SETREGS, pid, 0, (long)&regs), 0);

	check("enter getppid", next_syscall_stop(pid), "no stop");
	long word = 0;
	check_eq("PEEKUSER orig_rax", pt(PTRACE_PEEKUSER, pid, REG_OFF(orig_rax), (long)&word), 0);
	check_eq("PEEKUSER orig_rax is getppid", word, SYS_getppid);
	check_eq("POKEUSER orig_rax: getppid becomes getpid", pt(PTRACE_POKEUSER, pid, REG_OFF(orig_rax), SYS_getpid), 0);
	check("exit of the changed call", next_syscall_stop(pid), "no stop");

	check("enter getuid", next_syscall_stop(pid), "no stop");
	check_eq("POKEUSER orig_rax -1: skip the call", pt(PTRACE_POKEUSER, pid, REG_OFF(orig_rax), -1), 0);
	check("exit of the skipped call", next_syscall_stop(pid), "no stop");
	pt(PTRACE_PEEKUSER, pid, REG_OFF(rax), (long)&word);
	check_eq("a skipped call returns -ENOSYS", word, -ENOSYS);
	check_eq("POKEUSER rax = 77", pt(PTRACE_POKEUSER, pid, REG_OFF(rax), 77), 0);
	check_eq("CONT: no more syscall stops", pt(PTRACE_CONT, pid, 0, 0), 0);
	finish("the tracee saw the changed results", pid, 0);
}

/* ---- breakpoints and single steps ----------------------------------------------------------- */

__attribute__((noinline)) static int bp_target(int x)
{
	__asm__ volatile("" ::: "memory");
	return x + 4;
}

static void call_target(void)
{
	_exit(bp_target(1));
}

static void test_breakpoint(void)
{
	pid_t pid = traced_child(call_target);
	long addr = (long)bp_target;
	errno = 0;
	long orig = ptrace(PTRACE_PEEKTEXT, pid, (void *)addr, 0);
	check("PEEKTEXT the function's first word", errno == 0, "errno %s", errno_name(errno));
	check_eqx("PEEKTEXT reads the same code as ours", (unsigned long)orig, *(unsigned long *)addr);
	long with_int3 = (orig & ~0xffL) | 0xcc;
	check_eq("POKETEXT int3 into read-only text", pt(PTRACE_POKETEXT, pid, addr, with_int3), 0);
	check_eq("copy-on-write: our own copy is untouched", bp_target(1), 5);
	check_eqx("copy-on-write: our text byte", *(unsigned char *)addr, orig & 0xff);
	pt(PTRACE_CONT, pid, 0, 0);
	int st = wait_stop(pid);
	check("the breakpoint stops it with SIGTRAP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "%s",
	      status_text(st));
	siginfo_t si;
	pt(PTRACE_GETSIGINFO, pid, 0, (long)&si);
	check_eq("int3: si_code SI_KERNEL", si.si_code, SI_KERNEL);
	struct user_regs_struct regs;
	pt(PTRACE_GETREGS, pid, 0, (long)&regs);
	check_eqx("rip is just past the int3", regs.rip, (unsigned long)addr + 1);
	check_eq("POKETEXT the original word back", pt(PTRACE_POKETEXT, pid, addr, orig), 0);
	regs.rip = (unsigned long)addr;
	check_eq("SETREGS rip back onto the instruction", pt(PTRACE_SETREGS, pid, 0, (long)&regs), 0);
	check_eq("SINGLESTEP", pt(PTRACE_SINGLESTEP, pid, 0, 0), 0);
	st = wait_stop(pid);
	check("a single step stops with SIGTRAP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP, "%s", status_text(st));
	pt(PTRACE_GETREGS, pid, 0, (long)&regs);
	check("one instruction further", regs.rip > (unsigned long)addr && regs.rip < (unsigned long)addr + 16,
	      "rip %#lx, function at %#lx", regs.rip, addr);
	struct user_fpregs_struct fp;
	check_eq("GETFPREGS", pt(PTRACE_GETFPREGS, pid, 0, (long)&fp), 0);
	check_eqx("GETFPREGS: mxcsr's default masks", fp.mxcsr & 0x1f80, 0x1f80);
	pt(PTRACE_CONT, pid, 0, 0);
	finish("after the breakpoint the function returns 5", pid, 5);
}

/* ---- events: fork, exec, exit, and their order -------------------------------------------------- */

static void fork_exec_child(void)
{
	pid_t gc = fork();
	if (gc == 0) {
		char *argv[] = { (char *)t_self(), "--exit", "3", NULL };
		execv(t_self(), argv);
		_exit(98);
	}
	int st = 0;
	waitpid(gc, &st, 0);
	_exit(WIFEXITED(st) ? 10 + WEXITSTATUS(st) : 97);
}

#define MAX_SEEN 16
struct history {
	pid_t pid;
	int n;
	char what[MAX_SEEN][16];
};

static struct history *history_of(struct history *h, pid_t pid)
{
	for (int i = 0; i < 2; i++)
		if (h[i].pid == pid || h[i].pid == 0) {
			h[i].pid = pid;
			return &h[i];
		}
	return NULL;
}

static const char *describe(pid_t pid, int st, int *resume_sig)
{
	static char buf[16];
	*resume_sig = 0;
	if (WIFEXITED(st)) {
		snprintf(buf, sizeof(buf), "exit%d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		snprintf(buf, sizeof(buf), "killed%d", WTERMSIG(st));
	} else if (EVENT_OF(st)) {
		unsigned long msg = 0;
		pt(PTRACE_GETEVENTMSG, pid, 0, (long)&msg);
		int e = EVENT_OF(st);
		snprintf(buf, sizeof(buf), "%s", e == PTRACE_EVENT_FORK ? "FORK" : e == PTRACE_EVENT_EXEC ? "EXEC"
						 : e == PTRACE_EVENT_EXIT ? "EXIT" : "EVENT?");
		if (e == PTRACE_EVENT_EXIT && msg != (((msg >> 8) & 0xff) << 8))
			snprintf(buf, sizeof(buf), "EXIT?");
	} else {
		snprintf(buf, sizeof(buf), "%s", signal_name(WSTOPSIG(st)));
		*resume_sig = WSTOPSIG(st) == SIGSTOP ? 0 : WSTOPSIG(st);
	}
	return buf;
}

static void test_events(void)
{
	pid_t pid = traced_child(fork_exec_child);
	long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT;
	check_eq("SETOPTIONS fork, exec, exit", pt(PTRACE_SETOPTIONS, pid, 0, opts), 0);
	pt(PTRACE_CONT, pid, 0, 0);
	struct history h[2];
	memset(h, 0, sizeof(h));
	int exited = 0;
	for (int guard = 0; exited < 2 && guard < 40; guard++) {
		int st;
		pid_t who = waitpid(-1, &st, WALL);
		if (who <= 0)
			break;
		struct history *e = history_of(h, who);
		int sig;
		const char *what = describe(who, st, &sig);
		if (e && e->n < MAX_SEEN)
			snprintf(e->what[e->n++], 16, "%s", what);
		if (WIFEXITED(st) || WIFSIGNALED(st))
			exited++;
		else
			pt(PTRACE_CONT, who, 0, sig);
	}
	char got[2][128];
	for (int i = 0; i < 2; i++) {
		got[i][0] = 0;
		for (int k = 0; k < h[i].n; k++) {
			strcat(got[i], h[i].what[k]);
			strcat(got[i], " ");
		}
	}
	check("the child: FORK, SIGCHLD, EXIT event, exit 13",
	      !strcmp(got[0], "FORK SIGCHLD EXIT exit13 "), "saw %s", got[0]);
	check("the grandchild: SIGSTOP, EXEC, EXIT event, exit 3",
	      !strcmp(got[1], "SIGSTOP EXEC EXIT exit3 "), "saw %s", got[1]);
	check_errno("no tracee left: ECHILD", waitpid(-1, NULL, WALL), ECHILD);
}

/* exec without PTRACE_O_TRACEEXEC: the old SIGTRAP. */
static void exec_exit3(void)
{
	char *argv[] = { (char *)t_self(), "--exit", "3", NULL };
	execv(t_self(), argv);
	_exit(98);
}

static void test_exec_sigtrap(void)
{
	pid_t pid = traced_child(exec_exit3);
	pt(PTRACE_CONT, pid, 0, 0);
	int st = wait_stop(pid);
	check("exec stops with SIGTRAP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP && !EVENT_OF(st), "%s",
	      status_text(st));
	pt(PTRACE_CONT, pid, 0, 0);
	finish("the new program runs on", pid, 3);
}

/* ---- attach, seize, interrupt, listen, a tracer that exits ------------------------------------- */

static void loop_forever(void)
{
	for (;;)
		pause();
}

static pid_t start_looper(void)
{
	pid_t pid = t_fork();
	if (pid == 0)
		loop_forever();
	return pid;
}

/* A tracer process that is not the looper's parent. */
static void tracer_then_exit(pid_t target, long seize_opts, int *ok)
{
	pid_t tr = t_fork();
	if (tr == 0) {
		if (pt(PTRACE_SEIZE, target, 0, seize_opts) != 0)
			_exit(1);
		if (pt(PTRACE_INTERRUPT, target, 0, 0) != 0)
			_exit(2);
		int st = wait_stop(target);
		if (!WIFSTOPPED(st) || EVENT_OF(st) != PTRACE_EVENT_STOP)
			_exit(3);
		_exit(0); /* exits with the tracee stopped */
	}
	*ok = t_wait(tr, T_WAIT_TICKS) == 0;
}

static void test_tracer_exit(void)
{
	pid_t c = start_looper();
	int ok;
	tracer_then_exit(c, 0, &ok);
	check("a tracer seizes a non-child, interrupts it, exits", ok, "tracer failed");
	kill(c, SIGTERM);
	check_signaled("its tracee runs on after the tracer exits", t_wait(c, 300), SIGTERM);

	c = start_looper();
	tracer_then_exit(c, PTRACE_O_EXITKILL, &ok);
	check("a tracer with EXITKILL exits", ok, "tracer failed");
	check_signaled("PTRACE_O_EXITKILL: its tracee dies with it", t_wait(c, 300), SIGKILL);
}

static void test_attach(void)
{
	pid_t c = start_looper();
	check_eq("ATTACH a child", pt(PTRACE_ATTACH, c, 0, 0), 0);
	int st = wait_stop(c);
	check("ATTACH stops it with SIGSTOP", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "%s", status_text(st));
	check_raw_errno("ATTACH again: EPERM", pt(PTRACE_ATTACH, c, 0, 0), EPERM);
	check_raw_errno("SEIZE a traced one: EPERM", pt(PTRACE_SEIZE, c, 0, 0), EPERM);
	check_raw_errno("an unknown request: EIO", pt(0x1234, c, 0, 0), EIO);
	check_raw_errno("CONT with signal 65: EIO", pt(PTRACE_CONT, c, 0, 65), EIO);
	check_raw_errno("SETOPTIONS with an unknown bit: EINVAL", pt(PTRACE_SETOPTIONS, c, 0, 1L << 30), EINVAL);
	long w;
	check_raw_errno("PEEKDATA at 0x1000 (unmapped): EIO", pt(PTRACE_PEEKDATA, c, 0x1000, (long)&w), EIO);
	check_raw_errno("PEEKDATA at a kernel address: EIO", pt(PTRACE_PEEKDATA, c, (long)0xffff800000000000UL, (long)&w), EIO);
	check_raw_errno("PEEKDATA at a non-canonical address: EIO", pt(PTRACE_PEEKDATA, c, (long)0x800000000000UL, (long)&w), EIO);
	check_raw_errno("POKEDATA at 0x1000: EIO", pt(PTRACE_POKEDATA, c, 0x1000, 1), EIO);
	check_raw_errno("PEEKDATA into a bad pointer: EFAULT", pt(PTRACE_PEEKDATA, c, (long)&w, 8), EFAULT);
	check_raw_errno("PEEKUSER unaligned: EIO", pt(PTRACE_PEEKUSER, c, 3, (long)&w), EIO);
	check_raw_errno("PEEKUSER past the kernel's struct user: EIO", pt(PTRACE_PEEKUSER, c, 928, (long)&w), EIO);
	check_eq("PEEKUSER a debug register", pt(PTRACE_PEEKUSER, c, 848, (long)&w), 0);
	check_raw_errno("GETREGS to NULL: EFAULT", pt(PTRACE_GETREGS, c, 0, 0), EFAULT);
	check_raw_errno("SETREGS from a kernel address: EFAULT", pt(PTRACE_SETREGS, c, 0, (long)0xffff800000000000UL), EFAULT);
	check_raw_errno("POKEUSER cs = 0x08 (ring 0): EIO", pt(PTRACE_POKEUSER, c, REG_OFF(cs), 0x08), EIO);
	check_raw_errno("POKEUSER ss = 0x10 (ring 0): EIO", pt(PTRACE_POKEUSER, c, REG_OFF(ss), 0x10), EIO);
	check_raw_errno("POKEUSER past the registers: EIO", pt(PTRACE_POKEUSER, c, 400, 0), EIO);
	check_raw_errno("POKEUSER fs_base = a kernel address: EIO",
			pt(PTRACE_POKEUSER, c, REG_OFF(fs_base), (long)0xffff800000000000UL), EIO);
	long flags = 0;
	pt(PTRACE_PEEKUSER, c, REG_OFF(eflags), (long)&flags);
	check_eq("POKEUSER eflags with IOPL 3 and IF clear", pt(PTRACE_POKEUSER, c, REG_OFF(eflags), (flags | 0x3000) & ~0x200L), 0);
	pt(PTRACE_PEEKUSER, c, REG_OFF(eflags), (long)&w);
	check_eqx("eflags: IOPL and IF are not the tracer's to change", (unsigned long)w & 0x3200, 0x200);
	check_raw_errno("GETEVENTMSG to a bad pointer: EFAULT", pt(PTRACE_GETEVENTMSG, c, 0, 1), EFAULT);
	check_raw_errno("LISTEN without SEIZE: EIO", pt(PTRACE_LISTEN, c, 0, 0), EIO);
	check_raw_errno("INTERRUPT without SEIZE: EIO", pt(PTRACE_INTERRUPT, c, 0, 0), EIO);
	struct ptrace_syscall_info info;
	check_eq("GET_SYSCALL_INFO outside a syscall stop: op NONE, 24 bytes",
		 pt(PTRACE_GET_SYSCALL_INFO, c, sizeof(info), (long)&info), 24);
	check_eq("GET_SYSCALL_INFO: op", info.op, PTRACE_SYSCALL_INFO_NONE);
	/* A non-canonical rip: refused, or the tracee dies of SIGSEGV (never an oops). */
	long r = pt(PTRACE_POKEUSER, c, REG_OFF(rip), (long)0x800000000000UL);
	check_eq("DETACH", pt(PTRACE_DETACH, c, 0, 0), 0);
	check_raw_errno("a request after DETACH: ESRCH", pt(PTRACE_CONT, c, 0, 0), ESRCH);
	if (r == -EIO) {
		t_pass("POKEUSER of a non-canonical rip: EIO");
		kill(c, SIGTERM);
		check_signaled("the detached tracee runs on", t_wait(c, 300), SIGTERM);
	} else {
		check_signaled("a non-canonical rip: the tracee gets SIGSEGV", t_wait(c, 300), SIGSEGV);
	}

	/* A running tracee can only be killed or interrupted. */
	c = start_looper();
	check_eq("SEIZE", pt(PTRACE_SEIZE, c, 0, PTRACE_O_TRACESYSGOOD), 0);
	check_raw_errno("GETREGS of a running tracee: ESRCH", pt(PTRACE_GETREGS, c, 0, (long)&w), ESRCH);
	check_raw_errno("SEIZE with addr != 0: EIO", pt(PTRACE_SEIZE, getppid(), 1, 0), EIO);
	check_raw_errno("SEIZE with unknown options: EIO", pt(PTRACE_SEIZE, getppid(), 0, 1L << 30), EIO);
	kill(c, SIGSTOP);
	st = wait_stop(c);
	check("seized: SIGSTOP's signal-delivery-stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && !EVENT_OF(st),
	      "%#x", st);
	pt(PTRACE_CONT, c, 0, SIGSTOP);
	st = wait_stop(c);
	check("seized: the group-stop is PTRACE_EVENT_STOP", WIFSTOPPED(st) && EVENT_OF(st) == PTRACE_EVENT_STOP &&
	      WSTOPSIG(st) == SIGSTOP, "%#x", st);
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	check_eq("GETSIGINFO in a group-stop", pt(PTRACE_GETSIGINFO, c, 0, (long)&si), 0);
	check_eq("GETSIGINFO in a group-stop: the stop signal", si.si_signo, SIGSTOP);
	check_eq("LISTEN", pt(PTRACE_LISTEN, c, 0, 0), 0);
	kill(c, SIGCONT);
	st = wait_stop(c);
	check("SIGCONT wakes a LISTENing tracee: a new event stop", WIFSTOPPED(st) &&
	      EVENT_OF(st) == PTRACE_EVENT_STOP, "%#x", st);
	pt(PTRACE_CONT, c, 0, 0);
	st = wait_stop(c);
	check("then SIGCONT's signal-delivery-stop", WIFSTOPPED(st) && WSTOPSIG(st) == SIGCONT, "%#x", st);
	pt(PTRACE_KILL, c, 0, 0);
	check_signaled("killed", t_wait(c, 300), SIGKILL);
}

static void test_permissions(void)
{
	check_raw_errno("ATTACH oneself: EPERM", pt(PTRACE_ATTACH, getpid(), 0, 0), EPERM);
	check_raw_errno("ATTACH no such pid: ESRCH", pt(PTRACE_ATTACH, 99999, 0, 0), ESRCH);
	pid_t c = start_looper();
	check_raw_errno("CONT a child that is not traced: ESRCH", pt(PTRACE_CONT, c, 0, 0), ESRCH);
	kill(c, SIGKILL);
	t_wait(c, 300);
	pid_t pid = t_fork();
	if (pid == 0) {
		long a = pt(PTRACE_TRACEME, 0, 0, 0);
		long b = pt(PTRACE_TRACEME, 0, 0, 0);
		_exit(a == 0 && b == -EPERM ? 0 : 1);
	}
	finish("TRACEME twice: the second is EPERM", pid, 0);
	if (!on_sysgate()) {
		t_skip("ATTACH init: EPERM", "sysgate only (root may trace init on Linux)");
		return;
	}
	pid = t_fork();
	if (pid == 0)
		_exit(pt(PTRACE_ATTACH, 1, 0, 0) == -EPERM ? 0 : 1);
	finish("ATTACH init: EPERM", pid, 0);
}

/* ---- process_vm_readv / writev ------------------------------------------------------------------ */

static volatile long shared_word = 1;

static void set_word_and_wait(void)
{
	shared_word = 0x1122334455667788;
	raise(SIGSTOP); /* the tracer reads and writes now */
	_exit(shared_word == 99 ? 0 : 1);
}

static void test_process_vm(void)
{
	pid_t pid = t_fork();
	if (pid == 0)
		set_word_and_wait();
	int st;
	waitpid(pid, &st, WUNTRACED);
	long got = 0, put = 99;
	struct iovec local = { &got, sizeof(got) }, remote = { (void *)&shared_word, sizeof(long) };
	check_eq("process_vm_readv: 8 bytes", process_vm_readv(pid, &local, 1, &remote, 1, 0), 8);
	check_eqx("process_vm_readv: the child's value", (unsigned long)got, 0x1122334455667788UL);
	check_errno("flags 1: EINVAL", process_vm_readv(pid, &local, 1, &remote, 1, 1), EINVAL);
	check_errno("1025 iovecs: EINVAL", process_vm_readv(pid, &local, 1025, &remote, 1, 0), EINVAL);
	check_errno("no such pid: ESRCH", process_vm_readv(99999, &local, 1, &remote, 1, 0), ESRCH);
	struct iovec bad_remote = { (void *)0x1000, 8 };
	check_errno("unmapped remote: EFAULT", process_vm_readv(pid, &local, 1, &bad_remote, 1, 0), EFAULT);
	struct iovec bad_local = { (void *)0x1000, 8 };
	check_errno("unmapped local: EFAULT", process_vm_readv(pid, &bad_local, 1, &remote, 1, 0), EFAULT);
	check_errno("iovec array at a bad address: EFAULT",
		    process_vm_readv(pid, (struct iovec *)8, 1, &remote, 1, 0), EFAULT);
	struct iovec two_remote[2] = { { (void *)&shared_word, 8 }, { (void *)0x1000, 8 } };
	long buf[2];
	struct iovec big_local = { buf, sizeof(buf) };
	check_eq("a partial read stops at the bad piece: 8", process_vm_readv(pid, &big_local, 1, two_remote, 2, 0), 8);
	check_eq("zero iovecs: 0", process_vm_readv(pid, &local, 0, &remote, 1, 0), 0);
	struct iovec text = { (void *)test_process_vm, 8 };
	struct iovec from = { &put, 8 };
	check_errno("process_vm_writev into read-only text: EFAULT", process_vm_writev(pid, &from, 1, &text, 1, 0), EFAULT);
	check_eq("process_vm_writev: 8 bytes", process_vm_writev(pid, &from, 1, &remote, 1, 0), 8);
	check_eq("our own copy is untouched", shared_word, 1);
	kill(pid, SIGCONT);
	finish("the child saw the written value", pid, 0);
}

/* ---- leaks ---------------------------------------------------------------------------------------- */

static void exit_at_once(void)
{
	raw_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
	_exit(0);
}

#define TRACED_PROGRAMS 100

static void traced_programs(void)
{
	for (int i = 0; i < TRACED_PROGRAMS; i++) {
		pid_t pid = traced_child(exit_at_once);
		if (pid < 0)
			return;
		pt(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT);
		int st = -1; /* not an exit status */
		for (int k = 0; k < 10 && !WIFEXITED(st); k++) {
			pt(PTRACE_SYSCALL, pid, 0, 0);
			st = wait_stop(pid);
		}
		if (!WIFEXITED(st)) {
			t_fail("a traced program ends", "%s", status_text(st));
			return;
		}
	}
}

static void test_leaks(void)
{
	if (!on_sysgate()) {
		t_skip("100 traced programs: no leak", "sysgate only (its /proc/meminfo counts)");
		return;
	}
	struct leak_mark warm;
	leak_mark(&warm);
	t_leak_test("100 traced programs (syscall and exit stops): frames and heap back to the baseline", traced_programs);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--exit"))
		return atoi(argv[2]);
	t_set_self(argv);
	t_begin("ptrace");
	t_group("signal stops", test_signal_stops);
	t_group("syscall stops", test_syscall_stops);
	t_group("breakpoint", test_breakpoint);
	t_group("events", test_events);
	t_group("exec sigtrap", test_exec_sigtrap);
	t_group("attach", test_attach);
	t_group("tracer exit", test_tracer_exit);
	t_group("permissions", test_permissions);
	t_group("process_vm", test_process_vm);
	t_group("leaks", test_leaks);
	return t_end();
}
