/*
 * The parts of eBPF that other branches write and that this branch has not
 * merged yet (course section: eBPF, the revolution in kernel programming).
 *
 * TEMPORARY: each is a weak reference, NULL until the branch that defines
 * it is merged; the code then takes the path Linux takes without the part
 * (no map types: EINVAL; no verifier: nothing loads; no JIT: interpreted).
 * Remove a line, and its macro, when the part is merged.
 */
#ifndef KERNEL_BPF_PENDING_H
#define KERNEL_BPF_PENDING_H

#include "kernel/bpf/bpf.h"

#pragma weak bpf_map_type_ops  /* bpf-maps */
#pragma weak bpf_prog_array_entry /* bpf-maps */
#pragma weak bpf_ringbuf_output_fn
#pragma weak bpf_ringbuf_reserve_fn
#pragma weak bpf_ringbuf_submit_fn
#pragma weak bpf_ringbuf_discard_fn
#pragma weak bpf_ringbuf_query_fn
#pragma weak bpf_perf_event_output_fn
#pragma weak bpf_check         /* bpf-verifier */
#pragma weak bpf_jit_compile   /* bpf-jit */
#pragma weak bpf_jit_free

#define BPF_MAP_TYPE_OPS(type) (bpf_map_type_ops ? bpf_map_type_ops(type) : NULL)
#define BPF_PROG_ARRAY_ENTRY(map, index) (bpf_prog_array_entry ? bpf_prog_array_entry(map, index) : NULL)
#define BPF_HAVE_VERIFIER (bpf_check != NULL)
#define BPF_HAVE_JIT (bpf_jit_compile != NULL && bpf_jit_free != NULL)

#endif
