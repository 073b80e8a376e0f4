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

/* ---- reading the tracee's memory ------------------------------------------------------------ */

static long read_remote(pid_t pid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* A quoted string as strace prints it: escapes, and "..." past the limit. */
static void append_quoted(char *dst, size_t cap, const unsigned char *s, size_t n, int more)
{
	size_t at = strlen(dst);
	at += snprintf(dst + at, cap - at, "\"");
	for (size_t i = 0; i < n && at + 8 < cap; i++) {
		unsigned char c = s[i];
		if (c == '\n')
			at += snprintf(dst + at, cap - at, "\\n");
		else if (c == '\t')
			at += snprintf(dst + at, cap - at, "\\t");
		else if (c == '"' || c == '\\')
			at += snprintf(dst + at, cap - at, "\\%c", c);
		else if (c >= 32 && c < 127)
			dst[at++] = (char)c, dst[at] = 0;
		else
			at += snprintf(dst + at, cap - at, "\\%o", c);
	}
	snprintf(dst + at, cap - at, "\"%s", more ? "..." : "");
}

static void append(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *dst, size_t cap, const char *fmt, ...)
{
	size_t at = strlen(dst);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst + at, cap - at, fmt, ap);
	va_end(ap);
}

/* limit: -s's for data, none (but a page) for paths, as strace. */
static void append_string_limited(char *dst, size_t cap, pid_t pid, unsigned long addr, size_t limit)
{
	if (!addr) {
		append(dst, cap, "NULL");
		return;
	}
	unsigned char buf[4096];
	size_t n = 0;
	while (n < limit + 1 && n < sizeof(buf) && read_remote(pid, addr + n, buf + n, 1) == 1 && buf[n])
		n++;
	int more = n > limit;
	append_quoted(dst, cap, buf, more ? limit : n, more);
}

static void append_string(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	append_string_limited(dst, cap, pid, addr, (size_t)string_limit);
}

static void append_path(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	append_string_limited(dst, cap, pid, addr, 4000);
}

static void append_buffer(char *dst, size_t cap, pid_t pid, unsigned long addr, long len)
{
	if (len < 0)
		len = 0;
	unsigned char buf[4096];
	size_t want = (size_t)len < (size_t)string_limit ? (size_t)len : (size_t)string_limit;
	if (read_remote(pid, addr, buf, want) != (long)want) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	append_quoted(dst, cap, buf, want, (size_t)len > want);
}

/* ---- arguments -------------------------------------------------------------------------------- */

