/*
 * x86_64 hardware facts, named once (course section: the machine under the kernel).
 *
 * Every MSR number, control-register bit, page-table bit and flag the kernel
 * uses is defined here and only here, with the manual's name, so a student can
 * look each one up in the Intel SDM / AMD APM. Shared by C and NASM: the NASM
 * side includes arch/x86_64/x86.inc, which tools/h2inc.awk generates from this
 * file, so the numbers cannot drift apart.
 */
#ifndef ARCH_X86_64_X86_H
#define ARCH_X86_64_X86_H

/* --- Model-specific registers (rdmsr/wrmsr) --- */
#define MSR_EFER           0xC0000080 /* extended features: long mode, syscall, NX */
#define MSR_STAR           0xC0000081 /* segment selectors for syscall/sysret */
#define MSR_LSTAR          0xC0000082 /* rip loaded by syscall in 64-bit mode */
#define MSR_CSTAR          0xC0000083 /* rip for syscall from compatibility mode */
#define MSR_FMASK          0xC0000084 /* rflags bits syscall clears */
#define MSR_FS_BASE        0xC0000100 /* base of the fs segment (user TLS) */
#define MSR_GS_BASE        0xC0000101 /* base of the gs segment now in use */
#define MSR_KERNEL_GS_BASE 0xC0000102 /* the other gs base; swapgs exchanges them */

/* EFER bits */
#define EFER_SCE (1 << 0)  /* syscall/sysret enable */
#define EFER_LME (1 << 8)  /* long mode enable */
#define EFER_NXE (1 << 11) /* no-execute page bit enable */

/* --- Control registers --- */
#define CR0_PE (1 << 0)  /* protected mode */
#define CR0_MP (1 << 1)
#define CR0_WP (1 << 16) /* supervisor writes honour read-only pages */
#define CR0_PG (1u << 31) /* paging */
#define CR4_PAE (1 << 5)   /* physical address extension: needed for long mode */
#define CR4_PGE (1 << 7)   /* global pages */
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP (1 << 11) /* user-mode instruction prevention: sgdt, sidt, sldt, smsw, str */
#define CR4_FSGSBASE (1 << 16)
#define CR4_SMEP (1 << 20) /* supervisor mode execution prevention */
#define CR4_SMAP (1 << 21) /* supervisor mode access prevention */

/* --- RFLAGS --- */
#define RFLAGS_CF (1 << 0)
#define RFLAGS_FIXED (1 << 1) /* always reads as 1 */
#define RFLAGS_TF (1 << 8)    /* trap flag: single-step */
#define RFLAGS_IF (1 << 9)    /* interrupts enabled */
#define RFLAGS_DF (1 << 10)   /* string direction */
#define RFLAGS_IOPL (3 << 12) /* I/O privilege level */
#define RFLAGS_NT (1 << 14)   /* nested task */
#define RFLAGS_RF (1 << 16)   /* resume flag */
#define RFLAGS_VM (1 << 17)   /* virtual-8086 mode */
#define RFLAGS_AC (1 << 18)   /* alignment check; with SMAP: user access allowed */
#define RFLAGS_ID (1 << 21)

/* --- CPUID feature bits we test --- */
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_EXT_EDX_NX (1 << 20)
#define CPUID_EXT_EDX_LM (1 << 29)
#define CPUID_7_EBX_SMEP (1 << 7)
#define CPUID_7_EBX_SMAP (1 << 20)
#define CPUID_7_EBX_FSGSBASE (1 << 0)
#define CPUID_7_ECX_UMIP (1 << 2)
#define CPUID_1_ECX_RDRAND (1 << 30)

/* --- Page-table entry bits (all four levels) --- */
#define PTE_P (1ull << 0)   /* present */
#define PTE_W (1ull << 1)   /* writable */
#define PTE_U (1ull << 2)   /* user accessible */
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)   /* accessed */
#define PTE_D (1ull << 6)   /* dirty */
#define PTE_PS (1ull << 7)  /* large page (in PDPT or PD entries) */
#define PTE_G (1ull << 8)   /* global: kept in the TLB across CR3 loads */
#define PTE_COW (1ull << 9) /* software bit (ignored by the CPU): copy on write */
#define PTE_PROTNONE (1ull << 10) /* software bit: a PROT_NONE page, not present but keeping its frame */
#define PTE_NX (1ull << 63) /* no execute */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Page-fault error code bits */
#define PF_PRESENT (1 << 0) /* 0: page not present; 1: protection violation */
#define PF_WRITE (1 << 1)
#define PF_USER (1 << 2)
#define PF_RSVD (1 << 3)
#define PF_FETCH (1 << 4)

/* --- Exception vectors --- */
#define VEC_DE 0   /* divide error */
#define VEC_DB 1   /* debug */
#define VEC_NMI 2
#define VEC_BP 3   /* int3 */
#define VEC_OF 4
#define VEC_BR 5
#define VEC_UD 6   /* invalid opcode */
#define VEC_NM 7
#define VEC_DF 8   /* double fault */
#define VEC_TS 10
#define VEC_NP 11
#define VEC_SS 12
#define VEC_GP 13  /* general protection */
#define VEC_PF 14  /* page fault */
#define VEC_MF 16
#define VEC_AC 17
#define VEC_MC 18  /* machine check */
#define VEC_XM 19
#define VEC_VE 20
#define VEC_CP 21
#define NUM_EXCEPTIONS 32
#define VEC_IRQ0 32          /* the PIC's lines are remapped to 32..47 */
#define VEC_SPURIOUS 255
#define VEC_SYSCALL 256      /* not a CPU vector: marks frames built by the syscall entry */

/* Interrupt Stack Table slots (TSS.ist[n-1]) */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

/* --- Segment descriptors (GDT) --- */
#define SEG_ACCESSED (1 << 8)
#define SEG_RW (1 << 9)       /* readable code / writable data */
#define SEG_CODE (1 << 11)
#define SEG_S (1 << 12)       /* code or data (not system) */
#define SEG_DPL3 (3 << 13)
#define SEG_P (1 << 15)       /* present */
#define SEG_L (1 << 21)       /* 64-bit code */
#define SEG_DB (1 << 22)      /* 32-bit default size */
#define SEG_G (1 << 23)       /* 4 KiB granularity */
#define SEG_TSS_AVAIL 0x9     /* 64-bit TSS (available) */

/* IDT gate types */
#define GATE_INTERRUPT 0xE    /* clears IF on entry */
#define GATE_TRAP 0xF

/* --- Legacy devices' I/O ports --- */
#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61         /* speaker/gate control of channel 2 */
#define PIT_HZ 1193182
#define PS2_DATA 0x60
#define PS2_STATUS 0x64
#define CMOS_ADDR 0x70
#define CMOS_DATA 0x71
#define COM1 0x3F8
#define VGA_TEXT_PHYS 0xB8000
#define VGA_CRTC_ADDR 0x3D4
#define VGA_CRTC_DATA 0x3D5
#define QEMU_DEBUGCON 0xE9    /* bytes written here go to QEMU's -debugcon */
#define QEMU_DEBUG_EXIT 0xF4  /* isa-debug-exit: QEMU exits with (value << 1) | 1 */
#define QEMU_PIIX4_PM1A_CNT 0xB004 /* ACPI PM1a control on QEMU's pc machine (no tables) */
#define QEMU_ICH9_PM1A_CNT 0x604    /* and on its q35 machine */
#define KBD_RESET_PORT 0x64
#define KBD_RESET_CMD 0xFE

/* --- Paging geometry --- */
#define PAGE_SIZE 4096ul
#define PAGE_SHIFT 12
#define LARGE_PAGE_SIZE (2ul << 20)

#endif
