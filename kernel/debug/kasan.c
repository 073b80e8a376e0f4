/*
 * KASAN: the kernel address sanitizer -- shadow memory and the checks
 * (course section: memory debugging).
 *
 * Built with `make KASAN=1`, gcc's -fsanitize=kernel-address puts a call
 * before every load and store the kernel makes: __asan_load4_noabort(addr)
 * before reading 4 bytes, __asan_store8_noabort(addr) before writing 8...
 * Each call looks up the shadow byte of the address: one byte of shadow
 * for every 8 bytes of memory, at (addr >> 3) + KASAN_SHADOW_OFFSET.
 * A shadow byte 0 means all 8 bytes may be used, 1..7 only the first N,
 * and a negative value none -- the value says why (kasan.h): a redzone
 * after a kmalloc object, an object already freed, a redzone after a
 * global. A forbidden access is reported (kasan_report.c) and the kernel
 * goes on, so one run shows every bug it meets.
 *
 * Who writes the shadow:
 *   - the heap (kasan_heap.c) poisons the redzone around every object and
 *     the whole of a freed one;
 *   - the compiler lists every global with its redzone; kasan_init()
 *     runs that list (the constructors in .init_array) and
 *     __asan_register_globals() poisons each redzone.
 *
 * Where there is shadow: for the direct map of all RAM (the heap lives
 * there) and the kernel image (globals), 1/8 of each, mapped at boot.
 * Before kasan_init(), and for other addresses (kernel stacks, modules),
 * the checks say nothing. Stack variables have no redzones in this
 * version: gcc's stack instrumentation writes shadow inline from the
 * first instruction of kmain, before there is any (README.md).
 *
 * This file is compiled without the sanitizer: its own accesses would
 * call itself.
 */
#include "kernel/debug/kasan.h"
#include "arch/x86_64/x86.h"
#include "kernel/init/bootinfo.h"
#include "kernel/module/export.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/frame.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/phys.h"

bool kasan_ready;
static uint64_t direct_map_end; /* DIRECT_MAP_BASE + the top of RAM */
static bool in_report;          /* a report's own accesses are not checked */

extern char _text_start[], _kernel_end[];
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

bool kasan_covers(uint64_t addr)
{
	return (addr >= DIRECT_MAP_BASE && addr < direct_map_end) ||
	       (addr >= (uint64_t)_text_start && addr < (uint64_t)_kernel_end);
}

/* Give [start, end)'s shadow fresh zeroed frames: all of it accessible. */
static void map_shadow(uint64_t start, uint64_t end)
{
	uint64_t first = ALIGN_DOWN((uint64_t)kasan_shadow(start), PAGE_SIZE);
	uint64_t last = ALIGN_UP((uint64_t)kasan_shadow(end), PAGE_SIZE);
	for (uint64_t va = first; va < last; va += PAGE_SIZE) {
		uint64_t *pte = pte_lookup(kernel_pml4, va, true);
		phys_addr_t f = frame_alloc(); /* zeroed */
		if (!pte || !f)
			panic("KASAN: no memory for the shadow of %#lx", start);
		*pte = pte_make(f, PTE_W | PTE_G | pte_nx());
	}
}

void kasan_init(void)
{
	uint64_t top = 0;
	for (int i = 0; i < boot_info.ram_count; i++)
		top = MAX(top, boot_info.ram[i].end);
	direct_map_end = DIRECT_MAP_BASE + ALIGN_UP(top, LARGE_PAGE_SIZE);
	size_t before = frames_free_count();
	map_shadow(DIRECT_MAP_BASE, direct_map_end);
	map_shadow((uint64_t)_text_start, (uint64_t)_kernel_end);
	kasan_ready = true;
	/* The compiler's constructors: each registers its file's globals. */
	for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
	printk("KASAN: shadow memory for %lu MiB of RAM and the kernel image: %zu KiB\n", top >> 20,
	       (before - frames_free_count()) * PAGE_SIZE >> 10);
}

void kasan_poison(const void *addr, size_t size, uint8_t value)
{
	uint64_t a = (uint64_t)addr;
	if (!kasan_ready || !kasan_covers(a))
		return;
	memset(kasan_shadow(a), value, ALIGN_UP(size, KASAN_GRANULE) / KASAN_GRANULE);
}

void kasan_unpoison(const void *addr, size_t size)
{
	uint64_t a = (uint64_t)addr;
	if (!kasan_ready || !kasan_covers(a))
		return;
	memset(kasan_shadow(a), 0, size / KASAN_GRANULE);
	if (size % KASAN_GRANULE)
		*kasan_shadow(a + size) = (int8_t)(size % KASAN_GRANULE);
}

