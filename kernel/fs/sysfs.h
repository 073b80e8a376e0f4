/* sysfs: the kernel's objects as a tree of directories and small files
 * (course section: procfs and sysfs). */
#ifndef KERNEL_FS_SYSFS_H
#define KERNEL_FS_SYSFS_H

#include "kernel/types.h"

struct inode;

#define SYSFS_VALUE_MAX 4096 /* one page: the most a sysfs file shows or takes */

/* One attribute: a file in an object's directory. show writes the value
 * as text into buf (SYSFS_VALUE_MAX bytes) and returns its length; store
 * gets the text written (NUL-terminated) and returns len or -errno.
 * Without show the file cannot be read, without store not written. */
struct sysfs_attr {
	const char *name;
	ssize_t (*show)(void *obj, const void *arg, char *buf);
	ssize_t (*store)(void *obj, const void *arg, const char *buf, size_t len);
};

/* The directory at path under /sys ("module/hello"), made with the
 * directories above it if missing; NULL if it cannot be. */
struct inode *sysfs_mkdir(const char *path);
/* A file in dir for attribute a of object obj (arg: per-file data). */
int sysfs_add_file(struct inode *dir, const struct sysfs_attr *a, void *obj, const void *arg);
/* ... with an attribute kmalloc'd for this one file, freed with it. */
int sysfs_add_file_owned(struct inode *dir, struct sysfs_attr *a, void *obj, const void *arg);
/* A symbolic link in dir, e.g. "subsystem" -> "../../../../class/mem". */
int sysfs_symlink(struct inode *dir, const char *name, const char *target);
/* Remove path under /sys and everything below it. Open files of it then
 * answer ENODEV: the object they showed is gone. */
void sysfs_remove(const char *path);
void sysfs_init(void);
/* /sys/devices/system/cpu's lists of CPUs (kernel/fs/sysfs_cpu.c). */
void sysfs_cpu_init(void);

/* Objects that register themselves (kernel/fs/sysfs_devices.c,
 * kernel/module/module_sysfs.c). */
void sysfs_device_added(const char *name, unsigned long rdev);
void sysfs_device_removed(const char *name, unsigned long rdev);
struct module;
void module_sysfs_add(struct module *m);
void module_sysfs_remove(struct module *m);

/* Text helpers for show functions. */
ssize_t sysfs_emit_long(char *buf, long v);
ssize_t sysfs_emit_str(char *buf, const char *s);

#endif
