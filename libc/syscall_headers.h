/*
 * C library: what the generated wrappers need (course section: the syscall
 * gate).
 *
 * build/gen/syscalls.c, written by tools/gensyscalls.awk from
 * kernel/syscalls.tbl, starts by including this file. It must see the
 * syscall instruction (syscall_arch.h), the numbers (syscall_nr.h), every
 * type the table uses, and the public declaration of every wrapper it
 * defines, so that the compiler checks the two agree. When a line is added to
 * the table, add the header that declares its wrapper here.
 */
#ifndef LIBC_SYSCALL_HEADERS_H
#define LIBC_SYSCALL_HEADERS_H

#include "syscall_arch.h"
#include "syscall_nr.h"

#include <asm/prctl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/shm.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Turns a raw syscall result into the C convention: values in [-4095, -1]
 * are -errno, so store errno and return -1; anything else is the result. */
long __syscall_ret(unsigned long r);

/*
 * The table gives munmap and mprotect the kernel's argument types
 * (unsigned long addr), but C programs call them with POSIX's (void *addr).
 * libc/mman.c has the POSIX versions; these two lines move the generated
 * ones out of their way. (They go once the table marks both lines '-'.)
 * A libc file that includes this header must not call munmap or mprotect.
 */
#define munmap __generated_munmap
#define mprotect __generated_mprotect

#endif
