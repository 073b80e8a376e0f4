/*
 * Restartable sequences: rseq(2) registration rules, and a critical
 * section restarted at its abort handler when a signal interrupts it
 * (or preempts it: on a busy machine that may come first) (course
 * sections: syscall basics; high-performance patterns).
 *
 * The same checks run on Linux: the kernel writes the CPU number into the
 * registered area, the second registration is EBUSY (EINVAL elsewhere,
 * EPERM with another signature), unregistering needs the signature, bad
 * lengths, alignments, flags and pointers get Linux's errnos, fork keeps
 * the registration, and a section whose abort handler lacks the signature
 * kills the thread with SIGSEGV.
 */
#include <abi/rseq.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>

#include "testlib.h"

#define SIG 0x53053053u

int rseq(struct rseq *rseq, uint32_t rseq_len, int flags, uint32_t sig);
int getcpu(unsigned *cpu, unsigned *node, void *cache);

static struct rseq area;
volatile int rseq_test_handled;

/*
 * section_run(&area.rseq_cs, &cs): arm the section, then spin inside it
 * until a signal handler has run. Returns 0 if the loop ended by itself
 * (the handler returned into it), 1 if the kernel sent it to the abort
 * handler. The four bytes before the abort label are the signature.
 */
int section_run(uint64_t *rseq_cs, const struct rseq_cs *cs);
extern char section_start[], section_end[], section_abort[], section_bad_abort[];
__asm__(".text\n"
	".globl section_run\n"
	"section_run:\n"
	"	movq %rsi, (%rdi)\n"
	".globl section_start\n"
	"section_start:\n"
	"1:	cmpl $0, rseq_test_handled(%rip)\n"
	"	je 1b\n"
	".globl section_end\n"
	"section_end:\n"
	"	movq $0, (%rdi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"	.long 0x53053053\n"
	".globl section_abort\n"
	"section_abort:\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"	.long 0x12345678\n"
	".globl section_bad_abort\n"
	"section_bad_abort:\n"
	"	movl $2, %eax\n"
	"	ret\n");

static void on_alarm(int sig)
{
	(void)sig;
	rseq_test_handled = 1;
}

/* Run the section with a timer signal 20 ms away; its result. */
static int interrupted_section(const char *abort_label)
{
	static struct rseq_cs cs;
	cs = (struct rseq_cs){ .version = 0,
			       .start_ip = (uint64_t)section_start,
			       .post_commit_offset = (uint64_t)(section_end - section_start),
			       .abort_ip = (uint64_t)abort_label };
	rseq_test_handled = 0;
	signal(SIGALRM, on_alarm);
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	return section_run(&area.rseq_cs, &cs);
}

static void test_registration(void)
{
	unsigned cpu = 99;
	getcpu(&cpu, NULL, NULL);
	memset(&area, 0, sizeof(area));
	area.cpu_id = area.cpu_id_start = 0x5555;
	check_errno("unregister before registering: EINVAL", rseq(&area, 32, RSEQ_FLAG_UNREGISTER, SIG), EINVAL);
	check_errno("a 16-byte area: EINVAL", rseq(&area, 16, 0, SIG), EINVAL);
	check_errno("a misaligned area: EINVAL", rseq((struct rseq *)((char *)&area + 8), 32, 0, SIG), EINVAL);
	check_errno("flags 2: EINVAL", rseq(&area, 32, 2, SIG), EINVAL);
	check_errno("a kernel address: EFAULT", rseq((struct rseq *)0xffff800000000000ul, 32, 0, SIG), EFAULT);
	check_ok("register", rseq(&area, 32, 0, SIG));
	check("the kernel wrote the CPU number", area.cpu_id == cpu && area.cpu_id_start == cpu, "cpu_id %u start %u, getcpu %u",
	      area.cpu_id, area.cpu_id_start, cpu);
	check_errno("the same again: EBUSY", rseq(&area, 32, 0, SIG), EBUSY);
	check_errno("the same with another signature: EPERM", rseq(&area, 32, 0, SIG + 1), EPERM);
	static struct rseq other;
	check_errno("another area: EINVAL", rseq(&other, 32, 0, SIG), EINVAL);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(rseq(&area, 32, 0, SIG) < 0 && errno == EBUSY ? 0 : 1);
	check_exited("a forked child is registered too (EBUSY)", t_wait(pid, T_WAIT_TICKS), 0);
	check_errno("unregister with another signature: EPERM", rseq(&area, 32, RSEQ_FLAG_UNREGISTER, SIG + 1), EPERM);
	check_errno("unregister another area: EINVAL", rseq(&other, 32, RSEQ_FLAG_UNREGISTER, SIG), EINVAL);
	check_ok("unregister", rseq(&area, 32, RSEQ_FLAG_UNREGISTER, SIG));
	check_eqx("cpu_id is RSEQ_CPU_ID_UNINITIALIZED after", area.cpu_id, RSEQ_CPU_ID_UNINITIALIZED);
	check_ok("register again", rseq(&area, 32, 0, SIG));
}

static void bad_signature(long unused)
{
	(void)unused;
	interrupted_section(section_bad_abort);
	_exit(3); /* not reached: the kernel kills the thread */
}

static void bad_flags(long unused)
{
	(void)unused;
	interrupted_section(section_abort);
	_exit(3);
}

static void test_abort(void)
{
	check_eq("a signal inside the section: restarted at the abort handler", interrupted_section(section_abort), 1);
	check_eq("... which cleared rseq_cs", (long)area.rseq_cs, 0);
	/* A preemption aborts the section as well as the signal does: on a busy
	 * machine it can come first. The timer's signal comes anyway. */
	while (!rseq_test_handled)
		;
	check_eq("... and the timer's handler ran", rseq_test_handled, 1);
	area.rseq_cs = 0;
	rseq_test_handled = 0;
	check_signaled("an abort handler without the signature: SIGSEGV", run_child(bad_signature, 0), SIGSEGV);
	area.flags = 1;
	check_signaled("a non-zero flags field (refused since Linux 6.0): SIGSEGV", run_child(bad_flags, 0), SIGSEGV);
	area.flags = 0;
	check_ok("unregister at the end", rseq(&area, 32, RSEQ_FLAG_UNREGISTER, SIG));
	check_eq("without a registration the section just runs", interrupted_section(section_abort), 0);
}

int main(void)
{
	t_begin("rseq");
	test_registration();
	test_abort();
	return t_end();
}
