/*
 * The virtual address map (course section: memory).
 *
 *   0x0000000000000000 .. 0x00007ffffffff000   user half, one per process
 *   0xffff800000000000 .. +512 GiB             direct map of all physical memory
 *   0xfffffe8000000000 .. +512 GiB             vmap: frames seen at consecutive addresses
 *                                              (mm/vmap.c; a BPF ring buffer's data, twice)
 *   0xffffff0000000000 .. +512 GiB             kernel stacks, each with a guard page
 *   0xffffffff40000000 .. +256 MiB             JIT'd eBPF programs (kernel/bpf/jit_mem.c:
 *                                              within 2 GiB of the kernel text, for calls)
 *   0xffffffff80000000 .. +1 GiB               the kernel image (linker.ld)
 *   0xffffffffc0000000 .. +1 GiB               loadable modules (within +-2 GiB of
 *                                              the kernel text, so 32-bit relocations reach)
 *
 * The kernel half (PML4 entries 256..511) is the same in every address space:
 * its PML4 entries are created once at boot and copied into each new PML4.
 */
#ifndef MM_LAYOUT_H
#define MM_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000
#define DIRECT_MAP_BASE 0xffff800000000000
#define KERNEL_HALF_START 0xffff800000000000 /* the lowest canonical kernel address */
#define DIRECT_MAP_MAX (512ul << 30)
#define KSTACK_AREA 0xffffff0000000000
#define VMAP_AREA 0xfffffe8000000000
#define VMAP_AREA_SIZE (512ul << 30)
#define MODULE_AREA 0xffffffffc0000000
#define MODULE_AREA_SIZE (1ul << 30)
#define BPF_JIT_AREA 0xffffffff40000000
#define BPF_JIT_AREA_SIZE (256ul << 20)

/* The user ceiling, as Linux's TASK_SIZE: the last page below 2^47 is left
 * unmapped so no user address can be followed by a non-canonical one. */
#define USER_TOP 0x00007ffffffff000
#define USER_STACK_TOP USER_TOP
#define USER_STACK_CEILING (1ul << 30)  /* the most RLIMIT_STACK can give (default 8 MiB) */
#define USER_MMAP_TOP 0x00007ff000000000 /* mmap hands out addresses downward from here */

#define KSTACK_SIZE (16ul << 10)
#define KSTACK_SLOT (32ul << 10)         /* stack + unmapped guard below it */

#endif
