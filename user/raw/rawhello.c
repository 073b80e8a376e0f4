/*
 * A program with no C library at all (course section: the syscall gate).
 *
 * Built with `gcc -static -nostdlib`: there is no crt0 and no libc, so we
 * write _start ourselves and make every syscall with the `syscall`
 * instruction. It proves sysgate's ABI is Linux's at the lowest level: the
 * same binary runs on both, with the same output and exit status.
 */
typedef unsigned long size_t;

static long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static size_t length(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	raw_syscall3(1 /* write */, 1, (long)s, (long)length(s));
}

/* The kernel starts us with rsp at argc; C needs it as an argument. */
__asm__(".globl _start\n"
	"_start:\n"
	"  xor %ebp, %ebp\n"
	"  mov %rsp, %rdi\n"   /* the initial stack: argc, argv..., NULL, envp... */
	"  and $-16, %rsp\n"
	"  call start_c\n"
	"  hlt\n");

__attribute__((used)) void start_c(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	say("raw: no libc here\n");
	for (long i = 1; i < argc; i++) {
		say("raw: argument: ");
		say(argv[i]);
		say("\n");
	}
	long pid = raw_syscall3(39 /* getpid */, 0, 0, 0);
	say(pid > 0 ? "raw: getpid is positive\n" : "raw: getpid failed\n");
	long bad = raw_syscall3(1, 1, 0, 10); /* write from NULL */
	say(bad == -14 ? "raw: write(NULL) gives -EFAULT\n" : "raw: write(NULL) is wrong\n");
	long nosys = raw_syscall3(1000, 0, 0, 0);
	say(nosys == -38 ? "raw: syscall 1000 gives -ENOSYS\n" : "raw: syscall 1000 is wrong\n");
	raw_syscall3(231 /* exit_group */, 3, 0, 0);
}
