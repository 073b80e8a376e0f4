/*
 * The parts of eBPF that other branches write and that this branch has not
 * merged yet (course section: eBPF, the revolution in kernel programming).
 *
 * TEMPORARY: each is a weak reference, NULL until the branch that defines
 * it is merged; the code then takes the path Linux takes without the part
 * (no prog arrays: tail calls fall through).
 * Remove a line, and its macro, when the part is merged. Everything is
 * merged now; jit_jmp.c still tests bpf_prog_array_entry through it, and
 * this file goes when that test does.
 */
#ifndef KERNEL_BPF_PENDING_H
#define KERNEL_BPF_PENDING_H

#include "kernel/bpf/bpf.h"
#include "kernel/bpf/map.h"

#pragma weak bpf_prog_array_entry      /* bpf-maps: map_prog_array.c */
#pragma weak bpf_prog_array_compatible


#endif
