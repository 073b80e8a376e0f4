/*
 * fuzz: random syscalls with hostile arguments (course section: the syscall
 * gate; testing the syscall interface).
 *
 * The kernel must survive anything a program passes it. A fuzzer checks
 * that the way syzkaller and trinity do, in miniature: each round forks a
 * child that makes a few hundred syscalls with random numbers and
 * arguments drawn from the values that break kernels -- 0, -1, small
 * integers, pointers into a valid buffer, near its end, into the kernel
 * half, at the edge of user space, non-canonical, unaligned. The child may
 * die of its own mischief (a signal, munmap of its own code); that is fine.
 * What must not happen is a kernel oops or panic, a hang of the whole
 * system, or memory the kernel keeps after everything has been reaped
 * and every name the children made, anywhere, removed.
 *
 *   fuzz [ROUNDS [SEED]]      same seed, same calls: a crash can be replayed
 *
 * Half of the children make their calls from three threads at once (the
 * other two started with clone), so that calls race with each other and
 * with the end of the process; those rounds replay only as far as the
 * threads' interleaving repeats.
 *
 * Before each call the child writes its number and arguments to a page it
 * shares with the parent, so the call that killed it is known. Run as the
 * first process (tools/run-elf build/user/fuzz), it ends by killing every
 * process left behind, reaping them, removing what the children made that
 * outlives them (every name they made, wherever it is; SysV segments), and
 * comparing the kernel's free-frame and heap counts with where they
 * started. Never run it on a real system: it may call anything, unlink
 * included (it refuses to run unless it is sysgate's first process, which
 * is what `tools/run-elf` makes it).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CALLS_PER_ROUND 300
#define MAX_NR 340		/* past the end of the table too: must be ENOSYS */
#define ROUND_TICKS 100		/* 10 ms naps before a child is killed as hung */
#define SCRATCH_DIR "/tmp/fuzz"	/* the children's working directory */
#define USER_CEILING 0x7ffffffff000ul	/* the first byte above user space */

/* Syscalls the fuzzer leaves out: they would hit processes other than its
 * own children (kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo;
 * prlimit64, which could starve the first process of CPU time or
 * descriptors; ptrace, which could stop the fuzzer itself, and
 * process_vm_writev, which could write into it), or power the machine off
 * (reboot). */
static const int never[] = { 62, 101, 129, 169, 200, 234, 297, 302, 311 };

struct last_call {
	long nr, args[6];
};

static uint64_t rng_state;
static char *scratch;		/* a valid buffer: two pages */

/* xorshift64: small, fast, and the same sequence for the same seed. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* An argument of the kinds that find kernel bugs. */
static long hostile_arg(void)
{
	switch (rnd() % 12) {
	case 0: return 0;
	case 1: return -1;
	case 2: return (long)(rnd() % 8);				/* fds, small flags */
	case 3: return (long)(rnd() % 4096);
	case 4: return (long)scratch;					/* valid memory */
	case 5: return (long)scratch + (long)(rnd() % 8192);		/* inside, maybe near the end */
	case 6: return (long)(0xffffffff80000000ul + rnd() % 0x100000);	/* kernel text */
	case 7: return (long)0x800000000000ul;				/* first non-canonical */
	case 8: return (long)(USER_CEILING - rnd() % 16);		/* the user ceiling */
	case 9: return (long)(1ul << (rnd() % 64));			/* one bit: flags */
	case 10: return (long)(int)rnd();				/* any int */
	default: return (long)rnd();					/* anything */
	}
}

static int allowed(long nr)
{
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (never[i] == nr)
			return 0;
	return 1;
}

static char *first_string;	/* argv[0]: the lowest of the strings exec put on the stack */

/* Descriptors 0-2 are the open files fork shares with us. What a child
 * does to an open file -- flock it, set O_ASYNC, take an OFD lock -- stays
 * with the file after the child dies, as on Linux, and would look like a
 * leak. So each child works on console files of its own. */
static void own_console_files(void)
{
	int con = open("/dev/console", O_RDWR);

	if (con < 0)
		return;
	for (int fd = 0; fd <= 2; fd++)
		dup2(con, fd);
	if (con > 2)
		close(con);
}

#define EXTRA_THREADS 2
#define THREAD_STACK (16 * 1024)
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

