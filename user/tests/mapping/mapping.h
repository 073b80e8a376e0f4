/*
 * mapping: what the files of the mapping test (course section:  shared memory, "mmap file
 * communication") share: its constants, types, and the functions each file defines for the others.
 * main.c says what the test covers and runs every part.
 */
#ifndef MAPPING_TEST_H
#define MAPPING_TEST_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testlib.h"

#define PAGE 4096UL

extern char paths[8][64];
extern int npaths;

int make_file(int pages, int flags);
void remove_files(void);
char file_byte(int fd, off_t at);
void *map_file(size_t len, int prot, int flags, int fd, off_t offset);
void exit_code_fn(long code);
void touch_read(long addr);
void touch_write(long addr);
int killed_by(void (*fn)(long), void *addr, int sig);
void test_errors(void);
void test_file_coherence(void);
void test_file_between_processes(void);
void test_private_cow(void);
void test_sigbus(void);
void test_split(void);
void test_shared_anonymous(void);
void test_dev_zero(void);
void test_msync_madvise(void);
void test_exec_and_fixed(void);
void test_protect_present(void);
char *grow_heap(int pages);
void test_heap(void);
void heap_mischief(long unused);
void limit_stack(void);
void read_below_stack(long distance);
void exec_below_stack(long distance);
void test_outside_regions(void);
char *map_with_room(int k, int n);
void test_mremap_duplicate(void);
void test_mremap(void);
void test_mremap_quietly(long unused);
void churn(void);
void test_leaks(void);
void warm_up(void);

#endif
