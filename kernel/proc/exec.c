/*
 * execve: replacing a process's program (course section: starting a program).
 *
 * execve keeps the process (pid, open files, parent) and replaces its
 * memory with a new program. In order:
 *   1. copy the path, argv and envp out of the old program's memory --
 *      it is about to disappear;
 *   2. find the file and check it is an ELF64 x86_64 executable;
 *   3. build the new address space: each PT_LOAD segment, an empty heap
 *      (brk) above them, and a stack at the top of user space holding the
 *      Linux initial stack (below);
 *   4. only now, when nothing can fail any more, drop the old address
 *      space, close FD_CLOEXEC files, reset signal handlers, and set the
 *      saved registers so the return to user mode lands at the entry point.
 * An error before step 4 returns to the old program, intact.
 *
 * The initial stack, as the x86_64 psABI and Linux lay it out, rsp at argc:
 *     argc | argv[0..argc-1] | NULL | envp[..] | NULL | auxv pairs | AT_NULL,0
 *     ...then, higher up, the strings they point to and 16 random bytes.
 * rsp is 16-byte aligned. The auxiliary vector tells the C library where
 * the program headers are (for TLS), the page size, the entry point, the
 * user ids, and where the random bytes are (for stack canaries).
 *
 * A set-user-ID program gets new credentials here (kernel/cred/cred.c):
 * made before step 4, put in place with the new memory.
 */
#include "kernel/net/cn_proc.h"
#include "kernel/proc/rseq.h"
#include "kernel/proc/exec.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/segments.h"
#include "kernel/proc/elf.h"
#include "kernel/fs/file.h"
#include "kernel/ipc/futex.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/signal/signal.h"
#include "kernel/time/posix_timer.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "kernel/fs/vfs.h"
#include "kernel/vdso/vdso.h"
#include "kernel/cred/cred.h"
#include "kernel/cred/permission.h"
#include "libc/include/abi/auxv.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "kernel/proc/thread_group.h"
#include "kernel/trace/ptrace.h"
#include "mm/heap.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"
#include "kernel/tracing/hooks.h"

#define HEADER_READ_MAX 65536 /* ELF and program headers must be in the first 64 KiB */
#define COPY_CHUNK 4096

/* --- collecting the arguments ------------------------------------------------------ */

int exec_args_init(struct exec_args *a)
{
	a->buf = kmalloc(EXEC_ARGS_MAX);
	a->used = 0;
	a->argc = a->envc = 0;
	return a->buf ? 0 : -ENOMEM;
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->buf);
	a->buf = NULL;
}

int exec_args_add(struct exec_args *a, const char *s, bool is_env)
{
	size_t n = strlen(s) + 1;
	/* Each string also costs a pointer on the new stack. */
	if (n > EXEC_ARGS_MAX - a->used || (size_t)(a->argc + a->envc + 1) * 8 > EXEC_ARGS_MAX - a->used - n)
		return -E2BIG;
	memcpy(a->buf + a->used, s, n);
	a->used += n;
	if (is_env)
		a->envc++;
	else
		a->argc++;
	return 0;
}

/* Copy a NULL-terminated array of user strings (argv or envp). */
static int copy_string_array(struct exec_args *a, const char __user *const __user *uarr, bool is_env)
{
	if (!uarr)
		return 0; /* Linux treats a NULL argv or envp as empty */
	char *tmp = kmalloc(EXEC_STRING_MAX);
	if (!tmp)
		return -ENOMEM;
	int err = 0;
	for (size_t i = 0;; i++) {
		const char __user *ustr;
		if (copy_from_user(&ustr, &uarr[i], sizeof(ustr))) {
			err = -EFAULT;
			break;
		}
		if (!ustr)
			break;
		long n = strncpy_from_user(tmp, ustr, EXEC_STRING_MAX);
		if (n < 0) {
			err = n == -ENAMETOOLONG ? -E2BIG : (int)n;
			break;
		}
		err = exec_args_add(a, tmp, is_env);
		if (err)
			break;
	}
	kfree(tmp);
	return err;
}

