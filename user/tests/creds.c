/*
 * creds: user and group ids, supplementary groups and capabilities
 * (course section: kernel design -- privilege).
 *
 * The test starts as root (on Linux too: `make test` runs it as root) and
 * drops privilege in forked children, so each case sees Linux's rules from
 * both sides: setuid, setreuid, setresuid and setfsuid (and the gid calls)
 * with and without CAP_SETUID/CAP_SETGID; the saved uid that lets a
 * set-user-ID program switch back; getgroups/setgroups (sorted, EINVAL,
 * EPERM, EFAULT); capget/capset (versions, EPERM for gaining, the sets
 * emptied when uid 0 is left, the effective set back with euid 0); and the
 * calls a non-root process is refused: kill of another user's process
 * (EPERM, SIGCONT in the session allowed), reboot, init_module and
 * delete_module, setgroups, raising a hard limit, prlimit on another
 * user's process.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>

#include "testlib.h"

#define USER 1000
#define OTHER 2000
#define CAP_V1 0x19980330
#define CAP_V3 0x20080522
#define CAP_CHOWN_BIT (1ull << 0)
#define CAP_SETUID_BIT (1ull << 7)
#define CAP_KILL_BIT (1ull << 5)
#define BAD_PTR ((void *)0xffffffff80000000UL)

struct cap_header {
	unsigned version;
	int pid;
};
struct cap_data {
	unsigned effective, permitted, inheritable;
};
struct caps {
	uint64_t effective, permitted, inheritable;
};

static long capget_raw(unsigned version, int pid, struct cap_data *d)
{
	struct cap_header h = { version, pid };
	return syscall(SYS_capget, &h, d);
}

/* This process's three sets, as 64-bit masks (version 3). */
static struct caps my_caps(void)
{
	struct cap_data d[2] = { 0 };
	struct caps c = { 0 };
	if (capget_raw(CAP_V3, 0, d) == 0) {
		c.effective = d[0].effective | (uint64_t)d[1].effective << 32;
		c.permitted = d[0].permitted | (uint64_t)d[1].permitted << 32;
		c.inheritable = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	}
	return c;
}

static long capset_raw(int pid, uint64_t eff, uint64_t perm, uint64_t inh)
{
	struct cap_header h = { CAP_V3, pid };
	struct cap_data d[2] = { { (unsigned)eff, (unsigned)perm, (unsigned)inh },
				 { (unsigned)(eff >> 32), (unsigned)(perm >> 32), (unsigned)(inh >> 32) } };
	return syscall(SYS_capset, &h, d);
}

