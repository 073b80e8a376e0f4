/*
 * bpf(2) itself, judged against Linux (course section: eBPF, the revolution
 * in kernel programming).
 *
 * Everything around programs and maps that is not the verifier: the size
 * rules of union bpf_attr, unknown commands, bad pointers (badinput.md
 * 36), privilege with kernel.unprivileged_bpf_disabled=2, maps as files
 * (close-on-exec, /proc/self/fd's name, passed to a child by fork, alive
 * while any fd holds them), the element commands' errnos, ids and
 * OBJ_GET_INFO_BY_FD with its info_len rules, and PROG_LOAD's checks that
 * come before the verifier. Runs as root on the host Linux and in sysgate.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bpf_insn.h"
#include "lib/testlib.h"

#ifndef SYS_bpf
#define SYS_bpf 321
#endif
#define ENOTSUPP 524
#define KERNEL_PTR 0xffffffff81000000ul
#define PAGE 4096

static long bpf_sized(int cmd, const void *attr, unsigned size)
{
	return syscall(SYS_bpf, cmd, attr, size);
}

static long bpf(int cmd, union bpf_attr *a)
{
	return bpf_sized(cmd, a, sizeof(*a));
}

static int map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries, uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = type, a.key_size = key, a.value_size = value, a.max_entries = entries, a.map_flags = flags;
	return (int)bpf(BPF_MAP_CREATE, &a);
}

static long elem(int cmd, int fd, const void *key, void *value, uint64_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd, a.key = (uint64_t)key, a.value = (uint64_t)value, a.flags = flags;
	return bpf(cmd, &a);
}

static long map_info(int fd, struct bpf_map_info *info, uint32_t *len)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd, a.info.info_len = *len, a.info.info = (uint64_t)info;
	long r = bpf(BPF_OBJ_GET_INFO_BY_FD, &a);
	*len = a.info.info_len;
	return r;
}

static void attr_sizes(void)
{
	static uint8_t big[2 * PAGE];
	memset(big, 0, sizeof(big));
	union bpf_attr *a = (union bpf_attr *)big;
	a->map_type = BPF_MAP_TYPE_ARRAY, a->key_size = 4, a->value_size = 8, a->max_entries = 1;
	int fd = (int)bpf_sized(BPF_MAP_CREATE, big, PAGE);
	check_ok("a page-sized attr with a zero tail is taken", fd);
	close(fd);
	check_errno("an attr over a page: E2BIG", bpf_sized(BPF_MAP_CREATE, big, PAGE + 1), E2BIG);
	big[PAGE - 1] = 1;
	check_errno("a non-zero byte past the kernel's union: E2BIG", bpf_sized(BPF_MAP_CREATE, big, PAGE), E2BIG);
	big[PAGE - 1] = 0;
	fd = (int)bpf_sized(BPF_MAP_CREATE, big, 16); /* up to max_entries: map_flags and the rest are zeros */
	check_ok("a short attr is taken, its missing tail as zeros", fd);
	close(fd);
	check_errno("size 0: all zeros, map type 0 is EINVAL", bpf_sized(BPF_MAP_CREATE, NULL, 0), EINVAL);
	check_errno("unknown command 9999: EINVAL", bpf_sized(9999, big, 64), EINVAL);
	check_errno("command -1: EINVAL", bpf_sized(-1, big, 64), EINVAL);
	check_errno("attr at address 1: EFAULT", bpf_sized(BPF_MAP_CREATE, (void *)1, 64), EFAULT);
	check_errno("attr at a kernel address: EFAULT", bpf_sized(BPF_MAP_CREATE, (void *)KERNEL_PTR, 64), EFAULT);
	check_errno("attr NULL with a size: EFAULT", bpf_sized(BPF_MAP_CREATE, NULL, 64), EFAULT);
	union bpf_attr l;
	memset(&l, 0, sizeof(l));
	((uint8_t *)&l)[offsetof(union bpf_attr, flags) + 8] = 1;
	check_errno("a byte after LOOKUP's last field: EINVAL", bpf(BPF_MAP_LOOKUP_ELEM, &l), EINVAL);
}