/* --- building the new address space --------------------------------------------------- */

static int load_segment(struct mm *mm, struct inode *file, const struct elf_segment *s, char *chunk)
{
	uint64_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	if (!vma_insert(mm, start, end - start, s->prot, 0))
		return -ENOMEM;
	/* The file bytes; the rest (.bss) stays zero: fresh frames are zeroed. */
	for (uint64_t done = 0; done < s->filesz;) {
		size_t n = MIN(s->filesz - done, (uint64_t)COPY_CHUNK);
		if (inode_read_kernel(file, chunk, n, s->offset + done) != (ssize_t)n)
			return -EIO;
		int err = vm_write(mm, s->vaddr + done, chunk, n);
		if (err)
			return err;
		done += n;
	}
	return 0;
}

struct stack_builder {
	struct mm *mm;
	uint64_t sp;
	int err;
};

static uint64_t push_bytes(struct stack_builder *b, const void *data, size_t n)
{
	b->sp -= n;
	if (!b->err)
		b->err = vm_write(b->mm, b->sp, data, n);
	return b->sp;
}

static void push_word(struct stack_builder *b, uint64_t v)
{
	push_bytes(b, &v, sizeof(v));
}

/* RLIMIT_STACK: how far the new program's stack may grow (its pages still
 * come one fault at a time), between a floor that holds any arguments
 * exec accepts and a ceiling that keeps it clear of the mmap area. */
static uint64_t stack_size(const struct task *t)
{
	uint64_t limit = t->rlim[RLIMIT_STACK].rlim_cur;
	return ALIGN_UP(MAX(MIN(limit, (uint64_t)USER_STACK_CEILING), 2 * EXEC_ARGS_MAX), PAGE_SIZE);
}

static int build_stack(struct mm *mm, const struct exec_args *a, const struct elf_image *img,
		       const char *filename, const struct cred *cred, uint64_t stack_bytes, uint64_t *sp_out)
{
	uint64_t vdso_base;
	int err = vdso_map(mm, &vdso_base); /* [vvar] and [vdso] (kernel/vdso/vdso.c) */
	if (err)
		return err;
	if (!vma_insert(mm, USER_STACK_TOP - stack_bytes, stack_bytes, PROT_READ | PROT_WRITE, VMA_STACK))
		return -ENOMEM;
	struct stack_builder b = { mm, USER_STACK_TOP, 0 };

	/* The strings first, at the top. */
	uint64_t execfn = push_bytes(&b, filename, strlen(filename) + 1);
	uint64_t platform = push_bytes(&b, "x86_64", 7);
	uint8_t rnd[16];
	random_fill(rnd, sizeof(rnd)); /* libc's stack canary and pointer guard */
	uint64_t random = push_bytes(&b, rnd, sizeof(rnd));
	uint64_t strings = push_bytes(&b, a->buf, a->used);
	size_t argv_bytes = 0; /* /proc/PID/cmdline shows argv, not envp */
	for (int i = 0; i < a->argc; i++)
		argv_bytes += strlen(a->buf + argv_bytes) + 1;
	mm->arg_start = strings;
	mm->arg_end = strings + argv_bytes;
	mm->env_start = mm->arg_end; /* envp's strings follow argv's */
	mm->env_end = strings + a->used;
	struct {
		uint64_t type, value;
	} auxv[] = {
		{ AT_PHDR, img->phdr_addr }, { AT_PHENT, img->phentsize }, { AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE_SIZE },    { AT_BASE, 0 },               { AT_FLAGS, 0 },
		{ AT_ENTRY, img->entry },    { AT_UID, cred->uid },        { AT_EUID, cred->euid },
		{ AT_GID, cred->gid },       { AT_EGID, cred->egid },      { AT_SECURE, cred_secure_exec(cred) },
		{ AT_CLKTCK, 100 },          { AT_RANDOM, random },        { AT_PLATFORM, platform },
		{ AT_EXECFN, execfn },       { AT_SYSINFO_EHDR, vdso_base }, { AT_NULL, 0 },
	};

	/* Then the vectors. Count the words so rsp ends 16-byte aligned. */
	size_t words = 1 + (a->argc + 1) + (a->envc + 1) + 2 * ARRAY_SIZE(auxv);
	b.sp = ALIGN_DOWN(b.sp, 16);
	if (words % 2)
		b.sp -= 8;
	for (int i = ARRAY_SIZE(auxv) - 1; i >= 0; i--) {
		push_word(&b, auxv[i].value);
		push_word(&b, auxv[i].type);
	}
	/* Pointers to the strings, which lie one after another: argv then envp. */
	size_t nstr = a->argc + a->envc;
	uint64_t *addr = kmalloc((nstr + 1) * sizeof(uint64_t));
	if (!addr)
		return -ENOMEM;
	uint64_t p = strings;
	for (size_t i = 0; i < nstr; i++) {
		addr[i] = p;
		p += strlen(a->buf + (p - strings)) + 1;
	}
	push_word(&b, 0);
	for (int i = a->envc - 1; i >= 0; i--)
		push_word(&b, addr[a->argc + i]);
	push_word(&b, 0);
	for (int i = a->argc - 1; i >= 0; i--)
		push_word(&b, addr[i]);
	push_word(&b, a->argc);
	kfree(addr);
	*sp_out = b.sp;
	return b.err;
}

