/*
 * Reading the ACPI tables to power off (course section: devices).
 *
 * How does a kernel switch a PC off? Not by a fixed port: each chipset has
 * its own. The firmware describes the machine in ACPI tables in memory:
 *   RSDP  found by its signature "RSD PTR " in the BIOS area; points to
 *   RSDT  (or XSDT) a list of the other tables' addresses, among them
 *   FADT  ("FACP") the fixed hardware: PM1a_CNT_BLK is the I/O port of the
 *         power-management control register, DSDT the address of
 *   DSDT  AML bytecode describing devices; the object \_S5 is a package
 *         whose first value is SLP_TYP for sleep state S5, "soft off".
 * Writing SLP_TYP << 10 | SLP_EN to PM1a control powers off. On QEMU's pc
 * machine (PIIX4) the port is 0xb004; on q35 (ICH9) it is 0x604. A real
 * kernel runs an AML interpreter to evaluate \_S5; its package is simple
 * enough that matching its bytes is enough here.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/x86.h"
#include "kernel/init/bootinfo.h"
#include "arch/x86_64/cpu.h"
#include "libc/include/string.h"
#include "mm/phys.h"

/* Is [phys, phys + len) inside the direct map (all RAM, in 2 MiB pages,
 * which covers the tables QEMU's firmware puts just below the top)? */
static bool mapped(uint64_t phys, uint64_t len)
{
	uint64_t top = 0;
	for (int i = 0; i < boot_info.ram_count; i++)
		top = MAX(top, boot_info.ram[i].end);
	top = ALIGN_UP(top, LARGE_PAGE_SIZE);
	return phys != 0 && phys + len >= phys && phys + len <= MAX(top, (uint64_t)ACPI_BIOS_AREA_END);
}

static uint8_t sum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	while (n--)
		s += *b++;
	return s;
}

static const struct acpi_rsdp *scan_rsdp(uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a + sizeof(struct acpi_rsdp) <= end; a += 16) {
		const struct acpi_rsdp *r = phys_to_virt(a);
		if (memcmp(r->signature, "RSD PTR ", 8) == 0 && sum(r, 20) == 0)
			return r;
	}
	return NULL;
}

static const struct acpi_rsdp *find_rsdp(void)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(ACPI_EBDA_SEGMENT_PTR) << 4;
	const struct acpi_rsdp *r = NULL;
	if (ebda >= 0x80000 && ebda < ACPI_BIOS_AREA_START)
		r = scan_rsdp(ebda, ebda + 1024);
	return r ? r : scan_rsdp(ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_END);
}

/* The table at phys, if it is whole, mapped and its checksum right. */
static const struct acpi_header *table_at(uint64_t phys)
{
	if (!mapped(phys, sizeof(struct acpi_header)))
		return NULL;
	const struct acpi_header *h = phys_to_virt(phys);
	if (h->length < sizeof(*h) || !mapped(phys, h->length) || sum(h, h->length) != 0)
		return NULL;
	return h;
}

/* The table with this signature, from the XSDT (64-bit entries) or RSDT. */
static const struct acpi_header *find_table(const struct acpi_rsdp *rsdp, const char *signature)
{
	bool wide = rsdp->revision >= 2 && rsdp->xsdt;
	const struct acpi_header *list = table_at(wide ? rsdp->xsdt : rsdp->rsdt);
	if (!list)
		return NULL;
	size_t entry = wide ? 8 : 4;
	size_t count = (list->length - sizeof(*list)) / entry;
	const uint8_t *entries = (const uint8_t *)(list + 1);
	for (size_t i = 0; i < count; i++) {
		uint64_t phys = 0;
		memcpy(&phys, entries + i * entry, entry); /* entries need not be aligned */
		const struct acpi_header *t = table_at(phys);
		if (t && memcmp(t->signature, signature, 4) == 0)
			return t;
	}
	return NULL;
}

