/*
 * eBPF maps through bpf(2), judged against Linux (course section: eBPF,
 * the revolution in kernel programming).
 *
 * Each map type's attribute checks and errnos, the update flags, iteration
 * (also while deleting), full maps, per-CPU value sizes, fd arrays,
 * mmap-able arrays and the ring buffer's mmap rules, hostile pointers and
 * sizes; then the cost of a hash lookup in a small and a big map, and, on
 * sysgate, no frame or heap byte lost after 1,000 maps of each type. Runs
 * as root on the host Linux (the oracle) and booted in sysgate.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "abi/bpf.h"
#include "abi/perf_event.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define ENOTSUPP 524 /* Linux's internal errno, which bpf(2) lets out */
#define PAGE 4096

static long sys_bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static long map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries, uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type, a.key_size = key, a.value_size = value, a.max_entries = entries, a.map_flags = flags;
	return sys_bpf(BPF_MAP_CREATE, &a);
}

static long elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)value;
	a.flags = flags;
	return sys_bpf(cmd, &a);
}

static long update(int fd, uint32_t key, uint64_t value, uint64_t flags)
{
	return elem(BPF_MAP_UPDATE_ELEM, fd, &key, &value, flags);
}

/* A map that must be made; -1 (and a FAIL) if not. */
static int must_create(const char *what, uint32_t type, uint32_t key, uint32_t value, uint32_t entries,
		       uint32_t flags)
{
	long fd = map_create(type, key, value, entries, flags);
	if (fd < 0)
		t_fail(what, "BPF_MAP_CREATE: %s", errno_name(errno));
	return (int)fd;
}

/* Linux 6.18's answers to the same attributes. */
static void test_create_errnos(void)
{
	struct {
		const char *name;
		uint32_t type, key, value, entries, flags;
		int err;
	} cases[] = {
		{ "array: value_size 0", BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0, EINVAL },
		{ "array: key_size 8", BPF_MAP_TYPE_ARRAY, 8, 8, 4, 0, EINVAL },
		{ "array: max_entries 0", BPF_MAP_TYPE_ARRAY, 4, 8, 0, 0, EINVAL },
		{ "array: value_size 2^31", BPF_MAP_TYPE_ARRAY, 4, 0x80000000u, 4, 0, E2BIG },
		{ "array: 2^32-1 entries (32 GiB)", BPF_MAP_TYPE_ARRAY, 4, 8, 0xffffffffu, 0, ENOMEM },
		{ "array: 2^30-byte values x 4096", BPF_MAP_TYPE_ARRAY, 4, 1u << 30, 1u << 12, 0, ENOMEM },
		{ "array: NO_PREALLOC", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_NO_PREALLOC, EINVAL },
		{ "array: RDONLY|WRONLY", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY, EINVAL },
		{ "array: unknown flag", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 1u << 20, EINVAL },
		{ "percpu array: 32 KiB + 1 value", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 32769, 4, 0, E2BIG },
		{ "percpu array: MMAPABLE", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, BPF_F_MMAPABLE, EINVAL },
		{ "hash: key_size 0", BPF_MAP_TYPE_HASH, 0, 8, 4, 0, EINVAL },
		{ "hash: value_size 0", BPF_MAP_TYPE_HASH, 4, 0, 4, 0, EINVAL },
		{ "hash: max_entries 0", BPF_MAP_TYPE_HASH, 4, 8, 0, 0, EINVAL },
		{ "hash: 2^32-1 entries", BPF_MAP_TYPE_HASH, 4, 8, 0xffffffffu, 0, E2BIG },
		{ "hash: 2^28+1 entries", BPF_MAP_TYPE_HASH, 4, 8, (1u << 28) + 1, 0, E2BIG },
		{ "hash: element past 4 MiB", BPF_MAP_TYPE_HASH, 4, 4194304 - 48 - 4, 4, 0, E2BIG },
		{ "hash: key+value overflow u32", BPF_MAP_TYPE_HASH, 0xfffffff0u, 0x20, 4, 0, E2BIG },
		{ "hash: MMAPABLE", BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_MMAPABLE, EINVAL },
		{ "hash: NO_COMMON_LRU", BPF_MAP_TYPE_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU, EINVAL },
		{ "lru hash: NO_PREALLOC", BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC, ENOTSUPP },
		{ "prog array: value_size 8", BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0, EINVAL },
		{ "prog array: MMAPABLE", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, BPF_F_MMAPABLE, EINVAL },
		{ "perf event array: 0 entries", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 0, 0, EINVAL },
		{ "perf event array: RDONLY_PROG", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, BPF_F_RDONLY_PROG, EINVAL },
		{ "ringbuf: key_size 4", BPF_MAP_TYPE_RINGBUF, 4, 0, 4096, 0, EINVAL },
		{ "ringbuf: value_size 4", BPF_MAP_TYPE_RINGBUF, 0, 4, 4096, 0, EINVAL },
		{ "ringbuf: 3 pages", BPF_MAP_TYPE_RINGBUF, 0, 0, 3 * PAGE, 0, EINVAL },
		{ "ringbuf: half a page", BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, EINVAL },
		{ "ringbuf: 0 bytes", BPF_MAP_TYPE_RINGBUF, 0, 0, 0, 0, EINVAL },
		{ "ringbuf: MMAPABLE", BPF_MAP_TYPE_RINGBUF, 0, 0, PAGE, BPF_F_MMAPABLE, EINVAL },
		{ "unknown map type 99", 99, 4, 4, 4, 0, EINVAL },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long fd = map_create(cases[i].type, cases[i].key, cases[i].value, cases[i].entries, cases[i].flags);
		if (check_errno(cases[i].name, fd, cases[i].err) == 0 && fd >= 0)
			close((int)fd);
	}
}

