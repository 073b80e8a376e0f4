/*
 * Credentials: making, sharing, replacing and checking them (course
 * section: kernel design -- privilege).
 *
 * Every permission check in the kernel asks the current cred: the file
 * checks (kernel/cred/permission.c) use the filesystem ids, kill uses the
 * real and effective ids, privileged calls ask capable(). See cred.h for
 * why a cred is copied, never edited in place.
 */
#include "kernel/cred/cred.h"
#include "kernel/net/cn_proc.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/stat.h"
#include "libc/include/abi/signal.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct cred kernel_cred = { .refs = 1, .cap_effective = CAP_FULL_SET, .cap_permitted = CAP_FULL_SET };

static struct cred *cred_alloc(int ngroups)
{
	struct cred *c = kmalloc(sizeof(*c) + (size_t)ngroups * sizeof(gid_t));
	if (c)
		c->refs = 1;
	return c;
}

struct cred *cred_new_root(void)
{
	struct cred *c = cred_alloc(0);
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->refs = 1;
	c->cap_effective = c->cap_permitted = CAP_FULL_SET;
	return c;
}

void cred_put(struct cred *c)
{
	if (c && --c->refs == 0)
		kfree(c);
}

struct cred *cred_copy(const struct cred *old, int ngroups)
{
	if (ngroups < 0)
		ngroups = old->ngroups;
	struct cred *new = cred_alloc(ngroups);
	if (!new)
		return NULL;
	memcpy(new, old, sizeof(*new)); /* the header; the groups as the caller wants them */
	new->refs = 1;
	new->ngroups = ngroups;
	if (ngroups == old->ngroups)
		memcpy(new->groups, old->groups, (size_t)ngroups * sizeof(gid_t));
	return new;
}

struct cred *cred_prepare(int ngroups)
{
	return cred_copy(current_cred(), ngroups);
}

void cred_commit(struct cred *new)
{
	struct cred *old = current->cred;
	current->cred = new;
	cn_proc_ids_changed(current, old, new); /* process-events listeners hear of new ids */
	cred_put(old);
}

bool capable(int cap)
{
	return (current_cred()->cap_effective >> cap) & 1;
}

bool in_group(gid_t gid)
{
	const struct cred *c = current_cred();
	if (gid == c->fsgid)
		return true;
	for (int k = 0; k < c->ngroups; k++)
		if (c->groups[k] == gid)
			return true;
	return false;
}

/*
 * exec: a set-user-ID program runs with its owner's uid as the effective
 * (and saved) uid, a set-group-ID one (with group execute) with its
 * group's gid. Then capabilities, as Linux gives them without file
 * capabilities: a program run with real or effective uid 0 is permitted
 * everything, and has it in effect when its effective uid is 0; any other
 * program gets nothing. With no_new_privs the bits are ignored.
 */
struct cred *cred_for_exec(const struct cred *old, unsigned mode, uid_t uid, gid_t gid, bool no_new_privs)
{
	struct cred *new = cred_copy(old, old->ngroups);
	if (!new)
		return NULL;
	if (no_new_privs)
		mode &= ~(S_ISUID | S_ISGID);
	uid_t euid = (mode & S_ISUID) ? uid : old->euid;
	gid_t egid = ((mode & S_ISGID) && (mode & S_IXGRP)) ? gid : old->egid;
	new->euid = new->suid = new->fsuid = euid;
	new->egid = new->sgid = new->fsgid = egid;
	new->cap_permitted = (new->uid == 0 || euid == 0) ? CAP_FULL_SET : 0;
	if (no_new_privs)
		new->cap_permitted &= old->cap_permitted;
	new->cap_effective = euid == 0 ? new->cap_permitted : 0;
	new->keep_caps = false; /* exec clears PR_SET_KEEPCAPS */
	return new;
}

bool cred_secure_exec(const struct cred *c)
{
	return c->euid != c->uid || c->egid != c->gid;
}

bool may_signal(const struct task *t, int sig)
{
	const struct cred *me = current_cred(), *them = t->cred;
	if (me->euid == them->suid || me->euid == them->uid || me->uid == them->suid || me->uid == them->uid)
		return true;
	if (sig == SIGCONT && t->sid == current->sid)
		return true;
	return capable(CAP_KILL);
}

bool may_change_other(const struct task *t)
{
	const struct cred *me = current_cred(), *them = t->cred;
	if (t == current)
		return true;
	if (me->uid == them->uid && me->uid == them->euid && me->uid == them->suid && me->gid == them->gid &&
	    me->gid == them->egid && me->gid == them->sgid)
		return true;
	return capable(CAP_SYS_RESOURCE);
}

/* Linux's access() rule: the real ids, and for a real uid other than 0 no
 * capabilities (for real uid 0, everything it is permitted). */
struct cred *cred_override_real(void)
{
	struct cred *old = current->cred;
	if (old->fsuid == old->uid && old->fsgid == old->gid &&
	    old->cap_effective == (old->uid == 0 ? old->cap_permitted : 0))
		return NULL; /* the same answer either way: nothing to swap */
	struct cred *new = cred_prepare(-1);
	if (!new)
		return NULL;
	new->fsuid = new->uid;
	new->fsgid = new->gid;
	new->cap_effective = new->uid == 0 ? new->cap_permitted : 0;
	current->cred = new;
	return old;
}

void cred_revert(struct cred *saved)
{
	if (!saved)
		return;
	cred_put(current->cred);
	current->cred = saved;
}
