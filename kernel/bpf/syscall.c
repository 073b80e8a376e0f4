/*
 * bpf(2): one system call, many commands (course section: eBPF, the
 * revolution in kernel programming).
 *
 * bpf(cmd, attr, size) takes a union: each command reads its own struct in
 * it. The size is how big the caller's union is, so programs built against
 * older or newer kernel headers both work, as Linux allows:
 *   - a smaller union is read and the rest taken as zeros;
 *   - a bigger one only if every byte past ours is zero (E2BIG otherwise:
 *     the caller asks for something this kernel does not have), and never
 *     more than a page (E2BIG);
 *   - inside our union, the bytes after the command's last field must be
 *     zero too (EINVAL), each command checks that first.
 * Unknown commands are EINVAL. Privilege is checked per command, as Linux
 * does with kernel.unprivileged_bpf_disabled=2: creating maps and programs
 * and walking ids needs CAP_BPF or CAP_SYS_ADMIN; what is done through an
 * fd already open needs nothing more.
 */
#include "kernel/bpf/core.h"
#include "kernel/cred/cred.h"
#include "kernel/syscall.h"
#include "libc/include/abi/capability.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define BPF_ATTR_SIZE_MAX 4096 /* a page, as Linux's bpf_check_uarg_tail_zero */

bool bpf_capable(void)
{
	return capable(CAP_BPF) || capable(CAP_SYS_ADMIN);
}

bool perfmon_capable(void)
{
	return capable(CAP_PERFMON) || capable(CAP_SYS_ADMIN);
}

bool bpf_attr_tail_zero(const union bpf_attr *attr, size_t end)
{
	const uint8_t *b = (const uint8_t *)attr;
	for (size_t i = end; i < sizeof(*attr); i++)
		if (b[i])
			return false;
	return true;
}

long bpf_check_uarg_tail_zero(const uint8_t __user *uattr, size_t ours, size_t theirs)
{
	if (theirs > BPF_ATTR_SIZE_MAX)
		return -E2BIG;
	uint8_t chunk[64];
	for (size_t off = ours; off < theirs; off += sizeof(chunk)) {
		size_t n = MIN(sizeof(chunk), theirs - off);
		if (copy_from_user(chunk, uattr + off, n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (chunk[i])
				return -E2BIG;
	}
	return 0;
}

static long map_elem_cmd(int cmd, const union bpf_attr *attr)
{
	switch (cmd) {
	case BPF_MAP_LOOKUP_ELEM:
		return bpf_map_lookup_cmd(attr);
	case BPF_MAP_UPDATE_ELEM:
		return bpf_map_update_cmd(attr);
	case BPF_MAP_DELETE_ELEM:
		return bpf_map_delete_cmd(attr);
	default:
		return bpf_map_next_key_cmd(attr);
	}
}

static long dispatch(int cmd, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		return bpf_map_create(attr);
	case BPF_MAP_LOOKUP_ELEM:
	case BPF_MAP_UPDATE_ELEM:
	case BPF_MAP_DELETE_ELEM:
	case BPF_MAP_GET_NEXT_KEY:
		return map_elem_cmd(cmd, attr);
	case BPF_PROG_LOAD:
		return bpf_prog_load(attr);
	case BPF_PROG_TEST_RUN:
		return bpf_prog_test_run(attr, uattr);
	case BPF_PROG_GET_NEXT_ID:
	case BPF_MAP_GET_NEXT_ID:
		return bpf_get_next_id(cmd, attr, uattr);
	case BPF_PROG_GET_FD_BY_ID:
	case BPF_MAP_GET_FD_BY_ID:
		return bpf_get_fd_by_id(cmd, attr);
	case BPF_OBJ_GET_INFO_BY_FD:
		return bpf_obj_get_info(attr, uattr);
	case BPF_RAW_TRACEPOINT_OPEN:
		return bpf_raw_tracepoint_open(attr);
	default:
		return -EINVAL;
	}
}

long sys_bpf(int cmd, union bpf_attr __user *uattr, unsigned int size)
{
	union bpf_attr attr;
	long err = bpf_check_uarg_tail_zero((const uint8_t __user *)uattr, sizeof(attr), size);
	if (err)
		return err;
	memset(&attr, 0, sizeof(attr));
	if (copy_from_user(&attr, uattr, MIN((size_t)size, sizeof(attr))))
		return -EFAULT;
	return dispatch(cmd, &attr, uattr);
}
