/*
 * bpf(2), one small function per command (course section: eBPF, the
 * revolution in kernel programming).
 *
 * Every command takes a union bpf_attr: the caller zeroes it all and fills
 * the fields of its command; the kernel refuses non-zero bytes it does not
 * know (E2BIG beyond its size, EINVAL in unused fields). Pointers travel
 * as 64-bit integers so the layout is the same for 32- and 64-bit callers.
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpflib.h"

#define PTR(p) ((uint64_t)(uintptr_t)(p))

/* The result, or -errno. */
long bpf_sys(int cmd, union bpf_attr *attr)
{
	long r = syscall(SYS_bpf, cmd, attr, sizeof(*attr));
	return r < 0 ? -errno : r;
}

static void copy_name(char dst[BPF_OBJ_NAME_LEN], const char *name)
{
	/* The kernel accepts letters, digits, '_' and '.', at most 15 of them. */
	size_t i = 0;
	for (; name && name[i] && i < BPF_OBJ_NAME_LEN - 1; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
			 c == '.';
		dst[i] = ok ? c : '_';
	}
	dst[i] = 0;
}

int bpf_map_create(uint32_t type, const char *name, uint32_t key_size, uint32_t value_size,
		   uint32_t max_entries, uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type;
	a.key_size = key_size;
	a.value_size = value_size;
	a.max_entries = max_entries;
	a.map_flags = flags;
	copy_name(a.map_name, name);
	return bpf_sys(BPF_MAP_CREATE, &a);
}

static int elem_cmd(int cmd, int fd, const void *key, const void *value, uint64_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = PTR(key);
	a.value = PTR(value);
	a.flags = flags;
	return bpf_sys(cmd, &a);
}

int bpf_map_lookup(int fd, const void *key, void *value)
{
	return elem_cmd(BPF_MAP_LOOKUP_ELEM, fd, key, value, 0);
}

int bpf_map_update(int fd, const void *key, const void *value, uint64_t flags)
{
	return elem_cmd(BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int bpf_map_delete(int fd, const void *key)
{
	return elem_cmd(BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int bpf_map_next_key(int fd, const void *key, void *next_key)
{
	return elem_cmd(BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

int bpf_prog_load(uint32_t type, const char *name, const struct bpf_insn *insns, size_t n,
		  const char *license, char *log, uint32_t log_size)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = PTR(insns);
	a.insn_cnt = (uint32_t)n;
	a.license = PTR(license);
	copy_name(a.prog_name, name);
	if (log && log_size) {
		log[0] = 0;
		a.log_buf = PTR(log);
		a.log_size = log_size;
		a.log_level = 1;
	}
	return bpf_sys(BPF_PROG_LOAD, &a);
}

int bpf_obj_info(int fd, void *info, uint32_t *len)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = *len;
	a.info.info = PTR(info);
	int r = bpf_sys(BPF_OBJ_GET_INFO_BY_FD, &a);
	*len = a.info.info_len;
	return r;
}

static int id_cmd(int cmd, uint32_t id, uint32_t *next)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.start_id = id;
	int r = bpf_sys(cmd, &a);
	if (next)
		*next = a.next_id;
	return r;
}

int bpf_prog_next_id(uint32_t id, uint32_t *next)
{
	return id_cmd(BPF_PROG_GET_NEXT_ID, id, next);
}

int bpf_map_next_id(uint32_t id, uint32_t *next)
{
	return id_cmd(BPF_MAP_GET_NEXT_ID, id, next);
}

int bpf_prog_fd_by_id(uint32_t id)
{
	return id_cmd(BPF_PROG_GET_FD_BY_ID, id, NULL);
}

int bpf_map_fd_by_id(uint32_t id)
{
	return id_cmd(BPF_MAP_GET_FD_BY_ID, id, NULL);
}

int bpf_raw_tracepoint_open(const char *name, int prog_fd)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = PTR(name);
	a.raw_tracepoint.prog_fd = prog_fd;
	return bpf_sys(BPF_RAW_TRACEPOINT_OPEN, &a);
}

int bpf_prog_load_trivial(uint32_t type)
{
	/* r0 = 0; exit: accepted by any verifier for any program type. */
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	return bpf_prog_load(type, "trivial", insns, 2, "GPL", NULL, 0);
}
