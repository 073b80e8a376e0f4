/*
 * modules: loadable kernel modules (course section: loadable modules).
 *
 * A module is an ELF relocatable object (.ko) that the kernel links into
 * itself at run time: init_module(image, len, params) loads one from memory,
 * finit_module(fd, params, flags) from a file, delete_module(name, flags)
 * unloads it. Tested here, with the samples in /lib/modules: each sample
 * loads and unloads (hello, chardev, newsyscall, syscount, tick); parameters;
 * EEXIST, ENOENT, EWOULDBLOCK (another module uses it), EBUSY (a device is
 * open); /dev/hello's read, write, ioctl and poll; a syscall that appears
 * with its module and is ENOSYS again without it; a timer callback; what
 * the kernel removes after an exit function that forgets to; the
 * refusal of broken modules (a missing symbol, truncated, another machine,
 * sections or relocations out of range, an init that fails) with nothing
 * leaked; a fault in module code, which kills only the calling process;
 * and 100 load/unload cycles with memory back at its baseline.
 *
 * Linux cannot load our modules, and a test must never change the host's
 * modules: on Linux only what needs no privilege runs -- an unprivileged
 * caller is refused with EPERM (CAP_SYS_MODULE, on both kernels), and
 * syscall 400 is ENOSYS -- and the rest is SKIPped.
 */
#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#define MODDIR "/lib/modules/"
#define GREET_NR 400		/* newsyscall's slot: free on Linux too */
#define OTHER_NR 401
#define EM_AARCH64_ 183		/* a machine that is not ours */

/* chardev's ioctls (modules/chardev.c) and oops's (modules/oops.c) */
#define HELLO_GET_LENGTH 0x6801
#define HELLO_GET_MESSAGE 0x6802
#define HELLO_SET_MESSAGE 0x6803
#define HELLO_CLEAR 0x6804
#define OOPS_INVALID_OPCODE 0x6f01
#define OOPS_BAD_MEMSET 0x6f02
#define OOPS_WRITE_TEXT 0x6f03
#define OOPS_WRITE_RODATA 0x6f04
#define OOPS_EXEC_DATA 0x6f05

#define KERNEL_ADDRESS 0xffffffff80000000UL

/* ---- the three syscalls, and small helpers ------------------------------------------ */

static long init_module(const void *image, unsigned long len, const char *params)
{
	return syscall(SYS_init_module, image, len, params);
}

static long finit_module(int fd, const char *params, int flags)
{
	return syscall(SYS_finit_module, fd, params, flags);
}

static long delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK); /* as rmmod does */
}

/* A module file in memory, to load with init_module or to damage first. */
struct image {
	unsigned char *data;
	size_t size;
};

static struct image read_image(const char *path)
{
	struct image im = { NULL, 0 };
	struct stat st;
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || !(im.data = malloc(st.st_size))) {
		close(fd);
		return im;
	}
	im.size = read(fd, im.data, st.st_size) == st.st_size ? (size_t)st.st_size : 0;
	close(fd);
	return im;
}

static struct image copy_image(struct image im)
{
	struct image c = { malloc(im.size), im.size };
	memcpy(c.data, im.data, im.size);
	return c;
}

