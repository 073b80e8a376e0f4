/*
 * oomkill: when memory runs out at a page fault, the OOM killer ends the
 * process whose death frees most (course section: memory; robustness).
 *
 *   - /proc/PID/oom_score_adj: -1000..1000 (EINVAL beyond), inherited by
 *     fork; /proc/PID/oom_score: Linux's scale (a small process at adj 0
 *     scores about 666).
 *   - sysgate only (on Linux it would run the host out of memory): a
 *     "victim" with oom_score_adj 1000 holding 8 MiB and an "eater" that
 *     touches pages until something gives. The victim is killed first
 *     (SIGKILL, and the kernel log says "Out of memory: Killed process
 *     PID"), then the eater itself; never a SIGSEGV. Afterwards fork works
 *     and every frame is back.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "testlib.h"

#define PAGE 4096
#define MiB (1024L * 1024)

static long read_number(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -99999;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -99999;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	long n = write(fd, text, strlen(text));
	int err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

static void score_files(void)
{
	check_eq("oom_score_adj starts at 0", read_number("/proc/self/oom_score_adj"), 0);
	long score = read_number("/proc/self/oom_score");
	check("oom_score of a small process is near 666", score >= 600 && score <= 700, "got %ld", score);
	check_eq("write 500", write_text("/proc/self/oom_score_adj", "500\n"), 0);
	check_eq("it reads back", read_number("/proc/self/oom_score_adj"), 500);
	score = read_number("/proc/self/oom_score");
	check("and the score rises by about 333", score >= 950 && score <= 1050, "got %ld", score);
	check_eq("1001 is EINVAL", write_text("/proc/self/oom_score_adj", "1001"), -EINVAL);
	check_eq("text is EINVAL", write_text("/proc/self/oom_score_adj", "lots"), -EINVAL);
	pid_t pid = t_fork();
	if (pid == 0)
		_exit(read_number("/proc/self/oom_score_adj") == 500 ? 0 : 1);
	check_exited("fork inherits it", t_wait(pid, T_WAIT_TICKS), 0);
	if (!on_sysgate()) { /* below the lowest value set so far: CAP_SYS_RESOURCE, which containers drop */
		t_skip("-1000 (never chosen)", "needs CAP_SYS_RESOURCE here");
		return;
	}
	check_eq("-1000 (never chosen)", write_text("/proc/self/oom_score_adj", "-1000"), 0);
	check_eq("scores 0", read_number("/proc/self/oom_score"), 0);
}

static pid_t start_victim(void)
{
	int p[2];
	pipe(p);
	pid_t pid = t_fork();
	if (pid == 0) {
		write_text("/proc/self/oom_score_adj", "1000");
		char *m = mmap(NULL, 8 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		for (long i = 0; m != MAP_FAILED && i < 8 * MiB; i += PAGE)
			m[i] = 1;
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	char c;
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

static void eat_until_killed(long arg)
{
	(void)arg;
	long size = 1024 * MiB;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		_exit(2);
	for (long i = 0; i < size; i += PAGE)
		m[i] = 1;
	_exit(3); /* more memory than the machine has: should not get here */
}

static int log_says(const char *what)
{
	static char buf[65536];
	memset(buf, 0, sizeof(buf)); /* all its pages, every time: the leak check counts frames */
	int fd = open("/proc/kmsg", O_RDONLY);
	long n = 0, got;
	while (fd >= 0 && n < (long)sizeof(buf) - 1 && (got = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += got;
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return strstr(buf, what) != NULL;
}

static void nothing(long arg)
{
	(void)arg;
}

static void out_of_memory(void)
{
	pid_t victim = start_victim();
	int eater = run_child(eat_until_killed, 0);
	check_signaled("the eater is killed at last, by SIGKILL (no SIGSEGV)", eater, SIGKILL);
	int st = t_wait(victim, 300);
	check_signaled("the victim (oom_score_adj 1000) was killed first", st, SIGKILL);
	check("the log says Out of memory: Killed process", log_says(cname("Out of memory: Killed process %d ", victim)),
	      "no line for pid %d", victim);
	check_exited("fork and exit work afterwards", run_child(nothing, 0), 0);
}

int main(void)
{
	t_begin("oomkill");
	t_group("oom_score and oom_score_adj", score_files);
	if (on_sysgate())
		t_leak_test("twice, the second time nothing is lost", out_of_memory);
	else
		t_skip("running out of memory", "it would run the host out of memory");
	return t_end();
}
