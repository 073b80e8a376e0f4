/*
 * The everyday helpers: maps, time, the current task (course section: eBPF,
 * the revolution in kernel programming).
 *
 * A helper is an ordinary kernel function with the program's registers as
 * arguments. The verifier has checked their types against the prototype
 * (helper_protos.c), so a helper may trust that r1 is a map and r2 points
 * to key_size readable bytes -- but not what those bytes say.
 */
#include "kernel/bpf/helpers.h"
#include "kernel/cred/cred.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "kernel/random.h"
#include "drivers/timer.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

#define UNUSED5 (void)r1, (void)r2, (void)r3, (void)r4, (void)r5

BPF_HELPER(bpf_map_lookup_elem_fn)
{
	(void)r3, (void)r4, (void)r5;
	struct bpf_map *map = (struct bpf_map *)r1;
	return (uint64_t)map->ops->lookup(map, (const void *)r2);
}

BPF_HELPER(bpf_map_update_elem_fn)
{
	(void)r5;
	struct bpf_map *map = (struct bpf_map *)r1;
	return (uint64_t)map->ops->update(map, (const void *)r2, (const void *)r3, r4);
}

BPF_HELPER(bpf_map_delete_elem_fn)
{
	(void)r3, (void)r4, (void)r5;
	struct bpf_map *map = (struct bpf_map *)r1;
	return (uint64_t)map->ops->delete(map, (const void *)r2);
}

BPF_HELPER(bpf_ktime_get_ns_fn)
{
	UNUSED5;
	return clock_monotonic_ns();
}

/* Linux's prandom: fast, not for secrets. A xorshift64* generator seeded
 * once from the kernel's random bytes. */
BPF_HELPER(bpf_get_prandom_u32_fn)
{
	UNUSED5;
	static uint64_t state;
	while (!state)
		random_fill(&state, sizeof(state));
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}

BPF_HELPER(bpf_get_smp_processor_id_fn)
{
	UNUSED5;
	return 0; /* sysgate's tasks run on CPU 0 */
}

/* The thread group id (getpid) in the upper half, the thread id below. */
BPF_HELPER(bpf_get_current_pid_tgid_fn)
{
	UNUSED5;
	if (!current)
		return (uint64_t)-EINVAL;
	return (uint64_t)(uint32_t)task_tgid(current) << 32 | (uint32_t)current->pid;
}

BPF_HELPER(bpf_get_current_uid_gid_fn)
{
	UNUSED5;
	if (!current)
		return (uint64_t)-EINVAL;
	const struct cred *c = current_cred();
	return (uint64_t)(uint32_t)c->gid << 32 | (uint32_t)c->uid;
}

/* The task's name into buf (r1) of size r2, NUL-terminated; zeroed on error. */
BPF_HELPER(bpf_get_current_comm_fn)
{
	(void)r3, (void)r4, (void)r5;
	char *buf = (char *)r1;
	uint32_t size = (uint32_t)r2;
	if (!current) {
		memset(buf, 0, size);
		return (uint64_t)-EINVAL;
	}
	size_t n = strnlen(current->name, TASK_NAME_LEN);
	n = n < size - 1 ? n : size - 1;
	memcpy(buf, current->name, n);
	memset(buf + n, 0, size - n);
	return 0;
}

BPF_HELPER(bpf_get_current_task_fn)
{
	UNUSED5;
	return (uint64_t)current;
}
