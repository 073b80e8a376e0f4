/*
 * identity: who a process is and what it has used (course section:
 * processes).
 *
 * The small syscalls around a process's identity, each on its success and
 * its error paths: the user and group ids (and that the auxiliary vector
 * agrees with them), sessions and process groups (setsid, getsid, setpgid's
 * rules), the file-creation mask (umask), times and sysinfo, the CPU
 * time a process and its reaped children used (getrusage), clone with the
 * flags a C library uses for fork (CLONE_PARENT_SETTID, CLONE_CHILD_SETTID,
 * CLONE_CHILD_CLEARTID), clock_nanosleep, faccessat, and reboot's refusals.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <time.h>

#include "testlib.h"

#define CLONE_VM 0x00000100
#define CLONE_SIGHAND 0x00000800
#define CLONE_THREAD 0x00010000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define KERNEL_ADDR 0xffffffff80000000UL
#define NO_SUCH_PID 30000

/* ---- user and group ids ------------------------------------------------------------------ */

static void test_ids(void)
{
	long uid = syscall(SYS_getuid), euid = syscall(SYS_geteuid);
	long gid = syscall(SYS_getgid), egid = syscall(SYS_getegid);

	check("getuid and geteuid answer", uid >= 0 && euid >= 0, "got %ld %ld", uid, euid);
	check("getgid and getegid answer", gid >= 0 && egid >= 0, "got %ld %ld", gid, egid);
	check_eq("not set-user-id: euid == uid", euid, uid);
	check_eq("not set-group-id: egid == gid", egid, gid);
	/* The kernel told the C library the same at exec, in the auxv. */
	check_eq("AT_UID is getuid()", (long)getauxval(AT_UID), uid);
	check_eq("AT_EUID is geteuid()", (long)getauxval(AT_EUID), euid);
	check_eq("AT_GID is getgid()", (long)getauxval(AT_GID), gid);
	check_eq("AT_EGID is getegid()", (long)getauxval(AT_EGID), egid);
	if (on_sysgate())
		check("on sysgate the first process is root", uid == 0 && gid == 0, "uid %ld gid %ld", uid, gid);
	else
		t_skip("on sysgate the first process is root", "sysgate only");
}

/* ---- sessions ------------------------------------------------------------------------------- */

/* In a child: a new session, with the child as the leader of both it and
 * its one process group. Exit codes name the first check that failed. */
static void new_session(long unused)
{
	pid_t me = getpid();

	(void)unused;
	if (syscall(SYS_setsid) != me)
		_exit(1);
	if (syscall(SYS_getsid, 0) != me || getpgrp() != me)
		_exit(2);
	if (syscall(SYS_setsid) != -1 || errno != EPERM)
		_exit(3);	/* a group leader cannot start another */
	_exit(0);
}

/* A process group leader may not start a session: its group's members
 * would end up in two sessions. */
static void leader_setsid(long unused)
{
	(void)unused;
	setpgid(0, 0);
	_exit(syscall(SYS_setsid) == -1 && errno == EPERM ? 0 : 1);
}

static void test_sessions(void)
{
	long sid = syscall(SYS_getsid, 0);

	/* Linux answers 0 when the session's leader lives in an outer pid
	 * namespace (a container, as on CI); sysgate has one namespace. */
	check("getsid(0) answers", on_sysgate() ? sid > 0 : sid >= 0, "got %ld", sid);
	check_eq("getsid(getpid()) is the same", syscall(SYS_getsid, getpid()), sid);
	check_errno("getsid of a pid that does not exist: ESRCH", syscall(SYS_getsid, NO_SUCH_PID), ESRCH);
	check_errno("getsid(-1): ESRCH", syscall(SYS_getsid, -1), ESRCH);
	check_exited("setsid in a child: a session of its own, led by it", run_child(new_session, 0), 0);
	check_exited("setsid by a group leader: EPERM", run_child(leader_setsid, 0), 0);

	int go[2];
	pipe(go);
	pid_t pid = t_fork();
	if (pid == 0) {
		char c;

		close(go[1]);
		setsid();
		read(go[0], &c, 1);	/* until the parent has looked */
		_exit(0);
	}
	close(go[0]);
	for (int i = 0; i < 1000 && syscall(SYS_getsid, pid) != pid; i++)
		t_nap(10);
	check_eq("getsid of a child that called setsid", syscall(SYS_getsid, pid), pid);
	close(go[1]);
	t_wait(pid, T_WAIT_TICKS);
}

