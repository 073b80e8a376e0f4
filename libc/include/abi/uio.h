/* Linux scatter/gather I/O vector (course section: the Linux ABI). */
#ifndef ABI_UIO_H
#define ABI_UIO_H

#include <stddef.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#define UIO_MAXIOV 1024 /* readv/writev refuse more entries with EINVAL */

/* preadv2/pwritev2's flags (Linux's RWF_*). */
#define RWF_HIPRI 0x01  /* poll for completion: nothing to poll on sysgate */
#define RWF_DSYNC 0x02  /* as O_DSYNC for this call */
#define RWF_SYNC 0x04   /* as O_SYNC for this call */
#define RWF_NOWAIT 0x08 /* EAGAIN rather than wait */
#define RWF_APPEND 0x10 /* as O_APPEND for this call */
#define RWF_SUPPORTED (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)

#endif
