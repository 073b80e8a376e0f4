/*
 * C library: the names of signals (course section: signals).
 *
 * Each signal has a short name (SIGINT: "INT") and a description, which is
 * what a shell prints when a signal ends a job ("Interrupt", "Killed",
 * "Segmentation fault"). One table, indexed by the number, holds both.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *abbrev;
	const char *descr;
} sigs[] = {
	[SIGHUP] = { "HUP", "Hangup" },
	[SIGINT] = { "INT", "Interrupt" },
	[SIGQUIT] = { "QUIT", "Quit" },
	[SIGILL] = { "ILL", "Illegal instruction" },
	[SIGTRAP] = { "TRAP", "Trace/breakpoint trap" },
	[SIGABRT] = { "ABRT", "Aborted" },
	[SIGBUS] = { "BUS", "Bus error" },
	[SIGFPE] = { "FPE", "Floating point exception" },
	[SIGKILL] = { "KILL", "Killed" },
	[SIGUSR1] = { "USR1", "User defined signal 1" },
	[SIGSEGV] = { "SEGV", "Segmentation fault" },
	[SIGUSR2] = { "USR2", "User defined signal 2" },
	[SIGPIPE] = { "PIPE", "Broken pipe" },
	[SIGALRM] = { "ALRM", "Alarm clock" },
	[SIGTERM] = { "TERM", "Terminated" },
	[SIGSTKFLT] = { "STKFLT", "Stack fault" },
	[SIGCHLD] = { "CHLD", "Child exited" },
	[SIGCONT] = { "CONT", "Continued" },
	[SIGSTOP] = { "STOP", "Stopped (signal)" },
	[SIGTSTP] = { "TSTP", "Stopped" },
	[SIGTTIN] = { "TTIN", "Stopped (tty input)" },
	[SIGTTOU] = { "TTOU", "Stopped (tty output)" },
	[SIGURG] = { "URG", "Urgent I/O condition" },
	[SIGXCPU] = { "XCPU", "CPU time limit exceeded" },
	[SIGXFSZ] = { "XFSZ", "File size limit exceeded" },
	[SIGVTALRM] = { "VTALRM", "Virtual timer expired" },
	[SIGPROF] = { "PROF", "Profiling timer expired" },
	[SIGWINCH] = { "WINCH", "Window changed" },
	[SIGIO] = { "IO", "I/O possible" },
	[SIGPWR] = { "PWR", "Power failure" },
	[SIGSYS] = { "SYS", "Bad system call" },
};

#define KNOWN(sig) ((sig) > 0 && (sig) < (int)(sizeof(sigs) / sizeof(sigs[0])))

const char *sigabbrev_np(int sig)
{
	return KNOWN(sig) ? sigs[sig].abbrev : NULL;
}

const char *sigdescr_np(int sig)
{
	return KNOWN(sig) ? sigs[sig].descr : NULL;
}

/* Signals 34..64 have no fixed meaning: programs use them as they like
 * (32 and 33 are reserved for a threads library). */
char *strsignal(int sig)
{
	static char buf[32];

	if (KNOWN(sig))
		return (char *)sigs[sig].descr;
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, sizeof(buf), "Real-time signal %d", sig - SIGRTMIN);
	else
		snprintf(buf, sizeof(buf), "Unknown signal %d", sig);
	return buf;
}

void psignal(int sig, const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strsignal(sig));
	else
		fprintf(stderr, "%s\n", strsignal(sig));
}
