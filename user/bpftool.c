/*
 * bpftool: the BPF programs and maps the kernel holds (course section:
 * eBPF, the revolution in kernel programming), listed as Linux's bpftool
 * lists them:
 *
 *     bpftool prog [list]          every loaded program: id, type, name, tag, sizes, maps
 *     bpftool map [list]           every map: id, type, name, key and value sizes
 *     bpftool map dump id N        the map's elements, key and value in hex
 *
 * Everything comes from bpf(2): BPF_PROG_GET_NEXT_ID walks the ids,
 * BPF_PROG_GET_FD_BY_ID opens one, BPF_OBJ_GET_INFO_BY_FD describes it
 * (and the same for maps); a dump walks the keys with
 * BPF_MAP_GET_NEXT_KEY and reads each value with BPF_MAP_LOOKUP_ELEM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/bpflib/bpflib.h"

#define MAX_MAP_IDS 64
#define MAX_KV 4096

static const char *prog_type_name(uint32_t t)
{
	static const char *const names[] = {
		[BPF_PROG_TYPE_SOCKET_FILTER] = "socket_filter", [BPF_PROG_TYPE_KPROBE] = "kprobe",
		[BPF_PROG_TYPE_SCHED_CLS] = "sched_cls",         [BPF_PROG_TYPE_TRACEPOINT] = "tracepoint",
		[BPF_PROG_TYPE_XDP] = "xdp",                     [BPF_PROG_TYPE_PERF_EVENT] = "perf_event",
		[BPF_PROG_TYPE_RAW_TRACEPOINT] = "raw_tracepoint", [BPF_PROG_TYPE_TRACING] = "tracing",
		[BPF_PROG_TYPE_SYSCALL] = "syscall",
	};
	return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : NULL;
}

static const char *map_type_name(uint32_t t)
{
	static const char *const names[] = {
		[BPF_MAP_TYPE_HASH] = "hash",
		[BPF_MAP_TYPE_ARRAY] = "array",
		[BPF_MAP_TYPE_PROG_ARRAY] = "prog_array",
		[BPF_MAP_TYPE_PERF_EVENT_ARRAY] = "perf_event_array",
		[BPF_MAP_TYPE_PERCPU_HASH] = "percpu_hash",
		[BPF_MAP_TYPE_PERCPU_ARRAY] = "percpu_array",
		[BPF_MAP_TYPE_STACK_TRACE] = "stack_trace",
		[BPF_MAP_TYPE_LRU_HASH] = "lru_hash",
		[BPF_MAP_TYPE_RINGBUF] = "ringbuf",
	};
	return t < sizeof(names) / sizeof(names[0]) && names[t] ? names[t] : NULL;
}

static void print_type(const char *name, uint32_t t)
{
	if (name)
		printf("%s", name);
	else
		printf("type %u", t);
}

static void show_prog(int fd)
{
	struct bpf_prog_info info;
	uint32_t map_ids[MAX_MAP_IDS], len = sizeof(info);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = MAX_MAP_IDS;
	info.map_ids = (uint64_t)(uintptr_t)map_ids;
	if (bpf_obj_info(fd, &info, &len) < 0)
		return;
	printf("%u: ", info.id);
	print_type(prog_type_name(info.type), info.type);
	if (info.name[0])
		printf("  name %s", info.name);
	printf("  tag ");
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		printf("%02x", info.tag[i]);
	printf("%s\n", info.gpl_compatible ? "  gpl" : "");
	printf("\txlated %uB", info.xlated_prog_len);
	if (info.jited_prog_len)
		printf("  jited %uB", info.jited_prog_len);
	else
		printf("  not jited");
	uint32_t n = info.nr_map_ids < MAX_MAP_IDS ? info.nr_map_ids : MAX_MAP_IDS;
	for (uint32_t i = 0; i < n; i++)
		printf("%s%u", i ? "," : "  map_ids ", map_ids[i]);
	printf("\n");
}

static void show_map(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	if (bpf_obj_info(fd, &info, &len) < 0)
		return;
	printf("%u: ", info.id);
	print_type(map_type_name(info.type), info.type);
	if (info.name[0])
		printf("  name %s", info.name);
	printf("  flags 0x%x\n", info.map_flags);
	printf("\tkey %uB  value %uB  max_entries %u\n", info.key_size, info.value_size, info.max_entries);
}

/* Walks the ids of one kind, opening each: a program or map may go meanwhile. */
static int list(int maps)
{
	uint32_t id = 0;
	for (;;) {
		int r = maps ? bpf_map_next_id(id, &id) : bpf_prog_next_id(id, &id);
		if (r == -ENOENT)
			return 0;
		if (r < 0) {
			fprintf(stderr, "Error: can't get next %s: %s\n", maps ? "map" : "program", strerror(-r));
			return 1;
		}
		int fd = maps ? bpf_map_fd_by_id(id) : bpf_prog_fd_by_id(id);
		if (fd < 0)
			continue;
		if (maps)
			show_map(fd);
		else
			show_prog(fd);
		close(fd);
	}
}

static void hex(const char *label, const uint8_t *p, uint32_t n)
{
	printf("%s:", label);
	for (uint32_t i = 0; i < n; i++)
		printf(" %02x", p[i]);
}

static int dump(uint32_t id)
{
	int fd = bpf_map_fd_by_id(id);
	if (fd < 0) {
		fprintf(stderr, "Error: get map by id (%u): %s\n", id, strerror(-fd));
		return 1;
	}
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	bpf_obj_info(fd, &info, &len);
	if (info.key_size > MAX_KV || info.value_size > MAX_KV || info.type == BPF_MAP_TYPE_RINGBUF) {
		fprintf(stderr, "Error: can't dump map of type %s\n", map_type_name(info.type) ? map_type_name(info.type) : "?");
		close(fd);
		return 1;
	}
	static uint8_t key[MAX_KV], next[MAX_KV], value[MAX_KV];
	int n = 0, r = bpf_map_next_key(fd, NULL, next);
	while (r == 0) {
		memcpy(key, next, info.key_size);
		if (bpf_map_lookup(fd, key, value) == 0) {
			hex("key", key, info.key_size);
			hex("  value", value, info.value_size);
			printf("\n");
			n++;
		}
		r = bpf_map_next_key(fd, key, next);
	}
	printf("Found %d element%s\n", n, n == 1 ? "" : "s");
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bpftool prog [list|show]\n"
			"       bpftool map [list|show]\n"
			"       bpftool map dump id ID\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	int listing = argc == 2 || strcmp(argv[2], "list") == 0 || strcmp(argv[2], "show") == 0;
	if (strcmp(argv[1], "prog") == 0 && listing)
		return list(0);
	if (strcmp(argv[1], "map") == 0 && listing)
		return list(1);
	if (strcmp(argv[1], "map") == 0 && argc == 5 && strcmp(argv[2], "dump") == 0 && strcmp(argv[3], "id") == 0)
		return dump((uint32_t)strtoul(argv[4], NULL, 10));
	return usage();
}
