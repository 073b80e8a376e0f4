/*
 * Host unit test of the eBPF array and hash maps (course section: eBPF,
 * the revolution in kernel programming). The map code is pure C over
 * kmalloc; here kmalloc is malloc, so valgrind and printf are at hand.
 * Checks Linux's attribute errnos, the update flags, iteration (also while
 * deleting), E2BIG when full, LRU eviction, and that a hash lookup does not
 * cost more in a big map than in a small one (chain lengths stay short).
 *
 * UNIT_SOURCES: kernel/bpf/map_types.c kernel/bpf/map_array.c
 */
#include "unit.h"
#include "kernel/bpf/map.h"
#include "libc/include/abi/errno.h"
#include "kernel/bpf/map_hash.c"

#include <string.h>

uint8_t *host_phys_base;
static size_t allocated; /* live kmalloc blocks: the leak check */

void *kmalloc(size_t n) { allocated++; return malloc(n); }
void *kzalloc(size_t n) { allocated++; return calloc(1, n); }
void kfree(void *p) { if (p) allocated--; free(p); }
size_t frames_total_count(void) { return 1 << 16; } /* 256 MiB, as a small QEMU */
phys_addr_t frame_alloc_contig(size_t n) { (void)n; return 4096; } /* the mmap case is tested booted */
void frame_free_contig(phys_addr_t f, size_t n) { (void)f; (void)n; }
void random_fill(void *buf, size_t n) { memset(buf, 0x5a, n); }
static bool is_root = true;
bool capable(int cap) { (void)cap; return is_root; }
/* The fd arrays and the ringbuf are tested booted (they need files). */
const struct bpf_map_kind bpf_prog_array_map_kind, bpf_perf_event_array_map_kind, bpf_ringbuf_map_kind;

/* BPF_MAP_CREATE's part that the map types do not: the common fields. */
static struct bpf_map *create(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags, long *err)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type, a.key_size = ks, a.value_size = vs, a.max_entries = max, a.map_flags = flags;
	struct bpf_map *m = kzalloc(bpf_map_type_size(type));
	m->ops = bpf_map_type_ops(type);
	m->type = type, m->key_size = ks, m->value_size = vs, m->max_entries = max, m->map_flags = flags;
	*err = m->ops->alloc(m, &a);
	if (*err) {
		kfree(m);
		return NULL;
	}
	return m;
}

static long create_err(uint32_t type, uint32_t ks, uint32_t vs, uint32_t max, uint32_t flags)
{
	long err;
	struct bpf_map *m = create(type, ks, vs, max, flags, &err);
	if (m) {
		m->ops->free(m);
		kfree(m);
	}
	return err;
}

static void destroy(struct bpf_map *m)
{
	m->ops->free(m); /* what the type allocated; the object is BPF_MAP_CREATE's */
	kfree(m);
}

/* The errnos Linux 6.18 gave for the same attributes (user/tests/bpf_maps
 * checks them against the host too). */
static void test_attributes(void)
{
	CHECK_EQ("array: value_size 0", create_err(BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0), -EINVAL);
	CHECK_EQ("array: key_size 8", create_err(BPF_MAP_TYPE_ARRAY, 8, 8, 4, 0), -EINVAL);
	CHECK_EQ("array: max_entries 0", create_err(BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0), -EINVAL);
	CHECK_EQ("array: value_size > INT_MAX", create_err(BPF_MAP_TYPE_ARRAY, 4, 0x80000000u, 4, 0), -E2BIG);
	CHECK_EQ("array: more than all memory", create_err(BPF_MAP_TYPE_ARRAY, 4, 8, 0xffffffffu, 0), -ENOMEM);
	CHECK_EQ("array: NO_PREALLOC", create_err(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_NO_PREALLOC), -EINVAL);
	CHECK_EQ("array: RDONLY|WRONLY", create_err(BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY), -EINVAL);
	CHECK_EQ("percpu: 32 KiB value", create_err(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32768, 4, 0), 0);
	CHECK_EQ("percpu: 32 KiB + 1", create_err(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4, 0), -E2BIG);
	CHECK_EQ("percpu: MMAPABLE", create_err(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, BPF_F_MMAPABLE), -EINVAL);
	CHECK_EQ("hash: key_size 0", create_err(BPF_MAP_TYPE_HASH, 0, 8, 4, 0), -EINVAL);
	CHECK_EQ("hash: max_entries 2^32-1", create_err(BPF_MAP_TYPE_HASH, 4, 8, 0xffffffffu, 0), -E2BIG);
	CHECK_EQ("hash: max_entries 2^28+1", create_err(BPF_MAP_TYPE_HASH, 4, 8, (1u << 28) + 1, 0), -E2BIG);
	CHECK_EQ("hash: element over 4 MiB", create_err(BPF_MAP_TYPE_HASH, 4, 4194304 - 48 - 4, 4, 0), -E2BIG);
	CHECK_EQ("hash: element just fits", create_err(BPF_MAP_TYPE_HASH, 4, 4194304 - 48 - 5, 4, BPF_F_NO_PREALLOC), 0);
	CHECK_EQ("hash: MMAPABLE", create_err(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_MMAPABLE), -EINVAL);
	CHECK_EQ("hash: NO_COMMON_LRU", create_err(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU), -EINVAL);
	CHECK_EQ("lru: NO_PREALLOC", create_err(BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC), -ENOTSUPP);
	is_root = false;
	CHECK_EQ("hash: ZERO_SEED needs CAP_SYS_ADMIN", create_err(BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_ZERO_SEED), -EPERM);
	is_root = true;
	CHECK("unknown type has no ops", !bpf_map_type_ops(99) && !bpf_map_type_size(99));
}

