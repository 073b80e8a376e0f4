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
	mov rcx, rdx
	shr rcx, 3                  ; the whole 8-byte words first: an eighth of
.words:                         ; the iterations of a byte copy
	rep movsq                   ; copy rcx words from [rsi] to [rdi]; may fault
	mov ecx, edx
	and ecx, 7                  ; then the 0-7 bytes left over
.bytes:
	rep movsb                   ; may fault
	USER_ACCESS_END
	xor eax, eax                ; 0: all copied
	ret
.words_fault:                   ; rcx words and the tail were not copied
	USER_ACCESS_END
	lea rax, [rcx * 8]
	and edx, 7
	add rax, rdx
	ret
.bytes_fault:                   ; rcx bytes were not copied (at least 1)
	USER_ACCESS_END
	mov rax, rcx
	or rax, 1
	ret
	EXTABLE __copy_user.words, __copy_user.words_fault
	EXTABLE __copy_user.bytes, __copy_user.bytes_fault

__clear_user:
	USER_ACCESS_BEGIN
	mov rdx, rsi
	mov rcx, rsi
	shr rcx, 3                  ; words, then the bytes left over, as above
	xor eax, eax
.words:
	rep stosq                   ; may fault
	mov ecx, edx
	and ecx, 7
.bytes:
	rep stosb                   ; may fault
	USER_ACCESS_END
	xor eax, eax
	ret
.fault:
	USER_ACCESS_END
	mov eax, 1                  ; not all cleared
	ret
	EXTABLE __clear_user.words, __clear_user.fault
	EXTABLE __clear_user.bytes, __clear_user.fault

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
