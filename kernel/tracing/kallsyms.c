/*
 * /proc/kallsyms: the kernel's functions and their addresses (course
 * section: kernel debugging techniques, performance profiling tools).
 *
 * Profilers and tracers turn a kernel address into a function name with
 * this file: one "ADDRESS TYPE NAME" line a symbol, sorted by address, as
 * Linux writes it. The table itself is the one backtraces use, built into
 * the kernel image at link time (tools/gensyms.awk, kernel/module/ksyms.c);
 * it keeps text symbols without telling global from static, so every line
 * says T. JIT'd eBPF programs come first, as Linux's "t ... [bpf]" lines
 * (kernel/bpf/jit_ksyms.c). Every reader here is root, so the addresses
 * are shown (Linux shows zeros to the unprivileged).
 */
#include "kernel/bpf/jit.h"
#include "kernel/fs/procfs.h"
#include "kernel/types.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addresses[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];

static int gen_kallsyms(struct proc_text *t, pid_t pid)
{
	(void)pid;
	bpf_jit_kallsyms(t); /* JIT'd eBPF first: its area lies below the kernel, so the file stays sorted */
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (ksyms_addresses[i] && ksyms_names[ksyms_name_offsets[i]]) /* skip the table's empty slot */
			proc_printf(t, "%016lx T %s\n", ksyms_addresses[i], ksyms_names + ksyms_name_offsets[i]);
	return 0;
}

void kallsyms_init(void)
{
	procfs_add("kallsyms", gen_kallsyms);
}
