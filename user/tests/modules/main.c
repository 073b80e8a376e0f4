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
 *
 * Its parts, one concept a file: loading.c, hooks.c, hostile.c; main.c keeps the shared helpers
 * and runs them all.
 * (test.sh: own boot -- it looks for its modules' lines in the first 20,000
 * bytes of /proc/kmsg, which the tests before it in a batch would fill.)
 */
#include "modules.h"

/* chardev's ioctls (modules/chardev.c) and oops's (modules/oops.c) */

/* ---- the three syscalls, and small helpers ------------------------------------------ */

struct image read_image(const char *path)
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

struct image copy_image(struct image im)
{
	struct image c = { malloc(im.size), im.size };
	memcpy(c.data, im.data, im.size);
	return c;
}

long load_file(const char *path, const char *params)
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
long slurp(const char *path, char *buf, size_t size)
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
const char *modules_line(const char *name)
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
int split_fields(const char *line, char f[][64], int max)
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

int loaded(const char *name)
{
	return modules_line(name) != NULL;
}

char kmsg[20000];

/* Does the kernel log (/proc/kmsg, its last 16 KiB) contain text? */
int kmsg_has(const char *text)
{
	return slurp("/proc/kmsg", kmsg, sizeof(kmsg)) > 0 && strstr(kmsg, text) != NULL;
}

/* leak_mark, after touching our own memory. Our pages count too: each
 * group runs in a forked child, whose first write to a page it shares with
 * its parent copies the page, and a page first written takes a frame. So:
 * all of kmsg[] now (a longer log fills more of it later), and a first
 * mark, which fills its /proc/meminfo buffer after the kernel has counted. */
void leak_baseline(struct leak_mark *m)
{
	memset(kmsg, 0, sizeof(kmsg));
	leak_mark(m);
	leak_mark(m);
}

/* Leave no sample loaded, whatever an earlier, failed case did. */
void unload_samples(void)
{
	static const char *const names[] = { "needs_hello", "hello", "chardev", "newsyscall",
					     "syscount", "tick", "oops", "forgetful" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		delete_module(names[i]);
}

/* ---- main ------------------------------------------------------------------------------------------------------------ */

/* Each group starts with no sample loaded, so that one failure does not
 * become a chain of EEXISTs. */
void group(const char *name, void (*fn)(void))
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
