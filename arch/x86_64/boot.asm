; From GRUB to C: the multiboot2 header and the switch to 64-bit long mode
; (course section: booting).
;
; GRUB reads the multiboot2 header below, loads the kernel, and jumps to
; _start with the CPU in 32-bit protected mode, paging off, eax = the
; multiboot2 magic and ebx = the physical address of the boot information.
; A second way in, for quick test boots without GRUB: the PVH note below
; lets `qemu -kernel kernel.elf -initrd FILE` load the ELF itself and enter
; at pvh_start in the same CPU state, with ebx = the address of a PVH
; start_info (kernel/init/bootinfo_pvh.c reads it).
; To reach 64-bit mode we must: check the CPU can do it, build page tables,
; enable PAE, load CR3, set EFER.LME, enable paging, and far-jump into a
; 64-bit code segment. Then we jump to the higher half and call kmain().

%include "arch/x86_64/x86.inc"

extern kmain
extern boot_stack_top_phys

KERNEL_VMA equ 0xffffffff80000000
MB2_MAGIC equ 0xe85250d6          ; in the header, for GRUB to find
MB2_BOOT_MAGIC equ 0x36d76289     ; in eax, from GRUB
MB2_ARCH_I386 equ 0
PVH_BOOT_MAGIC equ 0x336ec578     ; the first field of PVH's start_info
XEN_ELFNOTE_PHYS32_ENTRY equ 18   ; the note type QEMU looks for

; ---------------------------------------------------------------------------
section .multiboot2
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header)) ; sum of the four = 0
	; end tag: type 0, flags 0, size 8
	dw 0, 0
	dd 8
mb2_header_end:

; The PVH entry note (Xen's direct-boot ABI): an ELF note named "Xen" whose
; value is the 32-bit physical entry point. QEMU reads the value as 8 bytes.
section .note.pvh note alloc noexec nowrite align=4
	dd 4                          ; the name's size ("Xen" and its NUL)
	dd 8                          ; the value's size
	dd XEN_ELFNOTE_PHYS32_ENTRY
	db "Xen", 0
	dq pvh_start

; ---------------------------------------------------------------------------
section .boot.text
bits 32
; PVH enters here: 32-bit protected mode, paging off, ebx = start_info.
; From here on it is the multiboot2 path, told apart by the magic in eax.
global pvh_start
pvh_start:
	mov eax, PVH_BOOT_MAGIC
	; fall through to _start

global _start
_start:
	cli
	mov esp, boot_stack_top_phys  ; a stack at its physical address (linker.ld)
	mov edi, eax                  ; keep the magic (edi/esi survive to kmain's arguments)
	mov esi, ebx                  ; keep the boot information's address

	cmp edi, MB2_BOOT_MAGIC
	je .loader_known
	cmp edi, PVH_BOOT_MAGIC
	jne .not_multiboot2
.loader_known:

	; Is there an extended CPUID leaf 0x80000001, and does it report long mode?
	mov eax, 0x80000000
	cpuid
	cmp eax, CPUID_EXT_FEATURES
	jb .no_long_mode
	mov eax, CPUID_EXT_FEATURES
	cpuid
	test edx, CPUID_EXT_EDX_LM
	jz .no_long_mode
	mov ebp, edx                  ; remember the NX bit for EFER below

	call build_boot_page_tables

	mov eax, cr4
	or eax, CR4_PAE               ; long mode requires PAE paging
	mov cr4, eax

	mov eax, boot_pml4
	mov cr3, eax                  ; the top of the page-table tree

	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME              ; long mode, active once paging is on
	test ebp, CPUID_EXT_EDX_NX
	jz .no_nx
	or eax, EFER_NXE              ; allow the no-execute bit in page tables
.no_nx:
	wrmsr

	mov eax, cr0
	or eax, CR0_PG | CR0_WP | CR0_PE ; paging on (and honour read-only pages in ring 0)
	mov cr0, eax                  ; now in compatibility mode (32-bit code, 64-bit paging)

	lgdt [boot_gdt_ptr]
	jmp BOOT_CODE64:long_mode_low ; loading a 64-bit CS enters 64-bit mode

.not_multiboot2:
	mov esi, msg_not_mb2
	jmp boot_fail
.no_long_mode:
	mov esi, msg_no_lm
	jmp boot_fail

; Map the first 1 GiB of physical memory three times with 2 MiB pages:
; at 0 (identity: the code running now), at KERNEL_VMA (the higher half the
; kernel is linked at) and at DIRECT_MAP_BASE (so early C code can reach
; physical memory). mm/paging.c replaces these tables with finer ones.
build_boot_page_tables:
	mov eax, boot_pdpt_low + (PTE_P | PTE_W)
	mov [boot_pml4 + 0 * 8], eax          ; 0x0000000000000000
	mov [boot_pml4 + 256 * 8], eax        ; 0xffff800000000000 (direct map)
	mov eax, boot_pdpt_high + (PTE_P | PTE_W)
	mov [boot_pml4 + 511 * 8], eax        ; 0xffffff8000000000
	mov eax, boot_pd + (PTE_P | PTE_W)
	mov [boot_pdpt_low + 0 * 8], eax
	mov [boot_pdpt_high + 510 * 8], eax   ; 0xffffffff80000000
	xor ecx, ecx
.next_pde:
	mov eax, ecx
	shl eax, 21                           ; entry i maps physical i * 2 MiB
	or eax, PTE_P | PTE_W | PTE_PS
	mov [boot_pd + ecx * 8], eax
	inc ecx
	cmp ecx, 512
	jne .next_pde
	ret

; Print the message at esi on the serial port and the VGA screen, then stop.
; Nothing is set up yet, so this writes to the hardware directly.
boot_fail:
	mov edi, VGA_TEXT_PHYS
.next_char:
	lodsb
	test al, al
	jz .stop
	mov dx, COM1
	out dx, al
	mov ah, 0x4f                  ; white on red
	mov [edi], ax
	add edi, 2
	jmp .next_char
.stop:
	hlt
	jmp .stop

bits 64
long_mode_low:
	; 64-bit mode, but still running at the low (identity) address.
	; An absolute jump takes us to the same code's higher-half address.
	mov rax, long_mode_high
	jmp rax

; ---------------------------------------------------------------------------
section .boot.data
align 8
boot_gdt:
	dq 0                                              ; the null descriptor
	; 64-bit kernel code. The SEG_* bits are positions in a descriptor's high
	; dword, hence the shift by 32.
	dq (SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L) << 32
boot_gdt_end:
BOOT_CODE64 equ 8
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dq boot_gdt

msg_not_mb2: db "sysgate: not started by a multiboot2 loader (use GRUB's multiboot2 command) or by PVH", 0
msg_no_lm: db "sysgate: this CPU cannot run 64-bit code (no long mode); sysgate needs an x86_64 CPU", 0

section .boot.bss nobits
align 4096
boot_pml4: resb 4096
boot_pdpt_low: resb 4096
boot_pdpt_high: resb 4096
boot_pd: resb 4096

; ---------------------------------------------------------------------------
section .text
long_mode_high:
	mov rsp, boot_stack_top       ; the boot stack, at its higher-half address
	xor ebp, ebp                  ; end of the frame-pointer chain for backtraces
	mov ax, 0                     ; data segment registers are unused in 64-bit mode
	mov ds, ax
	mov es, ax
	mov ss, ax
	; kmain(uint32_t magic, uint32_t boot_info_phys): edi and esi already hold them.
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss
align 4096
global boot_stack_guard, boot_stack_top
boot_stack_guard: resb 4096       ; left unmapped by mm/paging.c: an overflow faults
boot_stack_bottom: resb 16384
boot_stack_top:
