/*
 * C library: declarations shared between libc's own files (course section:
 * the C library on raw syscalls). Not a public header: user programs never
 * see these names.
 */
#ifndef LIBC_INTERNAL_H
#define LIBC_INTERNAL_H

/* libc/stdio.c: writes out every stream's buffer; exit() calls it. */
void __stdio_flush_all(void);

/* libc/exit.c: ends the process (all threads) without any cleanup. */
void __exit_group(int status) __attribute__((noreturn));

/* libc/syscall.c: -errno to -1 and errno (also in syscall_headers.h, for
 * the files that need the generated wrappers' declarations). */
long __syscall_ret(unsigned long r);

/* libc/signal.c: the sa_restorer every handler returns to; it calls
 * rt_sigreturn. */
void __restore_rt(void);

#endif