static long load_file(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long r = finit_module(fd, params, 0);
	int saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* A whole small file (/proc/...) into buf; its length, or -1. */
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

/* The module's line of /proc/modules, or NULL if it is not loaded. */
static const char *modules_line(const char *name)
{
	static char buf[8192], line[256];
	if (slurp("/proc/modules", buf, sizeof(buf)) < 0)
		return NULL;
	size_t n = strlen(name);
	for (char *p = buf; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (!strncmp(p, name, n) && p[n] == ' ') {
			size_t len = strcspn(p, "\n");
			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			return line;
		}
	return NULL;
}

/* Split a line (up to its newline) at spaces into at most max fields of
 * up to 63 characters; how many there were. */
static int split_fields(const char *line, char f[][64], int max)
{
	int n = 0;
	while (*line && n < max) {
		line += strspn(line, " ");
		size_t len = strcspn(line, " \n");
		if (!len)
			break;
		snprintf(f[n++], 64, "%.*s", (int)len, line);
		line += len;
	}
	return n;
}

static int loaded(const char *name)
{
	return modules_line(name) != NULL;
}

static char kmsg[20000];

/* Does the kernel log (/proc/kmsg, its last 16 KiB) contain text? */
static int kmsg_has(const char *text)
{
	return slurp("/proc/kmsg", kmsg, sizeof(kmsg)) > 0 && strstr(kmsg, text) != NULL;
}

/* leak_mark, after touching our own memory. Our pages count too: each
 * group runs in a forked child, whose first write to a page it shares with
 * its parent copies the page, and a page first written takes a frame. So:
 * all of kmsg[] now (a longer log fills more of it later), and a first
 * mark, which fills its /proc/meminfo buffer after the kernel has counted. */
static void leak_baseline(struct leak_mark *m)
{
	memset(kmsg, 0, sizeof(kmsg));
	leak_mark(m);
	leak_mark(m);
}

/* Leave no sample loaded, whatever an earlier, failed case did. */
static void unload_samples(void)
{
	static const char *const names[] = { "needs_hello", "hello", "chardev", "newsyscall",
					     "syscount", "tick", "oops", "forgetful" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		delete_module(names[i]);
}

/* ---- Linux: what an unprivileged program gets ----------------------------------------------- */

/* Harmless calls even for root (nothing by these names exists, no image):
 * an unprivileged caller gets EPERM before the kernel looks at them.
 * Exits 0 for EPERM from all three, 3 for ENOSYS from all three (a
 * kernel built without module support), 2 if privileges stayed, else 1. */
static void unprivileged_calls(long unused)
{
	(void)unused;
	if (geteuid() == 0 && syscall(SYS_setuid, 65534) != 0)
		_exit(2);
	if (getuid() == 0 || geteuid() == 0)
		_exit(2);
	int e[3];
	e[0] = init_module(NULL, 0, "") == -1 ? errno : 0;
	e[1] = finit_module(-1, "", 0) == -1 ? errno : 0;
	e[2] = delete_module("sysgate_no_such_module") == -1 ? errno : 0;
	if (e[0] == e[1] && e[1] == e[2] && (e[0] == EPERM || e[0] == ENOSYS))
		_exit(e[0] == EPERM ? 0 : 3);
	_exit(1);
}

static void test_unprivileged(void)
{
	const char *name = "unprivileged init_module, finit_module, delete_module: EPERM";
	int st = run_child(unprivileged_calls, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
		t_skip(name, "could not drop privileges");
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		t_skip(name, "this Linux was built without module support (ENOSYS)");
	else
		check_exited(name, st, 0);
}

/* ---- hello: load, unload, parameters ------------------------------------------------------ */

static void test_hello(void)
{
	struct image hello = read_image(MODDIR "hello.ko");
	if (!check("hello.ko is in /lib/modules", hello.size > 0, "cannot read it"))
		return;
	check_eq("init_module hello whom=class times=2", init_module(hello.data, hello.size, "whom=class times=2"), 0);
	check("hello printed its greeting twice, with the parameter", kmsg_has("hello: Hello, class!\nhello: Hello, class!"),
	      "not in /proc/kmsg");
	const char *line = modules_line("hello");
	char f[6][64];
	int fields = line ? split_fields(line, f, 6) : 0;
	unsigned long size = fields == 6 ? strtoul(f[1], NULL, 10) : 0;
	unsigned long address = fields == 6 ? strtoul(f[5], NULL, 16) : 0;
	check("/proc/modules: hello SIZE 0 - Live ADDRESS", fields == 6 && size > 0 && size % 4096 == 0 &&
	      !strcmp(f[2], "0") && !strcmp(f[3], "-") && !strcmp(f[4], "Live") && !strncmp(f[5], "0x", 2),
	      "got '%s'", line ? line : "(no line)");
	check("it lies in the module area, within 2 GiB of the kernel", address >= 0xffffffffc0000000UL,
	      "address %#lx", address);
	check_errno("init_module it again: EEXIST", init_module(hello.data, hello.size, ""), EEXIST);
	check_errno("finit_module it again: EEXIST", load_file(MODDIR "hello.ko", ""), EEXIST);
	check_eq("delete_module hello", delete_module("hello"), 0);
	check("hello said goodbye", kmsg_has("hello: Goodbye, class."), "not in /proc/kmsg");
	check("hello is gone from /proc/modules", !loaded("hello"), "still listed");
	check_errno("delete_module hello again: ENOENT", delete_module("hello"), ENOENT);

	check_eq("finit_module hello.ko (insmod's way), no parameters", load_file(MODDIR "hello.ko", ""), 0);
	check("greets the default, world", kmsg_has("hello: Hello, world!"), "not in /proc/kmsg");
	check_eq("and unload it", delete_module("hello"), 0);

	check_errno("an unknown parameter: EINVAL", init_module(hello.data, hello.size, "nosuch=1"), EINVAL);
	check_errno("an int parameter that is no number: EINVAL", init_module(hello.data, hello.size, "times=abc"),
		    EINVAL);
	check_errno("an init that refuses the value (times=1000): EINVAL",
		    init_module(hello.data, hello.size, "times=1000"), EINVAL);
	check("none of them stayed loaded", !loaded("hello"), "hello is listed");
	free(hello.data);
}

/* ---- dependencies: needs_hello calls hello's export ------------------------------------- */

static void test_dependencies(void)
{
	check_errno("needs_hello without hello: ENOENT (unknown symbol)", load_file(MODDIR "needs_hello.ko", ""), ENOENT);
	check("the kernel log names the missing symbol", kmsg_has("module needs_hello: unknown symbol hello_greetings"),
	      "not in /proc/kmsg");
	check_eq("load hello times=3", load_file(MODDIR "hello.ko", "times=3"), 0);
	check_eq("then needs_hello links to hello_greetings", load_file(MODDIR "needs_hello.ko", ""), 0);
	check("needs_hello called it", kmsg_has("needs_hello: hello has greeted 3 times"), "not in /proc/kmsg");
	const char *line = modules_line("hello");
	check("/proc/modules: hello is used by needs_hello", line && strstr(line, " 1 needs_hello, Live "),
	      "got '%s'", line ? line : "(no line)");
	check_errno("rmmod hello while needs_hello uses it: EWOULDBLOCK", delete_module("hello"), EWOULDBLOCK);
	check("hello is still there", loaded("hello"), "gone");
	check_eq("rmmod needs_hello", delete_module("needs_hello"), 0);
	check_eq("now rmmod hello", delete_module("hello"), 0);
}

/* ---- chardev: /dev/hello ------------------------------------------------------------------------ */

static long read_all(int fd, char *buf, size_t size)
{
	long n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static void chardev_read_write(void)
{
	char buf[300];
	int fd = open("/dev/hello", O_RDWR);
	check_ok("open /dev/hello", fd);
	check_eq("read returns the module's message", read_all(fd, buf, sizeof(buf)), 31);
	check("the message", !strcmp(buf, "Hello from the chardev module!\n"), "got '%s'", buf);
	check_eq("then end of file", read(fd, buf, sizeof(buf)), 0);
	check_eq("write stores a new message (echo hi > /dev/hello)", write(fd, "hi\n", 3), 3);
	close(fd);
	fd = open("/dev/hello", O_RDONLY);
	check_eq("a new open reads it (cat /dev/hello)", read_all(fd, buf, sizeof(buf)), 3);
	check("the message is hi", !strcmp(buf, "hi\n"), "got '%s'", buf);
	close(fd);
	fd = open("/dev/hello", O_WRONLY);
	memset(buf, 'x', sizeof(buf));
	check_errno("write of 300 bytes: ENOSPC", write(fd, buf, 300), ENOSPC);
	check_errno("write from a bad pointer: EFAULT", write(fd, (void *)KERNEL_ADDRESS, 3), EFAULT);
	close(fd);
}

static void chardev_ioctl(void)
{
	char buf[300] = "";
	int fd = open("/dev/hello", O_RDWR);
	check_eq("ioctl HELLO_GET_LENGTH", ioctl(fd, HELLO_GET_LENGTH), 3);
	check_eq("ioctl HELLO_GET_MESSAGE", ioctl(fd, HELLO_GET_MESSAGE, buf), 3);
	check("got hi", !strcmp(buf, "hi\n"), "got '%s'", buf);
	check_eq("ioctl HELLO_SET_MESSAGE", ioctl(fd, HELLO_SET_MESSAGE, "set by ioctl"), 0);
	check_eq("read sees it", read_all(fd, buf, sizeof(buf)), 12);
	check("the new message", !strcmp(buf, "set by ioctl"), "got '%s'", buf);
	check_errno("HELLO_GET_MESSAGE to a bad pointer: EFAULT", ioctl(fd, HELLO_GET_MESSAGE, (void *)KERNEL_ADDRESS),
		    EFAULT);
	check_errno("HELLO_SET_MESSAGE from NULL: EFAULT", ioctl(fd, HELLO_SET_MESSAGE, NULL), EFAULT);
	check_errno("an unknown ioctl: ENOTTY", ioctl(fd, 0x6899, 0), ENOTTY);
	check_eq("ioctl HELLO_CLEAR", ioctl(fd, HELLO_CLEAR), 0);
	check_eq("the length is 0", ioctl(fd, HELLO_GET_LENGTH), 0);
	close(fd);
}

static void write_later(long text)
{
	t_nap(100);
	int fd = open("/dev/hello", O_WRONLY);
	write(fd, (const char *)text, strlen((const char *)text));
	_exit(0);
}

static void chardev_poll(void)
{
	int fd = open("/dev/hello", O_RDWR);
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };
	check_eq("poll an empty device", poll(&p, 1, 0), 1);
	check("writable, not readable", (p.revents & (POLLIN | POLLOUT)) == POLLOUT, "revents %#x", p.revents);
	write(fd, "x", 1);
	p.revents = 0;
	poll(&p, 1, 0);
	check("with a message: readable and writable", (p.revents & (POLLIN | POLLOUT)) == (POLLIN | POLLOUT),
	      "revents %#x", p.revents);
	ioctl(fd, HELLO_CLEAR);
	pid_t pid = t_fork();
	if (pid == 0)
		write_later((long)"woken");
	p = (struct pollfd){ fd, POLLIN, 0 };
	check_eq("poll for POLLIN sleeps until another process writes", poll(&p, 1, 10000), 1);
	check("POLLIN", p.revents & POLLIN, "revents %#x", p.revents);
	t_wait(pid, T_WAIT_TICKS);
	close(fd);
}

/* An open file holds the module, through dup and fork too. */
static void chardev_busy(void)
{
	int fd = open("/dev/hello", O_RDONLY);
	check_errno("rmmod chardev while /dev/hello is open: EBUSY", delete_module("chardev"), EBUSY);
	const char *line = modules_line("chardev");
	check("/proc/modules counts the user", line && strstr(line, "chardev ") && strstr(line, " 1 - Live "),
	      "got '%s'", line ? line : "(no line)");
	int copy = dup(fd);
	close(fd);
	check_errno("still EBUSY while a dup of it is open", delete_module("chardev"), EBUSY);
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1); /* hold the inherited copy until told */
		_exit(0);
	}
	close(copy);
	close(p[0]);
	check_errno("still EBUSY while a child holds its inherited copy", delete_module("chardev"), EBUSY);
	close(p[1]);
	t_wait(pid, T_WAIT_TICKS);
}

/* The user may rename a device node inside /dev and give it more names
 * there; rmmod must still take every one of them away, or opening one would
 * run the freed module's code. */
static void chardev_renamed(void)
{
	check_eq("insmod chardev again", load_file(MODDIR "chardev.ko", ""), 0);
	mkdir("/dev/sub", 0755);
	check_eq("rename /dev/hello to /dev/sub/renamed", rename("/dev/hello", "/dev/sub/renamed"), 0);
	check_eq("link /dev/sub/renamed to /dev/again", link("/dev/sub/renamed", "/dev/again"), 0);
	check_errno("link it outside /dev: EXDEV", link("/dev/again", "/tmp/hello"), EXDEV);
	char buf[64];
	int fd = open("/dev/again", O_RDONLY);
	check("the new name reads the device", fd >= 0 && read(fd, buf, sizeof(buf)) > 0, "%s", errno_name(errno));
	close(fd);
	check_eq("rmmod chardev", delete_module("chardev"), 0);
	check_errno("the renamed node is gone", open("/dev/sub/renamed", O_RDONLY), ENOENT);
	check_errno("and the second name", open("/dev/again", O_RDONLY), ENOENT);
	rmdir("/dev/sub");
}

static void test_chardev(void)
{
	struct stat st;
	check_eq("insmod chardev", load_file(MODDIR "chardev.ko", ""), 0);
	check("/dev/hello appears, a character device", stat("/dev/hello", &st) == 0 && S_ISCHR(st.st_mode),
	      "stat: %s", errno_name(errno));
	chardev_read_write();
	chardev_ioctl();
	chardev_poll();
	chardev_busy();
	check_eq("rmmod chardev once the last file is closed", delete_module("chardev"), 0);
	check_errno("/dev/hello is gone: ENOENT", open("/dev/hello", O_RDONLY), ENOENT);
	chardev_renamed();
}

/* ---- newsyscall: a syscall added at run time ------------------------------------------------------ */

static void test_syscall_absent(const char *when)
{
	check_raw_errno(cname("syscall %d %s: ENOSYS", GREET_NR, when), raw_syscall(GREET_NR, 0, 0, 0, 0, 0, 0), ENOSYS);
}

static void test_newsyscall(void)
{
	char buf[64] = "";
	check_eq("insmod newsyscall", load_file(MODDIR "newsyscall.ko", ""), 0);
	check_eq("syscall 400(buf, 64, 21) returns 42", raw_syscall(GREET_NR, (long)buf, sizeof(buf), 21, 0, 0, 0), 42);
	check("and wrote its greeting", !strcmp(buf, "greetings from a module's syscall"), "got '%s'", buf);
	check_raw_errno("a buffer too small: EINVAL", raw_syscall(GREET_NR, (long)buf, 4, 1, 0, 0, 0), EINVAL);
	check_raw_errno("a bad buffer: EFAULT", raw_syscall(GREET_NR, (long)KERNEL_ADDRESS, 64, 1, 0, 0, 0), EFAULT);
	check_eq("rmmod newsyscall", delete_module("newsyscall"), 0);
	test_syscall_absent("after rmmod");

	check_errno("newsyscall nr=0, read's slot (in use): EBUSY", load_file(MODDIR "newsyscall.ko", "nr=0"), EBUSY);
	check_eq("read still works", read(-1, buf, 1) == -1 && errno == EBADF, 1);
	check_errno("newsyscall nr=600, beyond the table: EINVAL", load_file(MODDIR "newsyscall.ko", "nr=600"), EINVAL);
	check_eq("newsyscall nr=401, another free slot", load_file(MODDIR "newsyscall.ko", "nr=401"), 0);
	check_eq("syscall 401 answers", raw_syscall(OTHER_NR, (long)buf, sizeof(buf), 5, 0, 0, 0), 10);
	test_syscall_absent("while the module holds 401");
	check_eq("rmmod", delete_module("newsyscall"), 0);
	check_raw_errno("syscall 401 after rmmod: ENOSYS", raw_syscall(OTHER_NR, 0, 0, 0, 0, 0, 0), ENOSYS);
}

/* ---- syscount: the syscall entry hook --------------------------------------------------------------- */

/* The count on /proc/syscount's line for a syscall name, or -1. */
static long syscount_of(const char *name)
{
	static char buf[16384];
	if (slurp("/proc/syscount", buf, sizeof(buf)) < 0)
		return -1;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char f[3][64];
		if (split_fields(line, f, 3) == 3 && !strcmp(f[1], name))
			return atol(f[2]);
	}
	return -1;
}

static void test_syscount(void)
{
	check_eq("insmod syscount", load_file(MODDIR "syscount.ko", ""), 0);
	for (int i = 0; i < 50; i++)
		getppid();
	long n = syscount_of("getppid");
	check("/proc/syscount counted 50 getppid calls", n == 50, "count %ld", n);
	check("and the read that shows them", syscount_of("read") > 0, "no read line");
	check_eq("rmmod syscount", delete_module("syscount"), 0);
	check("it printed the table on unload", kmsg_has("syscount: syscalls made while loaded:") &&
	      kmsg_has("getppid"), "not in /proc/kmsg");
	check_errno("/proc/syscount is gone", open("/proc/syscount", O_RDONLY), ENOENT);
}

/* ---- tick: a timer callback ------------------------------------------------------------------------------ */

static long tick_count(void)
{
	char buf[32];
	return slurp("/proc/tick", buf, sizeof(buf)) > 0 ? atol(buf) : -1;
}

static void test_tick(void)
{
	check_errno("tick period_ms=0: EINVAL", load_file(MODDIR "tick.ko", "period_ms=0"), EINVAL);
	check_eq("insmod tick period_ms=10", load_file(MODDIR "tick.ko", "period_ms=10"), 0);
	long first = tick_count();
	t_nap(200);
	long later = tick_count();
	check("the callback runs by itself", first >= 0 && later > first, "count %ld, then %ld", first, later);
	check_eq("rmmod tick", delete_module("tick"), 0);
	check_errno("/proc/tick is gone", open("/proc/tick", O_RDONLY), ENOENT);
	t_nap(50); /* a timer left armed would now call into freed code */
	check_eq("the timer stopped with it: the system still runs", getppid() > 0, 1);
}

/* ---- forgetful: the kernel cleans up after an exit that does not --------------------------------------- */

static void test_forgetful(void)
{
	check_eq("insmod forgetful", load_file(MODDIR "forgetful.ko", ""), 0);
	check_eq("its syscall 402 answers", raw_syscall(402, 0, 0, 0, 0, 0, 0), 7);
	check_ok("its /proc/forgetful reads", slurp("/proc/forgetful", (char[32]){ 0 }, 32));
	check_eq("rmmod forgetful, whose exit unregisters nothing", delete_module("forgetful"), 0);
	check_errno("the kernel removed /dev/forgetful", open("/dev/forgetful", O_RDONLY), ENOENT);
	check_errno("and /proc/forgetful", open("/proc/forgetful", O_RDONLY), ENOENT);
	check_raw_errno("and syscall 402: ENOSYS", raw_syscall(402, 0, 0, 0, 0, 0, 0), ENOSYS);
	t_nap(50); /* the hook and the 1 ms timer would have jumped into freed code by now */
	check_eq("the hook and the timer are gone too: the system still runs", getppid() > 0, 1);
	check("a warning for each in the kernel log", kmsg_has("module forgetful: syscall 402 still registered") &&
	      kmsg_has("module forgetful: syscall hook still registered") &&
	      kmsg_has("module forgetful: 1 timer(s) still armed") &&
	      kmsg_has("module forgetful: 1 /proc file(s) still registered") &&
	      kmsg_has("module forgetful: /dev/forgetful still registered"), "not all in /proc/kmsg");

	/* The hook is one slot: with syscount's hook in it, forgetful's init
	 * fails halfway, having registered its device and syscall already. */
	check_eq("insmod syscount, which takes the syscall hook", load_file(MODDIR "syscount.ko", ""), 0);
	check_errno("forgetful, whose init then fails at the hook: EBUSY", load_file(MODDIR "forgetful.ko", ""), EBUSY);
	check_errno("what it had registered went with it: /dev/forgetful", open("/dev/forgetful", O_RDONLY), ENOENT);
	check_raw_errno("and syscall 402", raw_syscall(402, 0, 0, 0, 0, 0, 0), ENOSYS);
	check_eq("rmmod syscount", delete_module("syscount"), 0);

	struct leak_mark m;
	leak_baseline(&m);
	int failed = load_file(MODDIR "forgetful.ko", "") != 0;
	failed += delete_module("forgetful") != 0;
	check_eq("load and unload it again", failed, 0);
	leak_check("what the kernel removed was freed: nothing leaked", &m);
}

/* ---- refusals: broken modules, and nothing leaked ----------------------------------------------------- */

static Elf64_Ehdr *ehdr(struct image im)
{
	return (Elf64_Ehdr *)im.data;
}

static Elf64_Shdr *section(struct image im, int i)
{
	return (Elf64_Shdr *)(im.data + ehdr(im)->e_shoff) + i;
}

static int find_section_type(struct image im, unsigned type)
{
	for (int i = 0; i < ehdr(im)->e_shnum; i++)
		if (section(im, i)->sh_type == type)
			return i;
	return -1;
}

static int find_section_named(struct image im, const char *name)
{
	const char *names = (const char *)im.data + section(im, ehdr(im)->e_shstrndx)->sh_offset;
	for (int i = 0; i < ehdr(im)->e_shnum; i++)
		if (!strcmp(names + section(im, i)->sh_name, name))
			return i;
	return -1;
}

/* The first relocation that applies to the section named target. */
static Elf64_Rela *first_rela_of(struct image im, const char *target)
{
	int t = find_section_named(im, target);
	for (int i = 0; t >= 0 && i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = section(im, i);
		if (s->sh_type == SHT_RELA && (int)s->sh_info == t && s->sh_size)
			return (Elf64_Rela *)(im.data + s->sh_offset);
	}
	return NULL;
}

/* The first relocation of the first RELA section that applies to code. */
static Elf64_Rela *first_text_rela(struct image im)
{
	for (int i = 0; i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = section(im, i);
		if (s->sh_type == SHT_RELA && s->sh_size && (section(im, s->sh_info)->sh_flags & SHF_EXECINSTR))
			return (Elf64_Rela *)(im.data + s->sh_offset);
	}
	return NULL;
}

static void other_machine(struct image im) { ehdr(im)->e_machine = EM_AARCH64_; }
static void elf32(struct image im) { ehdr(im)->e_ident[EI_CLASS] = ELFCLASS32; }
static void big_endian(struct image im) { ehdr(im)->e_ident[EI_DATA] = 2; }
static void not_relocatable(struct image im) { ehdr(im)->e_type = ET_DYN; }
static void not_elf(struct image im) { memcpy(im.data, "#!/bin/sh\n", 10); }
static void headers_outside(struct image im) { ehdr(im)->e_shoff = im.size - 64; }
static void too_many_sections(struct image im) { ehdr(im)->e_shnum = 60000; }
static void symtab_outside(struct image im) { section(im, find_section_type(im, SHT_SYMTAB))->sh_offset = 1ul << 40; }
static void huge_bss(struct image im) { section(im, find_section_type(im, SHT_NOBITS))->sh_size = ~0ul - 4000; }
static void symbol_section_xindex(struct image im)
{
	Elf64_Shdr *st = section(im, find_section_type(im, SHT_SYMTAB));
	Elf64_Sym *syms = (Elf64_Sym *)(im.data + st->sh_offset);
	for (size_t i = 1; i < st->sh_size / sizeof(*syms); i++)
		if (syms[i].st_shndx != SHN_UNDEF && syms[i].st_shndx != SHN_ABS)
			syms[i].st_shndx = 0xffff; /* SHN_XINDEX: "look in another table", which we do not have */
}
static void params_not_loaded(struct image im) { section(im, find_section_named(im, "__param"))->sh_flags &= ~SHF_ALLOC; }
static void param_name_outside(struct image im) { first_rela_of(im, "__param")->r_addend = 1l << 40; }
static void export_name_outside(struct image im) { first_rela_of(im, "__ksymtab")->r_addend = 1l << 40; }
static void reloc_outside(struct image im) { first_text_rela(im)->r_offset = 1ul << 32; }
static void reloc_no_symbol(struct image im) { first_text_rela(im)->r_info = (1ul << 40) | R_X86_64_PLT32; }
static void reloc_unknown_type(struct image im) { first_text_rela(im)->r_info = (first_text_rela(im)->r_info & ~0xfffffffful) | 37; }

#define HALF ((size_t)-2)
#define ONE_SHORT ((size_t)-1)

/* Each broken module, and the error that refuses it. */
static const struct refusal {
	const char *what;
	int want;
	size_t cut;                   /* load only this many bytes of hello.ko */
	void (*damage)(struct image); /* or a damaged copy of it */
	const char *file;             /* or this file ("self": this program) */
} refusals[] = {
	{ "truncated to 1 byte", ENOEXEC, 1, NULL, NULL },
	{ "truncated to 63 bytes, less than the ELF header", ENOEXEC, 63, NULL, NULL },
	{ "truncated to the ELF header alone", ENOEXEC, 64, NULL, NULL },
	{ "truncated to 1000 bytes", ENOEXEC, 1000, NULL, NULL },
	{ "truncated to half", ENOEXEC, HALF, NULL, NULL },
	{ "one byte short", ENOEXEC, ONE_SHORT, NULL, NULL },
	{ "built for another machine (aarch64)", ENOEXEC, 0, other_machine, NULL },
	{ "a 32-bit ELF", ENOEXEC, 0, elf32, NULL },
	{ "big-endian", ENOEXEC, 0, big_endian, NULL },
	{ "a shared object, not relocatable", ENOEXEC, 0, not_relocatable, NULL },
	{ "not ELF at all", ENOEXEC, 0, not_elf, NULL },
	{ "section headers past the end", ENOEXEC, 0, headers_outside, NULL },
	{ "60000 sections", ENOEXEC, 0, too_many_sections, NULL },
	{ "the symbol table outside the file", ENOEXEC, 0, symtab_outside, NULL },
	{ "a .bss of nearly 2^64 bytes", ENOEXEC, 0, huge_bss, NULL },
	{ "symbols in section 0xffff (SHN_XINDEX)", ENOEXEC, 0, symbol_section_xindex, NULL },
	{ "a parameter table (__param) that is not loaded", ENOEXEC, 0, params_not_loaded, NULL },
	{ "a parameter whose name points out of the module", ENOEXEC, 0, param_name_outside, NULL },
	{ "an export whose name points out of the module", ENOEXEC, 0, export_name_outside, NULL },
	{ "a relocation outside its section", ENOEXEC, 0, reloc_outside, NULL },
	{ "a relocation of a symbol that does not exist", ENOEXEC, 0, reloc_no_symbol, NULL },
	{ "an unknown relocation type", ENOEXEC, 0, reloc_unknown_type, NULL },
	{ "a program, not a module (this test)", ENOEXEC, 0, NULL, "self" },
	{ "badsym, which needs a symbol nobody exports", ENOENT, 0, NULL, MODDIR "badsym.ko" },
	{ "initfail, whose init fails: its error", ENODEV, 0, NULL, MODDIR "initfail.ko" },
};
#define NREFUSALS (sizeof(refusals) / sizeof(refusals[0]))

/* Try to load refusal r; the errno it got, or 0 if it loaded. */
static int try_refusal(const struct refusal *r, struct image hello)
{
	long ret;
	if (r->file) {
		ret = load_file(strcmp(r->file, "self") ? r->file : t_self(), "");
	} else if (r->damage) {
		struct image bad = copy_image(hello);
		r->damage(bad);
		ret = init_module(bad.data, bad.size, "");
		free(bad.data);
	} else {
		size_t n = r->cut == HALF ? hello.size / 2 : r->cut == ONE_SHORT ? hello.size - 1 : r->cut;
		ret = init_module(hello.data, n, "");
	}
	return ret == 0 ? 0 : errno;
}

static void test_refusals(void)
{
	struct image hello = read_image(MODDIR "hello.ko");
	if (!check("read hello.ko", hello.size > 0, "cannot"))
		return;
	for (size_t k = 0; k < NREFUSALS; k++) {
		int got = try_refusal(&refusals[k], hello);
		check(cname("%s: %s", refusals[k].what, errno_name(refusals[k].want)), got == refusals[k].want, "got %s",
		      got ? errno_name(got) : "loaded");
	}
	check("no refused module is listed", !loaded("hello") && !loaded("badsym") && !loaded("initfail"),
	      "/proc/modules lists one");
	check("the kernel log names badsym's missing symbol",
	      kmsg_has("module badsym: unknown symbol sysgate_no_such_function"), "not in /proc/kmsg");
	check("and says initfail was unloaded", kmsg_has("module initfail: init failed with -19; unloaded"),
	      "not in /proc/kmsg");

	struct leak_mark m;
	leak_baseline(&m);
	int wrong = 0;
	for (size_t k = 0; k < NREFUSALS; k++)
		wrong += try_refusal(&refusals[k], hello) != refusals[k].want;
	check_eq("every refusal again, the same", wrong, 0);
	leak_check("the refused modules left nothing behind", &m);
	free(hello.data);
}

/* ---- badinput.md 28-30: hostile arguments ------------------------------------------------------------------ */

static void test_init_module_args(void)
{
	struct image hello = read_image(MODDIR "hello.ko");
	check_errno("init_module(NULL, 4096): EFAULT", init_module(NULL, 4096, ""), EFAULT);
	check_errno("init_module of a kernel address: EFAULT", init_module((void *)KERNEL_ADDRESS, 4096, ""), EFAULT);
	check_errno("init_module of unmapped memory: EFAULT", init_module((void *)0x10000, 4096, ""), EFAULT);
	check_errno("an image that runs off its mapping: EFAULT",
		    init_module((char *)0x7ffffffff000UL - 100, 4096, ""), EFAULT);
	check_errno("init_module length 0: ENOEXEC", init_module(hello.data, 0, ""), ENOEXEC);
	check_errno("init_module with params NULL: EFAULT", init_module(hello.data, hello.size, NULL), EFAULT);
	check_errno("init_module with params at a kernel address: EFAULT",
		    init_module(hello.data, hello.size, (char *)KERNEL_ADDRESS), EFAULT);
	check("nothing loaded", !loaded("hello"), "hello is listed");
	free(hello.data);
}

static void test_delete_module_args(void)
{
	char name[80];
	check_errno("delete_module(\"nonexistent\"): ENOENT", delete_module("nonexistent"), ENOENT);
	check_errno("delete_module(\"\"): ENOENT", delete_module(""), ENOENT);
	memset(name, 'a', sizeof(name));
	name[55] = 0;
	check_errno("a 55-character name: ENOENT", delete_module(name), ENOENT);
	name[55] = 'a';
	name[79] = 0;
	check_errno("a 79-character name: ENOENT", delete_module(name), ENOENT);
	check_errno("delete_module(NULL): EFAULT", delete_module(NULL), EFAULT);
	check_errno("a name at a kernel address: EFAULT", delete_module((char *)KERNEL_ADDRESS), EFAULT);
	check_eq("load hello", load_file(MODDIR "hello.ko", ""), 0);
	check_eq("delete_module without O_NONBLOCK works the same", syscall(SYS_delete_module, "hello", 0), 0);
}

/* finit_module(fd 0, ...): what fd 0 is depends on who started us (the
 * console under tools/run-elf); the answer follows from what it is. */
static void finit_module_fd0(void)
{
	struct stat st;
	if (fstat(0, &st) != 0)
		check_errno("finit_module(0), fd 0 closed: EBADF", finit_module(0, "", 0), EBADF);
	else if (S_ISREG(st.st_mode))
		check_errno("finit_module(0), a file that is no module: ENOEXEC", finit_module(0, "", 0), ENOEXEC);
	else
		check_errno("finit_module(0), not a regular file: EINVAL", finit_module(0, "", 0), EINVAL);
}

static void test_finit_module_args(void)
{
	int null = open("/dev/null", O_RDONLY), dir = open("/lib/modules", O_RDONLY), p[2];
	int self = open(t_self(), O_RDONLY), ko = open(MODDIR "hello.ko", O_RDONLY);
	int wr = open("/tmp/modules-test", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int empty = open("/tmp/modules-test", O_RDONLY);
	pipe(p);
	finit_module_fd0();
	check_errno("finit_module of /dev/null: EINVAL", finit_module(null, "", 0), EINVAL);
	check_errno("of a directory: EINVAL", finit_module(dir, "", 0), EINVAL);
	check_errno("of a pipe: EINVAL", finit_module(p[0], "", 0), EINVAL);
	check_errno("of a file that is not a module (this program): ENOEXEC", finit_module(self, "", 0), ENOEXEC);
	check_errno("of an empty file: ENOEXEC", finit_module(empty, "", 0), ENOEXEC);
	check_errno("flags -1: EINVAL", finit_module(ko, "", -1), EINVAL);
	check_errno("a write-only fd: EBADF", finit_module(wr, "", 0), EBADF);
	check_errno("fd -1: EBADF", finit_module(-1, "", 0), EBADF);
	check_errno("fd 999 (not open): EBADF", finit_module(999, "", 0), EBADF);
	check_errno("params NULL: EFAULT", finit_module(ko, NULL, 0), EFAULT);
	check("nothing loaded", !loaded("hello"), "hello is listed");
	int fds[] = { null, dir, self, ko, wr, empty, p[0], p[1] };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		close(fds[i]);
	unlink("/tmp/modules-test");
}

/* ---- a fault in module code ------------------------------------------------------------------------------------ */

static void exit_3(int sig)
{
	(void)sig;
	_exit(3);
}

static void exit_3_child(long unused)
{
	exit_3((int)unused);
}

static void load_in_child(long unused)
{
	(void)unused;
	load_file(MODDIR "oops.ko", "in_init=1");
	_exit(5); /* the fault did not happen */
}

/* Make /dev/oops fault: how 0 writes (a NULL pointer), else ioctl how. A
 * SIGSEGV handler is installed to show the death is not an ordinary,
 * catchable signal: the kernel ends the process at once. */
static void make_oops(long how)
{
	signal(SIGSEGV, exit_3);
	signal(SIGILL, exit_3);
	int fd = open("/dev/oops", O_RDWR);
	if (fd < 0)
		_exit(4);
	if (how == 0)
		write(fd, "x", 1);
	else
		ioctl(fd, how, 0);
	_exit(5); /* the fault did not happen */
}

static void test_oops(void)
{
	check_eq("insmod oops", load_file(MODDIR "oops.ko", ""), 0);
	int st = run_child(make_oops, 0);
	check_signaled("write to /dev/oops: a NULL store in the module kills the writer with SIGSEGV", st, SIGSEGV);
	check("the report names the module and the function+offset", kmsg_has("Module oops: #PF page fault") &&
	      kmsg_has("in kernel mode at oops_write+0x") && kmsg_has("[module oops]"), "not in /proc/kmsg");
	check("and says whom it killed", kmsg_has("module oops: the fault kills"), "not in /proc/kmsg");
	check_eq("the kernel goes on: this process still runs", getppid() > 0, 1);
	const char *line = modules_line("oops");
	check("the dead writer's file was closed: oops has no users", line && strstr(line, "oops ") && strstr(line, " 0 - Live "),
	      "got '%s'", line ? line : "(no line)");

	struct leak_mark m;
	leak_baseline(&m);
	st = run_child(make_oops, OOPS_INVALID_OPCODE);
	check_signaled("ioctl OOPS_INVALID_OPCODE: ud2 in the module kills the caller with SIGSEGV", st, SIGSEGV);
	check("the report names the ioctl", kmsg_has("Module oops: #UD invalid opcode") &&
	      kmsg_has("in kernel mode at oops_ioctl"), "not in /proc/kmsg"); /* maybe oops_ioctl.cold: gcc moves a trap out of line */
	leak_check("the killed process left nothing behind", &m);
	st = run_child(make_oops, OOPS_BAD_MEMSET);
	check_signaled("the module passes memset a NULL pointer: the fault in kernel code is still the module's", st,
		       SIGSEGV);
	check("the report shows memset, called by the module", kmsg_has("in kernel mode at memset+0x") &&
	      kmsg_has("module oops: the fault kills"), "not in /proc/kmsg");

	/* The loader's page rights, seen through the faults they cause. */
	st = run_child(make_oops, OOPS_WRITE_TEXT);
	check_signaled("the module's code is not writable", st, SIGSEGV);
	check("a write violating the page's protection", kmsg_has("write violating the page's protection"),
	      "not in /proc/kmsg");
	check_signaled("its read-only data is not writable", run_child(make_oops, OOPS_WRITE_RODATA), SIGSEGV);
	st = run_child(make_oops, OOPS_EXEC_DATA);
	check_signaled("its data is not executable", st, SIGSEGV);
	check("an instruction fetch violating the page's protection (NX)",
	      kmsg_has("instruction fetch violating the page's protection in kernel mode (NX or SMEP)"),
	      "not in /proc/kmsg");
	check_exited("the kernel goes on: a new child runs and exits", run_child(exit_3_child, 0), 3);
	check_eq("rmmod oops", delete_module("oops"), 0);

	/* A fault in init itself: init never returns, so the kernel unloads
	 * the module as if init had failed, undoing what it registered. */
	leak_baseline(&m);
	check_signaled("insmod oops in_init=1: the fault in init kills insmod", run_child(load_in_child, 0), SIGSEGV);
	check("the kernel says it unloaded the module", kmsg_has("module oops: init faulted; unloaded"),
	      "not in /proc/kmsg");
	check("oops is not loaded", !loaded("oops"), "still in /proc/modules");
	check_errno("/dev/oops, registered before the fault, is gone", open("/dev/oops", O_RDONLY), ENOENT);
	leak_check("nothing left of the load: image, module pages, device", &m);
	check_eq("and it loads again, cleanly", load_file(MODDIR "oops.ko", ""), 0);
	check_eq("rmmod oops", delete_module("oops"), 0);
}

/* ---- 100 load/unload cycles --------------------------------------------------------------------------------------- */

/* One cycle: hello with a string parameter (copied, freed at unload), or
 * chardev with its device opened, read and closed. 0 if all went well. */
static int cycle(int i, struct image hello, struct image chardev)
{
	char params[64], buf[64];
	if (i % 2 == 0) {
		snprintf(params, sizeof(params), "whom=cycle%d times=1", i);
		return init_module(hello.data, hello.size, params) || delete_module("hello");
	}
	if (init_module(chardev.data, chardev.size, ""))
		return 1;
	int fd = open("/dev/hello", O_RDONLY);
	int bad = fd < 0 || read(fd, buf, sizeof(buf)) != 31;
	close(fd);
	return delete_module("chardev") || bad;
}

static void test_cycles(void)
{
	struct image hello = read_image(MODDIR "hello.ko"), chardev = read_image(MODDIR "chardev.ko");
	if (!check("read hello.ko and chardev.ko", hello.size && chardev.size, "cannot"))
		return;
	int failed = cycle(0, hello, chardev) + cycle(1, hello, chardev); /* warm up */
	struct leak_mark m;
	leak_baseline(&m);
	for (int i = 0; i < 100; i++)
		failed += cycle(i, hello, chardev);
	check_eq("100 load/unload cycles of hello and chardev", failed, 0);
	leak_check("heap and free frames are back at the baseline", &m);
	check("nothing is left loaded", !loaded("hello") && !loaded("chardev"), "one is listed");
	free(hello.data);
	free(chardev.data);
}

/* ---- the tools: insmod, lsmod, rmmod, modinfo ------------------------------------------------------------------- */

/* Run /bin/PROG with up to two arguments, its output (stdout and stderr)
 * into out; its wait status. */
static int run_tool(const char *prog, const char *a1, const char *a2, char *out, size_t size)
{
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		char path[64];
		snprintf(path, sizeof(path), "/bin/%s", prog);
		char *argv[] = { (char *)prog, (char *)a1, (char *)a2, NULL };
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execve(path, argv, NULL);
		_exit(127);
	}
	close(p[1]);
	size_t len = 0;
	long n;
	while (len + 1 < size && (n = read(p[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = 0;
	close(p[0]);
	return t_wait(pid, T_WAIT_TICKS);
}

static void test_tools(void)
{
	static char out[4096];
	check_exited("insmod /lib/modules/hello.ko whom=tools", run_tool("insmod", MODDIR "hello.ko", "whom=tools", out,
									   sizeof(out)), 0);
	check_exited("lsmod", run_tool("lsmod", NULL, NULL, out, sizeof(out)), 0);
	check("lsmod: a header, then hello", !strncmp(out, "Module", 6) && strstr(out, "\nhello "), "got '%s'", out);
	check_exited("modinfo hello.ko", run_tool("modinfo", MODDIR "hello.ko", NULL, out, sizeof(out)), 0);
	check("modinfo shows the name, description and parameters", strstr(out, "name:") && strstr(out, "hello") &&
	      strstr(out, "description:") && strstr(out, "parm:") && strstr(out, "whom:charp"), "got '%s'", out);
	check_exited("rmmod hello", run_tool("rmmod", "hello", NULL, out, sizeof(out)), 0);
	check("hello is gone", !loaded("hello"), "still listed");
	check_exited("rmmod hello again fails: exit 1", run_tool("rmmod", "hello", NULL, out, sizeof(out)), 1);
	check("and says why", strstr(out, "No such file or directory") != NULL, "got '%s'", out);
	check_exited("insmod of a non-module fails: exit 1", run_tool("insmod", "/bin/sh", NULL, out, sizeof(out)), 1);
	check("and says why", strstr(out, "Exec format error") != NULL, "got '%s'", out);
}

/* ---- main ------------------------------------------------------------------------------------------------------------ */

/* Each group starts with no sample loaded, so that one failure does not
 * become a chain of EEXISTs. */
static void group(const char *name, void (*fn)(void))
{
	unload_samples();
	t_group(name, fn);
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("modules");
	test_syscall_absent("without the module");
	test_unprivileged();
	if (!on_sysgate()) {
		t_skip("loading and unloading", "Linux cannot load sysgate's modules, and the host's must not change");
		return t_end();
	}
	group("hello", test_hello);
	group("dependencies", test_dependencies);
	group("chardev", test_chardev);
	group("newsyscall", test_newsyscall);
	group("syscount", test_syscount);
	group("tick", test_tick);
	group("forgetful", test_forgetful);
	group("refusals", test_refusals);
	group("init_module arguments", test_init_module_args);
	group("delete_module arguments", test_delete_module_args);
	group("finit_module arguments", test_finit_module_args);
	group("oops", test_oops);
	group("cycles", test_cycles);
	group("tools", test_tools);
	unload_samples();
	return t_end();
}