static void test_array(void)
{
	long err;
	struct bpf_map *m = create(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4, 0, &err);
	uint32_t k = 0, nk;
	uint64_t v = 0xabababababababab, out = 0;
	CHECK_EQ("percpu value size is rounded", bpf_map_value_size(m), 8);
	CHECK_EQ("array update", m->ops->update(m, &k, &v, BPF_ANY), 0);
	CHECK_EQ("array copy", bpf_map_copy_value(m, &k, &out), 0);
	CHECK("array value whole (rounded bytes too)", out == v);
	CHECK_EQ("array NOEXIST", m->ops->update(m, &k, &v, BPF_NOEXIST), -EEXIST);
	CHECK_EQ("array EXIST", m->ops->update(m, &k, &v, BPF_EXIST), 0);
	CHECK_EQ("array flags 3", m->ops->update(m, &k, &v, 3), -EINVAL);
	CHECK_EQ("array F_LOCK", m->ops->update(m, &k, &v, BPF_F_LOCK), -EINVAL);
	k = 4;
	CHECK_EQ("array update out of range", m->ops->update(m, &k, &v, BPF_ANY), -E2BIG);
	CHECK_EQ("array lookup out of range", bpf_map_copy_value(m, &k, &out), -ENOENT);
	CHECK_EQ("array delete", m->ops->delete(m, &k), -EINVAL);
	CHECK_EQ("array next of 4 (past the end)", m->ops->get_next_key(m, &k, &nk) == 0 ? nk : 99, 0);
	k = 2;
	CHECK_EQ("array next of 2", m->ops->get_next_key(m, &k, &nk) == 0 ? nk : 99, 3);
	k = 3;
	CHECK_EQ("array next of the last", m->ops->get_next_key(m, &k, &nk), -ENOENT);
	CHECK_EQ("array first", m->ops->get_next_key(m, NULL, &nk) == 0 ? nk : 99, 0);
	destroy(m);
}

static long update(struct bpf_map *m, uint32_t k, uint64_t v, uint64_t flags)
{
	return m->ops->update(m, &k, &v, flags);
}

static void test_hash_semantics(void)
{
	long err;
	struct bpf_map *m = create(BPF_MAP_TYPE_HASH, 4, 8, 2, 0, &err);
	uint32_t k = 1, nk;
	CHECK_EQ("hash empty: first", m->ops->get_next_key(m, NULL, &nk), -ENOENT);
	CHECK_EQ("hash EXIST on missing", update(m, 1, 7, BPF_EXIST), -ENOENT);
	CHECK_EQ("hash NOEXIST", update(m, 1, 7, BPF_NOEXIST), 0);
	CHECK_EQ("hash NOEXIST again", update(m, 1, 7, BPF_NOEXIST), -EEXIST);
	CHECK_EQ("hash second", update(m, 2, 8, BPF_ANY), 0);
	CHECK_EQ("hash full", update(m, 3, 9, BPF_ANY), -E2BIG);
	CHECK_EQ("hash full, replace", update(m, 1, 10, BPF_ANY), 0);
	uint64_t out = 0;
	CHECK_EQ("hash lookup", bpf_map_copy_value(m, &k, &out) == 0 ? out : 0, 10);
	CHECK_EQ("hash delete", m->ops->delete(m, &k), 0);
	CHECK_EQ("hash delete again", m->ops->delete(m, &k), -ENOENT);
	k = 9;
	CHECK_EQ("hash next of a missing key is the first", m->ops->get_next_key(m, &k, &nk) == 0 ? nk : 0, 2);
	destroy(m);

	m = create(BPF_MAP_TYPE_HASH, 4, 8, 2, BPF_F_NO_PREALLOC, &err);
	update(m, 1, 1, 0);
	update(m, 2, 2, 0);
	CHECK_EQ("hash no-prealloc full", update(m, 3, 3, BPF_ANY), -E2BIG);
	CHECK_EQ("hash no-prealloc replace", update(m, 1, 3, BPF_ANY), 0);
	destroy(m);
}

/* Walk the keys, deleting the previous one each step: every key is seen once. */
static void test_hash_iteration(void)
{
	long err;
	enum { N = 1000 };
	struct bpf_map *m = create(BPF_MAP_TYPE_HASH, 4, 8, N, 0, &err);
	for (uint32_t k = 0; k < N; k++)
		update(m, k, k * 3, BPF_ANY);
	static bool seen[N];
	int visits = 0, dups = 0;
	uint32_t cur, next;
	bool have = false;
	while (m->ops->get_next_key(m, have ? &cur : NULL, &next) == 0) {
		if (next >= N || seen[next])
			dups++;
		else
			seen[next] = true;
		visits++;
		if (have)
			m->ops->delete(m, &cur);
		cur = next, have = true;
	}
	m->ops->delete(m, &cur);
	CHECK_EQ("iterating while deleting sees each key once", visits, N);
	CHECK_EQ("no key seen twice", dups, 0);
	CHECK_EQ("and empties the map", m->ops->get_next_key(m, NULL, &next), -ENOENT);
	destroy(m);
}

/* The longest chain in a map of n keys (the hash file is included whole,
 * so its struct is visible): it must not grow with n. */
static uint32_t longest_chain(uint32_t n)
{
	long err;
	struct bpf_map *m = create(BPF_MAP_TYPE_HASH, 4, 8, n, 0, &err);
	for (uint32_t k = 0; k < n; k++)
		update(m, k * 7919, k, BPF_ANY);
	struct bpf_htab *h = htab_of(m);
	uint32_t longest = 0;
	for (uint32_t b = 0; b < h->n_buckets; b++) {
		uint32_t len = 0;
		for (struct htab_elem *e = h->buckets[b]; e; e = e->next)
			len++;
		longest = len > longest ? len : longest;
	}
	destroy(m);
	return longest;
}

static void test_chains(void)
{
	uint32_t small = longest_chain(10), big = longest_chain(100000);
	printf("longest chain: %u in a map of 10 keys, %u in a map of 100,000\n", small, big);
	CHECK("chains stay short in a big map", big <= 12);
}

static void test_lru(void)
{
	long err;
	struct bpf_map *m = create(BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0, &err);
	int fails = 0;
	for (uint32_t k = 0; k < 100; k++) {
		fails += update(m, k, k, BPF_ANY) != 0;
		uint32_t hot = 0; /* key 0, looked up by a "program" each time, stays */
		m->ops->lookup(m, &hot);
	}
	CHECK_EQ("lru never full", fails, 0);
	uint32_t k = 0, cur, next;
	int count = 0;
	for (bool have = false; m->ops->get_next_key(m, have ? &cur : NULL, &next) == 0; have = true)
		cur = next, count++;
	CHECK_EQ("lru holds max_entries", count, 4);
	uint64_t v;
	CHECK_EQ("lru kept the key in use", bpf_map_copy_value(m, &k, &v), 0);
	k = 50;
	CHECK_EQ("lru evicted an old key", bpf_map_copy_value(m, &k, &v), -ENOENT);
	destroy(m);
}

int main(void)
{
	unit_suite = "bpf_maps";
	test_attributes();
	test_array();
	test_hash_semantics();
	test_hash_iteration();
	test_lru();
	test_chains();
	CHECK_EQ("every allocation freed", allocated, 0);
	return unit_done();
}
