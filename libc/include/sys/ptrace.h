/*
 * C library: ptrace (course section: syscall tracing).
 *
 * As in glibc, the PEEK requests return the word read (check errno to
 * tell a word of -1 from an error); the others return 0 or -1 with errno.
 */
#ifndef LIBC_SYS_PTRACE_H
#define LIBC_SYS_PTRACE_H

#include <abi/ptrace.h>
#include <sys/types.h>

#define PTRACE_PEEKUSR PTRACE_PEEKUSER
#define PTRACE_POKEUSR PTRACE_POKEUSER

long ptrace(long request, pid_t pid, void *addr, void *data);

#endif
