/*
 * perms: file permissions as Linux checks them (course section: kernel
 * design -- privilege; files).
 *
 * Root makes the files, then forked children that have become ordinary
 * users try them: the matrix of owner, group and other against read,
 * write and execute, on files and on directories (list, add a name,
 * search); the rule that only ONE class applies (an owner denied by the
 * owner bits is denied even if "other" would allow); root passing by
 * CAP_DAC_OVERRIDE except for executing a file with no x bit; the sticky
 * directory; chmod and chown by owners and strangers; set-user-ID and
 * set-group-ID programs and the clearing of those bits by write and
 * chown; access() with the real ids; umask and set-group-ID directories.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>

#include "testlib.h"

#define USER 1000
#define GROUP 1000
#define OTHER 2000
#define TDIR "/tmp/perms-test"

static char self_copy[] = TDIR "/prog";

static void become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		_exit(99);
}

static void make_file(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	if (fd >= 0) {
		write(fd, "#!/bin/sh\n", 10);
		close(fd);
	}
	chown(path, uid, gid);
	chmod(path, mode);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

/* Copy this test binary, so children can exec it with set-user-ID bits. */
static int copy_self(const char *to)
{
	int in = open(t_self(), O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	char buf[4096];
	long n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		write(out, buf, n);
	close(in);
	close(out);
	return in >= 0 && out >= 0 ? 0 : -1;
}

/* ---- the matrix -------------------------------------------------------------------------------- */

/* In a child as USER/GROUP: may it open for reading, for writing, and
 * "execute" (access X_OK with real == effective ids) a file of owner
 * uid/gid with mode? Exit status: bit 0 read ok, bit 1 write ok, bit 2 x ok. */
static int try_file(uid_t uid, gid_t gid, mode_t mode)
{
	const char *f = TDIR "/m";
	make_file(f, uid, gid, mode);
	pid_t pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		int r = 0, fd;
		if ((fd = open(f, O_RDONLY)) >= 0 && close(fd) == 0)
			r |= 1;
		else if (errno != EACCES)
			_exit(100);
		if ((fd = open(f, O_WRONLY)) >= 0 && close(fd) == 0)
			r |= 2;
		else if (errno != EACCES)
			_exit(101);
		if (access(f, X_OK) == 0)
			r |= 4;
		_exit(r);
	}
	int st = t_wait(pid, T_WAIT_TICKS);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_matrix(void)
{
	static const struct {
		const char *who;
		uid_t uid;
		gid_t gid;
		int shift;
	} classes[] = { { "owner", USER, 0, 6 }, { "group", 0, GROUP, 3 }, { "other", 0, 0, 0 } };
	static const char *bits[] = { "x", "w", "r" };
	for (int c = 0; c < 3; c++)
		for (int b = 0; b < 3; b++) {
			mode_t mode = (mode_t)(1 << b) << classes[c].shift;
			int want = b == 2 ? 1 : b == 1 ? 2 : 4; /* try_file's bits: r 1, w 2, x 4 */
			check_eq(cname("file %s %s only (%04o): just that", classes[c].who, bits[b], mode),
				 try_file(classes[c].uid, classes[c].gid, mode), want);
		}
	/* One class only: the owner is denied by its own bits even when the
	 * group's and the others' bits would allow everything. */
	check_eq("owner with ---rwxrwx: nothing", try_file(USER, GROUP, 0077), 0);
	check_eq("group member with rwx---rwx: nothing", try_file(0, GROUP, 0707), 0);
	check_eq("stranger with rwxrwx---: nothing", try_file(0, 0, 0770), 0);
	check_eq("owner with rw-------: read and write", try_file(USER, 0, 0600), 3);
}

/* ---- root ---------------------------------------------------------------------------------------- */

static void test_root_overrides(void)
{
	const char *f = TDIR "/rootf";
	make_file(f, USER, GROUP, 0);
	int fd = open(f, O_RDWR);
	check("root opens a mode-000 file read-write (CAP_DAC_OVERRIDE)", fd >= 0, "errno %s", errno_name(errno));
	close(fd);
	check_errno("root: access X_OK without any x bit: EACCES", access(f, X_OK), EACCES);
	chmod(f, 0001);
	check_eq("root: access X_OK with any x bit", access(f, X_OK), 0);
}

/* ---- directories ---------------------------------------------------------------------------------- */

static void dir_child(long unused)
{
	(void)unused;
	become(USER, GROUP);
	int fd = open(TDIR "/r/f", O_RDONLY);
	_exit(fd >= 0 ? 1 : errno == EACCES ? 0 : 2);
}

static void test_directories(void)
{
	mkdir(TDIR "/r", 0755);
	mkdir(TDIR "/x", 0755);
	mkdir(TDIR "/wx", 0755);
	mkdir(TDIR "/w", 0755);
	make_file(TDIR "/r/f", 0, 0, 0644);
	make_file(TDIR "/x/f", 0, 0, 0644);
	chmod(TDIR "/r", 0704);
	chmod(TDIR "/x", 0701);
	chmod(TDIR "/wx", 0703);
	chmod(TDIR "/w", 0702);
	check_exited("dir r-- for others: a name inside cannot be reached (EACCES)", run_child(dir_child, 0), 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		int ok = 1;
		DIR *d = opendir(TDIR "/r");
		ok &= d != NULL; /* r: list */
		if (d)
			closedir(d);
		ok &= opendir(TDIR "/x") == NULL && errno == EACCES; /* x only: cannot list */
		int fd = open(TDIR "/x/f", O_RDONLY);
		ok &= fd >= 0; /* x: search */
		close(fd);
		ok &= chdir(TDIR "/r") == -1 && errno == EACCES;
		fd = open(TDIR "/wx/new", O_CREAT | O_WRONLY, 0600);
		ok &= fd >= 0; /* wx: add names */
		close(fd);
		ok &= unlink(TDIR "/wx/new") == 0;
		ok &= open(TDIR "/w/new", O_CREAT | O_WRONLY, 0600) == -1 && errno == EACCES;
		ok &= mkdir(TDIR "/x/sub", 0700) == -1 && errno == EACCES;
		ok &= unlink(TDIR "/x/f") == -1 && errno == EACCES;
		ok &= rename(TDIR "/x/f", TDIR "/wx/f") == -1 && errno == EACCES;
		ok &= symlink("f", TDIR "/x/l") == -1 && errno == EACCES;
		ok &= chdir(TDIR "/x") == 0;
		_exit(ok ? 0 : 1);
	}
	check_exited("dir r: list; x: search, chdir; wx: create, unlink; w alone or x alone: no names added",
		     t_wait(pid, T_WAIT_TICKS), 0);
}

/* ---- sticky directories ------------------------------------------------------------------------- */

static void test_sticky(void)
{
	mkdir(TDIR "/sticky", 01777);
	chmod(TDIR "/sticky", 01777);
	pid_t pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		int fd = open(TDIR "/sticky/mine", O_CREAT | O_WRONLY, 0666);
		close(fd);
		_exit(fd >= 0 ? 0 : 1);
	}
	check_exited("anyone creates a file in a 1777 directory", t_wait(pid, T_WAIT_TICKS), 0);
	struct stat st;
	stat(TDIR "/sticky/mine", &st);
	check("... owned by its maker", st.st_uid == USER && st.st_gid == GROUP, "uid %u gid %u", st.st_uid,
	      st.st_gid);
	pid = t_fork();
	if (pid == 0) {
		become(OTHER, OTHER);
		int ok = unlink(TDIR "/sticky/mine") == -1 && errno == EPERM;
		ok &= rename(TDIR "/sticky/mine", TDIR "/sticky/theirs") == -1 && errno == EPERM;
		int fd = open(TDIR "/sticky/mine", O_WRONLY); /* mode 0644 after umask */
		ok &= fd == -1 && errno == EACCES;
		_exit(ok ? 0 : 1);
	}
	check_exited("another user cannot unlink or rename it (EPERM)", t_wait(pid, T_WAIT_TICKS), 0);
	pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		_exit(unlink(TDIR "/sticky/mine") == 0 ? 0 : 1);
	}
	check_exited("its owner can", t_wait(pid, T_WAIT_TICKS), 0);
}

/* ---- chmod and chown ---------------------------------------------------------------------------- */

static void owner_calls(long unused)
{
	(void)unused;
	become(USER, GROUP);
	int ok = chmod(TDIR "/own", 0640) == 0;
	ok &= chmod(TDIR "/root-owned", 0777) == -1 && errno == EPERM;
	ok &= chown(TDIR "/own", OTHER, (gid_t)-1) == -1 && errno == EPERM;
	ok &= chown(TDIR "/own", USER, (gid_t)-1) == 0;	/* "to itself": allowed */
	ok &= chown(TDIR "/own", (gid_t)-1, 5) == -1 && errno == EPERM;
	ok &= chown(TDIR "/own", (gid_t)-1, GROUP) == 0;
	/* set-group-ID for a group it is not in: silently dropped */
	ok &= chmod(TDIR "/own-g5", 02755) == 0;
	ok &= mode_of(TDIR "/own-g5") == 0755;
	_exit(ok ? 0 : 1);
}

static void test_chmod_chown(void)
{
	make_file(TDIR "/own", USER, 0, 0644);
	make_file(TDIR "/own-g5", USER, 5, 0644);
	make_file(TDIR "/root-owned", 0, 0, 0644);
	check_exited("chmod own file; not root's (EPERM); chown away (EPERM); chgrp to own group", run_child(owner_calls, 0),
		     0);
	make_file(TDIR "/suid", USER, GROUP, 06755);
	check_eq("root chmod 6755", mode_of(TDIR "/suid"), 06755);
	check_eq("root chown keeps the owner...", chown(TDIR "/suid", USER, GROUP), 0);
	check_eq("... but set-user-ID and set-group-ID are gone", mode_of(TDIR "/suid"), 0755);
	chmod(TDIR "/suid", 02745);
	chown(TDIR "/suid", (uid_t)-1, (gid_t)-1);
	check_eq("chown -1 -1: set-group-ID without group x stays", mode_of(TDIR "/suid"), 02745);
	check_errno("chown of a missing file: ENOENT", chown(TDIR "/none", 0, 0), ENOENT);
	check_errno("fchown bad fd: EBADF", fchown(-5, 0, 0), EBADF);
	check_errno("fchownat bad flags: EINVAL", fchownat(AT_FDCWD, TDIR "/suid", 0, 0, 0x4), EINVAL);
	symlink("suid", TDIR "/link");
	check_eq("lchown changes the link itself", lchown(TDIR "/link", OTHER, OTHER), 0);
	struct stat st;
	lstat(TDIR "/link", &st);
	check("... the link is OTHER's", st.st_uid == OTHER, "uid %u", st.st_uid);
	stat(TDIR "/suid", &st);
	check("... its target is not", st.st_uid == USER, "uid %u", st.st_uid);
}

