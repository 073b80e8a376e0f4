/* Linux scatter/gather I/O vector (course section: the Linux ABI). */
#ifndef ABI_UIO_H
#define ABI_UIO_H

#include <stddef.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#define UIO_MAXIOV 1024 /* readv/writev refuse more entries with EINVAL */

#endif
