/*
 * gate: the syscall gate and the first syscalls (course section: the syscall
 * gate; issue "Foundation").
 *
 * Every early syscall on its success and its error paths: read, write,
 * writev with bad descriptors and bad buffers, getpid/getppid, uname,
 * arch_prctl, set_tid_address, ioctl, the clocks, nanosleep, sched_yield,
 * brk; then the gate itself: unknown syscall numbers, the direction and trap
 * flags, and which registers a syscall may change.
 *
 * Calls go through syscall() or raw_syscall() rather than libc wrappers: this
 * file tests the kernel's entry, so nothing should sit in between.
 * (test.sh: own boot -- "getppid of pid 1" needs it to be init.)
 *
 * Its parts, one concept a file: early_calls.c, entry.c, pointers.c; main.c keeps the shared
 * helpers and runs them all.
 */
#include "gate.h"

char tmpfile[64];

long sys_open(const char *path, int flags, int mode)
{
	return syscall(SYS_open, path, flags, mode);
}

long file_size(int fd)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) < 0)
		return -1;
	return st.st_size;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	t_begin("gate");
	snprintf(tmpfile, sizeof(tmpfile), "/tmp/gate-%ld", syscall(SYS_getpid));
	test_brk();
	test_bad_fds();
	test_bad_buffers();
	test_two_pages();
	test_read_into_text();
	test_writev();
	test_ids();
	test_uname();
	test_arch_prctl();
	test_ioctl();
	test_clocks();
	test_nanosleep();
	test_numbers();
	test_df();
	test_tf();
	test_registers();
	test_xmm();
	test_getrandom();
	test_sweep();
	syscall(SYS_unlink, tmpfile);
	return t_end();
}
