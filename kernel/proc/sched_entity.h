/* What the fair scheduler keeps for each task (course section: processes). */
#ifndef KERNEL_SCHED_ENTITY_H
#define KERNEL_SCHED_ENTITY_H

#include "kernel/types.h"

/*
 * A task's place in the fair scheduler (kernel/proc/sched.c), all in one
 * block: struct task holds one of these as `se`, zeroed by task_alloc (a
 * weight of 0 means "never queued yet": sched_enqueue gives it its
 * parent's nice). Times are nanoseconds of CLOCK_MONOTONIC.
 */
struct sched_entity {
	uint64_t vruntime;     /* CPU time weighted by nice: the run queue's order */
	int nice;              /* -20 (favoured) .. 19 (kind to others) */
	unsigned weight;       /* the nice value's weight (kernel/proc/priority.c); 1024 at nice 0 */
	uint64_t exec_start;   /* when it last went on the CPU, or was last accounted */
	uint64_t slice_start;  /* sum_exec when it was picked: how long this turn has been */
	uint64_t wait_start;   /* when it last became runnable but not running */
	/* /proc/PID/schedstat's three figures */
	uint64_t sum_exec;     /* CPU time used */
	uint64_t run_delay;    /* time spent runnable, waiting for the CPU */
	uint64_t timeslices;   /* how many times it was put on the CPU */
};

#endif
