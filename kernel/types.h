/*
 * Basic kernel types (course section: the kernel's C dialect).
 *
 * The kernel is freestanding C: only gcc's own headers (stdint, stddef,
 * stdbool, stdarg) are available, and everything else is ours.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Marks a pointer that holds a user address: it must never be dereferenced
 * directly, only passed to copy_from_user() and friends (mm/uaccess.h). The
 * marker costs nothing; it is for the reader and for the tracer generator. */
#define __user

typedef long ssize_t;
typedef int pid_t;
typedef long off_t;
typedef int clockid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef uint64_t phys_addr_t;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __noreturn __attribute__((noreturn))
#define __packed __attribute__((packed))

#endif
