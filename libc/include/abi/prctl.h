/* arch_prctl and prctl codes (course section: the Linux ABI; thread-local
 * storage; processes). */
#ifndef ABI_PRCTL_H
#define ABI_PRCTL_H

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

#define PR_SET_PDEATHSIG 1 /* a signal to receive when the parent dies */
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_GET_KEEPCAPS 7
#define PR_SET_KEEPCAPS 8
#define PR_SET_NAME 15 /* the thread's name (comm), at most 15 bytes */
#define PR_GET_NAME 16
#define PR_GET_SECCOMP 21 /* the seccomp mode (kernel/seccomp/) */
#define PR_SET_SECCOMP 22
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

#endif
