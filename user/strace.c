/*
 * strace: print the syscalls a program makes (course section: syscall
 * tracing).
 *
 *     strace [-c] [-f] [-tt] [-T] [-s N] [-o FILE] [-e trace=NAME,...] {-p PID | PROG [ARGS...]}
 *
 * The child asks to be traced (PTRACE_TRACEME), stops itself, and execs
 * the program. From then on it stops at every syscall's entry and exit
 * (PTRACE_SYSCALL); at each stop we read the number, the arguments and the
 * result with PTRACE_GET_SYSCALL_INFO and the memory they point to with
 * process_vm_readv, and print one line in strace's format:
 *
 *     openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = -1 ENOENT (No such file or directory)
 *
 * How to print each argument comes from kernel/syscalls.tbl through the
 * generator (build/gen/syscall_info.c): a new syscall needs no edit here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "syscall_info.c"

#define WALL 0x40000000
#define MAX_TRACEES 64
#define RESULT_COLUMN 39

static FILE *out;
static int string_limit = 32, follow_forks, show_time, show_duration;
static char selected[NR_SYSCALLS];
static int summary_only; /* -c: count, print the table at the end */
static struct { unsigned long calls, errors, ns; } counts[NR_SYSCALLS];
static int any_selected;

struct tracee {
	pid_t pid;
	int in_syscall;
	char line[1024];
	unsigned long nr, args[6]; /* saved at entry: the exit stop tells only the result */
	struct timespec start;
};
static struct tracee tracees[MAX_TRACEES];
static int live;

static struct tracee *tracee_of(pid_t pid)
{
	struct tracee *free_slot = NULL;
	for (int i = 0; i < MAX_TRACEES; i++) {
		if (tracees[i].pid == pid)
			return &tracees[i];
		if (!tracees[i].pid && !free_slot)
			free_slot = &tracees[i];
	}
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->pid = pid;
		live++;
	}
	return free_slot;
}

#include "strace_decode.h" /* reading the tracee's memory, arguments, results */

/* ---- printing ---------------------------------------------------------------------------------- */

static size_t print_prefix(pid_t pid)
{
	char pre[64] = "";
	if (follow_forks && live > 1)
		append(pre, sizeof(pre), "[pid %5d] ", pid);
	if (show_time) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		long s = ts.tv_sec % 86400;
		append(pre, sizeof(pre), "%02ld:%02ld:%02ld.%06ld ", s / 3600, s / 60 % 60, s % 60, ts.tv_nsec / 1000);
	}
	fputs(pre, out);
	return strlen(pre);
}

static const struct syscall_info *info_of(unsigned long nr)
{
	return nr < NR_SYSCALLS && syscall_info[nr].name ? &syscall_info[nr] : NULL;
}

static int traced_call(unsigned long nr)
{
	return !any_selected || (nr < NR_SYSCALLS && selected[nr]);
}

static void syscall_entry(struct tracee *t, const struct ptrace_syscall_info *psi)
{
	unsigned long nr = psi->entry.nr;
	const unsigned long *args = (const unsigned long *)psi->entry.args;
	const struct syscall_info *si = info_of(nr);
	t->line[0] = 0;
	t->nr = nr;
	memcpy(t->args, args, sizeof(t->args));
	if (!traced_call(nr))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t->start);
	if (!si) {
		append(t->line, sizeof(t->line), "syscall_%#lx(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx", nr, args[0],
		       args[1], args[2], args[3], args[4], args[5]);
		return;
	}
	append(t->line, sizeof(t->line), "%s(", si->name);
	if (!strcmp(si->name, "rt_sigreturn")) {
		/* The handler's `ret` took pretcode: the ucontext is at rsp, its mask 296 bytes in. */
		append(t->line, sizeof(t->line), "{mask=");
		append_sigset(t->line, sizeof(t->line), t->pid, psi->stack_pointer + 296);
		append(t->line, sizeof(t->line), "}");
		return;
	}
	if (!strcmp(si->name, "execve")) {
		append_execve(t->line, sizeof(t->line), t->pid, args);
		return;
	}
	int nargs = shown_args(si, args);
	for (int i = 0; i < nargs; i++) {
		if (hidden_arg(si, i, args))
			continue;
		if (i)
			append(t->line, sizeof(t->line), ", ");
		if (decoded_at_exit(si, i))
			append(t->line, sizeof(t->line), "\001%d", i); /* filled in at exit */
		else
			append_arg(t->line, sizeof(t->line), t->pid, si, i, args, 0, 0);
	}
	if ((!strcmp(si->name, "exit_group") || !strcmp(si->name, "exit")) && summary_only) {
		t->line[0] = 0;
	} else if (!strcmp(si->name, "exit_group") || !strcmp(si->name, "exit")) {
		int pad = RESULT_COLUMN - (int)strlen(t->line) - 1 - (int)print_prefix(t->pid);
		fprintf(out, "%s)%*s = ?\n", t->line, pad > 0 ? pad : 0, "");
		t->line[0] = 0;
	}
}