static void map_files(void)
{
	int fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	if (!check_ok("array map created", fd))
		return;
	check_eq("a map's fd is close-on-exec", fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	char path[64], link[64] = "";
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	check("/proc/self/fd names it anon_inode:bpf-map", n > 0 && !strcmp(link, "anon_inode:bpf-map"), "got %s",
	      link);
	char info[512] = "";
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	int ifd = open(path, O_RDONLY);
	n = ifd >= 0 ? read(ifd, info, sizeof(info) - 1) : -1;
	if (ifd >= 0)
		close(ifd);
	check("fdinfo has Linux's map lines",
	      n > 0 && strstr(info, "\nmap_type:\t2\nkey_size:\t4\nvalue_size:\t8\nmax_entries:\t4\nmap_flags:\t0x0\n") &&
	      strstr(info, "\nmap_id:\t") && strstr(info, "\nfrozen:\t0\n"), "%s", info);
	uint32_t key = 1;
	uint64_t v = 77;
	check_ok("update key 1", elem(BPF_MAP_UPDATE_ELEM, fd, &key, &v, BPF_ANY));
	pid_t pid = t_fork();
	if (pid == 0) { /* the child's copy of the fd names the same map */
		uint64_t got = 0;
		long r = elem(BPF_MAP_LOOKUP_ELEM, fd, &key, &got, 0);
		got += 1;
		elem(BPF_MAP_UPDATE_ELEM, fd, &key, &got, BPF_ANY);
		_exit(r == 0 && got == 78 ? 0 : 1);
	}
	check_exited("a forked child reads and writes the map through its fd", t_wait(pid, T_WAIT_TICKS), 0);
	int dup_fd = dup(fd);
	close(fd);
	v = 0;
	check_ok("after closing one fd the map lives in its dup", elem(BPF_MAP_LOOKUP_ELEM, dup_fd, &key, &v, 0));
	check_eq("the child's write is seen", (long)v, 78);
	close(dup_fd);
	check_errno("a closed map fd: EBADF", elem(BPF_MAP_LOOKUP_ELEM, dup_fd, &key, &v, 0), EBADF);
}

static void element_errnos(void)
{
	int fd = map_create(BPF_MAP_TYPE_HASH, 4, 8, 4, 0), arr = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	int pipes[2];
	if (!check_ok("hash map created", fd) || pipe(pipes))
		return;
	uint32_t k = 5, next = 0;
	uint64_t v = 1;
	check_errno("lookup of a missing key: ENOENT", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0), ENOENT);
	check_errno("update BPF_EXIST of a missing key: ENOENT", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, BPF_EXIST), ENOENT);
	check_ok("update BPF_NOEXIST", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, BPF_NOEXIST));
	check_errno("update BPF_NOEXIST again: EEXIST", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, BPF_NOEXIST), EEXIST);
	check_errno("update flags 8: EINVAL", elem(BPF_MAP_UPDATE_ELEM, fd, &k, &v, 8), EINVAL);
	check_errno("lookup flags 1: EINVAL", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 1), EINVAL);
	check_errno("lookup with BPF_F_LOCK and no lock: EINVAL", elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, BPF_F_LOCK), EINVAL);
	check_ok("get_next_key with no key gives the first", elem(BPF_MAP_GET_NEXT_KEY, fd, NULL, &next, 0));
	check_eq("the first key is the only one", next, 5);
	check_errno("get_next_key after the last: ENOENT", elem(BPF_MAP_GET_NEXT_KEY, fd, &k, &next, 0), ENOENT);
	check_ok("delete", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0));
	check_errno("delete again: ENOENT", elem(BPF_MAP_DELETE_ELEM, fd, &k, NULL, 0), ENOENT);
	check_errno("delete in an array: EINVAL", elem(BPF_MAP_DELETE_ELEM, arr, &k, NULL, 0), EINVAL);
	check_errno("update past an array's end: E2BIG", elem(BPF_MAP_UPDATE_ELEM, arr, &k, &v, 0), E2BIG);
	check_errno("key NULL: EFAULT", elem(BPF_MAP_LOOKUP_ELEM, fd, NULL, &v, 0), EFAULT);
	check_errno("key at a kernel address: EFAULT", elem(BPF_MAP_LOOKUP_ELEM, fd, (void *)KERNEL_PTR, &v, 0), EFAULT);
	k = 0;
	check_errno("value NULL: EFAULT", elem(BPF_MAP_LOOKUP_ELEM, arr, &k, NULL, 0), EFAULT);
	check_errno("value at a kernel address: EFAULT", elem(BPF_MAP_UPDATE_ELEM, arr, &k, (void *)KERNEL_PTR, 0), EFAULT);
	check_errno("fd 999: EBADF", elem(BPF_MAP_LOOKUP_ELEM, 999, &k, &v, 0), EBADF);
	check_errno("fd -5: EBADF", elem(BPF_MAP_LOOKUP_ELEM, -5, &k, &v, 0), EBADF);
	check_errno("a pipe's fd: EINVAL", elem(BPF_MAP_LOOKUP_ELEM, pipes[0], &k, &v, 0), EINVAL);
	check_errno("mmap of a hash map: ENOTSUPP",
		    (long)mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) == -1 ? -1 : 0, ENOTSUPP);
	close(fd), close(arr), close(pipes[0]), close(pipes[1]);
}

