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

void dir_index_add(struct inode *dir, struct dir_entry *e)
{
	e->pos = 2 + dir->index.added++;
	avl_insert(&dir->index.by_name, &e->by_name, e->name, compare_name);
	avl_insert(&dir->index.by_pos, &e->by_pos, &e->pos, compare_pos);
}

void dir_index_remove(struct inode *dir, struct dir_entry *e)
{
	avl_remove(&dir->index.by_name, e->name, compare_name);
	avl_remove(&dir->index.by_pos, &e->pos, compare_pos);
}

struct dir_entry *dir_index_find(struct inode *dir, const char *name)
{
	struct avl_node *n = avl_find(dir->index.by_name, name, compare_name);
	return n ? container_of(n, struct dir_entry, by_name) : NULL;
}

struct dir_entry *dir_index_from(struct inode *dir, uint64_t pos)
{
	struct avl_node *n = avl_lower_bound(dir->index.by_pos, &pos, compare_pos);
	return n ? container_of(n, struct dir_entry, by_pos) : NULL;
}
