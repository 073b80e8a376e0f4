/*
 * The KASAN report (course section: memory debugging).
 *
 * What a developer reads when KASAN catches a bad access, in Linux's form:
 *
 *   BUG: KASAN: slab-out-of-bounds in diag_oob+0x2e [module diagdemo]
 *   Read of size 1 at addr ffff800001234568 by task insmod/7
 *   Call trace: ...                        <- where the bad access is
 *   Allocated by task 7: ...               <- who made the object
 *   Freed by task 7: ...                   <- and who freed it (if freed)
 *   The buggy address belongs to the object at ffff800001234560
 *    which belongs to the cache kmalloc-256 of size 256
 *   The buggy address is located 8 bytes to the right of
 *    8-byte region [ffff800001234560, ffff800001234568)
 *   Memory state around the buggy address:
 *    ffff800001234500: 00 00 00 00 00 00 00 00 00 00 00 00 fc fc fc fc
 *   >ffff800001234580: 00 fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc
 *                         ^
 *
 * The kind of bug comes from the shadow byte of the first bad byte: a
 * kmalloc redzone (fc) is slab-out-of-bounds, freed memory (fb) a
 * use-after-free, a global's redzone (f9) global-out-of-bounds. The
 * memory state shows the shadow itself, one byte per 8: "00" fully
 * usable, 1..7 the first N bytes, the rest poison.
 */
#include "kernel/debug/taint.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/kasan.h"
#include "arch/x86_64/oops.h"
#include "kernel/printk.h"
#include "kernel/proc/task.h"

unsigned long kasan_report_count;

static const char *bug_kind(uint8_t shadow)
{
	switch (shadow) {
	case KASAN_SLAB_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_SLAB_FREE:
		return "slab-use-after-free";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	case KASAN_PAGE_REDZONE:
		return "out-of-bounds";
	default:
		return "wild-memory-access";
	}
}

/* The shadow value that made the access bad (past a partial granule). */
static uint8_t bad_shadow(uint64_t addr, size_t size)
{
	for (uint64_t a = addr; a < addr + size; a++) {
		int8_t s = *kasan_shadow(a);
		if (s < 0)
			return (uint8_t)s;
		if (s > 0 && (int8_t)(a & 7) >= s) {
			int8_t next = *kasan_shadow(ALIGN_UP(a + 1, KASAN_GRANULE));
			return next < 0 ? (uint8_t)next : KASAN_SLAB_REDZONE;
		}
	}
	return 0;
}

static void print_stack(const char *what, int pid, const uint64_t *stack)
{
	char sym[128];
	printk("\n%s by task %d:\n", what, pid);
	for (int i = 0; i < KASAN_STACK_DEPTH && stack[i]; i++) {
		format_symbol(sym, sizeof(sym), stack[i]);
		printk("  [<%016lx>] %s\n", stack[i], sym);
	}
}

static void describe_address(uint64_t addr)
{
	struct kasan_object_info o;
	uint64_t start, size;
	const char *name;
	if (kasan_heap_describe(addr, &o)) {
		print_stack("Allocated", o.alloc_pid, o.alloc_stack);
		if (o.freed)
			print_stack("Freed", o.free_pid, o.free_stack);
		printk("\nThe buggy address belongs to the object at %016lx\n", o.start);
		printk(" which belongs to the cache kmalloc-%lu of size %lu\n", o.slot, o.slot);
		if (addr >= o.start + o.size)
			printk("The buggy address is located %lu bytes to the right of\n", addr - o.start - o.size);
		else
			printk("The buggy address is located %lu bytes inside of\n", addr - o.start);
		printk(" %lu-byte region [%016lx, %016lx)\n", o.size, o.start, o.start + o.size);
	} else if ((name = kasan_global_name(addr, &start, &size)) != NULL) {
		printk("\nThe buggy address belongs to the variable:\n %s+%#lx/%#lx\n", name, addr - start, size);
	}
}

/* Five rows of 16 shadow bytes (128 bytes of memory each), the row of the
 * bad address in the middle, marked '>' and with '^' under its byte. */
static void print_shadow(uint64_t addr)
{
	uint64_t row_of_bug = ALIGN_DOWN(addr, 128);
	printk("\nMemory state around the buggy address:\n");
	for (int r = -2; r <= 2; r++) {
		uint64_t row = row_of_bug + r * 128;
		if (!kasan_covers(row) || !kasan_covers(row + 127))
			continue;
		char line[80];
		int n = 0;
		for (int i = 0; i < 16; i++) {
			uint8_t s = (uint8_t)*kasan_shadow(row + i * 8);
			line[n++] = ' ';
			line[n++] = "0123456789abcdef"[s >> 4];
			line[n++] = "0123456789abcdef"[s & 15];
		}
		line[n] = 0;
		printk("%c%016lx:%s\n", r == 0 ? '>' : ' ', row, line);
		if (r == 0) {
			int col = 18 + (int)((addr - row) / 8) * 3;
			for (n = 0; n < col && n < (int)sizeof(line) - 1; n++)
				line[n] = ' ';
			line[n] = 0;
			printk("%s^\n", line);
		}
	}
}

static void report_head(const char *kind, uint64_t ip)
{
	char sym[128];
	kasan_report_count++;
	add_taint(TAINT_BAD_PAGE);
	printk("%s", DIAG_RULE);
	format_symbol(sym, sizeof(sym), ip);
	printk("BUG: KASAN: %s in %s\n", kind, sym);
}

static void trace_from(uint64_t ip, uint64_t rbp)
{
	printk("\n");
	print_backtrace(ip, rbp, rbp, stack_top_of(rbp));
}

void kasan_report(uint64_t addr, size_t size, bool write, uint64_t ip, uint64_t caller_rbp)
{
	report_head(bug_kind(bad_shadow(addr, size)), ip);
	printk("%s of size %lu at addr %016lx by task %s/%d\n", write ? "Write" : "Read", size, addr,
	       current ? current->name : "?", current ? current->pid : 0);
	trace_from(ip, caller_rbp);
	describe_address(addr);
	print_shadow(addr);
	printk("%s", DIAG_RULE);
}

void kasan_report_bad_free(void *p, const char *kind, uint64_t ip, uint64_t caller_rbp)
{
	report_head(kind, ip);
	printk("Free of addr %016lx by task %s/%d\n", (uint64_t)p, current ? current->name : "?",
	       current ? current->pid : 0);
	trace_from(ip, caller_rbp);
	describe_address((uint64_t)p);
	if (kasan_ready && kasan_covers((uint64_t)p))
		print_shadow((uint64_t)p);
	printk("%s", DIAG_RULE);
}
