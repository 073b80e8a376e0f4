/*
 * The vDSO, kernel side: carrying it, mapping it, feeding it (course
 * section: syscall basics -- the vDSO).
 *
 * The vDSO's code (arch/x86_64/vdso/vdso.c) is built as a small shared
 * object whose bytes the kernel image carries (arch/x86_64/vdso_image.asm).
 * At boot they are copied into a file of their own, and a second one-page
 * file holds the data the vDSO reads (struct vvar_data). exec maps both
 * into every new program, read-only -- [vvar], then [vdso] just above it --
 * and tells the C library where through AT_SYSINFO_EHDR. As they are
 * ordinary private file mappings, fork, munmap and /proc/PID/maps need
 * nothing special, and every process shares the same two frames.
 *
 * The timer interrupt keeps the coarse clocks on the data page up to date
 * under a sequence counter (see kernel/vdso/vvar.h); the rest of the page
 * is set once at boot, as the TSC-based clock has fixed parameters.
 */
#include "kernel/vdso/vdso.h"
#include "arch/x86_64/x86.h"
#include "drivers/timer.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/vdso/vvar.h"
#include "libc/include/abi/fcntl.h"
#include "mm/phys.h"
#include "mm/vm.h"

extern const char vdso_image_start[], vdso_image_end[];

static struct file *vdso_file, *vvar_file;
static volatile struct vvar_data *vvar;
static uint64_t vdso_bytes; /* the image, in whole pages */

static struct file *kernel_file(const void *data, size_t n, struct inode **out)
{
	struct inode *i = inode_new_anonymous(S_IFREG | 0444);
	int err;
	if (!i || inode_write_kernel(i, data, n))
		panic("vdso: no memory");
	*out = i;
	struct file *f = file_open_inode(i, O_RDONLY, &err);
	if (!f)
		panic("vdso: no memory");
	return f;
}

void vdso_init(void)
{
	static const char zero_page[PAGE_SIZE];
	struct inode *code, *data;
	size_t size = (size_t)(vdso_image_end - vdso_image_start);
	vdso_bytes = ALIGN_UP(size, PAGE_SIZE);
	vdso_file = kernel_file(vdso_image_start, size, &code);
	vvar_file = kernel_file(zero_page, PAGE_SIZE, &data);
	phys_addr_t frame;
	if (inode_page(data, 0, &frame))
		panic("vdso: no memory");
	vvar = phys_to_virt(frame);
	clock_parameters((uint64_t *)&vvar->tsc_base, (uint64_t *)&vvar->ns_per_tsc_q32,
			 (uint64_t *)&vvar->realtime_base_ns);
	vdso_update_coarse(clock_monotonic_ns());
	vvar->clock_mode = VCLOCK_TSC;
	printk("vdso: %lu bytes, mapped in every process\n", (unsigned long)size);
}

/* From the timer interrupt: odd seq while writing, so readers retry. */
void vdso_update_coarse(uint64_t mono_ns)
{
	if (!vvar)
		return;
	vvar->seq++;
	__asm__ volatile("" ::: "memory");
	vvar->coarse_mono_ns = mono_ns;
	vvar->coarse_real_ns = mono_ns + vvar->realtime_base_ns;
	__asm__ volatile("" ::: "memory");
	vvar->seq++;
}

uint64_t vdso_coarse_ns(bool realtime)
{
	uint32_t seq;
	uint64_t ns;
	do {
		seq = vvar->seq;
		__asm__ volatile("" ::: "memory");
		ns = realtime ? vvar->coarse_real_ns : vvar->coarse_mono_ns;
		__asm__ volatile("" ::: "memory");
	} while ((seq & 1) || seq != vvar->seq);
	return ns;
}

static int map_one(struct mm *mm, uint64_t start, uint64_t len, unsigned prot, struct file *f)
{
	struct vma *v = vma_insert(mm, start, len, prot, 0);
	if (!v)
		return -ENOMEM;
	file_get(f);
	v->file = f;
	v->offset = 0;
	return 0;
}

int vdso_map(struct mm *mm, uint64_t *base)
{
	if (!vdso_file)
		return -ENOEXEC;
	uint64_t start = vm_find_gap(mm, PAGE_SIZE + vdso_bytes);
	if (!start)
		return -ENOMEM;
	int err = map_one(mm, start, PAGE_SIZE, PROT_READ, vvar_file);
	if (!err)
		err = map_one(mm, start + PAGE_SIZE, vdso_bytes, PROT_READ | PROT_EXEC, vdso_file);
	*base = start + PAGE_SIZE;
	return err;
}

const char *vdso_region_name(const struct file *f)
{
	if (!f)
		return NULL;
	return f == vdso_file ? "[vdso]" : f == vvar_file ? "[vvar]" : NULL;
}