static uint32_t field32(const struct acpi_header *t, size_t offset)
{
	uint32_t v = 0;
	if (offset + 4 <= t->length)
		memcpy(&v, (const uint8_t *)t + offset, 4);
	return v;
}

/* One AML integer at *p: ZeroOp, OneOp, or BytePrefix and a byte. */
static int aml_small_integer(const uint8_t **p, const uint8_t *end)
{
	if (*p >= end)
		return -1;
	uint8_t op = *(*p)++;
	if (op == AML_ZERO_OP || op == AML_ONE_OP)
		return op;
	if (op == AML_BYTE_PREFIX && *p < end)
		return *(*p)++;
	return -1;
}

/* Name(_S5, Package() { SLP_TYPa, SLP_TYPb, ... }) in the DSDT's bytes:
 * NameOp, "_S5_", PackageOp, a length (1 to 4 bytes: the top two bits of
 * the first say how many follow), the element count, the elements. */
static int parse_s5(const struct acpi_header *dsdt, struct acpi_s5 *s5)
{
	const uint8_t *p = (const uint8_t *)(dsdt + 1);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;
	for (; p + 4 < end; p++) {
		if (memcmp(p, "_S5_", 4) != 0)
			continue;
		if (!(p[-1] == AML_NAME_OP || (p[-1] == '\\' && p[-2] == AML_NAME_OP)))
			continue;
		const uint8_t *q = p + 4;
		if (q >= end || *q++ != AML_PACKAGE_OP || q >= end)
			continue;
		q += 1 + (*q >> 6); /* the package length */
		q++;                /* the number of elements */
		int a = aml_small_integer(&q, end);
		int b = aml_small_integer(&q, end);
		if (a < 0)
			return -1;
		s5->slp_typ_a = (uint16_t)a;
		s5->slp_typ_b = (uint16_t)(b < 0 ? a : b);
		return 0;
	}
	return -1;
}

int acpi_find_s5(struct acpi_s5 *s5)
{
	const struct acpi_rsdp *rsdp = find_rsdp();
	if (!rsdp)
		return -1;
	const struct acpi_header *fadt = find_table(rsdp, "FACP");
	if (!fadt)
		return -1;
	s5->pm1a_cnt = (uint16_t)field32(fadt, FADT_PM1A_CNT_BLK);
	s5->pm1b_cnt = (uint16_t)field32(fadt, FADT_PM1B_CNT_BLK);
	s5->smi_cmd = (uint16_t)field32(fadt, FADT_SMI_CMD);
	s5->acpi_enable = (uint8_t)field32(fadt, FADT_ACPI_ENABLE);
	uint64_t dsdt_phys = field32(fadt, FADT_DSDT);
	if (fadt->length >= FADT_X_DSDT + 8)
		memcpy(&dsdt_phys, (const uint8_t *)fadt + FADT_X_DSDT, 8);
	if (!dsdt_phys)
		dsdt_phys = field32(fadt, FADT_DSDT);
	const struct acpi_header *dsdt = table_at(dsdt_phys);
	if (!s5->pm1a_cnt || !dsdt || memcmp(dsdt->signature, "DSDT", 4) != 0)
		return -1;
	return parse_s5(dsdt, s5);
}

/* Firmware with SMM (QEMU's q35) starts the chipset in legacy mode, where
 * the power-management registers ignore the OS: writing ACPI_ENABLE to the
 * SMI command port hands them over, and SCI_EN says when it is done. */
void acpi_enable(const struct acpi_s5 *s5)
{
	if ((inw(s5->pm1a_cnt) & ACPI_SCI_EN) || !s5->smi_cmd || !s5->acpi_enable)
		return;
	outb(s5->smi_cmd, s5->acpi_enable);
	for (int tries = 0; tries < 1000000 && !(inw(s5->pm1a_cnt) & ACPI_SCI_EN); tries++)
		cpu_relax();
}
