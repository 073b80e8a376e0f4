/* A directory's entries found by name and by position in O(log n)
 * (course section: files; high-performance patterns). */
#ifndef KERNEL_FS_DIR_INDEX_H
#define KERNEL_FS_DIR_INDEX_H

#include "kernel/avl.h"

struct inode;
struct dir_entry;

struct dir_index {
	struct avl_node *by_name; /* the entries, sorted by name (big directories) */
	struct avl_node *by_pos;  /* the same entries, sorted by position */
	uint64_t added;           /* entries ever added: the next one's position - 2 */
	unsigned count;           /* entries now */
	bool trees;               /* are by_name and by_pos in use? */
};

/* Put e (its name set, already last on dir->entries) into dir's index,
 * with the next position. */
void dir_index_add(struct inode *dir, struct dir_entry *e);
void dir_index_remove(struct inode *dir, struct dir_entry *e);
/* The entry called name, or NULL. */
struct dir_entry *dir_index_find(struct inode *dir, const char *name);
/* The entry at position pos or the first after it, or NULL. */
struct dir_entry *dir_index_from(struct inode *dir, uint64_t pos);

#endif