/* May the byte at addr be touched? */
static bool byte_ok(uint64_t addr)
{
	int8_t s = *kasan_shadow(addr);
	return s == 0 || (s > 0 && (int8_t)(addr & 7) < s);
}

/* The whole access: the first and last bytes cover every granule of an
 * access of up to 16 bytes; a longer one (memcpy) checks each granule. */
static bool range_ok(uint64_t addr, size_t size)
{
	if (!byte_ok(addr) || !byte_ok(addr + size - 1))
		return false;
	for (uint64_t a = ALIGN_UP(addr, KASAN_GRANULE); a + KASAN_GRANULE <= addr + size; a += KASAN_GRANULE)
		if (*kasan_shadow(a))
			return false;
	return true;
}

static void check(uint64_t addr, size_t size, bool write, uint64_t ip, uint64_t caller_rbp)
{
	if (!kasan_ready || in_report || size == 0 || !kasan_covers(addr) ||
	    !kasan_covers(addr + size - 1))
		return;
	/* The common case first: an access within one granule whose shadow
	 * is 0. This runs before nearly every load and store of the kernel. */
	if ((addr & 7) + size <= 8 && *kasan_shadow(addr) == 0)
		return;
	if (range_ok(addr, size))
		return;
	in_report = true;
	kasan_report(addr, size, write, ip, caller_rbp);
	in_report = false;
}

/* The caller's own frame: its saved rbp, so the trace starts at the bug. */
#define CALLER_RBP (*(uint64_t *)__builtin_frame_address(0))
#define RET_IP ((uint64_t)__builtin_return_address(0))

#define DEFINE_CHECKS(n)                                                 \
	void __asan_load##n##_noabort(uint64_t addr)                     \
	{                                                                \
		check(addr, n, false, RET_IP, CALLER_RBP);               \
	}                                                                \
	void __asan_store##n##_noabort(uint64_t addr)                    \
	{                                                                \
		check(addr, n, true, RET_IP, CALLER_RBP);                \
	}                                                                \
	EXPORT_SYMBOL(__asan_load##n##_noabort);                         \
	EXPORT_SYMBOL(__asan_store##n##_noabort)

DEFINE_CHECKS(1);
DEFINE_CHECKS(2);
DEFINE_CHECKS(4);
DEFINE_CHECKS(8);
DEFINE_CHECKS(16);

void __asan_loadN_noabort(uint64_t addr, size_t size)
{
	check(addr, size, false, RET_IP, CALLER_RBP);
}

void __asan_storeN_noabort(uint64_t addr, size_t size)
{
	check(addr, size, true, RET_IP, CALLER_RBP);
}

/* Called before a function that does not return (panic, longjmp): user
 * space ASan unpoisons the stack there; without stack redzones, nothing. */
void __asan_handle_no_return(void)
{
}

/* The compiler's description of one global (gcc >= 7: ABI version 5). */
struct asan_global {
	uint64_t start;
	size_t size;
	size_t size_with_redzone;
	const char *name;
	const char *module_name;
	unsigned long has_dynamic_init;
	void *location;
	void *odr_indicator;
};

#define MAX_GLOBAL_LISTS 512
static struct {
	struct asan_global *list;
	size_t n;
} lists[MAX_GLOBAL_LISTS];
static int list_count;

void __asan_register_globals(struct asan_global *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		kasan_unpoison((void *)g[i].start, g[i].size);
		uint64_t tail = ALIGN_UP(g[i].start + g[i].size, KASAN_GRANULE);
		kasan_poison((void *)tail, g[i].start + g[i].size_with_redzone - tail, KASAN_GLOBAL_REDZONE);
	}
	if (list_count < MAX_GLOBAL_LISTS)
		lists[list_count++] = (typeof(lists[0])){ g, n };
}

void __asan_unregister_globals(struct asan_global *g, size_t n)
{
	(void)g, (void)n; /* globals live as long as the kernel */
}

const char *kasan_global_name(uint64_t addr, uint64_t *start, uint64_t *size)
{
	for (int l = 0; l < list_count; l++)
		for (size_t i = 0; i < lists[l].n; i++) {
			struct asan_global *g = &lists[l].list[i];
			if (addr >= g->start && addr < g->start + g->size_with_redzone) {
				*start = g->start;
				*size = g->size;
				return g->name;
			}
		}
	return NULL;
}

EXPORT_SYMBOL(__asan_loadN_noabort);
EXPORT_SYMBOL(__asan_storeN_noabort);
EXPORT_SYMBOL(__asan_handle_no_return);
EXPORT_SYMBOL(__asan_register_globals);
EXPORT_SYMBOL(__asan_unregister_globals);
