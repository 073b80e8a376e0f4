/*
 * Looking up kernel symbols (course section: debugging the kernel).
 *
 * The build links the kernel twice. From the first link, tools/gensyms.awk
 * takes `nm`'s sorted list of functions and writes it as a table into the
 * .ksyms section, which linker.ld places last, so the second link moves no
 * function: the addresses in the table are right. Looking up an address is
 * a binary search for the last function that starts at or below it.
 */
#include "kernel/module/ksyms.h"
#include "libc/include/string.h"

/* Written by tools/gensyms.awk into build/gen/ksyms.asm. */
extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addresses[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern char _text_end[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	if (ksyms_count == 0 || addr < ksyms_addresses[0] || addr >= (uint64_t)_text_end)
		return NULL;
	size_t lo = 0, hi = ksyms_count; /* invariant: addresses[lo] <= addr */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (ksyms_addresses[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksyms_addresses[lo];
	return ksyms_names + ksyms_name_offsets[lo];
}

uint64_t ksym_size(uint64_t start)
{
	for (uint64_t i = 0; i + 1 < ksyms_count; i++)
		if (ksyms_addresses[i] == start)
			return ksyms_addresses[i + 1] - start;
	return (uint64_t)_text_end - start;
}

uint64_t ksym_address(const char *name)
{
	for (uint64_t i = 0; i < ksyms_count; i++)
		if (!strcmp(ksyms_names + ksyms_name_offsets[i], name))
			return ksyms_addresses[i];
	return 0;
}
