/*
 * BPF_PROG_LOAD: a program becomes a kernel object (course section: eBPF,
 * the revolution in kernel programming).
 *
 * The steps, in Linux's order, each with its errno:
 *   1. the attributes: unknown flags, a zero or too long program (E2BIG),
 *      a program type we do not run (EINVAL), privilege (EPERM);
 *   2. copy the instructions and the license in (EFAULT); a GPL-compatible
 *      license unlocks the gpl_only helpers (the verifier checks calls);
 *   3. the name (letters, digits, '_' and '.'), the tag (a hash of the
 *      instructions), the load time;
 *   4. bpf_check(): the verifier proves every path safe or refuses with a
 *      log -- nothing runs unverified;
 *   5. the JIT when bpf_jit_enable, else the interpreter runs it;
 *   6. an id and an fd ("anon_inode:bpf-prog").
 * The program then lives while an fd, an attachment or a prog-array slot
 * holds a reference; the last bpf_prog_put frees it and the maps it used.
 */
#include "kernel/bpf/core.h"
#include "kernel/bpf/map.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "kernel/proc/task.h"
#include "kernel/cred/cred.h"
#include "drivers/timer.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define LICENSE_MAX 128 /* Linux reads at most 127 bytes of the license */
#define PROG_FLAGS_KNOWN (BPF_F_STRICT_ALIGNMENT | BPF_F_ANY_ALIGNMENT)

long bpf_jit_enable = 1;
static const struct file_ops prog_file_ops;

struct bpf_prog *bpf_prog_of_file(struct file *f)
{
	return f && f->ops == &prog_file_ops ? f->private : NULL;
}

void bpf_prog_get(struct bpf_prog *prog)
{
	prog->refs++;
}

static void prog_free(struct bpf_prog *prog)
{
	if (prog->jited)
		bpf_jit_free(prog);
	for (uint32_t i = 0; i < prog->n_used_maps; i++)
		bpf_map_put(prog->used_maps[i]);
	kfree(prog->insns);
	kfree(prog);
}

void bpf_prog_put(struct bpf_prog *prog)
{
	if (--prog->refs)
		return;
	if (prog->id)
		bpf_prog_remove_id(prog);
	prog_free(prog);
}

struct bpf_prog *bpf_prog_get_fd(int fd, long *err)
{
	struct file *f = fd_get(fd);
	struct bpf_prog *prog = bpf_prog_of_file(f);
	if (!prog) {
		*err = f ? -EINVAL : -EBADF;
		return NULL;
	}
	bpf_prog_get(prog);
	*err = 0;
	return prog;
}

static void prog_release(struct file *f)
{
	bpf_prog_put(f->private);
}

/* Linux's lines; memlock is the instructions' pages, as Linux counts a program. */
static void prog_show_fdinfo(struct file *f, struct proc_text *t)
{
	const struct bpf_prog *p = f->private;
	uint64_t memlock = ALIGN_UP(sizeof(*p) + (uint64_t)p->len * sizeof(struct bpf_insn), 4096);
	proc_printf(t, "prog_type:\t%u\nprog_jited:\t%d\nprog_tag:\t", p->type, p->jited != NULL);
	for (int i = 0; i < BPF_TAG_SIZE; i++)
		proc_printf(t, "%02x", p->tag[i]);
	proc_printf(t, "\nmemlock:\t%lu\nprog_id:\t%u\nrun_time_ns:\t%lu\nrun_cnt:\t%lu\n", memlock, p->id,
		    p->run_time_ns, p->run_cnt);
	proc_printf(t, "recursion_misses:\t0\nverified_insns:\t%u\n", p->verified_insns);
}

static const struct file_ops prog_file_ops = {
	.show_fdinfo = prog_show_fdinfo,
	.release = prog_release,
	.anon_name = "bpf-prog",
	.anon_mode = 0600,
};

long bpf_prog_new_fd(struct bpf_prog *prog)
{
	struct file *f = file_alloc(&prog_file_ops, O_RDWR, prog);
	if (!f)
		return -ENOMEM;
	bpf_prog_get(prog);
	int fd = fd_install(f, 0, true);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* --- the checks before the verifier --------------------------------------------------------- */

static bool known_type(uint32_t type)
{
	switch (type) {
	case BPF_PROG_TYPE_SOCKET_FILTER:
	case BPF_PROG_TYPE_KPROBE:
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_RAW_TRACEPOINT:
	case BPF_PROG_TYPE_PERF_EVENT:
		return true;
	default:
		return false;
	}
}

static bool tracing_type(uint32_t type)
{
	return type == BPF_PROG_TYPE_KPROBE || type == BPF_PROG_TYPE_TRACEPOINT ||
	       type == BPF_PROG_TYPE_RAW_TRACEPOINT || type == BPF_PROG_TYPE_PERF_EVENT;
}

/* The licenses Linux's license_is_gpl_compatible accepts. */
static bool gpl_compatible(const char *license)
{
	static const char *const ok[] = { "GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
					  "Dual MIT/GPL", "Dual MPL/GPL" };
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (!strcmp(license, ok[i]))
			return true;
	return false;
}

/* Step 1: what Linux checks before copying anything. */
static long check_load_attr(const union bpf_attr *attr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(core_relo_rec_size)))
		return -EINVAL;
	if (attr->prog_flags & ~PROG_FLAGS_KNOWN)
		return -EINVAL;
	if (!bpf_capable())
		return -EPERM;
	if (attr->insn_cnt == 0 || attr->insn_cnt > BPF_COMPLEXITY_LIMIT_INSNS)
		return -E2BIG;
	if (tracing_type(attr->prog_type) && !perfmon_capable())
		return -EPERM;
	return 0;
}

/* Step 2: the instructions and the license. */
static long copy_program(struct bpf_prog *prog, const union bpf_attr *attr)
{
	prog->insns = kmalloc((size_t)prog->len * sizeof(struct bpf_insn));
	if (!prog->insns)
		return -ENOMEM;
	if (copy_from_user(prog->insns, (const void __user *)attr->insns, (size_t)prog->len * sizeof(struct bpf_insn)))
		return -EFAULT;
	char license[LICENSE_MAX];
	long n = strncpy_from_user(license, (const char __user *)attr->license, sizeof(license) - 1);
	if (n == -EFAULT)
		return -EFAULT;
	license[n < 0 ? (long)sizeof(license) - 1 : n] = 0;
	prog->gpl_compatible = gpl_compatible(license);
	return 0;
}

/* Steps 4 and 5. */
static long verify_and_select(struct bpf_prog *prog, const union bpf_attr *attr)
{
	long err = bpf_check(prog, attr->log_level, (char __user *)attr->log_buf, attr->log_size);
	if (err)
		return err;
	for (uint32_t i = 0; i < prog->len; i++)
		if (prog->insns[i].code == (BPF_JMP | BPF_CALL) && prog->insns[i].src_reg == 0 &&
		    prog->insns[i].imm == BPF_FUNC_trace_printk)
			bpf_trace_printk_enable(); /* as Linux, when a program that prints is loaded */
	if (bpf_jit_enable)
		bpf_jit_compile(prog); /* on failure prog->jited stays NULL: interpreted */
	/* Tail calls stay among programs of one type and JIT state (Linux's bpf_check_tail_call). */
	for (uint32_t i = 0; i < prog->n_used_maps; i++)
		if (prog->used_maps[i]->type == BPF_MAP_TYPE_PROG_ARRAY &&
		    !bpf_prog_array_compatible(prog->used_maps[i], prog))
			return -EINVAL;
	return 0;
}

long bpf_prog_load(const union bpf_attr *attr)
{
	long err = check_load_attr(attr);
	if (err)
		return err;
	struct bpf_prog *prog = kzalloc(sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	prog->refs = 1;
	prog->type = attr->prog_type;
	prog->expected_attach_type = attr->expected_attach_type;
	prog->len = attr->insn_cnt;
	prog->created_by_uid = current_cred()->uid;
	list_init(&prog->all);
	err = copy_program(prog, attr);
	if (!err && !known_type(prog->type))
		err = -EINVAL;
	if (!err) {
		prog->load_time_ns = clock_monotonic_ns();
		if (!bpf_obj_name_copy(prog->name, attr->prog_name))
			err = -EINVAL;
	}
	if (!err) {
		bpf_prog_calc_tag(prog);
		err = verify_and_select(prog, attr);
	}
	if (err) {
		bpf_prog_put(prog);
		return err;
	}
	bpf_prog_add_id(prog);
	long fd = bpf_prog_new_fd(prog);
	bpf_prog_put(prog);
	return fd;
}
