/* C library: flock(2), a lock on a whole file (course section: files). */
#ifndef LIBC_SYS_FILE_H
#define LIBC_SYS_FILE_H

#include <fcntl.h>

int flock(int fd, int operation);	/* LOCK_SH, LOCK_EX or LOCK_UN, | LOCK_NB */

#endif
