/* Capabilities: the pieces of root's power, as Linux numbers them
 * (linux/capability.h); shared by the kernel and libc. */
#ifndef ABI_CAPABILITY_H
#define ABI_CAPABILITY_H

#define CAP_CHOWN            0
#define CAP_DAC_OVERRIDE     1
#define CAP_DAC_READ_SEARCH  2
#define CAP_FOWNER           3
#define CAP_FSETID           4
#define CAP_KILL             5
#define CAP_SETGID           6
#define CAP_SETUID           7
#define CAP_SETPCAP          8
#define CAP_LINUX_IMMUTABLE  9
#define CAP_IPC_LOCK         14 /* mlock beyond RLIMIT_MEMLOCK, SHM_LOCK */
#define CAP_IPC_OWNER        15
#define CAP_SYS_MODULE       16
#define CAP_SYS_RAWIO        17
#define CAP_SYS_CHROOT       18
#define CAP_SYS_PTRACE       19
#define CAP_SYS_ADMIN        21
#define CAP_SYS_BOOT         22
#define CAP_SYS_NICE         23
#define CAP_SYS_RESOURCE     24
#define CAP_SYS_TIME         25
#define CAP_MKNOD            27
#define CAP_LEASE            28 /* a lease on a file one does not own */
#define CAP_MAC_OVERRIDE     32
#define CAP_PERFMON          38
#define CAP_BPF              39
#define CAP_LAST_CAP         40 /* CAP_CHECKPOINT_RESTORE, the last in Linux 6.x */

/* capget/capset's header and data (Linux's struct __user_cap_header_struct and
 * __user_cap_data_struct, renamed: the table generator reads "__user" as a
 * pointer marker); versions 2 and 3 take two data structs (64 bits). */
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_2 0x20071026
#define _LINUX_CAPABILITY_VERSION_3 0x20080522

struct cap_user_header {
	unsigned int version;
	int pid;
};

struct cap_user_data {
	unsigned int effective, permitted, inheritable;
};

#endif
