/*
 * Who am I: process ids, arch_prctl, reboot (course section: the
 * syscall gate; the first syscalls).
 *
 * The simplest syscalls: they read or set a field of the current task.
 * getpid is the one the benchmark and the GDB test use, because it does
 * nothing else -- its cost is the cost of the gate itself.
 */
#include "kernel/cred/cred.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/power.h"
#include "drivers/timer.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/prctl.h"
#include "libc/include/abi/reboot.h"
#include "libc/include/abi/sysinfo.h"
#include "libc/include/abi/time.h"
#include "libc/include/abi/utsname.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/uaccess.h"

long sys_getpid(void)
{
	return task_tgid(current); /* the process: its leader's pid */
}

long sys_gettid(void)
{
	return current->pid; /* the thread itself */
}

long sys_getppid(void)
{
	struct task *p = task_parent_process(current);
	return p ? p->pid : 0;
}

long sys_set_tid_address(int __user *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

/* The fs and gs segment bases: programs keep thread-local storage at fs. */
long sys_arch_prctl(int code, unsigned long addr)
{
	struct task *t = current;
	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= USER_TOP)
			return -EPERM; /* as Linux: a kernel or non-canonical base */
		if (code == ARCH_SET_FS) {
			t->fs_base = addr;
			wrmsr(MSR_FS_BASE, addr);
		} else {
			t->gs_base = addr;
			wrmsr(MSR_KERNEL_GS_BASE, addr); /* swapgs puts it in place on exit */
		}
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS: {
		unsigned long v = code == ARCH_GET_FS ? t->fs_base : t->gs_base;
		return copy_to_user((void __user *)addr, &v, sizeof(v)) ? -EFAULT : 0;
	}
	default:
		return -EINVAL;
	}
}

long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	(void)arg;
	if (!capable(CAP_SYS_BOOT))
		return -EPERM; /* checked first, as Linux: even bad magic says EPERM */
	if ((unsigned)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
		machine_power_off();
	case LINUX_REBOOT_CMD_HALT:
		machine_halt();
	case LINUX_REBOOT_CMD_RESTART:
		machine_restart();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}

/* --- sysinfo ------------------------------------------------------------------------------- */

long sys_sysinfo(struct sysinfo __user *info)
{
	struct sysinfo si = { 0 };
	si.uptime = (long)(clock_monotonic_ns() / NSEC_PER_SEC);
	si.totalram = frames_total_count();
	si.freeram = frames_free_count();
	si.procs = (unsigned short)task_count;
	si.mem_unit = PAGE_SIZE; /* so the counts are simply frames */
	/* No load average is kept (loads stay 0), and there is no swap. */
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

/* --- process groups and sessions ---------------------------------------------------------- */

/*
 * A session is a login's processes (led by the shell that called setsid); a
 * process group is one job in it, which the terminal's ^C and ^Z signal as
 * a whole. A shell moves each new job into a group of its own with setpgid,
 * in the parent and in the child, so whichever runs first does it.
 */
long sys_setpgid(pid_t pid, pid_t pgid)
{
	if (pid == 0)
		pid = current->pid;
	if (pgid == 0)
		pgid = pid;
	if (pid < 0 || pgid < 0)
		return -EINVAL;
	struct task *t = task_find(pid);
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	if (t != current && t->did_exec)
		return -EACCES; /* too late: the child may rely on its group by now */
	if (t->sid != current->sid || t->pid == t->sid)
		return -EPERM;  /* another session's, or a session leader */
	const struct task *member = task_find_group_member(pgid);
	if (pgid != t->pid && (!member || member->sid != current->sid))
		return -EPERM;  /* only a group of this session may be joined */
	t->pgid = pgid;
	return 0;
}

long sys_getpgid(pid_t pid)
{
	struct task *t = pid ? task_find(pid) : current;
	return t ? t->pgid : -ESRCH;
}

long sys_getpgrp(void)
{
	return current->pgid;
}

long sys_setsid(void)
{
	struct task *t = current;
	if (t->pgid == t->pid || task_find_group_member(t->pid))
		return -EPERM; /* its group's members would end up in two sessions */
	t->sid = t->pgid = t->pid;
	return t->sid;
}

long sys_getsid(pid_t pid)
{
	struct task *t = pid ? task_find(pid) : current;
	return t ? t->sid : -ESRCH;
}
