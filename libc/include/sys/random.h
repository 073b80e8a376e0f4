/*
 * C library: random bytes from the kernel (course section: the C library
 * on raw syscalls).
 *
 * getrandom fills buf with up to buflen unpredictable bytes and returns how
 * many (all of them, for requests up to 32 MiB - 1). The flags are Linux's.
 */
#ifndef LIBC_SYS_RANDOM_H
#define LIBC_SYS_RANDOM_H

#include <sys/types.h>

#define GRND_NONBLOCK 0x1	/* never wait for entropy (sysgate never does) */
#define GRND_RANDOM 0x2		/* the "blocking" pool: the same on sysgate */
#define GRND_INSECURE 0x4	/* early-boot quality is enough */

ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);

#endif
