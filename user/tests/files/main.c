/*
 * files: the file-system syscalls (course section: files and directories;
 * bad-input catalogue "Syscall entry and pointers" 2).
 *
 * open/openat and their flags, read/write/lseek and the positional and
 * vector forms, the stat family, getdents64, dup/dup2/dup3 and fcntl,
 * mkdir/rmdir/unlink/rename, link, chmod, fsync, ftruncate, chdir/getcwd,
 * access, holes (SEEK_DATA/SEEK_HOLE), the borders between filesystems
 * (/proc, /dev, /dev/shm); then limits and hostile input: EMFILE,
 * ENAMETOOLONG, EFAULT for bad path pointers, a path that ends exactly at
 * the end of a mapped page, and a file that is unlinked while open.
 *
 * Everything happens in a fresh directory under /tmp, removed at the end.
 *
 * Its parts, one concept a file: io.c, dirs.c, descriptors.c, pointers.c; main.c keeps the shared
 * helpers and runs them all.
 */
#include "files.h"

char dir[64];	/* /tmp/files-PID, our scratch directory */

/* dir/name, in one of 8 rotating buffers: for passing straight to a call. */
const char *in_dir(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

/* A path that a function keeps using: its own array, char var[512]. */

int make_file(const char *name, const char *text)
{
	int fd = open(in_dir(name), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	write(fd, text, strlen(text));
	return close(fd);
}

long size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Reads up to n bytes at offset 0 into buf (NUL-terminated) and returns n. */
ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return n;
}

int main(void)
{
	t_begin("files");
	snprintf(dir, sizeof(dir), "/tmp/files-%d", getpid());
	if (!check_eq("mkdir the scratch directory", mkdir(dir, 0700), 0))
		return t_end();
	test_open_flags();
	test_openat();
	test_seek();
	test_pread_pwrite();
	test_holes();
	test_vectors();
	test_big_file();
	test_stat();
	test_access();
	test_getdents();
	test_mkdir_rmdir();
	test_rename();
	test_trailing_slash();
	test_link();
	test_proc_names();
	test_other_filesystems();
	test_chmod_fsync();
	test_truncate();
	test_cwd();
	test_dup();
	test_fcntl();
	test_emfile();
	test_long_names();
	test_bad_paths();
	test_page_end_path();
	test_unlink_open();
	test_leaks();
	unlink(in_dir("f"));
	check_eq("remove the scratch directory", rmdir(dir), 0);
	return t_end();
}
