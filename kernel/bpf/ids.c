/*
 * Ids of maps and programs (course section: eBPF, the revolution in kernel
 * programming).
 *
 * Every map and program gets a number when it is made, so tools such as
 * bpftool can list what is loaded (BPF_PROG_GET_NEXT_ID walks them in order)
 * and open one they did not create (BPF_PROG_GET_FD_BY_ID) -- both only
 * for CAP_SYS_ADMIN, as in Linux, since an fd gives full access. Ids count
 * up and are not reused at once (Linux's idr_alloc_cyclic), so an id a tool
 * saw a moment ago does not silently name a newer object.
 */
#include "kernel/bpf/core.h"
#include "kernel/cred/cred.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "mm/uaccess.h"

#define BPF_ID_MAX INT32_MAX

/* Each list is in increasing id order: ids are handed out increasing and
 * the list appended to; after a wrap-around a new object is put in its place. */
static struct list_node all_maps = LIST_INIT(all_maps), all_progs = LIST_INIT(all_progs);
static uint32_t next_map_id = 1, next_prog_id = 1;

static uint32_t take_id(uint32_t *next)
{
	uint32_t id = *next;
	*next = id >= BPF_ID_MAX ? 1 : id + 1;
	return id;
}

/* Put n (whose id is id_of(n)) at its sorted place, scanning from the end. */
static void insert_sorted(struct list_node *head, struct list_node *n, uint32_t id,
			  uint32_t (*id_of)(struct list_node *))
{
	struct list_node *pos = head->prev;
	while (pos != head && id_of(pos) > id)
		pos = pos->prev;
	list_add_after(pos, n);
}

static uint32_t map_id_of(struct list_node *n)
{
	return list_entry(n, struct bpf_map, all)->id;
}

static uint32_t prog_id_of(struct list_node *n)
{
	return list_entry(n, struct bpf_prog, all)->id;
}

void bpf_map_add_id(struct bpf_map *map)
{
	map->id = take_id(&next_map_id);
	insert_sorted(&all_maps, &map->all, map->id, map_id_of);
}

void bpf_map_remove_id(struct bpf_map *map)
{
	list_remove(&map->all);
}

void bpf_prog_add_id(struct bpf_prog *prog)
{
	prog->id = take_id(&next_prog_id);
	insert_sorted(&all_progs, &prog->all, prog->id, prog_id_of);
}

void bpf_prog_remove_id(struct bpf_prog *prog)
{
	list_remove(&prog->all);
}

/* The first node of head whose id is at least id, or NULL. */
static struct list_node *find_from(struct list_node *head, uint32_t id, uint32_t (*id_of)(struct list_node *))
{
	for (struct list_node *n = head->next; n != head; n = n->next)
		if (id_of(n) >= id)
			return n;
	return NULL;
}

long bpf_get_next_id(int cmd, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(open_flags)) || attr->start_id >= BPF_ID_MAX)
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	bool progs = cmd == BPF_PROG_GET_NEXT_ID;
	uint32_t (*id_of)(struct list_node *) = progs ? prog_id_of : map_id_of;
	struct list_node *n = find_from(progs ? &all_progs : &all_maps, attr->start_id + 1, id_of);
	if (!n)
		return -ENOENT;
	uint32_t id = id_of(n);
	return copy_to_user(user_field(uattr, union bpf_attr, next_id), &id, sizeof(id)) ? -EFAULT : 0;
}

long bpf_get_fd_by_id(int cmd, const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(open_flags)))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (cmd == BPF_PROG_GET_FD_BY_ID) {
		struct list_node *n = find_from(&all_progs, attr->prog_id, prog_id_of);
		if (!n || prog_id_of(n) != attr->prog_id)
			return -ENOENT;
		return bpf_prog_new_fd(list_entry(n, struct bpf_prog, all));
	}
	if (attr->open_flags & ~(BPF_F_RDONLY | BPF_F_WRONLY) ||
	    (attr->open_flags & (BPF_F_RDONLY | BPF_F_WRONLY)) == (BPF_F_RDONLY | BPF_F_WRONLY))
		return -EINVAL;
	struct list_node *n = find_from(&all_maps, attr->map_id, map_id_of);
	if (!n || map_id_of(n) != attr->map_id)
		return -ENOENT;
	return bpf_map_new_fd(list_entry(n, struct bpf_map, all), attr->open_flags);
}
