; The vDSO's bytes inside the kernel image (course section: syscall basics --
; the vDSO). The Makefile builds arch/x86_64/vdso/vdso.c into gen/vdso.so,
; a shared object of its own; kernel/vdso/vdso.c copies these bytes into the
; file that exec maps into every process.

section .rodata
align 4096
global vdso_image_start, vdso_image_end
vdso_image_start:
	incbin "vdso.so"
vdso_image_end:
