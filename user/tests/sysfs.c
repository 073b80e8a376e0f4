/*
 * sysfs (course section: procfs and sysfs): the device files of
 * /sys/class/mem and /sys/devices/virtual (on Linux and sysgate), the
 * mount points under /sys/kernel, and, on sysgate with its sample modules,
 * /sys/module/NAME with parameters a write changes in the module, the
 * char device a module makes, and no leak.
 * (test.sh: own boot -- /dev/hello must get the first dynamic minor, 256,
 * which only a kernel that has not loaded chardev before gives: sysgate
 * does not reuse a freed minor yet, as Linux does.)
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static const char *read_file(const char *path)
{
	static char buf[4][256];
	static int next;
	char *b = buf[next++ % 4];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, b, 255);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return "(unreadable)";
	b[n] = 0;
	return b;
}

static long write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long n = write(fd, text, strlen(text));
	long e = n < 0 ? -errno : n;
	close(fd);
	return e;
}

static const char *link_of(const char *path)
{
	static char buf[256];
	long n = syscall(SYS_readlink, path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

static void check_text(const char *name, const char *got, const char *want)
{
	check(name, !strcmp(got, want), "got \"%s\", want \"%s\"", got, want);
}

static void test_devices(void)
{
	check_text("/sys/class/mem/null/dev", read_file("/sys/class/mem/null/dev"), "1:3\n");
	check_text("/sys/class/mem/zero/dev", read_file("/sys/class/mem/zero/dev"), "1:5\n");
	check_text("/sys/class/mem/null/uevent", read_file("/sys/class/mem/null/uevent"),
		   "MAJOR=1\nMINOR=3\nDEVNAME=null\nDEVMODE=0666\n");
	struct stat st;
	check("/sys/class/mem/null is a symbolic link", lstat("/sys/class/mem/null", &st) == 0 && S_ISLNK(st.st_mode),
	      "mode %o", st.st_mode);
	check_text("... to the device's directory", link_of("/sys/class/mem/null"), "../../devices/virtual/mem/null");
	check_text("the device's subsystem link", link_of("/sys/devices/virtual/mem/null/subsystem"), "../../../../class/mem");
	check("dev is a read-only file of 4096 bytes", stat("/sys/class/mem/null/dev", &st) == 0 &&
	      st.st_mode == (S_IFREG | 0444) && st.st_size == 4096, "mode %o size %ld", st.st_mode, (long)st.st_size);
	check("uevent is writable", stat("/sys/class/mem/null/uevent", &st) == 0 && st.st_mode == (S_IFREG | 0644),
	      "mode %o", st.st_mode);
	check_errno("open dev for writing: EACCES", open("/sys/class/mem/null/dev", O_WRONLY), EACCES);
	if (!on_sysgate() && geteuid() != 0) {
		t_skip("write to uevent", "root only on Linux");
	} else {
		check_eq("write change to uevent", write_file("/sys/class/mem/null/uevent", "change\n"), 7);
		check_eq("write garbage to uevent: EINVAL", write_file("/sys/class/mem/null/uevent", "bogus\n"), -EINVAL);
	}
	check_errno("unlink in /sys: EPERM (EACCES for others than root)", unlink("/sys/class/mem/null/dev"),
		    geteuid() == 0 ? EPERM : EACCES);
	if (!on_sysgate() && geteuid() != 0) {
		t_skip("uevent_seqnum", "root only on Linux");
	} else {
		long before = atol(read_file("/sys/kernel/uevent_seqnum"));
		write_file("/sys/class/mem/null/uevent", "change");
		long after = atol(read_file("/sys/kernel/uevent_seqnum"));
		check_eq("/sys/kernel/uevent_seqnum counts a uevent", after - before, 1);
	}
	check("/sys/kernel/tracing is a directory", stat("/sys/kernel/tracing", &st) == 0 && S_ISDIR(st.st_mode), "no");
	check("/sys/kernel/debug is a directory", stat("/sys/kernel/debug", &st) == 0 && S_ISDIR(st.st_mode), "no");
}

static int kmsg_has(const char *text)
{
	static char buf[65536];
	int fd = open("/proc/kmsg", O_RDONLY);
	long n = 0, r;
	while (fd >= 0 && (r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	buf[n] = 0;
	return strstr(buf, text) != NULL;
}

static long load(const char *file, const char *params)
{
	int fd = open(file, O_RDONLY);
	long r = syscall(SYS_finit_module, fd, params, 0);
	close(fd);
	return r;
}

static void test_modules(void)
{
	check_ok("insmod hello whom=class", load("/lib/modules/hello.ko", "whom=class"));
	check_text("/sys/module/hello/initstate", read_file("/sys/module/hello/initstate"), "live\n");
	check_text("/sys/module/hello/refcnt", read_file("/sys/module/hello/refcnt"), "0\n");
	check_text("parameters/whom shows the load-time value", read_file("/sys/module/hello/parameters/whom"), "class\n");
	check_text("parameters/times shows the default", read_file("/sys/module/hello/parameters/times"), "1\n");
	check_eq("write parameters/whom", write_file("/sys/module/hello/parameters/whom", "sysfs\n"), 6);
	check_text("... reads back", read_file("/sys/module/hello/parameters/whom"), "sysfs\n");
	check_eq("write it again", write_file("/sys/module/hello/parameters/whom", "students"), 8);
	check_eq("times is read-only: EACCES", write_file("/sys/module/hello/parameters/times", "5"), -EACCES);
	check_ok("rmmod hello", syscall(SYS_delete_module, "hello", O_NONBLOCK));
	check("the module saw the new value", kmsg_has("hello: Goodbye, students."), "not in /proc/kmsg");
	struct stat st;
	check_errno("/sys/module/hello is gone", stat("/sys/module/hello", &st), ENOENT);
	check_ok("insmod chardev", load("/lib/modules/chardev.ko", ""));
	check_text("its device: /sys/class/misc/hello/dev", read_file("/sys/class/misc/hello/dev"), "10:256\n");
	check("and /dev/hello has those numbers", stat("/dev/hello", &st) == 0 && st.st_rdev == ((10 << 8) | 0x100000),
	      "rdev %#lx", (unsigned long)st.st_rdev);
	check_ok("rmmod chardev", syscall(SYS_delete_module, "chardev", O_NONBLOCK));
	check_errno("the device's directory is gone", stat("/sys/devices/virtual/misc/hello", &st), ENOENT);
	check_errno("and its class link", lstat("/sys/class/misc/hello", &st), ENOENT);
}

static void leak_work(void)
{
	load("/lib/modules/hello.ko", "whom=a");
	write_file("/sys/module/hello/parameters/whom", "b");
	read_file("/sys/module/hello/parameters/whom");
	int fd = open("/sys/module/hello/parameters/whom", O_RDONLY); /* open across the unload */
	syscall(SYS_delete_module, "hello", O_NONBLOCK);
	char c;
	read(fd, &c, 1);
	close(fd);
	load("/lib/modules/chardev.ko", "");
	read_file("/sys/class/misc/hello/uevent");
	syscall(SYS_delete_module, "chardev", O_NONBLOCK);
}

int main(void)
{
	t_begin("sysfs");
	t_group("devices", test_devices);
	if (on_sysgate()) {
		t_group("modules", test_modules);
		t_leak_test("sysfs files of modules and devices: nothing lost", leak_work);
	} else {
		t_skip("modules", "sysgate's sample modules");
	}
	return t_end();
}