static void count_call(struct tracee *t, long ret)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (t->nr >= NR_SYSCALLS)
		return;
	counts[t->nr].calls++;
	counts[t->nr].errors += ret < 0 && ret >= -4095;
	counts[t->nr].ns += (unsigned long)((now.tv_sec - t->start.tv_sec) * 1000000000L + now.tv_nsec - t->start.tv_nsec);
}

static void syscall_exit(struct tracee *t, long ret)
{
	if (!t->line[0])
		return;
	if (summary_only) {
		count_call(t, ret);
		t->line[0] = 0;
		return;
	}
	unsigned long nr = t->nr;
	const unsigned long *args = t->args;
	const struct syscall_info *si = info_of(nr);
	char line[2048] = "";
	for (const char *p = t->line; *p; p++) {
		if (*p == '\001' && si) {
			int i = p[1] - '0';
			append_arg(line, sizeof(line), t->pid, si, i, args, ret, 1);
			p++;
		} else {
			size_t n = strlen(line);
			line[n] = *p, line[n + 1] = 0;
		}
	}
	append(line, sizeof(line), ")");
	size_t prefix_len = print_prefix(t->pid);
	append_result(line, sizeof(line), si ? si->name : "", ret, prefix_len);
	if (show_duration) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long us = (now.tv_sec - t->start.tv_sec) * 1000000 + (now.tv_nsec - t->start.tv_nsec) / 1000;
		append(line, sizeof(line), " <%ld.%06ld>", us / 1000000, us % 1000000);
	}
	fprintf(out, "%s\n", line);
	t->line[0] = 0;
}

/* ---- signals and exits ------------------------------------------------------------------------ */

/* "SIGCHLD" for 17. */
static const char *strsignal_name(int sig)
{
	static char bufs[2][16];
	static int next;
	char *buf = bufs[next++ % 2]; /* two may be used in one printf */
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, sizeof(buf[0]) * 16, "SIG%s", abbrev);
	else
		snprintf(buf, sizeof(buf[0]) * 16, "%d", sig);
	return buf;
}

static const char *const chld_codes[] = { "", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED",
					  "CLD_STOPPED", "CLD_CONTINUED" };

/* seccomp's SIGSYS: the call it stopped, where, for which ABI, and the
 * filter's data in si_errno (shown only when not 0, as strace does). */
static void print_sigsys(const siginfo_t *si)
{
	fprintf(out, "si_code=SYS_SECCOMP, ");
	int e = si->si_errno;
	if (e > 0 && e < (int)(sizeof(errno_names) / sizeof(errno_names[0])) && errno_names[e])
		fprintf(out, "si_errno=%s, ", errno_names[e]);
	else if (e)
		fprintf(out, "si_errno=%d, ", e);
	fprintf(out, "si_call_addr=%p, ", si->si_call_addr);
	const struct syscall_info *sc = info_of((unsigned long)si->si_syscall);
	if (sc)
		fprintf(out, "si_syscall=__NR_%s, ", sc->name);
	else
		fprintf(out, "si_syscall=%d, ", si->si_syscall);
	if (si->si_arch == AUDIT_ARCH_X86_64)
		fprintf(out, "si_arch=AUDIT_ARCH_X86_64} ---\n");
	else
		fprintf(out, "si_arch=%#x} ---\n", si->si_arch);
}

static void print_signal(pid_t pid, int sig)
{
	if (summary_only)
		return;
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	print_prefix(pid);
	if (ptrace(PTRACE_GETSIGINFO, pid, 0, &si) != 0) {
		fprintf(out, "--- stopped by %s ---\n", strsignal_name(sig));
		return;
	}
	fprintf(out, "--- %s {si_signo=%s, ", strsignal_name(sig), strsignal_name(si.si_signo));
	if (si.si_signo == SIGCHLD && si.si_code > 0 && si.si_code <= 6)
		fprintf(out, "si_code=%s, si_pid=%d, si_uid=%u, si_status=%d, si_utime=%ld, si_stime=%ld} ---\n",
			chld_codes[si.si_code], si.si_pid, si.si_uid, si.si_status, (long)si.si_utime,
			(long)si.si_stime);
	else if (si.si_code == SI_USER || si.si_code == -6 /* SI_TKILL */ || si.si_code == -1 /* SI_QUEUE */)
		fprintf(out, "si_code=%s, si_pid=%d, si_uid=%u} ---\n",
			si.si_code == SI_USER ? "SI_USER" : si.si_code == -6 ? "SI_TKILL" : "SI_QUEUE", si.si_pid, si.si_uid);
	else if (si.si_signo == SIGSEGV && (si.si_code == 1 || si.si_code == 2))
		fprintf(out, "si_code=%s, si_addr=%p} ---\n", si.si_code == 1 ? "SEGV_MAPERR" : "SEGV_ACCERR", si.si_addr);
	else if (si.si_signo == SIGSYS && si.si_code == SYS_SECCOMP)
		print_sigsys(&si);
	else if (si.si_code == SI_KERNEL)
		fprintf(out, "si_code=SI_KERNEL} ---\n");
	else
		fprintf(out, "si_code=%d} ---\n", si.si_code);
}

