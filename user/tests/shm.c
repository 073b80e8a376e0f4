/*
 * shm: System V shared memory, futexes, POSIX shared memory and the
 * process-shared locks of <futex_sync.h> (course section: shared memory;
 * bad-input catalogue "SysV shared memory" 25-27).
 *
 * The point under test is that two address spaces map the same frames:
 * what one process writes into a segment the other reads, at whatever
 * address each attached it, and a futex word in it puts one to sleep until
 * the other wakes it. Around that: every errno of shmget/shmat/shmdt/shmctl,
 * shm_nattch through fork, exec, exit and mprotect splits, IPC_RMID while
 * attached, futex wake counts and EAGAIN/ETIMEDOUT/EINTR, shm_open, and a
 * 1,000,000-message producer/consumer run through a ring in a segment.
 *
 * On Linux a segment outlives its creator, so every id made here is noted
 * in a page shared with the top-level process, which removes them all
 * after each group -- even a group that crashed. Keys are derived from the
 * pid so that parallel runs do not collide. No assertion depends on time:
 * a sleeping child is recognised by its state in /proc/PID/stat.
 */
#include <fcntl.h>
#include <futex_sync.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

/* ---- segments and their cleanup ------------------------------------------------- */

#define MAX_NOTED 600
struct noted {
	int count;
	int ids[MAX_NOTED];
	long ring_gets, ring_wrong, ring_left; /* the ring consumer's findings */
};
static struct noted *noted; /* MAP_SHARED: written by groups, read by main */

static void note_id(int id)
{
	if (id >= 0 && noted->count < MAX_NOTED)
		noted->ids[noted->count++] = id;
}

static void remove_noted(void)
{
	for (int i = 0; i < noted->count; i++)
		shmctl(noted->ids[i], IPC_RMID, NULL);
	noted->count = 0;
}

/* A new private segment, noted for removal; -1 on failure. */
static int new_segment(size_t size)
{
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	note_id(id);
	return id;
}

/* A key no other run uses at the same time: the pid and a small number. */
static key_t key_for(int n)
{
	return (key_t)(0x53470000 ^ ((unsigned)getpid() << 4) ^ (unsigned)n);
}

static int shmget_noted(key_t key, size_t size, int flags)
{
	int id = shmget(key, size, flags);
	note_id(id);
	return id;
}

static long nattch(int id)
{
	struct shmid_ds ds;
	return shmctl(id, IPC_STAT, &ds) < 0 ? -1 : (long)ds.shm_nattch;
}

/* ---- helpers for children ------------------------------------------------------- */

static void touch_write(long addr)
{
	*(volatile char *)addr = 1;
}

static void touch_read(long addr)
{
	(void)*(volatile char *)addr;
}

/* A page shared with the children we fork. */
static void *shared_page(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- shmget ------------------------------------------------------------------------ */

static void test_shmget_private(void)
{
	int id = new_segment(10000);
	struct shmid_ds ds;

	if (!check("shmget IPC_PRIVATE", id >= 0, "got -1 %s", errno_name(errno)))
		return;
	check_eq("IPC_STAT", shmctl(id, IPC_STAT, &ds), 0);
	check_eq("shm_segsz is the size asked for", (long)ds.shm_segsz, 10000);
	check_eq("shm_nattch is 0 before any shmat", (long)ds.shm_nattch, 0);
	check_eq("shm_cpid is the creator", ds.shm_cpid, getpid());
	check_eqx("the mode is the one given", ds.shm_perm.mode & 0777, 0600);
	check_eq("the key is IPC_PRIVATE", ds.shm_perm.__key, IPC_PRIVATE);
	check("shm_ctime is set", ds.shm_ctime > 0, "got %ld", (long)ds.shm_ctime);
	int id2 = new_segment(10000);
	check("IPC_PRIVATE twice gives two segments", id2 >= 0 && id2 != id, "got %d and %d", id, id2);
	check_errno("size 0: EINVAL", shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
	check_errno("size SIZE_MAX (over SHMMAX): EINVAL", shmget(IPC_PRIVATE, SIZE_MAX, IPC_CREAT | 0600), EINVAL);

	struct shminfo info;
	long r = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
	if (check("IPC_INFO reports the limits", r >= 0 && info.shmmni > 0 && info.shmmax > 0,
		  "got %ld %s", r, errno_name(errno)) &&
	    info.shmmax < SIZE_MAX)
		check_errno("size SHMMAX + 1: EINVAL", shmget(IPC_PRIVATE, info.shmmax + 1, IPC_CREAT | 0600), EINVAL);
	/* SHM_STAT walks the slots 0..highest (IPC_INFO's answer), as ipcs does. */
	int found = 0;
	for (long slot = 0; slot <= r; slot++) {
		struct shmid_ds slot_ds;
		int slot_id = shmctl((int)slot, SHM_STAT, &slot_ds);

		if (slot_id == id && slot_ds.shm_segsz == 10000)
			found = 1;
	}
	check("SHM_STAT over the slots finds the segment's id", found, "not found among %ld slots", r + 1);
	check_errno("SHM_STAT of slot -1: EINVAL", shmctl(-1, SHM_STAT, &ds), EINVAL);
	remove_noted();
	check_errno("IPC_STAT of a removed id: EINVAL", shmctl(id, IPC_STAT, &ds), EINVAL);
	check_errno("IPC_RMID of a removed id: EINVAL", shmctl(id, IPC_RMID, NULL), EINVAL);
}

static void test_shmget_keys(void)
{
	key_t key = key_for(1);
	int stale = shmget(key, 0, 0600);

	if (stale >= 0)
		shmctl(stale, IPC_RMID, NULL); /* left by a crashed run with our pid */
	check_errno("a missing key without IPC_CREAT: ENOENT", shmget(key, PAGE, 0600), ENOENT);
	int id = shmget_noted(key, 2 * PAGE, IPC_CREAT | IPC_EXCL | 0600);
	if (!check("IPC_CREAT|IPC_EXCL of a new key", id >= 0, "got -1 %s", errno_name(errno)))
		return;
	check_eq("the same key finds the same segment", shmget(key, 2 * PAGE, 0600), id);
	check_eq("IPC_CREAT on an existing key finds it too", shmget(key, 2 * PAGE, IPC_CREAT | 0600), id);
	check_eq("a smaller size is fine", shmget(key, 100, 0600), id);
	check_eq("size 0 is fine for an existing key", shmget(key, 0, 0600), id);
	check_errno("IPC_CREAT|IPC_EXCL on an existing key: EEXIST",
		    shmget(key, 2 * PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
	check_errno("an existing key with a larger size: EINVAL", shmget(key, 3 * PAGE, 0600), EINVAL);
	struct shmid_ds ds;
	shmctl(id, IPC_STAT, &ds);
	check_eqx("IPC_STAT shows the key", (unsigned)ds.shm_perm.__key, (unsigned)key);
	check_eq("IPC_RMID", shmctl(id, IPC_RMID, NULL), 0);
	check_errno("the key is gone after IPC_RMID: ENOENT", shmget(key, PAGE, 0600), ENOENT);
	remove_noted();
}

/* More segments than SHMMNI: ENOSPC. Only where SHMMNI is small (sysgate's
 * 128): Linux's 4096 would be a heavy load on a shared host. */
static void test_shmmni(void)
{
	struct shminfo info;
	if (shmctl(0, IPC_INFO, (struct shmid_ds *)&info) < 0 || info.shmmni > 512) {
		t_skip("more segments than SHMMNI: ENOSPC", "SHMMNI is %lu here: too many to make", info.shmmni);
		return;
	}
	int made = 0, id;
	while (made <= (int)info.shmmni && (id = new_segment(PAGE)) >= 0)
		made++;
	check("more segments than SHMMNI: ENOSPC", id < 0 && errno == ENOSPC && made <= (int)info.shmmni,
	      "made %d of SHMMNI %lu, then %s", made, info.shmmni, errno_name(errno));
	remove_noted();
	check("after removing them a segment can be made again", new_segment(PAGE) >= 0, "got %s", errno_name(errno));
	remove_noted();
}

/* ---- shmat and shmdt ----------------------------------------------------------------- */

static void test_shmat_basics(void)
{
	int id = new_segment(3 * PAGE);
	char *p = shmat(id, NULL, 0), *q;
	struct shmid_ds ds;

	if (!check("shmat at a kernel-chosen address", p != (void *)-1, "got -1 %s", errno_name(errno)))
		return;
	check("it is page aligned", ((uintptr_t)p & (PAGE - 1)) == 0, "got %p", (void *)p);
	check_eq("a fresh segment reads as zeros", p[0] | p[3 * PAGE - 1], 0);
	p[0] = 'a';
	p[3 * PAGE - 1] = 'z';
	shmctl(id, IPC_STAT, &ds);
	check_eq("shm_nattch is 1", (long)ds.shm_nattch, 1);
	check_eq("shm_lpid is the attacher", ds.shm_lpid, getpid());
	check("shm_atime is set", ds.shm_atime > 0, "got %ld", (long)ds.shm_atime);
	q = shmat(id, NULL, 0);
	if (check("a second attachment in the same process", q != (void *)-1 && q != p, "got %p", (void *)q)) {
		check("it shows the same memory", q[0] == 'a' && q[3 * PAGE - 1] == 'z', "got %c %c", q[0], q[3 * PAGE - 1]);
		q[1] = 'b';
		check_eq("a write through one shows through the other", p[1], 'b');
		check_eq("shm_nattch is 2", nattch(id), 2);
		check_eq("shmdt of the second", shmdt(q), 0);
	}
	check_eq("shm_nattch back to 1", nattch(id), 1);
	check_errno("shmdt of the same address again: EINVAL", shmdt(q), EINVAL);
	check_errno("shmdt where nothing is attached: EINVAL", shmdt((void *)0x10000), EINVAL);
	check_errno("shmdt of a misaligned address: EINVAL", shmdt(p + 1), EINVAL);
	check_errno("shmdt inside the attachment: EINVAL", shmdt(p + PAGE), EINVAL);
	check_eq("shmdt", shmdt(p), 0);
	check_eq("shm_nattch is 0", nattch(id), 0);
	check_signaled("the detached memory faults", run_child(touch_read, (long)p), SIGSEGV);
	p = shmat(id, NULL, 0);
	check("attached again, the data is still there", p != (void *)-1 && p[0] == 'a', "lost");
	shmdt(p);
	remove_noted();
}

static void test_shmat_addresses(void)
{
	int id = new_segment(2 * PAGE);
	char *hole = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	munmap(hole, 4 * PAGE); /* a free range the kernel would give us */
	p = shmat(id, hole + PAGE, 0);
	check("shmat at a given aligned address returns it", p == hole + PAGE, "got %p, asked %p", (void *)p,
	      (void *)(hole + PAGE));
	check_errno("shmat over an existing attachment: EINVAL", (long)shmat(id, hole + PAGE, 0), EINVAL);
	p[0] = 's';
	char *r = shmat(id, hole + PAGE, SHM_REMAP);
	check("SHM_REMAP replaces it", r == hole + PAGE && r[0] == 's', "got %p", (void *)r);
	shmdt(hole + PAGE);
	check_errno("a misaligned address without SHM_RND: EINVAL", (long)shmat(id, hole + PAGE + 100, 0), EINVAL);
	p = shmat(id, hole + PAGE + 100, SHM_RND);
	check("SHM_RND rounds the address down to SHMLBA", p == hole + PAGE, "got %p", (void *)p);
	shmdt(p);
	check_errno("shmat(-1): EINVAL", (long)shmat(-1, NULL, 0), EINVAL);
	check_errno("shmat of an id never made: EINVAL", (long)shmat(id + 0x1000000, NULL, 0), EINVAL);
	check_errno("shmat into the kernel half: ENOMEM", (long)shmat(id, (void *)0xffff800000000000UL, 0), ENOMEM);
	check_eq("nothing stayed attached", nattch(id), 0);
	remove_noted();
	check_errno("shmat of a removed id: EINVAL", (long)shmat(id, NULL, 0), EINVAL);
}

static void test_shmat_rdonly(void)
{
	int id = new_segment(PAGE);
	char *w = shmat(id, NULL, 0), *r = shmat(id, NULL, SHM_RDONLY);

	if (!check("shmat SHM_RDONLY", w != (void *)-1 && r != (void *)-1, "got -1 %s", errno_name(errno)))
		return;
	w[0] = 'w';
	check_eq("the read-only attachment reads", r[0], 'w');
	check_signaled("a write to an SHM_RDONLY attachment: SIGSEGV", run_child(touch_write, (long)r), SIGSEGV);
	check_errno("mprotect PROT_WRITE on it: EACCES", mprotect(r, PAGE, PROT_READ | PROT_WRITE), EACCES);
	check_eq("mprotect of the writable one to read-only", mprotect(w, PAGE, PROT_READ), 0);
	check_signaled("then it refuses writes too", run_child(touch_write, (long)w), SIGSEGV);
	check_eq("and mprotect back to read-write", mprotect(w, PAGE, PROT_READ | PROT_WRITE), 0);
	w[1] = 'x';
	check_eq("it takes writes again", r[1], 'x');
	shmdt(w);
	shmdt(r);
	remove_noted();
}

/* Item 27: split the attachment with mprotect, detach: shm_nattch back to 0. */
static void test_split_attachment(void)
{
	int id = new_segment(3 * PAGE);
	char *p = shmat(id, NULL, 0);

	if (!check("shmat 3 pages", p != (void *)-1, "got -1 %s", errno_name(errno)))
		return;
	p[2 * PAGE] = 'c';
	check_eq("mprotect the middle page read-only", mprotect(p + PAGE, PAGE, PROT_READ), 0);
	/* Linux counts each piece of a split attachment (vm_ops->open on split). */
	check_eq("shm_nattch counts the three pieces", nattch(id), 3);
	check_signaled("the middle page refuses writes", run_child(touch_write, (long)(p + PAGE)), SIGSEGV);
	check_eq("shmdt of the split attachment", shmdt(p), 0);
	check_eq("shm_nattch back to 0", nattch(id), 0);
	check_signaled("every piece is gone", run_child(touch_read, (long)(p + 2 * PAGE)), SIGSEGV);

	p = shmat(id, NULL, 0);
	mprotect(p + PAGE, PAGE, PROT_READ);
	check_eq("split again, munmap the middle piece", munmap(p + PAGE, PAGE), 0);
	check_eq("shm_nattch counts the two pieces left", nattch(id), 2);
	check_eq("shmdt across the hole", shmdt(p), 0);
	check_eq("detaches both: shm_nattch 0", nattch(id), 0);
	remove_noted();
}

/* ---- shmctl ----------------------------------------------------------------------------- */

static void test_shmctl(void)
{
	int id = new_segment(PAGE);
	struct shmid_ds ds;

	check_errno("IPC_STAT into buf (void *)-1: EFAULT", shmctl(id, IPC_STAT, (void *)-1), EFAULT);
	check_errno("IPC_SET from buf (void *)-1: EFAULT", shmctl(id, IPC_SET, (void *)-1), EFAULT);
	check_errno("cmd -1: EINVAL", shmctl(id, -1, &ds), EINVAL);
	check_errno("cmd 99: EINVAL", shmctl(id, 99, &ds), EINVAL);
	check_errno("shmid -1: EINVAL", shmctl(-1, IPC_STAT, &ds), EINVAL);
	shmctl(id, IPC_STAT, &ds);
	ds.shm_perm.mode = 0640;
	check_eq("IPC_SET a new mode", shmctl(id, IPC_SET, &ds), 0);
	memset(&ds, 0, sizeof(ds));
	shmctl(id, IPC_STAT, &ds);
	check_eqx("IPC_STAT shows it", ds.shm_perm.mode & 0777, 0640);
	check_eq("IPC_STAT's segment size is unchanged", (long)ds.shm_segsz, (long)PAGE);
	remove_noted();
	check_errno("IPC_SET of a removed id: EINVAL", shmctl(id, IPC_SET, &ds), EINVAL);
}

/* IPC_RMID while attached: the segment lives until its last detach. */
static void test_rmid_attached(void)
{
	key_t key = key_for(2);
	int stale = shmget(key, 0, 0600);
	if (stale >= 0)
		shmctl(stale, IPC_RMID, NULL);
	int id = shmget_noted(key, PAGE, IPC_CREAT | 0600);
	char *p = shmat(id, NULL, 0);
	struct shmid_ds ds;

	if (!check("shmget and shmat a keyed segment", id >= 0 && p != (void *)-1, "got %s", errno_name(errno)))
		return;
	p[0] = 'k';
	check_eq("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL), 0);
	check_eq("the memory is still there", p[0], 'k');
	check_eq("IPC_STAT still works on the id", shmctl(id, IPC_STAT, &ds), 0);
	check("its mode shows SHM_DEST", (ds.shm_perm.mode & SHM_DEST) != 0, "mode %#o", ds.shm_perm.mode);
	check_eq("its key is now IPC_PRIVATE", ds.shm_perm.__key, IPC_PRIVATE);
	check_eq("and shm_nattch is still 1", (long)ds.shm_nattch, 1);
	check_errno("the key no longer finds it: ENOENT", shmget(key, PAGE, 0600), ENOENT);
	pid_t pid = t_fork();
	if (pid == 0) /* a child inherits the attachment of a removed segment */
		_exit(p[0] == 'k' && nattch(id) == 2 ? 0 : 1);
	check_exited("a child still sees it, with shm_nattch 2", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("the child's exit detached it: shm_nattch 1", nattch(id), 1);
	check_eq("the last shmdt", shmdt(p), 0);
	check_errno("then the segment is gone: IPC_STAT EINVAL", shmctl(id, IPC_STAT, &ds), EINVAL);
	noted->count = 0;
}

/* ---- sharing between processes ------------------------------------------------------------- */

static void test_fork_sharing(void)
{
	int id = new_segment(2 * PAGE);
	volatile char *p = shmat(id, NULL, 0);

	if (!check("shmat", p != (void *)-1, "got -1 %s", errno_name(errno)))
		return;
	p[0] = 1;
	pid_t pid = t_fork();
	if (pid == 0) {
		int ok = p[0] == 1 && nattch(id) == 2;
		p[0] = 2;
		p[PAGE] = 3; /* a page neither had touched before the fork */
		_exit(ok ? 0 : 1);
	}
	check_exited("the child inherits the attachment (shm_nattch 2)", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("the child's write reaches the parent", p[0], 2);
	check_eq("even on a page first touched by the child", p[PAGE], 3);
	check_eq("the child's exit detached it", nattch(id), 1);

	/* The same segment attached anew in a child, at another address. */
	pid = t_fork();
	if (pid == 0) {
		char *mine = shmat(id, NULL, 0);
		int ok = mine != (void *)-1 && mine != p && mine[PAGE] == 3;
		if (ok)
			mine[1] = 'n';
		shmdt((void *)p); /* the inherited one: then only `mine` is attached */
		_exit(ok && nattch(id) == 2 ? 0 : 1);
	}
	check_exited("a child attaches it again at another address", t_wait(pid, T_WAIT_TICKS), 0);
	check_eq("its write through that address reaches us", p[1], 'n');
	check_eq("shm_nattch is 1 again", nattch(id), 1);
	shmdt((void *)p);
	remove_noted();
}

/* exec drops the attachments of the old program: the exec'd self reports nattch. */
static const char *self_path;

static int report_nattch(const char *idtext)
{
	return (int)nattch(atoi(idtext));
}

static void test_exec_detaches(void)
{
	int id = new_segment(PAGE);
	char *p = shmat(id, NULL, 0);
	char idtext[16];

	snprintf(idtext, sizeof(idtext), "%d", id);
	pid_t pid = t_fork();
	if (pid == 0) {
		char *argv[] = { (char *)self_path, "nattch", idtext, NULL };
		char *envp[] = { NULL };
		execve(self_path, argv, envp);
		_exit(99);
	}
	/* The new program's exit status is the nattch it saw: ours only. */
	check_exited("after exec the child's attachment is gone (it sees shm_nattch 1)", t_wait(pid, T_WAIT_TICKS), 1);
	shmdt(p);
	remove_noted();
}

/* ---- futex ----------------------------------------------------------------------------------- */

static void test_futex_errors(void)
{
	uint32_t word = 5;
	struct timespec short_wait = { 0, 10 * 1000 * 1000 }, bad = { 0, 1000000000 };

	check_errno("FUTEX_WAIT on a value that differs: EAGAIN", futex(&word, FUTEX_WAIT, 6, NULL, NULL, 0), EAGAIN);
	check_errno("the same with FUTEX_PRIVATE_FLAG: EAGAIN",
		    futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 6, NULL, NULL, 0), EAGAIN);
	check_errno("FUTEX_WAIT with a 10 ms timeout: ETIMEDOUT", futex_wait(&word, 5, &short_wait), ETIMEDOUT);
	check_errno("the same, private: ETIMEDOUT",
		    futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 5, &short_wait, NULL, 0), ETIMEDOUT);
	check_errno("a timeout of 1e9 ns: EINVAL", futex_wait(&word, 5, &bad), EINVAL);
	check_errno("a timeout at (void *)-1: EFAULT", futex_wait(&word, 5, (void *)-1), EFAULT);
	check_eq("FUTEX_WAKE with nobody waiting wakes 0", futex_wake(&word, 1), 0);
	check_eq("FUTEX_WAKE private, nobody: 0", futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	check_errno("a misaligned word: EINVAL", futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 5, NULL, NULL, 0),
		    EINVAL);
	check_errno("FUTEX_WAIT at NULL: EFAULT", futex(NULL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	check_errno("FUTEX_WAIT at a kernel address: EFAULT",
		    futex((uint32_t *)0xffff800000000000UL, FUTEX_WAIT, 0, NULL, NULL, 0), EFAULT);
	check_errno("an unknown operation: ENOSYS", futex(&word, 99, 0, NULL, NULL, 0), ENOSYS);
	uint32_t other = 0;
	check_errno("FUTEX_CMP_REQUEUE with the word changed: EAGAIN",
		    futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &other, 4), EAGAIN);
	check_errno("FUTEX_REQUEUE of a negative count: EINVAL", futex(&word, FUTEX_REQUEUE, 1, (void *)-1L, &other, 0),
		    EINVAL);
	check_errno("FUTEX_REQUEUE to a misaligned word: EINVAL",
		    futex(&word, FUTEX_REQUEUE, 1, (void *)1, (uint32_t *)((char *)&other + 2), 0), EINVAL);
	check_eq("FUTEX_CMP_REQUEUE with nobody waiting: 0", futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &other, 5),
		 0);
	check_eq("the word is unchanged", word, 5);
}

/* Children that sleep on a shared word until woken; exit 0 if woken (not EAGAIN). */
static void sleep_on(uint32_t *word, int private_flag)
{
	long r = futex(word, FUTEX_WAIT | private_flag, 0, NULL, NULL, 0);
	_exit(r == 0 ? 0 : 10 + errno);
}

static pid_t sleeper(uint32_t *word, int private_flag)
{
	pid_t pid = t_fork();
	if (pid == 0)
		sleep_on(word, private_flag);
	return pid;
}

/* Three children asleep in FUTEX_WAIT on word (which holds 0); 1 if they
 * all got there. */
static int three_sleepers(uint32_t *word, pid_t kids[3])
{
	int asleep = 1;

	*word = 0;
	for (int i = 0; i < 3; i++)
		kids[i] = sleeper(word, 0);
	for (int i = 0; i < 3; i++)
		asleep &= (t_wait_for_state(kids[i], 'S') == 'S');
	return asleep;
}

/* Reaps the three; how many saw their FUTEX_WAIT return 0 (woken). */
static int reap_woken(const pid_t kids[3])
{
	int woken = 0;

	for (int i = 0; i < 3; i++)
		woken += t_wait(kids[i], T_WAIT_TICKS) == 0;
	return woken;
}

static void test_futex_wake_counts(void)
{
	uint32_t *word = shared_page(PAGE);
	pid_t kids[3];

	check("three children sleep in FUTEX_WAIT on a shared word", three_sleepers(word, kids),
	      "a child did not sleep");
	check_eq("FUTEX_WAKE 2 wakes exactly 2", futex_wake(word, 2), 2);
	check_eq("FUTEX_WAKE INT_MAX wakes the last one", futex_wake(word, INT_MAX), 1);
	check_eq("FUTEX_WAKE again wakes nobody", futex_wake(word, INT_MAX), 0);
	check_eq("each child's FUTEX_WAIT returned 0", reap_woken(kids), 3);
	munmap(word, PAGE);
}

/* FUTEX_CMP_REQUEUE: of three sleepers on one word, wake one and move one
 * to a second word (still asleep); the third stays where it was. */
static void test_futex_requeue(void)
{
	uint32_t *words = shared_page(PAGE), *a = &words[0], *b = &words[1];
	pid_t kids[3];

	*b = 0;
	check("three children sleep on word A", three_sleepers(a, kids), "a child did not sleep");
	check_eq("FUTEX_CMP_REQUEUE wake 1, move 1 to B: 2 handled",
		 futex(a, FUTEX_CMP_REQUEUE, 1, (void *)1, b, 0), 2);
	check_eq("the one moved sleeps on B now: FUTEX_WAKE(B) wakes it", futex_wake(b, INT_MAX), 1);
	check_eq("and one is left on A", futex_wake(a, INT_MAX), 1);
	check_eq("every child's FUTEX_WAIT returned 0", reap_woken(kids), 3);
	munmap(words, PAGE);
}

/* ---- robust futexes -------------------------------------------------------------------------------------------- */

/* Linux's robust list, as a C library keeps it (see kernel/ipc/futex_robust.c). */
struct robust_entry {
	struct robust_entry *next;
};
struct robust_head {
	struct robust_entry list;
	long futex_offset;
	struct robust_entry *list_op_pending;
};

/* A lock in shared memory: a list entry, then the lock word. */
struct robust_lock {
	struct robust_entry entry;
	uint32_t word;
};

/* The owner: take the lock (the word gets our tid), put it on our robust
 * list, tell the parent, and die holding it when the parent says so. */
static void robust_owner(struct robust_lock *lock, int ready, int go)
{
	static struct robust_head head;
	char c;

	head.list.next = &lock->entry;
	head.futex_offset = offsetof(struct robust_lock, word);
	lock->entry.next = &head.list;	/* the list ends back at the head */
	lock->word = (uint32_t)gettid();
	if (syscall(SYS_set_robust_list, &head, sizeof(head)) != 0)
		_exit(1);
	write(ready, "r", 1);
	read(go, &c, 1);
	_exit(0);			/* still holding the lock */
}

/* A waiter: mark the lock contended and sleep until the owner's death
 * wakes it; then the word must say so. */
static void robust_waiter(struct robust_lock *lock)
{
	uint32_t seen = __atomic_fetch_or(&lock->word, FUTEX_WAITERS, __ATOMIC_SEQ_CST) | FUTEX_WAITERS;
	long r = futex(&lock->word, FUTEX_WAIT, seen, NULL, NULL, 0);
	if (r != 0 && errno != EAGAIN)
		_exit(2);
	_exit((lock->word & FUTEX_OWNER_DIED) ? 0 : 3);
}

static void test_robust(void)
{
	struct robust_head head, *got = NULL;
	size_t len = 0;

	check_errno("set_robust_list with a wrong length: EINVAL", syscall(SYS_set_robust_list, &head, 23), EINVAL);
	check_eq("set_robust_list", syscall(SYS_set_robust_list, &head, sizeof(head)), 0);
	check_eq("get_robust_list(0) reads it back", syscall(SYS_get_robust_list, 0, &got, &len), 0);
	check("the same head and length", got == &head && len == sizeof(head), "%p %zu", (void *)got, len);
	check_errno("get_robust_list of a missing pid: ESRCH", syscall(SYS_get_robust_list, 30000, &got, &len), ESRCH);
	check_errno("get_robust_list to a kernel address: EFAULT",
		    syscall(SYS_get_robust_list, 0, 0xffff800000000000UL, &len), EFAULT);
	syscall(SYS_set_robust_list, NULL, sizeof(head));

	struct robust_lock *lock = shared_page(PAGE);
	int ready[2], go[2];

	pipe(ready);
	pipe(go);
	pid_t owner = t_fork();
	if (owner == 0)
		robust_owner(lock, ready[1], go[0]);
	char c;
	read(ready[0], &c, 1);
	check_eq("the owner holds the lock: the word is its tid", lock->word & FUTEX_TID_MASK, owner);
	pid_t waiter = t_fork();
	if (waiter == 0)
		robust_waiter(lock);
	check_eq("a second process sleeps on the held lock", t_wait_for_state(waiter, 'S'), 'S');
	write(go[1], "g", 1);
	check_exited("the owner exits holding it", t_wait(owner, T_WAIT_TICKS), 0);
	check_exited("the kernel wakes the waiter, and the word says FUTEX_OWNER_DIED", t_wait(waiter, T_WAIT_TICKS), 0);
	check_eqx("the word: FUTEX_OWNER_DIED | FUTEX_WAITERS, no owner", lock->word, FUTEX_OWNER_DIED | FUTEX_WAITERS);
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	munmap(lock, PAGE);
}

/* libc's robust_mutex: correct under contention, and EOWNERDEAD for the
 * next locker when its owner dies holding it. */
struct robust_shared {
	struct robust_mutex m;
	long counter;
};

static void robust_adder(struct robust_shared *s, int rounds)
{
	for (int i = 0; i < rounds; i++) {
		robust_mutex_lock(&s->m);
		long v = s->counter;
		if (i % 64 == 0)
			sched_yield(); /* let the other one try while we hold it */
		s->counter = v + 1;
		robust_mutex_unlock(&s->m);
	}
	_exit(0);
}

static void robust_dier(struct robust_shared *s, int ready)
{
	robust_mutex_lock(&s->m);
	s->counter = -1; /* half way through an update... */
	write(ready, "r", 1);
	_exit(0);	 /* ...and gone, holding the lock */
}

static void test_robust_mutex(void)
{
	struct robust_shared *s = shared_page(PAGE);
	int ready[2];
	char c;

	robust_mutex_init(&s->m);
	s->counter = 0;
	pid_t a = t_fork();
	if (a == 0)
		robust_adder(s, 3000);
	pid_t b = t_fork();
	if (b == 0)
		robust_adder(s, 3000);
	t_wait(a, T_WAIT_TICKS);
	t_wait(b, T_WAIT_TICKS);
	check_eq("two processes add 3000 each under a robust_mutex: 6000", s->counter, 6000);
	check_eq("and it is free afterwards", s->m.word, 0);

	pipe(ready);
	pid_t dier = t_fork();
	if (dier == 0)
		robust_dier(s, ready[1]);
	read(ready[0], &c, 1);
	check_exited("a process takes the lock and dies holding it", t_wait(dier, T_WAIT_TICKS), 0);
	check_eq("the next lock succeeds with EOWNERDEAD", robust_mutex_lock(&s->m), EOWNERDEAD);
	check_eq("(what it protected is as the dead owner left it)", s->counter, -1);
	robust_mutex_unlock(&s->m);
	check_eq("after an unlock it is an ordinary lock again", robust_mutex_lock(&s->m), 0);
	robust_mutex_unlock(&s->m);
	close(ready[0]);
	close(ready[1]);
	munmap(s, PAGE);
}

/* A private futex is keyed by the address space: another process's wake,
 * private or not, does not reach it. A signal ends its wait with EINTR. */
static void on_usr1(int sig)
{
	(void)sig;
}

static void test_futex_private(void)
{
	uint32_t *word = shared_page(PAGE);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: the interrupted wait fails with EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	*word = 0;
	pid_t pid = sleeper(word, FUTEX_PRIVATE_FLAG);
	check("a child sleeps in FUTEX_WAIT_PRIVATE", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("a shared FUTEX_WAKE from another process does not wake it", futex_wake(word, 1), 0);
	check_eq("a private one does not either", futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	kill(pid, SIGUSR1);
	check_exited("a signal ends its wait: EINTR", t_wait(pid, T_WAIT_TICKS), 10 + EINTR);

	pid = sleeper(word, 0);
	check("a child sleeps in a shared FUTEX_WAIT", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("a private wake from another process does not reach it",
		 futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL, NULL, 0), 0);
	check_eq("a shared wake does", futex_wake(word, 1), 1);
	check_exited("its FUTEX_WAIT returned 0", t_wait(pid, T_WAIT_TICKS), 0);
	munmap(word, PAGE);
}

/* The futex key is the physical page: a wake at one virtual address reaches
 * a sleeper that attached the segment at another. */
static void test_futex_across_addresses(void)
{
	int id = new_segment(PAGE);
	uint32_t *mine = shmat(id, NULL, 0);

	pid_t pid = t_fork();
	if (pid == 0) {
		uint32_t *theirs = shmat(id, NULL, 0); /* a second attachment: elsewhere */
		theirs[1] = theirs != mine; /* tell the parent whether the addresses differ */
		sleep_on(&theirs[0], 0);
	}
	check("the child sleeps on the word at its own address", (t_wait_for_state(pid, 'S') == 'S'), "it did not");
	check_eq("the child's address differs from ours", mine[1], 1);
	check_eq("FUTEX_WAKE at our address wakes it", futex_wake(&mine[0], 1), 1);
	check_exited("the child's FUTEX_WAIT returned 0", t_wait(pid, T_WAIT_TICKS), 0);
	/* A wake on a page that this process never touched faults it in. */
	int id2 = new_segment(PAGE);
	uint32_t *fresh = shmat(id2, NULL, 0);
	check_eq("FUTEX_WAKE on an untouched shared page: 0", futex_wake(fresh, 1), 0);
	shmdt(fresh);
	shmdt(mine);
	remove_noted();
}

/* ---- the process-shared mutex, condition variable and ring ------------------------------------ */

struct counter {
	struct shared_mutex lock;
	struct shared_cond turn_changed;
	int turn;
	long count;
};

#define ADDERS 3
#define ADDS 20000

static void add_many(struct counter *c)
{
	for (int i = 0; i < ADDS; i++) {
		shared_mutex_lock(&c->lock);
		long v = c->count; /* a read-modify-write that only the lock protects */
		if ((i & 1023) == 0)
			sched_yield(); /* give the others a chance to find it locked */
		c->count = v + 1;
		shared_mutex_unlock(&c->lock);
	}
	_exit(0);
}

static void test_mutex(void)
{
	struct counter *c = shared_page(PAGE);
	pid_t kids[ADDERS];
	int ok = 1;

	shared_mutex_init(&c->lock);
	check_eq("trylock of a free mutex", shared_mutex_trylock(&c->lock), 0);
	check_eq("trylock of a held mutex: EBUSY", shared_mutex_trylock(&c->lock), EBUSY);
	shared_mutex_unlock(&c->lock);
	for (int i = 0; i < ADDERS; i++) {
		kids[i] = t_fork();
		if (kids[i] == 0)
			add_many(c);
	}
	for (int i = 0; i < ADDERS; i++)
		ok &= t_wait(kids[i], T_WAIT_TICKS * 4) == 0;
	check("three processes add under the shared mutex", ok, "a child failed");
	check_eq("no increment was lost", c->count, (long)ADDERS * ADDS);
	check_eq("the mutex is free at the end", c->lock.state, 0);
	munmap(c, PAGE);
}

/* Ping-pong: parent and child take turns through a condition variable. */
#define ROUNDS 2000

static void take_turns(struct counter *c, int me)
{
	for (int i = 0; i < ROUNDS; i++) {
		shared_mutex_lock(&c->lock);
		while (c->turn != me)
			shared_cond_wait(&c->turn_changed, &c->lock);
		c->count++;
		c->turn = !me;
		shared_mutex_unlock(&c->lock);
		shared_cond_broadcast(&c->turn_changed);
	}
}

static void test_cond(void)
{
	struct counter *c = shared_page(PAGE);

	shared_mutex_init(&c->lock);
	shared_cond_init(&c->turn_changed);
	c->turn = 0;
	c->count = 0;
	pid_t pid = t_fork();
	if (pid == 0) {
		take_turns(c, 1);
		_exit(0);
	}
	take_turns(c, 0);
	check_exited("parent and child take 2000 turns each through a shared condvar", t_wait(pid, T_WAIT_TICKS * 4), 0);
	check_eq("every turn was counted", c->count, 2 * ROUNDS);
	munmap(c, PAGE);
}

/* 1,000,000 numbered messages through a ring in a SysV segment, between
 * two children: the consumer checks each is the next one -- none lost,
 * none twice -- and leaves its findings in `noted` for us to check. We do
 * not attach the segment ourselves, so this process's memory is unchanged
 * for the final leak check. */
#define MESSAGES 1000000
#define RING_SLOTS 4096
#define BATCH 256

static struct shared_ring *attach_ring(int id)
{
	struct shared_ring *r = shmat(id, NULL, 0);
	if (r == (void *)-1)
		_exit(2);
	return r;
}

static void produce(long id)
{
	struct shared_ring *r = attach_ring((int)id);
	uint64_t batch[BATCH];
	for (uint64_t next = 0; next < MESSAGES;) {
		size_t n = 0;
		while (n < BATCH && next + n < MESSAGES) {
			batch[n] = next + n;
			n++;
		}
		for (size_t done = 0; done < n;)
			done += shared_ring_put(r, batch + done, n - done);
		next += n;
	}
	_exit(0);
}

static void consume(long id)
{
	struct shared_ring *r = attach_ring((int)id);
	uint64_t batch[BATCH], expect = 0;
	while (expect < MESSAGES) {
		size_t n = shared_ring_get(r, batch, BATCH);
		noted->ring_gets++;
		for (size_t i = 0; i < n; i++, expect++)
			noted->ring_wrong += batch[i] != expect;
	}
	noted->ring_left = (long)(r->put - r->got);
	_exit(0);
}

static pid_t start_child(void (*fn)(long), long arg)
{
	pid_t pid = t_fork();
	if (pid == 0)
		fn(arg);
	return pid;
}

static void init_ring(long id)
{
	shared_ring_init(attach_ring((int)id), RING_SLOTS, sizeof(uint64_t));
	_exit(0);
}

static void test_ring(void)
{
	int id = new_segment(shared_ring_size(RING_SLOTS, sizeof(uint64_t)));
	int st_producer, st_consumer;

	if (!check("a ring in a SysV segment", id >= 0 && run_child(init_ring, id) == 0, "got %s", errno_name(errno)))
		return;
	noted->ring_gets = noted->ring_wrong = noted->ring_left = 0;
	pid_t consumer = start_child(consume, id), producer = start_child(produce, id);
	/* A long run under emulation: blocking waits, no give-up timeout. */
	waitpid(producer, &st_producer, 0);
	waitpid(consumer, &st_consumer, 0);
	check_exited("the producer put 1,000,000 messages", st_producer, 0);
	check_exited("the consumer took 1,000,000 messages", st_consumer, 0);
	check_eq("all of them, in order, none lost or repeated", noted->ring_wrong, 0);
	check_eq("and nothing is left over", noted->ring_left, 0);
	check("they moved in batches", noted->ring_gets < MESSAGES, "%ld gets", noted->ring_gets);
	remove_noted();
}

/* ---- POSIX shared memory ------------------------------------------------------------------------ */

static void test_posix_shm(void)
{
	char name[64];
	struct stat st;

	snprintf(name, sizeof(name), "/sysgate-shm-test-%d", getpid());
	check("/dev/shm is a directory", stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode), "it is not");
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (!check("shm_open O_CREAT|O_EXCL", fd >= 0, "got -1 %s", errno_name(errno)))
		return;
	check("the descriptor is close-on-exec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "it is not");
	check_errno("shm_open O_CREAT|O_EXCL again: EEXIST", shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	check_eq("ftruncate gives it a size", ftruncate(fd, 2 * PAGE), 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (check("mmap MAP_SHARED", p != MAP_FAILED, "got -1 %s", errno_name(errno))) {
		p[0] = 'P';
		pid_t pid = t_fork();
		if (pid == 0) { /* an unrelated-style open: by name, a mapping of its own */
			int cfd = shm_open(name, O_RDWR, 0);
			char *c = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
			if (c == MAP_FAILED)
				_exit(2);
			int ok = c[0] == 'P';
			c[PAGE] = 'C';
			_exit(ok ? 0 : 1);
		}
		check_exited("another process opens it by name and sees our write", t_wait(pid, T_WAIT_TICKS), 0);
		check_eq("its write reaches our mapping", p[PAGE], 'C');
		char c = 0;
		pread(fd, &c, 1, PAGE);
		check_eq("and read() of the object", c, 'C');
		munmap(p, 2 * PAGE);
	}
	close(fd);
	check_eq("shm_unlink", shm_unlink(name), 0);
	check_errno("shm_open of the removed name: ENOENT", shm_open(name, O_RDWR, 0), ENOENT);
	check_errno("shm_unlink again: ENOENT", shm_unlink(name), ENOENT);
	check_errno("a name with a '/' inside: EINVAL", shm_open("/a/b", O_RDWR | O_CREAT, 0600), EINVAL);
	check_errno("an empty name: EINVAL", shm_open("/", O_RDWR | O_CREAT, 0600), EINVAL);
	char long_name[300];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[0] = '/';
	long_name[sizeof(long_name) - 1] = 0;
	check_errno("a name over NAME_MAX: ENAMETOOLONG", shm_open(long_name, O_RDWR | O_CREAT, 0600), ENAMETOOLONG);
}

/* ---- leaks ------------------------------------------------------------------------------------- */

static void churn(void)
{
	for (int i = 0; i < 20; i++) {
		int id = new_segment(4 * PAGE);
		char *p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			continue;
		p[0] = p[3 * PAGE] = 1;
		mprotect(p + PAGE, PAGE, PROT_READ);
		pid_t pid = t_fork();
		if (pid == 0) {
			p[PAGE * 2] = 2;
			_exit(0);
		}
		t_wait(pid, T_WAIT_TICKS);
		shmctl(id, IPC_RMID, NULL);
		shmdt(p);
	}
	noted->count = 0;
}

static void test_leaks(void)
{
	t_leak_test("segments made, attached, split, forked and removed: nothing leaked", churn);
}

/* ---- main ----------------------------------------------------------------------------------------- */

static void group(const char *name, void (*fn)(void))
{
	t_group(name, fn);
	remove_noted(); /* whatever the group left behind, even if it crashed */
}

/* Touch what this process may first touch later (deeper stack, errno's
 * page), so that the final count of free frames sees only the kernel. */
static void warm_up(void)
{
	volatile char stack[64 * 1024];
	for (size_t i = 0; i < sizeof(stack); i += PAGE)
		stack[i] = 0;
	close(-1);
}

int main(int argc, char **argv)
{
	struct leak_mark m;

	if (argc == 3 && !strcmp(argv[1], "nattch"))
		return report_nattch(argv[2]);
	t_set_self(argv);
	self_path = t_self();
	noted = shared_page(PAGE);
	t_begin("shm");
	test_leaks(); /* first: it also warms up this process's page tables */
	warm_up();
	int have_counts = leak_mark(&m);
	group("shmget IPC_PRIVATE", test_shmget_private);
	group("shmget keys", test_shmget_keys);
	group("SHMMNI", test_shmmni);
	group("shmat basics", test_shmat_basics);
	group("shmat addresses", test_shmat_addresses);
	group("SHM_RDONLY", test_shmat_rdonly);
	group("split attachment", test_split_attachment);
	group("shmctl", test_shmctl);
	group("IPC_RMID while attached", test_rmid_attached);
	group("fork sharing", test_fork_sharing);
	group("exec detaches", test_exec_detaches);
	group("futex errors", test_futex_errors);
	group("futex wake counts", test_futex_wake_counts);
	group("futex requeue", test_futex_requeue);
	group("robust futexes", test_robust);
	group("robust mutex", test_robust_mutex);
	group("futex private", test_futex_private);
	group("futex across addresses", test_futex_across_addresses);
	group("shared mutex", test_mutex);
	group("shared condvar", test_cond);
	test_ring(); /* not in a group: it may run longer than a group may under emulation */
	group("POSIX shm", test_posix_shm);
	if (have_counts)
		leak_check("after all of it the free frames and heap are back at their baseline", &m);
	else
		t_skip("after all of it the free frames and heap are back at their baseline", "sysgate only");
	return t_end();
}
