/*
 * everyday: the syscalls busybox and the C libraries reach for (course
 * section: files; processes).
 *
 * utimensat (now, given times, UTIME_OMIT, futimens through a NULL path,
 * EPERM and EACCES for strangers, EINVAL for bad nanoseconds); statfs and
 * fstatfs (a filesystem's kind and size: ramfs or tmpfs for files, proc
 * for /proc); chroot (absolute paths and ".." stay inside; EPERM without
 * CAP_SYS_CHROOT; ENOTDIR); prctl (name, parent-death signal, dumpable,
 * keepcaps, no_new_privs and its effect on a set-user-ID program,
 * subreaper); fallocate (size, KEEP_SIZE, EBADF, EINVAL, ESPIPE, EISDIR);
 * readahead; mknod (regular files, FIFOs between two processes with
 * Linux's open rules, device nodes only with CAP_MKNOD); ETXTBSY (a
 * running program's file cannot be opened for writing or truncated, a file
 * open for writing cannot be run); O_PATH descriptors (a name, not an
 * open file: read and write EBADF, fstat works, other flags ignored).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>

#include "testlib.h"

#define TDIR "/tmp/everyday-test"
#define USER 1000

static void become_user(void)
{
	if (setgroups(0, NULL) || setresgid(USER, USER, USER) || setresuid(USER, USER, USER))
		_exit(99);
}

static struct stat stat_of(const char *path)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	stat(path, &st);
	return st;
}

/* ---- utimensat ----------------------------------------------------------------------------------- */

static void stranger_times(long unused)
{
	struct timespec t[2] = { { 1000, 0 }, { 2000, 0 } };
	(void)unused;
	become_user();
	int ok = utimensat(AT_FDCWD, TDIR "/f", t, 0) == -1 && errno == EPERM;
	ok &= utimensat(AT_FDCWD, TDIR "/f", NULL, 0) == -1 && errno == EACCES; /* 0644: not writable */
	ok &= utimensat(AT_FDCWD, TDIR "/open", NULL, 0) == 0;			/* 0666: writable */
	_exit(ok ? 0 : 1);
}

