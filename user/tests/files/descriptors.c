/*
 * files: chmod and fsync; descriptors (course section: files and directories;  bad-input catalogue
 * "Syscall entry and pointers" 2). One part of the files test: main.c runs it.
 */
#include "files.h"

/* ---- chmod and fsync ---------------------------------------------------------------------- */

unsigned mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_mode : 0;
}

void test_chmod_fsync(void)
{
	make_file("cm", "x");
	check_eq("chmod 0600", chmod(in_dir("cm"), 0600), 0);
	check_eq("stat shows it, the type kept", mode_of(in_dir("cm")), S_IFREG | 0600);
	check_eq("chmod 07777: set-id and sticky bits too", chmod(in_dir("cm"), 0177777), 0);
	check_eq("only the low twelve bits change", mode_of(in_dir("cm")), S_IFREG | 07777);
	int fd = open(in_dir("cm"), O_RDONLY);
	check_eq("fchmod on a read-only descriptor", fchmod(fd, 0640), 0);
	check_eq("fstat agrees", mode_of(in_dir("cm")), S_IFREG | 0640);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("fchmodat relative to a directory fd", fchmodat(dfd, "cm", 0604, 0), 0);
	check_eq("stat agrees", mode_of(in_dir("cm")), S_IFREG | 0604);
	check_errno("fchmodat with flags 0x12345: EINVAL", fchmodat(dfd, "cm", 0604, 0x12345), EINVAL);
	check_errno("fchmodat from fd 99: EBADF", fchmodat(99, "cm", 0604, 0), EBADF);
	check_errno("chmod a missing file: ENOENT", chmod(in_dir("nope"), 0600), ENOENT);
	check_errno("chmod through a file: ENOTDIR", chmod(in_dir("cm/x"), 0600), ENOTDIR);
	check_errno("chmod(NULL): EFAULT", chmod(NULL, 0600), EFAULT);
	check_errno("fchmod(99): EBADF", fchmod(99, 0600), EBADF);
	mkdir(in_dir("cmd"), 0700);
	check_eq("chmod a directory 01777", chmod(in_dir("cmd"), 01777), 0);
	check_eq("it is sticky now", mode_of(in_dir("cmd")), S_IFDIR | 01777);
	rmdir(in_dir("cmd"));

	int p[2], null = open("/dev/null", O_WRONLY);
	pipe(p);
	check_eq("fsync a file", fsync(fd), 0);
	check_eq("fdatasync a file", fdatasync(fd), 0);
	check_eq("fsync a directory", fsync(dfd), 0);
	check_errno("fsync a pipe: EINVAL", fsync(p[1]), EINVAL);
	check_errno("fdatasync a pipe: EINVAL", fdatasync(p[0]), EINVAL);
	check_errno("fsync /dev/null: EINVAL", fsync(null), EINVAL);
	check_errno("fsync(99): EBADF", fsync(99), EBADF);
	check_eq("syncfs a pipe: 0 (the filesystem is synced)", syncfs(p[0]), 0);
	check_errno("syncfs(99): EBADF", syncfs(99), EBADF);
	sync();
	t_pass("sync returns");
	close(p[0]);
	close(p[1]);
	close(null);
	close(dfd);
	close(fd);
	unlink(in_dir("cm"));
}

void test_truncate(void)
{
	PATH_IN(f, "tr");
	char buf[16];
	int fd, p[2];

	make_file("tr", "0123456789");
	fd = open(f, O_RDWR);
	check_eq("ftruncate to 4", ftruncate(fd, 4), 0);
	check_eq("the size is 4", size_of(f), 4);
	check_eq("ftruncate to 8192 grows it", ftruncate(fd, 8192), 0);
	memset(buf, 1, sizeof(buf));
	pread(fd, buf, 8, 4);
	check("the new part reads as zeros", buf[0] == 0 && buf[7] == 0, "got %d", buf[0]);
	check_errno("ftruncate to -1: EINVAL", ftruncate(fd, -1), EINVAL);
	close(fd);
	fd = open(f, O_RDONLY);
	check_errno("ftruncate of a read-only descriptor: EINVAL", ftruncate(fd, 0), EINVAL);
	close(fd);
	check_eq("truncate by path", truncate(f, 2), 0);
	check_eq("the size is 2", size_of(f), 2);
	check_errno("truncate a directory: EISDIR", truncate(dir, 0), EISDIR);
	pipe(p);
	check_errno("ftruncate of a pipe: EINVAL", ftruncate(p[1], 0), EINVAL);
	close(p[0]);
	close(p[1]);
	check_errno("ftruncate of fd 99: EBADF", ftruncate(99, 0), EBADF);
	unlink(f);
}

