/*
 * The helpers' functions (course section: eBPF, the revolution in kernel
 * programming): what helper_protos.c points at. Each takes the program's
 * r1-r5 as five 64-bit words and returns r0, whatever its real arguments.
 */
#ifndef KERNEL_BPF_HELPERS_H
#define KERNEL_BPF_HELPERS_H

#include "kernel/bpf/bpf.h"

#define BPF_HELPER(name) uint64_t name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)

/* helpers.c: maps, time, the current task */
BPF_HELPER(bpf_map_lookup_elem_fn);
BPF_HELPER(bpf_map_update_elem_fn);
BPF_HELPER(bpf_map_delete_elem_fn);
BPF_HELPER(bpf_ktime_get_ns_fn);
BPF_HELPER(bpf_get_prandom_u32_fn);
BPF_HELPER(bpf_get_smp_processor_id_fn);
BPF_HELPER(bpf_get_current_pid_tgid_fn);
BPF_HELPER(bpf_get_current_uid_gid_fn);
BPF_HELPER(bpf_get_current_comm_fn);
BPF_HELPER(bpf_get_current_task_fn);
/* helpers_printk.c */
BPF_HELPER(bpf_trace_printk_fn);
/* helpers_probe.c: reading memory that may not be there, and stacks */
BPF_HELPER(bpf_probe_read_user_fn);
BPF_HELPER(bpf_probe_read_kernel_fn);
BPF_HELPER(bpf_probe_read_user_str_fn);
BPF_HELPER(bpf_probe_read_kernel_str_fn);
BPF_HELPER(bpf_probe_read_compat_fn);
BPF_HELPER(bpf_probe_read_compat_str_fn);
BPF_HELPER(bpf_get_stack_fn);

#endif
