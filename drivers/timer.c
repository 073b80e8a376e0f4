/*
 * The timer: the PIT's periodic interrupt and the TSC clock (course section: time).
 *
 * Two pieces of hardware keep time:
 *  - the PIT (8253/8254), an old but always-present chip whose channel 0
 *    divides a 1.193182 MHz clock to interrupt us TIMER_HZ times a second
 *    (IRQ 0). Each tick drives the scheduler and the software timers.
 *  - the TSC, a 64-bit cycle counter read by `rdtsc`. It gives the time
 *    with nanosecond resolution between ticks. Its frequency is not known
 *    in advance, so we measure it against the PIT's channel 2 at boot.
 * CLOCK_REALTIME is the RTC's date at boot plus CLOCK_MONOTONIC.
 */
#include "drivers/timer.h"
#include "kernel/debug/watchdog.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "drivers/rtc.h"
#include "kernel/time/ktimer.h"
#include "kernel/printk.h"
#include "kernel/proc/sched.h"
#include "kernel/tracing/hooks.h"
#include "kernel/vdso/vdso.h"

#define PIT_MODE_RATE 0x34    /* channel 0, lobyte/hibyte, mode 2 (rate generator) */
#define PIT_MODE_ONESHOT 0xB0 /* channel 2, lobyte/hibyte, mode 0 (count down once) */
#define GATE_ENABLE 0x01      /* port 0x61 bit 0: channel 2 gate */
#define SPEAKER_ENABLE 0x02   /* port 0x61 bit 1: keep the speaker off */
#define OUT2_HIGH 0x20        /* port 0x61 bit 5: channel 2's output */
#define CALIBRATE_MS 20
#define TIMER_IRQ 0

static volatile uint64_t ticks;
static uint64_t tsc_at_boot, tsc_per_sec;
static uint64_t ns_per_tsc_q32; /* nanoseconds per TSC cycle, as a 32.32 fixed-point number */
static uint64_t realtime_at_boot_ns;

/* Count TSC cycles while the PIT's channel 2 counts down CALIBRATE_MS. */
static uint64_t measure_tsc_hz(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint8_t gate = inb(PIT_GATE);
	outb(PIT_GATE, (gate & ~SPEAKER_ENABLE) & ~GATE_ENABLE);
	outb(PIT_CMD, PIT_MODE_ONESHOT);
	outb(PIT_CH2, count & 0xFF);
	outb(PIT_CH2, count >> 8);
	outb(PIT_GATE, (inb(PIT_GATE) & ~SPEAKER_ENABLE) | GATE_ENABLE); /* start counting */
	uint64_t start = rdtsc();
	while (!(inb(PIT_GATE) & OUT2_HIGH))
		cpu_relax();
	uint64_t cycles = rdtsc() - start;
	outb(PIT_GATE, gate);
	return cycles * (1000 / CALIBRATE_MS);
}

static void timer_irq(struct regs *r)
{
	ticks++;
	watchdog_tick(r, regs_from_user(r)); /* kernel/debug/watchdog.c: stuck in kernel mode? */
	uint64_t now = clock_monotonic_ns();
	vdso_update_coarse(now); /* the coarse clocks the vDSO reads */
	ktimer_run_expired(now);
	tracehook_tick(r); /* perf's cpu-clock samples, before the tick may switch tasks */
	sched_tick(regs_from_user(r));
}

void timer_init(void)
{
	tsc_per_sec = measure_tsc_hz();
	if (tsc_per_sec == 0)
		tsc_per_sec = 1000000000; /* cannot happen on real hardware; be safe */
	ns_per_tsc_q32 = (uint64_t)(((unsigned __int128)NSEC_PER_SEC_K << 32) / tsc_per_sec);
	tsc_at_boot = rdtsc();
	realtime_at_boot_ns = rtc_read_epoch_seconds() * NSEC_PER_SEC_K;

	uint16_t divisor = PIT_HZ / TIMER_HZ;
	outb(PIT_CMD, PIT_MODE_RATE);
	outb(PIT_CH0, divisor & 0xFF);
	outb(PIT_CH0, divisor >> 8);
	irq_register(TIMER_IRQ, timer_irq);
	printk("timer: %d Hz PIT, TSC %lu.%03lu MHz\n", TIMER_HZ, tsc_per_sec / 1000000,
	       tsc_per_sec / 1000 % 1000);
}

uint64_t clock_monotonic_ns(void)
{
	uint64_t cycles = rdtsc() - tsc_at_boot;
	return (uint64_t)(((unsigned __int128)cycles * ns_per_tsc_q32) >> 32);
}

uint64_t clock_realtime_ns(void)
{
	return realtime_at_boot_ns + clock_monotonic_ns();
}

void clock_parameters(uint64_t *tsc_base, uint64_t *ns_per_tsc, uint64_t *realtime_base_ns)
{
	*tsc_base = tsc_at_boot;
	*ns_per_tsc = ns_per_tsc_q32;
	*realtime_base_ns = realtime_at_boot_ns;
}

uint64_t timer_ticks(void)
{
	return ticks;
}

uint64_t tsc_hz(void)
{
	return tsc_per_sec;
}
