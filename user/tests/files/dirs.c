/*
 * files: directories; hard links; the borders between filesystems (course section: files and
 * directories;  bad-input catalogue "Syscall entry and pointers" 2). One part of the files test:
 * main.c runs it.
 */
#include "files.h"

/* ---- directories ------------------------------------------------------------------------- */

/* Lists dir with getdents64 in a buffer of bufsize bytes; sets bit i of
 * *found for each names[i] seen with the right type, counts all entries. */
int list_dir(const char *path, size_t bufsize, const char *const names[], const int types[],
		    int n, unsigned *found)
{
	char *buf = malloc(bufsize);
	int fd = open(path, O_RDONLY | O_DIRECTORY), entries = 0;
	long got;

	*found = 0;
	while ((got = getdents64(fd, buf, bufsize)) > 0) {
		for (long off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(buf + off);
			for (int i = 0; i < n; i++)
				if (strcmp(d->d_name, names[i]) == 0 && d->d_type == types[i])
					*found |= 1u << i;
			entries++;
			off += d->d_reclen;
		}
	}
	close(fd);
	free(buf);
	return got < 0 ? -1 : entries;
}

void test_getdents(void)
{
	static const char *const names[] = { ".", "..", "d1", "d2", "d3", "sub" };
	static const int types[] = { DT_DIR, DT_DIR, DT_REG, DT_REG, DT_REG, DT_DIR };
	PATH_IN(sub, "ls");
	char path[256], buf[512];
	unsigned found;
	int fd, n;

	mkdir(sub, 0700);
	for (int i = 2; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		close(open(path, O_WRONLY | O_CREAT, 0600));
	}
	snprintf(path, sizeof(path), "%s/sub", sub);
	mkdir(path, 0700);
	n = list_dir(sub, 4096, names, types, 6, &found);
	check_eq("getdents64 lists 6 entries", n, 6);
	check_eqx("with their names and types (bit per entry)", found, 0x3f);
	n = list_dir(sub, 40, names, types, 6, &found);
	check("a 40-byte buffer (one entry a call) lists them all, once each", n == 6 && found == 0x3f,
	      "got %d entries, mask %#x", n, found);
	fd = open(sub, O_RDONLY | O_DIRECTORY);
	check_errno("getdents64 with a 10-byte buffer: EINVAL", getdents64(fd, buf, 10), EINVAL);
	check_errno("getdents64 into a kernel address: EFAULT",
		    getdents64(fd, (void *)0xffffffff80100000UL, sizeof(buf)), EFAULT);
	close(fd);
	fd = open(in_dir("f"), O_RDONLY);
	check_errno("getdents64 on a file: ENOTDIR", getdents64(fd, buf, sizeof(buf)), ENOTDIR);
	close(fd);
	check_errno("getdents64 on fd 99: EBADF", getdents64(99, buf, sizeof(buf)), EBADF);
	for (int i = 2; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", sub);
	rmdir(path);
	rmdir(sub);
}

void test_mkdir_rmdir(void)
{
	PATH_IN(d, "d");

	check_eq("mkdir", mkdir(d, 0700), 0);
	check_errno("mkdir again: EEXIST", mkdir(d, 0700), EEXIST);
	check_errno("mkdir over a file: EEXIST", mkdir(in_dir("f"), 0700), EEXIST);
	check_errno("mkdir in a missing directory: ENOENT", mkdir(in_dir("nope/d"), 0700), ENOENT);
	check_errno("mkdir under a file: ENOTDIR", mkdir(in_dir("f/d"), 0700), ENOTDIR);
	make_file("d/inner", "x");
	check_errno("rmdir a non-empty directory: ENOTEMPTY", rmdir(d), ENOTEMPTY);
	check_errno("rmdir a file: ENOTDIR", rmdir(in_dir("d/inner")), ENOTDIR);
	check_errno("rmdir a missing directory: ENOENT", rmdir(in_dir("nope")), ENOENT);
	check_errno("rmdir \".\": EINVAL", rmdir(in_dir("d/.")), EINVAL);
	check_errno("unlink a directory: EISDIR", unlink(d), EISDIR);
	check_errno("unlink a missing file: ENOENT", unlink(in_dir("nope")), ENOENT);
	check_eq("unlink a file", unlink(in_dir("d/inner")), 0);
	check_eq("rmdir the now empty directory", rmdir(d), 0);
	check_errno("and it is gone", access(d, F_OK), ENOENT);
}

void test_rename(void)
{
	char buf[32];

	make_file("r1", "one");
	make_file("r2", "two");
	check_eq("rename a file over another", rename(in_dir("r1"), in_dir("r2")), 0);
	slurp(in_dir("r2"), buf, sizeof(buf));
	check("the target now has the source's content", strcmp(buf, "one") == 0, "got \"%s\"", buf);
	check_errno("the source name is gone", access(in_dir("r1"), F_OK), ENOENT);
	check_eq("rename to the same name", rename(in_dir("r2"), in_dir("r2")), 0);
	check_errno("rename a missing file: ENOENT", rename(in_dir("nope"), in_dir("r3")), ENOENT);
	mkdir(in_dir("rd"), 0700);
	mkdir(in_dir("rd/sub"), 0700);
	check_errno("rename a directory into its own subdirectory: EINVAL",
		    rename(in_dir("rd"), in_dir("rd/sub/x")), EINVAL);
	check_errno("rename a file over a directory: EISDIR", rename(in_dir("r2"), in_dir("rd")), EISDIR);
	check_errno("rename a directory over a file: ENOTDIR", rename(in_dir("rd"), in_dir("r2")), ENOTDIR);
	mkdir(in_dir("empty"), 0700);
	check_errno("rename a directory over a non-empty one: ENOTEMPTY",
		    rename(in_dir("empty"), in_dir("rd")), ENOTEMPTY);
	check_eq("rename a directory over an empty one", rename(in_dir("rd/sub"), in_dir("empty")), 0);
	check_eq("rename a directory", rename(in_dir("rd"), in_dir("rd2")), 0);
	check_eq("renameat with directory fds",
		 renameat(AT_FDCWD, in_dir("r2"), AT_FDCWD, in_dir("r4")), 0);
	rmdir(in_dir("empty"));
	rmdir(in_dir("rd2"));
	unlink(in_dir("r4"));
}

/* A path that ends in '/' names a directory, or nothing. */
void test_trailing_slash(void)
{
	make_file("sf", "x");
	mkdir(in_dir("sd"), 0700);
	check_errno("open \"file/\": ENOTDIR", open(in_dir("sf/"), O_RDONLY), ENOTDIR);
	check_errno("open \"new/\" with O_CREAT: EISDIR", open(in_dir("sn/"), O_RDONLY | O_CREAT, 0600), EISDIR);
	check_errno("and nothing was created", access(in_dir("sn"), F_OK), ENOENT);
	int fd = open(in_dir("sd/"), O_RDONLY);
	check_ok("open \"dir/\"", fd);
	close(fd);
	check_errno("unlink \"file/\": ENOTDIR", unlink(in_dir("sf/")), ENOTDIR);
	check_errno("rename \"file/\": ENOTDIR", rename(in_dir("sf/"), in_dir("sg")), ENOTDIR);
	check_errno("rename a file to \"new/\": ENOTDIR", rename(in_dir("sf"), in_dir("sg/")), ENOTDIR);
	check_eq("rename \"dir/\" to \"new/\"", rename(in_dir("sd/"), in_dir("se/")), 0);
	check_eq("the file is still there", access(in_dir("sf"), F_OK), 0);
	check_eq("rmdir \"dir/\"", rmdir(in_dir("se/")), 0);
	unlink(in_dir("sf"));
}

/* ---- hard links ------------------------------------------------------------------------- */

int nlink_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)st.st_nlink : -1;
}

