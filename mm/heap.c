/*
 * The kernel heap: kmalloc and kfree (course section: memory).
 *
 * Design: a "slab" allocator with power-of-two size classes, on top of the
 * frame allocator, reached through the direct map.
 *
 *  - Small requests (up to 2 KiB) are rounded up to a size class (32, 64,
 *    ..., 2048 bytes). A slab is one 4 KiB frame holding objects of one
 *    class: a header at the start of the frame, then the objects. Free
 *    objects of a slab are chained through their first word. Each class
 *    keeps a list of slabs that still have free objects.
 *  - Large requests get their own run of contiguous frames, with the same
 *    kind of header at the start of the first frame.
 *
 * So kfree(p) needs no size: the header of the frame p lies in (p rounded
 * down to 4 KiB) says which kind of block it is. A slab whose last object
 * is freed goes back to the frame allocator at once, so after a test the
 * free-frame count returns to where it was: nothing hides in the heap.
 */
#include "mm/heap.h"
#include "arch/x86_64/cpu.h"
#include "kernel/debug/kasan.h"
#include "arch/x86_64/x86.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/phys.h"

#define SLAB_MAGIC 0x51AB51AB
#define LARGE_MAGIC 0x1A26E000
#define MIN_CLASS_SHIFT 5  /* 32 bytes */
#define MAX_CLASS_SHIFT 11 /* 2048 bytes */
#define NUM_CLASSES (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define HEADER_SIZE 64     /* keeps every object 32-byte aligned */

struct block_header {
	uint32_t magic;
	uint32_t class_shift; /* slab: object size is 1 << class_shift */
	size_t pages;         /* large block: frames in the run */
	uint32_t in_use;      /* slab: objects handed out */
	uint32_t capacity;    /* slab: objects it holds */
	void *free_list;      /* slab: first free object */
	struct block_header *next, *prev; /* slab: in its class's partial list */
	struct block_header *all_next, *all_prev; /* every block: for the leak scanner */
};

_Static_assert(sizeof(struct block_header) <= HEADER_SIZE, "header fits");

static struct block_header *partial[NUM_CLASSES];
static struct block_header *all_blocks;
static size_t block_count;
static size_t bytes_in_use;
static size_t frames_held; /* slabs and large runs: what the heap takes from the frame allocator */

static struct block_header *header_of(void *p)
{
	return (struct block_header *)ALIGN_DOWN((uint64_t)p, PAGE_SIZE);
}