static int read_headers(struct inode *file, char **buf, size_t *size)
{
	*size = MIN(file->size, (uint64_t)HEADER_READ_MAX);
	*buf = kmalloc(*size ? *size : 1);
	if (!*buf)
		return -ENOMEM;
	if (inode_read_kernel(file, *buf, *size, 0) != (ssize_t)*size)
		return -EIO;
	return 0;
}

static int build_image(struct inode *file, const char *hdr, size_t hdr_size, const struct exec_args *a,
		       const char *filename, const struct cred *cred, uint64_t stack_bytes, struct mm **mm_out,
		       uint64_t *entry, uint64_t *sp)
{
	struct elf_image img;
	const char *why = NULL;
	int err = elf_parse(hdr, hdr_size, file->size, &img, &why);
	if (err) {
		if (why)
			printk("exec %s: %s\n", filename, why);
		return err;
	}
	struct mm *mm = mm_create();
	char *chunk = kmalloc(COPY_CHUNK);
	if (!mm || !chunk) {
		kfree(chunk);
		mm_put(mm);
		return -ENOMEM;
	}
	for (int i = 0; i < img.nseg && !err; i++)
		err = load_segment(mm, file, &img.seg[i], chunk);
	kfree(chunk);
	if (!err) {
		mm->brk_start = mm->brk = ALIGN_UP(img.end, PAGE_SIZE);
		mm->heap = vma_insert(mm, mm->brk_start, 0, PROT_READ | PROT_WRITE, VMA_HEAP);
		err = mm->heap ? build_stack(mm, a, &img, filename, cred, stack_bytes, sp) : -ENOMEM;
	}
	if (err) {
		mm_put(mm);
		return err;
	}
	*mm_out = mm;
	*entry = img.entry;
	return 0;
}

/* --- the point of no return ------------------------------------------------------------- */

