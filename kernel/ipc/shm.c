/*
 * System V shared memory (course section: shared memory).
 *
 * A segment is memory that belongs to no process: shmget creates it (or
 * finds it by key), shmat maps it into the caller's address space, and from
 * then on two processes that attached it read and write the *same frames*.
 * How: the segment's memory is a file without a name (an anonymous inode
 * of the in-memory filesystem), and an attachment is a shared mapping of
 * that file; the page-fault handler gives every attacher the file's frame
 * for each page (mm/vm.c). So the segment's frames belong to the inode,
 * not to any process: each attacher's page table points at them, at
 * whatever address that process attached. The kernel counts attachments
 * (shm_nattch) per region, as Linux does (a mapping split in three by
 * mprotect counts three until shmdt), so fork, munmap, mprotect splits,
 * exec and exit keep it right; a segment marked with IPC_RMID disappears
 * at its last detach. Each segment has an owner and a mode checked as a
 * file's (kernel/ipc/ipc_perm.c).
 */
#include "kernel/ipc/shm.h"
#include "kernel/ipc/ipc_perm.h"
#include "kernel/cred/cred.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/resource.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/syscall.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/ipc.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

#define SHMMNI 128                 /* segments at most: ENOSPC beyond */
#define SHMMIN 1
#define SHMMAX (1ul << 30)         /* 1 GiB */

long shm_max = SHMMAX;             /* /proc/sys/kernel/shmmax */
#define SLOT_BITS 15               /* id = seq << SLOT_BITS | slot */
#define PERM_READ 0444             /* ipc_permission's flag for reading, in every class */
#define PERM_WRITE 0222
#define PERM_EXEC 0111

struct shm_segment {
	int id;
	int key;
	size_t size;
	struct inode *inode;       /* the memory, as a nameless file */
	struct ipc_owner perm;     /* owner, creator, rwx mode */
	bool locked;               /* SHM_LOCK */
	pid_t cpid, lpid;
	unsigned long nattch;      /* attached regions */
	long atime, dtime, ctime;
	bool removed;              /* IPC_RMID: destroy at the last detach */
};

static struct shm_segment *segments[SHMMNI];
static unsigned short seq;

static long now_seconds(void)
{
	return (long)(clock_realtime_ns() / 1000000000);
}

static int slot_of(int id)
{
	return id & ((1 << SLOT_BITS) - 1);
}

/* A segment stays findable by id until destroyed, even after IPC_RMID while
 * still attached (Linux's behaviour); the sequence number in the id makes a
 * stale id of a destroyed segment miss its slot's next occupant. */
static struct shm_segment *by_id(int id)
{
	if (id < 0 || slot_of(id) >= SHMMNI)
		return NULL;
	struct shm_segment *s = segments[slot_of(id)];
	return s && s->id == id ? s : NULL;
}

static struct shm_segment *by_key(int key)
{
	for (int i = 0; i < SHMMNI; i++)
		if (segments[i] && !segments[i]->removed && segments[i]->key == key)
			return segments[i];
	return NULL;
}

static void destroy(struct shm_segment *s)
{
	segments[slot_of(s->id)] = NULL;
	inode_put(s->inode);
	kfree(s);
}

static int create(int key, size_t size, int flags)
{
	if (size < SHMMIN || size > (size_t)shm_max)
		return -EINVAL;
	int slot;
	for (slot = 0; slot < SHMMNI && segments[slot]; slot++)
		;
	if (slot == SHMMNI)
		return -ENOSPC;
	if (!vm_can_commit(size))
		return -ENOMEM;
	struct shm_segment *s = kzalloc(sizeof(*s));
	struct inode *i = s ? inode_new_anonymous(S_IFREG | 0600) : NULL;
	if (!i) {
		kfree(s);
		return -ENOMEM;
	}
	i->size = ALIGN_UP(size, PAGE_SIZE);
	s->id = (int)(((unsigned)++seq << SLOT_BITS) | (unsigned)slot) & 0x7fffffff;
	s->key = key;
	s->size = size;
	s->inode = i;
	ipc_owner_init(&s->perm, (unsigned)flags);
	s->cpid = current->pid;
	s->ctime = now_seconds();
	segments[slot] = s;
	return s->id;
}

long sys_shmget(int key, size_t size, int shmflg)
{
	if (key == IPC_PRIVATE)
		return create(key, size, shmflg);
	struct shm_segment *s = by_key(key);
	if (!s)
		return (shmflg & IPC_CREAT) ? create(key, size, shmflg) : -ENOENT;
	if ((shmflg & IPC_CREAT) && (shmflg & IPC_EXCL))
		return -EEXIST;
	int err = ipc_permission(&s->perm, shmflg);
	if (err)
		return err;
	if (size > s->size)
		return -EINVAL;
	return s->id;
}