static int resuid_is(uid_t r, uid_t e, uid_t s)
{
	uid_t a, b, c;
	return getresuid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

static int resgid_is(gid_t r, gid_t e, gid_t s)
{
	gid_t a, b, c;
	return getresgid(&a, &b, &c) == 0 && a == r && b == e && c == s;
}

/* Become USER entirely: gids first, while CAP_SETGID is still there. */
static int become_user(uid_t uid)
{
	return setgroups(0, NULL) == 0 && setresgid(uid, uid, uid) == 0 && setresuid(uid, uid, uid) == 0;
}

/* ---- root's starting point ------------------------------------------------------------------ */

static void test_root(void)
{
	check("getresuid: 0 0 0", resuid_is(0, 0, 0), "not root");
	check("getresgid: 0 0 0", resgid_is(0, 0, 0), "not group root");
	struct caps c = my_caps();
	check_eqx("root: effective == permitted", c.effective, c.permitted);
	check("root: CAP_SETUID and CAP_KILL", (c.effective & CAP_SETUID_BIT) && (c.effective & CAP_KILL_BIT),
	      "effective %#lx", (unsigned long)c.effective);
	if (on_sysgate())
		check_eqx("sysgate root: every capability (0..40)", c.effective, (2ull << 40) - 1);
	else
		t_skip("sysgate root: every capability (0..40)", "a container's root lacks some");
	check_raw_errno("getresuid to a kernel address: EFAULT",
			raw_syscall(SYS_getresuid, (long)BAD_PTR, (long)BAD_PTR, (long)BAD_PTR, 0, 0, 0), EFAULT);
}

/* ---- capget and capset ---------------------------------------------------------------------- */

static void test_capget(void)
{
	struct cap_header h = { 0x12345678, 0 };
	struct cap_data d[2];
	check_errno("capget, unknown version: EINVAL", syscall(SYS_capget, &h, d), EINVAL);
	check_eqx("... and the preferred version written back", h.version, CAP_V3);
	check_eq("capget, data NULL: a version probe", capget_raw(CAP_V3, 0, NULL), 0);
	check_eq("capget, version 1 (one word)", capget_raw(CAP_V1, 0, d), 0);
	check_errno("capget, no such pid: ESRCH", capget_raw(CAP_V3, 30000, d), ESRCH);
	check_errno("capget, pid -1: EINVAL", capget_raw(CAP_V3, -1, d), EINVAL);
	check_errno("capget, header at a kernel address: EFAULT", syscall(SYS_capget, BAD_PTR, d), EFAULT);
	check_eq("capget of the parent (root)", capget_raw(CAP_V3, getppid(), d), 0);
}

static void capset_rules(void)
{
	struct caps c = my_caps();
	uint64_t fewer = c.permitted & ~CAP_KILL_BIT;
	check_errno("capset on another pid: EPERM", capset_raw(getppid(), c.effective, c.permitted, 0), EPERM);
	check_errno("capset: effective beyond permitted: EPERM", capset_raw(0, c.permitted, fewer, 0), EPERM);
	check_eq("capset: drop CAP_KILL from permitted", capset_raw(0, fewer, fewer, 0), 0);
	check_eqx("capget sees it gone", my_caps().permitted, fewer);
	check_errno("capset: take it back: EPERM", capset_raw(0, fewer, c.permitted, 0), EPERM);
	check_eq("capset: effective empty, permitted kept", capset_raw(0, 0, fewer, 0), 0);
	check_errno("without effective CAP_SETUID, setuid(5): EPERM", setuid(5), EPERM);
	check_eq("capset: effective back within permitted", capset_raw(0, fewer, fewer, 0), 0);
	check_eq("setuid(5) works again", setuid(5), 0);
}

/* ---- the uid rules ----------------------------------------------------------------------------- */

static void setuid_as_root(void)
{
	check_eq("root setuid(1000)", setuid(USER), 0);
	check("... all three uids 1000", resuid_is(USER, USER, USER), "getresuid differs");
	check_eqx("... no capabilities left", my_caps().permitted | my_caps().effective, 0);
	check_errno("setuid(0) now: EPERM", setuid(0), EPERM);
	check_errno("setuid(-1): EINVAL", setuid((uid_t)-1), EINVAL);
}

/* A set-user-ID program's dance: real USER, effective and saved OTHER. */
static void saved_uid(void)
{
	check_eq("setresuid(1000, 2000, 2000)", setresuid(USER, OTHER, OTHER), 0);
	check_eq("seteuid to the real uid: setreuid(-1, 1000)", setreuid((uid_t)-1, USER), 0);
	check("... saved uid still 2000", resuid_is(USER, USER, OTHER), "getresuid differs");
	check_eq("back to the saved uid: setuid(2000)", setuid(OTHER), 0);
	check("... only the effective uid moved", resuid_is(USER, OTHER, OTHER), "getresuid differs");
	check_errno("setuid(3000), neither real nor saved: EPERM", setuid(3000), EPERM);
	check_errno("setreuid(3000, -1): EPERM", setreuid(3000, (uid_t)-1), EPERM);
	check_errno("setresuid(-1, 3000, -1): EPERM", setresuid((uid_t)-1, 3000, (uid_t)-1), EPERM);
	check_eq("setreuid(2000, 1000): swap real and effective", setreuid(OTHER, USER), 0);
	check("... the saved uid follows the new effective", resuid_is(OTHER, USER, USER), "getresuid differs");
	check_eq("setresuid(-1, -1, -1): no change", setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1), 0);
}

