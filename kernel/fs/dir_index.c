/*
 * Directory indexes: finding a name among 10,000 as fast as among 10
 * (course section: files; high-performance patterns).
 *
 * A directory's entries sit on a list in the order they were made; walking
 * it to find a name costs a comparison per entry, so opening or creating a
 * file in a directory of 10,000 cost a thousand times what it costs in one
 * of 10. Each directory therefore also keeps its entries in two balanced
 * trees (kernel/avl.c), embedded in the entries themselves so that they
 * cost no allocation:
 *
 *   by name      lookup, create, unlink and rename find a name in
 *                O(log n) string comparisons: 10,000 entries are at most
 *                19 levels deep;
 *   by position  every entry gets a position when it is added: 2, 3, 4...
 *                (0 and 1 are "." and ".."), never reused in that directory.
 *                getdents' file offset is a position, and it resumes at the
 *                first entry at or after it. Entries removed between two
 *                calls are simply gone, entries added get later positions:
 *                no entry is lost or returned twice, as POSIX asks of
 *                readdir while the directory changes. (An index into the
 *                list would skip the entry after a removed one.)
 *
 * Small directories -- most of them: /proc/PID has three files -- keep only
 * the list: below a dozen entries, walking it costs fewer instructions
 * than a tree's rebalancing, and every fork makes and removes such a
 * directory. A directory that grows past TREE_FROM entries gets its trees
 * (built once from the list); one that shrinks below LIST_BELOW drops them.
 * The gap between the two keeps a directory that hovers near one size from
 * building and dropping trees at every other call. The trees live in the
 * entries, so dropping them frees nothing and building them allocates
 * nothing.
 *
 * Linux does the same job with a hash table of names for all directories
 * (the dentry cache) and, for tmpfs since 6.6, a tree of offsets per
 * directory. A tree costs a few more comparisons than a hash table but never
 * needs resizing, so its memory is the entries' own and each operation's
 * cost is bounded, not just on average.
 */
#include "kernel/fs/dir_index.h"
#include "kernel/fs/vfs.h"
#include "libc/include/string.h"

static int compare_name(const void *key, const struct avl_node *n)
{
	return strcmp(key, container_of(n, struct dir_entry, by_name)->name);
}

static int compare_pos(const void *key, const struct avl_node *n)
{
	uint64_t pos = *(const uint64_t *)key, at = container_of(n, struct dir_entry, by_pos)->pos;
	return pos < at ? -1 : pos > at;
}

#define TREE_FROM 16 /* more entries than this: index them in trees */
#define LIST_BELOW 8 /* fewer than this: the list alone */

static void tree_insert(struct dir_index *ix, struct dir_entry *e)
{
	avl_insert(&ix->by_name, &e->by_name, e->name, compare_name);
	avl_insert(&ix->by_pos, &e->by_pos, &e->pos, compare_pos);
}

static void build_trees(struct inode *dir)
{
	struct dir_index *ix = &dir->index;
	ix->trees = true;
	struct list_node *n;
	list_for_each(n, &dir->entries)
		tree_insert(ix, list_entry(n, struct dir_entry, node));
}

void dir_index_add(struct inode *dir, struct dir_entry *e)
{
	struct dir_index *ix = &dir->index;
	e->pos = 2 + ix->added++;
	ix->count++;
	if (ix->trees)
		tree_insert(ix, e);
	else if (ix->count > TREE_FROM)
		build_trees(dir);
}

void dir_index_remove(struct inode *dir, struct dir_entry *e)
{
	struct dir_index *ix = &dir->index;
	ix->count--;
	if (!ix->trees)
		return;
	if (ix->count < LIST_BELOW) {
		ix->trees = false;
		ix->by_name = ix->by_pos = NULL;
		return;
	}
	avl_remove(&ix->by_name, e->name, compare_name);
	avl_remove(&ix->by_pos, &e->pos, compare_pos);
}

struct dir_entry *dir_index_find(struct inode *dir, const char *name)
{
	if (!dir->index.trees) {
		struct list_node *n;
		list_for_each(n, &dir->entries) {
			struct dir_entry *e = list_entry(n, struct dir_entry, node);
			if (!strcmp(e->name, name))
				return e;
		}
		return NULL;
	}
	struct avl_node *n = avl_find(dir->index.by_name, name, compare_name);
	return n ? container_of(n, struct dir_entry, by_name) : NULL;
}

struct dir_entry *dir_index_from(struct inode *dir, uint64_t pos)
{
	if (!dir->index.trees) {
		struct list_node *n;
		list_for_each(n, &dir->entries) { /* the list is in position order */
			struct dir_entry *e = list_entry(n, struct dir_entry, node);
			if (e->pos >= pos)
				return e;
		}
		return NULL;
	}
	struct avl_node *n = avl_lower_bound(dir->index.by_pos, &pos, compare_pos);
	return n ? container_of(n, struct dir_entry, by_pos) : NULL;
}
