/*
 * Devices in sysfs, and their uevents (course section: procfs and sysfs).
 *
 * Linux files every device twice: once where it sits in the machine,
 * /sys/devices/... (devices with no bus, like /dev/null, under
 * /sys/devices/virtual/CLASS/NAME), and once by what it is, as a symbolic
 * link /sys/class/CLASS/NAME. The device's directory has:
 *   dev        its numbers, "1:3";
 *   uevent     the KEY=VALUE lines its uevents carry; writing an action
 *              ("change", "add"...) makes the kernel send that uevent again,
 *              which is how `udevadm trigger` replays events;
 *   subsystem  a link back to its class.
 * Registering a device in /dev (kernel/fs/devfs.c) registers it here, and
 * both additions and removals are announced as uevents.
 */
#include "kernel/fs/sysfs.h"
#include "kernel/list.h"
#include "kernel/net/uevent.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct sys_device {
	struct list_node node;
	char name[NAME_MAX + 1];
	unsigned major, minor;
	const char *class;
};

static struct list_node sys_devices = LIST_INIT(sys_devices);

/* The class a device number belongs to, as Linux files it: 1 is mem (null,
 * zero...), 4 and 5 tty, and what modules make (major 10) misc. */
static const char *device_class(unsigned major)
{
	return major == 1 ? "mem" : major == 4 || major == 5 ? "tty" : "misc";
}

static void append(char *out, size_t size, const char *s)
{
	size_t len = strlen(out);
	while (*s && len + 1 < size)
		out[len++] = *s++;
	out[len] = 0;
}

static void append_number(char *out, size_t size, unsigned long n)
{
	char digits[24], *d = digits + sizeof(digits);
	*--d = 0;
	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	append(out, size, d);
}

/* The uevent variables, one "KEY=VALUE" per line (the file) or per
 * string (the message). */
static void device_vars(const struct sys_device *d, char vars[4][NAME_MAX + 16])
{
	for (int i = 0; i < 4; i++)
		vars[i][0] = 0;
	append(vars[0], sizeof(vars[0]), "MAJOR=");
	append_number(vars[0], sizeof(vars[0]), d->major);
	append(vars[1], sizeof(vars[1]), "MINOR=");
	append_number(vars[1], sizeof(vars[1]), d->minor);
	append(vars[2], sizeof(vars[2]), "DEVNAME=");
	append(vars[2], sizeof(vars[2]), d->name);
	if (!strcmp(d->class, "mem"))
		append(vars[3], sizeof(vars[3]), "DEVMODE=0666"); /* Linux's mem devices ask for 0666 */
}

static void device_path(const struct sys_device *d, char *path, size_t size, bool leading_slash)
{
	path[0] = 0;
	append(path, size, leading_slash ? "/devices/virtual/" : "devices/virtual/");
	append(path, size, d->class);
	append(path, size, "/");
	append(path, size, d->name);
}

/* A uevent for d; a synthetic one (written to its uevent file) says so
 * with SYNTH_UUID, as Linux's does ("0": the writer gave no UUID). */
static void device_uevent(const struct sys_device *d, const char *action, bool synthetic)
{
	char path[NAME_MAX + 64], vars[4][NAME_MAX + 16];
	device_path(d, path, sizeof(path), true);
	device_vars(d, vars);
	const char *env[6], **e = env;
	if (synthetic)
		*e++ = "SYNTH_UUID=0";
	for (int i = 0; i < 4 && vars[i][0]; i++)
		*e++ = vars[i];
	*e = NULL;
	uevent_send(action, path, d->class, env);
}

/* --- the attribute files -------------------------------------------------------------------------- */

static ssize_t show_dev(void *obj, const void *arg, char *buf)
{
	(void)arg;
	const struct sys_device *d = obj;
	char text[32] = "";
	append_number(text, sizeof(text), d->major);
	append(text, sizeof(text), ":");
	append_number(text, sizeof(text), d->minor);
	return sysfs_emit_str(buf, text);
}

static ssize_t show_uevent(void *obj, const void *arg, char *buf)
{
	(void)arg;
	char vars[4][NAME_MAX + 16];
	device_vars(obj, vars);
	size_t len = 0;
	for (int i = 0; i < 4 && vars[i][0]; i++)
		len += (size_t)sysfs_emit_str(buf + len, vars[i]);
	return (ssize_t)len;
}

/* The actions Linux's kobject_action_type knows. */
static const char *const actions[] = { "add", "remove", "change", "move", "online", "offline", "bind", "unbind" };

static ssize_t store_uevent(void *obj, const void *arg, const char *buf, size_t len)
{
	(void)arg;
	size_t n = 0;
	while (n < len && buf[n] != '\n' && buf[n] != ' ')
		n++; /* the action; Linux allows arguments after it */
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strlen(actions[i]) == n && !strncmp(buf, actions[i], n)) {
			device_uevent(obj, actions[i], true);
			return (ssize_t)len;
		}
	}
	return -EINVAL;
}

static const struct sysfs_attr dev_attr = { "dev", show_dev, NULL };
static const struct sysfs_attr uevent_attr = { "uevent", show_uevent, store_uevent };

/* --- devices come and go ------------------------------------------------------------------------------ */

void sysfs_device_added(const char *name, unsigned long rdev)
{
	struct sys_device *d = kzalloc(sizeof(*d));
	if (!d)
		return;
	strncpy(d->name, name, NAME_MAX);
	d->major = (unsigned)((rdev & 0xfff00) >> 8);
	d->minor = (unsigned)((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
	d->class = device_class(d->major);
	char path[NAME_MAX + 64], target[NAME_MAX + 64] = "../../";
	device_path(d, path, sizeof(path), false);
	struct inode *dir = sysfs_mkdir(path);
	if (!dir) {
		kfree(d);
		return;
	}
	list_push_back(&sys_devices, &d->node);
	sysfs_add_file(dir, &dev_attr, d, NULL);
	sysfs_add_file(dir, &uevent_attr, d, NULL);
	char subsystem[64] = "../../../../class/";
	append(subsystem, sizeof(subsystem), d->class);
	sysfs_symlink(dir, "subsystem", subsystem);
	char classdir[64] = "class/";
	append(classdir, sizeof(classdir), d->class);
	struct inode *cls = sysfs_mkdir(classdir);
	append(target, sizeof(target), path);
	if (cls)
		sysfs_symlink(cls, d->name, target);
	device_uevent(d, "add", false);
}

void sysfs_device_removed(const char *name, unsigned long rdev)
{
	(void)rdev;
	struct list_node *n;
	list_for_each(n, &sys_devices) {
		struct sys_device *d = list_entry(n, struct sys_device, node);
		if (strcmp(d->name, name))
			continue;
		device_uevent(d, "remove", false);
		char path[NAME_MAX + 64];
		device_path(d, path, sizeof(path), false);
		sysfs_remove(path);
		char link[NAME_MAX + 64] = "class/";
		append(link, sizeof(link), d->class);
		append(link, sizeof(link), "/");
		append(link, sizeof(link), d->name);
		sysfs_remove(link);
		list_remove(&d->node);
		kfree(d);
		return;
	}
}
