/*
 * Relocating a BPF program to the maps just created (course section: eBPF,
 * programs written in C). Internal to bpflib.
 */
#ifndef USER_BPFLIB_RELOC_H
#define USER_BPFLIB_RELOC_H

#include "bpflib.h"
#include "elf.h"

/* Patches every map reference of prog with its map's fd; 0 or -errno with a message. */
int bpf_relocate(const struct elf_file *f, struct bpf_object *obj, struct bpf_obj_prog *prog);

#endif
