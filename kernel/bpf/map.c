/*
 * BPF maps as files, and the syscall's map commands (course section: eBPF,
 * the revolution in kernel programming).
 *
 * A map is the memory a BPF program and user space share: the program
 * looks keys up and writes values in place; user space reads and writes
 * copies through bpf(2). Each map type (array, hash, ring buffer...) is a
 * struct bpf_map_ops in a map_*.c file; this file is what every type has
 * in common:
 *   - BPF_MAP_CREATE checks the attributes common to all types, lets the
 *     type allocate, gives the map an id and an fd;
 *   - the fd is an anonymous file, "anon_inode:bpf-map" in /proc/PID/fd,
 *     passed over sockets, inherited by fork, closed at exec (bpf fds are
 *     always close-on-exec, as Linux's);
 *   - a map lives while an fd or a program holds it: refs counts both;
 *   - the fd's access mode (BPF_F_RDONLY/WRONLY at create or open) limits
 *     what the syscall may do through it (EPERM), not what programs do.
 * The element commands copy keys and values between user space and the
 * kernel and call the type's ops, with Linux's errnos.
 */
#include "kernel/bpf/core.h"
#include "kernel/bpf/map.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

static const struct file_ops map_file_ops;

struct bpf_map *bpf_map_of_file(struct file *f)
{
	return f && f->ops == &map_file_ops ? f->private : NULL;
}

void bpf_map_get(struct bpf_map *map)
{
	map->refs++;
}

void bpf_map_put(struct bpf_map *map)
{
	if (--map->refs)
		return;
	bpf_map_remove_id(map);
	map->ops->free(map); /* what the type allocated; the object is ours */
	kfree(map);
}

struct bpf_map *bpf_map_get_fd(int fd, long *err)
{
	struct file *f = fd_get(fd);
	struct bpf_map *map = bpf_map_of_file(f);
	if (!map) {
		*err = f ? -EINVAL : -EBADF;
		return NULL;
	}
	bpf_map_get(map);
	*err = 0;
	return map;
}

/* --- the file --------------------------------------------------------------------------------- */

static void map_release(struct file *f)
{
	struct bpf_map *map = f->private;
	if (--map->urefs == 0)
		bpf_map_release_uref(map); /* fd arrays let their entries go */
	bpf_map_put(map);
}

static long map_mmap_check(struct file *f, uint64_t offset, uint64_t len, unsigned long prot, unsigned long flags)
{
	return bpf_map_mmap_check(f->private, offset, len, (int)prot, (int)flags);
}

static int map_mmap_frame(struct file *f, uint64_t offset, phys_addr_t *frame)
{
	struct bpf_map *map = f->private;
	return map->ops->mmap_frame ? map->ops->mmap_frame(map, offset, frame) : -ENODEV;
}

static uint32_t map_poll(struct file *f, struct poll_table *pt)
{
	struct bpf_map *map = f->private;
	return map->ops->poll ? map->ops->poll(map, f, pt) : 0;
}

/* Linux's lines; memlock counts the values and the map's own struct. */
static void map_show_fdinfo(struct file *f, struct proc_text *t)
{
	const struct bpf_map *m = f->private;
	uint64_t memlock = bpf_map_type_size(m->type) + (uint64_t)ALIGN_UP(m->value_size, 8) * m->max_entries;
	proc_printf(t, "map_type:\t%u\nkey_size:\t%u\nvalue_size:\t%u\nmax_entries:\t%u\nmap_flags:\t0x%x\n", m->type,
		    m->key_size, m->value_size, m->max_entries, m->map_flags);
	proc_printf(t, "map_extra:\t0x0\nmemlock:\t%lu\nmap_id:\t%u\nfrozen:\t0\n", memlock, m->id);
	if (m->type == BPF_MAP_TYPE_PROG_ARRAY && m->owner_prog_type)
		proc_printf(t, "owner_prog_type:\t%u\nowner_jited:\t%d\n", m->owner_prog_type, m->owner_jited);
}

static const struct file_ops map_file_ops = {
	.show_fdinfo = map_show_fdinfo,
	.release = map_release,
	.mmap_check = map_mmap_check,
	.mmap_frame = map_mmap_frame,
	.mmap_no_later_write = true, /* a read-only mapping (ringbuf's producer pages) stays so */
	.poll = map_poll,
	.anon_name = "bpf-map",
	.anon_mode = 0600,
};

/* The fd's access mode from BPF_F_RDONLY/BPF_F_WRONLY (both: EINVAL). */
static long access_mode(uint32_t flags)
{
	if ((flags & BPF_F_RDONLY) && (flags & BPF_F_WRONLY))
		return -EINVAL;
	return flags & BPF_F_RDONLY ? O_RDONLY : flags & BPF_F_WRONLY ? O_WRONLY : O_RDWR;
}

