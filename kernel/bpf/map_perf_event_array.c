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
#include "kernel/bpf/map.h"
#include "kernel/fs/file.h"
#include "kernel/tracing/perf.h"

static void put_file(void *f)
{
	file_put(f);
}

static void pea_free(struct bpf_map *map)
{
	bpf_fd_array_free(map, put_file);
}

/* The last fd closed: the events go, unless BPF_F_PRESERVE_ELEMS keeps them
 * for programs still attached. */
static void pea_release_uref(struct bpf_map *map)
{
	if (!(map->map_flags & BPF_F_PRESERVE_ELEMS))
		bpf_fd_array_clear(map, put_file);
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
	uint32_t i;
	int fd;
	long err = bpf_fd_array_update_args(map, key, value, flags, &i, &fd);
	if (err)
		return err;
	struct file *f = fd_get(fd);
	struct perf_event *e = perf_event_from_file(f);
	if (!e)
		return -EBADF;
	if (e->attr.flags & PERF_ATTR_FLAG_INHERIT)
		return -EOPNOTSUPP; /* an inherited event has no one ring to write */
	file_get(f);
	file_put(bpf_fd_array_swap(map, i, f));
	return 0;
}

static long pea_delete(struct bpf_map *map, const void *key)
{
	return bpf_fd_array_delete(map, key, put_file);
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
	struct perf_event *e = perf_event_from_file(bpf_fd_array_slot(map, index));
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
	.alloc = bpf_fd_array_alloc,
	.free = pea_free,
	.lookup = bpf_fd_array_lookup,
	.update = pea_update,
	.delete = pea_delete,
	.get_next_key = bpf_array_get_next_key,
};

const struct bpf_map_kind bpf_perf_event_array_map_kind = { .ops = &pea_ops,
							    .size = sizeof(struct bpf_fd_array),
							    .sys_lookup = pea_sys_lookup,
							    .release_uref = pea_release_uref };
