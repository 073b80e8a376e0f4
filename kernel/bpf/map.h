/*
 * eBPF maps: what the map types share, and what bpf(2)'s MAP_* commands
 * need from them beyond struct bpf_map_ops (course section: eBPF, the
 * revolution in kernel programming).
 *
 * Every map type keeps its state in a struct that begins with struct
 * bpf_map (struct bpf_array { struct bpf_map map; ... }), so one
 * allocation of bpf_map_type_size() bytes holds both, and each type finds
 * its part with container_of. BPF_MAP_CREATE allocates that many zeroed
 * bytes, fills the common fields from the attributes, and calls
 * ops->alloc; ops->free releases what alloc took, not the object itself.
 *
 * Files, in reading order: map_types.c (the registry), map_array.c,
 * map_hash.c, map_fd_array.c (the fd arrays' shared part), map_prog_array.c,
 * map_perf_event_array.c, map_ringbuf.c and
 * map_ringbuf_helpers.c.
 */
#ifndef KERNEL_BPF_MAP_H
#define KERNEL_BPF_MAP_H

#include "kernel/bpf/bpf.h"
#include "libc/include/abi/errno.h" /* ENOTSUPP, Linux's internal errno that bpf(2) lets out */

/* sysgate runs on one CPU: /sys/devices/system/cpu/possible says "0". A
 * per-CPU map's value, as user space reads and writes it, is one rounded
 * value per possible CPU. */
#define BPF_NR_POSSIBLE_CPUS 1

/* The map_flags every type may take: who may read and write the map. */
#define BPF_F_ACCESS_MASK (BPF_F_RDONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY | BPF_F_WRONLY_PROG)
/* Flags Linux knows that are absent from the ABI header: an ARRAY used as
 * an inner map, a PERF_EVENT_ARRAY that keeps its events after close. */
#define BPF_F_PRESERVE_ELEMS (1U << 11)
#define BPF_F_INNER_MAP (1U << 12)

/* A per-CPU value is at most Linux's PCPU_MIN_UNIT_SIZE (32 KiB), rounded. */
#define BPF_PERCPU_VALUE_MAX (32U << 10)

/* One map type: its operations and the size of its state. */
struct bpf_map_kind {
	const struct bpf_map_ops *ops;
	size_t size; /* of the type's struct, which starts with struct bpf_map */
	/* BPF_MAP_LOOKUP_ELEM for types whose value in user space is not the
	 * bytes lookup points at (fd arrays, ringbuf); NULL: copy those bytes. */
	long (*sys_lookup)(struct bpf_map *map, const void *key, void *value);
	/* The last file naming the map closed (Linux's map_release_uref): fd
	 * arrays drop their entries, so a program that tail-calls itself
	 * through the map does not keep both alive for ever. May be NULL. */
	void (*release_uref)(struct bpf_map *map);
};

extern const struct bpf_map_kind bpf_array_map_kind, bpf_percpu_array_map_kind, bpf_hash_map_kind,
	bpf_lru_hash_map_kind, bpf_prog_array_map_kind, bpf_perf_event_array_map_kind, bpf_ringbuf_map_kind;

/* How many bytes BPF_MAP_CREATE allocates (zeroed) for a map of map_type;
 * 0 for a type sysgate does not have (EINVAL, as bpf_map_type_ops says). */
size_t bpf_map_type_size(uint32_t map_type);

/* The bytes of one value as bpf(2) copies it in and out: value_size, one
 * rounded value per CPU for per-CPU maps, a u32 id or fd for fd arrays. */
uint32_t bpf_map_value_size(const struct bpf_map *map);

/* BPF_MAP_LOOKUP_ELEM: copy the value of key into value
 * (bpf_map_value_size bytes), or an errno (ENOENT: no such key). */
long bpf_map_copy_value(struct bpf_map *map, const void *key, void *value);

/* Call when the last file (fd) of the map closes, before the references
 * programs hold go: see struct bpf_map_kind.release_uref. */
void bpf_map_release_uref(struct bpf_map *map);

/* Neither read-only and write-only at once, for user space nor for programs. */
bool bpf_map_flags_access_ok(uint32_t map_flags);

/* An allocation of bytes can never succeed if it is more than all memory
 * (Linux's vmalloc says so before trying): ENOMEM at once. */
bool bpf_map_size_possible(uint64_t bytes);

/* BPF_MAP_UPDATE_ELEM's flags: BPF_ANY, BPF_NOEXIST or BPF_EXIST, and
 * BPF_F_LOCK, which needs a spin lock in the value that sysgate's maps never
 * have. 0, or EINVAL. */
long bpf_map_update_flags_ok(uint64_t flags);

/* A tail call's rule: every program in a PROG_ARRAY has the type (and JIT
 * state) of the first one that used the map. True, and the map owned, if
 * prog may join; the loader checks each PROG_ARRAY a program uses. */
bool bpf_prog_array_compatible(struct bpf_map *map, const struct bpf_prog *prog);

/* The array family's rules, which the fd arrays (PROG_ARRAY,
 * PERF_EVENT_ARRAY) share: Linux's attribute checks and errnos, and the
 * order of keys (indexes from 0; a missing or past-the-end key restarts). */
long bpf_array_check(const union bpf_attr *attr);
long bpf_array_get_next_key(struct bpf_map *map, const void *key, void *next_key);
/* An fd array's key as an index: 0, or E2BIG past the end (Linux's errno
 * for update and delete there). */
long bpf_array_index(const struct bpf_map *map, const void *key, uint32_t *index);

/* The fd arrays (map_fd_array.c): slots of objects named by fds on update. */
struct bpf_fd_array {
	struct bpf_map map;
	void **slots; /* max_entries objects (programs, perf event files), NULL when empty */
};
long bpf_fd_array_alloc(struct bpf_map *map, const union bpf_attr *attr);
/* Update's checks (BPF_ANY only: EINVAL; E2BIG past the end) and its fd. */
long bpf_fd_array_update_args(struct bpf_map *map, const void *key, const void *value, uint64_t flags,
			      uint32_t *index, int *fd);
/* Put obj (NULL: none) in slot index; the old object, whose reference the caller drops. */
void *bpf_fd_array_swap(struct bpf_map *map, uint32_t index, void *obj);
/* The object in slot index, or NULL (empty, or past the end). */
void *bpf_fd_array_slot(const struct bpf_map *map, uint64_t index);
long bpf_fd_array_delete(struct bpf_map *map, const void *key, void (*put)(void *obj));
void bpf_fd_array_clear(struct bpf_map *map, void (*put)(void *obj));
void bpf_fd_array_free(struct bpf_map *map, void (*put)(void *obj));
void *bpf_fd_array_lookup(struct bpf_map *map, const void *key);

/* mmap of a map's file by user space, for the map file's file_ops:
 * MAP_SHARED only (EINVAL), never executable (EPERM, the map's file lives on
 * a noexec mount), types without mmap_check: ENOTSUPP; then the type's own
 * check. 0 or an errno. */
long bpf_map_mmap_check(struct bpf_map *map, uint64_t offset, uint64_t len, int prot, int flags);

#endif
