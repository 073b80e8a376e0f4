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
 *
 * Its parts, one concept a file: sysv.c, futex.c, pshared.c; main.c keeps the shared helpers and
 * runs them all.
 */
#include "shm.h"

/* ---- segments and their cleanup ------------------------------------------------- */

struct noted *noted; /* MAP_SHARED: written by groups, read by main */

void note_id(int id)
{
	if (id >= 0 && noted->count < MAX_NOTED)
		noted->ids[noted->count++] = id;
}

void remove_noted(void)
{
	for (int i = 0; i < noted->count; i++)
		shmctl(noted->ids[i], IPC_RMID, NULL);
	noted->count = 0;
}

/* A new private segment, noted for removal; -1 on failure. */
int new_segment(size_t size)
{
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	note_id(id);
	return id;
}

/* A key no other run uses at the same time: the pid and a small number. */
key_t key_for(int n)
{
	return (key_t)(0x53470000 ^ ((unsigned)getpid() << 4) ^ (unsigned)n);
}

int shmget_noted(key_t key, size_t size, int flags)
{
	int id = shmget(key, size, flags);
	note_id(id);
	return id;
}

long nattch(int id)
{
	struct shmid_ds ds;
	return shmctl(id, IPC_STAT, &ds) < 0 ? -1 : (long)ds.shm_nattch;
}

/* ---- helpers for children ------------------------------------------------------- */

void touch_write(long addr)
{
	*(volatile char *)addr = 1;
}

void touch_read(long addr)
{
	(void)*(volatile char *)addr;
}

/* A page shared with the children we fork. */
void *shared_page(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* ---- main ----------------------------------------------------------------------------------------- */

void group(const char *name, void (*fn)(void))
{
	t_group(name, fn);
	remove_noted(); /* whatever the group left behind, even if it crashed */
}

/* Touch what this process may first touch later (deeper stack, errno's
 * page), so that the final count of free frames sees only the kernel. */
void warm_up(void)
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
