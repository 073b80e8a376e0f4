/*
 * uevents: the kernel announces devices and modules (course section:
 * sysfs; netlink sockets).
 *
 * When a module is loaded or a device appears, Linux multicasts a short
 * text message on NETLINK_KOBJECT_UEVENT: "add@/module/hello", then
 * KEY=VALUE strings separated by NUL bytes (ACTION, DEVPATH, SUBSYSTEM,
 * the device's numbers and name, and a sequence number). udev reads them
 * to make /dev nodes and load drivers; `udevadm monitor` prints them.
 * DEVPATH is the object's path under /sys.
 */
#include "kernel/net/uevent.h"
#include "kernel/net/netlink.h"
#include "libc/include/abi/netlink.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define UEVENT_BUFFER_SIZE 2048 /* Linux's limit for one event */

static uint64_t uevent_seqnum;

struct ubuf {
	char *buf;
	size_t len;
	bool overflow;
};

static void add(struct ubuf *b, const char *s1, const char *s2)
{
	size_t n1 = strlen(s1), n2 = strlen(s2);
	if (b->len + n1 + n2 + 1 > UEVENT_BUFFER_SIZE) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, s1, n1);
	memcpy(b->buf + b->len + n1, s2, n2);
	b->len += n1 + n2;
	b->buf[b->len++] = 0;
}

uint64_t uevent_last_seqnum(void)
{
	return uevent_seqnum;
}

void uevent_send(const char *action, const char *devpath, const char *subsystem, const char *const *env)
{
	uevent_seqnum++; /* counted even when nobody listens, as on Linux */
	if (!netlink_has_listeners(NETLINK_KOBJECT_UEVENT, 1))
		return;
	struct ubuf b = { kmalloc(UEVENT_BUFFER_SIZE), 0, false };
	if (!b.buf)
		return;
	add(&b, action, "");
	if (!b.overflow)
		b.buf[b.len - 1] = '@'; /* "ACTION@DEVPATH" is the first string */
	add(&b, devpath, "");
	add(&b, "ACTION=", action);
	add(&b, "DEVPATH=", devpath);
	add(&b, "SUBSYSTEM=", subsystem);
	for (const char *const *e = env; e && *e; e++)
		add(&b, *e, "");
	char digits[24], *d = digits + sizeof(digits);
	*--d = 0;
	uint64_t n = uevent_seqnum;
	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	add(&b, "SEQNUM=", d);
	if (!b.overflow)
		netlink_broadcast(NETLINK_KOBJECT_UEVENT, 1, b.buf, b.len, NULL);
	kfree(b.buf);
}

/* --- the objects sysgate announces ------------------------------------------------------------ */

static void concat(char *out, size_t size, const char *const *parts)
{
	size_t len = 0;
	for (; *parts; parts++)
		for (const char *p = *parts; *p && len + 1 < size; p++)
			out[len++] = *p;
	out[len] = 0;
}

void uevent_module(const char *action, const char *name)
{
	char path[300];
	concat(path, sizeof(path), (const char *const[]){ "/module/", name, NULL });
	uevent_send(action, path, "module", NULL);
}

