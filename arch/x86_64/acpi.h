/* ACPI tables: where the firmware says how to power off (course section: devices). */
#ifndef ARCH_X86_64_ACPI_H
#define ARCH_X86_64_ACPI_H

#include "kernel/types.h"

/* Where the firmware may put the RSDP ("RSD PTR "), on a 16-byte boundary:
 * the first KiB of the EBDA (its segment is the word at 0x40e) or the BIOS
 * area 0xe0000..0xfffff. */
#define ACPI_EBDA_SEGMENT_PTR 0x40e
#define ACPI_BIOS_AREA_START 0xe0000
#define ACPI_BIOS_AREA_END 0x100000

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* the first 20 bytes sum to 0 */
	char oem[6];
	uint8_t revision;	/* 0: ACPI 1.0 (RSDT only); 2: XSDT too */
	uint32_t rsdt;		/* physical address of the RSDT */
	uint32_t length;
	uint64_t xsdt;		/* physical address of the XSDT */
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

/* Every table starts so; all its bytes sum to 0. */
struct acpi_header {
	char signature[4];	/* "FACP" for the FADT, "DSDT", ... */
	uint32_t length;	/* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator;
	uint32_t creator_revision;
} __packed;

/* Byte offsets of the FADT fields we use. */
#define FADT_DSDT 40		/* uint32_t: physical address of the DSDT */
#define FADT_SMI_CMD 48		/* uint32_t: port that switches the chipset to ACPI mode */
#define FADT_ACPI_ENABLE 52	/* uint8_t: the value to write there */
#define FADT_PM1A_CNT_BLK 64	/* uint32_t: I/O port of PM1a control */
#define FADT_PM1B_CNT_BLK 68	/* uint32_t: PM1b control, 0 if none */
#define FADT_X_DSDT 140		/* uint64_t: the DSDT, 64-bit (ACPI 2.0+) */

/* PM1 control register: write SLP_TYP (bits 10-12) with SLP_EN to sleep. */
#define ACPI_SLP_TYP_SHIFT 10
#define ACPI_SLP_EN (1u << 13)
#define ACPI_SCI_EN 1u		/* set once the chipset is in ACPI mode */

/* AML bytes met on the way to \_S5's package. */
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_BYTE_PREFIX 0x0a

/* How to enter sleep state S5 (soft off), as the ACPI tables say. */
struct acpi_s5 {
	uint16_t pm1a_cnt, pm1b_cnt;	/* ports; pm1b_cnt 0 if none */
	uint16_t slp_typ_a, slp_typ_b;
	uint16_t smi_cmd;		/* 0 if the chipset is always in ACPI mode */
	uint8_t acpi_enable;
};

/* Finds the RSDP, the FADT and \_S5 in the DSDT. 0, or -1 if the tables
 * are missing or not understood. */
int acpi_find_s5(struct acpi_s5 *s5);
/* Switches the chipset from legacy (SMM) mode to ACPI mode if it is not. */
void acpi_enable(const struct acpi_s5 *s5);

#endif
