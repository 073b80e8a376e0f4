/* arch_prctl and prctl codes (course section: the Linux ABI; thread-local
 * storage; processes). */
#ifndef ABI_PRCTL_H
#define ABI_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define PR_SET_NAME 15 /* the thread's name (comm), at most 15 bytes */
#define PR_GET_NAME 16

#endif