void test_cwd(void)
{
	char buf[PATH_MAX], old[PATH_MAX];
	int fd;

	getcwd(old, sizeof(old));
	check_eq("chdir to the scratch directory", chdir(dir), 0);
	check("getcwd returns it", getcwd(buf, sizeof(buf)) && strcmp(buf, dir) == 0, "got \"%s\"", buf);
	check_eq("the raw getcwd returns the length with the NUL",
		 syscall(SYS_getcwd, buf, sizeof(buf)), (long)strlen(dir) + 1);
	check_errno("getcwd into 1 byte: ERANGE", syscall(SYS_getcwd, buf, 1), ERANGE);
	check_errno("getcwd into strlen bytes (no room for the NUL): ERANGE",
		    syscall(SYS_getcwd, buf, strlen(dir)), ERANGE);
	check_errno("getcwd into a kernel address: EFAULT",
		    syscall(SYS_getcwd, 0xffffffff80100000UL, sizeof(buf)), EFAULT);
	fd = open("f", O_RDONLY);
	check("a relative path starts at the new cwd", fd >= 0, "got -1 %s", errno_name(errno));
	close(fd);
	mkdir("cd", 0700);
	check_eq("chdir to a relative subdirectory", chdir("cd"), 0);
	check_eq("chdir ..", chdir(".."), 0);
	check("getcwd is back", getcwd(buf, sizeof(buf)) && strcmp(buf, dir) == 0, "got \"%s\"", buf);
	check_errno("chdir to a file: ENOTDIR", chdir("f"), ENOTDIR);
	check_errno("chdir to a missing directory: ENOENT", chdir("nope"), ENOENT);
	fd = open("cd", O_RDONLY | O_DIRECTORY);
	check_eq("fchdir", fchdir(fd), 0);
	check("getcwd after fchdir", getcwd(buf, sizeof(buf)) && strcmp(buf, in_dir("cd")) == 0,
	      "got \"%s\"", buf);
	close(fd);
	/* Our cwd removed under us: it holds no names any more, and takes none. */
	check_eq("rmdir the directory we are in", rmdir(in_dir("cd")), 0);
	check_errno("create a file in it: ENOENT", open("x", O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("mkdir in it: ENOENT", mkdir("y", 0700), ENOENT);
	make_file("mv", "x");
	check_errno("rename into it: ENOENT", rename(in_dir("mv"), "z"), ENOENT);
	check_errno("link into it: ENOENT", link(in_dir("mv"), "z"), ENOENT);
	unlink(in_dir("mv"));
	chdir(old);
}

/* ---- descriptors --------------------------------------------------------------------------- */

void test_dup(void)
{
	int fd = open(in_dir("f"), O_RDWR), a, b;
	char c;

	a = dup(fd);
	check("dup returns a new descriptor", a >= 0 && a != fd, "got %d", a);
	lseek(fd, 0, SEEK_SET);
	write(a, "Q", 1);
	check_eq("dup'd descriptors share the position", lseek(fd, 0, SEEK_CUR), 1);
	close(a);
	check_eq("dup returns the lowest free number", dup(fd), a);
	close(a);
	check_eq("dup2 to a chosen number", dup2(fd, 50), 50);
	check_eq("dup2 onto itself returns it", dup2(fd, fd), fd);
	b = open(in_dir("f"), O_RDONLY);
	check_eq("dup2 over an open descriptor closes it", dup2(fd, b), b);
	check_eq("which now is fd's file (shared position)", lseek(b, 3, SEEK_SET) == 3 &&
							 lseek(fd, 0, SEEK_CUR) == 3, 1);
	check_errno("dup2 from fd 99: EBADF", dup2(99, 51), EBADF);
	check_errno("dup2 to -1: EBADF", dup2(fd, -1), EBADF);
	check_errno("dup2 to 1<<20: EBADF", dup2(fd, 1 << 20), EBADF);
	check_errno("dup3 onto itself: EINVAL", dup3(fd, fd, 0), EINVAL);
	check_errno("dup3 with O_NONBLOCK: EINVAL", dup3(fd, 52, O_NONBLOCK), EINVAL);
	check_eq("dup3 with O_CLOEXEC", dup3(fd, 52, O_CLOEXEC), 52);
	check_eq("sets FD_CLOEXEC", fcntl(52, F_GETFD), FD_CLOEXEC);
	check_errno("dup of fd 99: EBADF", dup(99), EBADF);
	close(50);
	close(52);
	close(b);
	check_errno("a closed descriptor: EBADF", read(b, &c, 1), EBADF);
	check_errno("closing it again: EBADF", close(b), EBADF);
	close(fd);
}

void test_fcntl(void)
{
	int fd = open(in_dir("f"), O_RDONLY), d;

	d = fcntl(fd, F_DUPFD, 20);
	check("F_DUPFD 20 returns >= 20", d >= 20, "got %d", d);
	check_eq("F_DUPFD's copy has no FD_CLOEXEC", fcntl(d, F_GETFD), 0);
	check_eq("F_DUPFD 20 again takes the next one", fcntl(fd, F_DUPFD, 20), d + 1);
	close(d);
	close(d + 1);
	d = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	check("F_DUPFD_CLOEXEC 30", d >= 30 && fcntl(d, F_GETFD) == FD_CLOEXEC, "got %d", d);
	check_eq("F_SETFD 0", fcntl(d, F_SETFD, 0), 0);
	check_eq("F_GETFD after F_SETFD 0", fcntl(d, F_GETFD), 0);
	check_eq("F_SETFD FD_CLOEXEC", fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	check_eq("F_GETFD after F_SETFD FD_CLOEXEC", fcntl(d, F_GETFD), FD_CLOEXEC);
	check_eq("FD_CLOEXEC is per descriptor", fcntl(fd, F_GETFD), 0);
	close(d);
	check_errno("F_DUPFD with a negative minimum: EINVAL", fcntl(fd, F_DUPFD, -1), EINVAL);
	check_errno("fcntl on fd 99: EBADF", fcntl(99, F_GETFD), EBADF);
	check_errno("fcntl command 9999: EINVAL", fcntl(fd, 9999), EINVAL);
	close(fd);

	fd = open(in_dir("f"), O_WRONLY);
	check_eq("F_GETFL of an O_WRONLY fd", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK), O_WRONLY);
	check_eq("F_SETFL O_APPEND|O_NONBLOCK", fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK), 0);
	check_eq("F_GETFL shows both", fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
		 O_WRONLY | O_APPEND | O_NONBLOCK);
	/* The access mode is fixed at open: F_SETFL ignores those bits. */
	fcntl(fd, F_SETFL, O_RDWR);
	check_eq("F_SETFL cannot change the access mode", fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	close(fd);
}

/* Opens (dup) until EMFILE; closes them all; then a dup works again. Run in
 * a child, because on Linux it first lowers the descriptor limit to 256 so
 * that it does not open thousands. */
void emfile_child(long unused)
{
	static const unsigned long lim[2] = { 256, 256 };
	static int fds[100000];
	int n = 0, err = 0;

	(void)unused;
	if (!on_sysgate())
		syscall(160, 7, lim);	/* setrlimit(RLIMIT_NOFILE) */
	while (n < 100000) {
		int fd = n % 2 ? dup(0) : open(dir, O_RDONLY);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[n++] = fd;
	}
	if (err != EMFILE)
		_exit(1);
	if (dup2(0, fds[0] + 100000) != -1 || errno != EBADF)
		_exit(2);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (dup(0) < 0)
		_exit(3);
	_exit(0);
}

void test_emfile(void)
{
	int st = run_child(emfile_child, 0);

	check("open until EMFILE, dup2 beyond the limit gives EBADF, close all, dup again",
	      st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "expected exit 0, got %s (1: not EMFILE, 2: dup2 not EBADF, 3: no dup after)",
	      status_text(st));
}
