/*
 * C library: reading directories (course section: files).
 *
 * A DIR is an open descriptor plus a buffer for getdents64. readdir hands
 * out the records in the buffer one by one, following each one's d_reclen
 * to the next, and calls getdents64 again when it reaches the end. The
 * kernel remembers where it stopped (the descriptor's file position), so
 * each call continues where the last one ended; 0 means no more entries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct dir_stream {
	int fd;
	size_t pos, len;	/* next record, bytes in buf */
	char buf[4096];
};

DIR *fdopendir(int fd)
{
	DIR *d = malloc(sizeof(*d));

	if (d == NULL)
		return NULL;
	d->fd = fd;
	d->pos = d->len = 0;
	return d;
}

DIR *opendir(const char *path)
{
	/* O_DIRECTORY makes the kernel refuse anything else (ENOTDIR);
	 * O_CLOEXEC keeps the descriptor from leaking into programs we exec. */
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (d == NULL)
		close(fd);
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *e;

	if (d->pos >= d->len) {
		ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));

		if (n <= 0)		/* 0: the end; -1: errno says why */
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	e = (struct dirent *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	return e;
}

/* Back to the first entry: reset the kernel's position and drop the buffer. */
void rewinddir(DIR *d)
{
	lseek(d->fd, 0, SEEK_SET);
	d->pos = d->len = 0;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}
