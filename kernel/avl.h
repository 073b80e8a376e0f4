/*
 * AVL trees: sorted sets with O(log n) find, insert and remove (course
 * section: the kernel's C dialect; high-performance patterns).
 *
 * Like list.h's lists, the tree is intrusive: a struct kept in a tree embeds
 * a `struct avl_node`, and one struct can sit in several trees at once (a
 * directory entry is in its directory's tree by name and in the one by
 * position). The caller orders the tree with a comparison function that
 * compares a key with a node. kernel/avl.c explains the balancing.
 */
#ifndef KERNEL_AVL_H
#define KERNEL_AVL_H

#include "kernel/types.h"

struct avl_node {
	struct avl_node *left, *right;
	int height; /* of the subtree below and including this node: 1 for a leaf */
};

/* Negative if key sorts before node, 0 if it is node's key, positive after. */
typedef int (*avl_compare)(const void *key, const struct avl_node *node);

/* The node whose key equals key, or NULL. */
static inline struct avl_node *avl_find(struct avl_node *root, const void *key, avl_compare cmp)
{
	while (root) {
		int c = cmp(key, root);
		if (c == 0)
			return root;
		root = c < 0 ? root->left : root->right;
	}
	return NULL;
}

/* The first node whose key is at or after key, or NULL. */
struct avl_node *avl_lower_bound(struct avl_node *root, const void *key, avl_compare cmp);
/* Insert n under its key (which must not be in the tree yet). */
void avl_insert(struct avl_node **root, struct avl_node *n, const void *key, avl_compare cmp);
/* Remove the node whose key is key (it must be in the tree). */
void avl_remove(struct avl_node **root, const void *key, avl_compare cmp);

#endif
