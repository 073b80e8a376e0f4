/*
 * PROG_ARRAY maps: the table of programs a tail call jumps into (course
 * section: eBPF, the revolution in kernel programming).
 *
 * bpf_tail_call(ctx, map, index) does not return: the current program is
 * replaced by the one in slot `index`, on the same context and stack. So a
 * program can be split into stages, and a stage swapped at run time by
 * user space writing a program fd into a slot. The map holds a reference
 * to each program in it.
 *
 * One rule keeps the jump safe: every program in the array has the same
 * type (and is compiled by the JIT, or not, like the others), for each
 * type sees a different context. The first program that uses the array,
 * or is put into it, decides (the map's owner type).
 *
 * User space writes fds but reads program ids (an fd means nothing to
 * another process); programs read nothing: the verifier lets them only
 * tail-call through the map.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

struct bpf_prog_array {
	struct bpf_map map;
	struct bpf_prog **progs; /* max_entries slots, NULL when empty */
};

static struct bpf_prog_array *prog_array_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_prog_array, map);
}

bool bpf_prog_array_compatible(struct bpf_map *map, const struct bpf_prog *prog)
{
	bool jited = prog->jited != NULL;
	if (map->owner_prog_type == BPF_PROG_TYPE_UNSPEC) {
		map->owner_prog_type = prog->type; /* no program has type 0: "no owner yet" */
		map->owner_jited = jited;
		return true;
	}
	return map->owner_prog_type == prog->type && map->owner_jited == jited;
}

static long prog_array_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	if (attr->value_size != sizeof(uint32_t))
		return -EINVAL; /* a value is a program fd */
	if (attr->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EINVAL;
	long err = bpf_array_check(attr);
	if (err)
		return err;
	uint64_t bytes = (uint64_t)attr->max_entries * sizeof(struct bpf_prog *);
	struct bpf_prog_array *a = prog_array_of(map);
	if (!bpf_map_size_possible(bytes) || !(a->progs = kzalloc(bytes)))
		return -ENOMEM;
	return 0;
}

/* Put prog in slot i (NULL empties it) and drop the reference the slot
 * held. Interrupts are off for the swap: a program run by an interrupt
 * tail-calls the old program or the new, never half a pointer. */
static struct bpf_prog *swap_slot(struct bpf_prog_array *a, uint32_t i, struct bpf_prog *prog)
{
	uint64_t irq = irq_save();
	struct bpf_prog *old = a->progs[i];
	a->progs[i] = prog;
	irq_restore(irq);
	return old;
}

static void clear_all(struct bpf_map *map)
{
	struct bpf_prog_array *a = prog_array_of(map);
	for (uint32_t i = 0; i < map->max_entries; i++) {
		struct bpf_prog *old = swap_slot(a, i, NULL);
		if (old)
			bpf_prog_put(old);
	}
}

static void prog_array_free(struct bpf_map *map)
{
	clear_all(map);
	kfree(prog_array_of(map)->progs);
}

static void *prog_array_lookup(struct bpf_map *map, const void *key)
{
	(void)map;
	(void)key;
	return NULL; /* the verifier lets no program read the slots */
}

/* What user space reads: the program's id. */
static long prog_array_sys_lookup(struct bpf_map *map, const void *key, void *value)
{
	uint32_t i;
	if (bpf_array_index(map, key, &i))
		return -ENOENT;
	uint64_t irq = irq_save();
	struct bpf_prog *prog = prog_array_of(map)->progs[i];
	if (prog)
		memcpy(value, &prog->id, sizeof(prog->id));
	irq_restore(irq);
	return prog ? 0 : -ENOENT;
}

static long prog_array_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t i, fd;
	if (flags != BPF_ANY)
		return -EINVAL;
	long err = bpf_array_index(map, key, &i);
	if (err)
		return err;
	memcpy(&fd, value, sizeof(fd));
	struct bpf_prog *prog = bpf_prog_get_fd((int)fd, &err);
	if (!prog)
		return err;
	if (!bpf_prog_array_compatible(map, prog)) {
		bpf_prog_put(prog);
		return -EINVAL;
	}
	struct bpf_prog *old = swap_slot(prog_array_of(map), i, prog);
	if (old)
		bpf_prog_put(old);
	return 0;
}

static long prog_array_delete(struct bpf_map *map, const void *key)
{
	uint32_t i;
	long err = bpf_array_index(map, key, &i);
	if (err)
		return err;
	struct bpf_prog *old = swap_slot(prog_array_of(map), i, NULL);
	if (!old)
		return -ENOENT;
	bpf_prog_put(old);
	return 0;
}

struct bpf_prog *bpf_prog_array_entry(struct bpf_map *map, uint32_t index)
{
	if (index >= map->max_entries)
		return NULL;
	return prog_array_of(map)->progs[index];
}

static const struct bpf_map_ops prog_array_ops = {
	.alloc = prog_array_alloc,
	.free = prog_array_free,
	.lookup = prog_array_lookup,
	.update = prog_array_update,
	.delete = prog_array_delete,
	.get_next_key = bpf_array_get_next_key,
};

/* When the last fd closes, the slots empty: a program that tail-calls
 * itself through the map would otherwise keep itself and the map alive. */
const struct bpf_map_kind bpf_prog_array_map_kind = { .ops = &prog_array_ops,
						      .size = sizeof(struct bpf_prog_array),
						      .sys_lookup = prog_array_sys_lookup,
						      .release_uref = clear_all };
