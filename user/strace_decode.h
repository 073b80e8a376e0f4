/*
 * strace, part 2: how each argument and result is printed (course section:
 * syscall tracing). Included once, by user/strace.c.
 *
 * The generated table (build/gen/syscall_info.c, from kernel/syscalls.tbl)
 * gives every argument a kind -- a string, a buffer going in or out, a
 * descriptor, flags, a mode -- which is enough for most calls. Some need
 * more to print as strace does: open's flags by name, struct stat, signal
 * sets, sigaction, wait statuses, futex operations. Those decoders are
 * chosen by the syscall's and the argument's names, so the table stays the
 * one place that declares a syscall.
 */
#ifndef USER_STRACE_DECODE_H
#define USER_STRACE_DECODE_H

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

/* prctl's options by name (those sysgate has), seccomp's operations and
 * its filter program as {len=N, filter=ADDR}. */
static const struct { int option; const char *name; } prctl_options[] = {
	{ 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" }, { 4, "PR_SET_DUMPABLE" },
	{ 7, "PR_GET_KEEPCAPS" }, { 8, "PR_SET_KEEPCAPS" }, { 15, "PR_SET_NAME" }, { 16, "PR_GET_NAME" },
	{ 21, "PR_GET_SECCOMP" }, { 22, "PR_SET_SECCOMP" }, { 36, "PR_SET_CHILD_SUBREAPER" },
	{ 37, "PR_GET_CHILD_SUBREAPER" }, { 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" },
};

static void append_prctl_option(char *dst, size_t cap, unsigned long v)
{
	for (size_t k = 0; k < sizeof(prctl_options) / sizeof(prctl_options[0]); k++)
		if ((unsigned long)prctl_options[k].option == v) {
			append(dst, cap, "%s", prctl_options[k].name);
			return;
		}
	append(dst, cap, "%#lx /* PR_??? */", v);
}

static void append_fprog(char *dst, size_t cap, pid_t pid, unsigned long addr)
{
	struct { unsigned short len; unsigned long filter; } prog;
	if (read_remote(pid, addr, &prog, sizeof(prog)) != sizeof(prog))
		append(dst, cap, "%#lx", addr);
	else
		append(dst, cap, "{len=%u, filter=%#lx}", prog.len, prog.filter);
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
	} else if (!strcmp(call, "prctl") && !strcmp(arg, "option")) {
		append_prctl_option(dst, cap, v);
	} else if (!strcmp(call, "seccomp") && !strcmp(arg, "op")) {
		static const char *const ops[] = { "SECCOMP_SET_MODE_STRICT", "SECCOMP_SET_MODE_FILTER",
						   "SECCOMP_GET_ACTION_AVAIL", "SECCOMP_GET_NOTIF_SIZES" };
		if (v < 4)
			append(dst, cap, "%s", ops[v]);
		else
			append(dst, cap, "%#lx /* SECCOMP_??? */", v);
	} else if (!strcmp(call, "seccomp") && !strcmp(arg, "uargs") && args[0] == 1) {
		append_fprog(dst, cap, pid, v);
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

#endif
