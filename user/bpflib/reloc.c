/*
 * Relocations: turning "load the address of map M" into "load map fd N"
 * (course section: eBPF, programs written in C).
 *
 * When C code names a map (`bpf_map_lookup_elem(&counts, &key)`), clang
 * cannot know where the map will be, so it emits a 16-byte ld_imm64 with a
 * zero immediate and a relocation R_BPF_64_64 saying "this instruction
 * wants the address of symbol `counts`". Maps exist only once the loader
 * creates them, and a program never sees their addresses: instead the
 * loader writes the map's fd into the immediate and marks the instruction
 * with src_reg = BPF_PSEUDO_MAP_FD. The kernel's verifier then replaces
 * the fd by the map itself, after checking it really is one.
 *
 * The relocations of section S are in section ".relS" (type SHT_REL, its
 * sh_info naming S): 16-byte entries, offset and (symbol, type).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "reloc.h"

#define LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)

static struct bpf_obj_map *map_at(struct bpf_object *obj, uint64_t offset)
{
	for (int i = 0; i < obj->n_maps; i++)
		if (obj->maps[i].offset == offset)
			return &obj->maps[i];
	return NULL;
}

static int reloc_one(const struct elf_file *f, struct bpf_object *obj, struct bpf_obj_prog *prog,
		     const Elf64_Rel *r)
{
	uint64_t sym_index = ELF64_R_SYM(r->r_info);
	uint32_t type = (uint32_t)ELF64_R_TYPE(r->r_info);
	uint64_t i = r->r_offset / sizeof(struct bpf_insn);
	if (sym_index >= (uint64_t)f->n_syms || r->r_offset % sizeof(struct bpf_insn) || i + 1 >= prog->n_insns) {
		fprintf(stderr, "bpf: %s: relocation out of range\n", prog->name);
		return -ENOEXEC;
	}
	const Elf64_Sym *sym = &f->syms[sym_index];
	const char *name = elf_symbol_name(f, sym);
	if (type == R_BPF_64_32) {
		fprintf(stderr, "bpf: %s calls function %s: BPF-to-BPF calls are left out; mark it __always_inline\n",
			prog->name, name);
		return -EOPNOTSUPP;
	}
	if (type != R_BPF_64_64 || prog->insns[i].code != LD_IMM64) {
		fprintf(stderr, "bpf: %s: relocation type %u at instruction %lu is not a map load\n", prog->name, type,
			(unsigned long)i);
		return -ENOEXEC;
	}
	/* With SHT_REL the addend is in the instruction (a section symbol + offset). */
	struct bpf_obj_map *m = NULL;
	if (sym->st_shndx == obj->maps_shndx && obj->maps_shndx > 0)
		m = map_at(obj, sym->st_value + (uint32_t)prog->insns[i].imm);
	if (!m) {
		fprintf(stderr,
			"bpf: %s uses %s in section %s: only maps can be referenced (global variables and "
			"string constants would need .data/.rodata maps; keep strings on the stack)\n",
			prog->name, *name ? name : "a symbol", elf_section_name(f, sym->st_shndx));
		return -EOPNOTSUPP;
	}
	prog->insns[i].src_reg = BPF_PSEUDO_MAP_FD;
	prog->insns[i].imm = m->fd;
	return 0;
}

int bpf_relocate(const struct elf_file *f, struct bpf_object *obj, struct bpf_obj_prog *prog)
{
	for (int s = 1; s < f->n_sections; s++) {
		if (f->sh[s].sh_type != SHT_REL || f->sh[s].sh_info != (uint32_t)prog->shndx)
			continue;
		const Elf64_Rel *rel = elf_section_data(f, s);
		if (!rel)
			return -ENOEXEC;
		size_t n = f->sh[s].sh_size / sizeof(Elf64_Rel);
		for (size_t k = 0; k < n; k++) {
			int err = reloc_one(f, obj, prog, &rel[k]);
			if (err)
				return err;
		}
	}
	return 0;
}