/* --- attaching ---------------------------------------------------------------- */

void shm_vma_opened(struct shm_segment *s)
{
	s->nattch++;
}

void shm_vma_closed(struct shm_segment *s)
{
	s->nattch--;
	s->dtime = now_seconds();
	s->lpid = current ? current->pid : 0;
	if (s->nattch == 0 && s->removed)
		destroy(s);
}

long sys_shmat(int shmid, const void __user *shmaddr, int shmflg)
{
	struct shm_segment *s = by_id(shmid);
	if (!s)
		return -EINVAL;
	int wanted = PERM_READ | (shmflg & SHM_RDONLY ? 0 : PERM_WRITE) | (shmflg & SHM_EXEC ? PERM_EXEC : 0);
	int denied = ipc_permission(&s->perm, wanted);
	if (denied)
		return denied;
	struct mm *mm = current->mm;
	uint64_t addr = (uint64_t)shmaddr;
	uint64_t len = ALIGN_UP(s->size, PAGE_SIZE);
	if (addr % SHMLBA) {
		if (!(shmflg & SHM_RND))
			return -EINVAL;
		addr = ALIGN_DOWN(addr, SHMLBA);
	}
	if (addr) {
		if (addr + len > USER_TOP || addr + len < addr)
			return -ENOMEM; /* as mmap at a fixed address out of range */
		if (!vm_range_is_free(mm, addr, addr + len)) {
			if (!(shmflg & SHM_REMAP))
				return -EINVAL;
			vm_unmap_range(mm, addr, addr + len);
		}
	} else {
		addr = vm_find_gap(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	int err;
	inode_get(s->inode); /* for the file below, which keeps it */
	struct file *f = file_open_inode(s->inode, (shmflg & SHM_RDONLY) ? O_RDONLY : O_RDWR, &err);
	if (!f)
		return err;
	unsigned prot = PROT_READ | ((shmflg & SHM_RDONLY) ? 0 : PROT_WRITE) | ((shmflg & SHM_EXEC) ? PROT_EXEC : 0);
	struct vma *v = vma_insert(mm, addr, len, prot, VMA_SHARED);
	if (!v) {
		file_put(f);
		return -ENOMEM;
	}
	v->file = f;
	v->shm = s;
	shm_vma_opened(s);
	s->atime = now_seconds();
	s->lpid = current->pid;
	return (long)addr;
}

long sys_shmdt(const void __user *shmaddr)
{
	struct mm *mm = current->mm;
	uint64_t addr = (uint64_t)shmaddr;
	if (addr % PAGE_SIZE)
		return -EINVAL;
	/* Every region of this attachment: the segment's pages mapped from addr
	 * on, even if mprotect has since split them into several regions, or
	 * munmap has punched holes between them (Linux's rule: a piece belongs
	 * to the attachment if it maps the segment at its place from addr). */
	struct vma *first = vma_find(mm, addr);
	if (!first || !first->shm || first->start != addr || first->offset != 0)
		return -EINVAL;
	struct shm_segment *s = first->shm;
	uint64_t end = addr + ALIGN_UP(s->size, PAGE_SIZE);
	shm_vma_opened(s); /* hold it: the last piece's detach must not free it under us */
	struct list_node *n, *next;
	list_for_each_safe(n, next, &mm->vmas) {
		struct vma *v = list_entry(n, struct vma, node);
		if (v->start >= end)
			break;
		if (v->start >= addr && v->shm == s && v->start - addr == v->offset)
			vm_unmap_range(mm, v->start, v->end); /* removes exactly v */
	}
	shm_vma_closed(s); /* and now it may go, if removed */
	return 0;
}

/* --- control ------------------------------------------------------------------- */

static void fill_stat(const struct shm_segment *s, struct shmid_ds_abi *ds)
{
	memset(ds, 0, sizeof(*ds));
	ds->shm_perm.key = s->key;
	ds->shm_perm.uid = s->perm.uid;
	ds->shm_perm.gid = s->perm.gid;
	ds->shm_perm.cuid = s->perm.cuid;
	ds->shm_perm.cgid = s->perm.cgid;
	ds->shm_perm.mode = s->perm.mode | (s->removed ? SHM_DEST : 0) | (s->locked ? SHM_LOCKED : 0);
	ds->shm_perm.seq = (unsigned short)(s->id >> SLOT_BITS);
	ds->shm_segsz = s->size;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	ds->shm_cpid = s->cpid;
	ds->shm_lpid = s->lpid;
	ds->shm_nattch = s->nattch;
}

/* IPC_INFO: the limits, and the highest slot in use (Linux's answer). */
static long shm_info(struct shminfo_abi __user *buf)
{
	struct shminfo_abi info = {
		.shmmax = (unsigned long)shm_max, .shmmin = SHMMIN, .shmmni = SHMMNI, .shmseg = SHMMNI, .shmall = SHMMAX / PAGE_SIZE,
	};
	if (copy_to_user(buf, &info, sizeof(info)))
		return -EFAULT;
	int highest = 0;
	for (int i = 0; i < SHMMNI; i++)
		if (segments[i])
			highest = i;
	return highest;
}

/* Pages of the segment's memory that exist (touched at least once). */
static unsigned long resident_pages(const struct inode *i)
{
	unsigned long n = 0;
	for (size_t k = 0; k < i->page_slots; k++)
		n += i->pages[k] != 0;
	return n;
}

/* SHM_INFO: what all segments use, in pages (struct shm_info); returns
 * the highest slot in use, as IPC_INFO. */
static long shm_usage(struct shm_info_abi __user *buf)
{
	struct shm_info_abi info = { 0 };
	int highest = 0;
	for (int i = 0; i < SHMMNI; i++) {
		const struct shm_segment *s = segments[i];
		if (!s)
			continue;
		highest = i;
		info.used_ids++;
		info.shm_tot += ALIGN_UP(s->size, PAGE_SIZE) / PAGE_SIZE;
		info.shm_rss += resident_pages(s->inode);
	}
	return copy_to_user(buf, &info, sizeof(info)) ? -EFAULT : highest;
}

/* SHM_STAT: IPC_STAT by slot number, 0 .. IPC_INFO's highest, returning
 * the segment's id: how `ipcs` lists every segment without knowing ids.
 * SHM_STAT_ANY skips the read permission check (for /proc-like listings). */
static long shm_stat_slot(int slot, struct shmid_ds __user *buf, bool check)
{
	if (slot < 0 || slot >= SHMMNI || !segments[slot])
		return -EINVAL;
	if (check && ipc_permission(&segments[slot]->perm, PERM_READ))
		return -EACCES;
	struct shmid_ds_abi ds;
	fill_stat(segments[slot], &ds);
	return copy_to_user(buf, &ds, sizeof(ds)) ? -EFAULT : segments[slot]->id;
}

/* SHM_LOCK and SHM_UNLOCK: a privilege, or the owner's with a memlock
 * limit. sysgate never swaps, so the lock is the mark Linux shows: SHM_LOCKED
 * in the mode. */
static long shm_set_locked(struct shm_segment *s, bool lock)
{
	if (!capable(CAP_IPC_LOCK)) {
		uid_t euid = current_cred()->euid;
		if (euid != s->perm.uid && euid != s->perm.cuid)
			return -EPERM;
		if (lock && current->rlim[RLIMIT_MEMLOCK].rlim_cur == 0)
			return -EPERM;
	}
	s->locked = lock;
	return 0;
}

static long shm_set(struct shm_segment *s, const struct shmid_ds __user *buf)
{
	struct shmid_ds_abi ds;
	if (copy_from_user(&ds, buf, sizeof(ds)))
		return -EFAULT;
	if (!ipc_owner_or_admin(&s->perm))
		return -EPERM;
	s->perm.uid = ds.shm_perm.uid;
	s->perm.gid = ds.shm_perm.gid;
	s->perm.mode = ds.shm_perm.mode & 0777;
	s->ctime = now_seconds();
	return 0;
}

static long shm_remove(struct shm_segment *s)
{
	if (!ipc_owner_or_admin(&s->perm))
		return -EPERM;
	s->removed = true;
	s->key = IPC_PRIVATE; /* no longer found by its key */
	if (s->nattch == 0)
		destroy(s);
	return 0;
}

long sys_shmctl(int shmid, int cmd, struct shmid_ds __user *buf)
{
	cmd &= ~IPC_64;
	switch (cmd) { /* the commands about all segments */
	case IPC_INFO:
		return shm_info((struct shminfo_abi __user *)buf);
	case SHM_INFO:
		return shm_usage((struct shm_info_abi __user *)buf);
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat_slot(shmid, buf, cmd == SHM_STAT);
	case IPC_STAT:
	case IPC_SET:
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		break;
	default:
		return -EINVAL;
	}
	struct shm_segment *s = by_id(shmid);
	if (!s)
		return -EINVAL;
	switch (cmd) {
	case IPC_STAT: {
		if (ipc_permission(&s->perm, PERM_READ))
			return -EACCES;
		struct shmid_ds_abi ds;
		fill_stat(s, &ds);
		return copy_to_user(buf, &ds, sizeof(ds)) ? -EFAULT : 0;
	}
	case IPC_SET:
		return shm_set(s, buf);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_set_locked(s, cmd == SHM_LOCK);
	default:
		return shm_remove(s);
	}
}
