/* Device and module events (uevents) as netlink messages (course section:
 * sysfs; netlink sockets). */
#ifndef KERNEL_NET_UEVENT_H
#define KERNEL_NET_UEVENT_H

#include "kernel/types.h"

/* Send "ACTION@DEVPATH\0ACTION=...\0DEVPATH=...\0SUBSYSTEM=...\0" + env
 * (a NULL-ended list of "KEY=VALUE") + "SEQNUM=n\0" to group 1 of
 * NETLINK_KOBJECT_UEVENT, as Linux's kobject_uevent does. */
void uevent_send(const char *action, const char *devpath, const char *subsystem, const char *const *env);



/* The events of a module (DEVPATH /module/NAME). Devices send theirs from
 * kernel/fs/sysfs_devices.c. */
void uevent_module(const char *action, const char *name);
/* The last SEQNUM given (/sys/kernel/uevent_seqnum). */
uint64_t uevent_last_seqnum(void);
#endif
