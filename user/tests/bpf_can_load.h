/*
 * Whether the kernel under test loads BPF programs at all (course section:
 * eBPF, programs written in C): shared by the tests of the loader and the
 * tools (bpf_loader.c, bpf_tools.c). The smallest program (r0 = 0; exit)
 * always loads on Linux as root; on sysgate once bpf(2) and its verifier
 * are in. Until then those tests skip with the reason, on sysgate only.
 */
#ifndef USER_TESTS_BPF_CAN_LOAD_H
#define USER_TESTS_BPF_CAN_LOAD_H

#include <unistd.h>

#include "lib/testlib.h"
#include "user/bpflib/bpflib.h"

static int bpf_can_load(const char *what)
{
	int fd = bpf_prog_load_trivial(BPF_PROG_TYPE_SOCKET_FILTER);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (on_sysgate() && (fd == -ENOSYS || fd == -EINVAL))
		t_skip(what, "this kernel loads no BPF program yet (%s for r0 = 0; exit)", errno_name(-fd));
	else
		t_fail(what, "the smallest program does not load: %s", errno_name(-fd));
	return 0;
}

#endif
