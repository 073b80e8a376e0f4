/*
 * The system's names: uname, sethostname, setdomainname, and their
 * /proc/sys/kernel files (course sections: syscall basics; privilege).
 *
 * Programs and test suites (LTP, glibc's start-up) look at sysname and
 * release: they must say Linux, and the release of the Linux whose ABI we
 * follow; the release's suffix and the version say which kernel it is.
 * The host and domain names are the machine's to choose: root (with
 * CAP_SYS_ADMIN) sets them, by the syscalls or by writing
 * /proc/sys/kernel/hostname, as `hostname NAME` does.
 */
#include "kernel/proc/uts.h"
#include "kernel/cred/cred.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define NAME_LEN_MAX (UTSNAME_LEN - 1) /* Linux's __NEW_UTS_LEN: 64 bytes and a NUL */

static struct utsname uts = {
	.sysname = "Linux",
	.nodename = "sysgate",
	.release = "6.1.0-sysgate",
	.version = "#1 sysgate teaching kernel",
	.machine = "x86_64",
	.domainname = "(none)",
};

long sys_uname(struct utsname __user *buf)
{
	return copy_to_user(buf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

const struct utsname *uts_names(void)
{
	return &uts;
}

/* Set one of the changeable names from len bytes of user memory. */
static long set_name(char *field, const char __user *name, int len)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len < 0 || len > NAME_LEN_MAX)
		return -EINVAL;
	char copy[UTSNAME_LEN];
	if (copy_from_user(copy, name, (size_t)len))
		return -EFAULT;
	memcpy(field, copy, (size_t)len);
	memset(field + len, 0, UTSNAME_LEN - (size_t)len);
	return 0;
}

long sys_sethostname(const char __user *name, int len)
{
	return set_name(uts.nodename, name, len);
}

long sys_setdomainname(const char __user *name, int len)
{
	return set_name(uts.domainname, name, len);
}

/* --- /proc/sys/kernel/{ostype,osrelease,version,hostname,domainname} --------------- */

static char *const proc_fields[] = { uts.sysname, uts.release, uts.version, uts.nodename, uts.domainname };
static const char *const proc_names[] = { "ostype", "osrelease", "version", "hostname", "domainname" };
#define FIRST_WRITABLE 3 /* hostname and domainname */

static int show_name(struct proc_text *t, pid_t index)
{
	proc_printf(t, "%s\n", proc_fields[index]);
	return 0;
}

/* A write sets the name to the text written, without its line feed. */
static ssize_t write_name(const void __user *ubuf, size_t n, pid_t index)
{
	char text[UTSNAME_LEN + 1];
	if (n == 0 || n > UTSNAME_LEN)
		return -EINVAL;
	if (copy_from_user(text, ubuf, n))
		return -EFAULT;
	size_t len = text[n - 1] == '\n' ? n - 1 : n;
	if (len > NAME_LEN_MAX)
		return -EINVAL;
	memcpy(proc_fields[index], text, len);
	memset(proc_fields[index] + len, 0, UTSNAME_LEN - len);
	return (ssize_t)n;
}

void uts_sysctl_init(struct inode *kernel_dir)
{
	for (int i = 0; i < (int)ARRAY_SIZE(proc_names); i++)
		procfs_add_sysctl(kernel_dir, proc_names[i], show_name, i >= FIRST_WRITABLE ? write_name : NULL, i);
}
