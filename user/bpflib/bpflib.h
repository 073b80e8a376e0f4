/*
 * bpflib: our own small loader for BPF programs written in C (course
 * section: eBPF, programs written in C). The tools in /bin (opensnoop,
 * execsnoop, syscount, runqlat, bpftool, bpfdemo) and the tests use it.
 *
 * A program's way from C to the kernel:
 *
 *   clang -target bpf -O2 x.bpf.c   ELF object: one section of instructions per
 *                                   program, a "maps" section, relocations that
 *                                   say "this ld_imm64 loads map M"
 *   bpf_object_open()    object.c   find the programs, maps, license (elf.c reads the ELF)
 *   bpf_object_load()    object.c   create each map (BPF_MAP_CREATE), patch each
 *                                   map load with the new map's fd (reloc.c), load
 *                                   each program (BPF_PROG_LOAD, the verifier's
 *                                   log printed when it refuses)
 *   bpf_program_attach() attach.c   tracepoint, raw tracepoint, kprobe
 *   ringbuf_*, perfbuf_*            read what the programs send (ringbuf.c, perfbuf.c)
 *
 * Errors are returned as -errno, with a line on stderr saying what failed.
 */
#ifndef USER_BPFLIB_H
#define USER_BPFLIB_H

#include <stddef.h>
#include <stdint.h>

#include "abi/bpf.h"
#include "user/bpf/log2.h"
#include "user/bpf/map_def.h"

/* --- bpf(2), one small function per command (sys.c) --- */
long bpf_sys(int cmd, union bpf_attr *attr);
int bpf_map_create(uint32_t type, const char *name, uint32_t key_size, uint32_t value_size,
		   uint32_t max_entries, uint32_t flags);
int bpf_map_lookup(int fd, const void *key, void *value);
int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags);
int bpf_map_delete(int fd, const void *key);
int bpf_map_next_key(int fd, const void *key, void *next_key); /* key NULL: the first */
/* The program's fd, or -errno; the verifier's log in log (if log_size). */
int bpf_prog_load(uint32_t type, const char *name, const struct bpf_insn *insns, size_t n,
		  const char *license, char *log, uint32_t log_size);
/* The smallest program (r0 = 0; exit) of that type: its fd, or -errno. */
int bpf_prog_load_trivial(uint32_t type);
int bpf_obj_info(int fd, void *info, uint32_t *len);
int bpf_prog_next_id(uint32_t id, uint32_t *next); /* -ENOENT after the last */
int bpf_map_next_id(uint32_t id, uint32_t *next);
int bpf_prog_fd_by_id(uint32_t id);
int bpf_map_fd_by_id(uint32_t id);
int bpf_raw_tracepoint_open(const char *name, int prog_fd);

/* --- an object file's programs and maps (object.c) --- */
#define BPF_OBJ_MAX_MAPS 16
#define BPF_OBJ_MAX_PROGS 16
#define BPF_NAME_MAX 64

struct bpf_obj_map {
	char name[BPF_NAME_MAX];
	struct bpf_map_def def;
	uint64_t offset; /* of its definition in the maps section */
	int fd;
};

struct bpf_obj_prog {
	char name[BPF_NAME_MAX]; /* the C function's name */
	char section[128];       /* "tracepoint/syscalls/sys_enter_openat" */
	uint32_t type;           /* enum bpf_prog_type, from the section's name */
	int shndx;               /* its ELF section */
	struct bpf_insn *insns;  /* a copy, relocated by bpf_object_load */
	size_t n_insns;
	int fd;
	int autoload;            /* 0: bpf_object_load leaves it out */
	int *links;              /* the perf events or raw tracepoint fds it is attached by */
	int n_links;
	char kprobe_event[64];   /* a kprobe made through tracefs kprobe_events, removed on detach */
};

struct bpf_object {
	const uint8_t *image; /* the ELF file, as given (not copied) */
	size_t size;
	char license[64];
	int maps_shndx;
	struct bpf_obj_map maps[BPF_OBJ_MAX_MAPS];
	int n_maps;
	struct bpf_obj_prog progs[BPF_OBJ_MAX_PROGS];
	int n_progs;
};

/* Reads the object (image stays the caller's); 0 or -errno. */
int bpf_object_open(struct bpf_object *obj, const void *image, size_t size);
/* Creates the maps, relocates and loads every autoload program; 0 or -errno. */
int bpf_object_load(struct bpf_object *obj);
/* Closes every fd and frees the copies. */
void bpf_object_close(struct bpf_object *obj);
struct bpf_obj_map *bpf_object_map(struct bpf_object *obj, const char *name);
struct bpf_obj_prog *bpf_object_prog(struct bpf_object *obj, const char *name);
/* The program type a section name means ("tracepoint/..." -> TRACEPOINT), or UNSPEC. */
uint32_t bpf_section_prog_type(const char *section);

/* An object compiled into the binary (user/bpf/embed.asm): NAME.bpf.o is
 * between bpfobj_NAME and bpfobj_NAME_end. */
#define BPF_EMBEDDED(name)                                         \
	extern const uint8_t bpfobj_##name[], bpfobj_##name##_end[]
