/* kprobes: breakpoints the kernel puts in itself (course section: kernel debugging techniques). */
#ifndef KERNEL_TRACING_KPROBES_H
#define KERNEL_TRACING_KPROBES_H

#include "kernel/types.h"

struct regs;

/* Code that runs between an int3 and the moment a probe's handler may run
 * (the exception entry, the kprobe machinery) must not itself be probed:
 * the probe would hit again before the first hit is handled, forever. Such
 * functions go to .kprobes.text, which linker.ld keeps between
 * _noprobe_text_start and _noprobe_text_end beside all of arch/x86_64's
 * code (Linux's NOKPROBE_SYMBOL and its entry-text blacklist). */
#define NOKPROBE __attribute__((section(".kprobes.text"), noinline))

#define KPROBE_MAX_SITES 32   /* probed addresses at once */
#define KPROBE_INSN_MAX 15    /* the longest x86 instruction */

struct kprobe;
typedef void (*kprobe_handler_t)(struct kprobe *p, const struct regs *r);

struct kprobe {
	uint64_t addr;            /* filled by kprobe_register from symbol+offset */
	const char *symbol;
	uint64_t offset;
	kprobe_handler_t handler; /* runs with interrupts off, on the probed code's stack */
	void *data;
	uint64_t nhit, nmissed;   /* nmissed: hits while a handler was running (not run again) */
	struct kprobe *next;      /* the other probes at the same address */
	struct kprobe_site *site;
};

/* Find the address, check it may be probed, put an int3 there. 0, or
 * -ENOENT (no such symbol, or offset past its end), -EINVAL (blacklisted;
 * an instruction that cannot be stepped out of line), -EILSEQ (not on an
 * instruction boundary), -ENOSPC (too many probed addresses). */
int kprobe_register(struct kprobe *p);
void kprobe_unregister(struct kprobe *p);

/* From the exception code (arch/x86_64/traps.c): true if the trap was a
 * kprobe's (its int3, or the single step after it). */
bool kprobe_int3(struct regs *r);
bool kprobe_debug(struct regs *r);

/* The instruction decoder (kprobe_insn.c). */
struct insn {
	uint8_t len;
	int8_t rip_disp_at;       /* offset of a RIP-relative disp32, or -1 */
	bool steppable;           /* may run alone out of line (no relative branch, no IF/TF change...) */
};
/* Decode the instruction at p; false if it is not one the decoder knows. */
bool insn_decode(const uint8_t *p, struct insn *out);

#endif