/* Root with euid 1000 keeps its permitted set (saved uid 0) and gets the
 * effective set back with euid 0. */
static void euid_and_caps(void)
{
	uint64_t all = my_caps().permitted;
	check_eq("setresuid(0, 1000, 0)", setresuid(0, USER, 0), 0);
	check_eqx("euid 1000: effective empty", my_caps().effective, 0);
	check_eqx("... permitted kept", my_caps().permitted, all);
	check_eq("setresuid(-1, 0, -1)", setresuid((uid_t)-1, 0, (uid_t)-1), 0);
	check_eqx("euid 0: effective is permitted again", my_caps().effective, all);
	check_eq("setfsuid(1000) answers the old fsuid 0", setfsuid(USER), 0);
	check_eq("setfsuid(-1) asks: 1000", setfsuid((uid_t)-1), USER);
	check_eqx("fsuid 1000: CAP_CHOWN gone from effective", my_caps().effective & CAP_CHOWN_BIT, 0);
	check("... CAP_KILL kept", (my_caps().effective & CAP_KILL_BIT) != 0, "gone");
	check_eq("setfsuid(0)", setfsuid(0), USER);
	check_eqx("fsuid 0: CAP_CHOWN back", my_caps().effective & CAP_CHOWN_BIT, CAP_CHOWN_BIT);
	check_eq("setresuid(1000, 1000, 1000)", setresuid(USER, USER, USER), 0);
	check_eq("unprivileged setfsuid(3000) refused: answers 1000", setfsuid(3000), USER);
	check_eq("... still 1000", setfsuid((uid_t)-1), USER);
}

static void gid_rules(void)
{
	check_eq("root setgid(50)", setgid(50), 0);
	check("... all three gids 50", resgid_is(50, 50, 50), "getresgid differs");
	check_eq("setresgid(60, 70, 80)", setresgid(60, 70, 80), 0);
	check_eq("setregid(-1, 90)", setregid((gid_t)-1, 90), 0);
	check("... saved gid follows", resgid_is(60, 90, 90), "getresgid differs");
	check_eq("setfsgid(5) answers 90", setfsgid(5), 90);
	check_eq("setfsgid(-1) asks: 5", setfsgid((gid_t)-1), 5);
	check_eq("drop to uid 1000", setresuid(USER, USER, USER), 0);
	check_errno("unprivileged setgid(7): EPERM", setgid(7), EPERM);
	check_eq("unprivileged setgid(60), the real gid", setgid(60), 0);
	check("... only egid moved", resgid_is(60, 60, 90), "getresgid differs");
	check_errno("unprivileged setresgid(1, -1, -1): EPERM", setresgid(1, (gid_t)-1, (gid_t)-1), EPERM);
	check_errno("unprivileged setgroups: EPERM", setgroups(0, NULL), EPERM);
	check_errno("setgid(-1): EINVAL", setgid((gid_t)-1), EINVAL);
}

static void groups(void)
{
	gid_t set[3] = { 30, 10, 20 }, got[8] = { 0 };
	check_eq("setgroups(3)", setgroups(3, set), 0);
	check_eq("getgroups(0) counts: 3", getgroups(0, NULL), 3);
	check_eq("getgroups(8)", getgroups(8, got), 3);
	check("... sorted: 10 20 30", got[0] == 10 && got[1] == 20 && got[2] == 30, "got %u %u %u", got[0],
	      got[1], got[2]);
	check_errno("getgroups(2): too small: EINVAL", getgroups(2, got), EINVAL);
	check_errno("getgroups(-1): EINVAL", getgroups(-1, got), EINVAL);
	check_errno("setgroups(-1): EINVAL", setgroups(-1, set), EINVAL);
	check_errno("setgroups(65537): EINVAL", setgroups(65537, set), EINVAL);
	check_errno("setgroups from a kernel address: EFAULT", setgroups(2, BAD_PTR), EFAULT);
	check_errno("getgroups to a kernel address: EFAULT", getgroups(8, BAD_PTR), EFAULT);
	check_eq("setgroups(0): none", setgroups(0, NULL), 0);
	check_eq("getgroups(0): 0", getgroups(0, NULL), 0);
}