static void access_modes(void)
{
	int ro = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_RDONLY);
	int wo = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_WRONLY);
	uint32_t k = 0;
	uint64_t v = 0;
	check_errno("RDONLY and WRONLY at once: EINVAL",
		    map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_RDONLY | BPF_F_WRONLY), EINVAL);
	check_ok("lookup through a read-only fd", elem(BPF_MAP_LOOKUP_ELEM, ro, &k, &v, 0));
	check_errno("update through a read-only fd: EPERM", elem(BPF_MAP_UPDATE_ELEM, ro, &k, &v, 0), EPERM);
	check_errno("lookup through a write-only fd: EPERM", elem(BPF_MAP_LOOKUP_ELEM, wo, &k, &v, 0), EPERM);
	check_ok("update through a write-only fd", elem(BPF_MAP_UPDATE_ELEM, wo, &k, &v, 0));
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	map_info(ro, &info, &len);
	check_eq("map_flags in the info leave out the fd's mode", info.map_flags, 0);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY, a.key_size = 4, a.value_size = 8, a.max_entries = 1;
	memcpy(a.map_name, "bad-name", 9);
	check_errno("a map name with '-': EINVAL", bpf(BPF_MAP_CREATE, &a), EINVAL);
	memset(a.map_name, 'a', sizeof(a.map_name));
	check_errno("a map name without its NUL: EINVAL", bpf(BPF_MAP_CREATE, &a), EINVAL);
	close(ro), close(wo);
}

static void info_and_ids(void)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH, a.key_size = 8, a.value_size = 16, a.max_entries = 3;
	strcpy(a.map_name, "sg_test.map");
	int fd = (int)bpf(BPF_MAP_CREATE, &a);
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	check_ok("info of a map", map_info(fd, &info, &len));
	check("the info is the map's", info.type == BPF_MAP_TYPE_HASH && info.key_size == 8 && info.value_size == 16 &&
	      info.max_entries == 3 && !strcmp(info.name, "sg_test.map") && info.id > 0, "type %u id %u name %s",
	      info.type, info.id, info.name);
	check_eq("info_len says what was written", len, sizeof(info));
	static uint8_t big[PAGE + 1];
	len = 512;
	check_ok("a bigger info struct with a zero tail", map_info(fd, (struct bpf_map_info *)big, &len));
	check("info_len is cut to the kernel's struct", len >= sizeof(info) && len < 512, "got %u", len);
	len = PAGE + 1;
	check_errno("an info_len over a page: E2BIG", map_info(fd, (struct bpf_map_info *)big, &len), E2BIG);
	big[500] = 1, len = 512;
	check_errno("a bigger info struct with a non-zero tail: E2BIG", map_info(fd, (struct bpf_map_info *)big, &len),
		    E2BIG);
	uint32_t small[2] = { 0, 0 };
	len = 8;
	check_ok("an 8-byte info", map_info(fd, (struct bpf_map_info *)small, &len));
	check("an 8-byte info holds type and id", len == 8 && small[0] == BPF_MAP_TYPE_HASH && small[1] == info.id,
	      "len %u type %u id %u", len, small[0], small[1]);
	len = sizeof(info);
	check_errno("info at a kernel address: EFAULT", map_info(fd, (void *)KERNEL_PTR, &len), EFAULT);
	check_errno("info of fd 999: EBADFD", map_info(999, &info, &len), EBADFD);
	check_errno("info of stdin: EINVAL", map_info(0, &info, &len), EINVAL);
	/* Walk the ids until ours. */
	uint32_t id = 0, found = 0;
	for (int i = 0; i < 100000 && !found; i++) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (bpf(BPF_MAP_GET_NEXT_ID, &a))
			break;
		id = a.next_id;
		found = id == info.id;
	}
	check("MAP_GET_NEXT_ID walks to our map's id", found, "last id %u, ours %u", id, info.id);
	memset(&a, 0, sizeof(a));
	a.start_id = 0x7fffffff;
	check_errno("MAP_GET_NEXT_ID from INT_MAX: EINVAL", bpf(BPF_MAP_GET_NEXT_ID, &a), EINVAL);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	int fd2 = (int)bpf(BPF_MAP_GET_FD_BY_ID, &a);
	check_ok("MAP_GET_FD_BY_ID opens it again", fd2);
	struct bpf_map_info info2;
	len = sizeof(info2);
	memset(&info2, 0, sizeof(info2));
	map_info(fd2, &info2, &len);
	check_eq("the same map", info2.id, info.id);
	close(fd2);
	a.map_id = 0;
	check_errno("MAP_GET_FD_BY_ID 0: ENOENT", bpf(BPF_MAP_GET_FD_BY_ID, &a), ENOENT);
	a.map_id = info.id, a.open_flags = 1u << 20;
	check_errno("MAP_GET_FD_BY_ID with unknown open_flags: EINVAL", bpf(BPF_MAP_GET_FD_BY_ID, &a), EINVAL);
	close(fd);
	memset(&a, 0, sizeof(a));
	a.map_id = info.id;
	check_errno("a closed map's id is gone: ENOENT", bpf(BPF_MAP_GET_FD_BY_ID, &a), ENOENT);
	memset(&a, 0, sizeof(a));
	a.prog_id = 0;
	check_errno("PROG_GET_FD_BY_ID 0: ENOENT", bpf(BPF_PROG_GET_FD_BY_ID, &a), ENOENT);
}

