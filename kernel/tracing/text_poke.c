/*
 * text_poke: writing kernel code that is running (course section: kernel
 * debugging techniques).
 *
 * The kernel's text is mapped read-only and executable, and stays so:
 * kprobes and the function tracer write through the direct map instead,
 * the second mapping of all RAM (read/write, never executable) where the
 * same physical page has another address. Then the CPU is serialized
 * (cpuid), so that it does not go on running instructions it fetched
 * before the change. Linux's text_poke maps the page at a temporary address
 * for the same reason: no moment where its text is writable and executable.
 */
#include "kernel/tracing/text_poke.h"
#include "arch/x86_64/cpu.h"
#include "libc/include/string.h"
#include "mm/phys.h"

void text_poke(uint64_t addr, const void *bytes, size_t n)
{
	uint8_t *alias = phys_to_virt(virt_to_phys((const void *)addr));
	memcpy(alias, bytes, n);
	uint32_t a, b, c, d;
	cpuid(0, 0, &a, &b, &c, &d);
}
