/*
 * udevmon: print the kernel's device and module events, like `udevadm
 * monitor --kernel --property` (course section: netlink sockets; sysfs).
 *
 *   udevmon &              then, for example:
 *   insmod /lib/modules/chardev.ko
 *   echo change > /sys/class/mem/null/uevent
 *
 * It opens a NETLINK_KOBJECT_UEVENT socket, joins multicast group 1 (the
 * kernel's), and prints every message: "ACTION@DEVPATH" and then the
 * KEY=VALUE strings the kernel sends after it, NUL-separated. With -n N it
 * stops after N events. A reader that falls behind gets ENOBUFS once:
 * events were lost, and it says so.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void print_event(const char *buf, long n)
{
	printf("KERNEL %s\n", buf);
	for (const char *kv = buf + strlen(buf) + 1; kv < buf + n; kv += strlen(kv) + 1)
		printf("  %s\n", kv);
	printf("\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long limit = argc > 2 && !strcmp(argv[1], "-n") ? atol(argv[2]) : -1;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	struct sockaddr_nl me = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		perror("udevmon: uevent socket");
		return 1;
	}
	printf("udevmon: monitoring the kernel's uevents (netlink group 1)\n");
	fflush(stdout);
	for (long seen = 0; limit < 0 || seen < limit;) {
		char buf[4096];
		long n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0 && errno == ENOBUFS) {
			printf("udevmon: events were lost (ENOBUFS): the reader fell behind\n");
			continue;
		}
		if (n < 0) {
			perror("udevmon: recv");
			return 1;
		}
		buf[n] = 0;
		print_event(buf, n);
		seen++;
	}
	return 0;
}
