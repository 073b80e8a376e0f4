/*
 * HASH and LRU_HASH maps (course section: eBPF, the revolution in kernel
 * programming).
 *
 * A hash table whose keys are any key_size bytes: a pid, a (pid, fd)
 * pair, a file name. The key's hash picks one of n_buckets chains, a power
 * of two at least max_entries, so a chain holds about one element and a
 * lookup, an update or a delete costs the same in a map of ten entries or
 * of a million: nothing ever walks all the elements.
 *
 * Programs run where memory cannot be allocated (inside the scheduler, an
 * interrupt), so by default every element is allocated when the map is
 * made and kept on a free list: an insert takes one from it, a delete puts
 * it back, and a full map says E2BIG. BPF_F_NO_PREALLOC allocates each
 * element when it is inserted instead (the map then costs what it holds).
 *
 * An LRU_HASH never says E2BIG: an insert into a full map evicts the
 * element least recently used. Its elements sit on a list in order of use,
 * most recent first; a program's lookup moves an element to the front.
 * (Linux approximates this order with reference bits and per-CPU lists;
 * on one CPU the exact order costs no more.)
 *
 * The hash is seeded at random unless BPF_F_ZERO_SEED (root only, for
 * tests), so a user who chooses keys cannot make every key land in one
 * chain.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/bpf/map.h"
#include "kernel/cred/cred.h"
#include "kernel/list.h"
#include "kernel/random.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define HTAB_FLAGS (BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK | BPF_F_ZERO_SEED)
/* Linux's limits: an element (its 48-byte header, key and value) must fit
 * one kmalloc (KMALLOC_MAX_SIZE, 4 MiB), and the bucket array, 16 bytes a
 * bucket there, a u32 size. */
#define HTAB_ELEM_LIMIT ((4u << 20) - 48)
#define HTAB_MAX_ENTRIES (1u << 31)
#define HTAB_MAX_BUCKETS (UINT32_MAX / 16)

struct htab_elem {
	struct htab_elem *next;  /* in its bucket's chain, or in the free list */
	struct list_node lru;    /* LRU_HASH: its place in the order of use */
	uint32_t hash;
	uint8_t key[] __attribute__((aligned(8))); /* the key rounded to 8, then the value */
};

struct bpf_htab {
	struct bpf_map map;
	struct htab_elem **buckets;
	uint32_t n_buckets;        /* a power of two */
	uint32_t key_space;        /* key_size rounded to 8: where the value starts */
	uint32_t elem_size;
	uint32_t count;            /* elements in the table */
	uint64_t seed;
	bool prealloc, lru;
	void *elems;               /* preallocated: every element, in one block */
	struct htab_elem *free_list;
	struct list_node use_order; /* LRU_HASH: most recently used first */
};

static struct bpf_htab *htab_of(const struct bpf_map *map)
{
	return container_of(map, struct bpf_htab, map);
}

static void *elem_value(const struct bpf_htab *h, struct htab_elem *e)
{
	return e->key + h->key_space;
}

