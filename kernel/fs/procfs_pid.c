/*
 * /proc/PID files about memory and identity: maps, and the Uid/Gid lines
 * of status (course section: observability; memory; privilege).
 *
 * /proc/PID/maps is one line per region of the address space, in Linux's
 * format:
 *     start-end perms offset major:minor inode          name
 *     7ffff7ffd000-7ffff7ffe000 r-xp 00000000 00:00 0   [vdso]
 * perms are r, w, x and p (private) or s (shared); the name is [heap],
 * [stack], [vvar] or [vdso] for the kernel's regions. statm is the same
 * memory in pages, as `ps` and `top` read it.
 */
#include "kernel/cred/cred.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "kernel/fs/procfs_pid.h"
#include "kernel/fs/vfs.h"
#include "kernel/proc/task.h"
#include "kernel/vdso/vdso.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/vm.h"

#define MAPS_NAME_COLUMN 73 /* Linux pads the name to this column */

static const char *region_name(const struct mm *mm, const struct vma *v)
{
	const char *name = vdso_region_name(v->file);
	if (name)
		return name;
	if (v == mm->heap || (v->flags & VMA_HEAP))
		return "[heap]";
	if (v->flags & VMA_STACK)
		return "[stack]";
	return "";
}

/* Linux's status lines: real, effective, saved, filesystem ids; groups. */
void proc_print_ids(struct proc_text *t, const struct task *p)
{
	const struct cred *c = p->cred;
	if (!c)
		return;
	proc_printf(t, "Uid:\t%u\t%u\t%u\t%u\n", c->uid, c->euid, c->suid, c->fsuid);
	proc_printf(t, "Gid:\t%u\t%u\t%u\t%u\n", c->gid, c->egid, c->sgid, c->fsgid);
	proc_printf(t, "Groups:\t");
	for (int k = 0; k < c->ngroups && k < 64; k++)
		proc_printf(t, "%u ", c->groups[k]);
	proc_printf(t, "\n");
}

void proc_print_caps(struct proc_text *t, const struct task *p)
{
	const struct cred *c = p->cred;
	if (!c)
		return;
	proc_printf(t, "CapInh:\t%016lx\nCapPrm:\t%016lx\nCapEff:\t%016lx\n", c->cap_inheritable,
		    c->cap_permitted, c->cap_effective);
	proc_printf(t, "CapBnd:\t%016lx\nCapAmb:\t%016lx\n", (unsigned long)CAP_FULL_SET, 0ul);
	proc_printf(t, "NoNewPrivs:\t%d\n", c->no_new_privs ? 1 : 0);
}

/* Linux's Vm lines, in kB: the mapped size and the resident part. */
void proc_print_memory(struct proc_text *t, const struct task *p)
{
	uint64_t vsize = 0, rss = 0;
	if (!p->mm)
		return;
	vm_usage(p->mm, &vsize, &rss);
	proc_printf(t, "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmRSS:\t%8lu kB\n", vsize / 1024,
		    vm_locked_bytes(p->mm) / 1024, rss * 4);
}

/* statm: sizes in pages -- total, resident, shared, text, lib, data, dirty. */
int gen_statm(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	uint64_t vsize = 0, rss = 0;
	if (p->mm)
		vm_usage(p->mm, &vsize, &rss);
	proc_printf(t, "%lu %lu 0 0 0 0 0\n", vsize / 4096, rss);
	return 0;
}

int gen_maps(struct proc_text *t, pid_t pid)
{
	struct task *p = task_find(pid);
	if (!p)
		return -ENOENT;
	if (!p->mm)
		return 0;
	struct list_node *n;
	list_for_each(n, &p->mm->vmas) {
		const struct vma *v = list_entry(n, struct vma, node);
		if (v->end == v->start)
			continue; /* an empty heap: Linux shows no line */
		const struct inode *i = v->file ? v->file->inode : NULL;
		const char *name = region_name(p->mm, v);
		size_t at = proc_text_len(t);
		proc_printf(t, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->start, v->end,
			    (v->prot & PROT_READ) ? 'r' : '-', (v->prot & PROT_WRITE) ? 'w' : '-',
			    (v->prot & PROT_EXEC) ? 'x' : '-', (v->flags & VMA_SHARED) ? 's' : 'p', v->offset,
			    0, i && !*name ? (unsigned)i->fs : 0, i && !*name ? i->ino : 0ul);
		if (*name) {
			for (size_t col = proc_text_len(t) - at; col < MAPS_NAME_COLUMN; col++)
				proc_write(t, " ", 1);
			proc_write(t, name, strlen(name));
		}
		proc_write(t, "\n", 1);
	}
	/* The legacy vsyscall page: execute-only, emulated (kernel/vdso/vsyscall.c). */
	proc_printf(t, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	return 0;
}
