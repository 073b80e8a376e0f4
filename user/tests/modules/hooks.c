/*
 * modules: newsyscall: a syscall added at run time; syscount: the syscall entry hook; tick: a
 * timer callback; forgetful: the kernel cleans up after an exit that does not; refusals: broken
 * modules, and nothing leaked (course section: loadable modules). One part of the modules test:
 * main.c runs it.
 */
#include "modules.h"

/* ---- newsyscall: a syscall added at run time ------------------------------------------------------ */

void test_syscall_absent(const char *when)
{
	check_raw_errno(cname("syscall %d %s: ENOSYS", GREET_NR, when), raw_syscall(GREET_NR, 0, 0, 0, 0, 0, 0), ENOSYS);
}

void test_newsyscall(void)
{
	char buf[64] = "";
	check_eq("insmod newsyscall", load_file(MODDIR "newsyscall.ko", ""), 0);
	check_eq("syscall 400(buf, 64, 21) returns 42", raw_syscall(GREET_NR, (long)buf, sizeof(buf), 21, 0, 0, 0), 42);
	check("and wrote its greeting", !strcmp(buf, "greetings from a module's syscall"), "got '%s'", buf);
	check_raw_errno("a buffer too small: EINVAL", raw_syscall(GREET_NR, (long)buf, 4, 1, 0, 0, 0), EINVAL);
	check_raw_errno("a bad buffer: EFAULT", raw_syscall(GREET_NR, (long)KERNEL_ADDRESS, 64, 1, 0, 0, 0), EFAULT);
	check_eq("rmmod newsyscall", delete_module("newsyscall"), 0);
	test_syscall_absent("after rmmod");

	check_errno("newsyscall nr=0, read's slot (in use): EBUSY", load_file(MODDIR "newsyscall.ko", "nr=0"), EBUSY);
	check_eq("read still works", read(-1, buf, 1) == -1 && errno == EBADF, 1);
	check_errno("newsyscall nr=600, beyond the table: EINVAL", load_file(MODDIR "newsyscall.ko", "nr=600"), EINVAL);
	check_eq("newsyscall nr=401, another free slot", load_file(MODDIR "newsyscall.ko", "nr=401"), 0);
	check_eq("syscall 401 answers", raw_syscall(OTHER_NR, (long)buf, sizeof(buf), 5, 0, 0, 0), 10);
	test_syscall_absent("while the module holds 401");
	check_eq("rmmod", delete_module("newsyscall"), 0);
	check_raw_errno("syscall 401 after rmmod: ENOSYS", raw_syscall(OTHER_NR, 0, 0, 0, 0, 0, 0), ENOSYS);
}

/* ---- syscount: the syscall entry hook --------------------------------------------------------------- */

/* The count on /proc/syscount's line for a syscall name, or -1. */
long syscount_of(const char *name)
{
	static char buf[16384];
	if (slurp("/proc/syscount", buf, sizeof(buf)) < 0)
		return -1;
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char f[3][64];
		if (split_fields(line, f, 3) == 3 && !strcmp(f[1], name))
			return atol(f[2]);
	}
	return -1;
}

void test_syscount(void)
{
	check_eq("insmod syscount", load_file(MODDIR "syscount.ko", ""), 0);
	for (int i = 0; i < 50; i++)
		getppid();
	long n = syscount_of("getppid");
	check("/proc/syscount counted 50 getppid calls", n == 50, "count %ld", n);
	check("and the read that shows them", syscount_of("read") > 0, "no read line");
	check_eq("rmmod syscount", delete_module("syscount"), 0);
	check("it printed the table on unload", kmsg_has("syscount: syscalls made while loaded:") &&
	      kmsg_has("getppid"), "not in /proc/kmsg");
	check_errno("/proc/syscount is gone", open("/proc/syscount", O_RDONLY), ENOENT);
}

/* ---- tick: a timer callback ------------------------------------------------------------------------------ */

long tick_count(void)
{
	char buf[32];
	return slurp("/proc/tick", buf, sizeof(buf)) > 0 ? atol(buf) : -1;
}

