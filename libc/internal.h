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

#endif
