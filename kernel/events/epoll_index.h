/* An epoll set's items found by (file, fd) in O(1) (course section: the
 * integrated event system; high-performance patterns). */
#ifndef KERNEL_EPOLL_INDEX_H
#define KERNEL_EPOLL_INDEX_H

#include "kernel/types.h"

struct file;

/* Embedded in each epoll item: its key and its link in a bucket's chain. */
struct ep_index_node {
	struct ep_index_node *next;
	struct file *file;
	int fd;
};

struct ep_index {
	struct ep_index_node **buckets; /* a power of two of them, or NULL */
	unsigned nbuckets;
	unsigned count;
};

/* Index n under its key (not yet there); 0, or -ENOMEM for the first table. */
int ep_index_add(struct ep_index *ix, struct ep_index_node *n);
void ep_index_remove(struct ep_index *ix, struct ep_index_node *n);
struct ep_index_node *ep_index_find(const struct ep_index *ix, const struct file *f, int fd);
/* Free the table (the items are freed by their owner). */
void ep_index_free(struct ep_index *ix);

#endif
