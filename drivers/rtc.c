/*
 * The real-time clock in the CMOS chip (course section: time).
 *
 * The RTC keeps the date while the machine is off. Its registers are read
 * through two ports: write the register number to 0x70, read it from 0x71.
 * Values are usually in BCD (0x59 means 59) unless status register B says
 * binary; the hours may be in 12-hour form. We read twice until two reads
 * agree, because the chip may be updating while we read.
 */
#include "drivers/rtc.h"
#include "arch/x86_64/cpu.h"

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B
#define STATUS_A_UPDATING 0x80
#define STATUS_B_BINARY 0x04
#define STATUS_B_24H 0x02
#define HOUR_PM 0x80

struct rtc_time {
	unsigned sec, min, hour, day, month, year;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
	while (cmos_read(RTC_STATUS_A) & STATUS_A_UPDATING)
		cpu_relax();
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->month = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
}

static unsigned from_bcd(unsigned v) { return (v & 0x0F) + (v >> 4) * 10; }

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar:
 * count from March so the leap day is the last day of the "year". */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

uint64_t rtc_read_epoch_seconds(void)
{
	struct rtc_time a, b;
	read_raw(&b);
	do {
		a = b;
		read_raw(&b);
	} while (a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.day != b.day);

	uint8_t status = cmos_read(RTC_STATUS_B);
	bool pm = a.hour & HOUR_PM;
	a.hour &= ~HOUR_PM;
	if (!(status & STATUS_B_BINARY)) {
		a.sec = from_bcd(a.sec);
		a.min = from_bcd(a.min);
		a.hour = from_bcd(a.hour);
		a.day = from_bcd(a.day);
		a.month = from_bcd(a.month);
		a.year = from_bcd(a.year);
	}
	if (!(status & STATUS_B_24H) && pm)
		a.hour = (a.hour % 12) + 12;
	int64_t days = days_from_civil(2000 + a.year, a.month, a.day);
	return (uint64_t)(days * 86400 + a.hour * 3600 + a.min * 60 + a.sec);
}
