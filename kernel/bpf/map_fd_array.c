/*
 * The fd arrays' shared part: a map whose slots hold kernel objects named
 * by file descriptors (course section: eBPF, the revolution in kernel
 * programming).
 *
 * PROG_ARRAY holds programs, PERF_EVENT_ARRAY perf event files. User space
 * writes an fd into a slot; the map keeps a reference to the object behind
 * it, not the fd, which means nothing outside the writer's process.
 * Programs never read a slot as a value: the verifier lets them only pass
 * the map to the helper that uses it (bpf_tail_call, perf_event_output).
 * Linux's rules: 4-byte values, no BPF_F_RDONLY_PROG or WRONLY_PROG, only
 * BPF_ANY on update, E2BIG past the end, ENOENT for an empty slot.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "libc/include/string.h"
#include "mm/heap.h"

static struct bpf_fd_array *fd_array_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_fd_array, map);
}

long bpf_fd_array_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL; /* a value is an fd */
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	long err = bpf_array_check(attr);
	if (err)
		return err;
	uint64_t bytes = (uint64_t)attr->max_entries * sizeof(void *);
	struct bpf_fd_array *a = fd_array_of(map);
	if (!bpf_map_size_possible(bytes) || !(a->slots = kzalloc(bytes)))
		return -ENOMEM;
	return 0;
}

long bpf_fd_array_update_args(struct bpf_map *map, const void *key, const void *value, uint64_t flags,
			      uint32_t *index, int *fd)
{
	if (flags != BPF_ANY)
		return -EINVAL;
	long err = bpf_array_index(map, key, index);
	if (err)
		return err;
	uint32_t v;
	memcpy(&v, value, sizeof(v));
	*fd = (int)v;
	return 0;
}

/* Interrupts off: a program run by an interrupt sees the old object or the
 * new one, never half a pointer. */
void *bpf_fd_array_swap(struct bpf_map *map, uint32_t index, void *obj)
{
	struct bpf_fd_array *a = fd_array_of(map);
	uint64_t irq = irq_save();
	void *old = a->slots[index];
	a->slots[index] = obj;
	irq_restore(irq);
	return old;
}

void *bpf_fd_array_slot(const struct bpf_map *map, uint64_t index)
{
	return index < map->max_entries ? fd_array_of(map)->slots[index] : NULL;
}

long bpf_fd_array_delete(struct bpf_map *map, const void *key, void (*put)(void *obj))
{
	uint32_t i;
	long err = bpf_array_index(map, key, &i);
	if (err)
		return err;
	void *old = bpf_fd_array_swap(map, i, NULL);
	if (!old)
		return -ENOENT;
	put(old);
	return 0;
}

void bpf_fd_array_clear(struct bpf_map *map, void (*put)(void *obj))
{
	for (uint32_t i = 0; i < map->max_entries; i++) {
		void *old = bpf_fd_array_swap(map, i, NULL);
		if (old)
			put(old);
	}
}

void bpf_fd_array_free(struct bpf_map *map, void (*put)(void *obj))
{
	bpf_fd_array_clear(map, put);
	kfree(fd_array_of(map)->slots);
}

void *bpf_fd_array_lookup(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return NULL; /* the verifier lets no program read a slot */
}