/* ---- process groups ------------------------------------------------------------------------- */

/* A child that waits until its pipe is closed. With exec_cat, it execs
 * /bin/cat on that pipe instead, and returns once the exec has happened
 * (a close-on-exec pipe tells: it reads end of file at the exec). */
static pid_t waiting_child(int *release, int exec_cat)
{
	int p[2], e[2];
	char c;

	pipe(p);
	pipe2(e, O_CLOEXEC);
	pid_t pid = t_fork();
	if (pid == 0) {
		close(p[1]);
		close(e[0]);
		if (exec_cat) {
			char *argv[] = { "cat", NULL };
			dup2(p[0], 0);
			dup2(open("/dev/null", O_WRONLY), 1);
			execve("/bin/cat", argv, environ);
		}
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	close(e[1]);
	if (exec_cat)
		read(e[0], &c, 1);	/* end of file: the exec closed it */
	close(e[0]);
	*release = p[1];
	return pid;
}

static void end_child(pid_t pid, int release)
{
	close(release);
	t_wait(pid, T_WAIT_TICKS);
}

/* In a child: setpgid on a sibling, which is not its child. */
static void setpgid_sibling(long sibling)
{
	_exit(setpgid((pid_t)sibling, 0) == -1 && errno == ESRCH ? 0 : 1);
}

/* In a child: a session of its own, then setpgid on itself, its leader. */
static void setpgid_session_leader(long unused)
{
	(void)unused;
	setsid();
	_exit(setpgid(0, 0) == -1 && errno == EPERM ? 0 : 1);
}

/* In a child: it leads a group, leaves it for its parent's, and a child of
 * its own keeps the group alive. A setsid now would put that child's group
 * in two sessions: EPERM. */
static void setsid_group_exists(long parent_group)
{
	int release;

	setpgid(0, 0);
	pid_t member = waiting_child(&release, 0);
	if (setpgid(0, (pid_t)parent_group) != 0)
		_exit(2);
	int refused = setsid() == -1 && errno == EPERM;
	end_child(member, release);
	_exit(refused ? 0 : 1);
}

static void test_setpgid(void)
{
	int r1, r2, r3;

	check_errno("setpgid(-1, 0): EINVAL", setpgid(-1, 0), EINVAL);
	check_errno("setpgid(0, -1): EINVAL", setpgid(0, -1), EINVAL);
	check_errno("setpgid of a pid that does not exist: ESRCH", setpgid(NO_SUCH_PID, 0), ESRCH);

	pid_t a = waiting_child(&r1, 0), b = waiting_child(&r2, 0);
	check_eq("setpgid(child, 0): a group of its own", setpgid(a, 0), 0);
	check_eq("getpgid says so", getpgid(a), a);
	check_eq("setpgid(other child, that group): it joins", setpgid(b, a), 0);
	check_eq("getpgid of the second child", getpgid(b), a);
	check_errno("into a group that does not exist: EPERM", setpgid(b, NO_SUCH_PID), EPERM);
	check_exited("setpgid of a sibling: ESRCH", run_child(setpgid_sibling, a), 0);
	/* b first: it holds a copy of r1 (forked after a's pipe was made),
	 * so a sees end of file only once b is gone. */
	end_child(b, r2);
	end_child(a, r1);

	pid_t c = waiting_child(&r3, 1);
	check_errno("setpgid of a child that has exec'd: EACCES", setpgid(c, 0), EACCES);
	end_child(c, r3);
	check_exited("setpgid by a session leader: EPERM", run_child(setpgid_session_leader, 0), 0);

	int go[2];
	char ch;
	pipe(go);
	pid_t d = t_fork();
	if (d == 0) {
		close(go[1]);
		setsid();
		read(go[0], &ch, 1);
		_exit(0);
	}
	close(go[0]);
	for (int i = 0; i < 1000 && syscall(SYS_getsid, d) != d; i++)
		t_nap(10);
	check_errno("setpgid of a child in another session: EPERM", setpgid(d, 0), EPERM);
	end_child(d, go[1]);
	check_exited("setsid while a group with its number exists: EPERM",
		     run_child(setsid_group_exists, getpgrp()), 0);
}

/* ---- umask ---------------------------------------------------------------------------------- */

static void umask_in_child(long want)
{
	_exit(umask(0) == (mode_t)want ? 0 : 1);
}

static void test_umask(void)
{
	char path[64];
	struct stat st;
	mode_t original = umask(027);

	snprintf(path, sizeof(path), "/tmp/identity-umask-%d", getpid());
	check_eq("umask returns the mask it replaces", umask(027), 027);
	int fd = open(path, O_CREAT | O_WRONLY, 0666);
	fstat(fd, &st);
	close(fd);
	check_eq("open(O_CREAT, 0666) under 027: mode 0640", st.st_mode & 07777, 0640);
	unlink(path);
	mkdir(path, 0777);
	stat(path, &st);
	check_eq("mkdir(0777) under 027: mode 0750", st.st_mode & 07777, 0750);
	rmdir(path);
	check_exited("a child inherits the mask", run_child(umask_in_child, 027), 0);
	umask(07777);
	check_eq("only the permission bits are kept: 07777 reads back 0777", umask(027), 0777);
	umask(original);
}

/* ---- getrusage ------------------------------------------------------------------------------- */

static long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Uses 100 ms of CPU time, by its own clock (not the wall clock). */
static void burn_cpu(long unused)
{
	(void)unused;
	while (cpu_ms() < 100)
		;
	_exit(0);
}

static long usage_ms(const struct rusage *ru)
{
	return (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000 +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1000;
}

static void test_rusage(void)
{
	struct rusage ru, before, after;

	check_eq("RUSAGE_SELF", syscall(SYS_getrusage, RUSAGE_SELF, &ru), 0);
	check("the times are well formed", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000 &&
					      ru.ru_stime.tv_usec >= 0 && ru.ru_stime.tv_usec < 1000000,
	      "utime.usec %ld stime.usec %ld", (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_usec);
	check_eq("RUSAGE_CHILDREN", syscall(SYS_getrusage, RUSAGE_CHILDREN, &before), 0);
	check_exited("a child that uses 100 ms of CPU", run_child(burn_cpu, 0), 0);
	syscall(SYS_getrusage, RUSAGE_CHILDREN, &after);
	/* Ticks are counted at 1 ms or finer on both systems: allow 10 ms. */
	check("RUSAGE_CHILDREN grew by the reaped child's CPU time", usage_ms(&after) - usage_ms(&before) >= 90,
	      "grew by %ld ms", usage_ms(&after) - usage_ms(&before));
	check_errno("who = 99: EINVAL", syscall(SYS_getrusage, 99, &ru), EINVAL);
	check_errno("who = -2: EINVAL", syscall(SYS_getrusage, -2, &ru), EINVAL);
	check_errno("to NULL: EFAULT", syscall(SYS_getrusage, RUSAGE_SELF, NULL), EFAULT);
	check_errno("to a kernel address: EFAULT", syscall(SYS_getrusage, RUSAGE_SELF, KERNEL_ADDR), EFAULT);
}

/* ---- clone as a C library calls it for fork ------------------------------------------------------ */

static int child_tid_seen;

static void test_clone(void)
{
	int ptid = 0, st;
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	fflush(stdout);
	long pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0)
		_exit(7);
	check("clone(SIGCHLD) returns the child's pid, like fork", pid > 0, "got %ld", pid);
	check_exited("and the child runs on its own copy, exit 7", t_wait((pid_t)pid, T_WAIT_TICKS), 7);

	pid = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, &ptid, NULL, 0);
	if (pid == 0)
		_exit(0);
	check_eq("CLONE_PARENT_SETTID writes the pid into the parent", ptid, pid);
	t_wait((pid_t)pid, T_WAIT_TICKS);

	pid = syscall(SYS_clone, CLONE_CHILD_SETTID | SIGCHLD, 0, NULL, &child_tid_seen, 0);
	if (pid == 0)
		_exit(child_tid_seen == getpid() ? 0 : 1);
	check_exited("CLONE_CHILD_SETTID writes it into the child's memory", t_wait((pid_t)pid, T_WAIT_TICKS), 0);
	check_eq("and not into the parent's", child_tid_seen, 0);

	/* The tid word in memory the parent sees too. A thread library uses
	 * CLONE_CHILD_CLEARTID to learn that a thread (which shares all its
	 * memory) ended; a process's memory goes away with it, and Linux
	 * clears the word only when the memory is shared: here it stays. */
	*shared = -1;
	pid = syscall(SYS_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, 0, NULL, shared, 0);
	if (pid == 0)
		_exit(0);
	st = t_wait((pid_t)pid, T_WAIT_TICKS);
	check_exited("a child with CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID", st, 0);
	check_eq("its tid went into the shared word", *shared, pid);
	check_eq("and its exit left it: a lone process's memory is not shared", *shared, pid);
	munmap(shared, 4096);

	check_errno("CLONE_THREAD without CLONE_SIGHAND: EINVAL", syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0),
		    EINVAL);
	check_errno("CLONE_SIGHAND without CLONE_VM: EINVAL", syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0),
		    EINVAL);
	/* Linux makes the child first and then writes the tid, ignoring a
	 * fault: the clone succeeds and nothing is written. */
	pid = syscall(SYS_clone, CLONE_PARENT_SETTID | SIGCHLD, 0, KERNEL_ADDR, 0, 0);
	if (pid == 0)
		_exit(5);
	check("CLONE_PARENT_SETTID to a kernel address: the clone still works", pid > 0, "got %ld", pid);
	check_exited("and its child runs", t_wait((pid_t)pid, T_WAIT_TICKS), 5);
}

