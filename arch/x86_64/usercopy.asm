; The instructions that touch user memory (course section: the syscall gate).
;
; Each instruction here that may fault on a bad user address has an entry
; in the exception table (section __ex_table): its address and the address
; of a fix-up. On such a fault the page-fault handler sets rip to the
; fix-up instead of reporting an oops (mm/uaccess.c, arch/x86_64/traps.c).
; stac/clac open and close SMAP's window in which ring 0 may access user
; pages; they exist only on CPUs with SMAP, so we test a flag first.

global __copy_user, __clear_user, __strncpy_user, uaccess_smap

%macro EXTABLE 2                ; EXTABLE instruction, fixup
	section __ex_table
	align 8
	dq %1, %2
	section .text
%endmacro

%macro USER_ACCESS_BEGIN 0
	cmp byte [rel uaccess_smap], 0
	je %%no_smap
	stac                        ; set AC: allow supervisor access to user pages
%%no_smap:
%endmacro

%macro USER_ACCESS_END 0
	cmp byte [rel uaccess_smap], 0
	je %%no_smap
	clac                        ; clear AC: user pages are off limits again
%%no_smap:
%endmacro

section .data
uaccess_smap: db 0              ; set by the kernel when CR4.SMAP is on

section .text
; uint64_t __copy_user(void *dst, const void *src, size_t n)
; Returns the number of bytes NOT copied: 0 on success.
__copy_user:
	USER_ACCESS_BEGIN
	mov rcx, rdx                ; count for rep
.copy:
	rep movsb                   ; copy rcx bytes from [rsi] to [rdi]; may fault
	USER_ACCESS_END
	mov rax, rcx                ; 0: all copied
	ret
.fault:
	USER_ACCESS_END
	mov rax, rcx                ; rep left the remaining count in rcx
	test rax, rax
	jnz .done
	mov rax, 1                  ; faulted on the last byte: still a failure
.done:
	ret
	EXTABLE __copy_user.copy, __copy_user.fault

; uint64_t __clear_user(void *dst, size_t n): bytes NOT zeroed
__clear_user:
	USER_ACCESS_BEGIN
	mov rcx, rsi
	xor eax, eax
.store:
	rep stosb                   ; may fault
	USER_ACCESS_END
	mov rax, rcx
	ret
.fault:
	USER_ACCESS_END
	mov rax, rcx
	or rax, 1
	ret
	EXTABLE __clear_user.store, __clear_user.fault

; long __strncpy_user(char *dst, const char *src, size_t max)
; Copies up to max bytes, stopping after a NUL. Returns the string's length
; if a NUL was copied, max if none was found, -1 on a fault.
__strncpy_user:
	USER_ACCESS_BEGIN
	xor eax, eax                ; rax = bytes examined
.next:
	cmp rax, rdx
	je .out                     ; max reached without a NUL
.load:
	mov cl, [rsi + rax]         ; may fault
	mov [rdi + rax], cl
	test cl, cl
	jz .out                     ; rax = length without the NUL
	inc rax
	jmp .next
.out:
	USER_ACCESS_END
	ret
.fault:
	USER_ACCESS_END
	mov rax, -1
	ret
	EXTABLE __strncpy_user.load, __strncpy_user.fault
