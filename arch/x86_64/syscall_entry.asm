; The syscall gate: from a program's `syscall` instruction to C and back
; (course section: the syscall gate).
;
; What the CPU has done when it arrives here (set up by arch/x86_64/syscall.c):
;   rcx    <- the program's rip (the instruction after `syscall`)
;   r11    <- the program's rflags
;   rflags <- rflags & ~FMASK: interrupts, single-step, direction flag and
;             alignment check are now off
;   cs, ss <- the kernel's selectors from STAR; we are in ring 0
;   rip    <- LSTAR, i.e. syscall_entry
; What it has NOT done: it has not switched stacks (rsp is still the
; program's, and may be garbage), and it has not saved anything in memory.
;
; The program passes the syscall number in rax and arguments in rdi, rsi,
; rdx, r10, r8, r9 (r10 instead of rcx, which `syscall` overwrites). It gets
; the result in rax; rcx and r11 are clobbered; everything else is kept.

%include "arch/x86_64/x86.inc"
%include "arch/x86_64/segments.inc"
%include "arch/x86_64/percpu.inc"
%include "arch/x86_64/regs.inc"
%include "arch/x86_64/gprs.inc"
extern syscall_dispatch
global syscall_entry, syscall_entry_frame_built, syscall_return_iret

section .text
align 16
syscall_entry:
	swapgs                                 ; gs now points at this CPU's struct percpu
	                                       ; (the program's gs base is parked in KERNEL_GS_BASE)
	mov [gs:PERCPU_USER_RSP], rsp          ; park the program's stack pointer...
	mov rsp, [gs:PERCPU_KERNEL_RSP]        ; ...and switch to this task's kernel stack

	; Build a struct regs (arch/x86_64/regs.h), top down, so that it looks
	; exactly like what an interrupt from user mode leaves: first the five
	; words the CPU would push...
	push qword USER_DS                     ; ss
	push qword [gs:PERCPU_USER_RSP]        ; rsp
	push r11                               ; rflags, as `syscall` saved them
	push qword USER_CS                     ; cs
	push rcx                               ; rip, as `syscall` saved it
	; ...then the number twice: orig_rax keeps it, the rax slot will get the result.
	push rax                               ; orig_rax (the syscall number)
	push qword VEC_SYSCALL                 ; vector: "this frame came from syscall"
	push rdi                               ; argument 1
	push rsi                               ; argument 2
	push rdx                               ; argument 3
	push rcx                               ; (the return rip again; rcx is clobbered by the ABI)
	push rax                               ; rax: overwritten with the result
	push r8                                ; argument 5
	push r9                                ; argument 6
	push r10                               ; argument 4
	push r11                               ; (rflags again; r11 is clobbered by the ABI)
	push rbx                               ; the callee-saved registers: C would keep
	push rbp                               ; them anyway, but signal delivery, ptrace
	push r12                               ; and fork need every register of the
	push r13                               ; program in the frame
	push r14
	push r15
syscall_entry_frame_built:
	xor ebp, ebp                           ; end the frame-pointer chain: backtraces
	                                       ; stop here instead of walking user memory
	sti                                    ; the frame is safe: interrupts may come now
	mov rdi, rsp                           ; argument: struct regs *
	call syscall_dispatch                  ; C: returns true if sysret may be used

	cli                                    ; no interrupt from here until we are back in
	                                       ; user mode: the stack and gs are in flux
	test al, al
	jz syscall_return_iret

	; The fast way back: sysret. It loads rip from rcx and rflags from r11,
	; and the user's cs/ss from STAR. syscall_dispatch checked that the frame's
	; rip is canonical and that rcx/r11 hold rip/rflags (true unless the kernel
	; changed the frame), because sysret to a non-canonical rip would fault in
	; ring 0 with the user's stack: a classic privilege-escalation bug.
	RESTORE_GPRS                           ; every register as the frame holds it: the
	                                       ; result in rax, the program's rflags in
	                                       ; r11 and its rip in rcx, for sysret
	mov rsp, [rsp + REGS_RSP - REGS_VECTOR] ; the program's stack (from the frame, which
	                                       ; signal delivery may have changed)
	swapgs                                 ; give the program back its gs base
	o64 sysret                             ; to ring 3: rip = rcx, rflags = r11

	; The general way back, used when the frame was changed (execve, signal
	; delivery, sigreturn, ptrace) so rcx/r11 must be restored too, or the
	; return address is not safe for sysret: iretq restores all five words.
syscall_return_iret:
	RESTORE_GPRS
	add rsp, 16                            ; drop vector and orig_rax
	swapgs                                 ; the frame's cs is always user here
	iretq                                  ; pops rip, cs, rflags, rsp, ss
