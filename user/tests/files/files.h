/*
 * files: what the files of the files test (course section: files and directories;  bad-input
 * catalogue "Syscall entry and pointers" 2) share: its constants, types, and the functions each
 * file defines for the others. main.c says what the test covers and runs every part.
 */
#ifndef FILES_TEST_H
#define FILES_TEST_H

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

/* A path that a function keeps using: its own array, char var[512]. */
#define PATH_IN(var, name) \
	char var[512];     \
	snprintf(var, sizeof(var), "%s/%s", dir, name)

extern char dir[64];

const char *in_dir(const char *name);
int make_file(const char *name, const char *text);
long size_of(const char *path);
ssize_t slurp(const char *path, char *buf, size_t size);
void test_open_flags(void);
void test_openat(void);
void test_seek(void);
void test_holes(void);
void test_pread_pwrite(void);
void test_vectors(void);
void test_big_file(void);
void test_stat(void);
void test_access(void);
int list_dir(const char *path, size_t bufsize, const char *const names[], const int types[],
		    int n, unsigned *found);
void test_getdents(void);
void test_mkdir_rmdir(void);
void test_rename(void);
void test_trailing_slash(void);
int nlink_of(const char *path);
void test_link(void);
int same_fs(const char *a, const char *b);
void test_proc_names(void);
void test_other_filesystems(void);
unsigned mode_of(const char *path);
void test_chmod_fsync(void);
void test_truncate(void);
void test_cwd(void);
void test_dup(void);
void test_fcntl(void);
void emfile_child(long unused);
void test_emfile(void);
void test_long_names(void);
void test_bad_paths(void);
void test_page_end_path(void);
void test_unlink_open(void);
void churn(void);
void test_leaks(void);

#endif