void test_link(void)
{
	struct stat a, b;
	char buf[32];

	make_file("l1", "linked");
	check_eq("link a file", link(in_dir("l1"), in_dir("l2")), 0);
	check("both names are one inode", stat(in_dir("l1"), &a) == 0 && stat(in_dir("l2"), &b) == 0 &&
	      a.st_ino == b.st_ino && a.st_dev == b.st_dev, "inodes %lu and %lu", (unsigned long)a.st_ino,
	      (unsigned long)b.st_ino);
	check_eq("st_nlink counts both names", nlink_of(in_dir("l1")), 2);
	int fd = open(in_dir("l2"), O_WRONLY | O_APPEND);
	write(fd, "!", 1);
	close(fd);
	slurp(in_dir("l1"), buf, sizeof(buf));
	check("a write through one name shows through the other", strcmp(buf, "linked!") == 0, "got \"%s\"", buf);
	check_eq("unlink the first name", unlink(in_dir("l1")), 0);
	check_eq("st_nlink is 1 again", nlink_of(in_dir("l2")), 1);
	slurp(in_dir("l2"), buf, sizeof(buf));
	check("the file lives on under the second name", strcmp(buf, "linked!") == 0, "got \"%s\"", buf);

	check_errno("link to a name that exists: EEXIST", link(in_dir("l2"), in_dir("l2")), EEXIST);
	check_errno("link a missing file: ENOENT", link(in_dir("nope"), in_dir("l3")), ENOENT);
	check_errno("link into a missing directory: ENOENT", link(in_dir("l2"), in_dir("nodir/l3")), ENOENT);
	check_errno("link through a file as a directory: ENOTDIR", link(in_dir("l2"), in_dir("l2/l3")), ENOTDIR);
	check_errno("link \"file/\": ENOTDIR", link(in_dir("l2/"), in_dir("l3")), ENOTDIR);
	check_errno("link to \"new/\": ENOENT", link(in_dir("l2"), in_dir("l3/")), ENOENT);
	check_errno("link to \".\": EEXIST", link(in_dir("l2"), in_dir(".")), EEXIST);
	check_errno("link to \"..\": EEXIST", link(in_dir("l2"), in_dir("..")), EEXIST);
	mkdir(in_dir("ld"), 0700);
	check_errno("link a directory: EPERM", link(in_dir("ld"), in_dir("ld2")), EPERM);
	rmdir(in_dir("ld"));

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("linkat relative to directory fds", linkat(dfd, "l2", dfd, "l3", 0), 0);
	check_eq("linkat AT_SYMLINK_FOLLOW", linkat(dfd, "l2", dfd, "l4", AT_SYMLINK_FOLLOW), 0);
	check_eq("st_nlink is 3", nlink_of(in_dir("l2")), 3);
	check_errno("linkat flags 0x12345: EINVAL", linkat(dfd, "l2", dfd, "l5", 0x12345), EINVAL);
	check_errno("linkat \"\" without AT_EMPTY_PATH: ENOENT", linkat(dfd, "", dfd, "l5", 0), ENOENT);
	check_errno("linkat old fd 99: EBADF", linkat(99, "l2", dfd, "l5", 0), EBADF);
	check_errno("linkat new fd 99: EBADF", linkat(dfd, "l2", 99, "l5", 0), EBADF);
	fd = open(in_dir("l2"), O_RDONLY);
	check_eq("linkat AT_EMPTY_PATH names an open file", linkat(fd, "", dfd, "l5", AT_EMPTY_PATH), 0);
	check_eq("st_nlink is 4", nlink_of(in_dir("l5")), 4);
	check_errno("linkat AT_EMPTY_PATH on a directory fd: EPERM", linkat(dfd, "", dfd, "l6", AT_EMPTY_PATH),
		    EPERM);
	int p[2];
	pipe(p);
	check_errno("linkat AT_EMPTY_PATH on a pipe: EXDEV", linkat(p[0], "", dfd, "l6", AT_EMPTY_PATH), EXDEV);
	close(p[0]);
	close(p[1]);
	const char *names[] = { "l2", "l3", "l4", "l5" };
	for (int i = 0; i < 4; i++)
		unlink(in_dir(names[i]));
	check_eq("all names gone, the open file still reads", read(fd, buf, sizeof(buf)), 7);
	check_errno("linkat AT_EMPTY_PATH on an unlinked file: ENOENT",
		    linkat(fd, "", dfd, "l6", AT_EMPTY_PATH), ENOENT);
	close(fd);
	close(dfd);
}