static void test_utimensat(void)
{
	int fd = open(TDIR "/f", O_CREAT | O_WRONLY, 0644);
	close(fd);
	fd = open(TDIR "/open", O_CREAT | O_WRONLY, 0666);
	fchmod(fd, 0666);
	close(fd);
	struct timespec t[2] = { { 1000, 5 }, { 2000, 7 } };
	check_eq("utimensat sets atime and mtime", utimensat(AT_FDCWD, TDIR "/f", t, 0), 0);
	struct stat st = stat_of(TDIR "/f");
	check("... to the times given", st.st_atim.tv_sec == 1000 && st.st_atim.tv_nsec == 5 &&
	      st.st_mtim.tv_sec == 2000 && st.st_mtim.tv_nsec == 7, "atime %ld.%ld mtime %ld.%ld",
	      st.st_atim.tv_sec, st.st_atim.tv_nsec, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	struct timespec omit[2] = { { 0, UTIME_OMIT }, { 3000, 0 } };
	utimensat(AT_FDCWD, TDIR "/f", omit, 0);
	st = stat_of(TDIR "/f");
	check("UTIME_OMIT leaves atime", st.st_atim.tv_sec == 1000 && st.st_mtim.tv_sec == 3000, "atime %ld mtime %ld",
	      st.st_atim.tv_sec, st.st_mtim.tv_sec);
	long now = time(NULL);
	check_eq("times NULL: now", utimensat(AT_FDCWD, TDIR "/f", NULL, 0), 0);
	st = stat_of(TDIR "/f");
	check("... both now", st.st_mtim.tv_sec >= now - 1 && st.st_atim.tv_sec >= now - 1, "mtime %ld, now %ld",
	      st.st_mtim.tv_sec, now);
	fd = open(TDIR "/f", O_RDONLY);
	check_eq("utimensat(fd, NULL path): futimens", utimensat(fd, NULL, t, 0), 0);
	check_eq("... set through the descriptor", stat_of(TDIR "/f").st_mtim.tv_sec, 2000);
	close(fd);
	struct timespec bad[2] = { { 0, 1000000000 }, { 0, 0 } };
	check_errno("tv_nsec 1e9: EINVAL", utimensat(AT_FDCWD, TDIR "/f", bad, 0), EINVAL);
	check_errno("unknown flags: EINVAL", utimensat(AT_FDCWD, TDIR "/f", NULL, 0x4), EINVAL);
	check_errno("missing file: ENOENT", utimensat(AT_FDCWD, TDIR "/none", NULL, 0), ENOENT);
	check_errno("bad fd: EBADF", utimensat(-7, NULL, NULL, 0), EBADF);
	check_errno("times at a kernel address: EFAULT",
		    utimensat(AT_FDCWD, TDIR "/f", (const struct timespec *)0xffffffff80000000UL, 0), EFAULT);
	check_exited("a stranger: EPERM for given times, EACCES for now unless writable", run_child(stranger_times, 0),
		     0);
}

/* ---- statfs ------------------------------------------------------------------------------------------ */

static void test_statfs(void)
{
	struct statfs s;
	memset(&s, 0, sizeof(s));
	check_eq("statfs /tmp", statfs("/tmp", &s), 0);
	check("... a memory filesystem's magic (tmpfs or ramfs)",
	      s.f_type == TMPFS_MAGIC || s.f_type == RAMFS_MAGIC || !on_sysgate(), "type %#lx", s.f_type);
	check("... 4096-byte blocks, some free", s.f_bsize == 4096 && s.f_bfree <= s.f_blocks, "bsize %ld",
	      s.f_bsize);
	check_eq("... names up to 255 bytes", s.f_namelen, 255);
	check_eq("statfs /proc", statfs("/proc", &s), 0);
	check_eqx("... proc's magic", (unsigned long)s.f_type, PROC_SUPER_MAGIC);
	int fd = open("/proc/self/stat", O_RDONLY);
	check_eq("fstatfs of a /proc file", fstatfs(fd, &s), 0);
	check_eqx("... proc's magic too", (unsigned long)s.f_type, PROC_SUPER_MAGIC);
	close(fd);
	check_errno("statfs missing: ENOENT", statfs("/no/such/dir", &s), ENOENT);
	check_errno("fstatfs bad fd: EBADF", fstatfs(-1, &s), EBADF);
	check_errno("statfs to a kernel address: EFAULT", statfs("/", (struct statfs *)0xffffffff80000000UL), EFAULT);
}

/* ---- chroot ------------------------------------------------------------------------------------------ */

static void inside_chroot(long unused)
{
	(void)unused;
	int ok = chroot(TDIR "/jail") == 0 && chdir("/") == 0;
	struct stat st;
	ok &= stat("/inside", &st) == 0;			/* the jail's own file, by an absolute path */
	ok &= stat("/../../inside", &st) == 0;			/* ".." at the top stays there */
	ok &= stat("/etc", &st) == -1 && errno == ENOENT;	/* the real /etc is out of reach */
	char cwd[64];
	ok &= getcwd(cwd, sizeof(cwd)) != NULL && !strcmp(cwd, "/");
	_exit(ok ? 0 : 1);
}

static void user_chroot(long unused)
{
	(void)unused;
	become_user();
	_exit(chroot(TDIR "/jail") == -1 && errno == EPERM ? 0 : 1);
}

static void test_chroot(void)
{
	mkdir(TDIR "/jail", 0755);
	int fd = open(TDIR "/jail/inside", O_CREAT | O_WRONLY, 0644);
	close(fd);
	check_exited("chroot: absolute paths start inside, \"..\" cannot leave", run_child(inside_chroot, 0), 0);
	check_exited("chroot without CAP_SYS_CHROOT: EPERM", run_child(user_chroot, 0), 0);
	check_errno("chroot to a file: ENOTDIR", chroot(TDIR "/f"), ENOTDIR);
	check_errno("chroot to nothing: ENOENT", chroot(TDIR "/none"), ENOENT);
}

/* ---- prctl --------------------------------------------------------------------------------------------- */

static void pdeath_grandchild(void)
{
	pid_t mid = t_fork();
	if (mid == 0) {
		pid_t leaf = t_fork();
		if (leaf == 0) {
			prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, SIGUSR1);
			sigprocmask(SIG_BLOCK, &s, NULL);
			kill(getppid(), SIGKILL); /* our parent dies... */
			int sig = 0;
			sigwait(&s, &sig);	  /* ...and we hear of it */
			_exit(sig == SIGUSR1 ? 7 : 1);
		}
		pause();
		_exit(0);
	}
	t_wait(mid, T_WAIT_TICKS);
}

