; Interrupt and exception entry stubs (course section: interrupts and exceptions).
;
; The IDT (arch/x86_64/idt.c) points each of the 256 vectors at one small
; stub below. When a vector fires, the CPU pushes ss, rsp, rflags, cs, rip
; (switching to the TSS's rsp0 first if it came from ring 3, or to an IST
; stack for #DF, NMI and #MC) and, for some exceptions, an error code.
; Each stub makes the stack uniform -- it pushes a 0 where the CPU pushed no
; error code, then its vector number -- and jumps to a common routine that
; saves the general registers in a struct regs (arch/x86_64/regs.h), the
; same frame the syscall entry builds, and calls C.

%include "arch/x86_64/x86.inc"
%include "arch/x86_64/regs.inc"
%include "arch/x86_64/gprs.inc"

extern interrupt_dispatch
global isr_stub_table, interrupt_return, task_first_return

section .text

; Exceptions for which the CPU pushes an error code (Intel SDM vol. 3, 6.13).
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)
; Exceptions that run on an IST stack and may interrupt the kernel anywhere,
; even between `syscall` and `swapgs`: they cannot trust cs to tell which gs
; base is loaded (see paranoid_entry).
%define IS_PARANOID(v) ((v) == VEC_DF || (v) == VEC_NMI || (v) == VEC_MC)

align 16
isr_stubs:
%assign v 0
%rep 256
align 16
isr_stub_ %+ v:
%if !HAS_ERROR(v)
	push qword 0                ; no error code from the CPU: keep the frame uniform
%endif
	push qword v                ; the vector number
%if IS_PARANOID(v)
	jmp paranoid_entry
%else
	jmp interrupt_entry
%endif
%assign v v + 1
%endrep

interrupt_entry:
	; On the stack: vector, error code, rip, cs, rflags, rsp, ss.
	test byte [rsp + REGS_CS - REGS_VECTOR], 3 ; did we come from ring 3?
	jz .kernel_gs
	swapgs                      ; yes: load the kernel's gs base (struct percpu)
.kernel_gs:
	SAVE_GPRS
	cld                         ; the C ABI expects the direction flag clear
	mov rdi, rsp                ; argument: struct regs *
	call interrupt_dispatch
	; fall through

; Leave the kernel through a frame at rsp: used after every interrupt, and
; by new tasks (fork, exec) the first time they run.
interrupt_return:
	cli                         ; the handler may have enabled interrupts
	RESTORE_GPRS
	add rsp, 16                 ; drop vector and error code
	test byte [rsp + REGS_CS - REGS_RIP], 3 ; going back to ring 3?
	jz .kernel_gs
	swapgs                      ; yes: give the program its gs base back
.kernel_gs:
	iretq

; A new task's first run: arch/x86_64/switch.asm "returns" here with rsp at
; the struct regs at the top of the task's kernel stack.
task_first_return:
	jmp interrupt_return

; The paranoid path: decide by the GS base itself. Kernel addresses have
; bit 63 set; if the current base is not one, we interrupted user mode or
; the instructions before the syscall entry's swapgs.
paranoid_entry:
	SAVE_GPRS
	cld
	mov ecx, MSR_GS_BASE
	rdmsr                       ; edx:eax = current gs base
	xor ebx, ebx                ; ebx = 0: no swapgs needed on the way out
	test edx, edx
	js .have_kernel_gs
	swapgs
	mov ebx, 1
.have_kernel_gs:
	mov rdi, rsp
	call interrupt_dispatch     ; rbx is callee-saved: it survives the call
	test ebx, ebx
	jz .no_swap
	swapgs
.no_swap:
	RESTORE_GPRS
	add rsp, 16
	iretq

section .rodata
align 8
isr_stub_table:                 ; the stubs' addresses, for idt.c
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep
