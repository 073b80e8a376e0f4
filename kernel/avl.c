/*
 * AVL trees: balancing by rotations (course section: the kernel's C
 * dialect; high-performance patterns).
 *
 * A binary search tree finds a key in as many steps as the tree is high;
 * added in sorted order its nodes would form a chain, n high. An AVL tree
 * (Adelson-Velsky and Landis, 1962) keeps, at every node, the heights of
 * the two subtrees within one of each other, which bounds the height by
 * about 1.44 log2(n): 10,000 entries are at most 19 levels deep. After an
 * insert or a remove, the nodes on the path back up to the root are
 * rebalanced: a node whose sides differ by two is rotated, turning its
 * taller child into the subtree's root (a "double" rotation first turns
 * that child when its inner side is the taller one). Linux uses red-black
 * trees for the same job (epoll items, memory regions); they rebalance less
 * often but are harder to follow. Insert and remove here are recursive,
 * which needs no parent pointers: the recursion's depth is the height.
 */
#include "kernel/avl.h"

static int height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

static void update_height(struct avl_node *n)
{
	int l = height(n->left), r = height(n->right);
	n->height = 1 + (l > r ? l : r);
}

/* Turn n's left child into the subtree's root; n becomes its right child. */
static struct avl_node *rotate_right(struct avl_node *n)
{
	struct avl_node *l = n->left;
	n->left = l->right;
	l->right = n;
	update_height(n);
	update_height(l);
	return l;
}

static struct avl_node *rotate_left(struct avl_node *n)
{
	struct avl_node *r = n->right;
	n->right = r->left;
	r->left = n;
	update_height(n);
	update_height(r);
	return r;
}

/* Restore the balance at n, whose subtrees are balanced and differ in
 * height by at most two; returns the subtree's new root. */
static struct avl_node *rebalance(struct avl_node *n)
{
	update_height(n);
	int balance = height(n->left) - height(n->right);
	if (balance > 1) {
		if (height(n->left->right) > height(n->left->left))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (balance < -1) {
		if (height(n->right->left) > height(n->right->right))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

struct avl_node *avl_lower_bound(struct avl_node *root, const void *key, avl_compare cmp)
{
	struct avl_node *best = NULL;
	while (root) {
		if (cmp(key, root) <= 0) {
			best = root; /* at or after key: a candidate; look for an earlier one */
			root = root->left;
		} else {
			root = root->right;
		}
	}
	return best;
}

static struct avl_node *insert(struct avl_node *t, struct avl_node *n, const void *key, avl_compare cmp)
{
	if (!t) {
		n->left = n->right = NULL;
		n->height = 1;
		return n;
	}
	if (cmp(key, t) < 0)
		t->left = insert(t->left, n, key, cmp);
	else
		t->right = insert(t->right, n, key, cmp);
	return rebalance(t);
}

void avl_insert(struct avl_node **root, struct avl_node *n, const void *key, avl_compare cmp)
{
	*root = insert(*root, n, key, cmp);
}

/* Take the leftmost node out of subtree t into *min; returns t's new root. */
static struct avl_node *remove_min(struct avl_node *t, struct avl_node **min)
{
	if (!t->left) {
		*min = t;
		return t->right;
	}
	t->left = remove_min(t->left, min);
	return rebalance(t);
}

static struct avl_node *remove(struct avl_node *t, const void *key, avl_compare cmp)
{
	if (!t)
		return NULL; /* not in the tree: nothing to do */
	int c = cmp(key, t);
	if (c < 0) {
		t->left = remove(t->left, key, cmp);
		return rebalance(t);
	}
	if (c > 0) {
		t->right = remove(t->right, key, cmp);
		return rebalance(t);
	}
	/* t goes. With two children, its successor (the right subtree's
	 * leftmost node) takes its place. */
	if (!t->left || !t->right)
		return t->left ? t->left : t->right;
	struct avl_node *successor;
	struct avl_node *right = remove_min(t->right, &successor);
	successor->left = t->left;
	successor->right = right;
	return rebalance(successor);
}

void avl_remove(struct avl_node **root, const void *key, avl_compare cmp)
{
	*root = remove(*root, key, cmp);
}
