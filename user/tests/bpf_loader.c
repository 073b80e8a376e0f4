/*
 * bpf_loader: our loader on a BPF object compiled by clang (course
 * section: eBPF, programs written in C).
 *
 * user/bpf/bpf_loader.bpf.c is carried inside this binary. The test opens
 * it (programs, maps and license found; broken objects refused), loads it
 * (maps created with the declared sizes, every map load relocated to the
 * map's fd, the program accepted), attaches its program to
 * syscalls:sys_enter_openat, does three openat calls of its own, and finds
 * them counted in an array map, as records in the ring buffer and, where
 * the kernel has perf buffers, in the perf buffer too. A program the
 * verifier refuses makes the loader print the verifier's log. A kprobe
 * program counts getpid calls where kprobes exist (not on the host).
 * The same binary runs on the host Linux (root) and on sysgate.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testlib.h"
#include "user/bpf/bpf_loader.h"
#include "user/bpflib/bpflib.h"
#include "bpf_can_load.h"

BPF_EMBEDDED(bpf_loader);

#define OPENS 3
static const char *const paths[OPENS] = { "/", "/proc/self/status", "/no/such/file" };

/* 3,000 objects with a few random bytes changed: refused or read, never a crash. */
static void fuzz_objects(long rounds)
{
	static uint8_t copy[65536];
	size_t size = (size_t)(bpfobj_bpf_loader_end - bpfobj_bpf_loader);
	if (size > sizeof(copy))
		_exit(2);
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 2); /* the loader says why it refuses each one */
	uint64_t seed = 12345;
	for (long r = 0; r < rounds; r++) {
		memcpy(copy, bpfobj_bpf_loader, size);
		for (int k = 0; k < 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			copy[(seed >> 33) % size] = (uint8_t)(seed >> 13);
		}
		struct bpf_object obj;
		if (bpf_object_open(&obj, copy, size) == 0)
			bpf_object_close(&obj);
	}
	_exit(0);
}

static void test_open(void)
{
	struct bpf_object obj;
	check_eq("open the embedded object", BPF_EMBEDDED_OPEN(&obj, bpf_loader), 0);
	check_eq("four maps in the maps section", obj.n_maps, 4);
	check_eq("three programs", obj.n_progs, 3);
	struct bpf_obj_prog *p = bpf_object_prog(&obj, "count_openat");
	check("count_openat: a tracepoint program from its section name",
	      p && p->type == BPF_PROG_TYPE_TRACEPOINT && strcmp(p->section, "tracepoint/syscalls/sys_enter_openat") == 0,
	      "%s", p ? p->section : "missing");
	struct bpf_obj_map *m = bpf_object_map(&obj, "events");
	check("events: a 16 KiB ring buffer",
	      m && m->def.type == BPF_MAP_TYPE_RINGBUF && m->def.max_entries == 16384, "type %u", m ? m->def.type : 0);
	check("the license", strcmp(obj.license, "GPL") == 0, "%s", obj.license);
	check_eq("section names: tp/ is a tracepoint", bpf_section_prog_type("tp/sched/sched_switch"),
		 BPF_PROG_TYPE_TRACEPOINT);
	struct bpf_obj_prog *k = bpf_object_prog(&obj, "count_getpid");
	check("count_getpid: a kprobe program", k && k->type == BPF_PROG_TYPE_KPROBE, "%u", k ? k->type : 0);
	check_eq("... raw_tracepoint/", bpf_section_prog_type("raw_tracepoint/sys_enter"), BPF_PROG_TYPE_RAW_TRACEPOINT);
	check_eq("... kprobe/", bpf_section_prog_type("kprobe/do_sys_openat2"), BPF_PROG_TYPE_KPROBE);
	check_eq("... an unknown name", bpf_section_prog_type("xyz/abc"), BPF_PROG_TYPE_UNSPEC);
	bpf_object_close(&obj);

	/* Hostile objects: refused, never read out of bounds. */
	size_t size = (size_t)(bpfobj_bpf_loader_end - bpfobj_bpf_loader);
	check_eq("a file that is not ELF: ENOEXEC", bpf_object_open(&obj, "hello, world", 12), -ENOEXEC);
	check_eq("the object cut to 100 bytes: ENOEXEC", bpf_object_open(&obj, bpfobj_bpf_loader, 100), -ENOEXEC);
	static uint8_t bad[65536];
	if (size <= sizeof(bad)) {
		memcpy(bad, bpfobj_bpf_loader, size);
		Elf64_Ehdr *eh = (Elf64_Ehdr *)bad;
		eh->e_machine = EM_X86_64;
		check_eq("an x86_64 object: ENOEXEC", bpf_object_open(&obj, bad, size), -ENOEXEC);
		memcpy(bad, bpfobj_bpf_loader, size);
		eh->e_shoff = ~0ull - 10;
		check_eq("section headers beyond the file: ENOEXEC", bpf_object_open(&obj, bad, size), -ENOEXEC);
	}
	check_exited("3,000 objects with random bytes changed: no crash", run_child(fuzz_objects, 3000), 0);
}