/* Linux's checks, in Linux's order. */
static long htab_check(const union bpf_attr *attr)
{
	bool lru = attr->map_type == BPF_MAP_TYPE_LRU_HASH;
	bool percpu_lru = attr->map_flags & BPF_F_NO_COMMON_LRU;
	bool prealloc = !(attr->map_flags & BPF_F_NO_PREALLOC);
	if ((attr->map_flags & BPF_F_ZERO_SEED) && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((attr->map_flags & ~HTAB_FLAGS) || !bpf_map_flags_access_ok(attr->map_flags))
		return -EINVAL;
	if (!lru && percpu_lru)
		return -EINVAL;
	if (lru && !prealloc)
		return -ENOTSUPP;
	if ((attr->map_flags & BPF_F_NUMA_NODE) && percpu_lru)
		return -EINVAL;
	if (attr->max_entries == 0 || attr->key_size == 0 || attr->value_size == 0)
		return -EINVAL;
	if ((uint64_t)attr->key_size + attr->value_size >= HTAB_ELEM_LIMIT)
		return -E2BIG;
	if (attr->max_entries > HTAB_MAX_ENTRIES)
		return -E2BIG;
	return 0;
}

static uint32_t round_up_pow2(uint32_t n)
{
	uint32_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

/* Chain every preallocated element onto the free list. */
static long htab_prealloc(struct bpf_htab *h)
{
	uint64_t bytes = (uint64_t)h->elem_size * h->map.max_entries;
	if (!bpf_map_size_possible(bytes) || !(h->elems = kzalloc(bytes)))
		return -ENOMEM;
	for (uint32_t i = 0; i < h->map.max_entries; i++) {
		struct htab_elem *e = (struct htab_elem *)((uint8_t *)h->elems + (uint64_t)i * h->elem_size);
		e->next = h->free_list;
		h->free_list = e;
	}
	return 0;
}

static long htab_alloc(struct bpf_map *map, const union bpf_attr *attr)
{
	long err = htab_check(attr);
	if (err)
		return err;
	struct bpf_htab *h = htab_of(map);
	h->n_buckets = round_up_pow2(attr->max_entries);
	if (h->n_buckets > HTAB_MAX_BUCKETS)
		return -E2BIG;
	h->key_space = ALIGN_UP(attr->key_size, 8u);
	h->elem_size = sizeof(struct htab_elem) + h->key_space + ALIGN_UP(attr->value_size, 8u);
	h->prealloc = !(attr->map_flags & BPF_F_NO_PREALLOC);
	h->lru = attr->map_type == BPF_MAP_TYPE_LRU_HASH;
	list_init(&h->use_order);
	if (!(attr->map_flags & BPF_F_ZERO_SEED))
		random_fill(&h->seed, sizeof(h->seed));
	uint64_t bucket_bytes = (uint64_t)h->n_buckets * sizeof(*h->buckets);
	if (!bpf_map_size_possible(bucket_bytes) || !(h->buckets = kzalloc(bucket_bytes)))
		return -ENOMEM;
	if (h->prealloc && (err = htab_prealloc(h))) {
		kfree(h->buckets);
		return err;
	}
	return 0;
}

static void htab_free(struct bpf_map *map)
{
	struct bpf_htab *h = htab_of(map);
	if (h->prealloc) {
		kfree(h->elems);
	} else {
		for (uint32_t b = 0; b < h->n_buckets; b++)
			for (struct htab_elem *e = h->buckets[b], *next; e; e = next) {
				next = e->next;
				kfree(e);
			}
	}
	kfree(h->buckets);
}

/* A multiply-xorshift step: every input bit reaches the low bits, which
 * pick the bucket. */
static uint64_t mix(uint64_t x)
{
	x *= 0x9e3779b97f4a7c15ull;
	return x ^ (x >> 29);
}

static uint32_t hash_key(const struct bpf_htab *h, const uint8_t *key)
{
	uint32_t len = h->map.key_size;
	uint64_t x = mix(h->seed ^ len);
	for (; len >= 8; len -= 8, key += 8) {
		uint64_t w;
		memcpy(&w, key, 8);
		x = mix(x ^ w);
	}
	if (len) {
		uint64_t w = 0;
		memcpy(&w, key, len);
		x = mix(x ^ w);
	}
	return (uint32_t)(x ^ (x >> 32));
}

static struct htab_elem **bucket_of(const struct bpf_htab *h, uint32_t hash)
{
	return &h->buckets[hash & (h->n_buckets - 1)];
}

/* The link that points at key's element (its predecessor's next, or the
 * bucket head), so the caller can unlink it; NULL if key is absent. */
static struct htab_elem **find_link(const struct bpf_htab *h, const void *key, uint32_t hash)
{
	for (struct htab_elem **link = bucket_of(h, hash); *link; link = &(*link)->next)
		if ((*link)->hash == hash && !memcmp((*link)->key, key, h->map.key_size))
			return link;
	return NULL;
}

static struct htab_elem *find(const struct bpf_htab *h, const void *key)
{
	struct htab_elem **link = find_link(h, key, hash_key(h, key));
	return link ? *link : NULL;
}

static void mark_used(struct bpf_htab *h, struct htab_elem *e)
{
	if (!h->lru)
		return;
	list_remove(&e->lru);
	list_add_after(&h->use_order, &e->lru);
}

static void *htab_lookup(struct bpf_map *map, const void *key)
{
	struct bpf_htab *h = htab_of(map);
	struct htab_elem *e = find(h, key);
	if (!e)
		return NULL;
	mark_used(h, e);
	return elem_value(h, e);
}

/* User space's lookups leave the LRU order alone, as Linux's do. */
static long htab_sys_lookup(struct bpf_map *map, const void *key, void *value)
{
	struct bpf_htab *h = htab_of(map);
	uint64_t irq = irq_save();
	struct htab_elem *e = find(h, key);
	if (e)
		memcpy(value, elem_value(h, e), map->value_size);
	irq_restore(irq);
	return e ? 0 : -ENOENT;
}

static void unlink_elem(struct bpf_htab *h, struct htab_elem **link)
{
	struct htab_elem *e = *link;
	*link = e->next;
	h->count--;
	if (h->lru)
		list_remove(&e->lru);
	if (h->prealloc) {
		e->next = h->free_list;
		h->free_list = e;
	} else {
		kfree(e);
	}
}

/* The least recently used element goes, to make room (LRU_HASH only). */
static void evict_oldest(struct bpf_htab *h)
{
	struct htab_elem *old = list_entry(h->use_order.prev, struct htab_elem, lru);
	unlink_elem(h, find_link(h, old->key, old->hash));
}

/* A free element for a new key: E2BIG when the map is full. */
static long new_elem(struct bpf_htab *h, struct htab_elem **out)
{
	if (h->lru && h->count == h->map.max_entries)
		evict_oldest(h);
	if (h->count == h->map.max_entries)
		return -E2BIG;
	if (h->prealloc) {
		*out = h->free_list;
		h->free_list = (*out)->next;
	} else if (!(*out = kzalloc(h->elem_size))) {
		return -ENOMEM;
	}
	return 0;
}

static long insert(struct bpf_htab *h, const void *key, uint32_t hash, const void *value)
{
	struct htab_elem *e;
	long err = new_elem(h, &e);
	if (err)
		return err;
	e->hash = hash;
	memcpy(e->key, key, h->map.key_size);
	memcpy(elem_value(h, e), value, h->map.value_size);
	struct htab_elem **bucket = bucket_of(h, hash);
	e->next = *bucket;
	*bucket = e;
	h->count++;
	if (h->lru)
		list_add_after(&h->use_order, &e->lru);
	return 0;
}

static long htab_update(struct bpf_map *map, const void *key, const void *value, uint64_t flags)
{
	long err = bpf_map_update_flags_ok(flags);
	if (err)
		return err;
	struct bpf_htab *h = htab_of(map);
	uint32_t hash = hash_key(h, key);
	uint64_t irq = irq_save(); /* one change at a time, even from an interrupt's program */
	struct htab_elem **link = find_link(h, key, hash);
	if (link && flags == BPF_NOEXIST)
		err = -EEXIST;
	else if (!link && flags == BPF_EXIST)
		err = -ENOENT;
	else if (link) {
		memcpy(elem_value(h, *link), value, map->value_size);
		mark_used(h, *link);
	} else {
		err = insert(h, key, hash, value);
	}
	irq_restore(irq);
	return err;
}

static long htab_delete(struct bpf_map *map, const void *key)
{
	struct bpf_htab *h = htab_of(map);
	uint64_t irq = irq_save();
	struct htab_elem **link = find_link(h, key, hash_key(h, key));
	if (link)
		unlink_elem(h, link);
	irq_restore(irq);
	return link ? 0 : -ENOENT;
}

/* The first element in bucket b or after it, or NULL. */
static struct htab_elem *first_from(const struct bpf_htab *h, uint32_t b)
{
	for (; b < h->n_buckets; b++)
		if (h->buckets[b])
			return h->buckets[b];
	return NULL;
}

/*
 * Keys in bucket order, each chain in turn. A key that is not in the map
 * (none given, or deleted meanwhile) restarts from the first, as Linux's
 * does: "get the next key, then delete the key I had" empties a map.
 */
static long htab_get_next_key(struct bpf_map *map, const void *key, void *next_key)
{
	struct bpf_htab *h = htab_of(map);
	uint64_t irq = irq_save();
	struct htab_elem *e = key ? find(h, key) : NULL, *next;
	if (!e)
		next = first_from(h, 0);
	else
		next = e->next ? e->next : first_from(h, (e->hash & (h->n_buckets - 1)) + 1);
	if (next)
		memcpy(next_key, next->key, map->key_size);
	irq_restore(irq);
	return next ? 0 : -ENOENT;
}

static const struct bpf_map_ops htab_ops = {
	.alloc = htab_alloc,
	.free = htab_free,
	.lookup = htab_lookup,
	.update = htab_update,
	.delete = htab_delete,
	.get_next_key = htab_get_next_key,
};

const struct bpf_map_kind bpf_hash_map_kind = { .ops = &htab_ops, .size = sizeof(struct bpf_htab) };
const struct bpf_map_kind bpf_lru_hash_map_kind = { .ops = &htab_ops,
						    .size = sizeof(struct bpf_htab),
						    .sys_lookup = htab_sys_lookup };