void test_tick(void)
{
	check_errno("tick period_ms=0: EINVAL", load_file(MODDIR "tick.ko", "period_ms=0"), EINVAL);
	check_eq("insmod tick period_ms=10", load_file(MODDIR "tick.ko", "period_ms=10"), 0);
	long first = tick_count();
	t_nap(200);
	long later = tick_count();
	check("the callback runs by itself", first >= 0 && later > first, "count %ld, then %ld", first, later);
	check_eq("rmmod tick", delete_module("tick"), 0);
	check_errno("/proc/tick is gone", open("/proc/tick", O_RDONLY), ENOENT);
	t_nap(50); /* a timer left armed would now call into freed code */
	check_eq("the timer stopped with it: the system still runs", getppid() > 0, 1);
}

/* ---- forgetful: the kernel cleans up after an exit that does not --------------------------------------- */

void test_forgetful(void)
{
	check_eq("insmod forgetful", load_file(MODDIR "forgetful.ko", ""), 0);
	check_eq("its syscall 402 answers", raw_syscall(402, 0, 0, 0, 0, 0, 0), 7);
	check_ok("its /proc/forgetful reads", slurp("/proc/forgetful", (char[32]){ 0 }, 32));
	check_eq("rmmod forgetful, whose exit unregisters nothing", delete_module("forgetful"), 0);
	check_errno("the kernel removed /dev/forgetful", open("/dev/forgetful", O_RDONLY), ENOENT);
	check_errno("and /proc/forgetful", open("/proc/forgetful", O_RDONLY), ENOENT);
	check_raw_errno("and syscall 402: ENOSYS", raw_syscall(402, 0, 0, 0, 0, 0, 0), ENOSYS);
	t_nap(50); /* the hook and the 1 ms timer would have jumped into freed code by now */
	check_eq("the hook and the timer are gone too: the system still runs", getppid() > 0, 1);
	check("a warning for each in the kernel log", kmsg_has("module forgetful: syscall 402 still registered") &&
	      kmsg_has("module forgetful: syscall hook still registered") &&
	      kmsg_has("module forgetful: 1 timer(s) still armed") &&
	      kmsg_has("module forgetful: 1 /proc file(s) still registered") &&
	      kmsg_has("module forgetful: /dev/forgetful still registered"), "not all in /proc/kmsg");

	/* The hook is one slot: with syscount's hook in it, forgetful's init
	 * fails halfway, having registered its device and syscall already. */
	check_eq("insmod syscount, which takes the syscall hook", load_file(MODDIR "syscount.ko", ""), 0);
	check_errno("forgetful, whose init then fails at the hook: EBUSY", load_file(MODDIR "forgetful.ko", ""), EBUSY);
	check_errno("what it had registered went with it: /dev/forgetful", open("/dev/forgetful", O_RDONLY), ENOENT);
	check_raw_errno("and syscall 402", raw_syscall(402, 0, 0, 0, 0, 0, 0), ENOSYS);
	check_eq("rmmod syscount", delete_module("syscount"), 0);

	struct leak_mark m;
	leak_baseline(&m);
	int failed = load_file(MODDIR "forgetful.ko", "") != 0;
	failed += delete_module("forgetful") != 0;
	check_eq("load and unload it again", failed, 0);
	leak_check("what the kernel removed was freed: nothing leaked", &m);
}

/* ---- refusals: broken modules, and nothing leaked ----------------------------------------------------- */

Elf64_Ehdr *ehdr(struct image im)
{
	return (Elf64_Ehdr *)im.data;
}

Elf64_Shdr *section(struct image im, int i)
{
	return (Elf64_Shdr *)(im.data + ehdr(im)->e_shoff) + i;
}

int find_section_type(struct image im, unsigned type)
{
	for (int i = 0; i < ehdr(im)->e_shnum; i++)
		if (section(im, i)->sh_type == type)
			return i;
	return -1;
}

int find_section_named(struct image im, const char *name)
{
	const char *names = (const char *)im.data + section(im, ehdr(im)->e_shstrndx)->sh_offset;
	for (int i = 0; i < ehdr(im)->e_shnum; i++)
		if (!strcmp(names + section(im, i)->sh_name, name))
			return i;
	return -1;
}

