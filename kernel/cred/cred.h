/*
 * Credentials: who a process is, for every permission check (course
 * section: kernel design -- privilege).
 *
 * A task points at a struct cred. A cred is never changed once a task
 * uses it: a call that changes ids makes a copy (cred_prepare), edits it
 * and puts it in place (cred_commit), as Linux does. So forked children
 * (and, later, threads) can share one cred by reference count, and a check
 * that reads current_cred() never sees half an update.
 */
#ifndef KERNEL_CRED_H
#define KERNEL_CRED_H

#include "kernel/types.h"
#include "libc/include/abi/capability.h"

#define NGROUPS_MAX 65536 /* Linux's limit on supplementary groups */
#define CAP_FULL_SET ((2ull << CAP_LAST_CAP) - 1)

typedef uint64_t kernel_cap_t; /* bit n = capability n */

struct cred {
	int refs;
	uid_t uid, euid, suid, fsuid;  /* real, effective, saved, filesystem */
	gid_t gid, egid, sgid, fsgid;
	kernel_cap_t cap_effective;    /* what checks look at */
	kernel_cap_t cap_permitted;    /* what effective may be raised to */
	kernel_cap_t cap_inheritable;  /* what exec may keep (with file capabilities: never here) */
	bool keep_caps;                /* prctl(PR_SET_KEEPCAPS): caps survive leaving uid 0 */
	bool no_new_privs;             /* prctl(PR_SET_NO_NEW_PRIVS): exec grants nothing new */
	int ngroups;                   /* supplementary groups, sorted */
	gid_t groups[];
};

struct task;

#define current_cred() (current->cred)

/* The idle task's (the kernel at boot): root, never freed. */
extern struct cred kernel_cred;
/* The first process's: root, with every capability. */
struct cred *cred_new_root(void);
static inline struct cred *cred_get(struct cred *c)
{
	c->refs++;
	return c;
}
void cred_put(struct cred *c);
/* A private copy of the current cred to change (NULL: no memory), with
 * room for ngroups supplementary groups (-1: as many as now). */
struct cred *cred_prepare(int ngroups);
/* Make new the current task's cred; the old one is let go. */
void cred_commit(struct cred *new);

/* Does the current task have capability cap in its effective set? */
bool capable(int cap);
/* Is gid the current filesystem gid or one of the supplementary groups? */
bool in_group(gid_t gid);

/* A copy of old with room for ngroups groups (-1: as many as old has). */
struct cred *cred_copy(const struct cred *old, int ngroups);
/* exec's new ids and capabilities, from the set-user-ID and set-group-ID
 * bits of the program file (mode, owner uid, group gid); NULL: no memory. */
struct cred *cred_for_exec(const struct cred *old, unsigned mode, uid_t uid, gid_t gid, bool no_new_privs);
/* Does the program run with ids other than its caller's (AT_SECURE)? */
bool cred_secure_exec(const struct cred *c);
/* Linux's capability rules after uids change (kernel/cred/capability.c). */
void cap_fix_setuid(struct cred *new, const struct cred *old);
void cap_fix_setfsuid(struct cred *new, uid_t old_fsuid);

/* kill's rule: may the caller signal t? Its real or effective uid must be
 * t's real or saved uid, or it needs CAP_KILL; SIGCONT goes to anyone in
 * the caller's session. */
bool may_signal(const struct task *t, int sig);
/* prlimit's rule for another process: all of t's uids and gids are the
 * caller's real ones, or the caller has CAP_SYS_RESOURCE. */
bool may_change_other(const struct task *t);

/* access(): the check runs with the real ids (cred_override) and goes back
 * to the effective ones (cred_revert) -- Linux's override_creds. */
struct cred *cred_override_real(void);
void cred_revert(struct cred *saved);

#endif
