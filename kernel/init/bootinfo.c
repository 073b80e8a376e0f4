/*
 * Reading the multiboot2 boot information (course section: booting).
 * (A test boot without GRUB brings PVH's instead: bootinfo_pvh.c.)
 *
 * GRUB leaves a list of "tags" in memory and passes its physical address in
 * ebx: a total size, then tags of the form {type, size, payload}, each
 * starting on an 8-byte boundary, ending with a tag of type 0. We keep what
 * the kernel needs -- the usable RAM, the modules (our initrd) and the
 * command line -- in struct boot_info, before any of that memory is reused.
 */
#include "kernel/init/bootinfo.h"
#include "kernel/printk.h"
#include "libc/include/string.h"
#include "mm/paging.h"

#define MB2_BOOT_MAGIC 0x36d76289
#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_LOADER_NAME 2
#define TAG_MODULE 3
#define TAG_MMAP 6
#define MMAP_AVAILABLE 1

struct mb2_tag {
	uint32_t type, size;
};
struct mb2_module {
	struct mb2_tag tag;
	uint32_t start, end;
	char cmdline[];
};
struct mb2_mmap {
	struct mb2_tag tag;
	uint32_t entry_size, entry_version;
};
struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

struct boot_info boot_info;

static void copy_string(char *dst, const char *src, size_t size)
{
	strncpy(dst, src, size - 1);
	dst[size - 1] = 0;
}

void bootinfo_add_ram(uint64_t base, uint64_t len)
{
	if (boot_info.ram_count == BOOT_MAX_REGIONS)
		return;
	boot_info.ram[boot_info.ram_count++] = (struct phys_range){ base, base + len };
}

static void parse_mmap(const struct mb2_mmap *m)
{
	const uint8_t *p = (const uint8_t *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->tag.size;
	for (; p + m->entry_size <= end; p += m->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		if (e->type == MMAP_AVAILABLE)
			bootinfo_add_ram(e->base, e->len);
	}
}

void bootinfo_add_module(uint64_t start, uint64_t end, const char *name)
{
	if (boot_info.module_count == BOOT_MAX_MODULES)
		return;
	struct boot_module *bm = &boot_info.modules[boot_info.module_count++];
	bm->range = (struct phys_range){ start, end };
	copy_string(bm->name, name, sizeof(bm->name));
}

void bootinfo_set_cmdline(const char *cmdline)
{
	copy_string(boot_info.cmdline, cmdline, sizeof(boot_info.cmdline));
}

static void parse_module(const struct mb2_module *m)
{
	bootinfo_add_module(m->start, m->end, m->cmdline);
}

static void parse_multiboot2(uint32_t mbi)
{
	const uint8_t *base = phys_to_virt(mbi);
	uint32_t total = *(const uint32_t *)base;
	boot_info.info = (struct phys_range){ mbi, mbi + total };

	for (const uint8_t *p = base + 8; p < base + total;) {
		const struct mb2_tag *tag = (const void *)p;
		if (tag->type == TAG_END)
			break;
		switch (tag->type) {
		case TAG_CMDLINE:
			bootinfo_set_cmdline((const char *)(tag + 1));
			break;
		case TAG_LOADER_NAME:
			copy_string(boot_info.loader, (const char *)(tag + 1), sizeof(boot_info.loader));
			break;
		case TAG_MODULE:
			parse_module((const void *)tag);
			break;
		case TAG_MMAP:
			parse_mmap((const void *)tag);
			break;
		}
		p += ALIGN_UP(tag->size, 8);
	}
}

void bootinfo_parse(uint32_t magic, uint32_t info)
{
	if (magic == MB2_BOOT_MAGIC)
		parse_multiboot2(info);
	else if (magic == PVH_BOOT_MAGIC)
		bootinfo_parse_pvh(info);
	else
		panic("not booted by multiboot2 or PVH (magic %#x)", magic);

	static char words[BOOT_CMDLINE_MAX];
	copy_string(words, boot_info.cmdline, sizeof(words));
	boot_info.argc = split_cmdline(words, boot_info.argv, BOOT_MAX_ARGS);
}

/* Words are separated by spaces; "double quotes" group, and a backslash
 * takes the next character literally (GRUB quotes arguments this way). */
int split_cmdline(char *s, char **argv, int max)
{
	int argc = 0;
	char *out = s;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		char *word = out;
		bool quoted = false;
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				s++;
			} else if (*s == '\\' && s[1]) {
				*out++ = s[1];
				s += 2;
			} else {
				*out++ = *s++;
			}
		}
		if (*s)
			s++;
		*out++ = 0;
		if (argc < max)
			argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

const char *bootinfo_option(const char *key)
{
	size_t n = strlen(key);
	for (int i = 0; i < boot_info.argc; i++) {
		if (!strcmp(boot_info.argv[i], "--"))
			break;
		if (!strncmp(boot_info.argv[i], key, n) && boot_info.argv[i][n] == '=')
			return boot_info.argv[i] + n + 1;
	}
	return NULL;
}

bool bootinfo_flag(const char *flag)
{
	for (int i = 0; i < boot_info.argc; i++) {
		if (!strcmp(boot_info.argv[i], "--"))
			break;
		if (!strcmp(boot_info.argv[i], flag))
			return true;
	}
	return false;
}
