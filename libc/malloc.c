/*
 * C library: the heap allocator (course section: the C library on raw
 * syscalls).
 *
 * Design. The heap is the region between the initial program break and the
 * current one (libc/brk.c). It is cut into blocks that lie end to end, each
 * starting with a header:
 *
 *   heap start                                                  break
 *   | hdr | payload ... | hdr | payload | hdr | payload ...........|
 *
 * The headers form a doubly-linked list in address order, so every block
 * knows both of its neighbours. A flag in the header says whether the block
 * is free; that list, walked skipping the used blocks, is our free list.
 *
 *   malloc(n)   first fit: take the first free block of at least n bytes.
 *               If it is much bigger, split it and leave the rest free.
 *               If none is big enough, move the break up (sbrk) and make a
 *               new block at the end.
 *   free(p)     mark the block free, then coalesce: merge it with the next
 *               and the previous block if they are free, so that freed
 *               neighbours become one big block again instead of many
 *               small ones no request fits in (fragmentation).
 *   realloc     grow in place when the next block is free and big enough,
 *               otherwise allocate, copy and free.
 *
 * Every size is rounded up to a multiple of 16 and headers are 32 bytes, so
 * every payload is 16-byte aligned, as malloc must be for any C type. Memory
 * is never given back to the kernel: a freed block at the end just waits for
 * the next malloc. Production allocators are much faster (separate lists per
 * size class, no walk over used blocks) but follow the same ideas.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALIGN 16
#define MAGIC 0x6d616c6cu	/* "mall": recognises our headers in free() */
#define GROW_MIN (64 * 1024)	/* grow the heap by at least this much */

struct block {
	size_t size;		/* bytes of payload after the header */
	struct block *next;	/* the block just after this one, or NULL */
	struct block *prev;	/* the block just before this one, or NULL */
	unsigned int free;	/* 1 if free, 0 if handed out by malloc */
	unsigned int magic;	/* MAGIC, to catch free() of a wild pointer */
};

#define HDR sizeof(struct block)	/* 32 bytes */

/* The first and last blocks of the heap, NULL until the first malloc. */
static struct block *first, *last;

static size_t round_up(size_t n)
{
	return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void *payload(struct block *b)
{
	return (char *)b + HDR;
}

static struct block *header(void *p)
{
	return (struct block *)((char *)p - HDR);
}

/* Something is badly wrong (a double free, or a pointer malloc never gave
 * out): stop now, before the heap gets corrupted further. */
__attribute__((noreturn)) static void heap_error(const char *what, void *p)
{
	dprintf(STDERR_FILENO, "malloc: %s (%p)\n", what, p);
	abort();
}

/* True if the block after b is free and starts right where b's payload ends.
 * Normally blocks touch; but a program that moves the break itself with
 * sbrk leaves a gap that is not ours, and we must not merge across it. */
static int next_is_free(struct block *b)
{
	return b->next && b->next->free &&
	       (char *)payload(b) + b->size == (char *)b->next;
}

/* Merges b with the block after it (see next_is_free). The next header
 * simply becomes part of b's payload. */
static void merge_with_next(struct block *b)
{
	struct block *n = b->next;

	b->size += HDR + n->size;
	b->next = n->next;
	if (n->next)
		n->next->prev = b;
	else
		last = b;
	n->magic = 0;		/* no longer a header */
}

/* If b is bigger than size by enough to hold another block, cut the excess
 * off as a new free block just after it. */
static void split(struct block *b, size_t size)
{
	struct block *rest;

	if (b->size < size + HDR + ALIGN)
		return;		/* the leftover would be too small to use */
	rest = (struct block *)((char *)payload(b) + size);
	rest->size = b->size - size - HDR;
	rest->free = 1;
	rest->magic = MAGIC;
	rest->prev = b;
	rest->next = b->next;
	if (b->next)
		b->next->prev = rest;
	else
		last = rest;
	b->next = rest;
	b->size = size;
	/* The block after rest may be free: merge so free blocks stay whole. */
	if (next_is_free(rest))
		merge_with_next(rest);
}

/* First fit: the lowest free block that is big enough. */
static struct block *find_fit(size_t size)
{
	for (struct block *b = first; b; b = b->next)
		if (b->free && b->size >= size)
			return b;
	return NULL;
}

/* Moves the break up to add a free block of at least size bytes at the end
 * of the heap, merged with the last block if that one is free. */
static struct block *grow(size_t size)
{
	size_t bytes = HDR + size < GROW_MIN ? GROW_MIN : HDR + size;
	struct block *b;

	if (first == NULL) {
		/* The initial break can be anywhere: align the heap's start. */
		uintptr_t brk0 = (uintptr_t)sbrk(0);
		if (sbrk((intptr_t)(round_up(brk0) - brk0)) == (void *)-1)
			return NULL;
	}
	b = sbrk((intptr_t)bytes);
	if (b == (void *)-1)
		return NULL;	/* sbrk has set errno to ENOMEM */
	b->size = bytes - HDR;
	b->free = 1;
	b->magic = MAGIC;
	b->next = NULL;
	b->prev = last;
	if (last)
		last->next = b;
	else
		first = b;
	last = b;
	if (b->prev && b->prev->free && next_is_free(b->prev)) {
		b = b->prev;
		merge_with_next(b);
	}
	return b;
}

void *malloc(size_t n)
{
	struct block *b;
	size_t size;

	if (n > PTRDIFF_MAX - GROW_MIN) {	/* rounding up would overflow */
		errno = ENOMEM;
		return NULL;
	}
	size = n == 0 ? ALIGN : round_up(n);	/* malloc(0): a unique pointer */
	b = find_fit(size);
	if (b == NULL)
		b = grow(size);
	if (b == NULL)
		return NULL;
	split(b, size);
	b->free = 0;
	return payload(b);
}

void free(void *p)
{
	struct block *b;

	if (p == NULL)
		return;
	b = header(p);
	if (b->magic != MAGIC)
		heap_error("free of a pointer malloc did not return (or freed twice)", p);
	if (b->free)
		heap_error("double free", p);
	b->free = 1;
	if (next_is_free(b))
		merge_with_next(b);
	if (b->prev && b->prev->free && next_is_free(b->prev))
		merge_with_next(b->prev);
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	/* nmemb * size must not wrap around to a small number. */
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);	/* reused blocks hold old data */
	return p;
}

void *realloc(void *p, size_t n)
{
	struct block *b;
	size_t size;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {			/* as glibc: free it, return NULL */
		free(p);
		return NULL;
	}
	if (n > PTRDIFF_MAX - GROW_MIN) {
		errno = ENOMEM;
		return NULL;
	}
	b = header(p);
	if (b->magic != MAGIC || b->free)
		heap_error("realloc of a pointer malloc did not return", p);
	size = round_up(n);
	/* Growing: absorb the next block if it is free and that is enough. */
	if (b->size < size && next_is_free(b) &&
	    b->size + HDR + b->next->size >= size)
		merge_with_next(b);
	if (b->size >= size) {		/* fits in place: give back the excess */
		split(b, size);
		return p;
	}
	q = malloc(n);
	if (q == NULL)
		return NULL;		/* the old block stays valid */
	memcpy(q, p, b->size);
	free(p);
	return q;
}
