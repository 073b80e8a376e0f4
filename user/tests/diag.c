/*
 * Tests of the kernel's bug checkers (course section: kernel debugging
 * techniques): each bug class of modules/diagdemo.ko, loaded on demand,
 * must be caught, and the report must name the function with the bug.
 *
 * KASAN's cases need a kernel built with `make KASAN=1` (make test-kasan
 * runs them); UBSAN's need UBSAN (make UBSAN=1, as make test builds). The boot log says
 * which are on ("checks: UBSAN on, KASAN off"); a case whose checker is off
 * is skipped with that reason. The reports stay in the kernel log, where
 * tools/test.sh knows that those naming diagdemo are meant.
 * (test.sh: own boot -- it reads the boot's "checks:" line from the kernel
 * log, which the tests before it in a batch could push out of the ring.)
 */
#include <fcntl.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static char kmsg[20000];

static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t len = 0;
	long n;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(fd);
	return len;
}

/* Load diagdemo with bug=NAME (and more parameters), unload it; the
 * kernel log afterwards. */
static const char *provoke_with(const char *bug, const char *more)
{
	char params[64];
	snprintf(params, sizeof(params), "bug=%s %s", bug, more);
	int fd = open("/lib/modules/diagdemo.ko", O_RDONLY);
	if (fd < 0)
		return NULL;
	long r = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	if (r != 0)
		return NULL;
	syscall(SYS_delete_module, "diagdemo", O_NONBLOCK);
	return slurp("/proc/kmsg", kmsg, sizeof(kmsg)) > 0 ? kmsg : NULL;
}

static const char *provoke(const char *bug)
{
	return provoke_with(bug, "");
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	long n = write(fd, text, strlen(text));
	close(fd);
	return n == (long)strlen(text) ? 0 : -1;
}

/* The watchdog at a 1 s threshold (a report after 2 s), diagdemo spinning 3 s. */
static void test_watchdog(void)
{
	char text[16] = "";
	slurp("/proc/sys/kernel/watchdog_thresh", text, sizeof(text));
	check_eq("watchdog: /proc/sys/kernel/watchdog_thresh is 10 at boot", strcmp(text, "10\n"), 0);
	check_errno("watchdog: a threshold that is not a number", write_file("/proc/sys/kernel/watchdog_thresh", "ten"),
		    EINVAL);
	check_eq("watchdog: a threshold of 1 s", write_file("/proc/sys/kernel/watchdog_thresh", "1\n"), 0);
	const char *log = provoke_with("lockup", "seconds=3");
	const char *at = log ? strstr(log, "watchdog: BUG: soft lockup - CPU#0 stuck for 2s! [diag:") : NULL;
	if (!at)
		t_fail("watchdog: a 3 s spin in kernel mode is reported", "no soft lockup report");
	else if (!strstr(at, "diag_lockup+"))
		t_fail("watchdog: a 3 s spin in kernel mode is reported", "the trace does not name diag_lockup");
	else
		t_pass("watchdog: a 3 s spin in kernel mode is reported, naming diag_lockup");
	write_file("/proc/sys/kernel/watchdog_thresh", "10\n");
}

/* sysrq: m shows memory, t every task with its stack. */
static void test_sysrq(void)
{
	check_eq("sysrq: write m", write_file("/proc/sysrq-trigger", "m"), 0);
	slurp("/proc/kmsg", kmsg, sizeof(kmsg));
	check_eq("sysrq: m prints the memory figures", strstr(kmsg, "sysrq: Show Memory\nMem-Info: ") != NULL, 1);
	check_eq("sysrq: write t", write_file("/proc/sysrq-trigger", "t"), 0);
	slurp("/proc/kmsg", kmsg, sizeof(kmsg));
	const char *at = strstr(kmsg, "sysrq: Show State");
	check_eq("sysrq: t shows this task and its kernel stack",
		 at && strstr(at, cname("task:diag            state:R pid:%d", getpid())) && strstr(at, "sysrq_write+"),
		 1);
}

