/*
 * poweroff: turn the machine off (course section: the syscall gate).
 *
 * reboot(2) with Linux's two magic numbers and LINUX_REBOOT_CMD_POWER_OFF:
 * on QEMU the kernel writes "sleep state S5" to the ACPI power-management
 * port and the virtual machine ends.
 */
#include <stdio.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	if (reboot(RB_POWER_OFF) != 0) {
		perror("poweroff");
		return 1;
	}
	return 0;
}