#define BPF_EMBEDDED_OPEN(obj, name) \
	bpf_object_open((obj), bpfobj_##name, (size_t)(bpfobj_##name##_end - bpfobj_##name))

/* --- attaching (attach.c) --- */
/* Attaches by the section's name; 0 or -errno (-EOPNOTSUPP: this type has no attach point).
 * A tracepoint name ending in '*' ("tracepoint/syscalls/sys_enter_*")
 * attaches the program to every event of that category whose name starts so. */
int bpf_program_attach(struct bpf_obj_prog *prog);
/* Attaches a kprobe program to func (ret: at its return) whatever its section
 * says: function names differ between kernels (__x64_sys_getpid, sys_getpid). */
int bpf_program_attach_kprobe(struct bpf_obj_prog *prog, const char *func, int ret);
/* Closes the attachments (the program stays loaded). */
void bpf_program_detach(struct bpf_obj_prog *prog);
/* Every loaded program; 0 or the first error. */
int bpf_object_attach(struct bpf_object *obj);
/* The id of a tracepoint ("syscalls/sys_enter_openat") from tracefs, or -errno. */
int tracepoint_id(const char *category_and_name);
/* 1 if BPF_RAW_TRACEPOINT_OPEN knows name (tried with a 2-instruction program), else 0. */
int raw_tracepoint_available(const char *name);
/* 1 if kprobes can be made here (a kprobe PMU or tracefs kprobe_events), else 0. */
int kprobes_available(void);

/* --- reading a ring buffer map (ringbuf.c) --- */
typedef int (*ringbuf_fn)(void *ctx, const void *data, size_t size);

struct ringbuf {
	int map_fd;
	uint32_t size;             /* of the data area, a power of 2 */
	volatile uint64_t *consumer; /* page 0: the consumer position, ours to write */
	volatile uint64_t *producer; /* page 1: the producer position */
	const uint8_t *data;       /* the data pages, mapped twice in a row */
	ringbuf_fn fn;
	void *ctx;
};

int ringbuf_open(struct ringbuf *rb, int map_fd, ringbuf_fn fn, void *ctx);
/* Calls fn for each record waiting; the number of records, or a negative
 * value fn returned (which stops the reading). */
int ringbuf_consume(struct ringbuf *rb);
/* Waits up to timeout_ms (-1: for ever) for records, then consumes them;
 * -EINTR when a signal came. */
int ringbuf_poll(struct ringbuf *rb, int timeout_ms);
void ringbuf_close(struct ringbuf *rb);

/* --- reading a perf event array map (perfbuf.c) --- */
#define PERFBUF_MAX_CPUS 64

struct perfbuf_cpu {
	int fd;
	uint8_t *base;     /* the control page, then the data pages */
};

typedef void (*perfbuf_fn)(void *ctx, int cpu, const void *data, size_t size);
typedef void (*perfbuf_lost_fn)(void *ctx, int cpu, uint64_t lost);

struct perfbuf {
	int n_cpus;
	size_t data_size;
	struct perfbuf_cpu cpus[PERFBUF_MAX_CPUS];
	perfbuf_fn fn;
	perfbuf_lost_fn lost;
	void *ctx;
};

/* One BPF-output perf event per CPU, each in map_fd at its CPU's index. */
int perfbuf_open(struct perfbuf *pb, int map_fd, size_t pages, perfbuf_fn fn, perfbuf_lost_fn lost, void *ctx);
int perfbuf_poll(struct perfbuf *pb, int timeout_ms);
void perfbuf_close(struct perfbuf *pb);
/* The number of possible CPUs (per-CPU maps and perf buffers need it). */
int possible_cpus(void);

/* --- what every tool does around its program (tool.c) --- */
#include <signal.h>
#include <sys/types.h>
/* Set by SIGINT or SIGTERM once tool_catch_signals() was called. */
extern volatile sig_atomic_t tool_exiting;
void tool_catch_signals(void);
uint64_t tool_now_ms(void); /* CLOCK_MONOTONIC */
/* The end of a run of seconds (0: none); while tool_running(it), go on. */
uint64_t tool_deadline(long seconds);
int tool_running(uint64_t deadline);
/* Prints header, then passes each record of the ring buffer map `map` to fn
 * until Ctrl-C or seconds (0: no limit); closes obj. main's exit status. */
int tool_stream(struct bpf_object *obj, const char *map, ringbuf_fn fn, void *ctx, const char *header, long seconds);
/* Load, then attach, every autoload program (a tool fills its config maps
 * in between, so its programs never run unconfigured); on failure each
 * says why as "TOOL: ..." and closes obj. */
int tool_load(const char *tool, struct bpf_object *obj);
int tool_attach(const char *tool, struct bpf_object *obj);
/* Forks argv (searched in $PATH), held until tool_release(*release_fd); its pid or -1. */
pid_t tool_spawn_held(char *const argv[], int *release_fd);
void tool_release(int release_fd);

/* --- printing a log2 histogram as bcc's tools do (hist.c; slots: user/bpf/log2.h) --- */
void print_log2_hist(const uint64_t slots[LOG2_SLOTS], const char *unit);

#endif
