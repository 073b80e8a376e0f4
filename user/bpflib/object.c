/*
 * A BPF object file's programs and maps, from ELF sections to kernel
 * objects (course section: eBPF, programs written in C).
 *
 * Open finds, in the file clang wrote:
 *   - "license": the license string ("GPL" lets a program call GPL-only helpers);
 *   - "maps": one struct bpf_map_def per map, named by a symbol (map_def.h);
 *   - every other section of code: one program, named by the function that
 *     starts it, its type read from the section's name as libbpf does.
 * Load then creates the maps, relocates each program to their fds
 * (reloc.c) and gives each program to the verifier. When the verifier
 * refuses, the program is loaded again with a log buffer and its log is
 * printed: that log is how one learns what the verifier wants.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpflib.h"
#include "elf.h"
#include "reloc.h"

#define VERIFIER_LOG_SIZE (1024 * 1024)

static const struct {
	const char *prefix;
	uint32_t type;
} section_types[] = {
	{ "tracepoint/", BPF_PROG_TYPE_TRACEPOINT },
	{ "tp/", BPF_PROG_TYPE_TRACEPOINT },
	{ "raw_tracepoint/", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "raw_tp/", BPF_PROG_TYPE_RAW_TRACEPOINT },
	{ "kprobe/", BPF_PROG_TYPE_KPROBE },
	{ "kretprobe/", BPF_PROG_TYPE_KPROBE },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT },
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER },
};

uint32_t bpf_section_prog_type(const char *section)
{
	for (size_t i = 0; i < sizeof(section_types) / sizeof(section_types[0]); i++)
		if (strncmp(section, section_types[i].prefix, strlen(section_types[i].prefix)) == 0)
			return section_types[i].type;
	return BPF_PROG_TYPE_UNSPEC;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

static int read_maps(const struct elf_file *f, struct bpf_object *obj)
{
	obj->maps_shndx = elf_find_section(f, "maps");
	if (obj->maps_shndx < 0)
		return 0;
	const uint8_t *data = elf_section_data(f, obj->maps_shndx);
	uint64_t size = f->sh[obj->maps_shndx].sh_size;
	for (int i = 0; i < f->n_syms; i++) {
		const Elf64_Sym *s = &f->syms[i];
		if (s->st_shndx != obj->maps_shndx || ELF64_ST_TYPE(s->st_info) == STT_SECTION)
			continue;
		if (!data || s->st_value > size || size - s->st_value < sizeof(struct bpf_map_def)) {
			fprintf(stderr, "bpf: map %s: definition out of its section\n", elf_symbol_name(f, s));
			return -ENOEXEC;
		}
		if (obj->n_maps == BPF_OBJ_MAX_MAPS) {
			fprintf(stderr, "bpf: more than %d maps\n", BPF_OBJ_MAX_MAPS);
			return -E2BIG;
		}
		struct bpf_obj_map *m = &obj->maps[obj->n_maps++];
		copy_str(m->name, sizeof(m->name), elf_symbol_name(f, s));
		memcpy(&m->def, data + s->st_value, sizeof(m->def));
		m->offset = s->st_value;
		m->fd = -1;
	}
	return 0;
}

/* The function symbol at the start of section i: the program's name. */
static const char *program_name(const struct elf_file *f, int i)
{
	for (int k = 0; k < f->n_syms; k++) {
		const Elf64_Sym *s = &f->syms[k];
		if (s->st_shndx == i && ELF64_ST_TYPE(s->st_info) == STT_FUNC && s->st_value == 0)
			return elf_symbol_name(f, s);
	}
	return elf_section_name(f, i);
}

static int read_program(const struct elf_file *f, struct bpf_object *obj, int i)
{
	const char *section = elf_section_name(f, i);
	const void *code = elf_section_data(f, i);
	uint64_t size = f->sh[i].sh_size;
	if (!code || size == 0 || size % sizeof(struct bpf_insn))
		return strcmp(section, ".text") == 0 && size == 0 ? 0 : -ENOEXEC;
	if (strcmp(section, ".text") == 0)
		return 0; /* functions that were not inlined: reloc.c says so if a program calls one */
	uint32_t type = bpf_section_prog_type(section);
	if (type == BPF_PROG_TYPE_UNSPEC) {
		fprintf(stderr, "bpf: section %s: unknown program type (tracepoint/, raw_tracepoint/, kprobe/, socket)\n",
			section);
		return -EINVAL;
	}
	if (obj->n_progs == BPF_OBJ_MAX_PROGS)
		return -E2BIG;
	struct bpf_obj_prog *p = &obj->progs[obj->n_progs];
	memset(p, 0, sizeof(*p));
	p->insns = malloc(size);
	if (!p->insns)
		return -ENOMEM;
	memcpy(p->insns, code, size);
	p->n_insns = size / sizeof(struct bpf_insn);
	copy_str(p->name, sizeof(p->name), program_name(f, i));
	copy_str(p->section, sizeof(p->section), section);
	p->type = type;
	p->shndx = i;
	p->fd = -1;
	p->autoload = 1;
	obj->n_progs++;
	return 0;
}

int bpf_object_open(struct bpf_object *obj, const void *image, size_t size)
{
	struct elf_file f;
	memset(obj, 0, sizeof(*obj));
	int err = elf_open(&f, image, size);
	if (err)
		return err;
	obj->image = image;
	obj->size = size;
	int lic = elf_find_section(&f, "license");
	const char *text = lic > 0 ? elf_section_data(&f, lic) : NULL;
	if (text)
		snprintf(obj->license, sizeof(obj->license), "%.*s", (int)f.sh[lic].sh_size, text);
	err = read_maps(&f, obj);
	for (int i = 1; !err && i < f.n_sections; i++)
		if (f.sh[i].sh_type == SHT_PROGBITS && (f.sh[i].sh_flags & SHF_EXECINSTR))
			err = read_program(&f, obj, i);
	if (err)
		bpf_object_close(obj);
	return err;
}

static int create_maps(struct bpf_object *obj)
{
	for (int i = 0; i < obj->n_maps; i++) {
		struct bpf_obj_map *m = &obj->maps[i];
		uint32_t entries = m->def.max_entries;
		/* A perf event array without a size gets one slot per CPU, as libbpf does. */
		if (m->def.type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && entries == 0)
			entries = (uint32_t)possible_cpus();
		m->fd = bpf_map_create(m->def.type, m->name, m->def.key_size, m->def.value_size, entries,
				       m->def.map_flags);
		if (m->fd < 0) {
			int err = m->fd;
			fprintf(stderr, "bpf: map %s (type %u): BPF_MAP_CREATE: %s\n", m->name, m->def.type, strerror(-err));
			return err;
		}
	}
	return 0;
}

/* Load once without a log (fast); if refused, again with one, to show why. */
static int load_program(struct bpf_object *obj, struct bpf_obj_prog *p)
{
	const char *license = obj->license[0] ? obj->license : "GPL";
	p->fd = bpf_prog_load(p->type, p->name, p->insns, p->n_insns, license, NULL, 0);
	if (p->fd >= 0)
		return 0;
	int err = p->fd;
	fprintf(stderr, "bpf: program %s (%s): BPF_PROG_LOAD: %s\n", p->name, p->section, strerror(-err));
	char *log = malloc(VERIFIER_LOG_SIZE);
	if (log) {
		int fd = bpf_prog_load(p->type, p->name, p->insns, p->n_insns, license, log, VERIFIER_LOG_SIZE);
		if (fd >= 0)
			close(fd); /* accepted the second time: nothing to show */
		else if (log[0])
			fprintf(stderr, "-- the verifier's log --\n%s-- end of the log --\n", log);
		free(log);
	}
	p->fd = -1;
	return err;
}

int bpf_object_load(struct bpf_object *obj)
{
	struct elf_file f;
	int err = elf_open(&f, obj->image, obj->size);
	if (!err)
		err = create_maps(obj);
	for (int i = 0; !err && i < obj->n_progs; i++) {
		struct bpf_obj_prog *p = &obj->progs[i];
		if (!p->autoload)
			continue;
		err = bpf_relocate(&f, obj, p);
		if (!err)
			err = load_program(obj, p);
	}
	return err;
}

void bpf_object_close(struct bpf_object *obj)
{
	for (int i = 0; i < obj->n_progs; i++) {
		struct bpf_obj_prog *p = &obj->progs[i];
		bpf_program_detach(p);
		if (p->fd >= 0)
			close(p->fd);
		free(p->insns);
		p->insns = NULL;
		p->fd = -1;
	}
	for (int i = 0; i < obj->n_maps; i++) {
		if (obj->maps[i].fd >= 0)
			close(obj->maps[i].fd);
		obj->maps[i].fd = -1;
	}
	obj->n_progs = obj->n_maps = 0;
}

struct bpf_obj_map *bpf_object_map(struct bpf_object *obj, const char *name)
{
	for (int i = 0; i < obj->n_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return &obj->maps[i];
	return NULL;
}

struct bpf_obj_prog *bpf_object_prog(struct bpf_object *obj, const char *name)
{
	for (int i = 0; i < obj->n_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	return NULL;
}
