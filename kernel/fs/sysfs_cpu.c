/*
 * /sys/devices/system/cpu: which CPUs exist (course section: observability,
 * sysfs).
 *
 * Programs size per-CPU things by these lists: libbpf reads `possible` to
 * know how many copies of a per-CPU map value bpf(2) returns (one per
 * possible CPU), a thread pool reads `online`. Each is a list of ranges,
 * "0-3" or "0,2-3"; sysgate runs on one CPU, CPU 0, so each says "0".
 */
#include "kernel/fs/sysfs.h"

static ssize_t show_cpu_list(void *obj, const void *arg, char *buf)
{
	(void)obj, (void)arg;
	return sysfs_emit_str(buf, "0");
}

static const struct sysfs_attr possible_attr = { "possible", show_cpu_list, NULL };
static const struct sysfs_attr present_attr = { "present", show_cpu_list, NULL };
static const struct sysfs_attr online_attr = { "online", show_cpu_list, NULL };

void sysfs_cpu_init(void)
{
	struct inode *dir = sysfs_mkdir("devices/system/cpu");
	if (!dir)
		return;
	sysfs_add_file(dir, &possible_attr, NULL, NULL);
	sysfs_add_file(dir, &present_attr, NULL, NULL);
	sysfs_add_file(dir, &online_attr, NULL, NULL);
}
