/* Linux x86_64 struct stat and file mode bits (course section: files). */
#ifndef ABI_STAT_H
#define ABI_STAT_H

#include "time.h" /* abi/time.h, next to this file */

struct stat {
	unsigned long st_dev;		/* device of the file system */
	unsigned long st_ino;		/* inode number */
	unsigned long st_nlink;	/* hard links */
	unsigned int st_mode;		/* type and permissions */
	unsigned int st_uid;
	unsigned int st_gid;
	int __pad0;
	unsigned long st_rdev;		/* device number, for device files */
	long st_size;		/* size in bytes */
	long st_blksize;	/* preferred I/O size */
	long st_blocks;	/* 512-byte blocks allocated */
	struct timespec st_atim; /* last access */
	struct timespec st_mtim; /* last modification */
	struct timespec st_ctim; /* last status change */
	long __unused[3];
};

#define S_IFMT 0170000		/* mask of the type bits */
#define S_IFSOCK 0140000
#define S_IFLNK 0120000		/* symbolic link */
#define S_IFREG 0100000		/* regular file */
#define S_IFBLK 0060000
#define S_IFDIR 0040000		/* directory */
#define S_IFCHR 0020000		/* character device, e.g. a terminal */
#define S_IFIFO 0010000		/* pipe */

#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000		/* sticky */
#define S_IRWXU 0700		/* owner: read, write, execute */
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRWXG 070		/* group */
#define S_IRGRP 040
#define S_IWGRP 020
#define S_IXGRP 010
#define S_IRWXO 07		/* others */
#define S_IROTH 04
#define S_IWOTH 02
#define S_IXOTH 01

_Static_assert(sizeof(struct stat) == 144, "struct stat is 144 bytes on x86_64");

#endif
