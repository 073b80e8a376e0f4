/*
 * bpfdemo's BPF program (course section: eBPF, the revolution in kernel
 * programming): the smallest useful program. On every execve it writes a
 * line with bpf_trace_printk, which the kernel appends to tracefs's
 * trace_pipe; no map, no loader-side reading, just printf from the kernel.
 */
#include "bpf_helpers.h"
#include "tracepoints.h"

SEC("tracepoint/syscalls/sys_enter_execve")
int hello(struct tp_sys_enter *ctx)
{
	(void)ctx;
	char comm[TASK_COMM_LEN];
	bpf_get_current_comm(comm, sizeof(comm));
	bpf_printk("bpfdemo: pid %d (%s) calls execve\n", (int)(bpf_get_current_pid_tgid() >> 32), comm);
	return 0;
}

LICENSE_GPL;