/* Counts the ring buffer's records and checks each is one of our paths. */
struct seen {
	int records, ours;
	char first[LT_PATH_MAX];
};

static int on_record(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;
	const struct lt_event *e = data;
	s->records++;
	if (size < sizeof(*e) || e->pid != (uint32_t)getpid())
		return 0;
	for (int i = 0; i < OPENS; i++)
		if (strcmp(e->path, paths[i]) == 0)
			s->ours++;
	if (s->records == 1)
		memcpy(s->first, e->path, sizeof(s->first));
	return 0;
}

static void on_sample(void *ctx, int cpu, const void *data, size_t size)
{
	(void)cpu;
	on_record(ctx, data, size);
}

static void do_opens(void)
{
	for (int i = 0; i < OPENS; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, paths[i], O_RDONLY);
		if (fd >= 0)
			close((int)fd);
	}
}

static void check_relocated(struct bpf_object *obj, struct bpf_obj_prog *p)
{
	int maps = 0, right = 0;
	for (size_t i = 0; i < p->n_insns; i++) {
		if (p->insns[i].code != (BPF_LD | BPF_IMM | BPF_DW) || p->insns[i].src_reg != BPF_PSEUDO_MAP_FD)
			continue;
		maps++;
		for (int k = 0; k < obj->n_maps; k++)
			right += p->insns[i].imm == obj->maps[k].fd;
	}
	check("four map loads relocated to BPF_PSEUDO_MAP_FD with the maps' fds", maps == 4 && right == 4,
	      "%d loads, %d with a map's fd", maps, right);
}

static void check_maps(struct bpf_object *obj)
{
	for (int i = 0; i < obj->n_maps; i++) {
		struct bpf_map_info info;
		uint32_t len = sizeof(info);
		memset(&info, 0, sizeof(info));
		int r = bpf_obj_info(obj->maps[i].fd, &info, &len);
		check(cname("map %s created as declared (type %u)", obj->maps[i].name, obj->maps[i].def.type),
		      r == 0 && info.type == obj->maps[i].def.type && info.key_size == obj->maps[i].def.key_size &&
			      strcmp(info.name, obj->maps[i].name) == 0,
		      "r %d type %u key %u name %s", r, info.type, info.key_size, info.name);
	}
}

static void test_load_attach(void)
{
	struct bpf_object obj;
	BPF_EMBEDDED_OPEN(&obj, bpf_loader);
	bpf_object_prog(&obj, "bad_ctx_read")->autoload = 0;
	bpf_object_prog(&obj, "count_getpid")->autoload = 0;
	int err = bpf_object_load(&obj);
	if (!check_eq("load: maps created, program accepted", err, 0)) {
		bpf_object_close(&obj);
		return;
	}
	struct bpf_obj_prog *p = bpf_object_prog(&obj, "count_openat");
	check_relocated(&obj, p);
	check_maps(&obj);
	uint32_t zero = 0, pid = (uint32_t)getpid();
	check_eq("write our pid into the target map", bpf_map_update(bpf_object_map(&obj, "target")->fd, &zero, &pid, BPF_ANY),
		 0);
	struct seen rb_seen = { 0 }, pb_seen = { 0 };
	struct ringbuf rb;
	int rb_ok = check_eq("mmap the ring buffer", ringbuf_open(&rb, bpf_object_map(&obj, "events")->fd, on_record, &rb_seen), 0);
	struct perfbuf pb;
	int pb_err = perfbuf_open(&pb, bpf_object_map(&obj, "perf_events")->fd, 4, on_sample, NULL, &pb_seen);
	if (!check_eq("attach to syscalls:sys_enter_openat", bpf_program_attach(p), 0))
		goto out;
	do_opens();
	uint64_t count = 0;
	bpf_map_lookup(bpf_object_map(&obj, "counts")->fd, &zero, &count);
	check_eq("the array map counted our 3 openat calls", (long)count, OPENS);
	if (rb_ok) {
		ringbuf_poll(&rb, 1000);
		check_eq("3 records in the ring buffer", rb_seen.records, OPENS);
		check_eq("... with our paths", rb_seen.ours, OPENS);
		check("... the first is /", strcmp(rb_seen.first, "/") == 0, "%s", rb_seen.first);
	}
	if (pb_err == 0) {
		perfbuf_poll(&pb, 1000);
		check_eq("3 records in the perf buffer, with our paths", pb_seen.ours, OPENS);
	} else if (on_sysgate()) {
		t_skip("perf buffer", "perf_event_open of a BPF output event or its mmap: %s", errno_name(-pb_err));
	} else {
		t_fail("perf buffer", "%s", errno_name(-pb_err));
	}
	bpf_program_detach(p);
	do_opens();
	bpf_map_lookup(bpf_object_map(&obj, "counts")->fd, &zero, &count);
	check_eq("detached: no more counted", (long)count, OPENS);
out:
	if (pb_err == 0)
		perfbuf_close(&pb);
	if (rb_ok)
		ringbuf_close(&rb);
	bpf_object_close(&obj);
}

/* A kprobe on the kernel's getpid function sees our getpid calls. */
static void test_kprobe(void)
{
	if (!kprobes_available()) {
		t_skip("kprobe on getpid", "no kprobe PMU nor tracefs kprobe_events here%s",
		       on_sysgate() ? "" : " (the host forbids kprobes)");
		return;
	}
	struct bpf_object obj;
	BPF_EMBEDDED_OPEN(&obj, bpf_loader);
	bpf_object_prog(&obj, "count_openat")->autoload = 0;
	bpf_object_prog(&obj, "bad_ctx_read")->autoload = 0;
	if (!check_eq("load a kprobe program", bpf_object_load(&obj), 0)) {
		bpf_object_close(&obj);
		return;
	}
	uint32_t zero = 0, one = 1, pid = (uint32_t)getpid();
	bpf_map_update(bpf_object_map(&obj, "target")->fd, &zero, &pid, BPF_ANY);
	struct bpf_obj_prog *p = bpf_object_prog(&obj, "count_getpid");
	const char *func = on_sysgate() ? "sys_getpid" : "__x64_sys_getpid";
	if (check_eq(cname("attach to %s", func), bpf_program_attach_kprobe(p, func, 0), 0)) {
		for (int i = 0; i < 5; i++)
			syscall(SYS_getpid);
		uint64_t count = 0;
		bpf_map_lookup(bpf_object_map(&obj, "counts")->fd, &one, &count);
		check_eq("it counted our 5 getpid calls", (long)count, 5);
	}
	bpf_object_close(&obj);
}

/* The verifier refuses bad_ctx_read: the loader says so and prints the log. */
static void test_refused(void)
{
	int pipefd[2];
	pipe(pipefd);
	int saved = dup(2);
	dup2(pipefd[1], 2);
	struct bpf_object obj;
	BPF_EMBEDDED_OPEN(&obj, bpf_loader);
	bpf_object_prog(&obj, "count_openat")->autoload = 0;
	bpf_object_prog(&obj, "count_getpid")->autoload = 0;
	int err = bpf_object_load(&obj);
	bpf_object_close(&obj);
	dup2(saved, 2);
	close(saved);
	close(pipefd[1]);
	static char text[16384];
	long n = read(pipefd[0], text, sizeof(text) - 1);
	close(pipefd[0]);
	text[n > 0 ? n : 0] = 0;
	check_eq("a context read out of bounds: EACCES", err, -EACCES);
	check("the loader names the program", strstr(text, "program bad_ctx_read (socket)") != NULL, "%s", text);
	check("... and prints the verifier's log", strstr(text, "-- the verifier's log --\n") != NULL &&
						  strstr(text, "invalid bpf_context access") != NULL,
	      "%s", text);
}

int main(int argc, char **argv)
{
	(void)argc;
	t_set_self(argv);
	t_begin("bpf_loader");
	test_open();
	if (!bpf_can_load("load and attach"))
		return t_end();
	test_load_attach();
	test_kprobe();
	test_refused();
	return t_end();
}