static void subreaper(long unused)
{
	(void)unused;
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	int is = 0;
	prctl(PR_GET_CHILD_SUBREAPER, (unsigned long)&is, 0, 0, 0);
	if (is != 1)
		_exit(2);
	pdeath_grandchild();
	/* The orphaned grandchild came to us, the subreaper: we reap it. */
	int st;
	pid_t got = wait4(-1, &st, 0, NULL);
	_exit(got > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7 ? 0 : 1);
}

static void no_new_privs(long unused)
{
	(void)unused;
	int ok = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 0;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 2, 0, 0, 0) == -1 && errno == EINVAL;
	ok &= prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0;
	ok &= prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	ok &= prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1 && errno == EINVAL;
	_exit(ok ? 0 : 1);
}

static void keepcaps(long unused)
{
	(void)unused;
	int ok = prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0;
	ok &= prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) == 0 && prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 1;
	ok &= setresuid(USER, USER, USER) == 0;
	/* Kept: the permitted set survives leaving uid 0 (effective is empty). */
	ok &= prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0) == -1 && errno == EINVAL;
	_exit(ok ? 0 : 1);
}

static void test_prctl(void)
{
	char name[16] = "";
	check_eq("PR_SET_NAME", prctl(PR_SET_NAME, (unsigned long)"a-long-name-cut-at-15", 0, 0, 0), 0);
	check_eq("PR_GET_NAME", prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0), 0);
	check("... cut to 15 bytes", !strcmp(name, "a-long-name-cut"), "got %s", name);
	int sig = -1;
	check_eq("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, SIGHUP, 0, 0, 0), 0);
	prctl(PR_GET_PDEATHSIG, (unsigned long)&sig, 0, 0, 0);
	check_eq("PR_GET_PDEATHSIG", sig, SIGHUP);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	check_errno("PR_SET_PDEATHSIG 99: EINVAL", prctl(PR_SET_PDEATHSIG, 99, 0, 0, 0), EINVAL);
	check_errno("PR_GET_PDEATHSIG to a kernel address: EFAULT",
		    prctl(PR_GET_PDEATHSIG, 0xffffffff80000000UL, 0, 0, 0), EFAULT);
	check_eq("PR_GET_DUMPABLE: 1", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	check_eq("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), 0);
	check_eq("... PR_GET_DUMPABLE: 0", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	check_errno("PR_SET_DUMPABLE 2: EINVAL", prctl(PR_SET_DUMPABLE, 2, 0, 0, 0), EINVAL);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	check_errno("unknown option: EINVAL", prctl(-5, 0, 0, 0, 0), EINVAL);
	check_exited("PR_SET_NO_NEW_PRIVS: set once, argument rules", run_child(no_new_privs, 0), 0);
	check_exited("PR_SET_KEEPCAPS", run_child(keepcaps, 0), 0);
	check_exited("PR_SET_CHILD_SUBREAPER: an orphan comes to us; PDEATHSIG tells it its parent died",
		     run_child(subreaper, 0), 0);
}

/* ---- fallocate and readahead ---------------------------------------------------------------------------- */

static void test_fallocate(void)
{
	int fd = open(TDIR "/fa", O_CREAT | O_RDWR | O_TRUNC, 0644);
	check_eq("fallocate 10000 bytes", fallocate(fd, 0, 0, 10000), 0);
	check_eq("... the file is that long", stat_of(TDIR "/fa").st_size, 10000);
	check_eq("fallocate KEEP_SIZE beyond the end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 10000, 50000), 0);
	check_eq("... the size stays", stat_of(TDIR "/fa").st_size, 10000);
	char c = 1;
	check_eq("the allocated range reads as zeros", pread(fd, &c, 1, 5000) == 1 ? c : -1, 0);
	check_errno("len 0: EINVAL", fallocate(fd, 0, 0, 0), EINVAL);
	check_errno("offset -1: EINVAL", fallocate(fd, 0, -1, 10), EINVAL);
	close(fd);
	fd = open(TDIR "/fa", O_RDONLY);
	check_errno("read-only fd: EBADF", fallocate(fd, 0, 0, 10), EBADF);
	check_eq("readahead", readahead(fd, 0, 4096), 0);
	close(fd);
	check_errno("fallocate bad fd: EBADF", fallocate(-1, 0, 0, 10), EBADF);
	int p[2];
	pipe(p);
	check_errno("fallocate on a pipe: ESPIPE", fallocate(p[1], 0, 0, 10), ESPIPE);
	check_errno("readahead on a pipe: EINVAL", readahead(p[0], 0, 10), EINVAL);
	close(p[0]);
	close(p[1]);
	check_errno("readahead bad fd: EBADF", readahead(-1, 0, 10), EBADF);
}

/* ---- mknod and FIFOs --------------------------------------------------------------------------------- */

static long mknod_(const char *path, unsigned mode, unsigned dev)
{
	return syscall(SYS_mknodat, AT_FDCWD, path, mode, dev);
}

static void fifo_writer(long unused)
{
	(void)unused;
	int fd = open(TDIR "/fifo", O_WRONLY); /* waits for the reader */
	_exit(fd >= 0 && write(fd, "through", 7) == 7 ? 0 : 1);
}

static void user_mknod(long unused)
{
	(void)unused;
	become_user();
	_exit(mknod_("/tmp/everyday-user-dev", S_IFCHR | 0600, (240 << 8)) == -1 && errno == EPERM ? 0 : 1);
}

static void test_mknod(void)
{
	check_eq("mknod S_IFIFO", mknod_(TDIR "/fifo", S_IFIFO | 0644, 0), 0);
	check_eq("... stat says FIFO", S_ISFIFO(stat_of(TDIR "/fifo").st_mode), 1);
	pid_t pid = t_fork();
	if (pid == 0)
		fifo_writer(0);
	int fd = open(TDIR "/fifo", O_RDONLY);
	char buf[16] = "";
	long n = read(fd, buf, sizeof(buf));
	check("a writer and a reader meet in the FIFO", n == 7 && !memcmp(buf, "through", 7), "read %ld", n);
	check_exited("... the writer's open waited for the reader", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("... then end of file", read(fd, buf, sizeof(buf)), 0);
	close(fd);
	check_errno("O_WRONLY|O_NONBLOCK with no reader: ENXIO", open(TDIR "/fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	fd = open(TDIR "/fifo", O_RDONLY | O_NONBLOCK);
	check("O_RDONLY|O_NONBLOCK opens at once", fd >= 0, "%s", errno_name(errno));
	int w = open(TDIR "/fifo", O_WRONLY | O_NONBLOCK);
	check("... and then a non-blocking writer may open", w >= 0, "%s", errno_name(errno));
	check_eq("... the same pipe", write(w, "x", 1) == 1 && read(fd, buf, 1) == 1 ? buf[0] : 0, 'x');
	close(w);
	close(fd);
	fd = open(TDIR "/fifo", O_RDWR);
	check("O_RDWR never waits", fd >= 0, "%s", errno_name(errno));
	check_errno("lseek on a FIFO: ESPIPE", lseek(fd, 0, SEEK_SET), ESPIPE);
	close(fd);
	check_eq("mknod mode 0: a regular file", mknod_(TDIR "/plain", 0644, 0), 0);
	check_eq("... S_ISREG", S_ISREG(stat_of(TDIR "/plain").st_mode), 1);
	check_errno("mknod an existing name: EEXIST", mknod_(TDIR "/plain", S_IFIFO | 0644, 0), EEXIST);
	check_errno("mknod S_IFDIR: EPERM", mknod_(TDIR "/d", S_IFDIR | 0755, 0), EPERM);
	check_errno("mknod of no known type: EINVAL", mknod_(TDIR "/bad", 0170000 | 0644, 0), EINVAL);
	check_eq("root mknod a character device 240:0", mknod_(TDIR "/dev", S_IFCHR | 0600, 240 << 8), 0);
	check_eq("... its number", (long)stat_of(TDIR "/dev").st_rdev, 240 << 8);
	check_errno("... opening it: ENXIO (no driver has that number)", open(TDIR "/dev", O_RDONLY), ENXIO);
	check_exited("mknod of a device without CAP_MKNOD: EPERM", run_child(user_mknod, 0), 0);
}

/* ---- ETXTBSY -------------------------------------------------------------------------------------------- */

static char self_path[256];

static void copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	char b[4096];
	long n;
	while (in >= 0 && out >= 0 && (n = read(in, b, sizeof(b))) > 0)
		write(out, b, n);
	close(in);
	close(out);
}

static void test_text_busy(void)
{
	copy_file(self_path, TDIR "/prog");
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		dup2(p[0], 0);
		char *argv[] = { TDIR "/prog", "--wait-stdin", NULL };
		execv(argv[0], argv);
		_exit(127);
	}
	/* Wait until the child runs the copy and sleeps reading its stdin. */
	char c = 0;
	for (int k = 0; k < 500 && t_proc_state(pid) != 'S'; k++)
		t_nap(10);
	check_errno("open a running program for writing: ETXTBSY", open(TDIR "/prog", O_WRONLY), ETXTBSY);
	check_errno("truncate it: ETXTBSY", truncate(TDIR "/prog", 0), ETXTBSY);
	int fd = open(TDIR "/prog", O_RDONLY);
	check("reading it is fine", fd >= 0, "%s", errno_name(errno));
	close(fd);
	write(p[1], &c, 1);
	check_exited("the program ran to its end", t_wait(pid, T_WAIT_TICKS), 0);
	close(p[0]);
	close(p[1]);
	fd = open(TDIR "/prog", O_WRONLY);
	check("after it ended: open for writing works", fd >= 0, "%s", errno_name(errno));
	pid = t_fork();
	if (pid == 0) {
		char *argv[] = { TDIR "/prog", "--exit", NULL };
		execv(argv[0], argv);
		_exit(errno == ETXTBSY ? 26 : 1);
	}
	check_exited("exec of a file open for writing: ETXTBSY", t_wait(pid, T_WAIT_TICKS), 26);
	close(fd);
	unlink(TDIR "/prog");
}

/* ---- O_PATH ---------------------------------------------------------------------------------------------- */

static void test_o_path(void)
{
	int fd = open(TDIR "/opath", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	write(fd, "data", 4);
	close(fd);
	fd = open(TDIR "/opath", O_PATH | O_WRONLY | O_TRUNC);
	check("open O_PATH (with O_WRONLY|O_TRUNC, ignored)", fd >= 0, "%s", errno_name(errno));
	check_eq("... did not truncate", stat_of(TDIR "/opath").st_size, 4);
	char c;
	check_errno("read on O_PATH: EBADF", read(fd, &c, 1), EBADF);
	check_errno("write on O_PATH: EBADF", write(fd, "x", 1), EBADF);
	struct stat st;
	check("fstat on O_PATH works", fstat(fd, &st) == 0 && st.st_size == 4, "%s", errno_name(errno));
	close(fd);
	symlink("opath", TDIR "/opath-link");
	fd = open(TDIR "/opath-link", O_PATH | O_NOFOLLOW);
	check("O_PATH|O_NOFOLLOW on a symlink: the link itself", fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode),
	      "%s", errno_name(errno));
	close(fd);
	unlink(TDIR "/opath-link");
	unlink(TDIR "/opath");
}

static void cleanup(void)
{
	unlink(TDIR "/fifo");
	unlink(TDIR "/plain");
	unlink(TDIR "/dev");
	unlink(TDIR "/f");
	unlink(TDIR "/open");
	unlink(TDIR "/fa");
	unlink(TDIR "/jail/inside");
	rmdir(TDIR "/jail");
	rmdir(TDIR);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--wait-stdin")) {
		char c;
		return read(0, &c, 1) == 1 ? 0 : 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	t_set_self(argv);
	snprintf(self_path, sizeof(self_path), "%s", t_self());
	t_begin("everyday");
	if (getuid() != 0) {
		t_skip("everything", "needs to start as root");
		return t_end();
	}
	cleanup();
	umask(022);
	mkdir(TDIR, 0755);
	test_utimensat();
	test_statfs();
	test_chroot();
	test_prctl();
	test_fallocate();
	test_mknod();
	test_text_busy();
	test_o_path();
	cleanup();
	return t_end();
}