/* The first relocation that applies to the section named target. */
Elf64_Rela *first_rela_of(struct image im, const char *target)
{
	int t = find_section_named(im, target);
	for (int i = 0; t >= 0 && i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = section(im, i);
		if (s->sh_type == SHT_RELA && (int)s->sh_info == t && s->sh_size)
			return (Elf64_Rela *)(im.data + s->sh_offset);
	}
	return NULL;
}

/* The first relocation of the first RELA section that applies to code. */
Elf64_Rela *first_text_rela(struct image im)
{
	for (int i = 0; i < ehdr(im)->e_shnum; i++) {
		Elf64_Shdr *s = section(im, i);
		if (s->sh_type == SHT_RELA && s->sh_size && (section(im, s->sh_info)->sh_flags & SHF_EXECINSTR))
			return (Elf64_Rela *)(im.data + s->sh_offset);
	}
	return NULL;
}

void other_machine(struct image im) { ehdr(im)->e_machine = EM_AARCH64_; }
void elf32(struct image im) { ehdr(im)->e_ident[EI_CLASS] = ELFCLASS32; }
void big_endian(struct image im) { ehdr(im)->e_ident[EI_DATA] = 2; }
void not_relocatable(struct image im) { ehdr(im)->e_type = ET_DYN; }
void not_elf(struct image im) { memcpy(im.data, "#!/bin/sh\n", 10); }
void headers_outside(struct image im) { ehdr(im)->e_shoff = im.size - 64; }
void too_many_sections(struct image im) { ehdr(im)->e_shnum = 60000; }
void symtab_outside(struct image im) { section(im, find_section_type(im, SHT_SYMTAB))->sh_offset = 1ul << 40; }
void huge_bss(struct image im) { section(im, find_section_type(im, SHT_NOBITS))->sh_size = ~0ul - 4000; }
void symbol_section_xindex(struct image im)
{
	Elf64_Shdr *st = section(im, find_section_type(im, SHT_SYMTAB));
	Elf64_Sym *syms = (Elf64_Sym *)(im.data + st->sh_offset);
	for (size_t i = 1; i < st->sh_size / sizeof(*syms); i++)
		if (syms[i].st_shndx != SHN_UNDEF && syms[i].st_shndx != SHN_ABS)
			syms[i].st_shndx = 0xffff; /* SHN_XINDEX: "look in another table", which we do not have */
}
void params_not_loaded(struct image im) { section(im, find_section_named(im, "__param"))->sh_flags &= ~SHF_ALLOC; }
void param_name_outside(struct image im) { first_rela_of(im, "__param")->r_addend = 1l << 40; }
void export_name_outside(struct image im) { first_rela_of(im, "__ksymtab")->r_addend = 1l << 40; }
void reloc_outside(struct image im) { first_text_rela(im)->r_offset = 1ul << 32; }
void reloc_no_symbol(struct image im) { first_text_rela(im)->r_info = (1ul << 40) | R_X86_64_PLT32; }
void reloc_unknown_type(struct image im) { first_text_rela(im)->r_info = (first_text_rela(im)->r_info & ~0xfffffffful) | 37; }

#define HALF ((size_t)-2)
#define ONE_SHORT ((size_t)-1)

