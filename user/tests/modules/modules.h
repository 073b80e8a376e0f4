/*
 * modules: what the files of the modules test (course section: loadable modules) share: its
 * constants, types, and the functions each file defines for the others. main.c says what the test
 * covers and runs every part.
 */
#ifndef MODULES_TEST_H
#define MODULES_TEST_H

#include <elf.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#define MODDIR "/lib/modules/"
#define GREET_NR 400		/* newsyscall's slot: free on Linux too */
#define OTHER_NR 401
#define EM_AARCH64_ 183		/* a machine that is not ours */

/* chardev's ioctls (modules/chardev.c) and oops's (modules/oops.c) */
#define HELLO_GET_LENGTH 0x6801
#define HELLO_GET_MESSAGE 0x6802
#define HELLO_SET_MESSAGE 0x6803
#define HELLO_CLEAR 0x6804
#define OOPS_INVALID_OPCODE 0x6f01
#define OOPS_BAD_MEMSET 0x6f02
#define OOPS_WRITE_TEXT 0x6f03
#define OOPS_WRITE_RODATA 0x6f04
#define OOPS_EXEC_DATA 0x6f05

#define KERNEL_ADDRESS 0xffffffff80000000UL

/* A module file in memory, to load with init_module or to damage first. */
struct image {
	unsigned char *data;
	size_t size;
};

extern char kmsg[20000];

void unprivileged_calls(long unused);
void test_unprivileged(void);
void test_hello(void);
void test_dependencies(void);
long read_all(int fd, char *buf, size_t size);
void chardev_read_write(void);
void chardev_ioctl(void);
void write_later(long text);
void chardev_poll(void);
void chardev_busy(void);
void chardev_renamed(void);
void test_chardev(void);
void test_syscall_absent(const char *when);
void test_newsyscall(void);
long syscount_of(const char *name);
void test_syscount(void);
long tick_count(void);
void test_tick(void);
void test_forgetful(void);
Elf64_Ehdr *ehdr(struct image im);
Elf64_Shdr *section(struct image im, int i);
int find_section_type(struct image im, unsigned type);
int find_section_named(struct image im, const char *name);
Elf64_Rela *first_rela_of(struct image im, const char *target);
Elf64_Rela *first_text_rela(struct image im);
void other_machine(struct image im);
void elf32(struct image im);
void big_endian(struct image im);
void not_relocatable(struct image im);
void not_elf(struct image im);
void headers_outside(struct image im);
void too_many_sections(struct image im);
void symtab_outside(struct image im);
void huge_bss(struct image im);
void symbol_section_xindex(struct image im);
void params_not_loaded(struct image im);
void param_name_outside(struct image im);
void export_name_outside(struct image im);
void reloc_outside(struct image im);
void reloc_no_symbol(struct image im);
void reloc_unknown_type(struct image im);
void test_refusals(void);
void test_init_module_args(void);
void test_delete_module_args(void);
void finit_module_fd0(void);
void test_finit_module_args(void);
void exit_3(int sig);
void exit_3_child(long unused);
void load_in_child(long unused);
void make_oops(long how);
void test_oops(void);
int cycle(int i, struct image hello, struct image chardev);
void test_cycles(void);
int run_tool(const char *prog, const char *a1, const char *a2, char *out, size_t size);
void test_tools(void);
struct image read_image(const char *path);
struct image copy_image(struct image im);
long load_file(const char *path, const char *params);
long slurp(const char *path, char *buf, size_t size);
const char *modules_line(const char *name);
int split_fields(const char *line, char f[][64], int max);
int loaded(const char *name);
int kmsg_has(const char *text);
void leak_baseline(struct leak_mark *m);
void unload_samples(void);
void group(const char *name, void (*fn)(void));

/* The three syscalls, raw (libc has wrappers of the same names; delete_module here passes O_NONBLOCK as rmmod does). */
static inline long init_module(const void *image, unsigned long len, const char *params)
{
	return syscall(SYS_init_module, image, len, params);
}

static inline long finit_module(int fd, const char *params, int flags)
{
	return syscall(SYS_finit_module, fd, params, flags);
}

static inline long delete_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK); /* as rmmod does */
}

#endif
