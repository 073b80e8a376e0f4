/*
 * proc: parents, orphans and zombies; execve (course section: processes;  bad-input catalogue
 * "Processes"). One part of the proc test: main.c runs it.
 */
#include "proc.h"

/* ---- parents, orphans and zombies -------------------------------------------------- */

void test_parents(void)
{
	int p[2];
	pid_t me = getpid(), pid, child_ppid = 0;

	pipe(p);
	pid = t_fork();
	if (pid == 0) {
		pid_t pp = getppid();
		write(p[1], &pp, sizeof(pp));
		_exit(0);
	}
	read(p[0], &child_ppid, sizeof(child_ppid));
	t_wait(pid, T_WAIT_TICKS);
	check_eq("getppid in the child is the parent", child_ppid, me);
	close(p[0]);
	close(p[1]);
}

/* A grandchild whose parent exits is re-parented: to init (pid 1) on
 * sysgate, to init or a "subreaper" on Linux. Either way, not to the dead
 * parent any more. */
void test_orphan(void)
{
	int p[2];
	pid_t child, new_ppid = 0;

	pipe(p);
	child = t_fork();
	if (child == 0) {
		pid_t me = getpid();
		if (t_fork() == 0) {
			for (int i = 0; i < 1000 && getppid() == me; i++)
				t_nap(10);
			new_ppid = getppid();
			write(p[1], &new_ppid, sizeof(new_ppid));
			_exit(0);
		}
		_exit(0);
	}
	t_wait(child, T_WAIT_TICKS);
	close(p[1]);
	read(p[0], &new_ppid, sizeof(new_ppid));
	close(p[0]);
	check("an orphan is re-parented", new_ppid != child && new_ppid > 0,
	      "getppid is %d, the dead parent was %d", new_ppid, child);
	if (on_sysgate())
		check_eq("to init (pid 1) on sysgate", new_ppid, 1);
	/* When this test is init itself, the orphan is ours to reap. */
	if (getpid() == 1)
		check("init reaps the orphan", wait4(-1, NULL, 0, NULL) > 0, "wait4 failed");
}

