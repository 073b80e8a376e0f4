/*
 * Tests of the kernel's bug checkers (course section: kernel debugging
 * techniques): each bug class of modules/diagdemo.ko, loaded on demand,
 * must be caught, and the report must name the function with the bug.
 *
 * KASAN's cases need a kernel built with `make KASAN=1` (make test-kasan
 * runs them); UBSAN's need UBSAN (every WERROR=1 build). The boot log says
 * which are on ("checks: UBSAN on, KASAN off"); a case whose checker is off
 * is skipped with that reason. The reports stay in the kernel log, where
 * tools/test.sh knows that those naming diagdemo are meant.
 */
#include <fcntl.h>
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

/* Load diagdemo with bug=NAME, unload it; the kernel log afterwards. */
static const char *provoke(const char *bug)
{
	char params[64];
	snprintf(params, sizeof(params), "bug=%s", bug);
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
	return t_end();
}