/* A Linux built without modules says ENOSYS to everybody. */
static void check_module_refused(const char *name, long ret)
{
	if (!on_sysgate() && ret == -1 && errno == ENOSYS)
		t_skip(name, "this Linux has no module support (ENOSYS)");
	else
		check_errno(name, ret, EPERM);
}

/* ---- what a non-root process is refused -------------------------------------------------------- */

static void refused(void)
{
	pid_t root_pid = getppid();
	struct rlimit rl;
	if (!check("become uid 1000", become_user(USER), "a set*id call failed"))
		return;
	check_errno("kill(root's process, 0): EPERM", kill(root_pid, 0), EPERM);
	check_errno("kill(root's process, SIGTERM): EPERM", kill(root_pid, SIGTERM), EPERM);
	check_eq("kill(root's process, SIGCONT): same session, allowed", kill(root_pid, SIGCONT), 0);
	check_eq("kill(self, 0)", kill(getpid(), 0), 0);
	check_errno("kill(no such pid): still ESRCH", kill(30000, 0), ESRCH);
	check_errno("reboot: EPERM before the magic is looked at",
		    syscall(SYS_reboot, 0, 0, 0x4321fedc, NULL), EPERM);
	check_module_refused("init_module: EPERM", syscall(SYS_init_module, "x", 1L, ""));
	check_module_refused("delete_module: EPERM", syscall(SYS_delete_module, "sysgate_none", 0));
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max - 1;
	check_eq("lower the hard limit of RLIMIT_NOFILE", setrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_max++;
	check_errno("raise it again: EPERM", setrlimit(RLIMIT_NOFILE, &rl), EPERM);
	check_errno("prlimit on root's process: EPERM", syscall(SYS_prlimit64, root_pid, RLIMIT_NOFILE, NULL, &rl),
		    EPERM);
	check_errno("setresuid(0, 0, 0): EPERM", setresuid(0, 0, 0), EPERM);
}

/* Another user's process: a child of root that becomes OTHER and waits. */
static void kill_between_users(void)
{
	int ready[2];
	if (pipe(ready))
		return;
	pid_t victim = t_fork();
	if (victim == 0) {
		char c = 'r';
		become_user(OTHER);
		write(ready[1], &c, 1);
		pause();
		_exit(0);
	}
	char c;
	read(ready[0], &c, 1);
	pid_t killer = t_fork();
	if (killer == 0) {
		become_user(USER);
		_exit(kill(victim, SIGTERM) == -1 && errno == EPERM ? 0 : 1);
	}
	check_exited("uid 1000 kills uid 2000's process: EPERM", t_wait(killer, T_WAIT_TICKS), 0);
	killer = t_fork();
	if (killer == 0) {
		become_user(OTHER);
		_exit(kill(victim, SIGTERM) == 0 ? 0 : 1);
	}
	check_exited("uid 2000 kills its own process", t_wait(killer, T_WAIT_TICKS), 0);
	check_signaled("... which dies of SIGTERM", t_wait(victim, T_WAIT_TICKS), SIGTERM);
	close(ready[0]);
	close(ready[1]);
}

static void leak_work(void)
{
	pid_t pid = t_fork();
	if (pid == 0) {
		gid_t g[4] = { 1, 2, 3, 4 };
		setgroups(4, g);
		setresuid(USER, USER, USER);
		_exit(0);
	}
	t_wait(pid, T_WAIT_TICKS);
}

int main(void)
{
	t_begin("creds");
	if (getuid() != 0 || geteuid() != 0) {
		t_skip("everything", "needs to start as root");
		return t_end();
	}
	test_root();
	test_capget();
	t_group("capset rules", capset_rules);
	t_group("root setuid", setuid_as_root);
	t_group("saved uid", saved_uid);
	t_group("euid and capabilities", euid_and_caps);
	t_group("gid rules", gid_rules);
	t_group("supplementary groups", groups);
	t_group("refused to a user", refused);
	kill_between_users();
	t_leak_test("credentials freed with their processes", leak_work);
	return t_end();
}
