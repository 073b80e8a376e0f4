/*
 * symlinks: symbolic links (course section: files).
 *
 * A symbolic link is a file whose contents is a path. Most calls follow it
 * (open, stat, chdir, execve, a directory in the middle of a path); some act
 * on the link itself (lstat, readlink, unlink, rename, link without
 * AT_SYMLINK_FOLLOW, open with O_NOFOLLOW or O_CREAT|O_EXCL). Relative
 * targets are read from the link's own directory, a dangling link is fine
 * until followed, open(O_CREAT) through one creates its target, and a loop
 * ends with ELOOP after 40 links. Every errno Linux gives for symlink and
 * readlink, and no leak.
 *
 * Everything happens in a fresh directory under /tmp, removed at the end.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <limits.h>
#include <sys/utsname.h>

#include "testlib.h"

static char dir[64]; /* /tmp/symlinks-PID */

static const char *in_dir(const char *name)
{
	static char bufs[4][256];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, 256, "%s/%s", dir, name);
	return b;
}

/* Is this Linux at least major.minor? (Rules that changed are checked
 * only where they hold.) */
static int linux_at_least(int major, int minor)
{
	struct utsname u;
	char *dot;
	if (uname(&u) < 0)
		return 0;
	long ma = strtol(u.release, &dot, 10);
	long mi = *dot == '.' ? strtol(dot + 1, NULL, 10) : 0;
	return ma > major || (ma == major && mi >= minor);
}

static void make_file(const char *name, const char *text)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