static char thread_stacks[EXTRA_THREADS][THREAD_STACK] __attribute__((aligned(16)));

/* A round's calls; every thread of the child runs them, on one generator. */
static int fuzz_calls(void *arg)
{
	struct last_call *log = arg;

	for (int i = 0; i < CALLS_PER_ROUND; i++) {
		long nr = (long)(rnd() % MAX_NR);

		if (!allowed(nr))
			continue;
		log->nr = nr;
		for (int a = 0; a < 6; a++)
			log->args[a] = hostile_arg();
		syscall(nr, log->args[0], log->args[1], log->args[2], log->args[3], log->args[4], log->args[5]);
	}
	return 0;
}

static void child(uint64_t seed, struct last_call *log)
{
	/* The top of the stack holds the strings exec put there -- argv,
	 * the environment, "/run/fuzz" itself -- exactly where pointers near
	 * the user ceiling land. Blank this process's copy, or the fuzzer
	 * would unlink its own program file by name. */
	memset(first_string, 0, USER_CEILING - (uintptr_t)first_string);
	own_console_files();
	rng_state = seed;
	if (rnd() % 2)
		for (int t = 0; t < EXTRA_THREADS; t++)
			clone(fuzz_calls, thread_stacks[t] + THREAD_STACK, THREAD_FLAGS, log);
	fuzz_calls(log);
	_exit(0); /* exit_group: threads still calling end with the process */
}

static void nap_10ms(void)
{
	struct timespec ts = { 0, 10000000 };

	nanosleep(&ts, NULL);
}

/* Waits for the round's child, killing it if it hangs (it may have blocked
 * every signal and then paused: its own business, but the round must end). */
static int finish_round(pid_t pid)
{
	int status = 0;

	for (int t = 0; t < ROUND_TICKS; t++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		nap_10ms();
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

/* A number from /proc/meminfo ("SysgateFreeFrames: N"), or -1. */
static long meminfo(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return v;
}

/* Everything the children left behind (orphans, stopped ones). kill(-1)
 * reaches every process but ourselves (and init); a grandchild becomes
 * ours only once its parent has died, perhaps after our wait found no
 * child, so go on until kill(-1, 0) finds nobody left. */
static void reap_everything(void)
{
	do {
		kill(-1, SIGKILL);
		while (wait(NULL) > 0)
			;
	} while (kill(-1, 0) == 0);
}

/* Call fn(path, st) for each name in dir ("." and ".." aside). */
static void for_each_name(const char *dir, void (*fn)(const char *path, const struct stat *st))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (lstat(path, &st) == 0)
			fn(path, &st);
	}
	if (d)
		closedir(d);
}

/* rm -r */
static void remove_name(const char *path, const struct stat *st);

static void remove_tree(const char *path)
{
	for_each_name(path, remove_name);
	rmdir(path);
}

static void remove_name(const char *path, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		remove_tree(path);
	else
		unlink(path);
}

/*
 * What the children made that outlives them: their scratch directory, and
 * names anywhere else too -- a random pointer can land on a string such as
 * the "/fuzz" inside "/tmp/fuzz", and a child then creates a file there.
 * So the tree is listed before the campaign (one "path\n" after another
 * in `known`), and what is new afterwards goes. /proc/PID is the kernel's.
 */
static char known[1 << 16];
static size_t known_len;

static int is_known(const char *path)
{
	size_t len = strlen(path);

	for (const char *p = known; p < known + known_len; p = strchr(p, '\n') + 1)
		if (strncmp(p, path, len) == 0 && p[len] == '\n')
			return 1;
	return 0;
}

static void record_name(const char *path, const struct stat *st)
{
	if (strncmp(path, "/proc/", 6) == 0)
		return;
	if (known_len + strlen(path) + 2 < sizeof(known))
		known_len += (size_t)snprintf(known + known_len, sizeof(known) - known_len, "%s\n", path);
	if (S_ISDIR(st->st_mode))
		for_each_name(path, record_name);
}

static void remove_new_name(const char *path, const struct stat *st)
{
	if (strncmp(path, "/proc/", 6) == 0)
		return;
	if (!is_known(path))
		remove_name(path, st);
	else if (S_ISDIR(st->st_mode))
		for_each_name(path, remove_new_name);
}

