/*
 * modules: Linux: what an unprivileged program gets; hello: load, unload, parameters;
 * dependencies: needs_hello calls hello's export; chardev: /dev/hello (course section: loadable
 * modules). One part of the modules test: main.c runs it.
 */
#include "modules.h"

/* ---- Linux: what an unprivileged program gets ----------------------------------------------- */

/* Harmless calls even for root (nothing by these names exists, no image):
 * an unprivileged caller gets EPERM before the kernel looks at them.
 * Exits 0 for EPERM from all three, 3 for ENOSYS from all three (a
 * kernel built without module support), 2 if privileges stayed, else 1. */
void unprivileged_calls(long unused)
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

void test_unprivileged(void)
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

void test_hello(void)
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

void test_dependencies(void)
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

long read_all(int fd, char *buf, size_t size)
{
	long n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

void chardev_read_write(void)
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

void chardev_ioctl(void)
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

void write_later(long text)
{
	t_nap(100);
	int fd = open("/dev/hello", O_WRONLY);
	write(fd, (const char *)text, strlen((const char *)text));
	_exit(0);
}

void chardev_poll(void)
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
void chardev_busy(void)
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
void chardev_renamed(void)
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

void test_chardev(void)
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
