/*
 * modules: badinput.md 28-30: hostile arguments; a fault in module code; 100 load/unload cycles;
 * the tools: insmod, lsmod, rmmod, modinfo (course section: loadable modules). One part of the
 * modules test: main.c runs it.
 */
#include "modules.h"

/* ---- badinput.md 28-30: hostile arguments ------------------------------------------------------------------ */

void test_init_module_args(void)
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

void test_delete_module_args(void)
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
void finit_module_fd0(void)
{
	struct stat st;
	if (fstat(0, &st) != 0)
		check_errno("finit_module(0), fd 0 closed: EBADF", finit_module(0, "", 0), EBADF);
	else if (S_ISREG(st.st_mode))
		check_errno("finit_module(0), a file that is no module: ENOEXEC", finit_module(0, "", 0), ENOEXEC);
	else
		check_errno("finit_module(0), not a regular file: EINVAL", finit_module(0, "", 0), EINVAL);
}

void test_finit_module_args(void)
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

void exit_3(int sig)
{
	(void)sig;
	_exit(3);
}

void exit_3_child(long unused)
{
	exit_3((int)unused);
}

void load_in_child(long unused)
{
	(void)unused;
	load_file(MODDIR "oops.ko", "in_init=1");
	_exit(5); /* the fault did not happen */
}

/* Make /dev/oops fault: how 0 writes (a NULL pointer), else ioctl how. A
 * SIGSEGV handler is installed to show the death is not an ordinary,
 * catchable signal: the kernel ends the process at once. */
void make_oops(long how)
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

void test_oops(void)
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
int cycle(int i, struct image hello, struct image chardev)
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

void test_cycles(void)
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
int run_tool(const char *prog, const char *a1, const char *a2, char *out, size_t size)
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

void test_tools(void)
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
