/*
 * kprobes: a breakpoint on any kernel instruction (course section: kernel
 * debugging techniques).
 *
 * To watch a kernel function without recompiling it, write int3 (0xCC,
 * one byte) over the first byte of one of its instructions. When the CPU
 * gets there it traps; the trap handler sees the address, runs the
 * probe's handler with the registers, and then has to carry out the
 * instruction that the int3 replaced before letting the function go on.
 *
 * Two ways exist: emulate the instruction in C, or run a copy of it
 * somewhere else ("out of line") with the trap flag set, so that the CPU
 * traps again (#DB) right after that one instruction, and then jump back
 * behind the original. We single-step out of line, as the issue asks and
 * as Linux does for most instructions: it works for every instruction the
 * decoder (kprobe_insn.c) knows, without a C emulation for each. Emulation
 * would also run into a trap frame problem: the typical first instruction,
 * push %rbp, would have to store below the interrupted stack pointer --
 * right where the CPU pushed the int3's own frame. The copy's RIP-relative
 * operand, if any, gets its displacement adjusted; relative jumps, calls,
 * ret and flag-changing instructions are refused (they cannot run alone
 * elsewhere without more fix-ups).
 *
 * While the copy runs, interrupts stay off, so nothing can come between
 * the step and its #DB, and one per-CPU step record suffices. A probe hit
 * inside a probe's handler (the handler calls a probed function) runs no
 * handler -- it is counted in nmissed -- but still steps, so the probed
 * code works. The functions between the trap and the handler cannot be
 * probed at all (kprobes.h: NOKPROBE, and all of arch/x86_64).
 *
 * The text is never made writable (text_poke.c). The copies live in a page
 * of .kprobes.text.
 */
#include "kernel/tracing/kprobes.h"
#include "kernel/tracing/text_poke.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/regs.h"
#include "arch/x86_64/x86.h"
#include "kernel/module/ksyms.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

#define SLOT_SIZE 16
#define INT3 0xcc

extern char _text_start[], _text_end[], _noprobe_text_start[], _noprobe_text_end[];

/* The out-of-line copies: executable, never probed, written through the direct map. */
__asm__(".pushsection .kprobes.text, \"ax\"\n"
	".balign 16\n"
	"kprobe_slots:\n"
	".fill " "512" ", 1, 0xcc\n" /* KPROBE_MAX_SITES * SLOT_SIZE */
	".popsection\n");
extern uint8_t kprobe_slots[];
_Static_assert(KPROBE_MAX_SITES * SLOT_SIZE == 512, "the slot area's size above");

struct kprobe_site {
	uint64_t addr;                 /* 0: free */
	uint8_t orig[KPROBE_INSN_MAX]; /* the instruction as it was */
	struct insn insn;
	uint8_t *slot;
	struct kprobe *probes;
};

static struct kprobe_site sites[KPROBE_MAX_SITES];
static bool handler_running;
static struct { struct kprobe_site *site; uint64_t flags; } step;

NOKPROBE static struct kprobe_site *site_at(uint64_t addr)
{
	for (int i = 0; i < KPROBE_MAX_SITES; i++)
		if (sites[i].addr == addr)
			return &sites[i];
	return NULL;
}

/* Text as it was before our int3s: the decoder must see the real first bytes. */
static void read_original(uint64_t start, uint8_t *buf, size_t n)
{
	memcpy(buf, (const void *)start, n);
	for (int i = 0; i < KPROBE_MAX_SITES; i++)
		if (sites[i].addr >= start && sites[i].addr < start + n)
			buf[sites[i].addr - start] = sites[i].orig[0];
}

/* Decode from the function's start: offset must be an instruction's first byte. */
static int check_boundary(uint64_t func, uint64_t offset)
{
	uint8_t buf[256 + KPROBE_INSN_MAX];
	if (offset > 256)
		return -EILSEQ; /* too far to walk */
	read_original(func, buf, offset + KPROBE_INSN_MAX);
	uint64_t pos = 0;
	struct insn in;
	while (pos < offset && insn_decode(buf + pos, &in))
		pos += in.len;
	return pos == offset ? 0 : -EILSEQ;
}

