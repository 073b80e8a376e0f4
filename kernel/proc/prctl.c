/*
 * prctl: a process's name (course section: processes).
 *
 * prctl(2) is Linux's drawer of per-process settings. sysgate has two:
 * PR_SET_NAME and PR_GET_NAME, the name `ps` shows (Linux's comm, at most
 * 15 bytes; exec sets it from the file name). Renaming tells the
 * process-events connector (PROC_EVENT_COMM). Every other option is EINVAL,
 * Linux's answer for an option it does not know.
 */
#include "kernel/net/cn_proc.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/prctl.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

long sys_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	(void)arg3, (void)arg4, (void)arg5;
	char name[TASK_NAME_LEN];
	switch (option) {
	case PR_SET_NAME: {
		memset(name, 0, sizeof(name));
		long n = strncpy_from_user(name, (const char __user *)arg2, sizeof(name));
		if (n < 0 && n != -ENAMETOOLONG)
			return n; /* a longer name is cut, not refused */
		name[sizeof(name) - 1] = 0;
		memcpy(current->name, name, sizeof(name));
		cn_proc_comm(current);
		return 0;
	}
	case PR_GET_NAME:
		memcpy(name, current->name, sizeof(name));
		return copy_to_user((void __user *)arg2, name, sizeof(name)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
