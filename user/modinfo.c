/*
 * modinfo: what a module file says about itself (course section: loadable
 * modules; the ELF format).
 *
 *   modinfo FILE.ko
 *
 * A module carries "tag=value" strings in its .modinfo section (written by
 * MODULE_NAME, MODULE_DESCRIPTION, module_param...). To find them we read
 * the ELF file ourselves: the header gives the section headers' offset, the
 * section-name string table names each section, and .modinfo's bytes are
 * the strings, separated by NULs. No kernel help is needed.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned char *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	unsigned char *buf = malloc(st.st_size ? st.st_size : 1);
	ssize_t n = buf ? read(fd, buf, st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return NULL;
	}
	*size = st.st_size;
	return buf;
}

static const Elf64_Shdr *find_modinfo(const unsigned char *f, size_t size)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > size ||
	    (size - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(f + eh->e_shoff);
	const Elf64_Shdr *names = &sh[eh->e_shstrndx];
	if (names->sh_offset > size || names->sh_size > size - names->sh_offset)
		return NULL;
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_name >= names->sh_size)
			continue;
		const char *name = (const char *)f + names->sh_offset + sh[i].sh_name;
		if (!strncmp(name, ".modinfo", names->sh_size - sh[i].sh_name) && sh[i].sh_offset <= size &&
		    sh[i].sh_size <= size - sh[i].sh_offset)
			return &sh[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: modinfo FILE.ko\n");
		return 2;
	}
	size_t size;
	unsigned char *f = read_file(argv[1], &size);
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	const Elf64_Shdr *s = find_modinfo(f, size);
	if (!s) {
		fprintf(stderr, "modinfo: %s: not a module (no .modinfo section)\n", argv[1]);
		return 1;
	}
	printf("%-15s %s\n", "filename:", argv[1]);
	const char *p = (const char *)f + s->sh_offset, *end = p + s->sh_size;
	while (p < end) {
		size_t len = strnlen(p, end - p);
		const char *eq = memchr(p, '=', len);
		if (eq) {
			char tag[32];
			snprintf(tag, sizeof(tag), "%.*s:", (int)(eq - p), p);
			printf("%-15s %.*s\n", tag, (int)(len - (eq - p) - 1), eq + 1);
		}
		p += len + 1;
		while (p < end && !*p)
			p++; /* padding between strings */
	}
	free(f);
	return 0;
}
