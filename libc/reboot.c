/*
 * C library: power off and reboot (course section: the C library on raw
 * syscalls).
 *
 * glibc-style reboot(cmd): the raw syscall takes four arguments, the two
 * magic numbers that guard against accidental calls, the command, and an
 * argument used only by LINUX_REBOOT_CMD_RESTART2. Only root (on Linux) may
 * call it; on success with POWER_OFF it does not return.
 */
#include <sys/reboot.h>

#include "syscall_arch.h"
#include "syscall_headers.h"

int reboot(int cmd)
{
	return (int)__syscall_ret(__syscall4(__NR_reboot, (long)LINUX_REBOOT_MAGIC1,
					     LINUX_REBOOT_MAGIC2, cmd, 0));
}