static long load(uint32_t type, const struct bpf_insn *insns, uint32_t cnt, const char *license, const char *name)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = type, a.insn_cnt = cnt, a.insns = (uint64_t)insns, a.license = (uint64_t)license;
	if (name)
		strncpy(a.prog_name, name, sizeof(a.prog_name));
	return bpf(BPF_PROG_LOAD, &a);
}

static void load_checks(void)
{
	static const struct bpf_insn ret0[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
	check_errno("PROG_LOAD of 0 instructions: E2BIG", load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 0, "GPL", NULL), E2BIG);
	check_errno("PROG_LOAD of 1000001 instructions: E2BIG",
		    load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 1000001, "GPL", NULL), E2BIG);
	check_errno("instructions at NULL: EFAULT", load(BPF_PROG_TYPE_SOCKET_FILTER, NULL, 2, "GPL", NULL), EFAULT);
	check_errno("instructions at a kernel address: EFAULT",
		    load(BPF_PROG_TYPE_SOCKET_FILTER, (void *)KERNEL_PTR, 2, "GPL", NULL), EFAULT);
	check_errno("license NULL: EFAULT", load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2, NULL, NULL), EFAULT);
	check_errno("program type 9999: EINVAL", load(9999, ret0, 2, "GPL", NULL), EINVAL);
	check_errno("a program name with a space: EINVAL", load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2, "GPL", "a b"),
		    EINVAL);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER, a.insn_cnt = 2, a.insns = (uint64_t)ret0, a.license = (uint64_t)"GPL";
	a.prog_flags = 1u << 30;
	check_errno("unknown prog_flags: EINVAL", bpf(BPF_PROG_LOAD, &a), EINVAL);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = 999;
	check_errno("TEST_RUN of fd 999: EBADF", bpf(BPF_PROG_TEST_RUN, &a), EBADF);
	a.test.prog_fd = 0, a.test.ctx_size_in = 8;
	check_errno("TEST_RUN with ctx_size_in and no ctx_in: EINVAL", bpf(BPF_PROG_TEST_RUN, &a), EINVAL);
	int map = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)map;
	check_errno("TEST_RUN of a map's fd: EINVAL", bpf(BPF_PROG_TEST_RUN, &a), EINVAL);
	memset(&a, 0, sizeof(a));
	a.raw_tracepoint.name = (uint64_t)"sys_enter", a.raw_tracepoint.prog_fd = (uint32_t)map;
	check_errno("RAW_TRACEPOINT_OPEN with a map's fd: EINVAL", bpf(BPF_RAW_TRACEPOINT_OPEN, &a), EINVAL);
	close(map);
}

/* An ordinary user: what needs privilege says EPERM; an fd already open still works. */
static void unprivileged(void)
{
	int fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0);
	pid_t pid = t_fork();
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		static const struct bpf_insn ret0[] = { I_MOV64_IMM(BPF_REG_0, 0), I_EXIT() };
		union bpf_attr a;
		memset(&a, 0, sizeof(a));
		int bad = 0;
		bad |= map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0) != -1 || errno != EPERM;
		bad |= (load(BPF_PROG_TYPE_SOCKET_FILTER, ret0, 2, "GPL", NULL) != -1 || errno != EPERM) << 1;
		bad |= (bpf(BPF_MAP_GET_NEXT_ID, &a) != -1 || errno != EPERM) << 2;
		uint32_t k = 0;
		uint64_t v = 0;
		bad |= (elem(BPF_MAP_LOOKUP_ELEM, fd, &k, &v, 0) != 0) << 3;
		_exit(bad ? 10 + bad : 0);
	}
	check_exited("unprivileged: create, load and id walks EPERM; an inherited map fd works",
		     t_wait(pid, T_WAIT_TICKS), 0);
	close(fd);
}

int main(void)
{
	t_begin("bpf_syscall");
	if (map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0) < 0 && (errno == ENOSYS || errno == EPERM)) {
		t_skip("all cases", "bpf(2) unavailable: %s", errno_name(errno));
		return t_end();
	}
	attr_sizes();
	map_files();
	element_errnos();
	access_modes();
	info_and_ids();
	load_checks();
	unprivileged();
	return t_end();
}
