/*
 * The map count limit: one process cannot map without end (course section:
 * memory; robustness).
 *
 * An attacker's first try: map one page of a file tens of thousands of
 * times, touching each, so that one frame is referenced by every mapping.
 * Linux refuses with ENOMEM once the process has vm.max_map_count regions
 * (65,530 by default, /proc/sys/vm/max_map_count); sysgate must too, and
 * must not panic on the frame's reference count. Then fork, which doubles
 * every reference, and check the system still works and nothing leaked.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib/testlib.h"

#define PAGE 4096
#define MAP_TRIES 70000
#define FILE_PATH "/tmp/mapcount.data"

static long read_long_file(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static int write_long_file(const char *path, long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", v);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long r = write(fd, buf, n);
	int err = r < 0 ? errno : 0;
	close(fd);
	return r == n ? 0 : -err;
}

static int make_file(void)
{
	char page[PAGE];
	memset(page, 'x', sizeof(page));
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0 && write(fd, page, sizeof(page)) != PAGE) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Map (and touch) the file's page until mmap fails: how many, and the errno. */
static long map_until_failure(int fd, int *err)
{
	long n = 0;
	volatile char sum = 0;
	for (; n < MAP_TRIES; n++) {
		char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			*err = errno;
			return n;
		}
		sum += p[0];
	}
	*err = 0;
	return n;
}

/* In a child: map until the limit, fork (twice the references), exit. */
static void many_mappings(void)
{
	long max = read_long_file("/proc/sys/vm/max_map_count");
	check("/proc/sys/vm/max_map_count reads 65530", max == 65530, "got %ld", max);
	if (max > MAP_TRIES) {
		t_skip("map until ENOMEM", "max_map_count %ld is more than this test maps", max);
		return;
	}
	int fd = make_file();
	if (!check_ok("a one-page file", fd))
		return;
	int err;
	long n = map_until_failure(fd, &err);
	check_eq("mmap fails with ENOMEM at the limit", err, ENOMEM);
	/* The process had a few regions of its own before (text, data, stack...). */
	check("it fails near max_map_count mappings", n > max - 64 && n <= max + 1, "failed after %ld (max %ld)", n,
	      max);
	check_errno("one more mmap: ENOMEM still", (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), ENOMEM);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(0); /* every frame reference doubled, then dropped */
	check_exited("fork of a process at the limit", t_wait(pid, T_WAIT_TICKS), 0);
	close(fd);
}

/* sysgate only (on Linux this would change the host): set a low limit, see it hold. */
static void low_limit(void)
{
	const char *path = "/proc/sys/vm/max_map_count";
	long old = read_long_file(path);
	check_eq("writing the sysctl", write_long_file(path, 1000), 0);
	check_eq("it reads back", read_long_file(path), 1000);
	check_eq("-1 is EINVAL", write_long_file(path, -1), -EINVAL);
	int fd = make_file(), err;
	long n = map_until_failure(fd, &err);
	check_eq("ENOMEM at the low limit", err, ENOMEM);
	check("near 1000 mappings", n > 1000 - 64 && n <= 1001, "failed after %ld", n);
	check_eq("the old limit back", write_long_file(path, old), 0);
	close(fd);
}

static void touch_exit(long arg)
{
	(void)arg;
}

/* Everything once: the groups run in children, so all they map goes at exit. */
static void all_cases(void)
{
	t_group("70,000 mappings of one page", many_mappings);
	if (on_sysgate())
		t_group("a lower max_map_count", low_limit);
	else
		t_skip("a lower max_map_count", "it would change the host's setting");
	check_exited("the system still works: fork and exit", run_child(touch_exit, 0), 0);
	unlink(FILE_PATH);
}

int main(void)
{
	struct leak_mark m;
	t_begin("mapcount");
	all_cases();
	/* Twice: what grows once and stays (room for /proc/PID and /tmp
	 * entries) grew the first time; the second must give all back. */
	if (on_sysgate() && leak_mark(&m)) {
		all_cases();
		leak_check("every frame and heap byte came back", &m);
	}
	return t_end();
}
