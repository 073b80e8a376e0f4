/*
 * The registry of map types, and the rules every type shares (course
 * section: eBPF, the revolution in kernel programming).
 *
 * A map is a table that programs and user space both read and write. Its
 * type decides how: an array indexed by a number, a hash table, a ring of
 * records, a table of programs for tail calls. bpf(2) knows maps only
 * through struct bpf_map_ops; this file finds a type's ops by number and
 * answers the questions bpf(2) asks of every type (how big is a value in
 * user space, what does a lookup copy out).
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/string.h"
#include "mm/frame.h"

static const struct bpf_map_kind *map_kind(uint32_t map_type)
{
	switch (map_type) {
	case BPF_MAP_TYPE_ARRAY: return &bpf_array_map_kind;
	case BPF_MAP_TYPE_PERCPU_ARRAY: return &bpf_percpu_array_map_kind;
	case BPF_MAP_TYPE_HASH: return &bpf_hash_map_kind;
	case BPF_MAP_TYPE_LRU_HASH: return &bpf_lru_hash_map_kind;
	case BPF_MAP_TYPE_PROG_ARRAY: return &bpf_prog_array_map_kind;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: return &bpf_perf_event_array_map_kind;
	case BPF_MAP_TYPE_RINGBUF: return &bpf_ringbuf_map_kind;
	default: return NULL;
	}
}

const struct bpf_map_ops *bpf_map_type_ops(uint32_t type)
{
	const struct bpf_map_kind *t = map_kind(type);
	return t ? t->ops : NULL;
}

size_t bpf_map_type_size(uint32_t type)
{
	const struct bpf_map_kind *t = map_kind(type);
	return t ? t->size : 0;
}

uint32_t bpf_map_value_size(const struct bpf_map *map)
{
	if (map->type == BPF_MAP_TYPE_PERCPU_ARRAY)
		return ALIGN_UP(map->value_size, 8u) * BPF_NR_POSSIBLE_CPUS;
	return map->value_size;
}

long bpf_map_copy_value(struct bpf_map *map, const void *key, void *value)
{
	const struct bpf_map_kind *t = map_kind(map->type);
	if (t->sys_lookup)
		return t->sys_lookup(map, key, value);
	/* Interrupts off: a program run by an interrupt must not change the
	 * value, or free its element, halfway through the copy. */
	uint64_t irq = irq_save();
	const void *found = map->ops->lookup(map, key);
	if (found)
		memcpy(value, found, bpf_map_value_size(map));
	irq_restore(irq);
	return found ? 0 : -ENOENT;
}

void bpf_map_release_uref(struct bpf_map *map)
{
	const struct bpf_map_kind *t = map_kind(map->type);
	if (t->release_uref)
		t->release_uref(map);
}

bool bpf_map_flags_access_ok(uint32_t flags)
{
	bool user_both = (flags & (BPF_F_RDONLY | BPF_F_WRONLY)) == (BPF_F_RDONLY | BPF_F_WRONLY);
	bool prog_both = (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) == (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
	return !user_both && !prog_both;
}

bool bpf_map_size_possible(uint64_t bytes)
{
	return bytes / PAGE_SIZE <= frames_total_count();
}

long bpf_map_update_flags_ok(uint64_t flags)
{
	if (flags & BPF_F_LOCK)
		return -EINVAL; /* no map value here holds a struct bpf_spin_lock */
	return flags > BPF_EXIST ? -EINVAL : 0;
}

long bpf_map_mmap_check(struct bpf_map *map, uint64_t offset, uint64_t len, int prot, int flags)
{
	if (prot & PROT_EXEC)
		return -EPERM;
	if (!map->ops->mmap_check)
		return -ENOTSUPP;
	if ((flags & MAP_TYPE) == MAP_PRIVATE)
		return -EINVAL;
	if ((prot & PROT_WRITE) && (map->map_flags & BPF_F_RDONLY_PROG))
		return -EACCES; /* programs are promised the contents never change */
	return map->ops->mmap_check(map, offset, len, prot);
}
