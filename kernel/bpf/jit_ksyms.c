/*
 * JIT'd programs as kernel symbols (course section: eBPF, the revolution in
 * kernel programming; kernel debugging techniques).
 *
 * A JIT'd program is kernel code that no linker placed, so no symbol table
 * names it. Linux lists each one in /proc/kallsyms as
 *
 *   ffffffff40001000 t bpf_prog_<tag>_<name>	[bpf]
 *
 * (tag: the first 8 bytes of the program's SHA-1, in hex; name: the one
 * given at load, left out with its '_' when empty), so a profiler that
 * samples an address inside the program can name it, and so does an oops
 * backtrace here (arch/x86_64/oops.c). The JIT's frames keep rbp as the
 * frame pointer (jit.c), so the backtrace walks through them to the caller.
 *
 * The list, in address order, is short and only changes at load and
 * unload; a lookup walks it.
 */
#include "kernel/bpf/jit.h"
#include "kernel/debug/diag.h"
#include "kernel/fs/procfs.h"
#include "kernel/list.h"
#include "mm/heap.h"
#include "mm/layout.h"

struct jit_sym {
	struct list_node node;
	const struct bpf_prog *prog;
};

static struct list_node syms = LIST_INIT(syms);

void jit_ksym_add(const struct bpf_prog *prog)
{
	struct jit_sym *s = kmalloc(sizeof(*s));
	if (!s)
		return; /* the program runs; it is only unnamed */
	s->prog = prog;
	struct list_node *n; /* kept in address order, as /proc/kallsyms lists them */
	list_for_each(n, &syms)
		if (list_entry(n, struct jit_sym, node)->prog->jit_image > prog->jit_image)
			break;
	list_add_before(n, &s->node);
}

void jit_ksym_del(const struct bpf_prog *prog)
{
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &syms) {
		struct jit_sym *s = list_entry(n, struct jit_sym, node);
		if (s->prog == prog) {
			list_remove(&s->node);
			kfree(s);
			return;
		}
	}
}

/* "bpf_prog_<tag>[_<name>]" into buf (at least BPF_JIT_SYM_LEN bytes). */
#define BPF_JIT_SYM_LEN (9 + 2 * BPF_TAG_SIZE + 1 + BPF_OBJ_NAME_LEN)
static void sym_name(char *buf, const struct bpf_prog *prog)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;
	for (const char *s = "bpf_prog_"; *s; s++)
		*p++ = *s;
	for (size_t i = 0; i < BPF_TAG_SIZE; i++) {
		*p++ = hex[prog->tag[i] >> 4];
		*p++ = hex[prog->tag[i] & 15];
	}
	if (prog->name[0]) {
		*p++ = '_';
		for (size_t i = 0; i + 1 < BPF_OBJ_NAME_LEN && prog->name[i]; i++)
			*p++ = prog->name[i];
	}
	*p = 0;
}

static const struct bpf_prog *prog_at(uint64_t addr)
{
	struct list_node *n;
	list_for_each(n, &syms) {
		const struct bpf_prog *p = list_entry(n, struct jit_sym, node)->prog;
		uint64_t start = (uint64_t)p->jit_image;
		if (addr >= start && addr < start + p->jit_size)
			return p;
	}
	return NULL;
}

bool bpf_jit_format_symbol(char *buf, size_t size, uint64_t addr)
{
	if (addr < BPF_JIT_AREA || addr >= BPF_JIT_AREA + BPF_JIT_AREA_SIZE)
		return false; /* cheap test first: an oops calls this for every frame */
	const struct bpf_prog *p = prog_at(addr);
	if (!p)
		return false;
	char name[BPF_JIT_SYM_LEN];
	sym_name(name, p);
	diag_format(buf, size, "%s+%#lx [bpf]", name, addr - (uint64_t)p->jit_image);
	return true;
}

void bpf_jit_kallsyms(struct proc_text *t)
{
	struct list_node *n;
	char name[BPF_JIT_SYM_LEN];
	list_for_each(n, &syms) {
		const struct bpf_prog *p = list_entry(n, struct jit_sym, node)->prog;
		sym_name(name, p);
		proc_printf(t, "%016lx t %s\t[bpf]\n", (uint64_t)p->jit_image, name);
	}
}