/* SysV segments outlive their creators: SHM_STAT walks the slots. */
static void remove_segments(void)
{
	struct shminfo info;
	int highest = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);

	for (int slot = 0; slot <= highest; slot++) {
		struct shmid_ds ds;
		int id = shmctl(slot, SHM_STAT, &ds);

		if (id >= 0)
			shmctl(id, IPC_RMID, NULL);
	}
}

static int on_sysgate(void)
{
	struct utsname u;

	return uname(&u) == 0 && strstr(u.release, "sysgate") != NULL;
}

/* The rounds, in a process of their own (see main). Returns how many
 * children died of a signal. */
static int campaign(int rounds, uint64_t seed, struct last_call *log)
{
	int killed = 0;

	if (mkdir(SCRATCH_DIR, 0777) < 0 || chdir(SCRATCH_DIR) < 0)
		_exit(255);
	for (int r = 0; r < rounds; r++) {
		uint64_t round_seed = seed * 0x9E3779B97F4A7C15ull + (uint64_t)r + 1;
		pid_t pid = fork();

		if (pid == 0)
			child(round_seed, log);
		if (pid < 0) {
			reap_everything();	/* the children's forks filled the task table */
			continue;
		}
		int status = finish_round(pid);
		if (WIFSIGNALED(status))
			killed++;
		if (r % 20 == 0)
			printf("fuzz: round %d, last call %ld, %s\n", r, log->nr,
			       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exited");
		fflush(stdout);
	}
	return killed;
}

/* What outlives the children: names they made (their scratch directory
 * among them), SysV segments. Removed in a process of its own too (see
 * main). */
static void cleanup(void)
{
	for_each_name("/", remove_new_name);
	remove_segments();
}

/* A campaign and the cleanup after it; returns the campaign's status. */
static int run_campaign(int rounds, uint64_t seed, struct last_call *log)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(campaign(rounds, seed, log));
	waitpid(pid, &status, 0);
	reap_everything();
	pid = fork();
	if (pid == 0) {
		cleanup();
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	return status;
}

/*
 * The first process only measures. The campaign and the cleanup run in
 * children of their own, so that everything they allocate -- their stacks,
 * their heaps, the scratch directory -- is gone when the counts are read
 * again, and what remains different is the kernel's doing.
 */
int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 100;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	struct last_call *log = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	if (!on_sysgate() || getpid() != 1) {
		fprintf(stderr, "fuzz: only as sysgate's first process: tools/run-elf build/user/fuzz\n");
		return 2;
	}
	scratch = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (log == MAP_FAILED || scratch == MAP_FAILED)
		return 2;
	first_string = argv[0];
	/* A child's random fcntl may name us the owner of an O_ASYNC file
	 * (F_SETOWN): SIGIO, whose default would end the campaign. */
	signal(SIGIO, SIG_IGN);
	printf("fuzz: %d rounds of %d calls, seed %lu\n", rounds, CALLS_PER_ROUND, (unsigned long)seed);
	fflush(stdout);
	/* A warm-up round first, with calls of its own: some things grow
	 * once and stay, which is no leak -- a page table for the kernel
	 * stacks of the first grandchildren, /tmp's table for the scratch
	 * directory, stdio's heap for the first fopen. Then count. */
	for_each_name("/", record_name);
	run_campaign(1, ~seed, log);
	meminfo("SysgateFreeFrames");
	/* The heap's slabs count as free: their number follows how objects pack. */
	long frames = meminfo("SysgateFreeFrames") + meminfo("SysgateHeapFrames"), heap = meminfo("SysgateHeapBytes");
	status = run_campaign(rounds, seed, log);

	/* Fewer free frames or more heap is a leak. More free is not: a child
	 * may have unlinked or truncated a file it found by a random name. */
	long frames_after = meminfo("SysgateFreeFrames") + meminfo("SysgateHeapFrames");
	long heap_after = meminfo("SysgateHeapBytes");
	int leaked = frames_after < frames || heap_after > heap;
	printf("fuzz: done: %d rounds, %d children died of their own calls\n", rounds, WEXITSTATUS(status));
	printf("fuzz: free frames %ld -> %ld, heap bytes %ld -> %ld: %s\n", frames, frames_after, heap, heap_after,
	       leaked ? "LEAK" : "nothing leaked");
	return leaked ? 1 : 0;
}
