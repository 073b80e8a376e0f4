/*
 * C library: the ptrace wrapper (course section: syscall tracing).
 *
 * The kernel's PEEKTEXT/PEEKDATA/PEEKUSER store the word at *data; the C
 * library's ptrace() returns it instead, as glibc's does, so a program
 * writes `word = ptrace(PTRACE_PEEKDATA, pid, addr, 0)` and clears errno
 * first when -1 could be a real word.
 */
#include <errno.h>
#include <sys/ptrace.h>
#include "syscall_arch.h"
#include "syscall_nr.h"

long ptrace(long request, pid_t pid, void *addr, void *data)
{
	long word;
	int peek = request == PTRACE_PEEKTEXT || request == PTRACE_PEEKDATA || request == PTRACE_PEEKUSER;
	if (peek)
		data = &word;
	long ret = __syscall4(__NR_ptrace, request, pid, (long)addr, (long)data);
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return peek ? word : ret;
}