static int resolve(struct kprobe *p)
{
	uint64_t func = ksym_address(p->symbol);
	if (!func)
		return -ENOENT;
	uint64_t size = ksym_size(func);
	if (size && p->offset >= size)
		return -EINVAL;
	p->addr = func + p->offset;
	if (p->addr < (uint64_t)_text_start || p->addr >= (uint64_t)_text_end)
		return -EINVAL;
	if (p->addr >= (uint64_t)_noprobe_text_start && p->addr < (uint64_t)_noprobe_text_end)
		return -EINVAL; /* the entry and exception code, kprobes itself */
	return check_boundary(func, p->offset);
}

/* Copy the instruction to its slot, with a RIP-relative displacement moved to match. */
static int prepare_site(struct kprobe_site *s, uint64_t addr, int index)
{
	read_original(addr, s->orig, KPROBE_INSN_MAX);
	if (!insn_decode(s->orig, &s->insn) || !s->insn.steppable)
		return -EINVAL;
	uint8_t copy[SLOT_SIZE];
	memset(copy, INT3, sizeof(copy));
	memcpy(copy, s->orig, s->insn.len);
	s->slot = kprobe_slots + index * SLOT_SIZE;
	if (s->insn.rip_disp_at >= 0) {
		int32_t disp;
		memcpy(&disp, copy + s->insn.rip_disp_at, 4);
		int64_t moved = (int64_t)disp + (int64_t)(addr - (uint64_t)s->slot);
		if (moved != (int32_t)moved)
			return -EINVAL;
		disp = (int32_t)moved;
		memcpy(copy + s->insn.rip_disp_at, &disp, 4);
	}
	text_poke((uint64_t)s->slot, copy, sizeof(copy));
	return 0;
}

int kprobe_register(struct kprobe *p)
{
	if (p->site)
		return -EBUSY;
	int err = resolve(p);
	if (err)
		return err;
	uint64_t flags = irq_save();
	struct kprobe_site *s = site_at(p->addr);
	if (!s) {
		s = site_at(0);
		err = s ? prepare_site(s, p->addr, (int)(s - sites)) : -ENOSPC;
		if (!err) {
			s->addr = p->addr;
			s->probes = NULL;
			uint8_t int3 = INT3;
			text_poke(p->addr, &int3, 1); /* armed: the site is ready for the trap */
		}
	}
	if (!err) {
		p->next = s->probes;
		s->probes = p;
		p->site = s;
	}
	irq_restore(flags);
	return err;
}

void kprobe_unregister(struct kprobe *p)
{
	struct kprobe_site *s = p->site;
	if (!s)
		return;
	uint64_t flags = irq_save();
	for (struct kprobe **pp = &s->probes; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	if (!s->probes) {
		text_poke(s->addr, s->orig, 1); /* the instruction is whole again */
		s->addr = 0;
	}
	p->site = NULL;
	irq_restore(flags);
}

/* --- the traps ----------------------------------------------------------------------------------- */

NOKPROBE bool kprobe_int3(struct regs *r)
{
	uint64_t addr = r->rip - 1; /* int3 traps after itself */
	struct kprobe_site *s = site_at(addr);
	if (!s)
		return false; /* not ours: an int3 compiled in, a bug */
	r->rip = addr;    /* the handlers see the probed address */
	for (struct kprobe *p = s->probes; p; p = p->next) {
		p->nhit++;
		if (handler_running) {
			p->nmissed++;
			continue;
		}
		handler_running = true;
		p->handler(p, r);
		handler_running = false;
	}
	step.site = s;
	step.flags = r->rflags & (RFLAGS_TF | RFLAGS_IF);
	r->rflags = (r->rflags | RFLAGS_TF) & ~(uint64_t)RFLAGS_IF;
	r->rip = (uint64_t)s->slot;
	return true;
}

NOKPROBE bool kprobe_debug(struct regs *r)
{
	struct kprobe_site *s = step.site;
	if (!s || r->rip < (uint64_t)s->slot || r->rip > (uint64_t)s->slot + SLOT_SIZE)
		return false;
	r->rip = s->addr + (r->rip - (uint64_t)s->slot); /* just behind the original */
	r->rflags = (r->rflags & ~(uint64_t)(RFLAGS_TF | RFLAGS_IF)) | step.flags;
	step.site = NULL;
	__asm__ volatile("mov %0, %%dr6" ::"r"(0ul)); /* the single-step status, consumed */
	return true;
}
