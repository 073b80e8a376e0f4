; A BPF object file carried inside a tool's binary (course section: eBPF,
; programs written in C). The Makefile assembles this once per object:
;     nasm -f elf64 -DOBJ_FILE='"build/user/bpf/NAME.bpf.o"' -DOBJ_NAME=NAME
; and the tool finds the object's bytes between bpfobj_NAME and
; bpfobj_NAME_end (BPF_EMBEDDED in user/bpflib/bpflib.h). So the same
; binary works on Linux and on sysgate without a file to find at run time.

%define START bpfobj_ %+ OBJ_NAME
%define END bpfobj_ %+ OBJ_NAME %+ _end

section .rodata align=8
global START
global END
START:
	incbin OBJ_FILE		; the file's bytes, as they are
END:

section .note.GNU-stack noalloc noexec nowrite progbits
