/*
 * Who may use a System V shared memory segment: owner, group and mode as
 * for files; IPC_SET and IPC_RMID for the owner; SHM_LOCK, SHM_INFO and
 * SHM_STAT_ANY (course sections: shared memory; privilege).
 *
 * The same checks run on Linux: root makes segments, an ordinary user
 * (uid 4000, in a child) is refused what the mode does not give it, with
 * Linux's errnos (EACCES for use, EPERM for control), and may do it once
 * root hands the segment over with IPC_SET.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>

#include "testlib.h"

#define USER 4000
#define KEY 0x53470001

static int be_user(void)
{
	return setresgid(USER, USER, USER) == 0 && setresuid(USER, USER, USER) == 0;
}

static int owner_only, readable, by_key;

static void as_user(long unused)
{
	(void)unused;
	if (!be_user())
		_exit(98);
	struct shmid_ds ds;
	check_errno("user: IPC_STAT of a 0600 segment: EACCES", shmctl(owner_only, IPC_STAT, &ds), EACCES);
	check("user: shmat of a 0600 segment: EACCES", shmat(owner_only, NULL, 0) == (void *)-1 && errno == EACCES,
	      "%s", errno_name(errno));
	check_errno("user: IPC_RMID of root's segment: EPERM", shmctl(owner_only, IPC_RMID, NULL), EPERM);
	check_errno("user: IPC_SET of root's segment: EPERM", shmctl(owner_only, IPC_SET, &ds), EPERM);
	check_errno("user: SHM_LOCK of root's segment: EPERM", shmctl(owner_only, SHM_LOCK, NULL), EPERM);
	check_eq("user: shmget by key asking nothing", shmget(KEY, 0, 0), by_key);
	check_errno("user: shmget by key asking read: EACCES", shmget(KEY, 0, 0400), EACCES);
	check_ok("user: IPC_STAT of a 0644 segment", shmctl(readable, IPC_STAT, &ds));
	void *ro = shmat(readable, NULL, SHM_RDONLY);
	check("user: shmat SHM_RDONLY of a 0644 segment", ro != (void *)-1, "%s", errno_name(errno));
	check("user: shmat read-write of a 0644 segment: EACCES", shmat(readable, NULL, 0) == (void *)-1 && errno == EACCES,
	      "%s", errno_name(errno));
	shmdt(ro);
	_exit(t_end());
}

static void after_handover(long unused)
{
	(void)unused;
	if (!be_user())
		_exit(98);
	struct shmid_ds ds;
	check_ok("user: IPC_STAT after root gave the segment over", shmctl(owner_only, IPC_STAT, &ds));
	struct rlimit none = { 0, 0 };
	setrlimit(RLIMIT_MEMLOCK, &none);
	check_errno("user: SHM_LOCK of its own segment with no memlock limit: EPERM", shmctl(owner_only, SHM_LOCK, NULL),
		    EPERM);
	check_ok("user: SHM_UNLOCK needs no limit", shmctl(owner_only, SHM_UNLOCK, NULL));
	check_ok("user: IPC_RMID of its own segment", shmctl(owner_only, IPC_RMID, NULL));
	_exit(t_end());
}

static void test_stat_any(long unused)
{
	(void)unused;
	struct shm_info info;
	int highest = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
	if (!be_user())
		_exit(98);
	int seen_any = 0, refused = 0;
	struct shmid_ds ds;
	for (int slot = 0; slot <= highest; slot++) {
		seen_any += shmctl(slot, SHM_STAT_ANY, &ds) == owner_only;
		refused += shmctl(slot, SHM_STAT, &ds) < 0 && errno == EACCES;
	}
	check("user: SHM_STAT_ANY finds root's 0600 segment", seen_any == 1, "%d", seen_any);
	check("user: SHM_STAT refuses it: EACCES", refused >= 1, "%d", refused);
	_exit(t_end());
}

int main(void)
{
	t_begin("shmperm");
	owner_only = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	readable = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0644);
	shmctl(shmget(KEY, 0, 0), IPC_RMID, NULL); /* a leftover of an earlier run */
	by_key = shmget(KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	check("three segments", owner_only >= 0 && readable >= 0 && by_key >= 0, "%s", errno_name(errno));

	struct shmid_ds ds;
	shmctl(owner_only, IPC_STAT, &ds);
	check("IPC_STAT: owner and creator are root", ds.shm_perm.uid == 0 && ds.shm_perm.cuid == 0 &&
	      ds.shm_perm.gid == 0 && ds.shm_perm.cgid == 0, "uid %u cuid %u", ds.shm_perm.uid, ds.shm_perm.cuid);
	check_eq("IPC_STAT: the mode", ds.shm_perm.mode & 0777, 0600);
	check_ok("root: SHM_LOCK", shmctl(owner_only, SHM_LOCK, NULL));
	shmctl(owner_only, IPC_STAT, &ds);
	check("SHM_LOCKED shows in the mode", ds.shm_perm.mode & SHM_LOCKED, "mode %o", ds.shm_perm.mode);
	check_ok("root: SHM_UNLOCK", shmctl(owner_only, SHM_UNLOCK, NULL));
	shmctl(owner_only, IPC_STAT, &ds);
	check("... and goes", !(ds.shm_perm.mode & SHM_LOCKED), "mode %o", ds.shm_perm.mode);

	struct shm_info info;
	memset(&info, 0xff, sizeof(info));
	int highest = shmctl(0, SHM_INFO, (struct shmid_ds *)&info);
	check("SHM_INFO: the highest slot, and our segments counted", highest >= 0 && info.used_ids >= 3 &&
	      info.shm_tot >= 3, "highest %d used %d tot %lu", highest, info.used_ids, info.shm_tot);
	check_errno("shmctl command 99: EINVAL", shmctl(owner_only, 99, &ds), EINVAL);
	check_errno("SHM_LOCK of no segment: EINVAL", shmctl(0x7fff0000, SHM_LOCK, NULL), EINVAL);

	check_exited("the ordinary user is refused", run_child(as_user, 0), 0);
	check_exited("SHM_STAT_ANY lists what SHM_STAT refuses", run_child(test_stat_any, 0), 0);

	shmctl(owner_only, IPC_STAT, &ds);
	ds.shm_perm.uid = USER;
	ds.shm_perm.gid = USER;
	check_ok("root: IPC_SET gives the segment to the user", shmctl(owner_only, IPC_SET, &ds));
	shmctl(owner_only, IPC_STAT, &ds);
	check("... owner changed, creator kept", ds.shm_perm.uid == USER && ds.shm_perm.cuid == 0, "uid %u cuid %u",
	      ds.shm_perm.uid, ds.shm_perm.cuid);
	check_exited("the new owner may control it", run_child(after_handover, 0), 0);
	check_errno("the segment is gone", shmctl(owner_only, IPC_STAT, &ds), EINVAL);
	shmctl(readable, IPC_RMID, NULL);
	shmctl(by_key, IPC_RMID, NULL);
	return t_end();
}
