/*
 * The id syscalls: getuid and friends, and Linux's rules for changing
 * them (course section: kernel design -- privilege).
 *
 * A process has four uids. The real uid says who started it; the effective
 * uid is whose rights it uses now; the saved uid remembers an effective
 * uid it gave up, so a set-user-ID program can switch between its caller's
 * rights and its owner's; the filesystem uid (normally the effective one)
 * is what file checks use. Without CAP_SETUID a process may only move
 * among the ids it already has; with it, anything. The same holds for
 * gids with CAP_SETGID.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

#define NO_CHANGE ((unsigned)-1) /* the id -1: "leave this one as it is" */

long sys_getuid(void) { return current_cred()->uid; }
long sys_geteuid(void) { return current_cred()->euid; }
long sys_getgid(void) { return current_cred()->gid; }
long sys_getegid(void) { return current_cred()->egid; }

/* Is id one the caller holds already as real, effective or saved id? */
static bool held(unsigned id, unsigned r, unsigned e, unsigned s)
{
	return id == r || id == e || id == s;
}

/* Make the change described by new (a prepared copy) if allowed. */
static long commit_uids(struct cred *new)
{
	cap_fix_setuid(new, current_cred());
	cred_commit(new);
	return 0;
}

long sys_setuid(uid_t uid)
{
	if (uid == NO_CHANGE)
		return -EINVAL;
	const struct cred *old = current_cred();
	bool priv = capable(CAP_SETUID);
	if (!priv && uid != old->uid && uid != old->suid)
		return -EPERM;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (priv)
		new->uid = new->suid = uid;
	new->euid = new->fsuid = uid;
	return commit_uids(new);
}

long sys_setreuid(uid_t ruid, uid_t euid)
{
	const struct cred *old = current_cred();
	bool priv = capable(CAP_SETUID);
	if (ruid != NO_CHANGE && !priv && ruid != old->uid && ruid != old->euid)
		return -EPERM;
	if (euid != NO_CHANGE && !priv && !held(euid, old->uid, old->euid, old->suid))
		return -EPERM;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (ruid != NO_CHANGE)
		new->uid = ruid;
	if (euid != NO_CHANGE)
		new->euid = euid;
	/* The saved uid follows a new effective uid when the real one changes
	 * or the effective one moves away from the old real uid. */
	if (ruid != NO_CHANGE || (euid != NO_CHANGE && euid != old->uid))
		new->suid = new->euid;
	new->fsuid = new->euid;
	return commit_uids(new);
}

long sys_setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	const struct cred *old = current_cred();
	if (!capable(CAP_SETUID)) {
		uid_t want[3] = { ruid, euid, suid };
		for (int k = 0; k < 3; k++)
			if (want[k] != NO_CHANGE && !held(want[k], old->uid, old->euid, old->suid))
				return -EPERM;
	}
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (ruid != NO_CHANGE)
		new->uid = ruid;
	if (euid != NO_CHANGE)
		new->euid = euid;
	if (suid != NO_CHANGE)
		new->suid = suid;
	new->fsuid = new->euid;
	return commit_uids(new);
}

static long put_three(unsigned __user *a, unsigned __user *b, unsigned __user *c, unsigned x, unsigned y,
		      unsigned z)
{
	if (copy_to_user(a, &x, sizeof(x)) || copy_to_user(b, &y, sizeof(y)) || copy_to_user(c, &z, sizeof(z)))
		return -EFAULT;
	return 0;
}

long sys_getresuid(uid_t __user *ruid, uid_t __user *euid, uid_t __user *suid)
{
	const struct cred *c = current_cred();
	return put_three(ruid, euid, suid, c->uid, c->euid, c->suid);
}

long sys_getresgid(gid_t __user *rgid, gid_t __user *egid, gid_t __user *sgid)
{
	const struct cred *c = current_cred();
	return put_three(rgid, egid, sgid, c->gid, c->egid, c->sgid);
}

/* setfsuid answers the old filesystem uid whether or not it changed it:
 * that is how a program asks what it is (setfsuid(-1)). */
