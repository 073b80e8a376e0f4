/*
 * The leak scanner, as Linux's kmemleak (course section: memory debugging).
 *
 * A leak is an object nobody can free any more: no pointer to it is left
 * anywhere. So the scanner does what a tracing garbage collector does,
 * without collecting anything:
 *
 *   1. list every heap object that is allocated (mm/heap.c keeps a list of
 *      its blocks: slabs and large blocks);
 *   2. mark what the roots point to: every 8-byte word of the kernel's
 *      .data and .bss, of every task's kernel stack (and the boot stack),
 *      of every module's memory;
 *   3. scan each object newly marked the same way, until nothing new is
 *      marked: what a reachable object points to is reachable;
 *   4. report what stays unmarked: "unreferenced object".
 *
 * A word counts as a pointer if it falls anywhere inside an object (list
 * nodes point into the middle of the structure that holds them). So the
 * scan is conservative: a number that happens to look like an address
 * keeps an object alive (a leak missed), never the other way round --
 * except for an object the kernel reaches only through a physical address
 * or a pointer it keeps only in a register, which would be a false report.
 *
 * Reading /proc/kmemleak runs a scan and lists the suspects (Linux keeps
 * them at /sys/kernel/debug/kmemleak; sysgate has no debugfs yet). When
 * the first process exits -- the end of each test's boot -- a scan goes to
 * the kernel log, where tools/test.sh looks for suspects. With
 * KASAN (make KASAN=1) each report also shows who allocated the object;
 * without it, the first bytes of the object are the clue.
 *
 * Compiled without the sanitizers: it reads every word, redzones included.
 */
#include "kernel/debug/kmemleak.h"
#include "kernel/debug/diag.h"
#include "kernel/printk.h"
#include "kernel/debug/kasan.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/oops.h"
#include "kernel/fs/procfs.h"
#include "kernel/module/module.h"
#include "kernel/proc/task.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/phys.h"

#define GRAY_MAX 32768 /* objects waiting to be scanned; past that, rescans */

extern char _rodata_end[], _data_end[], boot_stack_guard[], boot_stack_top[];

struct scan {
	struct heap_block *blocks;
	uint64_t (*marks)[2];   /* per block: bit i, object i reached */
	uint64_t (*scanned)[2]; /* per block: bit i, object i's words scanned */
	size_t n;
	uint64_t *gray;
	size_t ngray;
	bool overflow;
	size_t pages;           /* of the one allocation holding all of the above */
};

static uint64_t block_end(const struct heap_block *b)
{
	return b->first + b->count * b->object_size;
}

/* The block holding addr (binary search: blocks are sorted), or -1. */
static long find_block(const struct scan *s, uint64_t addr)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (addr < s->blocks[mid].first)
			hi = mid;
		else if (addr >= block_end(&s->blocks[mid]))
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

static bool is_set(const uint64_t *mask, size_t i)
{
	return mask[i / 64] & (1ul << (i % 64));
}

static void set(uint64_t *mask, size_t i)
{
	mask[i / 64] |= 1ul << (i % 64);
}

/* An object in quarantine (KASAN) is free already, whatever the heap says. */
static bool in_quarantine(uint64_t obj)
{
	return KASAN_ENABLED && kasan_ready && (uint8_t)*kasan_shadow(obj) == KASAN_SLAB_FREE;
}

static void mark(struct scan *s, uint64_t value)
{
	long b = find_block(s, value);
	if (b < 0)
		return;
	size_t i = (value - s->blocks[b].first) / s->blocks[b].object_size;
	if (is_set(s->blocks[b].free_mask, i) || is_set(s->marks[b], i))
		return;
	set(s->marks[b], i);
	if (s->ngray < GRAY_MAX)
		s->gray[s->ngray++] = ((uint64_t)b << 8) | i;
	else
		s->overflow = true;
}

static void scan_words(struct scan *s, uint64_t lo, uint64_t hi)
{
	for (uint64_t a = ALIGN_UP(lo, 8); a + 8 <= hi; a += 8) {
		uint64_t v = *(const uint64_t *)a;
		if (v >= DIRECT_MAP_BASE && v < DIRECT_MAP_BASE + DIRECT_MAP_MAX)
			mark(s, v);
	}
}

/* Roots have holes: the guard pages under the boot and IST stacks. */
static void scan_mapped(struct scan *s, uint64_t lo, uint64_t hi)
{
	for (uint64_t page = ALIGN_DOWN(lo, PAGE_SIZE); page < hi; page += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(kernel_pml4, page, false);
		if (pte && (*pte & PTE_P))
			scan_words(s, MAX(lo, page), MIN(hi, page + PAGE_SIZE));
	}
}

static void scan_object(struct scan *s, size_t b, size_t i)
{
	if (is_set(s->scanned[b], i))
		return;
	set(s->scanned[b], i);
	uint64_t start = s->blocks[b].first + i * s->blocks[b].object_size;
	scan_words(s, start, start + s->blocks[b].object_size);
}

/* noinline, and every callee-saved register written to the stack first:
 * a caller may hold its only pointer to an object (the /proc buffer being
 * filled) in a register, which the stack scan below would not see. */