/* ---- clock_nanosleep ----------------------------------------------------------------------------- */

static void test_clock_nanosleep(void)
{
	struct timespec rel = { 0, 1000000 }, past = { 0, 1 }, bad = { 0, 1000000000 }, now;

	check_eq("CLOCK_MONOTONIC, 1 ms", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &rel, NULL), 0);
	check_eq("CLOCK_REALTIME, 1 ms", syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &rel, NULL), 0);
	check_eq("TIMER_ABSTIME in the past returns at once",
		 syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 2000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	check_eq("TIMER_ABSTIME 2 ms from now", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &now, NULL),
		 0);
	check_errno("clock -1: EINVAL", syscall(SYS_clock_nanosleep, -1, 0, &rel, NULL), EINVAL);
	check_errno("CLOCK_THREAD_CPUTIME_ID: EOPNOTSUPP",
		    syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &rel, NULL), EOPNOTSUPP);
	check_errno("tv_nsec 1e9: EINVAL", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL), EINVAL);
	check_errno("request NULL: EFAULT", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, NULL, NULL), EFAULT);
	check_errno("request in the kernel: EFAULT",
		    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, KERNEL_ADDR, NULL), EFAULT);
}

/* ---- faccessat ------------------------------------------------------------------------------------ */

static void test_faccessat(void)
{
	char dir[64], file[96];
	int dfd;

	snprintf(dir, sizeof(dir), "/tmp/identity-%d", getpid());
	snprintf(file, sizeof(file), "%s/f", dir);
	mkdir(dir, 0700);
	close(open(file, O_CREAT | O_WRONLY, 0600));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	check_eq("faccessat(AT_FDCWD, absolute path, F_OK)", syscall(SYS_faccessat, AT_FDCWD, file, F_OK), 0);
	check_eq("faccessat relative to a directory fd, R_OK|W_OK", syscall(SYS_faccessat, dfd, "f", R_OK | W_OK), 0);
	check_errno("X_OK on a 0600 file: EACCES", syscall(SYS_faccessat, dfd, "f", X_OK), EACCES);
	check_errno("a missing name: ENOENT", syscall(SYS_faccessat, dfd, "nope", F_OK), ENOENT);
	check_errno("relative to fd 99: EBADF", syscall(SYS_faccessat, 99, "f", F_OK), EBADF);
	check_errno("relative to a file's fd: ENOTDIR", syscall(SYS_faccessat, dfd, "f/x", F_OK), ENOTDIR);
	check_errno("mode 8: EINVAL", syscall(SYS_faccessat, dfd, "f", 8), EINVAL);
	check_errno("path NULL: EFAULT", syscall(SYS_faccessat, dfd, NULL, F_OK), EFAULT);
	close(dfd);
	unlink(file);
	rmdir(dir);
}

/* ---- reboot's refusals (sysgate only: never ask a host to reboot) ------------------------------------ */

static void test_reboot_refusals(void)
{
	if (!on_sysgate()) {
		t_skip("reboot refusals", "sysgate only: the host is not ours to power off");
		return;
	}
	check_errno("reboot with a wrong magic: EINVAL", syscall(SYS_reboot, 0x1234, 672274793, 0x4321FEDC, 0), EINVAL);
	check_errno("reboot with a wrong second magic: EINVAL",
		    syscall(SYS_reboot, 0xfee1dead, 1, 0x4321FEDC, 0), EINVAL);
	check_errno("reboot with an unknown command: EINVAL",
		    syscall(SYS_reboot, 0xfee1dead, 672274793, 0x12345678, 0), EINVAL);
}

/* Everything that makes processes, again, in a child with its output
 * thrown away: what the kernel keeps afterwards is a leak (the child's own
 * memory goes with it, unlike this process's, which grows as it runs). */
static void once_more_quietly(long unused)
{
	int null = open("/dev/null", O_WRONLY);

	(void)unused;
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	test_sessions();
	test_clone();
	fflush(stdout);
	_exit(0);
}

/* ---- times and sysinfo --------------------------------------------------------------------- */

static void test_times_sysinfo(void)
{
	struct tms before, after;
	clock_t t0 = times(&before);

	check_exited("a child that uses 100 ms of CPU", run_child(burn_cpu, 0), 0);
	clock_t t1 = times(&after);
	check("times counts on (ticks since a fixed moment)", t1 >= t0, "%ld then %ld", (long)t0, (long)t1);
	check("the children's user+system time grew by about 10 ticks (100 ms at 100 a second)",
	      (after.tms_cutime + after.tms_cstime) - (before.tms_cutime + before.tms_cstime) >= 8,
	      "grew by %ld", (long)((after.tms_cutime + after.tms_cstime) - (before.tms_cutime + before.tms_cstime)));
	check("our own times are not negative", after.tms_utime >= 0 && after.tms_stime >= 0, "%ld %ld",
	      (long)after.tms_utime, (long)after.tms_stime);
	check("times(NULL) works", times(NULL) >= t1, "smaller than before");
	check_errno("times to a kernel address: EFAULT", times((struct tms *)KERNEL_ADDR), EFAULT);

	struct sysinfo si;
	check_eq("sysinfo", sysinfo(&si), 0);
	check("mem_unit and the memory counts make sense",
	      si.mem_unit >= 1 && si.totalram > 0 && si.freeram > 0 && si.freeram <= si.totalram,
	      "mem_unit %u total %lu free %lu", si.mem_unit, si.totalram, si.freeram);
	check("at least us and our parent exist", si.procs >= 1 && si.uptime >= 0, "procs %u uptime %ld",
	      si.procs, si.uptime);
	check_errno("sysinfo to a kernel address: EFAULT", sysinfo((struct sysinfo *)KERNEL_ADDR), EFAULT);
	check_errno("sysinfo(NULL): EFAULT", sysinfo(NULL), EFAULT);
}

int main(void)
{
	struct leak_mark mark;

	t_begin("identity");
	test_ids();
	test_sessions();
	test_setpgid();
	test_umask();
	test_rusage();
	test_times_sysinfo();
	test_clone();
	test_clock_nanosleep();
	test_faccessat();
	test_reboot_refusals();
	if (leak_mark(&mark)) {
		check_exited("sessions and clones once more", run_child(once_more_quietly, 0), 0);
		leak_check("and no frames or heap leaked", &mark);
	} else {
		t_skip("no frames or heap leaked", "sysgate only");
	}
	return t_end();
}
