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
#include "libc/include/string.h"

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

static void put_prog(void *prog)
{
	bpf_prog_put(prog);
}

/* What user space reads: the program's id. */
static long prog_array_sys_lookup(struct bpf_map *map, const void *key, void *value)
{
	uint32_t i;
	if (bpf_array_index(map, key, &i))
		return -ENOENT;
	uint64_t irq = irq_save(); /* the program stays while we read its id */
	struct bpf_prog *prog = bpf_fd_array_slot(map, i);
	if (prog)
		memcpy(value, &prog->id, sizeof(prog->id));
	irq_restore(irq);
	return prog ? 0 : -ENOENT;
}

static long prog_array_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	uint32_t i;
	int fd;
	long err = bpf_fd_array_update_args(map, key, value, flags, &i, &fd);
	if (err)
		return err;
	struct bpf_prog *prog = bpf_prog_get_fd(fd, &err);
	if (!prog)
		return err;
	if (!bpf_prog_array_compatible(map, prog)) {
		bpf_prog_put(prog);
		return -EINVAL;
	}
	struct bpf_prog *old = bpf_fd_array_swap(map, i, prog);
	if (old)
		bpf_prog_put(old);
	return 0;
}

static long prog_array_delete(struct bpf_map *map, const void *key)
{
	return bpf_fd_array_delete(map, key, put_prog);
}

static void prog_array_free(struct bpf_map *map)
{
	bpf_fd_array_free(map, put_prog);
}

/* When the last fd closes, the slots empty: a program that tail-calls
 * itself through the map would otherwise keep itself and the map alive. */
static void prog_array_release_uref(struct bpf_map *map)
{
	bpf_fd_array_clear(map, put_prog);
}

struct bpf_prog *bpf_prog_array_entry(struct bpf_map *map, uint32_t index)
{
	return bpf_fd_array_slot(map, index);
}

static const struct bpf_map_ops prog_array_ops = {
	.alloc = bpf_fd_array_alloc,
	.free = prog_array_free,
	.lookup = bpf_fd_array_lookup,
	.update = prog_array_update,
	.delete = prog_array_delete,
	.get_next_key = bpf_array_get_next_key,
};

const struct bpf_map_kind bpf_prog_array_map_kind = { .ops = &prog_array_ops,
						      .size = sizeof(struct bpf_fd_array),
						      .sys_lookup = prog_array_sys_lookup,
						      .release_uref = prog_array_release_uref };
