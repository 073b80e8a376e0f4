/*
 * tmpfull: a full in-memory filesystem does not wedge the system (course
 * section: files; memory; robustness).
 *
 * Linux's tmpfs holds at most its size (half of RAM by default): a write
 * past it fails with ENOSPC, and everything else goes on working. The case:
 * fill a file until write fails, check the errno and that the system is
 * usable while it is full (open, fork and exit, /proc/meminfo, unlink),
 * then remove it and check every frame came back.
 *
 * On sysgate /tmp is the in-memory filesystem with its default limit. On
 * Linux the host's /tmp must not be filled: a child mounts a 4 MiB tmpfs on
 * /tmp in a mount namespace of its own and fills that instead.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define CHUNK (256 * 1024)
#define FILL_PATH "/tmp/tmpfull.data"
#ifndef SYS_unshare
#define SYS_unshare 272
#endif
#ifndef SYS_mount
#define SYS_mount 165
#endif
#define CLONE_NEWNS_FLAG 0x00020000
#define MS_REC_FLAG 16384
#define MS_PRIVATE_FLAG (1 << 18)

static char chunk[CHUNK];

static void nothing(long arg)
{
	(void)arg;
}

/* Write until a write fails or comes up short; the bytes written and the errno. */
static long fill(int fd, int *err)
{
	long total = 0;
	*err = 0;
	for (;;) {
		long n = write(fd, chunk, CHUNK);
		if (n < 0) {
			*err = errno;
			return total;
		}
		total += n;
		if (n < CHUNK) { /* short: the next one says why */
			n = write(fd, chunk, CHUNK);
			*err = n < 0 ? errno : 0;
			return total;
		}
	}
}

static void fill_and_recover(long limit_bytes)
{
	memset(chunk, 'f', sizeof(chunk));
	int fd = open(FILL_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!check_ok("create the file", fd))
		return;
	int err;
	long total = fill(fd, &err);
	check_eq("a write past the limit fails with ENOSPC", err, ENOSPC);
	check("it filled about the limit", total > limit_bytes / 2 && total <= limit_bytes, "%ld bytes of %ld",
	      total, limit_bytes);
	/* Full: the rest of the system still works. */
	int other = open("/tmp/tmpfull.other", O_WRONLY | O_CREAT, 0600);
	check_ok("a new (empty) file can be made", other);
	close(other);
	check_ok("and unlinked", unlink("/tmp/tmpfull.other"));
	check_exited("fork and exit work", run_child(nothing, 0), 0);
	int mi = open("/proc/meminfo", O_RDONLY);
	char buf[64];
	check("/proc/meminfo is readable", mi >= 0 && read(mi, buf, sizeof(buf)) > 0, "failed");
	close(mi);
	close(fd);
	check_ok("unlink the full file", unlink(FILL_PATH));
	fd = open(FILL_PATH, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	check_eq("after it, writing works again", write(fd, chunk, CHUNK), CHUNK);
	close(fd);
	unlink(FILL_PATH);
}

static void on_sysgate_tmp(void)
{
	long total_kb = meminfo_value("MemTotal");
	/* MemTotal's line is "MemTotal: N kB": meminfo_value gives N. */
	struct leak_mark m;
	fill_and_recover(total_kb * 1024 / 2);
	if (leak_mark(&m)) {
		fill_and_recover(total_kb * 1024 / 2);
		leak_check("every frame and heap byte came back", &m);
	}
}

static void on_linux_tmpfs(void)
{
	if (syscall(SYS_unshare, CLONE_NEWNS_FLAG) != 0 ||
	    syscall(SYS_mount, "none", "/", NULL, MS_REC_FLAG | MS_PRIVATE_FLAG, NULL) != 0 ||
	    syscall(SYS_mount, "tmpfs", "/tmp", "tmpfs", 0, "size=4m") != 0) {
		t_skip("fill a tmpfs", "no private mount namespace (%s)", errno_name(errno));
		return;
	}
	fill_and_recover(4 << 20);
}

int main(void)
{
	t_begin("tmpfull");
	if (on_sysgate())
		on_sysgate_tmp();
	else
		t_group("a 4 MiB tmpfs in a mount namespace", on_linux_tmpfs);
	return t_end();
}
