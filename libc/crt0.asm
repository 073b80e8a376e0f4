; C library: the program entry point (course section: starting a program).
;
; The kernel (Linux or sysgate) starts a new program at _start, not at main,
; with nothing set up but a stack that holds, from rsp upwards:
;
;   rsp ->  argc
;           argv[0] ... argv[argc - 1], NULL
;           envp[0] ... NULL                     ("NAME=value" strings)
;           auxv: (type, value) pairs ... AT_NULL, 0
;           ... the strings themselves, higher up
;
; There is no return address: _start must never return. It hands the stack
; pointer to __libc_start (libc/start.c), which finds argv, envp and auxv,
; calls main and then exit.

	bits 64
	default rel

	section .text
	global _start
	extern __libc_start

_start:
	xor ebp, ebp		; rbp = 0 marks the outermost frame: debuggers and
				; backtraces stop walking the frame chain here
	mov rdi, rsp		; first argument (rdi): the address of argc
	and rsp, -16		; the psABI wants rsp to be a multiple of 16 at each
				; call; Linux already starts us aligned, but check
	call __libc_start	; never returns: it ends with exit()
	ud2			; if it ever did, crash at once with an invalid
				; opcode instead of running into whatever follows

; An empty .note.GNU-stack section tells the linker this code does not need
; an executable stack (without it, ld warns and marks the stack executable).
	section .note.GNU-stack noalloc noexec nowrite progbits