static void test_array(void)
{
	int fd = must_create("array", BPF_MAP_TYPE_ARRAY, 4, 12, 4, 0);
	uint32_t k = 1, next;
	uint8_t v[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, out[16];
	check_ok("array: update 1", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, BPF_ANY));
	memset(out, 0xee, sizeof(out));
	check_ok("array: lookup 1", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, out, 0));
	check("array: the 12 bytes, no more", !memcmp(out, v, 12) && out[12] == 0xee, "wrong bytes");
	k = 2;
	check_ok("array: an untouched index reads zeros", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, out, 0));
	check_eq("array: zero", out[0] | out[11], 0);
	check_errno("array: NOEXIST", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, BPF_NOEXIST), EEXIST);
	check_ok("array: EXIST", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, BPF_EXIST));
	check_errno("array: flags 3", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, 3), EINVAL);
	check_errno("array: F_LOCK without a lock", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, BPF_F_LOCK), EINVAL);
	check_errno("array: delete", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), EINVAL);
	k = 4;
	check_errno("array: update past the end", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, BPF_ANY), E2BIG);
	check_errno("array: lookup past the end", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, out, 0), ENOENT);
	check_ok("array: next of a key past the end", elem(BPF_MAP_GET_NEXT_KEY, fd, &k, &next, 0));
	check_eq("array: ... is 0", next, 0);
	check_ok("array: first key", elem(BPF_MAP_GET_NEXT_KEY, fd, NULL, &next, 0));
	k = 3;
	check_errno("array: next of the last", elem(BPF_MAP_GET_NEXT_KEY, fd, &k, &next, 0), ENOENT);
	close(fd);
}

/* Linux's count of possible CPUs (/sys/devices/system/cpu/possible, "0-N"). */
static int possible_cpus(void)
{
	char buf[32] = { 0 };
	int fd = open("/sys/devices/system/cpu/possible", O_RDONLY);
	if (!check_ok("/sys/devices/system/cpu/possible", fd))
		return 1;
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	char *dash = strchr(buf, '-');
	return dash ? atoi(dash + 1) + 1 : 1;
}