long bpf_map_new_fd(struct bpf_map *map, unsigned open_flags)
{
	long mode = access_mode(open_flags);
	if (mode < 0)
		return mode;
	struct file *f = file_alloc(&map_file_ops, (unsigned)mode, map);
	if (!f)
		return -ENOMEM;
	bpf_map_get(map);
	map->urefs++;
	int fd = fd_install(f, 0, true);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* --- BPF_MAP_CREATE ------------------------------------------------------------------------- */

bool bpf_obj_name_copy(char *dst, const char *src)
{
	memset(dst, 0, BPF_OBJ_NAME_LEN);
	for (uint32_t i = 0; i < BPF_OBJ_NAME_LEN; i++) {
		char c = src[i];
		if (!c)
			return true;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			  c == '.';
		if (!ok)
			return false;
		dst[i] = c;
	}
	return false; /* no NUL within the 16 bytes */
}

long bpf_map_create(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(map_extra)))
		return -EINVAL;
	if (!bpf_capable())
		return -EPERM;
	long mode = access_mode(attr->map_flags);
	if (mode < 0)
		return mode;
	const struct bpf_map_ops *ops = bpf_map_type_ops(attr->map_type);
	size_t size = bpf_map_type_size(attr->map_type);
	if (!ops || !size)
		return -EINVAL;
	struct bpf_map *map = kzalloc(size); /* the type's struct, which starts with struct bpf_map */
	if (!map)
		return -ENOMEM;
	map->ops = ops;
	map->type = attr->map_type;
	map->key_size = attr->key_size;
	map->value_size = attr->value_size;
	map->max_entries = attr->max_entries;
	map->map_flags = attr->map_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY); /* the fd's mode, not the map's */
	list_init(&map->all);
	if (!bpf_obj_name_copy(map->name, attr->map_name)) {
		kfree(map);
		return -EINVAL;
	}
	/* alloc checks the sizes and flags its type allows; on failure nothing is left to free but map. */
	long err = ops->alloc(map, attr);
	if (err) {
		kfree(map);
		return err;
	}
	bpf_map_add_id(map);
	map->refs = 1; /* ours until the fd holds its own */
	long fd = bpf_map_new_fd(map, attr->map_flags & (BPF_F_RDONLY | BPF_F_WRONLY));
	bpf_map_put(map);
	return fd;
}

/* --- the element commands ------------------------------------------------------------------ */

/* The map behind attr->map_fd with a reference, checking the fd lets us read/write. */
static struct bpf_map *elem_map(const union bpf_attr *attr, bool need_read, bool need_write, long *err)
{
	struct file *f = fd_get((int)attr->map_fd);
	struct bpf_map *map = bpf_map_of_file(f);
	if (!map) {
		*err = f ? -EINVAL : -EBADF;
		return NULL;
	}
	if ((need_read && !file_readable(f)) || (need_write && !file_writable(f))) {
		*err = -EPERM;
		return NULL;
	}
	bpf_map_get(map);
	return map;
}

/* A kernel copy of size bytes at user address uptr (EFAULT); a map without
 * keys (key_size 0) wants no key pointer (EINVAL), as Linux's __bpf_copy_key. */
static void *copy_in(uint64_t uptr, uint32_t size, bool is_key, long *err)
{
	if (!size) {
		*err = uptr && is_key ? -EINVAL : 0;
		return NULL;
	}
	void *p = kmalloc(size);
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	if (copy_from_user(p, (const void __user *)uptr, size)) {
		kfree(p);
		*err = -EFAULT;
		return NULL;
	}
	*err = 0;
	return p;
}

long bpf_map_lookup_cmd(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(flags)) || (attr->flags & ~(uint64_t)BPF_F_LOCK))
		return -EINVAL;
	long err = 0;
	struct bpf_map *map = elem_map(attr, true, false, &err);
	if (!map)
		return err;
	uint32_t vsize = bpf_map_value_size(map);
	void *key = copy_in(attr->key, map->key_size, true, &err);
	void *value = err ? NULL : kzalloc(vsize ? vsize : 1);
	if (!err && !value)
		err = -ENOMEM;
	if (!err && (attr->flags & BPF_F_LOCK))
		err = -EINVAL; /* no map here has a spin lock in its value */
	if (!err)
		err = bpf_map_copy_value(map, key, value);
	if (!err && copy_to_user((void __user *)attr->value, value, vsize))
		err = -EFAULT;
	kfree(value);
	kfree(key);
	bpf_map_put(map);
	return err;
}

long bpf_map_update_cmd(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(flags)))
		return -EINVAL;
	long err = 0;
	struct bpf_map *map = elem_map(attr, false, true, &err);
	if (!map)
		return err;
	void *key = copy_in(attr->key, map->key_size, true, &err);
	void *value = err ? NULL : copy_in(attr->value, bpf_map_value_size(map), false, &err);
	if (!err && (attr->flags & BPF_F_LOCK))
		err = -EINVAL;
	if (!err)
		err = map->ops->update ? map->ops->update(map, key, value, attr->flags) : -ENOTSUPP;
	kfree(value);
	kfree(key);
	bpf_map_put(map);
	return err;
}

long bpf_map_delete_cmd(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(key)))
		return -EINVAL;
	long err = 0;
	struct bpf_map *map = elem_map(attr, false, true, &err);
	if (!map)
		return err;
	void *key = copy_in(attr->key, map->key_size, true, &err);
	if (!err)
		err = map->ops->delete ? map->ops->delete(map, key) : -ENOTSUPP;
	kfree(key);
	bpf_map_put(map);
	return err;
}

long bpf_map_next_key_cmd(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(next_key)))
		return -EINVAL;
	long err = 0;
	struct bpf_map *map = elem_map(attr, true, false, &err);
	if (!map)
		return err;
	/* No key: the first one. */
	void *key = attr->key ? copy_in(attr->key, map->key_size, true, &err) : (err = 0, NULL);
	void *next = err ? NULL : kmalloc(map->key_size ? map->key_size : 1);
	if (!err && !next)
		err = -ENOMEM;
	if (!err)
		err = map->ops->get_next_key ? map->ops->get_next_key(map, key, next) : -ENOTSUPP;
	if (!err && copy_to_user((void __user *)attr->next_key, next, map->key_size))
		err = -EFAULT;
	kfree(next);
	kfree(key);
	bpf_map_put(map);
	return err;
}
