/*
 * What a BPF program written in C needs (course section: eBPF, programs
 * written in C): section names, map declarations and the kernel's helper
 * functions, for `clang -target bpf -O2`.
 *
 * A helper is called by number: the instruction `call N` jumps to the
 * kernel's helper number N (abi/bpf.h names them as Linux does). In C we
 * declare each helper as a function pointer whose value is that number;
 * clang turns a call through such a constant pointer into `call N`.
 *
 * The loader reads a program's type from its section's name, as libbpf
 * does: SEC("tracepoint/syscalls/sys_enter_openat") is a tracepoint
 * program attached to that event, SEC("raw_tracepoint/sched_switch"),
 * SEC("kprobe/do_sys_openat2"), SEC("socket").
 */
#ifndef USER_BPF_HELPERS_H
#define USER_BPF_HELPERS_H

#include <stdint.h>

#include "abi/bpf.h"
#include "map_def.h"

/* Puts a function or a variable in the named ELF section. */
#define SEC(name) __attribute__((section(name), used))

/* BPF programs have no calls of their own here: every function is inlined. */
#define __always_inline inline __attribute__((always_inline))

/* A map in the "maps" section (see map_def.h for why this style). */
#define BPF_MAP(name, map_type, ksize, vsize, entries)                                     \
	struct bpf_map_def SEC("maps") name = {                                            \
		.type = (map_type), .key_size = (ksize), .value_size = (vsize), .max_entries = (entries) \
	}

/* Helpers trace_printk, probe_read and friends are for GPL programs only. */
#define LICENSE_GPL char _license[] SEC("license") = "GPL"

/* --- the helpers, by number --- */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_lookup_elem;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value,
				   uint64_t flags) = (void *)BPF_FUNC_map_update_elem;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)BPF_FUNC_map_delete_elem;
static uint64_t (*bpf_ktime_get_ns)(void) = (void *)BPF_FUNC_ktime_get_ns;
static long (*bpf_trace_printk)(const char *fmt, uint32_t fmt_size, ...) = (void *)BPF_FUNC_trace_printk;
static uint32_t (*bpf_get_smp_processor_id)(void) = (void *)BPF_FUNC_get_smp_processor_id;
/* Thread group id (the pid user space sees) in the high 32 bits, thread id in the low. */
static uint64_t (*bpf_get_current_pid_tgid)(void) = (void *)BPF_FUNC_get_current_pid_tgid;
static uint64_t (*bpf_get_current_uid_gid)(void) = (void *)BPF_FUNC_get_current_uid_gid;
static long (*bpf_get_current_comm)(void *buf, uint32_t size) = (void *)BPF_FUNC_get_current_comm;
static long (*bpf_perf_event_output)(void *ctx, void *map, uint64_t flags, void *data,
				     uint64_t size) = (void *)BPF_FUNC_perf_event_output;
static long (*bpf_probe_read_user)(void *dst, uint32_t size, const void *src) = (void *)BPF_FUNC_probe_read_user;
static long (*bpf_probe_read_kernel)(void *dst, uint32_t size,
				     const void *src) = (void *)BPF_FUNC_probe_read_kernel;
/* The string's length with its NUL, or a negative errno. */
static long (*bpf_probe_read_user_str)(void *dst, uint32_t size,
				       const void *src) = (void *)BPF_FUNC_probe_read_user_str;
static long (*bpf_probe_read_kernel_str)(void *dst, uint32_t size,
					 const void *src) = (void *)BPF_FUNC_probe_read_kernel_str;
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, uint64_t size,
				  uint64_t flags) = (void *)BPF_FUNC_ringbuf_output;
static void *(*bpf_ringbuf_reserve)(void *ringbuf, uint64_t size, uint64_t flags) = (void *)BPF_FUNC_ringbuf_reserve;
static void (*bpf_ringbuf_submit)(void *data, uint64_t flags) = (void *)BPF_FUNC_ringbuf_submit;
static void (*bpf_ringbuf_discard)(void *data, uint64_t flags) = (void *)BPF_FUNC_ringbuf_discard;

/* trace_printk with a format on the stack (no .rodata map needed):
 * bpf_printk("open %s\n", name) writes a line to trace_pipe. */
#define bpf_printk(fmt, ...)                                                     \
	({                                                                       \
		char fmt_[] = fmt;                                               \
		bpf_trace_printk(fmt_, sizeof(fmt_), ##__VA_ARGS__);             \
	})

#endif
