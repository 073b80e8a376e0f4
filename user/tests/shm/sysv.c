/*
 * shm: shmget; shmat and shmdt; shmctl; sharing between processes (course section: shared memory;
 * bad-input catalogue "SysV shared memory" 25-27). One part of the shm test: main.c runs it.
 */
#include "shm.h"

/* ---- shmget ------------------------------------------------------------------------ */

void test_shmget_private(void)
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

void test_shmget_keys(void)
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
void test_shmmni(void)
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

void test_shmat_basics(void)
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

void test_shmat_addresses(void)
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

void test_shmat_rdonly(void)
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
void test_split_attachment(void)
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

void test_shmctl(void)
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
void test_rmid_attached(void)
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

void test_fork_sharing(void)
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
const char *self_path;

int report_nattch(const char *idtext)
{
	return (int)nattch(atoi(idtext));
}

void test_exec_detaches(void)
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