/* Each broken module, and the error that refuses it. */
static const struct refusal {
	const char *what;
	int want;
	size_t cut;                   /* load only this many bytes of hello.ko */
	void (*damage)(struct image); /* or a damaged copy of it */
	const char *file;             /* or this file ("self": this program) */
} refusals[] = {
	{ "truncated to 1 byte", ENOEXEC, 1, NULL, NULL },
	{ "truncated to 63 bytes, less than the ELF header", ENOEXEC, 63, NULL, NULL },
	{ "truncated to the ELF header alone", ENOEXEC, 64, NULL, NULL },
	{ "truncated to 1000 bytes", ENOEXEC, 1000, NULL, NULL },
	{ "truncated to half", ENOEXEC, HALF, NULL, NULL },
	{ "one byte short", ENOEXEC, ONE_SHORT, NULL, NULL },
	{ "built for another machine (aarch64)", ENOEXEC, 0, other_machine, NULL },
	{ "a 32-bit ELF", ENOEXEC, 0, elf32, NULL },
	{ "big-endian", ENOEXEC, 0, big_endian, NULL },
	{ "a shared object, not relocatable", ENOEXEC, 0, not_relocatable, NULL },
	{ "not ELF at all", ENOEXEC, 0, not_elf, NULL },
	{ "section headers past the end", ENOEXEC, 0, headers_outside, NULL },
	{ "60000 sections", ENOEXEC, 0, too_many_sections, NULL },
	{ "the symbol table outside the file", ENOEXEC, 0, symtab_outside, NULL },
	{ "a .bss of nearly 2^64 bytes", ENOEXEC, 0, huge_bss, NULL },
	{ "symbols in section 0xffff (SHN_XINDEX)", ENOEXEC, 0, symbol_section_xindex, NULL },
	{ "a parameter table (__param) that is not loaded", ENOEXEC, 0, params_not_loaded, NULL },
	{ "a parameter whose name points out of the module", ENOEXEC, 0, param_name_outside, NULL },
	{ "an export whose name points out of the module", ENOEXEC, 0, export_name_outside, NULL },
	{ "a relocation outside its section", ENOEXEC, 0, reloc_outside, NULL },
	{ "a relocation of a symbol that does not exist", ENOEXEC, 0, reloc_no_symbol, NULL },
	{ "an unknown relocation type", ENOEXEC, 0, reloc_unknown_type, NULL },
	{ "a program, not a module (this test)", ENOEXEC, 0, NULL, "self" },
	{ "badsym, which needs a symbol nobody exports", ENOENT, 0, NULL, MODDIR "badsym.ko" },
	{ "initfail, whose init fails: its error", ENODEV, 0, NULL, MODDIR "initfail.ko" },
};
#define NREFUSALS (sizeof(refusals) / sizeof(refusals[0]))

/* Try to load refusal r; the errno it got, or 0 if it loaded. */
static int try_refusal(const struct refusal *r, struct image hello)
{
	long ret;
	if (r->file) {
		ret = load_file(strcmp(r->file, "self") ? r->file : t_self(), "");
	} else if (r->damage) {
		struct image bad = copy_image(hello);
		r->damage(bad);
		ret = init_module(bad.data, bad.size, "");
		free(bad.data);
	} else {
		size_t n = r->cut == HALF ? hello.size / 2 : r->cut == ONE_SHORT ? hello.size - 1 : r->cut;
		ret = init_module(hello.data, n, "");
	}
	return ret == 0 ? 0 : errno;
}

void test_refusals(void)
{
	struct image hello = read_image(MODDIR "hello.ko");
	if (!check("read hello.ko", hello.size > 0, "cannot"))
		return;
	for (size_t k = 0; k < NREFUSALS; k++) {
		int got = try_refusal(&refusals[k], hello);
		check(cname("%s: %s", refusals[k].what, errno_name(refusals[k].want)), got == refusals[k].want, "got %s",
		      got ? errno_name(got) : "loaded");
	}
	check("no refused module is listed", !loaded("hello") && !loaded("badsym") && !loaded("initfail"),
	      "/proc/modules lists one");
	check("the kernel log names badsym's missing symbol",
	      kmsg_has("module badsym: unknown symbol sysgate_no_such_function"), "not in /proc/kmsg");
	check("and says initfail was unloaded", kmsg_has("module initfail: init failed with -19; unloaded"),
	      "not in /proc/kmsg");

	struct leak_mark m;
	leak_baseline(&m);
	int wrong = 0;
	for (size_t k = 0; k < NREFUSALS; k++)
		wrong += try_refusal(&refusals[k], hello) != refusals[k].want;
	check_eq("every refusal again, the same", wrong, 0);
	leak_check("the refused modules left nothing behind", &m);
	free(hello.data);
}