static void commit(struct task *t, struct mm *mm, struct cred *cred, uint64_t entry, uint64_t sp,
		   const char *filename)
{
	if (cred_secure_exec(cred)) {
		t->prctl.not_dumpable = true; /* a set-user-ID program's memory is not its caller's to see */
		t->prctl.pdeathsig = 0;
	} else {
		t->prctl.not_dumpable = false;
	}
	cn_proc_ids_changed(t, t->cred, cred); /* a set-user-ID program: new ids */
	cred_put(t->cred);
	t->cred = cred;
	if (t == current)
		futex_release_robust_list(t); /* the locks held live in the old memory */
	struct mm *old = t->mm;
	t->mm = mm;
	if (t == current)
		switch_address_space(mm->pml4);
	mm_put(old);
	vfork_release(t); /* a vfork parent may run again: its memory is its own */
	t->did_exec = true;
	rseq_exec(t);
	fd_table_close_on_exec(t->files);
	signals_exec(t);
	posix_timers_delete_all(t);
	task_set_name(t, filename);
	cn_proc_exec(t); /* the process-events connector (kernel/net/cn_proc.c) */
	tracehook_exec(t, filename);
	t->fs_base = t->gs_base = 0;
	t->clear_child_tid = NULL;
	fpu_init_state(t->fpu_state);
	if (t == current) {
		wrmsr(MSR_FS_BASE, 0);
		wrmsr(MSR_KERNEL_GS_BASE, 0);
		fpu_restore(t->fpu_state);
	}
	struct regs *r = task_regs(t);
	memset(r, 0, sizeof(*r));
	r->rip = entry;
	r->rsp = sp;
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->rflags = RFLAGS_IF | RFLAGS_FIXED;
}

int do_execve_depth(struct task *t, const char *path, struct exec_args *a, int depth)
{
	struct inode *file;
	int err = path_lookup(t->fs->cwd, path, &file);
	if (err)
		return err;
	if (!inode_is_reg(file) || inode_permission(file, MAY_EXEC)) {
		inode_put(file);
		return -EACCES;
	}
	char *hdr;
	size_t hdr_size;
	err = read_headers(file, &hdr, &hdr_size);
	if (!err && exec_is_script(hdr, hdr_size)) {
		inode_put(file);
		err = exec_script(t, path, hdr, hdr_size, a, depth);
		kfree(hdr);
		return err;
	}
	struct mm *mm;
	uint64_t entry, sp;
	struct cred *cred = NULL;
	bool denied = false;
	if (!err)
		err = inode_deny_write_access(file); /* ETXTBSY if open for writing (kernel/fs/text_busy.c) */
	if (!err) {
		denied = true;
		cred = cred_for_exec(t->cred, file->mode, file->uid, file->gid, t->cred->no_new_privs);
		err = cred ? 0 : -ENOMEM;
	}
	if (!err)
		err = build_image(file, hdr, hdr_size, a, path, cred, stack_size(t), &mm, &entry, &sp);
	kfree(hdr);
	if (err) {
		if (denied)
			inode_allow_write_access(file);
		inode_put(file);
		cred_put(cred);
		return err;
	}
	if (t == current)
		err = exec_end_other_threads(); /* the new program starts with one thread */
	if (err) {
		mm_put(mm);
		inode_allow_write_access(file);
		inode_put(file);
		cred_put(cred);
		return err;
	}
	mm->exe = file; /* the new memory keeps the file from writers, and our reference */
	commit(t, mm, cred, entry, sp, path);
	return 0;
}

int do_execve(struct task *t, const char *path, struct exec_args *a)
{
	pid_t old_tid = t->pid;
	int err = do_execve_depth(t, path, a, 0);
	if (!err && t == current && unlikely(t->ptrace))
		ptrace_exec_done(old_tid); /* ptrace: PTRACE_EVENT_EXEC, or SIGTRAP */
	return err;
}

long sys_execve(const char __user *upath, const char __user *const __user *argv,
		const char __user *const __user *envp)
{
	char *path = kmalloc(PATH_MAX);
	struct exec_args a;
	if (!path || exec_args_init(&a)) {
		kfree(path);
		return -ENOMEM;
	}
	int err = path_from_user(upath, path);
	if (!err)
		err = copy_string_array(&a, argv, false);
	if (!err && a.argc == 0)
		err = exec_args_add(&a, "", false); /* Linux (5.18+): never argc 0, argv[0] is "" */
	if (!err)
		err = copy_string_array(&a, envp, true);
	if (!err)
		err = do_execve(current, path, &a);
	exec_args_free(&a);
	kfree(path);
	return err;
}
