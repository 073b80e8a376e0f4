/*
 * The kept panic log (course section: kernel debugging techniques).
 *
 * A panic's report is on the console -- if anyone was looking, and if the
 * console was not the thing that broke. Linux's pstore keeps it in memory
 * that survives a reset, and the next boot shows it. sysgate does the
 * same with plain RAM: a warm reset (QEMU's system_reset, a reboot that
 * does not cut the power) leaves memory as it was, so 48 KiB of low RAM
 * at 0x90000, kept out of the frame allocator, hold the end of the kernel
 * log written at the moment of the panic:
 *
 *   | magic | length | checksum | the last 16 KiB of the kernel log |
 *
 * Each boot looks there first. A valid record (the magic, and a checksum
 * that matches: a cold boot leaves garbage or zeros) is copied out,
 * printed with "previous panic: " before each line, and kept in
 * /proc/last_panic (Linux: /sys/fs/pstore/); the area is then cleared, so
 * the report is shown once.
 */
#include "kernel/debug/pstore.h"
#include "arch/x86_64/x86.h"
#include "kernel/fs/procfs.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/phys.h"

/* Low memory, below the BIOS's data at 0x9fc00: the firmware and GRUB
 * leave it alone across a reset (the top of RAM, GRUB's heap, does not
 * survive). */
#define PSTORE_BASE 0x90000ul
#define PSTORE_SIZE (48ul << 10)
#define PSTORE_MAGIC 0x43494e4150474953ul /* "SYSGPANIC" */
#define KEPT_MAX 16384

struct record {
	uint64_t magic;
	uint32_t len;
	uint32_t sum;
	char text[];
};

static struct phys_range area;      /* empty: no safe place found */
static char kept[KEPT_MAX];         /* the previous boot's record */
static size_t kept_len;
static char log_copy[KEPT_MAX];     /* for pstore_save, which runs in panic */

static uint32_t checksum(const char *p, size_t n)
{
	uint32_t s = 0x5eed;
	for (size_t i = 0; i < n; i++)
		s = s * 31 + (uint8_t)p[i];
	return s;
}

static bool overlaps(struct phys_range a, struct phys_range b)
{
	return a.start < b.end && b.start < a.end;
}

struct phys_range pstore_reserve(const struct phys_range *ram, int nram, const struct phys_range *used,
				 int nused)
{
	struct phys_range r = { PSTORE_BASE, PSTORE_BASE + PSTORE_SIZE };
	bool in_ram = false;
	for (int i = 0; i < nram; i++)
		in_ram |= ram[i].start <= r.start && r.end <= ram[i].end;
	if (!in_ram)
		return area;
	for (int i = 0; i < nused; i++)
		if (overlaps(r, used[i]))
			return area; /* the boot loader put something there: no kept log this boot */
	area = r;
	return area;
}

static void print_kept(void)
{
	printk("previous panic: the last boot ended in a panic; its log (/proc/last_panic):\n");
	const char *line = kept, *end = kept + kept_len;
	while (line < end) {
		const char *nl = memchr(line, '\n', end - line);
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
		printk("previous panic: %.*s\n", (int)n, line);
		line += n + 1;
	}
}

static int gen_last_panic(struct proc_text *t, pid_t pid)
{
	(void)pid;
	proc_write(t, kept, kept_len);
	return 0;
}

void pstore_init(void)
{
	if (area.end == 0) {
		printk("pstore: its area is not free RAM: panics are not kept\n");
		return;
	}
	struct record *r = phys_to_virt(area.start);
	printk("pstore: a panic's log is kept at %#lx..%#lx (magic %s)\n", area.start, area.end,
	       r->magic == PSTORE_MAGIC ? "found" : "absent");
	if (r->magic == PSTORE_MAGIC && r->len <= KEPT_MAX && r->sum == checksum(r->text, r->len)) {
		memcpy(kept, r->text, r->len);
		kept_len = r->len;
		print_kept();
	}
	r->magic = 0;
}

void pstore_proc_init(void)
{
	procfs_add("last_panic", gen_last_panic);
}

void pstore_save(void)
{
	if (area.end == 0)
		return;
	struct record *r = phys_to_virt(area.start);
	size_t n = printk_read_log(log_copy, sizeof(log_copy));
	memcpy(r->text, log_copy, n);
	r->len = (uint32_t)n;
	r->sum = checksum(r->text, n);
	r->magic = PSTORE_MAGIC;
	printk("pstore: this log is kept for the next boot after a warm reset\n");
}
