/* Unpacking the initrd into the root filesystem (course section: booting). */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include "kernel/types.h"

/* Returns the number of files unpacked, or -1 if the archive is malformed. */
int initrd_unpack(const uint8_t *archive, size_t size);

#endif
