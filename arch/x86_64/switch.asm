; The context switch (course section: processes; the scheduler).
;
; void context_switch(uint64_t *save_rsp, uint64_t load_rsp)
;
; Switching tasks means switching kernel stacks: everything else about the
; old task is already saved -- its user registers in the frame at the top
; of its stack (they were saved when it entered the kernel), and its kernel
; state in the call chain that led to schedule(). So we save the registers
; the C calling convention says a function must preserve, store rsp in the
; old task, load the new task's rsp, restore its registers and return: we
; return into wherever the *new* task called context_switch from, usually
; schedule(). A brand-new task's stack was prepared by
; task_prepare_first_run() so that this `ret` lands in task_first_return.

global context_switch

section .text
context_switch:
	push rbx                    ; the callee-saved registers of the old task
	push rbp
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp              ; old task: remember where its stack is
	mov rsp, rsi                ; new task: from here on we are on its stack
	pop r15                     ; its callee-saved registers
	pop r14
	pop r13
	pop r12
	pop rbp
	pop rbx
	ret                         ; into the new task's call of context_switch