static void tracee_gone(struct tracee *t, int status)
{
	if (summary_only)
		;
	else if (print_prefix(t->pid), WIFEXITED(status))
		fprintf(out, "+++ exited with %d +++\n", WEXITSTATUS(status));
	else
		fprintf(out, "+++ killed by %s%s +++\n", strsignal_name(WTERMSIG(status)),
			WCOREDUMP(status) ? " (core dumped)" : "");
	t->pid = 0;
	live--;
}

/* ---- the tracing loop ------------------------------------------------------------------------- */

static int trace_loop(pid_t first)
{
	int first_status = 0;
	while (live > 0) {
		int st;
		pid_t pid = waitpid(-1, &st, WALL);
		if (pid < 0)
			break;
		struct tracee *t = tracee_of(pid);
		if (!t)
			continue;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (pid == first)
				first_status = st;
			tracee_gone(t, st);
			continue;
		}
		int sig = WSTOPSIG(st), deliver = 0;
		if (sig == (SIGTRAP | 0x80)) {
			struct ptrace_syscall_info psi;
			memset(&psi, 0, sizeof(psi));
			ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(psi), &psi);
			if (psi.op == PTRACE_SYSCALL_INFO_ENTRY)
				syscall_entry(t, &psi);
			else if (psi.op == PTRACE_SYSCALL_INFO_EXIT)
				syscall_exit(t, psi.exit.rval);
		} else if (st >> 16) {
			/* An event stop (fork, exec...): nothing to print; the new
			 * child introduces itself with its first stop. */
		} else if (sig == SIGSTOP && !t->in_syscall) {
			t->in_syscall = 1; /* a new tracee's first stop: not a signal to show */
			fprintf(stderr, "strace: Process %d attached\n", pid);
		} else {
			print_signal(pid, sig);
			deliver = sig;
		}
		t->in_syscall = 1;
		ptrace(PTRACE_SYSCALL, pid, 0, (void *)(long)deliver);
	}
	if (WIFEXITED(first_status))
		return WEXITSTATUS(first_status);
	return 128 + WTERMSIG(first_status);
}

static int attached; /* -p: the program must outlive us (no EXITKILL) */

static long trace_options(void)
{
	long o = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | (attached ? 0 : PTRACE_O_EXITKILL);
	if (follow_forks)
		o |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	return o;
}

static pid_t start_program(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(argv[0], argv);
		fprintf(stderr, "strace: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, 0, (void *)trace_options());
	struct tracee *t = tracee_of(pid);
	t->in_syscall = 1;
	ptrace(PTRACE_SYSCALL, pid, 0, 0);
	return pid;
}

static pid_t attach_to(pid_t pid)
{
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)trace_options()) != 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) != 0) {
		fprintf(stderr, "strace: attach: ptrace(PTRACE_SEIZE, %d): %s\n", pid, strerror(errno));
		return -1;
	}
	fprintf(stderr, "strace: Process %d attached\n", pid);
	tracee_of(pid)->in_syscall = 1;
	return pid;
}

/* -e trace=open,read,%file... */
static int select_calls(const char *spec)
{
	if (strncmp(spec, "trace=", 6) != 0)
		return -1;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", spec + 6);
	any_selected = 1;
	for (char *name = strtok(buf, ","); name; name = strtok(NULL, ",")) {
		int found = 0;
		for (int nr = 0; nr < NR_SYSCALLS; nr++) {
			const struct syscall_info *si = &syscall_info[nr];
			if (!si->name)
				continue;
			int match = !strcmp(name, si->name);
			if (!strcmp(name, "%file"))
				for (int i = 0; i < si->nargs; i++)
					match |= si->args[i].kind == ARG_STR && strstr(si->args[i].name, "path");
			if (!strcmp(name, "%desc"))
				for (int i = 0; i < si->nargs; i++)
					match |= si->args[i].kind == ARG_FD;
			if (!strcmp(name, "%signal"))
				match |= strstr(si->name, "sig") != NULL || !strcmp(si->name, "kill") ||
					 !strcmp(si->name, "tkill") || !strcmp(si->name, "tgkill") || !strcmp(si->name, "pause");
			if (!strcmp(name, "%memory"))
				match |= strstr(si->name, "mmap") || strstr(si->name, "map") || !strcmp(si->name, "brk") ||
					 !strcmp(si->name, "mprotect") || !strcmp(si->name, "madvise");
			if (!strcmp(name, "%process"))
				match |= strstr(si->name, "fork") || strstr(si->name, "clone") || strstr(si->name, "exec") ||
					 strstr(si->name, "exit") || strstr(si->name, "wait") || !strcmp(si->name, "kill") ||
					 !strcmp(si->name, "tkill") || !strcmp(si->name, "tgkill");
			if (match)
				selected[nr] = 1, found = 1;
		}
		if (!found) {
			fprintf(stderr, "strace: invalid system call '%s'\n", name);
			return -1;
		}
	}
	return 0;
}

/* -c's table: by time spent, the most first (ties by number), as strace. */
static void print_summary(void)
{
	int order[NR_SYSCALLS], n = 0;
	unsigned long total_ns = 0, total_calls = 0, total_errors = 0;
	for (int nr = 0; nr < NR_SYSCALLS; nr++) {
		if (!counts[nr].calls)
			continue;
		order[n++] = nr;
		total_ns += counts[nr].ns;
		total_calls += counts[nr].calls;
		total_errors += counts[nr].errors;
	}
	for (int i = 1; i < n; i++) /* insertion sort: stable, short */
		for (int k = i; k > 0 && counts[order[k]].ns > counts[order[k - 1]].ns; k--) {
			int tmp = order[k];
			order[k] = order[k - 1];
			order[k - 1] = tmp;
		}
	const char *rule = "------ ----------- ----------- --------- --------- ----------------";
	fprintf(out, "%% time     seconds  usecs/call     calls    errors syscall\n%s\n", rule);
	char errors[24];
	for (int i = 0; i < n; i++) {
		int nr = order[i];
		/* Fixed point by hand: hundredths of a percent, microseconds. */
		unsigned long share = total_ns ? 10000 * counts[nr].ns / total_ns : 0, us = counts[nr].ns / 1000;
		snprintf(errors, sizeof(errors), counts[nr].errors ? "%lu" : "", counts[nr].errors);
		fprintf(out, "%3lu.%02lu %4lu.%06lu %11lu %9lu %9s %s\n", share / 100, share % 100, us / 1000000,
			us % 1000000, us / counts[nr].calls, counts[nr].calls, errors, syscall_info[nr].name);
	}
	unsigned long us = total_ns / 1000;
	snprintf(errors, sizeof(errors), total_errors ? "%lu" : "", total_errors);
	fprintf(out, "%s\n100.00 %4lu.%06lu %11lu %9lu %9s total\n", rule, us / 1000000, us % 1000000,
		total_calls ? us / total_calls : 0, total_calls, errors);
}

static void usage(void)
{
	fprintf(stderr, "usage: strace [-c] [-f] [-tt] [-T] [-s N] [-o FILE] [-e trace=NAMES] {-p PID | PROG [ARGS...]}\n");
	exit(1);
}

int main(int argc, char **argv)
{
	out = stderr;
	pid_t attach = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "-f"))
			follow_forks = 1;
		else if (!strcmp(o, "-tt"))
			show_time = 1;
		else if (!strcmp(o, "-c"))
			summary_only = 1;
		else if (!strcmp(o, "-T"))
			show_duration = 1;
		else if (!strcmp(o, "-s") && i + 1 < argc)
			string_limit = atoi(argv[++i]);
		else if (!strcmp(o, "-p") && i + 1 < argc)
			attach = atoi(argv[++i]), attached = 1;
		else if (!strcmp(o, "-e") && i + 1 < argc) {
			if (select_calls(argv[++i]))
				return 1;
		} else if (!strcmp(o, "-o") && i + 1 < argc) {
			int fd = open(argv[++i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			out = fd < 0 ? NULL : fdopen(fd, "w"); /* close-on-exec: the program must not get it */
			if (!out) {
				fprintf(stderr, "strace: %s: %s\n", argv[i], strerror(errno));
				return 1;
			}
		} else
			usage();
	}
	if (string_limit < 0)
		string_limit = 32;
	if (string_limit > 4000)
		string_limit = 4000;
	pid_t first = attach ? attach_to(attach) : i < argc ? start_program(argv + i) : (usage(), -1);
	if (first < 0)
		return 1;
	int code = trace_loop(first);
	if (summary_only)
		print_summary();
	fflush(out);
	return code;
}
