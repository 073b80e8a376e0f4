/*
 * ARRAY and PERCPU_ARRAY maps (course section: eBPF, the revolution in
 * kernel programming).
 *
 * The simplest map: max_entries values of value_size bytes, all allocated
 * and zeroed at creation, the key a 4-byte index. Nothing is ever inserted
 * or deleted -- every index always has a value -- so a lookup is one
 * multiplication, and a program may keep the pointer it got. Values are
 * placed 8 bytes apart at least, so each is aligned for 64-bit counters.
 *
 * A per-CPU array has one value per possible CPU for each index, so that
 * programs on different CPUs count without sharing a cache line; sysgate
 * has one CPU, and user space sees one rounded value per index.
 *
 * With BPF_F_MMAPABLE, an ARRAY's values start on a page of their own, and
 * user space may mmap them: the program and the process then share the
 * same memory, without a syscall per access.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/mman.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/phys.h"

#define ARRAY_FLAGS (BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_ACCESS_MASK | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP)
#define INT_MAX_U32 0x7fffffffu

struct bpf_array {
	struct bpf_map map;
	uint32_t elem_size;   /* value_size rounded up to 8 */
	uint8_t *values;      /* max_entries values, elem_size apart */
	phys_addr_t frames;   /* BPF_F_MMAPABLE: the values' contiguous frames */
	size_t pages;
};

static struct bpf_array *array_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_array, map);
}

/* Linux's checks, in Linux's order, so that the same bad attributes get
 * the same errno. */
long bpf_array_check(const union bpf_attr *attr)
{
	bool percpu = attr->map_type == BPF_MAP_TYPE_PERCPU_ARRAY;
	if (attr->max_entries == 0 || attr->key_size != 4 || attr->value_size == 0 ||
	    (attr->map_flags & ~ARRAY_FLAGS) || !bpf_map_flags_access_ok(attr->map_flags) ||
	    (percpu && (attr->map_flags & BPF_F_NUMA_NODE)))
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_ARRAY && (attr->map_flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)))
		return -EINVAL;
	if (attr->map_type != BPF_MAP_TYPE_PERF_EVENT_ARRAY && (attr->map_flags & BPF_F_PRESERVE_ELEMS))
		return -EINVAL;
	if (attr->value_size > INT_MAX_U32)
		return -E2BIG;
	if (percpu && ALIGN_UP(attr->value_size, 8u) > BPF_PERCPU_VALUE_MAX)
		return -E2BIG;
	return 0;
}

/* The values of an mmap-able array sit in whole frames of their own. */
static long alloc_mmapable(struct bpf_array *a, uint64_t bytes)
{
	a->pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	a->frames = frame_alloc_contig(a->pages);
	if (!a->frames)
		return -ENOMEM;
	a->values = phys_to_virt(a->frames);
	memset(a->values, 0, a->pages * PAGE_SIZE);
	return 0;
}

static long array_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	long err = bpf_array_check(attr);
	if (err)
		return err;
	struct bpf_array *a = array_of(map);
	a->elem_size = ALIGN_UP(attr->value_size, 8u);
	uint64_t bytes = (uint64_t)a->elem_size * attr->max_entries;
	if (!bpf_map_size_possible(bytes))
		return -ENOMEM;
	if (attr->map_flags & BPF_F_MMAPABLE)
		return alloc_mmapable(a, bytes);
	a->values = kzalloc(bytes);
	return a->values ? 0 : -ENOMEM;
}

static void array_free(struct bpf_map *map)
{
	struct bpf_array *a = array_of(map);
	if (a->frames)
		frame_free_contig(a->frames, a->pages);
	else
		kfree(a->values);
}

/* The index a key names, or max_entries if it names none. */
static uint32_t array_index(const struct bpf_map *map, const void *key)
{
	uint32_t i;
	memcpy(&i, key, sizeof(i));
	return i < map->max_entries ? i : map->max_entries;
}

long bpf_array_index(const struct bpf_map *map, const void *key, uint32_t *index)
{
	*index = array_index(map, key);
	return *index == map->max_entries ? -E2BIG : 0;
}

static void *array_lookup(struct bpf_map *map, const void *key)
{
	uint32_t i = array_index(map, key);
	if (i == map->max_entries)
		return NULL;
	struct bpf_array *a = array_of(map);
	return a->values + (uint64_t)i * a->elem_size;
}

/* Every index exists, so BPF_NOEXIST always fails and BPF_EXIST always holds. */
static long array_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	long err = bpf_map_update_flags_ok(flags);
	if (err)
		return err;
	void *slot = array_lookup(map, key);
	if (!slot)
		return -E2BIG;
	if (flags == BPF_NOEXIST)
		return -EEXIST;
	uint64_t irq = irq_save(); /* a program in an interrupt sees the old value or the new, whole */
	memcpy(slot, value, bpf_map_value_size(map));
	irq_restore(irq);
	return 0;
}

static long array_delete(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return -EINVAL; /* an array's values cannot be removed, only overwritten */
}

/* Indexes in order; a key past the end, or none, starts at 0. */
long bpf_array_get_next_key(struct bpf_map *map, const void *key, void *next_key)
{
	uint32_t i = key ? array_index(map, key) : map->max_entries;
	uint32_t next = i == map->max_entries ? 0 : i + 1;
	if (next == map->max_entries)
		return -ENOENT;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

/* An mmap-able array maps its value pages; any protection (the generic
 * checks in bpf_map_mmap_check came first), no byte past them. */
static long array_mmap_check(struct bpf_map *map, uint64_t offset, uint64_t len, int prot)
{
	(void)prot;
	struct bpf_array *a = array_of(map);
	if (!(map->map_flags & BPF_F_MMAPABLE))
		return -EINVAL;
	uint64_t bytes = a->pages * PAGE_SIZE;
	if (offset > bytes || len > bytes - offset)
		return -EINVAL;
	return 0;
}

static int array_mmap_frame(struct bpf_map *map, uint64_t offset, phys_addr_t *frame)
{
	struct bpf_array *a = array_of(map);
	if (!a->frames || offset >= a->pages * PAGE_SIZE)
		return -EINVAL;
	*frame = a->frames + ALIGN_DOWN(offset, PAGE_SIZE);
	return 0;
}

/* BPF_PSEUDO_MAP_VALUE (a global variable): only a one-value array. */
static long array_direct_value_addr(const struct bpf_map *map, uint64_t *addr, uint32_t off)
{
	if (map->max_entries != 1)
		return -ENOTSUPP;
	if (off >= map->value_size)
		return -EINVAL;
	*addr = (uint64_t)(uintptr_t)array_of(map)->values + off;
	return 0;
}

static const struct bpf_map_ops array_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = bpf_array_get_next_key,
	.mmap_check = array_mmap_check,
	.mmap_frame = array_mmap_frame,
	.direct_value_addr = array_direct_value_addr,
};

/* One CPU: a per-CPU array is an array whose user-space value is rounded
 * to 8 bytes (bpf_map_value_size), without mmap or global variables. */
static const struct bpf_map_ops percpu_array_ops = {
	.alloc = array_alloc,
	.free = array_free,
	.lookup = array_lookup,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = bpf_array_get_next_key,
};

const struct bpf_map_kind bpf_array_map_kind = { .ops = &array_ops, .size = sizeof(struct bpf_array) };
const struct bpf_map_kind bpf_percpu_array_map_kind = { .ops = &percpu_array_ops,
							.size = sizeof(struct bpf_array) };
