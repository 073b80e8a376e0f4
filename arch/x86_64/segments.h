/*
 * Segment selectors (course section: the syscall gate).
 *
 * The GDT order is dictated by syscall/sysret. `syscall` loads CS from
 * STAR[47:32] and SS from that + 8; 64-bit `sysret` loads CS from
 * STAR[63:48] + 16 and SS from STAR[63:48] + 8. So the kernel's code and data
 * must be adjacent, and the user's data must sit between a (32-bit) user code
 * descriptor and the 64-bit user code. We use Linux's exact numbers, so the
 * selectors a program sees in a signal frame or in ptrace are Linux's too.
 */
#ifndef ARCH_X86_64_SEGMENTS_H
#define ARCH_X86_64_SEGMENTS_H

#define GDT_KERNEL32_CS 0x08 /* unused; keeps the numbering of Linux */
#define KERNEL_CS 0x10
#define KERNEL_DS 0x18
#define USER32_CS 0x23       /* the base sysret adds to; 32-bit code is not supported */
#define USER_DS 0x2b         /* 0x28 | RPL 3 */
#define USER_CS 0x33         /* 0x30 | RPL 3 */
#define TSS_SEL 0x40         /* a 64-bit TSS descriptor takes two slots */
#define GDT_ENTRIES 10

/* STAR: kernel CS in bits 47:32, the sysret base in bits 63:48. */
#define STAR_VALUE ((0x23ull << 48) | (0x10ull << 32))

#endif
