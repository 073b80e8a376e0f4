/*
 * mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED (course
 * section: memory).
 *
 * The same checks run on Linux: VmLck in /proc/self/status counts what is
 * locked, locking part of a region splits it (one more line in maps),
 * RLIMIT_MEMLOCK binds an ordinary user (ENOMEM, EPERM at 0, EAGAIN for
 * MAP_LOCKED), locks are not inherited by fork, and bad flags and ranges
 * get Linux's errnos.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "testlib.h"

#define PAGE 4096

/* VmLck in kB, from /proc/self/status. */
static long vm_locked_kb(void)
{
	return t_status_field("VmLck", 10);
}

static int map_lines(void)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = 0, r;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	int lines = 0;
	for (long i = 0; i < n; i++)
		lines += buf[i] == '\n';
	return lines;
}

static void test_mlock_range(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before = vm_locked_kb();
	int lines = map_lines();
	check_ok("mlock the middle two pages", mlock(p + PAGE, 2 * PAGE));
	check_eq("VmLck grows by 8 kB", vm_locked_kb() - before, 8);
	check_eq("the region is split in three", map_lines() - lines, 2);
	check_ok("mlock again (already locked)", mlock(p + PAGE, 2 * PAGE));
	check_eq("... VmLck unchanged", vm_locked_kb() - before, 8);
	check_ok("munlock", munlock(p, 4 * PAGE));
	check_eq("VmLck back", vm_locked_kb(), before);
	check_ok("mlock of an unaligned byte locks its page", mlock(p + 10, 1));
	check_eq("... 4 kB", vm_locked_kb() - before, 4);
	munlock(p, 4 * PAGE);
	check_ok("mlock of 0 bytes", mlock(p, 0));
	check_ok("mlock2 MLOCK_ONFAULT", mlock2(p, PAGE, MLOCK_ONFAULT));
	check_errno("mlock2 with flag 2: EINVAL", mlock2(p, PAGE, 2), EINVAL);
	munmap(p + 2 * PAGE, PAGE);
	check_errno("mlock over a hole: ENOMEM", mlock(p, 4 * PAGE), ENOMEM);
	check_errno("mlock of a range that wraps: EINVAL", mlock((void *)0x7fff00000000ul, ~0ul - 0x10000), EINVAL);
	check_errno("munlock of an unmapped page: ENOMEM", munlock(p + 2 * PAGE, PAGE), ENOMEM);
	munmap(p, 4 * PAGE);
	check_eq("unmapping locked memory drops it from VmLck", vm_locked_kb(), before);
}

static void test_mlockall(void)
{
	check_errno("mlockall(0): EINVAL", mlockall(0), EINVAL);
	check_errno("mlockall(MCL_ONFAULT) alone: EINVAL", mlockall(MCL_ONFAULT), EINVAL);
	check_errno("mlockall(8): EINVAL", mlockall(8), EINVAL);
	check_ok("mlockall(MCL_CURRENT | MCL_FUTURE)", mlockall(MCL_CURRENT | MCL_FUTURE));
	long all = vm_locked_kb();
	check("everything is locked", all > 0, "VmLck %ld kB", all);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(vm_locked_kb() == 0 ? 0 : 1);
	check_exited("a forked child has nothing locked", t_wait(pid, T_WAIT_TICKS), 0);
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_eq("MCL_FUTURE locks a new mapping", vm_locked_kb() - all, 12);
	munmap(p, 3 * PAGE);
	check_ok("munlockall", munlockall());
	check_eq("VmLck 0 after munlockall", vm_locked_kb(), 0);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_eq("no longer for new mappings", vm_locked_kb(), 0);
	munmap(p, 2 * PAGE);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	check_eq("MAP_LOCKED locks the mapping", vm_locked_kb(), 8);
	munmap(p, 2 * PAGE);
}

/* As an ordinary user, RLIMIT_MEMLOCK is the limit. */
static void limits_as_user(long unused)
{
	(void)unused;
	if (setresgid(4000, 4000, 4000) || setresuid(4000, 4000, 4000))
		_exit(98);
	struct rlimit r = { 2 * PAGE, 2 * PAGE };
	setrlimit(RLIMIT_MEMLOCK, &r);
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_errno("user: mlock of 3 pages over a 2-page limit: ENOMEM", mlock(p, 3 * PAGE), ENOMEM);
	check_ok("user: mlock of 2 pages", mlock(p, 2 * PAGE));
	check_errno("user: one more page: ENOMEM", mlock(p + 2 * PAGE, PAGE), ENOMEM);
	void *q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	check("user: MAP_LOCKED over the limit: EAGAIN", q == MAP_FAILED && errno == EAGAIN, "%p %s", q,
	      errno_name(errno));
	check_errno("user: mlockall(MCL_CURRENT) over the limit: ENOMEM", mlockall(MCL_CURRENT), ENOMEM);
	munlock(p, 4 * PAGE);
	r.rlim_cur = 0;
	setrlimit(RLIMIT_MEMLOCK, &r);
	check_errno("user: mlock with a limit of 0: EPERM", mlock(p, PAGE), EPERM);
	check_errno("user: mlockall(MCL_FUTURE) with a limit of 0: EPERM", mlockall(MCL_FUTURE), EPERM);
	check_ok("user: munlock needs no limit", munlock(p, PAGE));
	_exit(t_end());
}

int main(void)
{
	t_begin("mlock");
	test_mlock_range();
	test_mlockall();
	check_exited("the ordinary user's checks", run_child(limits_as_user, 0), 0);
	return t_end();
}
