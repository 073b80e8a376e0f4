/*
 * The kernel's side that the eBPF interpreter and JIT unit tests stand in
 * for (course section: eBPF): two helpers -- get_smp_processor_id, and
 * HELPER_SUM5 whose result shows whether every argument came in its place
 * -- and a PROG_ARRAY of two slots for tail calls. Included once by each
 * test (test_bpf_interp.c, test_bpf_jit.c), which are separate programs.
 */
#ifndef TESTS_UNIT_BPF_STANDINS_H
#define TESTS_UNIT_BPF_STANDINS_H

#include "kernel/bpf/bpf.h"

#define HELPER_SUM5 1000 /* the tests' own helper number */

static uint64_t cpu_id(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	(void)a, (void)b, (void)c, (void)d, (void)e;
	return 0;
}

static uint64_t sum5(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	return a + 10 * b + 100 * c + 1000 * d + 10000 * e;
}

const struct bpf_func_proto *bpf_func_proto(uint32_t prog_type, int32_t func_id)
{
	static const struct bpf_func_proto cpu = { .func = cpu_id }, sum = { .func = sum5 };
	(void)prog_type;
	return func_id == BPF_FUNC_get_smp_processor_id ? &cpu : func_id == HELPER_SUM5 ? &sum : NULL;
}

static struct bpf_map prog_array = { .type = BPF_MAP_TYPE_PROG_ARRAY, .max_entries = 2 };
static struct bpf_prog *array_slots[2];

struct bpf_prog *bpf_prog_array_entry(struct bpf_map *map, uint32_t index)
{
	return map == &prog_array && index < 2 ? array_slots[index] : NULL;
}

#endif
