/*
 * Finding an epoll item by (file, fd) among a thousand as fast as among ten
 * (course section: the integrated event system; high-performance patterns).
 *
 * Every epoll_ctl starts by finding the item for its descriptor; a list of
 * items made ADD cost a comparison per item already in the set. Linux keeps
 * the items in a red-black tree ordered by (file, fd): O(log n). We use a
 * hash table, O(1) on average: the key is hashed to a bucket, each bucket
 * a short chain of items. The table doubles when the items outnumber the
 * buckets, so the chains stay about one long; moving every item to the new
 * table costs O(n), but only after n additions, so an ADD costs the same on
 * average at any size (the same argument as for a growing array). A table
 * that cannot grow (no memory) just keeps longer chains: still correct. It
 * never shrinks while the set lives, and goes with the set.
 */
#include "kernel/events/epoll_index.h"
#include "libc/include/abi/errno.h"
#include "mm/heap.h"

#define FIRST_BUCKETS 8

/* Mix the file's address (whose low bits are alignment, always 0) with
 * the descriptor: Knuth's multiplicative hash keeps the high bits. */
static unsigned bucket_of(const struct ep_index *ix, const struct file *f, int fd)
{
	uint64_t key = ((uint64_t)f >> 4) ^ ((uint64_t)(unsigned)fd << 32);
	return (unsigned)((key * 0x9e3779b97f4a7c15ull) >> 32) & (ix->nbuckets - 1);
}

/* Move every item into a table of n buckets; false if there is no memory. */
static bool rehash(struct ep_index *ix, unsigned n)
{
	struct ep_index_node **fresh = kzalloc(n * sizeof(*fresh));
	if (!fresh)
		return false;
	struct ep_index old = *ix;
	ix->buckets = fresh;
	ix->nbuckets = n;
	for (unsigned b = 0; b < old.nbuckets; b++) {
		while (old.buckets[b]) {
			struct ep_index_node *node = old.buckets[b];
			old.buckets[b] = node->next;
			unsigned to = bucket_of(ix, node->file, node->fd);
			node->next = fresh[to];
			fresh[to] = node;
		}
	}
	kfree(old.buckets);
	return true;
}

int ep_index_add(struct ep_index *ix, struct ep_index_node *n)
{
	if (!ix->buckets && !rehash(ix, FIRST_BUCKETS))
		return -ENOMEM;
	if (ix->count >= ix->nbuckets)
		rehash(ix, ix->nbuckets * 2); /* if it fails, the chains just grow */
	unsigned b = bucket_of(ix, n->file, n->fd);
	n->next = ix->buckets[b];
	ix->buckets[b] = n;
	ix->count++;
	return 0;
}

void ep_index_remove(struct ep_index *ix, struct ep_index_node *n)
{
	struct ep_index_node **link = &ix->buckets[bucket_of(ix, n->file, n->fd)];
	while (*link != n)
		link = &(*link)->next;
	*link = n->next;
	ix->count--;
}

struct ep_index_node *ep_index_find(const struct ep_index *ix, const struct file *f, int fd)
{
	if (!ix->buckets)
		return NULL;
	struct ep_index_node *n = ix->buckets[bucket_of(ix, f, fd)];
	while (n && (n->file != f || n->fd != fd))
		n = n->next;
	return n;
}

void ep_index_free(struct ep_index *ix)
{
	kfree(ix->buckets);
	ix->buckets = NULL;
	ix->nbuckets = ix->count = 0;
}
