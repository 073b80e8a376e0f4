/*
 * How a BPF object file declares its maps (course section: eBPF, programs
 * written in C): the layout shared by the programs in user/bpf/ (NAME.bpf.c) and
 * the loader in user/bpflib/.
 *
 * We use the BTF-less legacy style: each map is a global `struct
 * bpf_map_def` placed in the ELF section "maps", so the loader learns a
 * map's type and sizes by reading 20 plain bytes at the symbol's offset.
 * The newer ".maps" style describes maps only through BTF type
 * information (the sizes are encoded as array lengths of pointer types),
 * which would need a BTF parser in the loader and `clang -g`; the legacy
 * style needs neither and reads the same to a student.
 */
#ifndef USER_BPF_MAP_DEF_H
#define USER_BPF_MAP_DEF_H

struct bpf_map_def {
	unsigned int type;        /* enum bpf_map_type */
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries; /* for a ringbuf: its size in bytes, a power of 2 pages */
	unsigned int map_flags;
};

#endif
