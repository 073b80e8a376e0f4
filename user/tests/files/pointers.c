/*
 * files: names and pointers; unlinked while open (course section: files and directories;  bad-
 * input catalogue "Syscall entry and pointers" 2). One part of the files test: main.c runs it.
 */
#include "files.h"

/* ---- names and pointers ---------------------------------------------------------------------- */

void test_long_names(void)
{
	char name[320], *path = malloc(PATH_MAX + 2);
	struct stat st;
	size_t len;

	memset(name, 'n', 300);
	name[300] = '\0';
	check_errno("a 300-character component: ENAMETOOLONG", open(in_dir(name), O_RDONLY), ENAMETOOLONG);
	check_errno("mkdir with a 300-character component: ENAMETOOLONG", mkdir(in_dir(name), 0700),
		    ENAMETOOLONG);
	name[255] = '\0';
	check("a 255-character component is allowed", make_file(name, "") == 0, "got %s", errno_name(errno));
	unlink(in_dir(name));
	/* "/tmp/./././...": 4095 characters plus the NUL fit in PATH_MAX... */
	strcpy(path, "/tmp");
	for (len = 4; len + 2 <= PATH_MAX - 1; len += 2)
		strcpy(path + len, "/.");
	if (len < PATH_MAX - 1)
		strcpy(path + len++, "/");
	check_eq("a path of 4095 characters works", stat(path, &st), 0);
	/* ...one more does not. */
	strcpy(path + len, "/");
	check_errno("a path of 4096 characters: ENAMETOOLONG", stat(path, &st), ENAMETOOLONG);
	/* PATH_MAX bytes and no terminator at all, followed by more bytes. */
	memset(path, 'a', PATH_MAX + 1);
	path[PATH_MAX + 1] = '\0';
	check_errno("a path without a NUL in PATH_MAX bytes: ENAMETOOLONG", open(path, O_RDONLY), ENAMETOOLONG);
	free(path);
}

void test_bad_paths(void)
{
	static const unsigned long bad[] = { 0, 0x800000000000UL, 0xffff800000000000UL,
					     0xffffffff80100000UL, ~0UL };
	struct stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *p = (const char *)bad[i];
		check_errno(cname("open(%#lx): EFAULT", bad[i]), open(p, O_RDONLY), EFAULT);
		check_errno(cname("open(%#lx, O_CREAT): EFAULT", bad[i]), open(p, O_RDWR | O_CREAT, 0600), EFAULT);
		check_errno(cname("stat(%#lx): EFAULT", bad[i]), stat(p, &st), EFAULT);
		check_errno(cname("mkdir(%#lx): EFAULT", bad[i]), mkdir(p, 0700), EFAULT);
		check_errno(cname("unlink(%#lx): EFAULT", bad[i]), unlink(p), EFAULT);
		check_errno(cname("rmdir(%#lx): EFAULT", bad[i]), rmdir(p), EFAULT);
		check_errno(cname("chdir(%#lx): EFAULT", bad[i]), chdir(p), EFAULT);
		check_errno(cname("access(%#lx): EFAULT", bad[i]), access(p, F_OK), EFAULT);
		check_errno(cname("rename(%#lx, ok): EFAULT", bad[i]), rename(p, in_dir("x")), EFAULT);
		check_errno(cname("rename(ok, %#lx): EFAULT", bad[i]), rename(in_dir("f"), p), EFAULT);
		check_errno(cname("link(%#lx, ok): EFAULT", bad[i]), link(p, in_dir("x")), EFAULT);
		check_errno(cname("link(ok, %#lx): EFAULT", bad[i]), link(in_dir("f"), p), EFAULT);
	}
}

/*
 * A path whose NUL is the very last byte of a mapped page, with nothing
 * mapped after it: the kernel must stop at the NUL (works) and must not read
 * ahead into the next page. Without the NUL the string runs into the hole:
 * EFAULT, not a crash.
 */
void test_page_end_path(void)
{
	char *two = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PATH_IN(f, "f");
	size_t len = strlen(f);
	char *s;
	int fd;

	if (two == MAP_FAILED || munmap(two + PAGE, PAGE) != 0) {
		t_fail("map a page with a hole after it", "mmap/munmap failed: %s", errno_name(errno));
		return;
	}
	s = two + PAGE - (len + 1);
	memcpy(s, f, len + 1);
	fd = open(s, O_RDONLY);
	check("a path ending on the last byte of a page opens", fd >= 0, "got -1 %s", errno_name(errno));
	close(fd);
	s = two + PAGE - len;
	memcpy(s, f, len);	/* no room for the NUL */
	check_errno("the same path without its NUL: EFAULT", open(s, O_RDONLY), EFAULT);
	check_errno("stat of it: EFAULT", stat(s, &(struct stat){ 0 }), EFAULT);
	munmap(two, PAGE);
}

/* ---- unlinked while open ---------------------------------------------------------------------- */

void test_unlink_open(void)
{
	PATH_IN(f, "ghost");
	char buf[32] = "";
	struct stat st;
	int fd, fd2;

	make_file("ghost", "still here");
	fd = open(f, O_RDWR);
	check_eq("unlink an open file", unlink(f), 0);
	check_errno("its name is gone", access(f, F_OK), ENOENT);
	check_eq("reading it still works", read(fd, buf, sizeof(buf) - 1), 10);
	check("and gives the content", strcmp(buf, "still here") == 0, "got \"%s\"", buf);
	check_eq("writing it still works", pwrite(fd, "!", 1, 10), 1);
	check("fstat shows st_nlink 0", fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 11,
	      "nlink %lu size %ld", st.st_nlink, st.st_size);
	fd2 = open(f, O_RDWR | O_CREAT | O_EXCL, 0600);
	check("a new file can take the name", fd2 >= 0, "got -1 %s", errno_name(errno));
	check_eq("and is a different, empty file", fstat(fd2, &st) == 0 && st.st_size == 0, 1);
	close(fd2);
	close(fd);
	unlink(f);
}

/* Create, write, close and remove 200 files, twice: nothing may leak. */
void churn(void)
{
	char name[32];

	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i);
		make_file(name, "some bytes to store");
	}
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "churn%d", i);
		unlink(in_dir(name));
	}
}

void test_leaks(void)
{
	struct leak_mark m;

	churn();
	leak_mark(&m);
	churn();
	leak_check("200 files created and removed: nothing leaked", &m);
}
