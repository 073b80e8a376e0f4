/*
 * testlib: the harness behind every user test (course section: testing the
 * syscall interface). See testlib.h for how a test uses it.
 *
 * It relies on very little: printf, and raw syscall() for everything else, so
 * it works while libc is still growing and on a kernel that is still young.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "testlib.h"

static const char *area = "?";
static int npass, nfail, nskip;

/*
 * The tests use descriptors such as 99 and 100 as "not open". A parent can
 * leave any descriptor open across exec (CI runners and make's jobserver do),
 * so a test first closes all but stdin, stdout and stderr.
 */
static void close_inherited_descriptors(void)
{
	for (int fd = 3; fd < 1024; fd++)
		syscall(SYS_close, fd);
}

void t_begin(const char *name)
{
	/* Linux's setrlimit(RLIMIT_CORE, {0, 0}): the fault tests kill children
	 * with SIGSEGV, SIGTRAP, ...; no core files should land in the host's
	 * working directory. (160 and 4 are Linux's numbers; sysgate does not
	 * dump core, so the call is made on Linux only.) */
	static const unsigned long zero[2] = { 0, 0 };

	area = name;
	if (!on_sysgate())
		syscall(160, 4, zero);
	close_inherited_descriptors();
}

int t_end(void)
{
	printf("DONE %s: %d passed, %d failed, %d skipped\n", area, npass, nfail, nskip);
	fflush(stdout);
	return nfail ? 1 : 0;
}

void t_pass(const char *name)
{
	npass++;
	printf("PASS %s: %s\n", area, name);
}

static void vreport(const char *word, const char *name, const char *fmt, va_list ap)
{
	char why[256];

	vsnprintf(why, sizeof(why), fmt, ap);
	printf("%s %s: %s: %s\n", word, area, name, why);
}

void t_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	nfail++;
	va_start(ap, fmt);
	vreport("FAIL", name, fmt, ap);
	va_end(ap);
}

void t_skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	nskip++;
	va_start(ap, fmt);
	vreport("SKIP", name, fmt, ap);
	va_end(ap);
}

/* Four buffers in turn: a check may take a cname() and call another
 * function that makes one (status_text) without overwriting the first. */
const char *cname(const char *fmt, ...)
{
	static char bufs[4][160];
	static int next;
	char *b = bufs[next++ % 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return b;
}

int check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		t_pass(name);
		return 1;
	}
	nfail++;
	va_start(ap, fmt);
	vreport("FAIL", name, fmt, ap);
	va_end(ap);
	return 0;
}

int check_eq(const char *name, long got, long want)
{
	return check(name, got == want, "wrong value (expected %ld, got %ld)", want, got);
}

int check_eqx(const char *name, unsigned long got, unsigned long want)
{
	return check(name, got == want, "wrong value (expected %#lx, got %#lx)", want, got);
}

int check_errno(const char *name, long ret, int want)
{
	if (ret != -1)
		return check(name, 0, "call succeeded (expected -1 %s, got %ld)",
			     errno_name(want), ret);
	return check(name, errno == want, "wrong errno (expected %s, got %s)",
		     errno_name(want), errno_name(errno));
}

int check_ok(const char *name, long ret)
{
	return check(name, ret != -1, "call failed (expected success, got -1 %s)",
		     errno_name(errno));
}

int check_raw_errno(const char *name, long ret, int want)
{
	if (ret < -4095 || ret >= 0)
		return check(name, 0, "call succeeded (expected -%s, got %ld)",
			     errno_name(want), ret);
	return check(name, ret == -want, "wrong error (expected -%s, got -%s)",
		     errno_name(want), errno_name((int)-ret));
}