/* The report for this bug: its first line, and what must follow it. */
static void expect(const char *bug, int on, const char *checker, const char *head, const char *then)
{
	const char *name = cname("%s: %s", bug, head);
	if (!on) {
		t_skip(name, "the kernel was built without %s", checker);
		return;
	}
	const char *log = provoke(bug);
	if (!log) {
		t_fail(name, "diagdemo.ko bug=%s did not load", bug);
		return;
	}
	const char *at = strstr(log, head);
	if (!at)
		t_fail(name, "no such report in the kernel log");
	else if (then && !strstr(at, then))
		t_fail(name, "the report lacks \"%s\"", then);
	else
		t_pass(name);
}

/* The scanner: nothing to report before, diagdemo's object after. */
static void test_leak_scanner(int kasan)
{
	static char scan[20000];
	if (slurp("/proc/kmemleak", scan, sizeof(scan)) <= 0)
		t_fail("leak: /proc/kmemleak", "cannot be read");
	else if (!strstr(scan, " 0 unreferenced"))
		t_fail("leak: a scan before the leak finds nothing", "%.300s", scan);
	else
		t_pass("leak: a scan before the leak finds nothing");
	/* In a child, whose kernel stack goes when it exits: a stale copy of
	 * the pointer in a dead frame there would hide the leak (the scan is
	 * conservative, as Linux's is). */
	pid_t child = fork();
	if (child == 0)
		_exit(provoke("leak") ? 0 : 1);
	int status = -1;
	waitpid(child, &status, 0);
	if (status != 0) {
		t_fail("leak: diagdemo bug=leak", "did not load");
		return;
	}
	slurp("/proc/kmemleak", scan, sizeof(scan));
	const char *at = strstr(scan, "unreferenced object ");
	if (!at || !strstr(scan, " 1 unreferenced"))
		t_fail("leak: the scan finds the one object", "%.300s", scan);
	else if (!strstr(at, "64 69 61 67 64 65 6d 6f 3a 20 6c 65 61 6b 65 64")) /* "diagdemo: leaked" */
		t_fail("leak: the report's hex dump shows the object's text", "%.300s", at);
	else
		t_pass("leak: the scan finds the one object, its bytes in the hex dump");
	/* diagdemo is unloaded by now, so its own frames are bare addresses
	 * (as on Linux); the kernel's frames still have names. */
	if (kasan)
		check_eq("leak: with KASAN, the allocation stack shows a module's init (module_load)",
			 strstr(at, "backtrace:") && strstr(at, "module_load+"), 1);
	else
		t_skip("leak: the allocation stack", "needs KASAN's allocation records");
}

int main(void)
{
	t_begin("diag");
	if (!on_sysgate()) {
		t_skip("checkers", "sysgate's own KASAN and UBSAN (and its modules)");
		return t_end();
	}
	if (slurp("/proc/kmsg", kmsg, sizeof(kmsg)) <= 0 || !strstr(kmsg, "checks: UBSAN ")) {
		t_fail("boot log", "no \"checks:\" line in /proc/kmsg");
		return t_end();
	}
	int ubsan = strstr(kmsg, "checks: UBSAN on") != NULL;
	int kasan = strstr(kmsg, "KASAN on") != NULL;
	expect("oob", kasan, "KASAN", "BUG: KASAN: slab-out-of-bounds in diag_oob+",
	       "Read of size 1 at addr");
	expect("uaf", kasan, "KASAN", "BUG: KASAN: slab-use-after-free in diag_uaf+", "Freed by task");
	expect("dfree", kasan, "KASAN", "BUG: KASAN: double-free in diag_dfree+", "Allocated by task");
	expect("shift", ubsan, "UBSAN", "UBSAN: shift-out-of-bounds in modules/diagdemo.c:",
	       "shift exponent 40 is too large for 32-bit type 'int'");
	expect("overflow", ubsan, "UBSAN", "UBSAN: signed-integer-overflow in modules/diagdemo.c:",
	       "2147483647 + 1 cannot be represented in type 'int'");
	test_leak_scanner(kasan);
	test_watchdog();
	test_sysrq();
	return t_end();
}