void test_zombie(void)
{
	pid_t pid = t_fork();
	char path[64], state = 0;
	struct stat st;

	if (pid == 0)
		_exit(0);
	for (int i = 0; i < 500 && (state = t_proc_state(pid)) != 'Z'; i++)
		t_nap(10);
	check("an exited, unwaited child is a zombie", state == 'Z',
	      "wrong state in /proc/%d/stat (expected Z, got %c)", pid, state ? state : '?');
	check_eq("wait4 reaps the zombie", wait4(pid, NULL, 0, NULL), pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	check_errno("the reaped zombie is gone from /proc", stat(path, &st), ENOENT);
}

/* ---- execve ------------------------------------------------------------------------- */

void test_exec_ok(void)
{
	char out[256], num[32];
	char *echo[] = { "proc", "--echo", "hello", "world", NULL };
	char *pid_argv[] = { "proc", "--pid", NULL };
	char *env_argv[] = { "proc", "--env", NULL };
	char *envp[] = { "A=1", "SYSGATE_TEST=from the parent", NULL };
	char *exit_argv[] = { "proc", "--exit", "42", NULL };
	pid_t pid;
	int st;

	st = run_capture(echo, environ, out, sizeof(out));
	check_exited("exec of an echo helper exits 0", st, 0);
	check("and prints its arguments", strcmp(out, "hello world\n") == 0, "got \"%s\"", out);
	st = run_capture(env_argv, envp, out, sizeof(out));
	check("envp reaches the new program", strcmp(out, "from the parent\n") == 0, "got \"%s\"", out);

	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), exit_argv, environ);
		_exit(127);
	}
	check_exited("the exec'd program's exit status reaches the parent", t_wait(pid, T_WAIT_TICKS), 42);

	/* The pid and parent stay the same across execve. */
	{
		int p[2];
		size_t len = 0;
		ssize_t n;
		pipe(p);
		pid = t_fork();
		if (pid == 0) {
			dup2(p[1], 1);
			execve(t_self(), pid_argv, environ);
			_exit(127);
		}
		close(p[1]);
		while ((n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
			len += (size_t)n;
		out[len] = '\0';
		close(p[0]);
		t_wait(pid, T_WAIT_TICKS);
		snprintf(num, sizeof(num), "%d %d\n", pid, getpid());
		check("execve keeps the pid and the parent", strcmp(out, num) == 0,
		      "expected \"%.*s\", got \"%s\"", (int)strlen(num) - 1, num, out);
	}
}

/* Copies of this program with one field of the ELF header changed. */
void make_bad_elfs(void)
{
	int fd = open(t_self(), O_RDONLY);
	struct stat st;
	unsigned char *img;
	char path[96];

	if (fd < 0 || fstat(fd, &st) < 0 || !(img = malloc((size_t)st.st_size)))
		return;
	if (read(fd, img, (size_t)st.st_size) != st.st_size) {
		close(fd);
		return;
	}
	close(fd);
	snprintf(path, sizeof(path), "%s/trunc32", dir);
	write_file(path, img, 32, 0755);	/* not even a whole ELF header */
	snprintf(path, sizeof(path), "%s/copy", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[18] = 3;	/* e_machine = EM_386 */
	snprintf(path, sizeof(path), "%s/i386", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[18] = 62;
	img[56] = img[57] = 0;	/* e_phnum = 0 */
	snprintf(path, sizeof(path), "%s/nophdr", dir);
	write_file(path, img, (size_t)st.st_size, 0755);
	img[56] = 1;	/* one program header: the first PT_LOAD, moved to kernel space */
	{
		Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
		Elf64_Phdr *ph = (Elf64_Phdr *)(img + eh->e_phoff);
		int i = 0;
		while (ph[i].p_type != PT_LOAD)
			i++;
		ph[0] = ph[i];
		eh->e_phnum = 1;
		ph[0].p_vaddr = ph[0].p_paddr = 0xffffffff80000000UL;
		snprintf(path, sizeof(path), "%s/kload", dir);
		write_file(path, img, (size_t)st.st_size, 0755);
	}
	free(img);
	/* A fresh copy whose entry point is address 0. */
	fd = open(t_self(), O_RDONLY);
	img = malloc((size_t)st.st_size);
	if (img && read(fd, img, (size_t)st.st_size) == st.st_size) {
		((Elf64_Ehdr *)img)->e_entry = 0;
		snprintf(path, sizeof(path), "%s/entry0", dir);
		write_file(path, img, (size_t)st.st_size, 0755);
	}
	close(fd);
	free(img);
}

/* execve in a child: the wait status (exit 0..133: the errno if execve
 * failed, else whatever the new program did). */
int exec_status(const char *path, char *const argv[])
{
	pid_t pid = t_fork();

	if (pid == 0) {
		execve(path, argv, environ);
		_exit(errno);
	}
	return t_wait(pid, T_WAIT_TICKS);
}

void test_exec_errors(void)
{
	char path[128], noexec[128], garbage[128], empty[128], script[128];
	char *argv[] = { "x", "--exit", "0", NULL };
	char long_path[PATH_MAX + 16];

	snprintf(noexec, sizeof(noexec), "%s/noexec", dir);
	snprintf(garbage, sizeof(garbage), "%s/garbage", dir);
	snprintf(empty, sizeof(empty), "%s/empty", dir);
	snprintf(script, sizeof(script), "%s/script", dir);
	write_file(noexec, "#!/bin/sh\n", 10, 0644);
	write_file(garbage, "this is not a program\n", 22, 0755);
	write_file(empty, "", 0, 0755);
	write_file(script, "#!/nonexistent/interpreter\n", 27, 0755);
	make_bad_elfs();

	check_exec_errno("execve of a missing file: ENOENT", "/nonexistent/program", argv, ENOENT);
	check_exec_errno("execve of \"\": ENOENT", "", argv, ENOENT);
	check_exec_errno("execve of a directory: EACCES", "/tmp", argv, EACCES);
	check_exec_errno("execve of a file without x bits: EACCES", noexec, argv, EACCES);
	snprintf(path, sizeof(path), "%s/x", noexec);
	check_exec_errno("execve through a file as a directory: ENOTDIR", path, argv, ENOTDIR);
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	check_exec_errno("execve of a path longer than PATH_MAX: ENAMETOOLONG", long_path, argv,
			 ENAMETOOLONG);
	check_exec_errno("execve of text with mode 0755: ENOEXEC", garbage, argv, ENOEXEC);
	check_exec_errno("execve of an empty file: ENOEXEC", empty, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/trunc32", dir);
	check_exec_errno("execve of an ELF cut after 32 bytes: ENOEXEC", path, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/i386", dir);
	check_exec_errno("execve of an ELF for another machine: ENOEXEC", path, argv, ENOEXEC);
	snprintf(path, sizeof(path), "%s/nophdr", dir);
	check_exec_errno("execve of an ELF without program headers: ENOEXEC", path, argv, ENOEXEC);
	/* "#!" scripts are part of Linux's execve: a missing interpreter is ENOENT. */
	check_exec_errno("execve of a script whose interpreter is missing: ENOENT", script, argv, ENOENT);
	/* Past the point of no return: the old image is gone, so a bad entry
	 * point can only end in SIGSEGV. */
	snprintf(path, sizeof(path), "%s/entry0", dir);
	check_signaled("execve of an ELF whose entry is 0: SIGSEGV", exec_status(path, argv), SIGSEGV);
	/* A segment in the kernel half must never be mapped. Linux notices only
	 * after the point of no return (SIGSEGV); refusing it up front with
	 * ENOEXEC, EINVAL or ENOMEM is as safe. */
	snprintf(path, sizeof(path), "%s/kload", dir);
	{
		int st = exec_status(path, argv);
		int e = st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : 0;
		check("execve of an ELF loading into kernel space fails",
		      (st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) || e == ENOEXEC ||
			      e == EINVAL || e == ENOMEM,
		      "expected SIGSEGV or ENOEXEC/EINVAL/ENOMEM, got %s", status_text(st));
	}
	snprintf(path, sizeof(path), "%s/copy", dir);
	{
		pid_t pid = t_fork();
		if (pid == 0) {
			execve(path, argv, environ);
			_exit(127);
		}
		check_exited("a byte-for-byte copy of the program runs", t_wait(pid, T_WAIT_TICKS), 0);
	}
}

void test_exec_efault(void)
{
	char *argv[] = { "x", "--exit", "0", NULL };
	char *bad_argv0[] = { (char *)0xffffffffUL, NULL };
	char *bad_argv1[] = { "x", (char *)0xffff800000000000UL, NULL };
	char *bad_envp0[] = { (char *)0xffffffff80100000UL, NULL };
	const char *self = t_self();

	check_exec_errno("execve path NULL: EFAULT", NULL, argv, EFAULT);
	check_exec_errno("execve path a kernel address: EFAULT", (char *)0xffffffff80100000UL, argv, EFAULT);
	check_exec_errno("execve path non-canonical: EFAULT", (char *)0x800000000000UL, argv, EFAULT);
	check_exec_errno("execve argv a kernel address: EFAULT", self,
			 (char *const *)0xffff800000000000UL, EFAULT);
	check_exec_errno("execve argv[0] = 0xffffffff: EFAULT", self, bad_argv0, EFAULT);
	check_exec_errno("execve argv[1] a kernel address: EFAULT", self, bad_argv1, EFAULT);
	check(cname("execve envp a kernel address: EFAULT"),
	      exec_errno(self, argv, (char *const *)0xffffffff80100000UL) == EFAULT, "not EFAULT");
	check(cname("execve envp[0] a kernel address: EFAULT"),
	      exec_errno(self, argv, bad_envp0) == EFAULT, "not EFAULT");
}

/* argv[0] = 0xffffffff over and over (1000 times on sysgate): each gives
 * EFAULT, and the half-built new image is freed every time. */
void efault_loop(long n)
{
	char *bad[] = { (char *)0xffffffffUL, NULL };

	for (long i = 0; i < n; i++) {
		if (execve(t_self(), bad, environ) != -1 || errno != EFAULT)
			_exit(1);
	}
	_exit(0);
}

void test_exec_efault_loop(void)
{
	long n = on_sysgate() ? 1000 : 10;
	struct leak_mark m;

	run_child(efault_loop, 1);	/* warm-up */
	leak_mark(&m);
	check_exited(cname("execve with argv[0] = 0xffffffff, %ld times", n), run_child(efault_loop, n), 0);
	leak_check("no leak from the failed execs", &m);
}

void test_e2big(void)
{
	size_t big = 200 * 1024, chunk = 120 * 1024;
	char *s = malloc(big + 1);
	char *argv[64];
	char nstr[16], lstr[16];
	pid_t pid;

	if (!s) {
		t_skip("E2BIG", "malloc failed");
		return;
	}
	memset(s, 'x', big);
	s[big] = '\0';
	/* One string longer than Linux's 128 KiB per-string limit. */
	argv[0] = "x";
	argv[1] = s;
	argv[2] = NULL;
	check_exec_errno("execve with one 200 KiB argument: E2BIG", t_self(), argv, E2BIG);
	/* 60 strings of 120 KiB: 7 MB in all, over Linux's limit (a quarter of
	 * the stack limit, at most 6 MB) and surely over sysgate's. */
	s[chunk] = '\0';
	argv[0] = "x";
	for (int i = 1; i <= 60; i++)
		argv[i] = s;
	argv[61] = NULL;
	check_exec_errno("execve with 7 MB of arguments: E2BIG", t_self(), argv, E2BIG);
	/* 40 KB in 40 strings of 1000 bytes is well within the limits. */
	s[1000] = '\0';
	snprintf(nstr, sizeof(nstr), "%d", 40);
	snprintf(lstr, sizeof(lstr), "%d", 1000);
	argv[0] = "proc";
	argv[1] = "--args";
	argv[2] = nstr;
	argv[3] = lstr;
	for (int i = 4; i < 44; i++)
		argv[i] = s;
	argv[44] = NULL;
	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check_exited("execve with 40 arguments of 1000 bytes works", t_wait(pid, T_WAIT_TICKS), 0);
	free(s);
}

/* Descriptors survive execve unless FD_CLOEXEC is set on them. */
void test_exec_fds(void)
{
	char path[96], a[8], b[8], c[8], d[8];
	char *argv[] = { "proc", "--fds", a, b, c, d, NULL };
	int fa, fb, fc, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/fds", dir);
	fa = open(path, O_RDWR | O_CREAT, 0600);
	fb = open(path, O_RDONLY | O_CLOEXEC);
	fc = dup(fa);
	fcntl(fc, F_SETFD, FD_CLOEXEC);
	fd = dup(fb);	/* dup clears FD_CLOEXEC on the new descriptor */
	check_eq("O_CLOEXEC sets FD_CLOEXEC", fcntl(fb, F_GETFD), FD_CLOEXEC);
	check_eq("dup's copy has no FD_CLOEXEC", fcntl(fd, F_GETFD), 0);
	snprintf(a, sizeof(a), "+%d", fa);
	snprintf(b, sizeof(b), "-%d", fb);
	snprintf(c, sizeof(c), "-%d", fc);
	snprintf(d, sizeof(d), "+%d", fd);
	pid = t_fork();
	if (pid == 0) {
		execve(t_self(), argv, environ);
		_exit(127);
	}
	check_exited("exec keeps plain fds, closes FD_CLOEXEC ones (exit: first wrong one)",
		     t_wait(pid, T_WAIT_TICKS), 0);
	close(fa);
	close(fb);
	close(fc);
	close(fd);
	unlink(path);
}

/* A chain of 50 execs in one process, twice: no frames may stay behind. */
void test_exec_chain(void)
{
	/* argv[0] is our path: each link of the chain execs argv[0] again. */
	char *argv[] = { (char *)t_self(), "--chain", "50", NULL };
	struct leak_mark m;
	pid_t pid;

	for (int round = 0; round < 2; round++) {
		if (round == 1)
			leak_mark(&m);
		pid = t_fork();
		if (pid == 0) {
			execve(t_self(), argv, environ);
			_exit(127);
		}
		check_exited(cname("a chain of 50 execs (round %d)", round + 1), t_wait(pid, T_WAIT_TICKS), 0);
	}
	leak_check("no leak from 50 execs", &m);
}

/*
 * Processes that each spawn the next until the kernel refuses one (Pintos's
 * multi-oom), ten times: the depth must be the same every time, or the
 * earlier rounds left something behind. Linux would go on for thousands,
 * so there the chain stops at a cap.
 */
void test_nested_spawn(void)
{
	char cap[16];
	char *argv[] = { (char *)t_self(), "--nest", "1", cap, NULL };
	struct nest_report first = { 0, 0 }, r;
	int p[2], same = 1, st = 0;
	struct leak_mark m;

	snprintf(cap, sizeof(cap), "%d", on_sysgate() ? 100000 : 100);
	for (int round = 0; round < 10; round++) {
		if (round == 1)
			leak_mark(&m);
		pipe(p);
		pid_t pid = t_fork();
		if (pid == 0) {
			dup2(p[1], NEST_FD);
			close(p[0]);
			close(p[1]);
			execve(t_self(), argv, environ);
			_exit(127);
		}
		close(p[1]);
		r.depth = -1;
		if (read(p[0], &r, sizeof(r)) != sizeof(r))
			r.depth = -1;
		close(p[0]);
		st = t_wait(pid, T_WAIT_TICKS);
		if (round == 0)
			first = r;
		else if (r.depth != first.depth)
			same = 0;
		if (st != 0 || r.depth < 0)
			break;
	}
	check_exited("nested spawning: every level exits 0", st, 0);
	check(cname("nested spawning reaches %d levels", first.depth), first.depth >= 30,
	      "only %d", first.depth);
	if (on_sysgate())
		check("and then fork or exec fails with EAGAIN or ENOMEM",
		      first.err == EAGAIN || first.err == ENOMEM, "got %s",
		      first.err ? errno_name(first.err) : "no failure");
	check("the same depth all ten times", same, "first %d, then %d", first.depth, r.depth);
	leak_check("no leak from ten nested spawns", &m);
}