/* Only the errors the tests meet; the others print as E?N. */
static const struct {
	int n;
	const char *name;
} errnos[] = {
	{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
	{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
	{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
	{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
	{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" },
	{ EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" },
	{ EROFS, "EROFS" }, { EMLINK, "EMLINK" }, { EPIPE, "EPIPE" },
	{ ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
	{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { EOVERFLOW, "EOVERFLOW" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
};

const char *errno_name(int e)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].n == e)
			return errnos[i].name;
	return cname("E?%d", e);
}

static const char *const signames[32] = {
	"0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
	"SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
	"SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
	"SIGIO", "SIGPWR", "SIGSYS",
};

const char *signal_name(int sig)
{
	if (sig >= 0 && sig < 32)
		return signames[sig];
	return cname("SIG%d", sig);
}

const char *status_text(int status)
{
	if (status == -1)
		return "no child (fork or wait4 failed)";
	if (status == -2)
		return "child hung (killed after the timeout)";
	if (WIFEXITED(status))
		return cname("exit %d", WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return cname("killed by %s", signal_name(WTERMSIG(status)));
	if (WIFSTOPPED(status))
		return cname("stopped by %s", signal_name(WSTOPSIG(status)));
	if (WIFCONTINUED(status))
		return "continued";
	return cname("status %#x", status);
}

int on_sysgate(void)
{
	static int known = -1;
	struct utsname u;

	if (known < 0)
		known = syscall(SYS_uname, &u) == 0 && strstr(u.release, "sysgate") != NULL;
	return known;
}

pid_t t_fork(void)
{
	fflush(stdout);
	fflush(stderr);
	return (pid_t)syscall(SYS_fork);
}

int t_tracepoint_id(const char *name)
{
	char path[128], buf[16] = "";
	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s/id", name);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	return n > 0 ? atoi(buf) : -1;
}

void t_nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	syscall(SYS_nanosleep, &ts, NULL);
}

/* Polling with WNOHANG rather than one blocking wait4, so that a child that
 * never ends costs a bounded number of naps instead of the whole run. */
int t_wait(pid_t pid, int ticks)
{
	int status = 0;

	for (int i = 0; i <= ticks; i++) {
		long r = syscall(SYS_wait4, pid, &status, 0 | WNOHANG, NULL);
		if (r == pid)
			return status;
		if (r == -1 && errno != EINTR)
			return -1;
		t_nap(10);
	}
	syscall(SYS_kill, pid, SIGKILL);
	syscall(SYS_wait4, pid, &status, 0, NULL);
	return -2;
}

int run_child(void (*fn)(long), long arg)
{
	pid_t pid = t_fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return t_wait(pid, T_WAIT_TICKS);
}

/* The child sends its three counts up a pipe just before it exits. */
void t_group(const char *name, void (*fn)(void))
{
	int p[2], counts[3] = { 0, 0, 0 }, st;
	pid_t pid;

	if (syscall(SYS_pipe, p) < 0) {
		t_fail(name, "pipe failed: %s", errno_name(errno));
		return;
	}
	pid = t_fork();
	if (pid == 0) {
		syscall(SYS_close, p[0]);
		npass = nfail = nskip = 0;
		fn();
		counts[0] = npass;
		counts[1] = nfail;
		counts[2] = nskip;
		fflush(stdout);
		write(p[1], counts, sizeof(counts));
		_exit(0);
	}
	syscall(SYS_close, p[1]);
	if (pid < 0) {
		syscall(SYS_close, p[0]);
		t_fail(name, "fork failed: %s", errno_name(errno));
		return;
	}
	st = t_wait(pid, T_WAIT_TICKS * 2);
	if (read(p[0], counts, sizeof(counts)) == sizeof(counts) && st == 0) {
		npass += counts[0];
		nfail += counts[1];
		nskip += counts[2];
	} else {
		t_fail(name, "the group did not finish (expected exit 0, got %s)", status_text(st));
	}
	syscall(SYS_close, p[0]);
}

int check_signaled(const char *name, int status, int sig)
{
	int ok = status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig;

	return check(name, ok, "wrong end (expected killed by %s, got %s)",
		     signal_name(sig), status_text(status));
}

int check_exited(const char *name, int status, int code)
{
	int ok = status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code;

	return check(name, ok, "wrong end (expected exit %d, got %s)", code,
		     status_text(status));
}

/* Reads the whole file (it is small) and looks for "key: N". */
long meminfo_value(const char *key)
{
	static char buf[8192];
	size_t len = 0, klen = strlen(key);
	long n;

	/* Touch the buffer before /proc/meminfo makes its counts: its pages,
	 * faulted in during the read, would look like a leak on the next call. */
	memset(buf, 0, sizeof(buf));
	long fd = syscall(SYS_open, "/proc/meminfo", O_RDONLY, 0);

	if (fd < 0)
		return -1;
	while (len < sizeof(buf) - 1 && (n = read((int)fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	syscall(SYS_close, fd);
	buf[len] = '\0';
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			char *p = line + klen + 1;
			while (*p == ' ')
				p++;
			return strtol(p, NULL, 10);
		}
	}
	return -1;
}

int leak_mark(struct leak_mark *m)
{
	/* The heap's own frames count as free: how many slabs its objects
	 * fill depends on how they are packed, not on what is in use. */
	long heap_frames = meminfo_value("SysgateHeapFrames");
	m->frames = meminfo_value("SysgateFreeFrames");
	if (m->frames >= 0 && heap_frames >= 0)
		m->frames += heap_frames;
	m->heap = meminfo_value("SysgateHeapBytes");
	return m->frames >= 0 && m->heap >= 0;
}

/* Exact equality: every frame and heap byte the work took must be back once
 * its processes are reaped and its descriptors closed. (Tests do the work
 * once before leak_mark, so caches the kernel fills on first use are not
 * mistaken for leaks.) */
void leak_check(const char *name, const struct leak_mark *m)
{
	struct leak_mark now;

	if (!on_sysgate()) {
		t_skip(name, "leak counts are sysgate-only");
		return;
	}
	if (m->frames < 0 || !leak_mark(&now)) {
		t_skip(name, "no SysgateFreeFrames/SysgateHeapBytes in /proc/meminfo yet");
		return;
	}
	if (now.frames != m->frames)
		t_fail(name, "free frames changed (expected %ld, got %ld)", m->frames, now.frames);
	else if (now.heap != m->heap)
		t_fail(name, "kernel heap bytes changed (expected %ld, got %ld)", m->heap, now.heap);
	else
		t_pass(name);
}

void t_leak_test(const char *name, void (*work)(void))
{
	struct leak_mark m;

	work();
	if (!leak_mark(&m)) {
		t_skip(name, "leak counts are sysgate-only");
		return;
	}
	work();
	leak_check(name, &m);
}

static char self_path[4096];

void t_set_self(char **argv)
{
	long n;

	/* argv[0] works when it is a path (./build/user/tests/proc, /run/proc);
	 * a bare name was found through PATH, so ask Linux's /proc instead. */
	if (argv && argv[0] && strchr(argv[0], '/') && syscall(SYS_access, argv[0], X_OK) == 0) {
		snprintf(self_path, sizeof(self_path), "%s", argv[0]);
		return;
	}
	n = syscall(SYS_readlink, "/proc/self/exe", self_path, sizeof(self_path) - 1);
	self_path[n > 0 ? n : 0] = '\0';
}

const char *t_self(void)
{
	return self_path[0] ? self_path : NULL;
}

long t_status_field(const char *key, int base)
{
	char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	size_t len = strlen(key);
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ':')
			return strtol(line + len + 1, NULL, base);
	return -1;
}
