/*
 * C library: power off and reboot (course section: the C library on raw
 * syscalls).
 *
 * The raw syscall wants two magic numbers before the command (see
 * <abi/reboot.h>), so that a stray call with random arguments cannot switch
 * the machine off. reboot(cmd) is the glibc-style wrapper that supplies them
 * (libc/reboot.c).
 */
#ifndef LIBC_SYS_REBOOT_H
#define LIBC_SYS_REBOOT_H

#include <abi/reboot.h>

#define RB_AUTOBOOT LINUX_REBOOT_CMD_RESTART
#define RB_HALT_SYSTEM LINUX_REBOOT_CMD_HALT
#define RB_POWER_OFF LINUX_REBOOT_CMD_POWER_OFF
#define RB_ENABLE_CAD LINUX_REBOOT_CMD_CAD_ON
#define RB_DISABLE_CAD LINUX_REBOOT_CMD_CAD_OFF

int reboot(int cmd);

#endif