static void test_percpu_array(void)
{
	int fd = must_create("percpu array", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 4, 0);
	int n = possible_cpus();
	uint64_t v[64], out[64];
	uint32_t k = 0;
	memset(v, 0xab, sizeof(v));
	memset(out, 0, sizeof(out));
	check_ok("percpu: update (8 rounded bytes per CPU)", elem(BPF_MAP_UPDATE_ELEM, fd, &k, v, 0));
	check_ok("percpu: lookup", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, out, 0));
	check("percpu: each CPU's rounded value, nothing after", !memcmp(out, v, 8 * n) && out[n] == 0,
	      "got %llx %llx", (unsigned long long)out[0], (unsigned long long)out[n]);
	close(fd);
}

static void test_hash(void)
{
	int fd = must_create("hash", BPF_MAP_TYPE_HASH, 4, 8, 2, 0);
	uint32_t k = 1, next;
	uint64_t out;
	check_errno("hash: first key of an empty map", elem(BPF_MAP_GET_NEXT_KEY, fd, NULL, &next, 0), ENOENT);
	check_errno("hash: EXIST on a missing key", update(fd, 1, 7, BPF_EXIST), ENOENT);
	check_ok("hash: NOEXIST", update(fd, 1, 7, BPF_NOEXIST));
	check_errno("hash: NOEXIST again", update(fd, 1, 7, BPF_NOEXIST), EEXIST);
	check_ok("hash: a second key", update(fd, 2, 8, BPF_ANY));
	check_errno("hash: full", update(fd, 3, 9, BPF_ANY), E2BIG);
	check_ok("hash: full, but an existing key is replaced", update(fd, 1, 10, BPF_ANY));
	check_ok("hash: lookup", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &out, 0));
	check_eq("hash: the new value", (long)out, 10);
	check_ok("hash: delete", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0));
	check_errno("hash: delete again", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), ENOENT);
	check_errno("hash: lookup deleted", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &out, 0), ENOENT);
	k = 99;
	check_ok("hash: next of a missing key is the first", elem(BPF_MAP_GET_NEXT_KEY, fd, &k, &next, 0));
	check_eq("hash: ... key 2", next, 2);
	check_errno("hash: key NULL", elem(BPF_MAP_LOOKUP_ELEM, fd, NULL, &out, 0), EFAULT);
	check_errno("hash: key at a kernel address", elem(BPF_MAP_LOOKUP_ELEM, fd, (void *)0xffff888000000000ul, &out, 0),
		    EFAULT);
	k = 2;
	check_errno("hash: value NULL", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, NULL, 0), EFAULT);
	check_errno("hash: update from a non-canonical value", elem(BPF_MAP_UPDATE_ELEM, fd, &k, (void *)(1ul << 63), 0),
		    EFAULT);
	close(fd);

	fd = must_create("hash no-prealloc", BPF_MAP_TYPE_HASH, 4, 8, 2, BPF_F_NO_PREALLOC);
	update(fd, 1, 1, 0);
	update(fd, 2, 2, 0);
	check_errno("hash no-prealloc: full", update(fd, 3, 3, BPF_ANY), E2BIG);
	check_ok("hash no-prealloc: replace when full", update(fd, 1, 3, BPF_ANY));
	close(fd);
}

/* 1,000 keys; walk them deleting the previous key at each step. */
static void test_hash_iteration(void)
{
	enum { N = 1000 };
	int fd = must_create("hash iteration", BPF_MAP_TYPE_HASH, 4, 8, N, 0);
	for (uint32_t k = 0; k < N; k++)
		update(fd, k, k, BPF_ANY);
	static char seen[N];
	int visits = 0, bad = 0;
	uint32_t cur = 0, next;
	int have = 0;
	while (elem(BPF_MAP_GET_NEXT_KEY, fd, have ? &cur : NULL, &next, 0) == 0) {
		bad += next >= N || seen[next]++;
		visits++;
		if (have)
			elem(BPF_MAP_DELETE_ELEM, fd, &cur, NULL, 0);
		cur = next, have = 1;
		if (visits > 2 * N)
			break;
	}
	elem(BPF_MAP_DELETE_ELEM, fd, &cur, NULL, 0);
	check_eq("hash: deleting while iterating visits each of 1000 keys", visits, N);
	check_eq("hash: ... never one twice", bad, 0);
	check_errno("hash: ... and leaves it empty", elem(BPF_MAP_GET_NEXT_KEY, fd, NULL, &next, 0), ENOENT);
	close(fd);
}

static void test_lru(void)
{
	int fd = must_create("lru hash", BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0);
	int fails = 0, count = 0;
	for (uint32_t k = 0; k < 100; k++)
		fails += update(fd, k, k, BPF_ANY) != 0;
	check_eq("lru: 100 updates into 4 entries all succeed", fails, 0);
	uint32_t cur, next;
	for (int have = 0; elem(BPF_MAP_GET_NEXT_KEY, fd, have ? &cur : NULL, &next, 0) == 0 && count < 10; have = 1)
		cur = next, count++;
	check_eq("lru: holds max_entries keys", count, 4);
	uint64_t v;
	uint32_t newest = 99;
	check_ok("lru: the newest key is there", elem(BPF_MAP_LOOKUP_ELEM, fd, &newest, &v, 0));
	close(fd);
}

static void *map_fd_pages(int fd, size_t len, int prot, int flags, off_t off)
{
	return mmap(NULL, len, prot, flags, fd, off);
}

static long mmap_errno(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = map_fd_pages(fd, len, prot, flags, off);
	if (p == MAP_FAILED)
		return -1;
	munmap(p, len);
	return 0;
}

static void test_mmap_array(void)
{
	int fd = must_create("mmapable array", BPF_MAP_TYPE_ARRAY, 4, 8, 1000, BPF_F_MMAPABLE);
	uint64_t *p = map_fd_pages(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	if (!check("mmapable array: mmap 2 pages read-write", p != MAP_FAILED, "%s", errno_name(errno)))
		return;
	p[999] = 0x1234;
	uint32_t k = 999;
	uint64_t v = 0;
	elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0);
	check_eqx("mmapable array: a store through the mapping is the map's value", v, 0x1234);
	update(fd, 5, 0x5555, BPF_ANY);
	check_eqx("mmapable array: an update is seen through the mapping", p[5], 0x5555);
	munmap(p, 2 * PAGE);
	check_errno("mmapable array: 3 pages of 2", mmap_errno(fd, 3 * PAGE, PROT_READ, MAP_SHARED, 0), EINVAL);
	check_errno("mmapable array: MAP_PRIVATE", mmap_errno(fd, PAGE, PROT_READ, MAP_PRIVATE, 0), EINVAL);
	check_errno("mmapable array: PROT_EXEC", mmap_errno(fd, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, 0), EPERM);
	void *ro = map_fd_pages(fd, PAGE, PROT_READ, MAP_SHARED, 0);
	check_errno("mmapable array: a read-only mapping never becomes writable",
		    ro == MAP_FAILED ? 0 : mprotect(ro, PAGE, PROT_READ | PROT_WRITE), EACCES);
	if (ro != MAP_FAILED)
		munmap(ro, PAGE);
	close(fd);
	fd = must_create("read-only-for-programs array", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_MMAPABLE | BPF_F_RDONLY_PROG);
	check_errno("RDONLY_PROG array: a writable mapping", mmap_errno(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
		    EACCES);
	check_ok("RDONLY_PROG array: a read-only mapping", mmap_errno(fd, PAGE, PROT_READ, MAP_SHARED, 0));
	close(fd);
	fd = must_create("array read-only for user space", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_MMAPABLE | BPF_F_RDONLY);
	check_errno("RDONLY fd: a writable mapping", mmap_errno(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0), EACCES);
	close(fd);
	fd = must_create("array", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	check_errno("array without MMAPABLE: mmap", mmap_errno(fd, PAGE, PROT_READ, MAP_SHARED, 0), EINVAL);
	close(fd);
	fd = must_create("hash", BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	check_errno("hash: mmap", mmap_errno(fd, PAGE, PROT_READ, MAP_SHARED, 0), ENOTSUPP);
	close(fd);
}

static void test_ringbuf_syscalls(void)
{
	int fd = must_create("ringbuf", BPF_MAP_TYPE_RINGBUF, 0, 0, 2 * PAGE, 0);
	uint64_t v;
	uint32_t k = 0;
	check_errno("ringbuf: lookup", elem(BPF_MAP_LOOKUP_ELEM, fd, NULL, &v, 0), ENOTSUPP);
	check_errno("ringbuf: update", elem(BPF_MAP_UPDATE_ELEM, fd, NULL, &v, 0), ENOTSUPP);
	check_errno("ringbuf: delete", elem(BPF_MAP_DELETE_ELEM, fd, NULL, NULL, 0), ENOTSUPP);
	check_errno("ringbuf: get_next_key", elem(BPF_MAP_GET_NEXT_KEY, fd, NULL, &k, 0), ENOTSUPP);
	check_errno("ringbuf: a key where key_size is 0", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0), EINVAL);
	check_ok("ringbuf: consumer page read-write", mmap_errno(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0));
	check_errno("ringbuf: producer page writable", mmap_errno(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, PAGE),
		    EPERM);
	check_errno("ringbuf: two pages writable", mmap_errno(fd, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
		    EPERM);
	check_errno("ringbuf: MAP_PRIVATE", mmap_errno(fd, PAGE, PROT_READ, MAP_PRIVATE, 0), EINVAL);
	check_errno("ringbuf: PROT_EXEC", mmap_errno(fd, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, 0), EPERM);
	check_errno("ringbuf: past the second copy", mmap_errno(fd, 6 * PAGE, PROT_READ, MAP_SHARED, PAGE), EINVAL);
	check_errno("ringbuf: offset past the end", mmap_errno(fd, PAGE, PROT_READ, MAP_SHARED, 6 * PAGE), EINVAL);
	uint8_t *ro = map_fd_pages(fd, 5 * PAGE, PROT_READ, MAP_SHARED, PAGE);
	if (check("ringbuf: producer and data twice, read-only", ro != MAP_FAILED, "%s", errno_name(errno))) {
		check_eq("ringbuf: producer position 0", *(uint64_t *)ro, 0);
		check_errno("ringbuf: ... and it stays read-only", mprotect(ro, PAGE, PROT_READ | PROT_WRITE), EACCES);
		munmap(ro, 5 * PAGE);
	}
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	check_eq("ringbuf: poll of an empty ring", poll(&pfd, 1, 0), 0);
	close(fd);
}

/* "return 0" as a program of this type, or -1. */
static long load_return0(uint32_t type)
{
	static const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insn_cnt = 2;
	a.insns = (uint64_t)(uintptr_t)prog;
	a.license = (uint64_t)(uintptr_t)"GPL";
	return sys_bpf(BPF_PROG_LOAD, &a);
}

/* A program's id, as BPF_OBJ_GET_INFO_BY_FD tells it. */
static uint32_t prog_id(long fd)
{
	struct bpf_prog_info info;
	memset(&info, 0, sizeof(info));
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd, a.info.info_len = sizeof(info), a.info.info = (uint64_t)(uintptr_t)&info;
	return sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) ? 0 : info.id;
}

/* Program fds in, program ids out; every program of the owner's type. */
static void test_prog_array_programs(int fd)
{
	long filter = load_return0(BPF_PROG_TYPE_SOCKET_FILTER), raw = load_return0(BPF_PROG_TYPE_RAW_TRACEPOINT);
	if (filter < 0 || raw < 0) {
		t_skip("prog array: programs", "programs do not load here (%s): no verifier yet?", errno_name(errno));
		return;
	}
	uint32_t k = 1, v = (uint32_t)filter, id = 0;
	check_ok("prog array: put a socket filter", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0));
	check_ok("prog array: lookup", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &id, 0));
	check_eq("prog array: ... gives the program's id", id, prog_id(filter));
	v = (uint32_t)raw;
	check_errno("prog array: a program of another type", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0), EINVAL);
	close((int)filter);
	check_ok("prog array: the map keeps the program past its fd", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &id, 0));
	check_ok("prog array: delete", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0));
	close((int)raw);
}

static void test_fd_arrays(void)
{
	int fd = must_create("prog array", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	uint32_t k = 0, v = 1;
	check_errno("prog array: lookup of an empty slot", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0), ENOENT);
	check_errno("prog array: update with a non-program fd", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0), EINVAL);
	check_errno("prog array: delete of an empty slot", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), ENOENT);
	k = 9;
	check_errno("prog array: delete past the end", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), E2BIG);
	test_prog_array_programs(fd);
	close(fd);

	fd = must_create("perf event array", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 4, 0);
	k = 0, v = 1;
	check_errno("perf event array: lookup", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0), ENOTSUPP);
	check_errno("perf event array: update with stdout", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0), EBADF);
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE, a.size = sizeof(a), a.config = PERF_COUNT_SW_BPF_OUTPUT;
	int ev = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (check_ok("perf event array: a BPF_OUTPUT event", ev)) {
		v = (uint32_t)ev;
		check_errno("perf event array: flags NOEXIST", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, BPF_NOEXIST), EINVAL);
		check_ok("perf event array: update with the event", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0));
		check_ok("perf event array: delete", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0));
		check_errno("perf event array: delete again", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), ENOENT);
		check_ok("perf event array: the map keeps the event past its fd", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0));
		close(ev);
	}
	a.flags = PERF_ATTR_FLAG_INHERIT;
	ev = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	v = (uint32_t)ev;
	if (ev >= 0)
		check_errno("perf event array: an inherited event", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 0), EOPNOTSUPP);
	close(ev);
	close(fd);
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* TSC cycles of one BPF_MAP_LOOKUP_ELEM in a hash map of `entries` keys
 * (the same 100 keys looked up each round); under ICOUNT=1, instructions. */
static uint64_t lookup_cycles(uint32_t entries)
{
	enum { ROUNDS = 20, KEYS = 10 };
	int fd = must_create("cost map", BPF_MAP_TYPE_HASH, 4, 8, entries, 0);
	for (uint32_t k = 0; k < entries; k++)
		update(fd, k * 7919, k, BPF_ANY);
	uint64_t v, best = UINT64_MAX;
	for (int r = 0; r < ROUNDS; r++) { /* the best round: the least disturbed by interrupts */
		uint64_t t0 = rdtsc();
		for (uint32_t i = 0; i < KEYS; i++) {
			uint32_t k = (i * (entries / KEYS)) * 7919;
			elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0);
		}
		uint64_t t = (rdtsc() - t0) / KEYS;
		best = t < best ? t : best;
	}
	close(fd);
	return best;
}

/* A lookup must not cost more in a map of 10,000 keys than in one of 10
 * (a list walk would cost a thousand times more). */
static void test_lookup_cost(void)
{
	uint64_t small = lookup_cycles(10), big = lookup_cycles(10000);
	printf("INFO bpf_maps: hash lookup through bpf(2): %llu cycles with 10 keys, %llu with 10,000\n",
	       (unsigned long long)small, (unsigned long long)big);
	check("hash: lookup cost does not grow with the entries", big < small * 3 / 2 + 200,
	      "%llu cycles with 10 keys, %llu with 10,000", (unsigned long long)small, (unsigned long long)big);
}

/* 1,000 maps of each type made and closed; mmap-able ones mapped too. */
static void leak_work(void)
{
	static const uint32_t kinds[][5] = {
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 64, 0 },
		{ BPF_MAP_TYPE_ARRAY, 4, 8, 1024, BPF_F_MMAPABLE },
		{ BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 64, 0 },
		{ BPF_MAP_TYPE_HASH, 8, 16, 64, 0 },
		{ BPF_MAP_TYPE_HASH, 8, 16, 64, BPF_F_NO_PREALLOC },
		{ BPF_MAP_TYPE_LRU_HASH, 8, 16, 64, 0 },
		{ BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8, 0 },
		{ BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 8, 0 },
		{ BPF_MAP_TYPE_RINGBUF, 0, 0, 2 * PAGE, 0 },
	};
	for (unsigned t = 0; t < sizeof(kinds) / sizeof(kinds[0]); t++)
		for (int i = 0; i < 1000; i++) {
			long fd = map_create(kinds[t][0], kinds[t][1], kinds[t][2], kinds[t][3], kinds[t][4]);
			if (fd < 0)
				return;
			uint64_t key[2] = { (uint64_t)i, 0 }, value[2] = { 1, 2 };
			if (kinds[t][0] == BPF_MAP_TYPE_HASH) /* an element to free */
				elem(BPF_MAP_UPDATE_ELEM, (int)fd, key, value, BPF_ANY);
			bool maps = kinds[t][4] == BPF_F_MMAPABLE || kinds[t][0] == BPF_MAP_TYPE_RINGBUF;
			void *p = maps ? mmap(NULL, PAGE, PROT_READ, MAP_SHARED, (int)fd, 0) : MAP_FAILED;
			if (p != MAP_FAILED) {
				*(volatile char *)p; /* fault the frame in */
				munmap(p, PAGE);
			}
			close((int)fd);
		}
}

/* A socket filter that tail-calls slot 0 of prog_array, put in that very
 * slot: the program holds the map and the map the program. Closing both
 * fds must still free both (the map empties when its last fd goes). */
static int cycles_made;

static void tail_call_cycle(void)
{
	long map = map_create(BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1, 0);
	const struct bpf_insn prog[] = {
		{ .code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = 2, .src_reg = BPF_PSEUDO_MAP_FD, .imm = (int32_t)map },
		{ .code = 0 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 3, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_tail_call },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insn_cnt = sizeof(prog) / sizeof(prog[0]);
	a.insns = (uint64_t)(uintptr_t)prog;
	a.license = (uint64_t)(uintptr_t)"GPL";
	long fd = sys_bpf(BPF_PROG_LOAD, &a);
	uint32_t k = 0, v = (uint32_t)fd;
	if (fd >= 0 && elem(BPF_MAP_UPDATE_ELEM, (int)map, &k, &v, 0) == 0)
		cycles_made++;
	close((int)fd);
	close((int)map);
}

static void cycle_work(void)
{
	for (int i = 0; i < 100; i++)
		tail_call_cycle();
}

static void test_leaks(void)
{
	if (!on_sysgate()) {
		t_skip("leaks", "sysgate only (its /proc/meminfo counts frames and heap bytes)");
		return;
	}
	t_leak_test("1,000 maps of each type made, mapped and closed: no frame or heap byte lost", leak_work);
	t_leak_test("100 programs in the prog array they tail-call through, both fds closed: both freed", cycle_work);
	check_eq("... and each program was in its array", cycles_made, 200);
}

int main(void)
{
	t_begin("bpf_maps");
	long probe = map_create(BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0);
	if (probe < 0 && (errno == ENOSYS || errno == EPERM)) {
		t_skip("all", "bpf(2) is not available here (%s)", errno_name(errno));
		return t_end();
	}
	close((int)probe);
	test_create_errnos();
	test_array();
	test_percpu_array();
	test_hash();
	test_hash_iteration();
	test_lru();
	test_mmap_array();
	test_ringbuf_syscalls();
	test_fd_arrays();
	test_lookup_cost();
	test_leaks();
	return t_end();
}
