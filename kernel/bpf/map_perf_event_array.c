/*
 * PERF_EVENT_ARRAY maps, and bpf_perf_event_output (course section:
 * advanced eBPF tracing).
 *
 * Before ring buffer maps, a program sent records to user space through
 * perf: user space opens one perf event per CPU (software event
 * BPF_OUTPUT), mmaps its ring, and puts the event's fd in this array at the
 * CPU's index; bpf_perf_event_output(ctx, map, BPF_F_CURRENT_CPU, data,
 * size) then appends a PERF_RECORD_SAMPLE carrying data as its RAW part to
 * the ring of the current CPU's event. The writing is the perf ring's
 * (kernel/tracing/): this file holds the events and picks one.
 *
 * The map holds a reference to each event's file.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "kernel/fs/file.h"
#include "kernel/tracing/perf.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct bpf_perf_event_array {
	struct bpf_map map;
	struct file **files; /* max_entries slots: perf event files, NULL when empty */
};

static struct bpf_perf_event_array *pea_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_perf_event_array, map);
}

static long pea_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL; /* a value is a perf event fd */
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	long err = bpf_array_check(attr);
	if (err)
		return err;
	uint64_t bytes = (uint64_t)attr->max_entries * sizeof(struct file *);
	struct bpf_perf_event_array *a = pea_of(map);
	if (!bpf_map_size_possible(bytes) || !(a->files = kzalloc(bytes)))
		return -ENOMEM;
	return 0;
}

/* Put f in slot i (NULL empties it); the caller drops the old file's reference.
 * Interrupts off: a program run by an interrupt sees the old file or the new. */
static struct file *swap_slot(struct bpf_perf_event_array *a, uint32_t i, struct file *f)
{
	uint64_t irq = irq_save();
	struct file *old = a->files[i];
	a->files[i] = f;
	irq_restore(irq);
	return old;
}

static void clear_all(struct bpf_map *map)
{
	for (uint32_t i = 0; i < map->max_entries; i++)
		file_put(swap_slot(pea_of(map), i, NULL));
}

static void pea_free(struct bpf_map *map)
{
	clear_all(map);
	kfree(pea_of(map)->files);
}

/* The last fd closed: the events go, unless BPF_F_PRESERVE_ELEMS keeps them
 * for programs still attached. */
static void pea_release_uref(struct bpf_map *map)
{
	if (!(map->map_flags & BPF_F_PRESERVE_ELEMS))
		clear_all(map);
}

static void *pea_lookup(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return NULL; /* the verifier lets no program read the slots */
}

/* Linux has no user-space reading of this map: its internal ENOTSUPP. */
static long pea_sys_lookup(struct bpf_map *map, const void *key, void *value)
{
	(void)map;
	(void)key;
	(void)value;
	return -ENOTSUPP;
}

static long pea_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t i, fd;
	if (flags != BPF_ANY)
		return -EINVAL;
	long err = bpf_array_index(map, key, &i);
	if (err)
		return err;
	memcpy(&fd, value, sizeof(fd));
	struct file *f = fd_get((int)fd);
	struct perf_event *e = perf_event_from_file(f);
	if (!e)
		return -EBADF;
	if (e->attr.flags & PERF_ATTR_FLAG_INHERIT)
		return -EOPNOTSUPP; /* an inherited event has no one ring to write */
	file_get(f);
	file_put(swap_slot(pea_of(map), i, f));
	return 0;
}

static long pea_delete(struct bpf_map *map, const void *key)
{
	uint32_t i;
	long err = bpf_array_index(map, key, &i);
	if (err)
		return err;
	struct file *old = swap_slot(pea_of(map), i, NULL);
	if (!old)
		return -ENOENT;
	file_put(old);
	return 0;
}

/* The event a program writes to: E2BIG past the end, ENOENT for an empty
 * slot, EINVAL for an event that is not BPF_OUTPUT, EOPNOTSUPP for one not
 * counting on this CPU now (disabled, or another task's). */
static long output_event(struct bpf_map *map, uint64_t flags, struct perf_event **out)
{
	uint64_t index = flags & BPF_F_INDEX_MASK;
	if (index == BPF_F_CURRENT_CPU)
		index = 0; /* sysgate's one CPU */
	if (index >= map->max_entries)
		return -E2BIG;
	struct perf_event *e = perf_event_from_file(pea_of(map)->files[index]);
	if (!e)
		return -ENOENT;
	if (e->attr.type != PERF_TYPE_SOFTWARE || e->attr.config != PERF_COUNT_SW_BPF_OUTPUT)
		return -EINVAL;
	if (!e->enabled || !perf_event_on_cpu(e))
		return -EOPNOTSUPP;
	*out = e;
	return 0;
}

uint64_t bpf_perf_event_output_fn(uint64_t ctx, uint64_t map, uint64_t flags, uint64_t data, uint64_t size)
{
	(void)ctx; /* the sample's other parts come from the current task */
	if (flags & ~BPF_F_INDEX_MASK)
		return (uint64_t)-EINVAL;
	struct perf_event *e = NULL;
	long err = output_event((struct bpf_map *)(uintptr_t)map, flags, &e);
	if (!err)
		err = size > UINT32_MAX ? -E2BIG : perf_event_output_raw(e, (const void *)(uintptr_t)data, (uint32_t)size);
	/* An event nobody mapped has no ring: Linux says ENOSPC, as for a full one. */
	return (uint64_t)(err == -ENOENT && e ? -ENOSPC : err);
}

static const struct bpf_map_ops pea_ops = {
	.alloc = pea_alloc,
	.free = pea_free,
	.lookup = pea_lookup,
	.update = pea_update,
	.delete = pea_delete,
	.get_next_key = bpf_array_get_next_key,
};

const struct bpf_map_kind bpf_perf_event_array_map_kind = { .ops = &pea_ops,
							    .size = sizeof(struct bpf_perf_event_array),
							    .sys_lookup = pea_sys_lookup,
							    .release_uref = pea_release_uref };
