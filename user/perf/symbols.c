/*
 * Names for addresses (course section: performance profiling tools).
 *
 * A sample is an address; a profile is useful when it says which function
 * that address lies in. Two tables answer: the program's own symbol table
 * (the ELF file's .symtab section, which the linker writes and `strip`
 * removes: each function's start, size and name), and the kernel's,
 * /proc/kallsyms (one "ADDRESS TYPE NAME" line per symbol, without sizes:
 * a function is taken to end where the next one starts). Both are sorted
 * by address, and a lookup is a binary search.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "abi/elf.h"
#include "perf.h"

static int by_start(const void *a, const void *b)
{
	const struct symbol *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* A function, or a label in code with no type (an assembly routine: _start). */
static bool is_code(const Elf64_Sym *s, const Elf64_Shdr *sh, int nsections)
{
	int type = ELF64_ST_TYPE(s->st_info);
	if (!s->st_value || s->st_shndx == SHN_UNDEF || s->st_shndx >= nsections)
		return false;
	return type == STT_FUNC || (type == STT_NOTYPE && (sh[s->st_shndx].sh_flags & SHF_EXECINSTR));
}

/* Symbols without a size (kallsyms has none; assembly labels) end where the next begins. */
static void sizes_to_next(struct symtab *t, bool all)
{
	for (size_t i = 0; i + 1 < t->n; i++)
		if (all || t->syms[i].size == 0)
			t->syms[i].size = t->syms[i + 1].start - t->syms[i].start;
}

static char *read_whole(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t k;
	while (buf && (k = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)k;
		if (n == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				free(buf);
			buf = bigger;
		}
	}
	close(fd);
	*len = n;
	return buf;
}

static bool inside(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

void symtab_load_elf(struct symtab *t, const char *path)
{
	memset(t, 0, sizeof(*t));
	t->path = strdup(path);
	size_t len = 0;
	char *file = read_whole(path, &len);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	if (!file || len < sizeof(*eh) || memcmp(eh->e_ident, "\x7f" "ELF", 4) ||
	    !inside(len, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr))) {
		free(file);
		return;
	}
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(file + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		if (!inside(len, sh[i].sh_offset, sh[i].sh_size) || !inside(len, str->sh_offset, str->sh_size))
			break;
		const Elf64_Sym *sym = (const Elf64_Sym *)(file + sh[i].sh_offset);
		size_t count = sh[i].sh_size / sizeof(*sym);
		t->strings = malloc(str->sh_size + 1);
		t->syms = malloc(count * sizeof(*t->syms));
		if (!t->strings || !t->syms)
			break;
		memcpy(t->strings, file + str->sh_offset, str->sh_size);
		t->strings[str->sh_size] = 0;
		for (size_t k = 0; k < count; k++)
			if (is_code(&sym[k], sh, eh->e_shnum) && sym[k].st_name < str->sh_size)
				t->syms[t->n++] = (struct symbol){ sym[k].st_value, sym[k].st_size, t->strings + sym[k].st_name };
		break;
	}
	free(file);
	qsort(t->syms, t->n, sizeof(*t->syms), by_start);
	sizes_to_next(t, false);
}

void symtab_load_kallsyms(struct symtab *t)
{
	memset(t, 0, sizeof(*t));
	t->path = strdup("[kernel.kallsyms]");
	size_t len = 0;
	t->strings = read_whole("/proc/kallsyms", &len);
	if (!t->strings)
		return;
	size_t lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += t->strings[i] == '\n';
	t->syms = malloc((lines + 1) * sizeof(*t->syms));
	if (!t->syms)
		return;
	for (char *line = t->strings, *end; line < t->strings + len; line = end + 1) {
		end = memchr(line, '\n', t->strings + len - line);
		if (!end)
			break;
		*end = 0;
		char *name = strchr(line, ' ');
		uint64_t addr = strtoull(line, NULL, 16);
		if (!name || !name[1] || name[2] != ' ' || !strchr("tTwW", name[1]) || addr == 0)
			continue; /* only code; zeros when kptr_restrict hides the addresses */
		char *tab = strchr(name + 3, '\t'); /* "\t[module]" after a module's symbol */
		if (tab)
			*tab = 0;
		t->syms[t->n++] = (struct symbol){ addr, 0, name + 3 };
	}
	qsort(t->syms, t->n, sizeof(*t->syms), by_start);
	sizes_to_next(t, true);
	if (t->n)
		t->syms[t->n - 1].size = 4096; /* the last one: a page, a guess */
}

const struct symbol *symtab_find(const struct symtab *t, uint64_t addr)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) { /* the first symbol starting after addr */
		size_t mid = lo + (hi - lo) / 2;
		if (t->syms[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct symbol *s = &t->syms[lo - 1];
	return addr < s->start + (s->size ? s->size : 1) ? s : NULL;
}

void symtab_free(struct symtab *t)
{
	free(t->path);
	free(t->syms);
	free(t->strings);
	memset(t, 0, sizeof(*t));
}
