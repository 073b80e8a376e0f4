/*
 * Another process's memory: ptrace's PEEK/POKE and process_vm_readv/
 * process_vm_writev (course section: syscall tracing).
 *
 * The tracer cannot simply dereference the tracee's addresses: they mean
 * something only in the tracee's page tables. So the kernel walks the
 * tracee's address space (struct mm) page by page and copies through its
 * own direct map of physical memory (mm/vm.c's vm_read and vm_write).
 * Two ways differ in what they may touch:
 *   - ptrace is a debugger's access ("forced"): it may write read-only
 *     private pages -- how a breakpoint (int3, 0xcc) gets into program
 *     text. The write breaks copy-on-write, so other processes running
 *     the same file never see the breakpoint;
 *   - process_vm_readv/writev respect the region's protection, as the
 *     program's own loads and stores would (EFAULT otherwise).
 */
#include "kernel/trace/ptrace.h"
#include "kernel/proc/task.h"
#include "kernel/syscall.h"
#include "libc/include/abi/mman.h"
#include "libc/include/abi/uio.h"
#include "mm/heap.h"
#include "mm/layout.h"
#include "mm/paging.h"
#include "mm/uaccess.h"
#include "mm/vm.h"

/* Copy between buf and [addr, addr+len) of mm; returns the bytes done,
 * stopping at the first page that is not there or not allowed. */
static size_t remote_access(struct mm *mm, uint64_t addr, void *buf, size_t len, bool write, bool force)
{
	size_t done = 0;
	while (done < len) {
		uint64_t at = addr + done;
		if (at >= USER_TOP || at < addr)
			break;
		struct vma *v = vma_find(mm, at);
		if (!v)
			break;
		unsigned need = write ? PROT_WRITE : PROT_READ;
		if (!(v->prot & need) && (!force || (write && (v->flags & VMA_SHARED))))
			break; /* a forced write to a shared read-only mapping would change the file */
		size_t chunk = MIN(len - done, PAGE_SIZE - at % PAGE_SIZE);
		if (write) {
			if (vm_write(mm, at, (const char *)buf + done, chunk))
				break;
		} else {
			uint64_t *pte = pte_lookup(mm->pml4, ALIGN_DOWN(at, PAGE_SIZE), false);
			if ((!pte || !pte_has_frame(*pte)) && vm_populate_page(mm, v, at))
				break;
			if (vm_read(mm, at, (char *)buf + done, chunk))
				break;
		}
		done += chunk;
	}
	return done;
}

size_t ptrace_access_vm(struct task *t, uint64_t addr, void *buf, size_t len, bool write)
{
	if (!t->mm)
		return 0;
	return remote_access(t->mm, addr, buf, len, write, true);
}

/* Read an iovec array from the caller (EINVAL for too many or a total
 * beyond ssize_t, EFAULT for a bad array). */
static long import_iovecs(const struct iovec __user *uvec, unsigned long count, struct iovec **out)
{
	*out = NULL;
	if (count > UIO_MAXIOV)
		return -EINVAL;
	if (count == 0)
		return 0;
	struct iovec *v = kmalloc(count * sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v, uvec, count * sizeof(*v))) {
		kfree(v);
		return -EFAULT;
	}
	size_t total = 0;
	for (unsigned long i = 0; i < count; i++) {
		if (v[i].iov_len > (size_t)INT64_MAX - total) {
			kfree(v);
			return -EINVAL;
		}
		total += v[i].iov_len;
	}
	*out = v;
	return 0;
}

/* Walk both lists in step, one page-sized piece at a time through a
 * kernel buffer. Stops at the first fault on either side. */
static long transfer(struct mm *mm, struct iovec *local, unsigned long nl, struct iovec *remote, unsigned long nr,
		     bool write)
{
	char *bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	long total = 0;
	unsigned long li = 0, ri = 0;
	size_t loff = 0, roff = 0;
	bool fault = false;
	while (li < nl && ri < nr && !fault) {
		size_t lleft = local[li].iov_len - loff, rleft = remote[ri].iov_len - roff;
		size_t n = MIN(MIN(lleft, rleft), (size_t)PAGE_SIZE);
		if (n) {
			char __user *laddr = (char __user *)local[li].iov_base + loff;
			uint64_t raddr = (uint64_t)remote[ri].iov_base + roff;
			size_t got;
			if (write) {
				got = copy_from_user(bounce, laddr, n) ? 0 : remote_access(mm, raddr, bounce, n, true, false);
			} else {
				got = remote_access(mm, raddr, bounce, n, false, false);
				if (got && copy_to_user(laddr, bounce, got))
					got = 0;
			}
			total += (long)got;
			fault = got < n;
			loff += got;
			roff += got;
		}
		if (loff == local[li].iov_len)
			li++, loff = 0;
		if (ri < nr && roff == remote[ri].iov_len)
			ri++, roff = 0;
	}
	kfree(bounce);
	return total == 0 && fault ? -EFAULT : total;
}

static long process_vm_rw(pid_t pid, const struct iovec __user *lvec, unsigned long liovcnt,
			  const struct iovec __user *rvec, unsigned long riovcnt, unsigned long flags, bool write)
{
	if (flags)
		return -EINVAL;
	struct iovec *local, *remote;
	long err = import_iovecs(lvec, liovcnt, &local);
	if (err)
		return err;
	err = import_iovecs(rvec, riovcnt, &remote);
	if (err) {
		kfree(local);
		return err;
	}
	long ret = 0;
	struct task *t = task_find(pid);
	if (liovcnt == 0 || riovcnt == 0)
		ret = 0;
	else if (!t || !t->mm)
		ret = -ESRCH;
	else if ((ret = ptrace_may_access(current, t)) == 0)
		ret = transfer(t->mm, local, liovcnt, remote, riovcnt, write);
	kfree(local);
	kfree(remote);
	return ret;
}

long sys_process_vm_readv(pid_t pid, const struct iovec __user *local_iov, unsigned long liovcnt,
			  const struct iovec __user *remote_iov, unsigned long riovcnt, unsigned long flags)
{
	return process_vm_rw(pid, local_iov, liovcnt, remote_iov, riovcnt, flags, false);
}

long sys_process_vm_writev(pid_t pid, const struct iovec __user *local_iov, unsigned long liovcnt,
			   const struct iovec __user *remote_iov, unsigned long riovcnt, unsigned long flags)
{
	return process_vm_rw(pid, local_iov, liovcnt, remote_iov, riovcnt, flags, true);
}
