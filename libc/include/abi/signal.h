/*
 * Linux x86_64 signal numbers, flags and structures (course section: signals).
 *
 * These layouts are the ABI: a handler written for Linux reads the same
 * siginfo and ucontext on sysgate. struct kernel_sigaction is what the
 * rt_sigaction syscall takes (not libc's struct sigaction, whose mask is
 * 1024 bits wide in glibc).
 */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#include <stdint.h>
#include <stddef.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN_KERNEL 32
#define NSIG_KERNEL 64 /* signals 1..64; the kernel's sigset is 64 bits */

#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_EXPOSE_TAGBITS 0x00000800 /* arm64's, but every Linux knows the bit */
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
/* si_code of a signal from F_SETSIG's signal-driven I/O: why it came. */
#define POLL_IN 1  /* data to read */
#define POLL_OUT 2 /* room to write */
#define POLL_MSG 3
#define POLL_ERR 4
#define POLL_PRI 5
#define POLL_HUP 6
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_TKILL -6
#define ILL_ILLOPC 1
#define ILL_ILLOPN 2
#define FPE_INTDIV 1
#define FPE_INTOVF 2
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define SYS_SECCOMP 1 /* SIGSYS: a seccomp filter trapped the call */
#define TRAP_BRKPT 1
#define TRAP_TRACE 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* sigaltstack */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

typedef uint64_t kernel_sigset_t;

struct kernel_sigaction {
	void *handler;        /* SIG_DFL, SIG_IGN, or the function */
	unsigned long flags;  /* SA_* */
	void *restorer;       /* calls rt_sigreturn; required on x86_64 */
	kernel_sigset_t mask; /* blocked while the handler runs */
};

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

/* What sigqueue sends along with a signal. */
union sigval {
	int sival_int;
	void *sival_ptr;
};

/* How a POSIX timer (timer_create) tells its process it expired. */
#define SIGEV_SIGNAL 0	  /* send sigev_signo to the process */
#define SIGEV_NONE 1	  /* nothing: the program asks timer_gettime */
#define SIGEV_THREAD 2	  /* (a C library's business; the kernel sends a signal) */
#define SIGEV_THREAD_ID 4 /* send it to the thread sigev_notify_thread_id */

struct sigevent {
	union sigval sigev_value; /* the signal's si_value */
	int sigev_signo;
	int sigev_notify;
	union {
		int _pad[12];
		int _tid;
	} _sigev_un;
};
#define sigev_notify_thread_id _sigev_un._tid

_Static_assert(sizeof(struct sigevent) == 64, "struct sigevent is 64 bytes");

/* siginfo_t: 128 bytes; the union's members are at offset 16. */
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int _pad0;
	union {
		struct { /* kill, tkill, sigqueue */
			int si_pid;
			unsigned int si_uid;
			union sigval si_value; /* sigqueue's value */
		} kill;
		struct { /* SIGCHLD */
			int si_pid;
			unsigned int si_uid;
			int si_status;
			long si_utime, si_stime;
		} chld;
		struct { /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
			void *si_addr;
		} fault;
		struct { /* SIGSYS from seccomp (SYS_SECCOMP) */
			void *si_call_addr;   /* the instruction after the syscall */
			int si_syscall;       /* the syscall's number */
			unsigned int si_arch; /* AUDIT_ARCH_X86_64 */
		} sys;
		struct { /* timers */
			int si_tid;     /* the timer's id */
			int si_overrun; /* expiries that came while it was pending */
			union sigval si_value;
		} timer;
		struct { /* SIGIO/SIGPOLL, or F_SETSIG's signal: which descriptor, which events */
			long si_band;   /* POLLIN, POLLOUT... */
			int si_fd;
		} poll;
		char _pad[128 - 16];
	} fields;
} ksiginfo_t;

_Static_assert(sizeof(ksiginfo_t) == 128, "siginfo_t is 128 bytes");

/* The registers a handler sees and may change (struct sigcontext). */
struct sigcontext_64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* address of the saved FPU state (fxsave format), or 0 */
	uint64_t reserved1[8];
};

_Static_assert(sizeof(struct sigcontext_64) == 256, "sigcontext is 256 bytes");

struct kernel_ucontext {
	unsigned long uc_flags;
	struct kernel_ucontext *uc_link;
	stack_t uc_stack;
	struct sigcontext_64 uc_mcontext;
	kernel_sigset_t uc_sigmask;
};

#endif
