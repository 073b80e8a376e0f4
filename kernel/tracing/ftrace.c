/*
 * The function tracer: every kernel function call in the trace (course
 * section: kernel debugging techniques).
 *
 * Built with FTRACE=1 (Makefile), gcc starts every kernel function with a
 * 5-byte nop (0f 1f 44 00 00, -mfentry -mnop-mcount) and lists the address
 * of each in the __mcount_loc section (-mrecord-mcount). An idle site costs
 * that one nop. `echo function > current_tracer` rewrites each chosen nop
 * into `call ftrace_caller` (e8 and a 32-bit displacement: the same five
 * bytes); ftrace_caller saves the argument registers, and ftrace_trace()
 * writes a record with the function's address (the call's return address
 * minus 5) and its caller's (the function's own return address, the next
 * word on the stack). `echo nop > current_tracer` writes the nops back.
 *
 *     available_tracers           "function nop" (just "nop" without FTRACE=1)
 *     current_tracer              the one running
 *     available_filter_functions  the functions that have a site
 *     set_ftrace_filter           only these (globs: sys_*, *lock*, *_irq);
 *                                 empty: all; `!glob` takes some away
 *     set_ftrace_notrace          never these
 *
 * Lines read as Linux's: "ls-42 [000] ..... 1.234567: sys_getpid <-syscall_dispatch".
 *
 * The tracer must not trace itself: kernel/tracing, libc's memcpy and the
 * clock are built without sites, and what the record's writing calls
 * elsewhere (the ring's wake-up timer) meets a flag that says "already in
 * the tracer" -- interrupts are off inside, so the flag is all it takes.
 * A site with a kprobe on it (int3 in its first byte) is left alone.
 */
#include "kernel/tracing/ftrace.h"
#include "kernel/tracing/text_poke.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/tracing/trace.h"
#include "kernel/tracing/tracefs.h"
#include "arch/x86_64/cpu.h"
#include "kernel/module/ksyms.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define SITE_LEN 5
#define CALL_REL32 0xe8
#define SITE_FILTER 1  /* named in set_ftrace_filter */
#define SITE_NOTRACE 2 /* named in set_ftrace_notrace */
#define SITE_PATCHED 4

static const uint8_t nop5[SITE_LEN] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

extern const uint64_t __start_mcount_loc[], __stop_mcount_loc[];
static uint8_t *site_flags;
static size_t nsites, nfiltered;
static bool function_tracer_on, in_tracer;

void ftrace_caller(void);
void ftrace_trace(uint64_t ip, uint64_t parent_ip);

/* The patched call's target: keep every register a C function may clobber
 * (the traced function has not read its arguments yet), align the stack,
 * call ftrace_trace(ip, parent_ip). Never probed: it is in .kprobes.text. */
__asm__(".pushsection .kprobes.text, \"ax\"\n"
	".globl ftrace_caller\n"
	"ftrace_caller:\n"
	"	push %rax; push %rcx; push %rdx; push %rsi; push %rdi\n"
	"	push %r8; push %r9; push %r10; push %r11\n"
	"	mov 72(%rsp), %rdi\n"     /* our return address: the site's end */
	"	sub $5, %rdi\n"           /* ip: the function's first byte */
	"	mov 80(%rsp), %rsi\n"     /* parent_ip: the function's return address */
	"	sub $8, %rsp\n"           /* 9 pushes + the call: 16-byte aligned again */
	"	call ftrace_trace\n"
	"	add $8, %rsp\n"
	"	pop %r11; pop %r10; pop %r9; pop %r8\n"
	"	pop %rdi; pop %rsi; pop %rdx; pop %rcx; pop %rax\n"
	"	ret\n"
	".popsection\n");

/* --- the record ------------------------------------------------------------------------------- */

struct function_record {
	struct trace_entry ent;
	uint64_t ip, parent_ip;
};

static void print_function(struct tbuf *out, const struct trace_event *ev, const void *rec, size_t len)
{
	(void)ev, (void)len;
	const struct function_record *r = rec;
	uint64_t off;
	const char *fn = ksym_lookup(r->ip, &off), *parent = ksym_lookup(r->parent_ip, &off);
	tprintf(out, "%s <-%s", fn ? fn : "?", parent ? parent : "?");
}

static const struct trace_field function_fields[] = {
	{ "unsigned long ip", 8, 8, false },
	{ "unsigned long parent_ip", 16, 8, false },
};

struct trace_event tp_function = {
	.system = "ftrace",
	.name = "function",
	.fields = function_fields,
	.nfields = 2,
	.print_fmt = "\" %ps <-- %ps\", (void *)REC->ip, (void *)REC->parent_ip",
	.print = print_function,
	.syscall_nr = -1,
};

void ftrace_trace(uint64_t ip, uint64_t parent_ip)
{
	uint64_t flags = irq_save();
	if (!in_tracer && tracing_is_on()) {
		in_tracer = true;
		struct function_record rec = { { (uint16_t)tp_function.id, 0, 0, current ? current->pid : 0 }, ip, parent_ip };
		trace_write_record(&tp_function, &rec, sizeof(rec));
		in_tracer = false;
	}
	irq_restore(flags);
}

/* --- patching ----------------------------------------------------------------------------------- */

