/*
 * hardening: small limits Linux sets, checked one by one (course section:
 * robustness).
 *   - "#!" lines: an interpreter name that does not end within the first
 *     255 bytes is ENOEXEC (Linux 5.0 on), not a truncated path (ENOENT).
 *   - rt_sigreturn with reserved MXCSR bits in the saved FPU state: the
 *     frame is refused and the program gets SIGSEGV, as on Linux.
 *   - writev and readv: 1..8 buffers (which sysgate copies to its stack,
 *     as Linux does, so printf needs no kernel heap), 9, UIO_MAXIOV (1024),
 *     and 1025 (EINVAL).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <ucontext.h>
#include <sys/uio.h>

#include "testlib.h"

#define SCRIPT "/tmp/hardening.script"

static void long_shebang(void)
{
	char line[400];
	memcpy(line, "#!/", 3);
	memset(line + 3, 'a', 300);
	line[303] = '\n';
	int fd = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	check_eq("write the script", write(fd, line, 304), 304);
	close(fd);
	char *argv[] = { SCRIPT, NULL }, *envp[] = { NULL };
	check_errno("exec of a 300-byte interpreter name: ENOEXEC", execve(SCRIPT, argv, envp), ENOEXEC);
	/* Blanks then a name cut at the end: still ENOEXEC. */
	memset(line + 2, ' ', 200);
	memset(line + 202, 'b', 100);
	fd = open(SCRIPT, O_WRONLY | O_TRUNC);
	write(fd, line, 304);
	close(fd);
	check_errno("blanks, then a name cut at 255: ENOEXEC", execve(SCRIPT, argv, envp), ENOEXEC);
	unlink(SCRIPT);
}

static void vectors(void)
{
	static char bytes[2048];
	struct iovec iov[1025];
	for (int i = 0; i < 1025; i++)
		iov[i] = (struct iovec){ bytes + (i % 1024) * 2, 2 };
	int fd = open("/dev/null", O_WRONLY);
	static const int counts[] = { 1, 2, 7, 8, 9, 64, 1024 };
	for (unsigned k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
		check_eq(cname("writev of %d buffers", counts[k]), writev(fd, iov, counts[k]), 2L * counts[k]);
	check_errno("writev of 1025 buffers: EINVAL", writev(fd, iov, 1025), EINVAL);
	check_errno("writev of -1 buffers: EINVAL", writev(fd, iov, -1), EINVAL);
	check_errno("writev with the array at a bad address: EFAULT", writev(fd, (void *)8, 8), EFAULT);
	close(fd);
	int p[2];
	pipe(p);
	check_eq("8 buffers into a pipe", writev(p[1], iov, 8), 16);
	struct iovec in[8];
	static char got[16];
	for (int i = 0; i < 8; i++)
		in[i] = (struct iovec){ got + 2 * i, 2 };
	check_eq("and 8 out of it with readv", readv(p[0], in, 8), 16);
	close(p[0]);
	close(p[1]);
}

static void garbage_mxcsr(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)info;
	ucontext_t *uc = ctx;
	uc->uc_mcontext.fpregs->mxcsr = 0xffffffff; /* reserved bits set */
}

static void return_with_garbage_fpu(long arg)
{
	(void)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = garbage_mxcsr;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	_exit(6); /* the frame was taken: wrong */
}

int main(void)
{
	t_begin("hardening");
	check_signaled("rt_sigreturn with reserved MXCSR bits: SIGSEGV", run_child(return_with_garbage_fpu, 0),
		       SIGSEGV);
	long_shebang();
	vectors();
	return t_end();
}