static void list_add(struct block_header **head, struct block_header *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static void list_del(struct block_header **head, struct block_header *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static void all_add(struct block_header *b)
{
	b->all_prev = NULL;
	b->all_next = all_blocks;
	if (all_blocks)
		all_blocks->all_prev = b;
	all_blocks = b;
	block_count++;
}

static void all_del(struct block_header *b)
{
	if (b->all_prev)
		b->all_prev->all_next = b->all_next;
	else
		all_blocks = b->all_next;
	if (b->all_next)
		b->all_next->all_prev = b->all_prev;
	block_count--;
}

static struct block_header *slab_create(unsigned shift)
{
	phys_addr_t f = frame_alloc();
	if (!f)
		return NULL;
	frames_held++;
	struct block_header *s = phys_to_virt(f);
	s->magic = SLAB_MAGIC;
	s->class_shift = shift;
	s->in_use = 0;
	s->capacity = (PAGE_SIZE - HEADER_SIZE) >> shift;
	s->free_list = NULL;
	/* Chain every object into the free list, the first one first. */
	for (int i = s->capacity - 1; i >= 0; i--) {
		void **obj = (void **)((char *)s + HEADER_SIZE + ((size_t)i << shift));
		*obj = s->free_list;
		s->free_list = obj;
	}
	all_add(s);
	return s;
}

static void *slab_alloc(unsigned shift)
{
	struct block_header **head = &partial[shift - MIN_CLASS_SHIFT];
	if (!*head) {
		struct block_header *s = slab_create(shift);
		if (!s)
			return NULL;
		list_add(head, s);
	}
	struct block_header *s = *head;
	void **obj = s->free_list;
	s->free_list = *obj;
	if (++s->in_use == s->capacity)
		list_del(head, s); /* full: no longer a candidate */
	bytes_in_use += 1ul << shift;
	return obj;
}

static void slab_free(struct block_header *s, void *p)
{
	struct block_header **head = &partial[s->class_shift - MIN_CLASS_SHIFT];
	if (s->in_use == s->capacity)
		list_add(head, s); /* it was full; now it has room again */
	*(void **)p = s->free_list;
	s->free_list = p;
	bytes_in_use -= 1ul << s->class_shift;
	if (--s->in_use == 0) {
		list_del(head, s);
		all_del(s);
		s->magic = 0;
		frames_held--;
		frame_free(virt_to_phys(s));
	}
}

static void *large_alloc(size_t size)
{
	size_t pages = ALIGN_UP(size + HEADER_SIZE, PAGE_SIZE) / PAGE_SIZE;
	phys_addr_t f = frame_alloc_contig(pages);
	if (!f)
		return NULL;
	struct block_header *h = phys_to_virt(f);
	h->magic = LARGE_MAGIC;
	h->pages = pages;
	frames_held += pages;
	all_add(h);
	bytes_in_use += pages * PAGE_SIZE;
	return (char *)h + HEADER_SIZE;
}

void *heap_alloc(size_t size)
{
	if (size == 0)
		size = 1;
	uint64_t flags = irq_save();
	void *p;
	if (size > (1ul << MAX_CLASS_SHIFT)) {
		p = large_alloc(size);
	} else {
		unsigned shift = MIN_CLASS_SHIFT;
		while ((1ul << shift) < size)
			shift++;
		p = slab_alloc(shift);
	}
	irq_restore(flags);
	return p;
}

/* Under KASAN (make KASAN=1) every object gets redzones and a quarantine:
 * kernel/debug/kasan_heap.c, built on heap_alloc and heap_free. */
void *kmalloc(size_t size)
{
	return KASAN_ENABLED ? kasan_kmalloc(size) : heap_alloc(size);
}

void kfree(void *p)
{
	if (KASAN_ENABLED)
		kasan_kfree(p);
	else
		heap_free(p);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p)
		memset(p, 0, size);
	return p;
}

void heap_free(void *p)
{
	if (!p)
		return;
	uint64_t flags = irq_save();
	struct block_header *h = header_of(p);
	if (h->magic == SLAB_MAGIC) {
		slab_free(h, p);
	} else if (h->magic == LARGE_MAGIC && (char *)p == (char *)h + HEADER_SIZE) {
		bytes_in_use -= h->pages * PAGE_SIZE;
		all_del(h);
		h->magic = 0;
		frames_held -= h->pages;
		frame_free_contig(virt_to_phys(h), h->pages);
	} else {
		panic("kfree(%p): not a heap block (double free or bad pointer)", p);
	}
	irq_restore(flags);
}

bool heap_slot_of(uint64_t addr, uint64_t *start, size_t *size)
{
	struct block_header *h = header_of((void *)addr);
	if (h->magic == LARGE_MAGIC) {
		*start = (uint64_t)h + HEADER_SIZE;
		*size = h->pages * PAGE_SIZE - HEADER_SIZE;
	} else if (h->magic == SLAB_MAGIC && addr >= (uint64_t)h + HEADER_SIZE) {
		*size = 1ul << h->class_shift;
		*start = addr - (addr - (uint64_t)h - HEADER_SIZE) % *size;
	} else {
		return false;
	}
	return addr >= *start;
}

size_t heap_blocks(struct heap_block *out, size_t max)
{
	size_t n = 0;
	for (struct block_header *b = all_blocks; b && n < max; b = b->all_next, n++) {
		struct heap_block *o = &out[n];
		o->first = (uint64_t)b + HEADER_SIZE;
		o->free_mask[0] = o->free_mask[1] = 0;
		if (b->magic == LARGE_MAGIC) {
			o->object_size = b->pages * PAGE_SIZE - HEADER_SIZE;
			o->count = 1;
			continue;
		}
		o->object_size = 1ul << b->class_shift;
		o->count = b->capacity;
		for (void **f = b->free_list; f; f = *f) {
			size_t i = ((uint64_t)f - o->first) >> b->class_shift;
			o->free_mask[i / 64] |= 1ul << (i % 64);
		}
	}
	return n;
}

size_t heap_block_count(void)
{
	return block_count;
}

size_t heap_frames_held(void)
{
	return frames_held;
}

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}
