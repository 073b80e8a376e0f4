/*
 * BPF_OBJ_GET_INFO_BY_FD: what a loaded program or map is (course section:
 * eBPF, the revolution in kernel programming).
 *
 * bpftool's "prog list" is this command on every id: type, name, tag, load
 * time, the maps a program uses, and -- if the caller passes buffers --
 * its instructions as the verifier left them ("xlated") and the JIT's
 * machine code. The caller says how big its struct is (info_len): as with
 * the attr, a bigger struct must have a zero tail (E2BIG), and the kernel
 * writes back min(its size, ours) in info_len. Counts work both ways: the
 * caller's nr_map_ids says how many ids its buffer holds, the kernel
 * writes that many and answers with the real count, so a second call can
 * ask for all. Instructions are dumped with map addresses turned back into
 * map ids, never kernel addresses.
 */
#include "kernel/bpf/core.h"
#include "kernel/fs/file.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

static long write_back(void __user *uinfo, const void *info, uint32_t len, union bpf_attr __user *uattr)
{
	if (copy_to_user(uinfo, info, len) ||
	    copy_to_user(user_field(uattr, union bpf_attr, info.info_len), &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

long bpf_map_get_info(struct bpf_map *map, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	void __user *uinfo = (void __user *)attr->info.info;
	struct bpf_map_info info;
	long err = bpf_check_uarg_tail_zero(uinfo, sizeof(info), attr->info.info_len);
	if (err)
		return err;
	memset(&info, 0, sizeof(info));
	info.type = map->type;
	info.id = map->id;
	info.key_size = map->key_size;
	info.value_size = map->value_size;
	info.max_entries = map->max_entries;
	info.map_flags = map->map_flags;
	memcpy(info.name, map->name, sizeof(info.name));
	return write_back(uinfo, &info, MIN(attr->info.info_len, (uint32_t)sizeof(info)), uattr);
}

/* An ld_imm64 the verifier pointed at a map (or into its value): as it was
 * loaded, with the map's id where the fd was. */
static void dump_map_load(const struct bpf_prog *prog, struct bpf_insn *in)
{
	uint64_t addr = (uint32_t)in[0].imm | (uint64_t)(uint32_t)in[1].imm << 32;
	for (uint32_t i = 0; i < prog->n_used_maps; i++) {
		struct bpf_map *m = prog->used_maps[i];
		uint64_t base;
		if (addr == (uint64_t)m) {
			in[0].src_reg = BPF_PSEUDO_MAP_FD, in[0].imm = (int32_t)m->id, in[1].imm = 0;
			return;
		}
		if (m->ops->direct_value_addr && !m->ops->direct_value_addr(m, &base, 0) && addr >= base &&
		    addr - base < m->value_size) {
			in[0].src_reg = BPF_PSEUDO_MAP_VALUE, in[0].imm = (int32_t)m->id;
			in[1].imm = (int32_t)(addr - base);
			return;
		}
	}
}

static long dump_xlated(const struct bpf_prog *prog, void __user *dst, uint32_t ulen)
{
	uint32_t bytes = prog->len * sizeof(struct bpf_insn);
	struct bpf_insn *copy = kmalloc(bytes);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, prog->insns, bytes);
	for (uint32_t i = 0; i + 1 < prog->len; i++)
		if (copy[i].code == (BPF_LD | BPF_DW | BPF_IMM))
			dump_map_load(prog, &copy[i++]);
	long err = copy_to_user(dst, copy, MIN(ulen, bytes)) ? -EFAULT : 0;
	kfree(copy);
	return err;
}

static long put_map_ids(const struct bpf_prog *prog, struct bpf_prog_info *info)
{
	uint32_t ulen = MIN(info->nr_map_ids, prog->n_used_maps);
	uint32_t __user *ids = (uint32_t __user *)info->map_ids;
	info->nr_map_ids = prog->n_used_maps;
	for (uint32_t i = 0; i < ulen; i++)
		if (copy_to_user(ids + i, &prog->used_maps[i]->id, sizeof(uint32_t)))
			return -EFAULT;
	return 0;
}

/* The machine code, its one symbol (the image's address) and length. */
static long put_jited(const struct bpf_prog *prog, struct bpf_prog_info *info)
{
	uint32_t ulen = info->jited_prog_len, nsyms = info->nr_jited_ksyms, nlens = info->nr_jited_func_lens;
	bool jited = prog->jited != NULL;
	info->jited_prog_len = jited ? prog->jit_size : 0;
	info->nr_jited_ksyms = info->nr_jited_func_lens = jited;
	if (!jited)
		return 0;
	uint64_t sym = (uint64_t)prog->jit_image, len = prog->jit_size;
	if ((ulen && copy_to_user((void __user *)info->jited_prog_insns, prog->jit_image, MIN(ulen, prog->jit_size))) ||
	    (nsyms && copy_to_user((void __user *)info->jited_ksyms, &sym, sizeof(sym))) ||
	    (nlens && copy_to_user((void __user *)info->jited_func_lens, &len, sizeof(uint32_t))))
		return -EFAULT;
	return 0;
}

long bpf_prog_get_info(struct bpf_prog *prog, const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	void __user *uinfo = (void __user *)attr->info.info;
	struct bpf_prog_info info;
	long err = bpf_check_uarg_tail_zero(uinfo, sizeof(info), attr->info.info_len);
	if (err)
		return err;
	uint32_t len = MIN(attr->info.info_len, (uint32_t)sizeof(info));
	memset(&info, 0, sizeof(info));
	if (copy_from_user(&info, uinfo, len))
		return -EFAULT; /* the caller's counts and buffers */
	info.type = prog->type;
	info.id = prog->id;
	memcpy(info.tag, prog->tag, sizeof(info.tag));
	info.load_time = prog->load_time_ns;
	info.created_by_uid = prog->created_by_uid;
	info.gpl_compatible = prog->gpl_compatible;
	memcpy(info.name, prog->name, sizeof(info.name));
	info.verified_insns = prog->verified_insns;
	info.run_time_ns = prog->run_time_ns;
	info.run_cnt = prog->run_cnt;
	err = put_map_ids(prog, &info);
	uint32_t ulen = info.xlated_prog_len;
	info.xlated_prog_len = prog->len * sizeof(struct bpf_insn);
	if (!err && ulen && info.xlated_prog_insns)
		err = dump_xlated(prog, (void __user *)info.xlated_prog_insns, ulen);
	if (!err)
		err = put_jited(prog, &info);
	uint32_t ntags = info.nr_prog_tags;
	info.nr_prog_tags = 1; /* one function: subprograms are not listed apart here */
	if (!err && ntags && copy_to_user((void __user *)info.prog_tags, prog->tag, BPF_TAG_SIZE))
		err = -EFAULT;
	return err ? err : write_back(uinfo, &info, len, uattr);
}

long bpf_obj_get_info(const union bpf_attr *attr, union bpf_attr __user *uattr)
{
	if (!bpf_attr_tail_zero(attr, BPF_ATTR_END(info)))
		return -EINVAL;
	struct file *f = fd_get((int)attr->info.bpf_fd);
	if (!f)
		return -EBADFD; /* Linux's answer here, not EBADF */
	struct bpf_prog *prog = bpf_prog_of_file(f);
	if (prog)
		return bpf_prog_get_info(prog, attr, uattr);
	struct bpf_map *map = bpf_map_of_file(f);
	if (map)
		return bpf_map_get_info(map, attr, uattr);
	return -EINVAL;
}
