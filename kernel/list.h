/*
 * Intrusive doubly linked lists (course section: the kernel's C dialect).
 *
 * A struct that lives on a list embeds a `struct list_node`; the list head
 * is a node too, linked to itself when empty. container_of() gets from a
 * node back to the struct around it. One list type serves run queues, wait
 * queues, children, memory regions...
 */
#ifndef KERNEL_LIST_H
#define KERNEL_LIST_H

#include "kernel/types.h"

struct list_node {
	struct list_node *next, *prev;
};

#define LIST_INIT(name) { &(name), &(name) }

static inline void list_init(struct list_node *head) { head->next = head->prev = head; }
static inline bool list_empty(const struct list_node *head) { return head->next == head; }

static inline void list_insert_between(struct list_node *n, struct list_node *prev, struct list_node *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

/* Insert n after pos (at the front when pos is the head). */
static inline void list_add_after(struct list_node *pos, struct list_node *n) { list_insert_between(n, pos, pos->next); }
/* Insert n before pos (at the back when pos is the head). */
static inline void list_add_before(struct list_node *pos, struct list_node *n) { list_insert_between(n, pos->prev, pos); }
static inline void list_push_back(struct list_node *head, struct list_node *n) { list_add_before(head, n); }

static inline void list_remove(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = n;
}

#define list_entry(node, type, member) container_of(node, type, member)
#define list_first(head, type, member) list_entry((head)->next, type, member)

/* Iterate, as Linux's macros do: the caller declares the cursor,
 *	struct list_node *n;
 *	list_for_each(n, &all_tasks) { struct task *t = list_entry(n, struct task, all); ... }
 * The _safe form keeps the next node in `tmp`, so the loop may remove `pos`. */
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, tmp, head) \
	for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif
