/*
 * Capabilities: root's power in pieces (course section: kernel design --
 * privilege).
 *
 * Linux does not ask "is this root?" but "may this process do X?": each
 * privileged act has a capability (CAP_KILL to signal anyone, CAP_CHOWN to
 * give files away, CAP_SYS_MODULE to load modules...). A process has three
 * sets: effective (what the checks look at), permitted (what it may put in
 * effect) and inheritable (what exec may keep; without file capabilities,
 * as here, nothing comes of it). Root gets them all at exec, anyone else
 * none; changing uids away from 0 drops them, by the rules below.
 */
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

/* The capabilities that follow the filesystem uid (Linux's CAP_FS_MASK). */
#define CAP_FS_MASK                                                                              \
	((1ull << CAP_CHOWN) | (1ull << CAP_DAC_OVERRIDE) | (1ull << CAP_DAC_READ_SEARCH) |      \
	 (1ull << CAP_FOWNER) | (1ull << CAP_FSETID) | (1ull << CAP_LINUX_IMMUTABLE) |           \
	 (1ull << CAP_MKNOD) | (1ull << CAP_MAC_OVERRIDE))

static bool any_root(const struct cred *c)
{
	return c->uid == 0 || c->euid == 0 || c->suid == 0;
}

/* After setuid, setreuid or setresuid: leaving uid 0 in all three ids
 * drops every capability (unless PR_SET_KEEPCAPS); an effective uid that
 * leaves 0 drops the effective set, one that comes back to 0 restores it
 * from the permitted set. */
void cap_fix_setuid(struct cred *new, const struct cred *old)
{
	if (any_root(old) && !any_root(new) && !new->keep_caps)
		new->cap_permitted = new->cap_effective = 0;
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
	cap_fix_setfsuid(new, old->fsuid);
}

/* The file capabilities go with a filesystem uid of 0, and come back. */
void cap_fix_setfsuid(struct cred *new, uid_t old_fsuid)
{
	if (old_fsuid == 0 && new->fsuid != 0)
		new->cap_effective &= ~CAP_FS_MASK;
	if (old_fsuid != 0 && new->fsuid == 0)
		new->cap_effective |= new->cap_permitted & CAP_FS_MASK;
}

/* The header's version: how many 32-bit data structs follow (1 or 2).
 * An unknown version gets the preferred one written back, and EINVAL. */
static int cap_words(struct cap_user_header __user *h, struct cap_user_header *hdr)
{
	if (copy_from_user(hdr, h, sizeof(*hdr)))
		return -EFAULT;
	switch (hdr->version) {
	case _LINUX_CAPABILITY_VERSION_1:
		return 1;
	case _LINUX_CAPABILITY_VERSION_2:
	case _LINUX_CAPABILITY_VERSION_3:
		return 2;
	default: {
		unsigned v = _LINUX_CAPABILITY_VERSION_3;
		if (copy_to_user(user_field(h, struct cap_user_header, version), &v, sizeof(v)))
			return -EFAULT;
		return -EINVAL;
	}
	}
}

long sys_capget(struct cap_user_header __user *h, struct cap_user_data __user *data)
{
	struct cap_user_header hdr;
	int words = cap_words(h, &hdr);
	if (words < 0)
		return words;
	if (hdr.pid < 0)
		return -EINVAL;
	struct task *t = hdr.pid ? task_find(hdr.pid) : current;
	if (!t)
		return -ESRCH;
	if (!data)
		return 0; /* a probe of the version */
	const struct cred *c = t->cred;
	struct cap_user_data d[2];
	for (int k = 0; k < 2; k++) {
		d[k].effective = (unsigned)(c->cap_effective >> (32 * k));
		d[k].permitted = (unsigned)(c->cap_permitted >> (32 * k));
		d[k].inheritable = (unsigned)(c->cap_inheritable >> (32 * k));
	}
	return copy_to_user(data, d, (size_t)words * sizeof(d[0])) ? -EFAULT : 0;
}

static kernel_cap_t join(unsigned lo, unsigned hi)
{
	return ((uint64_t)hi << 32 | lo) & CAP_FULL_SET;
}

/*
 * capset changes the caller's own sets only. A process may drop what it
 * likes, but never gain: permitted only shrinks, effective stays within
 * permitted, inheritable within inheritable plus permitted.
 */
long sys_capset(struct cap_user_header __user *h, const struct cap_user_data __user *data)
{
	struct cap_user_header hdr;
	int words = cap_words(h, &hdr);
	if (words < 0)
		return words;
	if (hdr.pid != 0 && hdr.pid != current->pid)
		return -EPERM;
	struct cap_user_data d[2] = { 0 };
	if (copy_from_user(d, data, (size_t)words * sizeof(d[0])))
		return -EFAULT;
	kernel_cap_t e = join(d[0].effective, d[1].effective);
	kernel_cap_t p = join(d[0].permitted, d[1].permitted);
	kernel_cap_t i = join(d[0].inheritable, d[1].inheritable);
	const struct cred *old = current_cred();
	if ((p & ~old->cap_permitted) || (e & ~p) || (i & ~(old->cap_inheritable | old->cap_permitted)))
		return -EPERM;
	struct cred *new = cred_prepare(-1);
	if (!new)
		return -ENOMEM;
	new->cap_effective = e;
	new->cap_permitted = p;
	new->cap_inheritable = i;
	cred_commit(new);
	return 0;
}
