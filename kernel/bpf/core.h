/*
 * What bpf(2)'s own files tell each other (course section: eBPF, the
 * revolution in kernel programming): the commands syscall.c hands out, the
 * list of objects by id, and the files that hold maps and programs.
 * bpf.h is the contract with the verifier, the JIT and the maps; this
 * header stays inside syscall.c, map.c, prog.c, ids.c, info.c, attach.c
 * and test_run.c.
 */
#ifndef KERNEL_BPF_CORE_H
#define KERNEL_BPF_CORE_H

#include "kernel/bpf/bpf.h"

struct file;

/* Linux's CHECK_ATTR: every byte of attr after the command's last field is
 * zero, or the command answers EINVAL (a newer program asked for something
 * this kernel does not know). */
bool bpf_attr_tail_zero(const union bpf_attr *attr, size_t end);
/* Bytes [ours, theirs) of a caller's struct that is bigger than ours (the
 * union, an info struct): all zero (0), else E2BIG (or EFAULT); more than
 * a page is E2BIG. */
long bpf_check_uarg_tail_zero(const uint8_t __user *uptr, size_t ours, size_t theirs);
#define BPF_ATTR_END(member) (offsetof(union bpf_attr, member) + sizeof(((union bpf_attr *)0)->member))

/* Privilege with kernel.unprivileged_bpf_disabled=2 (Debian's default):
 * CAP_BPF or CAP_SYS_ADMIN; tracing program types also need CAP_PERFMON
 * (or CAP_SYS_ADMIN). */
bool bpf_capable(void);
bool perfmon_capable(void);

/* The commands (union bpf_attr is the kernel's zero-filled copy). */
long bpf_map_create(const union bpf_attr *attr);
long bpf_map_lookup_cmd(const union bpf_attr *attr);
long bpf_map_update_cmd(const union bpf_attr *attr);
long bpf_map_delete_cmd(const union bpf_attr *attr);
long bpf_map_next_key_cmd(const union bpf_attr *attr);
long bpf_prog_load(const union bpf_attr *attr);
long bpf_prog_test_run(const union bpf_attr *attr, union bpf_attr __user *uattr);
long bpf_raw_tracepoint_open(const union bpf_attr *attr);
long bpf_obj_get_info(const union bpf_attr *attr, union bpf_attr __user *uattr);
long bpf_get_next_id(int cmd, const union bpf_attr *attr, union bpf_attr __user *uattr);
long bpf_get_fd_by_id(int cmd, const union bpf_attr *attr);

/* The objects by id (kernel/bpf/ids.c): ids count up from 1, as Linux's
 * idr_alloc_cyclic, so a freed id is not given again soon. */
void bpf_map_add_id(struct bpf_map *map);
void bpf_map_remove_id(struct bpf_map *map);
void bpf_prog_add_id(struct bpf_prog *prog);
void bpf_prog_remove_id(struct bpf_prog *prog);

/* The file behind an fd, if it is a map's or a program's (else NULL). */
struct bpf_map *bpf_map_of_file(struct file *f);
struct bpf_prog *bpf_prog_of_file(struct file *f);
/* A new fd (always close-on-exec, as Linux's) holding one more reference. */
long bpf_map_new_fd(struct bpf_map *map, unsigned open_flags);
long bpf_prog_new_fd(struct bpf_prog *prog);
void bpf_map_get(struct bpf_map *map);

/* BPF_OBJ_GET_INFO_BY_FD for each kind (kernel/bpf/info.c). */
long bpf_map_get_info(struct bpf_map *map, const union bpf_attr *attr, union bpf_attr __user *uattr);
long bpf_prog_get_info(struct bpf_prog *prog, const union bpf_attr *attr, union bpf_attr __user *uattr);

/* The 8-byte tag: SHA-1 of the instructions with map fds zeroed (tag.c). */
void bpf_prog_calc_tag(struct bpf_prog *prog);

/* An object name from bpf_attr: letters, digits, '_' and '.', NUL-ended
 * within BPF_OBJ_NAME_LEN; false otherwise (EINVAL). */
bool bpf_obj_name_copy(char *dst, const char *src);

#endif
