/*
 * gate: getrandom; pointer sweep (course section: the syscall  gate; issue "Foundation"). One part
 * of the gate test: main.c runs it.
 */
#include "gate.h"

/* ---- getrandom ------------------------------------------------------------------- */

void test_getrandom(void)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 }, zero[64] = { 0 };
	static unsigned char big[1 << 20];

	check_eq("getrandom 64 bytes", syscall(SYS_getrandom, a, sizeof(a), 0), 64);
	check_eq("again, with GRND_NONBLOCK", syscall(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK), 64);
	check("two draws differ", memcmp(a, b, sizeof(a)) != 0, "the same 64 bytes twice");
	check("and are not all zero", memcmp(a, zero, sizeof(a)) != 0, "all zero");
	check_eq("GRND_RANDOM", syscall(SYS_getrandom, a, 16, GRND_RANDOM), 16);
	check_eq("GRND_INSECURE", syscall(SYS_getrandom, a, 16, GRND_INSECURE), 16);
	check_eq("1 MiB in one call", syscall(SYS_getrandom, big, sizeof(big), 0), (long)sizeof(big));
	check_eq("0 bytes", syscall(SYS_getrandom, a, 0, 0), 0);
	check_errno("flags 0x10: EINVAL", syscall(SYS_getrandom, a, 16, 0x10), EINVAL);
	check_errno("GRND_INSECURE|GRND_RANDOM: EINVAL", syscall(SYS_getrandom, a, 16, GRND_INSECURE | GRND_RANDOM),
		    EINVAL);
	check_errno("to NULL: EFAULT", syscall(SYS_getrandom, NULL, 16, 0), EFAULT);
	check_errno("to a kernel address: EFAULT", syscall(SYS_getrandom, 0xffffffff80000000UL, 16, 0), EFAULT);
	check_eq("the libc wrapper", getrandom(a, 8, 0), 8);
}

/* ---- pointer sweep --------------------------------------------------------------- */

/*
 * Every page from 0 to 8 MiB as a path and as a buffer to read from: each
 * call must simply return, an error or not; the case passes if we are still
 * here. (Only pointers the kernel reads from: a kernel writing into this
 * program's own data would corrupt the test. link(a, a) can never create a
 * name: if a names a file, the new name exists already.)
 */
/* In a child, because an exec that worked would replace the program. */
void exec_sweep(long unused)
{
	(void)unused;
	for (unsigned long a = 0; a < 8UL << 20; a += PAGE)
		syscall(SYS_execve, a, a, a);
	_exit(0);
}

void test_sweep(void)
{
	int fd = (int)sys_open(tmpfile, O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct stat st;
	long opened = 0;

	for (unsigned long a = 0; a < 8UL << 20; a += PAGE) {
		long r = syscall(SYS_open, a, O_RDONLY, 0);
		if (r >= 0) {
			opened++;
			syscall(SYS_close, r);
		}
		syscall(SYS_write, fd, a + PAGE - 8, 16);
		syscall(SYS_stat, a, &st);
		syscall(SYS_access, a, F_OK);
		syscall(SYS_link, a, a);
		syscall(SYS_fcntl, fd, F_SETLK, a);                /* a struct flock to read */
		syscall(SYS_rt_sigqueueinfo, getpid(), 0, a);      /* a siginfo; signal 0 sends nothing */
	}
	syscall(SYS_close, fd);
	check_errno("open(NULL)", syscall(SYS_open, 0, O_RDONLY, 0), EFAULT);
	t_pass(cname("pointers 0..8 MiB to open, write, stat, access, link, fcntl F_SETLK, rt_sigqueueinfo "
		     "(%ld opened)",
		     opened));
	check_exited("pointers 0..8 MiB as execve's path, argv and envp", run_child(exec_sweep, 0), 0);
}
