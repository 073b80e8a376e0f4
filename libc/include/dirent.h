/*
 * C library: reading directories (course section: files).
 *
 * The getdents64 syscall fills a buffer with variable-length records, one per
 * entry: inode number, an offset the kernel understands, the record's length,
 * the file type and the NUL-terminated name. opendir/readdir hide the
 * buffer: readdir returns the next record, reading more when the buffer is
 * used up (libc/dirent.c). struct dirent is exactly that record, so readdir
 * returns a pointer into the buffer without copying.
 */
#ifndef LIBC_DIRENT_H
#define LIBC_DIRENT_H

#include <sys/types.h>

struct dirent {
	ino_t d_ino;		/* inode number */
	off_t d_off;		/* where the next entry is (for the kernel) */
	unsigned short d_reclen;	/* size of this record */
	unsigned char d_type;	/* DT_REG, DT_DIR, ... */
	char d_name[256];	/* NUL-terminated; may be shorter in the buffer */
};

/* d_type: the S_IFMT bits of st_mode, shifted down */
#define DT_UNKNOWN 0	/* the file system does not say: use stat */
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

typedef struct dir_stream DIR;	/* private to libc/dirent.c */

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *d);	/* NULL at the end (errno unchanged) or on error */
void rewinddir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);

/* The raw syscall: fills buf with records, returns the bytes used, 0 at the
 * end of the directory. */
ssize_t getdents64(int fd, void *buf, size_t count);

#endif