static const struct { int bit; const char *name; } open_flags[] = {
	{ O_CREAT, "O_CREAT" }, { O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, { O_CLOEXEC, "O_CLOEXEC" },
	{ O_DIRECTORY, "O_DIRECTORY" }, { O_NOFOLLOW, "O_NOFOLLOW" },
};

static void append_open_flags(char *dst, size_t cap, unsigned long flags)
{
	static const char *const access[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
	append(dst, cap, "%s", access[flags & 3]);
	flags &= ~3UL;
	for (size_t i = 0; i < sizeof(open_flags) / sizeof(open_flags[0]); i++) {
		if (flags & (unsigned long)open_flags[i].bit) {
			append(dst, cap, "|%s", open_flags[i].name);
			flags &= ~(unsigned long)open_flags[i].bit;
		}
	}
	if (flags)
		append(dst, cap, "|%#lo", flags);
}

static int is_dirfd(const char *name)
{
	return strstr(name, "dirfd") != NULL;
}


/* ---- arguments that need more than their kind: structs, sets, names ---------------------------- */

static const char *signal_abbrev(int sig)
{
	const char *a = sigabbrev_np(sig);
	return a ? a : "?";
}

static void append_sigset(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	unsigned long set;
	if (!addr) {
		append(dst, cap, "NULL");
		return;
	}
	if (read_remote(pid, addr, &set, sizeof(set)) != sizeof(set)) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	int n = __builtin_popcountl(set);
	const char *sep = "";
	append(dst, cap, n > 32 ? "~[" : "[");
	if (n > 32)
		set = ~set;
	for (int sig = 1; sig <= 64; sig++) {
		if (!(set & (1UL << (sig - 1))))
			continue;
		if (sig >= 34)
			append(dst, cap, "%sRT_%d", sep, sig - 34);
		else
			append(dst, cap, "%s%s", sep, signal_abbrev(sig));
		sep = " ";
	}
	append(dst, cap, "]");
}

static void append_stat(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	unsigned char st[144];
	if (read_remote(pid, addr, st, sizeof(st)) != sizeof(st)) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	unsigned mode = *(unsigned *)(st + 24);
	unsigned long rdev = *(unsigned long *)(st + 40);
	long size = *(long *)(st + 48);
	static const char *const types[16] = { [1] = "S_IFIFO", [2] = "S_IFCHR", [4] = "S_IFDIR", [6] = "S_IFBLK",
					       [8] = "S_IFREG", [10] = "S_IFLNK", [12] = "S_IFSOCK" };
	const char *type = types[(mode >> 12) & 15] ? types[(mode >> 12) & 15] : "0";
	append(dst, cap, "{st_mode=%s|%#o, ", type, mode & 07777);
	if (((mode >> 12) & 15) == 2 || ((mode >> 12) & 15) == 6)
		append(dst, cap, "st_rdev=makedev(%#lx, %#lx), ...}", (rdev >> 8) & 0xfff, (rdev & 0xff) | ((rdev >> 12) & ~0xffUL));
	else
		append(dst, cap, "st_size=%ld, ...}", size);
}

static void append_dirents(char *dst, size_t cap, pid_t pid, unsigned long addr, long ret)
{
	unsigned char buf[4096];
	int entries = 0;
	if (ret > 0 && ret <= (long)sizeof(buf) && read_remote(pid, addr, buf, (size_t)ret) == ret)
		for (long at = 0; at + 18 < ret && *(unsigned short *)(buf + at + 16); at += *(unsigned short *)(buf + at + 16))
			entries++;
	append(dst, cap, "%#lx /* %d entries */", addr, entries);
}

static const struct { unsigned long bit; const char *name; } sa_flags[] = {
	{ 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
	{ 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" }, { 4, "SA_SIGINFO" },
	{ 1, "SA_NOCLDSTOP" }, { 2, "SA_NOCLDWAIT" },
};

/* The kernel's struct sigaction: handler, flags, restorer, mask. */
static void append_sigaction(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	unsigned long sa[4];
	if (!addr) {
		append(dst, cap, "NULL");
		return;
	}
	if (read_remote(pid, addr, sa, sizeof(sa)) != sizeof(sa)) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	if (sa[0] <= 1)
		append(dst, cap, "{sa_handler=%s, sa_mask=", sa[0] ? "SIG_IGN" : "SIG_DFL");
	else
		append(dst, cap, "{sa_handler=%#lx, sa_mask=", sa[0]);
	append_sigset(dst, cap, pid, addr + 24);
	append(dst, cap, ", sa_flags=");
	const char *sep = "";
	unsigned long flags = sa[1];
	for (size_t i = 0; i < sizeof(sa_flags) / sizeof(sa_flags[0]); i++)
		if (flags & sa_flags[i].bit) {
			append(dst, cap, "%s%s", sep, sa_flags[i].name);
			flags &= ~sa_flags[i].bit;
			sep = "|";
		}
	if (flags || !*sep)
		append(dst, cap, "%s%#lx", sep, flags);
	if (sa[1] & 0x04000000)
		append(dst, cap, ", sa_restorer=%#lx}", sa[2]);
	else
		append(dst, cap, "}");
}

struct flag_name {
	unsigned long bit;
	const char *name;
};

static void append_flags(char *dst, size_t cap, unsigned long v, const struct flag_name *names, size_t n,
			 const char *none)
{
	const char *sep = "";
	for (size_t i = 0; i < n; i++)
		if (v & names[i].bit) {
			append(dst, cap, "%s%s", sep, names[i].name);
			v &= ~names[i].bit;
			sep = "|";
		}
	if (v)
		append(dst, cap, "%s%#lx", sep, v);
	else if (!*sep)
		append(dst, cap, "%s", none);
}

static const struct flag_name prot_names[] = {
	{ 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
	{ 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" },
};
static const struct flag_name map_names[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
};

static void append_map_flags(char *dst, size_t cap, unsigned long v)
{
	static const char *const types[] = { "0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE" };
	append(dst, cap, "%s", (v & 0xf) < 4 ? types[v & 0xf] : "0");
	if (v & ~0xfUL) {
		append(dst, cap, "|");
		append_flags(dst, cap, v & ~0xfUL, map_names, sizeof(map_names) / sizeof(map_names[0]), "");
	}
}

/* uname: the first two fields, as strace shows them. */
static void append_utsname(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	char u[130];
	if (read_remote(pid, addr, u, sizeof(u)) != sizeof(u)) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	u[64] = u[129] = 0;
	append(dst, cap, "{sysname=\"%s\", nodename=\"%s\", ...}", u, u + 65);
}

static const char *const futex_ops[] = { "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE",
	"FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
	"FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET" };

static void append_futex_op(char *dst, size_t cap, unsigned long op)
{
	unsigned cmd = op & 127;
	if (op & 256)
		append(dst, cap, "FUTEX_CLOCK_REALTIME|");
	if (cmd < sizeof(futex_ops) / sizeof(futex_ops[0]))
		append(dst, cap, "%s%s", futex_ops[cmd], (op & 128) ? "_PRIVATE" : "");
	else
		append(dst, cap, "%#lx", op);
}

static void append_wait_status(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	int st;
	if (!addr) {
		append(dst, cap, "NULL");
		return;
	}
	if (read_remote(pid, addr, &st, sizeof(st)) != sizeof(st)) {
		append(dst, cap, "%#lx", addr);
		return;
	}
	if (WIFEXITED(st))
		append(dst, cap, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		append(dst, cap, "[{WIFSIGNALED(s) && WTERMSIG(s) == SIG%s%s}]", signal_abbrev(WTERMSIG(st)),
		       WCOREDUMP(st) ? " && WCOREDUMP(s)" : "");
	else if (WIFSTOPPED(st))
		append(dst, cap, "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIG%s}]", signal_abbrev(WSTOPSIG(st)));
	else
		append(dst, cap, "[%#x]", st);
}

static const struct flag_name wait_options[] = {
	{ 1, "WNOHANG" }, { 2, "WSTOPPED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" }, { 0x01000000, "WNOWAIT" },
	{ 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" }, { 0x80000000, "__WCLONE" },
};

/* How many arguments strace shows: futex's depend on the operation. */
static int shown_args(const struct syscall_info *si, const unsigned long *args)
{
	if (strcmp(si->name, "futex"))
		return si->nargs;
	switch (args[1] & 127) {
	case 0:
		return 4; /* FUTEX_WAIT: the timeout */
	case 1: case 7: case 8:
		return 3;
	case 9: case 10:
		return 6;
	default:
		return 5;
	}
}

/* 1 if (syscall, argument) has a decoder of its own; it printed. */
static int special_arg(char *dst, size_t cap, pid_t pid, const struct syscall_info *si, int i,
		       const unsigned long *args, long ret, int at_exit)
{
	const char *call = si->name, *arg = si->args[i].name;
	unsigned long v = args[i];
	if (!strcmp(arg, "path") || !strcmp(arg, "oldpath") || !strcmp(arg, "newpath") || !strcmp(arg, "target") ||
	    !strcmp(arg, "linkpath")) {
		append_path(dst, cap, pid, v);
	} else if (!strcmp(arg, "sig")) {
		append(dst, cap, v && v < 65 ? "SIG%s" : "%s", v && v < 65 ? signal_abbrev((int)v) : "0");
	} else if (!strcmp(call, "rt_sigprocmask") && !strcmp(arg, "how")) {
		static const char *const how[] = { "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK" };
		append(dst, cap, "%s", v < 3 ? how[v] : "?");
	} else if ((!strcmp(call, "rt_sigprocmask") && !strcmp(arg, "set")) ||
		   (at_exit && ret == 0 && (!strcmp(arg, "oset") || (!strcmp(call, "rt_sigpending") && !strcmp(arg, "set"))))) {
		append_sigset(dst, cap, pid, v);
	} else if (!strcmp(call, "rt_sigaction") && (!strcmp(arg, "act") || (!strcmp(arg, "oact") && at_exit && ret == 0))) {
		append_sigaction(dst, cap, pid, v);
	} else if (strstr(arg, "statbuf") && at_exit && ret == 0) {
		append_stat(dst, cap, pid, v);
	} else if (!strcmp(call, "getdents64") && !strcmp(arg, "dirp") && at_exit) {
		append_dirents(dst, cap, pid, v, ret);
	} else if (!strcmp(call, "wait4") && !strcmp(arg, "wstatus")) {
		if (ret > 0)
			append_wait_status(dst, cap, pid, v);
		else
			append(dst, cap, v ? "%#lx" : "NULL", v);
	} else if (!strcmp(call, "wait4") && !strcmp(arg, "options")) {
		append_flags(dst, cap, v, wait_options, sizeof(wait_options) / sizeof(wait_options[0]), "0");
	} else if (!strcmp(call, "futex") && !strcmp(arg, "op")) {
		append_futex_op(dst, cap, v);
	} else if (!strcmp(arg, "prot")) {
		append_flags(dst, cap, v, prot_names, sizeof(prot_names) / sizeof(prot_names[0]), "PROT_NONE");
	} else if (!strcmp(call, "mmap") && !strcmp(arg, "flags")) {
		append_map_flags(dst, cap, v);
	} else if (!strcmp(call, "mmap") && !strcmp(arg, "offset")) {
		append(dst, cap, "%#lx", v);
	} else if (!strcmp(call, "uname") && at_exit && ret == 0) {
		append_utsname(dst, cap, pid, v);
	} else if (!strcmp(arg, "addr") || !strcmp(arg, "brk")) {
		append(dst, cap, v ? "%#lx" : "NULL", v);
	} else {
		return 0;
	}
	return 1;
}

/* Arguments only known at exit: what the call wrote. */
static int decoded_at_exit(const struct syscall_info *si, int i)
{
	const char *arg = si->args[i].name;
	return si->args[i].kind == ARG_BUF_OUT || strstr(arg, "statbuf") || !strcmp(si->name, "uname") ||
	       (!strcmp(si->name, "wait4") && !strcmp(arg, "wstatus")) || !strcmp(arg, "oset") || !strcmp(arg, "oact") ||
	       !strcmp(si->name, "rt_sigpending") || (!strcmp(si->name, "getdents64") && !strcmp(arg, "dirp"));
}

/* open's mode is shown only when it means something (O_CREAT). */
static int hidden_arg(const struct syscall_info *si, int i, const unsigned long *args)
{
	if (strcmp(si->args[i].name, "mode") || !strstr(si->name, "open"))
		return 0;
	return !(args[i - 1] & O_CREAT);
}

static void append_arg(char *dst, size_t cap, pid_t pid, const struct syscall_info *si, int i,
		       const unsigned long *args, long ret, int at_exit)
{
	const struct syscall_arg *a = &si->args[i];
	unsigned long v = args[i];
	if (special_arg(dst, cap, pid, si, i, args, ret, at_exit))
		return;
	switch (a->kind) {
	case ARG_STR:
		append_string(dst, cap, pid, v);
		break;
	case ARG_BUF_IN:
		append_buffer(dst, cap, pid, v, (long)args[i + 1]);
		break;
	case ARG_BUF_OUT:
		if (at_exit && ret >= 0)
			append_buffer(dst, cap, pid, v, ret);
		else
			append(dst, cap, "%#lx", v);
		break;
	case ARG_FD:
	case ARG_INT:
		if (is_dirfd(a->name) && (int)v == -100)
			append(dst, cap, "AT_FDCWD");
		else
			append(dst, cap, "%d", (int)v);
		break;
	case ARG_HEX:
		if (!strcmp(a->name, "flags") && strstr(si->name, "open"))
			append_open_flags(dst, cap, v);
		else
			append(dst, cap, "%#lx", v);
		break;
	case ARG_OCT:
		append(dst, cap, "%#lo", v);
		break;
	case ARG_PTR:
		append(dst, cap, v ? "%#lx" : "NULL", v);
		break;
	default:
		append(dst, cap, "%lu", v);
	}
}

/* execve's argv as strace shows it: ["ls", "-l"], and envp as a count. */
static void append_execve(char *dst, size_t cap, pid_t pid, const unsigned long *args)
{
	append_path(dst, cap, pid, args[0]);
	append(dst, cap, ", [");
	for (int i = 0;; i++) {
		unsigned long p = 0;
		if (read_remote(pid, args[1] + 8 * i, &p, 8) != 8 || !p)
			break;
		if (i)
			append(dst, cap, ", ");
		append_string(dst, cap, pid, p);
	}
	int vars = 0;
	for (unsigned long p = 1; read_remote(pid, args[2] + 8 * vars, &p, 8) == 8 && p;)
		vars++;
	append(dst, cap, "], %#lx /* %d vars */", args[2], vars);
}

/* ---- results ---------------------------------------------------------------------------------- */

static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR", [EIO] = "EIO",
	[ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF", [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY", [EFBIG] = "EFBIG",
	[ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK", [EPIPE] = "EPIPE",
	[ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY",
	[ELOOP] = "ELOOP",
};

static int returns_address(const char *name)
{
	return !strcmp(name, "mmap") || !strcmp(name, "brk") || !strcmp(name, "mremap");
}

/* The result goes at column 40 of the whole line: prefix_len is the
 * [pid N] and time prefix's. */
static void append_result(char *dst, size_t cap, const char *name, long ret, size_t prefix_len)
{
	size_t len = strlen(dst) + prefix_len;
	if (len < RESULT_COLUMN)
		append(dst, cap, "%*s", (int)(RESULT_COLUMN - len), "");
	if (ret < 0 && ret >= -4095) {
		int e = (int)-ret;
		const char *en = e < (int)(sizeof(errno_names) / sizeof(errno_names[0])) && errno_names[e]
					 ? errno_names[e] : NULL;
		if (e == 512)
			append(dst, cap, " = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
		else if (e == 513)
			append(dst, cap, " = ? ERESTARTNOINTR (To be restarted)");
		else if (e == 514)
			append(dst, cap, " = ? ERESTARTNOHAND (To be restarted if no handler)");
		else if (e == 516)
			append(dst, cap, " = ? ERESTART_RESTARTBLOCK (Interrupted by signal)");
		else if (en)
			append(dst, cap, " = -1 %s (%s)", en, strerror(e));
		else
			append(dst, cap, " = -1 E%d (%s)", e, strerror(e));
	} else if (returns_address(name)) {
		append(dst, cap, " = %#lx", ret);
	} else {
		append(dst, cap, " = %ld", ret);
	}
}

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