static __attribute__((noinline)) void scan_roots(struct scan *s)
{
	uint64_t spill[6];
	__asm__ volatile("mov %%rbx, 0(%0)\n\tmov %%rbp, 8(%0)\n\tmov %%r12, 16(%0)\n\t"
			 "mov %%r13, 24(%0)\n\tmov %%r14, 32(%0)\n\tmov %%r15, 40(%0)"
			 :
			 : "r"(spill)
			 : "memory");
	scan_mapped(s, (uint64_t)_rodata_end, (uint64_t)_data_end);
	/* Stacks only from their live top down: below rsp lie dead frames,
	 * whose stale pointers would hide a leak just made. */
	uint64_t here = (uint64_t)spill;
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (!t->kstack_top)
			continue;
		uint64_t sp = t == current ? here : t->saved_rsp;
		if (sp < t->kstack_top - KSTACK_SIZE || sp >= t->kstack_top)
			sp = t->kstack_top - KSTACK_SIZE;
		scan_words(s, sp, t->kstack_top);
	}
	uint64_t boot_low = (uint64_t)boot_stack_guard + PAGE_SIZE, boot_sp = boot_low;
	if (here >= boot_low && here < (uint64_t)boot_stack_top)
		boot_sp = here; /* the idle task (no kstack of its own) */
	scan_words(s, boot_sp, (uint64_t)boot_stack_top);
	list_for_each(n, &modules) {
		struct module *m = list_entry(n, struct module, node);
		scan_mapped(s, m->base, m->base + m->pages * PAGE_SIZE);
	}
}

/* Scan what is gray until nothing is; after an overflow of the gray
 * stack, sweep all marked objects again until a sweep finds nothing new. */
static void propagate(struct scan *s)
{
	do {
		while (s->ngray) {
			uint64_t g = s->gray[--s->ngray];
			scan_object(s, g >> 8, g & 0xff);
		}
		bool again = s->overflow;
		s->overflow = false;
		for (size_t b = 0; again && b < s->n; b++)
			for (size_t i = 0; i < s->blocks[b].count; i++)
				if (is_set(s->marks[b], i) && !is_set(s->scanned[b], i))
					scan_object(s, b, i);
	} while (s->ngray || s->overflow);
}

static void sort_blocks(struct scan *s)
{
	for (size_t i = 1; i < s->n; i++) { /* insertion sort: the list is short */
		struct heap_block b = s->blocks[i];
		size_t j = i;
		for (; j > 0 && s->blocks[j - 1].first > b.first; j--)
			s->blocks[j] = s->blocks[j - 1];
		s->blocks[j] = b;
	}
}

static bool scan_setup(struct scan *s)
{
	size_t max = heap_block_count() + 64; /* the proc buffer and friends may add a few */
	size_t bytes = max * (sizeof(struct heap_block) + 32) + GRAY_MAX * 8;
	s->pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	phys_addr_t f = frame_alloc_contig(s->pages); /* not from the heap: not scanned itself */
	if (!f)
		return false;
	char *mem = phys_to_virt(f);
	s->gray = (uint64_t *)mem;
	s->marks = (uint64_t(*)[2])(mem + GRAY_MAX * 8);
	s->scanned = s->marks + max;
	s->blocks = (struct heap_block *)(s->scanned + max);
	for (size_t i = 0; i < 2 * max; i++)
		s->marks[i][0] = s->marks[i][1] = 0; /* marks and scanned, adjacent */
	s->n = heap_blocks(s->blocks, max);
	s->ngray = 0;
	s->overflow = false;
	sort_blocks(s);
	return true;
}

/* Where a scan's report goes: a /proc file being read, or the kernel log. */
static __attribute__((format(printf, 2, 3))) void out(struct proc_text *t, const char *fmt, ...)
{
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	diag_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (t)
		proc_printf(t, "%s", line);
	else
		printk("%s", line);
}

static void report(struct proc_text *t, uint64_t obj, size_t size)
{
	out(t, "unreferenced object %#lx (size %zu):\n", obj, size);
	struct kasan_object_info info;
	if (KASAN_ENABLED && kasan_heap_describe(obj, &info)) {
		out(t, "  pid %d, size requested %lu\n  backtrace:\n", info.alloc_pid, info.size);
		char sym[128];
		for (int i = 0; i < KASAN_STACK_DEPTH && info.alloc_stack[i]; i++) {
			format_symbol(sym, sizeof(sym), info.alloc_stack[i]);
			out(t, "    [<%016lx>] %s\n", info.alloc_stack[i], sym);
		}
	}
	char hex[100];
	for (int i = 0; i < 32; i++)
		diag_format(hex + 3 * i, 4, " %02x", ((const uint8_t *)obj)[i]);
	out(t, "  hex dump (first 32 bytes):\n   %s\n", hex);
}

/* One whole scan, reported to t (or the log); the number of suspects. */
static size_t scan_and_report(struct proc_text *t)
{
	struct scan s;
	uint64_t flags = irq_save();
	if (!scan_setup(&s)) {
		irq_restore(flags);
		out(t, "kmemleak: no memory for a scan\n");
		return 0;
	}
	scan_roots(&s);
	propagate(&s);
	size_t objects = 0, leaks = 0;
	for (size_t b = 0; b < s.n; b++)
		for (size_t i = 0; i < s.blocks[b].count; i++) {
			uint64_t obj = s.blocks[b].first + i * s.blocks[b].object_size;
			if (is_set(s.blocks[b].free_mask, i) || in_quarantine(obj))
				continue;
			objects++;
			if (!is_set(s.marks[b], i)) {
				leaks++;
				report(t, obj, s.blocks[b].object_size);
			}
		}
	frame_free_contig(virt_to_phys(s.gray), s.pages);
	irq_restore(flags);
	out(t, "kmemleak: %zu objects scanned, %zu unreferenced\n", objects, leaks);
	return leaks;
}

static int gen_kmemleak(struct proc_text *t, pid_t pid)
{
	(void)pid;
	scan_and_report(t);
	return 0;
}

void kmemleak_scan_to_log(void)
{
	scan_and_report(NULL);
}

void kmemleak_init(void)
{
	procfs_add("kmemleak", gen_kmemleak);
}
