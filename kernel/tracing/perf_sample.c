/*
 * Sampling: when a counter makes a record (course section: performance
 * profiling tools).
 *
 * A counting event only adds. A sampling event (attr.sample_period, or
 * attr.sample_freq with attr.freq) also writes a PERF_RECORD_SAMPLE into
 * its ring every `period` counts: every 1000th page fault, every
 * tracepoint hit, every 250 000 ns of CPU time. Where the sample says the
 * program was depends on the event:
 *
 *  - cpu-clock and task-clock are sampled by the timer tick (1 kHz): the
 *    tick looks at the clock's value, and when a period or more has passed
 *    since the last sample, takes one at the interrupted instruction, with
 *    the time passed as its PERIOD. (Linux arms a high-resolution timer per
 *    event; with one tick a millisecond, no clock samples more often, and
 *    `perf record -F 4000` gets 1000 samples a second of 1 ms each: the
 *    totals are right, the resolution is the tick's.) A frequency is turned
 *    into a fixed period, as Linux does for these clocks.
 *  - page faults are sampled in the fault handler: the faulting instruction
 *    and, for PERF_SAMPLE_ADDR, the address.
 *  - tracepoints carry their record as PERF_SAMPLE_RAW, the bytes the
 *    event's `format` file describes. A syscall event's sample is at the
 *    program's instruction (the syscall's registers, as Linux); the others'
 *    inside the kernel where they fired.
 * With attr.freq on an event that is not a clock, the period is 1: every
 * occurrence is sampled (Linux adapts the period toward the frequency;
 * for tracepoints `perf record` asks for period 1 anyway).
 *
 * exclude_user and exclude_kernel drop the samples taken there.
 */
#include "kernel/tracing/perf_ring.h"
#include "kernel/tracing/trace.h"
#include "kernel/proc/task.h"
#include "libc/include/abi/errno.h"

#define NSEC_PER_SEC 1000000000ull
#define PERF_MAX_SAMPLE_RATE 100000 /* kernel.perf_event_max_sample_rate's default */
#define CLOCK_MIN_PERIOD_NS 10000   /* Linux's floor for the clocks' period */

static bool is_clock(const struct perf_event *e)
{
	return e->attr.type == PERF_TYPE_SOFTWARE &&
	       (e->attr.config == PERF_COUNT_SW_CPU_CLOCK || e->attr.config == PERF_COUNT_SW_TASK_CLOCK);
}

int perf_sample_init(struct perf_event *e)
{
	bool freq = e->attr.flags & PERF_ATTR_FLAG_FREQ;
	uint64_t v = e->attr.sample_period; /* the union: sample_freq with attr.freq */
	if (freq && v > PERF_MAX_SAMPLE_RATE)
		return -EINVAL;
	if (v == 0)
		return 0; /* counting only */
	if (is_clock(e))
		e->period = freq ? NSEC_PER_SEC / v : (v < CLOCK_MIN_PERIOD_NS ? CLOCK_MIN_PERIOD_NS : v);
	else
		e->period = freq ? 1 : v;
	e->period_left = e->period;
	return 0;
}

static bool excluded(const struct perf_event *e, bool kernel)
{
	return (e->attr.flags & (kernel ? PERF_ATTR_FLAG_EXCLUDE_KERNEL : PERF_ATTR_FLAG_EXCLUDE_USER)) != 0;
}

/* Where a sample is: the registers an interrupt or fault saved, or, with
 * none, the kernel here (the caller's frame). */
static void sample_at(struct perf_sample *s, const struct regs *r, uint64_t here_ip, uint64_t here_fp)
{
	const struct regs *user = current && current->mm ? task_regs(current) : NULL;
	if (r && regs_from_user(r)) {
		s->ip = r->rip;
		s->kernel = false;
		s->user = r;
		return;
	}
	s->kernel = true;
	s->ip = r ? r->rip : here_ip;
	s->kernel_fp = r ? r->rbp : here_fp;
	s->user = user;
}

/* Take n from the period; true when it ran out (and starts again). */
static bool period_elapsed(struct perf_event *e, uint64_t n)
{
	if (n < e->period_left) {
		e->period_left -= n;
		return false;
	}
	e->period_left = e->period;
	return true;
}

void perf_sample_overflow(struct perf_event *e, uint64_t n, const struct regs *r, uint64_t addr)
{
	if (!period_elapsed(e, n))
		return;
	struct perf_sample s = { .addr = addr, .period = e->period };
	sample_at(&s, r, (uint64_t)__builtin_return_address(0), (uint64_t)__builtin_frame_address(0));
	if (!excluded(e, s.kernel))
		perf_event_output_sample(e, &s);
}

void perf_tracepoint_overflow(struct perf_event *e, bool user, const void *rec, size_t len)
{
	if (!period_elapsed(e, 1))
		return;
	struct perf_sample s = { .period = e->period, .raw = rec, .raw_size = (uint32_t)len };
	const struct regs *u = current && current->mm ? task_regs(current) : NULL;
	sample_at(&s, user ? u : NULL, (uint64_t)__builtin_return_address(0), (uint64_t)__builtin_frame_address(0));
	perf_event_output_sample(e, &s);
}

/* The tick: each sampling clock that is running here, and has run a period
 * since its last sample, samples the interrupted instruction. */
void perf_tick(const struct regs *r)
{
	struct perf_event *e;
	for_each_perf_event(e) {
		if (!e->period || !is_clock(e) || !e->enabled || !perf_event_on_cpu(e))
			continue;
		uint64_t now = perf_event_clock(e);
		if (now - e->clock_sampled_ns < e->period)
			continue;
		struct perf_sample s = { .period = now - e->clock_sampled_ns };
		e->clock_sampled_ns = now;
		sample_at(&s, r, 0, 0);
		if (!excluded(e, s.kernel))
			perf_event_output_sample(e, &s);
	}
}