long sys_setfsuid(uid_t fsuid)
{
	const struct cred *old = current_cred();
	uid_t was = old->fsuid;
	if (fsuid == NO_CHANGE)
		return was;
	if (!held(fsuid, old->uid, old->euid, old->suid) && fsuid != old->fsuid && !capable(CAP_SETUID))
		return was;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return was;
	new->fsuid = fsuid;
	cap_fix_setfsuid(new, was);
	cred_commit(new);
	return was;
}

/* --- group ids: the same rules under CAP_SETGID; capabilities do not move ----------------- */

long sys_setgid(gid_t gid)
{
	if (gid == NO_CHANGE)
		return -EINVAL;
	const struct cred *old = current_cred();
	bool priv = capable(CAP_SETGID);
	if (!priv && gid != old->gid && gid != old->sgid)
		return -EPERM;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (priv)
		new->gid = new->sgid = gid;
	new->egid = new->fsgid = gid;
	cred_commit(new);
	return 0;
}

long sys_setregid(gid_t rgid, gid_t egid)
{
	const struct cred *old = current_cred();
	bool priv = capable(CAP_SETGID);
	if (rgid != NO_CHANGE && !priv && rgid != old->gid && rgid != old->egid)
		return -EPERM;
	if (egid != NO_CHANGE && !priv && !held(egid, old->gid, old->egid, old->sgid))
		return -EPERM;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (rgid != NO_CHANGE)
		new->gid = rgid;
	if (egid != NO_CHANGE)
		new->egid = egid;
	if (rgid != NO_CHANGE || (egid != NO_CHANGE && egid != old->gid))
		new->sgid = new->egid;
	new->fsgid = new->egid;
	cred_commit(new);
	return 0;
}

long sys_setresgid(gid_t rgid, gid_t egid, gid_t sgid)
{
	const struct cred *old = current_cred();
	if (!capable(CAP_SETGID)) {
		gid_t want[3] = { rgid, egid, sgid };
		for (int k = 0; k < 3; k++)
			if (want[k] != NO_CHANGE && !held(want[k], old->gid, old->egid, old->sgid))
				return -EPERM;
	}
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	if (rgid != NO_CHANGE)
		new->gid = rgid;
	if (egid != NO_CHANGE)
		new->egid = egid;
	if (sgid != NO_CHANGE)
		new->sgid = sgid;
	new->fsgid = new->egid;
	cred_commit(new);
	return 0;
}

long sys_setfsgid(gid_t fsgid)
{
	const struct cred *old = current_cred();
	gid_t was = old->fsgid;
	if (fsgid == NO_CHANGE)
		return was;
	if (!held(fsgid, old->gid, old->egid, old->sgid) && fsgid != old->fsgid && !capable(CAP_SETGID))
		return was;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return was;
	new->fsgid = fsgid;
	cred_commit(new);
	return was;
}

/* --- supplementary groups --------------------------------------------------------------------- */

long sys_getgroups(int size, gid_t __user *list)
{
	const struct cred *c = current_cred();
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return c->ngroups; /* how many: the caller then makes room */
	if (size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, (size_t)c->ngroups * sizeof(gid_t)))
		return -EFAULT;
	return c->ngroups;
}

/* Shell sort: insertion sort over shrinking gaps, fast enough for 65536. */
static void sort_groups(gid_t *g, int n)
{
	for (int gap = n / 2; gap > 0; gap /= 2)
		for (int k = gap; k < n; k++)
			for (int j = k; j >= gap && g[j - gap] > g[j]; j -= gap) {
				gid_t t = g[j];
				g[j] = g[j - gap];
				g[j - gap] = t;
			}
}

long sys_setgroups(int size, const gid_t __user *list)
{
	if ((unsigned)size > NGROUPS_MAX)
		return -EINVAL;
	if (!capable(CAP_SETGID))
		return -EPERM;
	struct cred *new = cred_prepare(size);
	if (!new)
		return -ENOMEM;
	if (copy_from_user(new->groups, list, (size_t)size * sizeof(gid_t))) {
		cred_put(new);
		return -EFAULT;
	}
	sort_groups(new->groups, size); /* Linux keeps them sorted: getgroups shows that order */
	cred_commit(new);
	return 0;
}