static bool wanted(size_t i)
{
	uint8_t f = site_flags[i];
	return function_tracer_on && !(f & SITE_NOTRACE) && (nfiltered == 0 || (f & SITE_FILTER));
}

/* Make every site a call or a nop, as the tracer and the filters say. */
static void update_sites(void)
{
	for (size_t i = 0; i < nsites; i++) {
		bool want = wanted(i);
		if (want == !!(site_flags[i] & SITE_PATCHED))
			continue;
		uint64_t at = __start_mcount_loc[i];
		const uint8_t *now = (const uint8_t *)at;
		if (now[0] != nop5[0] && now[0] != CALL_REL32)
			continue; /* a kprobe's int3 is there: leave it */
		uint8_t call[SITE_LEN] = { CALL_REL32 };
		int32_t rel = (int32_t)((uint64_t)ftrace_caller - (at + SITE_LEN));
		memcpy(call + 1, &rel, 4);
		uint64_t flags = irq_save(); /* not half written when an interrupt runs it */
		text_poke(at, want ? call : nop5, SITE_LEN);
		irq_restore(flags);
		site_flags[i] ^= SITE_PATCHED;
	}
}

const char *ftrace_tracer_name(void)
{
	return function_tracer_on ? "function" : "nop";
}

void ftrace_show_tracers(struct tbuf *out)
{
	tputs(out, nsites ? "function nop\n" : "nop\n");
}

int ftrace_set_tracer(const char *name)
{
	size_t len = strcspn(name, "\n");
	bool function = len == 8 && !strncmp(name, "function", 8);
	if (!function && !(len == 3 && !strncmp(name, "nop", 3)))
		return -EINVAL;
	if (function && !nsites)
		return -EINVAL; /* a kernel built without FTRACE=1 */
	function_tracer_on = function;
	update_sites();
	return 0;
}

/* --- the filter files ------------------------------------------------------------------------- */

/* Linux's globs: "*" anywhere, matching any run of characters. */
static bool glob_match(const char *pat, const char *s)
{
	if (*pat == 0)
		return *s == 0;
	if (*pat == '*')
		return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
	return *s == *pat && glob_match(pat + 1, s + 1);
}

static const char *site_name(size_t i)
{
	uint64_t off;
	const char *name = ksym_lookup(__start_mcount_loc[i], &off);
	return name && off == 0 ? name : NULL;
}

static void count_filtered(void)
{
	nfiltered = 0;
	for (size_t i = 0; i < nsites; i++)
		nfiltered += (site_flags[i] & SITE_FILTER) != 0;
}

/* Words of globs; "!glob" clears. EINVAL if a glob matches nothing (Linux's answer). */
static int store_filter(const char *text, void *arg)
{
	uint8_t bit = (uint8_t)(uintptr_t)arg;
	char word[128];
	for (const char *p = text; *p;) {
		p += strspn(p, " \t\n");
		size_t len = strcspn(p, " \t\n");
		if (len == 0)
			break;
		if (len >= sizeof(word))
			return -EINVAL;
		memcpy(word, p, len);
		word[len] = 0;
		p += len;
		bool clear = word[0] == '!';
		int matched = 0;
		for (size_t i = 0; i < nsites; i++) {
			const char *name = site_name(i);
			if (name && glob_match(word + clear, name)) {
				site_flags[i] = clear ? site_flags[i] & ~bit : site_flags[i] | bit;
				matched++;
			}
		}
		if (!matched && !clear)
			return -EINVAL;
	}
	count_filtered();
	update_sites();
	return 0;
}

static void reset_filter(void *arg)
{
	uint8_t bit = (uint8_t)(uintptr_t)arg;
	for (size_t i = 0; i < nsites; i++)
		site_flags[i] &= ~bit;
	count_filtered();
	update_sites();
}

static void show_filter(struct tbuf *out, void *arg)
{
	uint8_t bit = (uint8_t)(uintptr_t)arg;
	if (bit == SITE_FILTER && nfiltered == 0) {
		tputs(out, "#### all functions enabled ####\n");
		return;
	}
	for (size_t i = 0; i < nsites; i++)
		if ((site_flags[i] & bit) && site_name(i))
			tprintf(out, "%s\n", site_name(i));
}

static void show_available(struct tbuf *out, void *arg)
{
	(void)arg;
	for (size_t i = 0; i < nsites; i++)
		if (site_name(i))
			tprintf(out, "%s\n", site_name(i));
}

static const struct tracefs_file filter_file = { show_filter, store_filter, reset_filter };
static const struct tracefs_file available_file = { show_available, NULL, NULL };

void ftrace_init(struct inode *root)
{
	trace_event_register(&tp_function);
	nsites = (size_t)(__stop_mcount_loc - __start_mcount_loc);
	site_flags = nsites ? kzalloc(nsites) : NULL;
	if (!site_flags)
		nsites = 0;
	tracefs_add(root, "available_filter_functions", 0444, &available_file, NULL);
	tracefs_add(root, "set_ftrace_filter", 0644, &filter_file, (void *)(uintptr_t)SITE_FILTER);
	tracefs_add(root, "set_ftrace_notrace", 0644, &filter_file, (void *)(uintptr_t)SITE_NOTRACE);
}
