/*
 * C library: scatter/gather I/O (course section: the C library on raw syscalls).
 *
 * writev writes several buffers with one syscall, in order, as if they had
 * been copied into one; readv fills several buffers. struct iovec, an
 * address and a length, comes from <abi/uio.h>: the kernel reads the array
 * directly.
 */
#ifndef LIBC_SYS_UIO_H
#define LIBC_SYS_UIO_H

#include <abi/uio.h>
#include <sys/types.h>

#define IOV_MAX 1024		/* UIO_MAXIOV: the most iovecs one call accepts */

ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
/* Copy from (readv) or to (writev) another process's memory (kernel/trace/process_vm.c). */
ssize_t process_vm_readv(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
			 const struct iovec *remote_iov, unsigned long riovcnt, unsigned long flags);
ssize_t process_vm_writev(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
			  const struct iovec *remote_iov, unsigned long riovcnt, unsigned long flags);
/* readv/writev at an offset; the file's position does not move. The "2"
 * forms take RWF_* flags, and offset -1 for the file's own position. */
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset);
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset);
ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);
ssize_t pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);

#endif
