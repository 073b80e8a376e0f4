/*
 * The records tracepoint programs read (course section: advanced eBPF
 * tracing): a tracepoint program's context is the event's record, laid
 * out as the event's `format` file in /sys/kernel/tracing/events/ says
 * (the same offsets on Linux and on sysgate). Every record starts with the
 * 8-byte common header (type, flags, preempt count, pid).
 */
#ifndef USER_BPF_TRACEPOINTS_H
#define USER_BPF_TRACEPOINTS_H

#include <stdint.h>

#define TASK_COMM_LEN 16

struct tp_common {
	uint16_t type;
	uint8_t flags;
	uint8_t preempt_count;
	int32_t pid;
};

/* syscalls/sys_enter_NAME: the number, then each argument as 8 bytes. */
struct tp_sys_enter {
	struct tp_common c;
	int32_t nr;
	int32_t pad;
	uint64_t args[6];
};

/* syscalls/sys_exit_NAME. */
struct tp_sys_exit {
	struct tp_common c;
	int32_t nr;
	int32_t pad;
	int64_t ret;
};

/* raw_syscalls/sys_enter and sys_exit: every syscall through one event. */
struct tp_raw_sys_enter {
	struct tp_common c;
	int64_t id;
	uint64_t args[6];
};

struct tp_raw_sys_exit {
	struct tp_common c;
	int64_t id;
	int64_t ret;
};

/* sched/sched_switch. */
struct tp_sched_switch {
	struct tp_common c;
	char prev_comm[TASK_COMM_LEN];
	int32_t prev_pid;
	int32_t prev_prio;
	int64_t prev_state; /* 0: still runnable (preempted) */
	char next_comm[TASK_COMM_LEN];
	int32_t next_pid;
	int32_t next_prio;
};

/* sched/sched_wakeup and sched_wakeup_new. */
struct tp_sched_wakeup {
	struct tp_common c;
	char comm[TASK_COMM_LEN];
	int32_t pid;
	int32_t prio;
	int32_t target_cpu;
};

/* sched/sched_process_exec: filename is a __data_loc, the string's offset
 * in the record in the low 16 bits and its length in the high 16. */
struct tp_sched_process_exec {
	struct tp_common c;
	uint32_t filename_loc;
	int32_t pid;
	int32_t old_pid;
};

/* sched/sched_process_fork (the names are __data_loc strings). */
struct tp_sched_process_fork {
	struct tp_common c;
	uint32_t parent_comm_loc;
	int32_t parent_pid;
	uint32_t child_comm_loc;
	int32_t child_pid;
};

#endif