/* ---- the borders between filesystems ------------------------------------------------------ */

int same_fs(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev;
}

/* /proc's names are the kernel's: they can be read, not added, removed,
 * renamed or linked. (Every call here fails on Linux too, so running this
 * on the host changes nothing.) */
void test_proc_names(void)
{
	char pid_dir[32], pid_stat[48], pid_new[48];

	snprintf(pid_dir, sizeof(pid_dir), "/proc/%d", getpid());
	snprintf(pid_stat, sizeof(pid_stat), "%s/stat", pid_dir);
	snprintf(pid_new, sizeof(pid_new), "%s/new", pid_dir);
	make_file("pf", "x");
	check("/proc is a filesystem of its own", !same_fs("/proc", dir), "same st_dev as %s", dir);
	check_errno("unlink /proc/uptime: EPERM", unlink("/proc/uptime"), EPERM);
	check_errno("unlink /proc/PID/stat: EPERM", unlink(pid_stat), EPERM);
	check_errno("rmdir /proc/PID: EPERM", rmdir(pid_dir), EPERM);
	check_errno("rmdir /proc: EBUSY", rmdir("/proc"), EBUSY);
	check_errno("create /proc/newfile: ENOENT", open("/proc/newfile", O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("create /proc/PID/new: ENOENT", open(pid_new, O_WRONLY | O_CREAT, 0600), ENOENT);
	check_errno("mkdir /proc/newdir: ENOENT", mkdir("/proc/newdir", 0700), ENOENT);
	check_errno("rename inside /proc: ENOENT", rename("/proc/uptime", "/proc/up2"), ENOENT);
	check_errno("rename out of /proc: EXDEV", rename("/proc/uptime", in_dir("up")), EXDEV);
	check_errno("rename into /proc: EXDEV", rename(in_dir("pf"), "/proc/pf"), EXDEV);
	check_errno("link out of /proc: EXDEV", link("/proc/uptime", in_dir("up")), EXDEV);
	check_errno("link into /proc: ENOENT", link(in_dir("pf"), "/proc/pf"), ENOENT);
	check_errno("rename /proc itself: EBUSY", rename("/proc", "/proc2"), EBUSY);
	check("/proc/uptime still reads", slurp("/proc/uptime", (char[64]){ 0 }, 64) > 0, "it does not");
	int fd = open("/proc/uptime", O_WRONLY);	/* root may open it so */
	if (fd < 0) {
		t_skip("a write to /proc/uptime: EIO", "not root here: the open is refused");
	} else {
		check_errno("a write to /proc/uptime: EIO", write(fd, "1", 1), EIO);
		close(fd);
	}
	unlink(in_dir("pf"));
}

/* /dev and /dev/shm are filesystems of their own on sysgate, as on most
 * Linux systems; where the host has them on one filesystem, skip. */
void test_other_filesystems(void)
{
	make_file("xf", "x");
	if (same_fs("/dev/shm", dir)) {
		t_skip("link and rename into /dev/shm: EXDEV", "here /dev/shm is on the same filesystem");
	} else {
		check_errno("link into /dev/shm: EXDEV", link(in_dir("xf"), "/dev/shm/xf"), EXDEV);
		check_errno("rename into /dev/shm: EXDEV", rename(in_dir("xf"), "/dev/shm/xf"), EXDEV);
	}
	if (same_fs("/dev/null", dir))
		t_skip("link /dev/null elsewhere: EXDEV", "here /dev is on the same filesystem");
	else
		check_errno("link /dev/null elsewhere: EXDEV", link("/dev/null", in_dir("null")), EXDEV);
	if (same_fs("/dev/shm", "/dev"))
		t_skip("rmdir /dev/shm: EBUSY", "here /dev/shm is not a filesystem's top");
	else
		check_errno("rmdir /dev/shm: EBUSY", rmdir("/dev/shm"), EBUSY);
	unlink(in_dir("xf"));
}
