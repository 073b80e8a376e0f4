/*
 * gate: what the files of the gate test (course section: the syscall  gate; issue "Foundation")
 * share: its constants, types, and the functions each file defines for the others. main.c says
 * what the test covers and runs every part.
 */
#ifndef GATE_TEST_H
#define GATE_TEST_H

#include <asm/prctl.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>

#include "testlib.h"

#define PAGE 4096UL
#define NBAD (sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))
#define NBADFD (sizeof(bad_fds) / sizeof(bad_fds[0]))

/* Addresses a program may never hand to the kernel as a buffer: NULL, the
 * user ceiling (first byte above user space), the first non-canonical
 * address, the start of the kernel half, the very top, and a typical kernel
 * text address. */
static const unsigned long bad_ptrs[] = {
	0, 0x7ffffffff000UL, 0x800000000000UL, 0xffff800000000000UL, ~0UL,
	0xffffffff80100000UL,
};

/* Descriptors that are never open: high, negative, the int extremes. */
static const int bad_fds[] = { 99, -5, INT_MIN, INT_MAX, 2546 };

extern char tmpfile[64];
extern unsigned long regs_after[16], rsp_before;

long sys_open(const char *path, int flags, int mode);
long file_size(int fd);
void test_bad_fds(void);
void test_bad_buffers(void);
void test_two_pages(void);
__attribute__((noinline)) int victim(int x);
void read_into_text(long unused);
void test_read_into_text(void);
void test_writev(void);
void test_ids(void);
void test_uname(void);
unsigned long read_fs0(void);
unsigned long read_gs0(void);
void test_arch_prctl(void);
void test_ioctl(void);
long ts_ns(const struct timespec *t);
void test_clocks(void);
void test_nanosleep(void);
unsigned long raw_brk(unsigned long addr);
void test_brk(void);
void check_enosys_range(const char *name, long lo, long hi);
void test_numbers(void);
void test_df(void);
void tf_child(long unused);
void test_tf(void);
void probe_regs(long nr);
void check_regs(const char *what, long nr);
void test_registers(void);
void xmm_spinner(long rounds);
int xmm_round(void);
void test_xmm(void);
void test_getrandom(void);
void exec_sweep(long unused);
void test_sweep(void);

#endif