/* The file's contents as a string ("" if it cannot be read). */
static const char *contents(const char *path)
{
	static char buf[128];
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : 0;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static const char *link_text(const char *path)
{
	static char buf[PATH_MAX];
	long n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void basics(void)
{
	struct stat st, lst;
	make_file("file", "hello");
	check_ok("symlink(\"file\", \"ln\")", symlink("file", in_dir("ln")));
	check("open follows it", strcmp(contents(in_dir("ln")), "hello") == 0, "read \"%s\"", contents(in_dir("ln")));
	check_ok("stat follows it", stat(in_dir("ln"), &st));
	check("stat sees the regular file", S_ISREG(st.st_mode) && st.st_size == 5, "mode %o size %ld", st.st_mode,
	      (long)st.st_size);
	check_ok("lstat does not", lstat(in_dir("ln"), &lst));
	check("lstat sees a link, sized as its target's name (4)", S_ISLNK(lst.st_mode) && lst.st_size == 4,
	      "mode %o size %ld", lst.st_mode, (long)lst.st_size);
	check_eqx("a link's permissions are 0777", lst.st_mode & 07777, 0777);
	check("the link is an inode of its own", lst.st_ino != st.st_ino, "same inode");
	check_ok("fstatat with AT_SYMLINK_NOFOLLOW acts like lstat", fstatat(AT_FDCWD, in_dir("ln"), &lst,
									  AT_SYMLINK_NOFOLLOW));
	check("(a link)", S_ISLNK(lst.st_mode), "mode %o", lst.st_mode);

	char buf[64];
	check_eq("readlink gives the target's length", readlink(in_dir("ln"), buf, sizeof(buf)), 4);
	check("and the target, without a NUL", memcmp(buf, "file", 4) == 0, "got %.4s", buf);
	check_eq("a 2-byte buffer: the first 2 bytes", readlink(in_dir("ln"), buf, 2), 2);
	check_errno("readlink of a regular file: EINVAL", readlink(in_dir("file"), buf, sizeof(buf)), EINVAL);
	check_errno("readlink with size 0: EINVAL", syscall(SYS_readlink, in_dir("ln"), buf, 0), EINVAL);
	check_errno("readlink with size -1: EINVAL", syscall(SYS_readlink, in_dir("ln"), buf, -1), EINVAL);
	check_errno("readlink of a missing name: ENOENT", readlink(in_dir("missing"), buf, sizeof(buf)), ENOENT);
	check_errno("readlink into a kernel address: EFAULT",
		    syscall(SYS_readlink, in_dir("ln"), 0xffff800000000000ul, 64), EFAULT);
	check_errno("readlink of a path at address 1: EFAULT", syscall(SYS_readlink, 1, buf, 64), EFAULT);

	check_errno("symlink over an existing name: EEXIST", symlink("x", in_dir("file")), EEXIST);
	check_errno("symlink over an existing link: EEXIST", symlink("x", in_dir("ln")), EEXIST);
	check_errno("an empty target: ENOENT", symlink("", in_dir("empty")), ENOENT);
	check_errno("in a missing directory: ENOENT", symlink("x", in_dir("missing/l")), ENOENT);
	check_errno("under a file: ENOTDIR", symlink("x", in_dir("file/l")), ENOTDIR);
	check_errno("target at address 1: EFAULT", syscall(SYS_symlink, 1, in_dir("bad")), EFAULT);
	static char huge[PATH_MAX + 1];
	memset(huge, 'a', PATH_MAX);
	check_errno("a target of PATH_MAX bytes: ENAMETOOLONG", symlink(huge, in_dir("long")), ENAMETOOLONG);
	check_errno("in /proc: ENOENT", symlink("x", "/proc/mylink"), ENOENT);

	check_ok("unlink removes the link", unlink(in_dir("ln")));
	check("and leaves the file", strcmp(contents(in_dir("file")), "hello") == 0, "file changed");
	unlink(in_dir("file"));
}

static void dangling_and_create(void)
{
	struct stat st;
	check_ok("a link to a name that does not exist", symlink("later", in_dir("dang")));
	check_errno("stat of it: ENOENT", stat(in_dir("dang"), &st), ENOENT);
	check_ok("lstat of it works", lstat(in_dir("dang"), &st));
	check_errno("open without O_CREAT: ENOENT", open(in_dir("dang"), O_RDONLY), ENOENT);
	check_errno("O_CREAT | O_EXCL: EEXIST (the link is a name)", open(in_dir("dang"), O_WRONLY | O_CREAT | O_EXCL, 0600),
		    EEXIST);
	int fd = open(in_dir("dang"), O_WRONLY | O_CREAT, 0600);
	check_ok("open with O_CREAT creates the target", fd);
	write(fd, "made", 4);
	close(fd);
	check("the file is \"later\", in the link's directory", strcmp(contents(in_dir("later")), "made") == 0,
	      "later holds \"%s\"", contents(in_dir("later")));
	check_ok("stat through the link now works", stat(in_dir("dang"), &st));
	check_errno("O_NOFOLLOW on a link: ELOOP", open(in_dir("dang"), O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(in_dir("later"), O_RDONLY | O_NOFOLLOW);
	check_ok("O_NOFOLLOW on a plain file opens it", fd);
	close(fd);
	check_errno("mkdir over a link: EEXIST", mkdir(in_dir("dang"), 0755), EEXIST);
	check_errno("rmdir of a link: ENOTDIR", rmdir(in_dir("dang")), ENOTDIR);
	unlink(in_dir("dang"));
	unlink(in_dir("later"));
}

static void directories(void)
{
	struct stat st;
	char cwd[PATH_MAX], real[PATH_MAX];
	mkdir(in_dir("d"), 0755);
	make_file("d/inner", "in d");
	check_ok("a link to a directory", symlink("d", in_dir("dl")));
	check("a path through it", strcmp(contents(in_dir("dl/inner")), "in d") == 0, "read \"%s\"",
	      contents(in_dir("dl/inner")));
	check_ok("stat of \"dl/\" (a slash: follow)", stat(in_dir("dl/"), &st));
	check("is the directory", S_ISDIR(st.st_mode), "mode %o", st.st_mode);
	check_ok("lstat of \"dl/\" follows too", lstat(in_dir("dl/"), &st));
	check("(a slash names a directory)", S_ISDIR(st.st_mode), "mode %o", st.st_mode);
	getcwd(cwd, sizeof(cwd));
	check_ok("chdir through it", chdir(in_dir("dl")));
	getcwd(real, sizeof(real));
	check("getcwd names the directory, not the link", strcmp(real, in_dir("d")) == 0, "got %s", real);
	chdir(cwd);

	check_ok("a relative target with ..", symlink("../d/inner", in_dir("d/up")));
	check("is read from the link's directory", strcmp(contents(in_dir("d/up")), "in d") == 0, "read \"%s\"",
	      contents(in_dir("d/up")));
	check_ok("an absolute target", symlink(in_dir("d/inner"), in_dir("abs")));
	check("works from anywhere", strcmp(contents(in_dir("abs")), "in d") == 0, "read \"%s\"",
	      contents(in_dir("abs")));
	check_ok("a link to a link to a directory", symlink("dl", in_dir("dll")));
	check("two links in a row, then a name", strcmp(contents(in_dir("dll/inner")), "in d") == 0, "read \"%s\"",
	      contents(in_dir("dll/inner")));
	check_ok("a link to \"/\"", symlink("/", in_dir("root")));
	check_ok("stat through it", stat(in_dir("root/proc"), &st));

	make_file("plain", "p");
	symlink("plain", in_dir("pl"));
	check_errno("\"pl/\" where pl links to a file: ENOTDIR", stat(in_dir("pl/"), &st), ENOTDIR);
	check_errno("\"pl/x\": ENOTDIR", open(in_dir("pl/x"), O_RDONLY), ENOTDIR);

	int dfd = open(in_dir("d"), O_RDONLY | O_DIRECTORY);
	check_ok("symlinkat relative to a directory descriptor", symlinkat("inner", dfd, "rel"));
	char buf[16] = { 0 };
	check_eq("readlinkat through the same descriptor", readlinkat(dfd, "rel", buf, sizeof(buf)), 5);
	check_errno("symlinkat with fd 99: EBADF", symlinkat("x", 99, "y"), EBADF);
	check_errno("readlinkat with fd 99: EBADF", readlinkat(99, "rel", buf, sizeof(buf)), EBADF);
	close(dfd);

	DIR *d = opendir(dir);
	int lnk = 0;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, "dl") == 0)
			lnk = e->d_type == DT_LNK;
	closedir(d);
	check("getdents says DT_LNK for a link", lnk, "it does not");

	unlink(in_dir("d/rel"));
	unlink(in_dir("d/up"));
	unlink(in_dir("d/inner"));
	unlink(in_dir("abs"));
	unlink(in_dir("dll"));
	unlink(in_dir("root"));
	unlink(in_dir("dl"));
	unlink(in_dir("pl"));
	unlink(in_dir("plain"));
	check_ok("the directory is empty again", rmdir(in_dir("d")));
}

/* A trailing slash says "a directory": lookups follow a link to see if it
 * leads to one, but the calls that change names act on the link itself,
 * which is not a directory. */
static void slashes(void)
{
	struct stat st;
	mkdir(in_dir("d"), 0755);
	make_file("d/in", "x");
	make_file("f", "y");
	symlink("d", in_dir("ld"));
	symlink("f/", in_dir("lfs"));
	symlink("missing", in_dir("dang"));
	check_errno("a link to \"f/\" where f is a file: ENOTDIR", stat(in_dir("lfs"), &st), ENOTDIR);
	check_errno("unlink(\"ld/\"): ENOTDIR (the link is no directory)", unlink(in_dir("ld/")), ENOTDIR);
	check_errno("rmdir(\"ld/\"): ENOTDIR", rmdir(in_dir("ld/")), ENOTDIR);
	check_errno("rename(\"ld/\", ...): ENOTDIR", rename(in_dir("ld/"), in_dir("moved")), ENOTDIR);
	check_ok("and the directory is still there", stat(in_dir("d/in"), &st));
	check_errno("mkdir(\"dang/\"): EEXIST", mkdir(in_dir("dang/"), 0755), EEXIST);
	check_errno("and it did not make the link's target", lstat(in_dir("missing"), &st), ENOENT);
	if (on_sysgate() || linux_at_least(6, 4))
		check_errno("O_CREAT | O_DIRECTORY: EINVAL (Linux 6.4 and later)",
			    open(in_dir("dang"), O_CREAT | O_DIRECTORY | O_RDONLY, 0600), EINVAL);
	else
		t_skip("O_CREAT | O_DIRECTORY: EINVAL", "Linux before 6.4 answered otherwise");
	check_errno("O_DIRECTORY | O_NOFOLLOW on a link: ENOTDIR", open(in_dir("ld"), O_RDONLY | O_DIRECTORY | O_NOFOLLOW),
		    ENOTDIR);
	check_ok("\"ld/../f\": .. is the parent of where the link led", stat(in_dir("ld/../f"), &st));
	unlink(in_dir("ld"));
	unlink(in_dir("lfs"));
	unlink(in_dir("dang"));
	unlink(in_dir("f"));
	unlink(in_dir("d/in"));
	rmdir(in_dir("d"));
}

static void loops(void)
{
	struct stat st;
	symlink("b", in_dir("a"));
	symlink("a", in_dir("b"));
	check_errno("a -> b -> a: ELOOP", stat(in_dir("a"), &st), ELOOP);
	check_errno("open: ELOOP", open(in_dir("a"), O_RDONLY), ELOOP);
	check_errno("as a directory in a path: ELOOP", stat(in_dir("a/x"), &st), ELOOP);
	check_ok("lstat is fine", lstat(in_dir("a"), &st));
	symlink("self", in_dir("self"));
	check_errno("a link to itself: ELOOP", open(in_dir("self"), O_RDONLY | O_CREAT, 0600), ELOOP);

	/* A chain of 40 links works, 41 does not (Linux's limit). */
	make_file("end", "end");
	char name[16], next[16];
	for (int k = 1; k <= 41; k++) {
		snprintf(name, sizeof(name), "c%d", k);
		if (k == 1)
			snprintf(next, sizeof(next), "end");
		else
			snprintf(next, sizeof(next), "c%d", k - 1);
		symlink(next, in_dir(name));
	}
	check("a chain of 40 links is followed", strcmp(contents(in_dir("c40")), "end") == 0, "read \"%s\"",
	      contents(in_dir("c40")));
	check_errno("a chain of 41: ELOOP", stat(in_dir("c41"), &st), ELOOP);
	for (int k = 1; k <= 41; k++) {
		snprintf(name, sizeof(name), "c%d", k);
		unlink(in_dir(name));
	}
	unlink(in_dir("end"));
	unlink(in_dir("a"));
	unlink(in_dir("b"));
	unlink(in_dir("self"));
}

static void renames_and_links(void)
{
	struct stat st, lst;
	make_file("t", "target");
	symlink("t", in_dir("l1"));
	check_ok("rename moves the link", rename(in_dir("l1"), in_dir("l2")));
	check("which still leads to the file", strcmp(link_text(in_dir("l2")), "t") == 0, "target %s",
	      link_text(in_dir("l2")));
	check_ok("link() gives the LINK a second name", link(in_dir("l2"), in_dir("hard")));
	lstat(in_dir("hard"), &lst);
	check("the new name is a link too, with 2 names", S_ISLNK(lst.st_mode) && lst.st_nlink == 2, "mode %o nlink %lu",
	      lst.st_mode, (unsigned long)lst.st_nlink);
	check_ok("linkat with AT_SYMLINK_FOLLOW names the file instead",
		 linkat(AT_FDCWD, in_dir("l2"), AT_FDCWD, in_dir("hard2"), AT_SYMLINK_FOLLOW));
	lstat(in_dir("hard2"), &lst);
	stat(in_dir("t"), &st);
	check("the same inode as the file", S_ISREG(lst.st_mode) && lst.st_ino == st.st_ino, "mode %o", lst.st_mode);
	check_ok("chmod follows the link", chmod(in_dir("l2"), 0600));
	stat(in_dir("t"), &st);
	check_eqx("the file's mode changed", st.st_mode & 0777, 0600);
	check_ok("truncate follows it", truncate(in_dir("l2"), 2));
	check("the file is cut to 2 bytes", strcmp(contents(in_dir("t")), "ta") == 0, "holds \"%s\"",
	      contents(in_dir("t")));
	unlink(in_dir("t"));
	check_errno("with the file gone, the link dangles: ENOENT", stat(in_dir("l2"), &st), ENOENT);
	unlink(in_dir("l2"));
	unlink(in_dir("hard"));
	unlink(in_dir("hard2"));
}

static void exec_through_link(void)
{
	check_ok("a link to /bin/true", symlink("/bin/true", in_dir("t")));
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)in_dir("t"), NULL };
		execve(argv[0], argv, NULL);
		_exit(99);
	}
	check_exited("execve runs the program it leads to", t_wait(pid, T_WAIT_TICKS), 0);
	unlink(in_dir("t"));
}

static void churn(void)
{
	for (int k = 0; k < 50; k++) {
		symlink("some/longer/target/name", in_dir("x"));
		symlink("x", in_dir("y"));
		struct stat st;
		stat(in_dir("y"), &st);
		rename(in_dir("y"), in_dir("z"));
		unlink(in_dir("x"));
		unlink(in_dir("z"));
	}
}

int main(void)
{
	t_begin("symlinks");
	snprintf(dir, sizeof(dir), "/tmp/symlinks-%d", getpid());
	mkdir(dir, 0755);
	basics();
	dangling_and_create();
	directories();
	slashes();
	loops();
	renames_and_links();
	if (access("/bin/true", X_OK) == 0)
		exec_through_link();
	else
		t_skip("execve through a link", "no /bin/true");
	if (on_sysgate())
		t_leak_test("50 rounds of links made, followed, renamed and removed: no frame or heap byte lost", churn);
	else
		t_skip("leaks", "sysgate only");
	check_ok("the scratch directory is empty at the end", rmdir(dir));
	return t_end();
}
