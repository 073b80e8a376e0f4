/*
 * C library: the POSIX system interface (course section: the C library on raw
 * syscalls).
 *
 * Most functions declared here are thin wrappers generated from
 * kernel/syscalls.tbl (build/gen/syscalls.c): they put their arguments in
 * registers, execute `syscall`, and turn a -errno result into -1 and errno.
 * brk, sbrk and _exit are written by hand (libc/brk.c, libc/exit.c).
 */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* lseek's whence */
#define SEEK_SET 0	/* from the start of the file */
#define SEEK_CUR 1	/* from the current position */
#define SEEK_END 2	/* from the end of the file */

/* access()'s mode */
#define F_OK 0		/* the file exists */
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* The environment, "NAME=value" strings ending with NULL (set at startup). */
extern char **environ;

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
pid_t getpid(void);
pid_t getppid(void);

/* Linux-specific: where the kernel writes 0 (and wakes futex waiters) when
 * this thread exits. Returns the caller's thread id. */
pid_t set_tid_address(int *tidptr);

/* The program break, the end of the heap (libc/brk.c). brk sets it and
 * returns 0, or -1 with errno ENOMEM; sbrk moves it by increment bytes and
 * returns the old break, or (void *)-1. */
int brk(void *addr);
void *sbrk(intptr_t increment);

/* Ends the whole process at once: no atexit handlers, no stdio flush. */
void _exit(int status) __attribute__((noreturn));

/* Any syscall by number, e.g. syscall(SYS_getpid): returns -1 and sets errno
 * on failure. The numbers are in <sys/syscall.h>. */
long syscall(long number, ...);

#endif