/* A write by the owner (no CAP_FSETID) clears set-user-ID. */
static void test_write_clears_suid(void)
{
	make_file(TDIR "/w-suid", USER, GROUP, 04777);
	int fd = open(TDIR "/w-suid", O_WRONLY | O_APPEND);
	write(fd, "x", 1);
	close(fd);
	check_eq("root's write keeps set-user-ID (CAP_FSETID)", mode_of(TDIR "/w-suid"), 04777);
	pid_t pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		int fd2 = open(TDIR "/w-suid", O_WRONLY | O_APPEND);
		_exit(fd2 >= 0 && write(fd2, "y", 1) == 1 ? 0 : 1);
	}
	check_exited("the owner writes", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("... and set-user-ID is gone", mode_of(TDIR "/w-suid"), 0777);
}

/* ---- set-user-ID programs ------------------------------------------------------------------------ */

/* Run as "prog --ids": report the ids the kernel gave us. */
static int report_ids(void)
{
	uid_t r, e, s;
	getresuid(&r, &e, &s);
	printf("uid %u %u %u egid %u secure %lu\n", r, e, s, getegid(), getauxval(AT_SECURE));
	return 0;
}

static int run_prog(uid_t uid, char *out, size_t size)
{
	int p[2];
	if (pipe(p))
		return -1;
	pid_t pid = t_fork();
	if (pid == 0) {
		become(uid, uid);
		dup2(p[1], 1);
		char *argv[] = { self_copy, "--ids", NULL };
		execv(self_copy, argv);
		_exit(errno == EACCES ? 13 : 127);
	}
	close(p[1]);
	long n = read(p[0], out, size - 1);
	out[n > 0 ? n : 0] = 0;
	close(p[0]);
	int st = t_wait(pid, T_WAIT_TICKS);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_setuid_exec(void)
{
	char out[128];
	if (!check_eq("copy the test program", copy_self(self_copy), 0))
		return;
	chown(self_copy, OTHER, 77);
	chmod(self_copy, 06755);
	check_eq("run a set-user-ID, set-group-ID program", run_prog(USER, out, sizeof(out)), 0);
	check("... euid and saved uid its owner's, egid its group's, AT_SECURE",
	      !strcmp(out, "uid 1000 2000 2000 egid 77 secure 1\n"), "got %s", out);
	chmod(self_copy, 0755);
	run_prog(USER, out, sizeof(out));
	check("without the bits: the caller's ids", !strcmp(out, "uid 1000 1000 1000 egid 1000 secure 0\n"),
	      "got %s", out);
	chmod(self_copy, 0754);
	check_eq("no x for others: exec EACCES", run_prog(USER, out, sizeof(out)), 13);
}

/* ---- access with the real ids ------------------------------------------------------------------- */

static void real_ids(long unused)
{
	(void)unused;
	/* Effective uid 1000, real uid 0: what a set-user-ID program of
	 * user 1000 run by root would be. */
	if (setresuid(0, USER, 0))
		_exit(99);
	int ok = open(TDIR "/secret", O_RDONLY) == -1 && errno == EACCES;
	ok &= access(TDIR "/secret", R_OK) == 0;				 /* root may */
	ok &= faccessat(AT_FDCWD, TDIR "/secret", R_OK, AT_EACCESS) == -1 && errno == EACCES;
	ok &= faccessat(AT_FDCWD, TDIR "/secret", R_OK, 0x8000) == -1 && errno == EINVAL;
	_exit(ok ? 0 : 1);
}

static void test_access(void)
{
	make_file(TDIR "/secret", 0, 0, 0600);
	check_exited("access uses the real uid, AT_EACCESS the effective; bad flags EINVAL", run_child(real_ids, 0), 0);
	check_errno("access with mode 8: EINVAL", access(TDIR "/secret", 8), EINVAL);
}

/* ---- new files: owner, group, set-group-ID directories ------------------------------------------ */

static void test_new_files(void)
{
	mkdir(TDIR "/sgid", 0777);
	chown(TDIR "/sgid", 0, 55);
	chmod(TDIR "/sgid", 02777);
	pid_t pid = t_fork();
	if (pid == 0) {
		become(USER, GROUP);
		int fd = open(TDIR "/sgid/f", O_CREAT | O_WRONLY, 0644);
		close(fd);
		_exit(mkdir(TDIR "/sgid/d", 0755) == 0 && fd >= 0 ? 0 : 1);
	}
	check_exited("a user creates a file and a directory in a set-group-ID directory", t_wait(pid, T_WAIT_TICKS),
		     0);
	struct stat st;
	stat(TDIR "/sgid/f", &st);
	check("... the file: the user's uid, the directory's group", st.st_uid == USER && st.st_gid == 55,
	      "uid %u gid %u", st.st_uid, st.st_gid);
	stat(TDIR "/sgid/d", &st);
	check("... the new directory is set-group-ID too", st.st_gid == 55 && (st.st_mode & S_ISGID), "mode %o",
	      st.st_mode);
}

static void cleanup(void)
{
	static const char *names[] = { "m", "rootf", "r/f", "x/f", "wx/f", "sticky/mine", "own", "own-g5",
				       "root-owned", "suid", "link", "w-suid", "prog", "secret", "sgid/f" };
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		unlink(cname(TDIR "/%s", names[k]));
	static const char *dirs[] = { "r", "x", "wx", "w", "sticky", "sgid/d", "sgid" };
	for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++)
		rmdir(cname(TDIR "/%s", dirs[k]));
	rmdir(TDIR);
}

int main(int argc, char **argv)
{
	t_set_self(argv);
	if (argc > 1 && !strcmp(argv[1], "--ids"))
		return report_ids();
	t_begin("perms");
	if (getuid() != 0) {
		t_skip("everything", "needs to start as root");
		return t_end();
	}
	cleanup();
	umask(022);
	mkdir(TDIR, 0755);
	test_matrix();
	test_root_overrides();
	test_directories();
	test_sticky();
	test_chmod_chown();
	test_write_clears_suid();
	test_setuid_exec();
	test_access();
	test_new_files();
	cleanup();
	return t_end();
}
