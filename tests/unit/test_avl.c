/*
 * Host unit test of the AVL tree (course section: the kernel's C dialect).
 * Keys go in shuffled, in order and in reverse; after every change the tree
 * must be sorted, balanced (sides within one everywhere) and hold exactly
 * the keys put in and not yet removed.
 *
 * UNIT_SOURCES: kernel/avl.c
 */
#include "unit.h"
#include "kernel/avl.h"

#include <stddef.h>

#define N 2000

struct item {
	struct avl_node node;
	int key;
};

static struct item items[N];

static int compare(const void *key, const struct avl_node *n)
{
	int k = *(const int *)key, nk = ((const struct item *)n)->key;
	return k < nk ? -1 : k > nk;
}

/* The subtree's height if it is a sorted, balanced AVL tree with correct
 * heights and keys in (lo, hi); -1 otherwise. Counts its nodes in *count. */
static int check(const struct avl_node *n, int lo, int hi, int *count)
{
	if (!n)
		return 0;
	int k = ((const struct item *)n)->key;
	if (k <= lo || k >= hi)
		return -1;
	int l = check(n->left, lo, k, count), r = check(n->right, k, hi, count);
	if (l < 0 || r < 0 || l - r > 1 || r - l > 1)
		return -1;
	int h = 1 + (l > r ? l : r);
	(*count)++;
	return n->height == h ? h : -1;
}

static bool valid(struct avl_node *root, int expected)
{
	int count = 0;
	return check(root, -1, N, &count) >= 0 && count == expected;
}

static void run(const char *what, int order[N])
{
	struct avl_node *root = NULL;
	bool ok = true;
	int count = 0;
	for (int i = 0; i < N; i++) {
		int k = order[i];
		items[k].key = k;
		avl_insert(&root, &items[k].node, &k, compare);
		count++;
		if (i % 97 == 0 || i == N - 1)
			ok &= valid(root, count);
	}
	char name[160];
	snprintf(name, sizeof(name), "%s: every insert keeps it sorted and balanced", what);
	CHECK(name, ok);
	snprintf(name, sizeof(name), "%s: the height stays near log2(n)", what);
	CHECK(name, root->height <= 16); /* 1.44 log2(2000) is about 15.8 */

	ok = true;
	for (int k = 0; k < N; k++) {
		struct avl_node *found = avl_find(root, &k, compare);
		ok &= found == &items[k].node;
		int probe = k;
		ok &= avl_lower_bound(root, &probe, compare) == &items[k].node;
	}
	snprintf(name, sizeof(name), "%s: find and lower_bound find every key", what);
	CHECK(name, ok);

	/* Remove the odd keys: lower_bound of an odd key is the next even one. */
	ok = true;
	for (int i = 0; i < N; i++) {
		int k = order[i];
		if (k % 2 == 0)
			continue;
		avl_remove(&root, &k, compare);
		count--;
		if (i % 89 == 0)
			ok &= valid(root, count);
	}
	ok &= valid(root, count);
	for (int k = 1; k < N - 1; k += 2) {
		struct avl_node *next = avl_lower_bound(root, &k, compare);
		ok &= next == &items[k + 1].node && !avl_find(root, &k, compare);
	}
	snprintf(name, sizeof(name), "%s: removes keep it balanced; lower_bound skips gaps", what);
	CHECK(name, ok);

	for (int k = 0; k < N; k += 2)
		avl_remove(&root, &k, compare);
	snprintf(name, sizeof(name), "%s: removing every key empties it", what);
	CHECK(name, root == NULL);
}

int main(void)
{
	unit_suite = "avl";
	static int order[N];
	for (int i = 0; i < N; i++)
		order[i] = i;
	run("ascending", order);
	for (int i = 0; i < N; i++)
		order[i] = N - 1 - i;
	run("descending", order);
	unsigned seed = 12345;
	for (int i = N - 1; i > 0; i--) {
		seed = seed * 1103515245 + 12345;
		int j = (int)((seed >> 8) % (unsigned)(i + 1));
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	run("shuffled", order);
	return unit_failures != 0;
}
