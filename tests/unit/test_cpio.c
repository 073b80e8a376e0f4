/*
 * Host unit test of the cpio "newc" reader, kernel/init/cpio.c (course section:
 * booting; the initrd).
 *
 * UNIT_SOURCES: kernel/init/cpio.c
 */
#include "unit.h"
#include "kernel/init/cpio.h"

#include <string.h>

static size_t add(uint8_t *buf, size_t off, const char *name, unsigned mode, const char *data)
{
	size_t namesize = strlen(name) + 1, size = strlen(data);
	off += sprintf((char *)buf + off, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", 1, mode,
		       0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0);
	memcpy(buf + off, name, namesize);
	off = (off + namesize + 3) & ~3ul;
	memcpy(buf + off, data, size);
	return (off + size + 3) & ~3ul;
}

int main(void)
{
	unit_suite = "cpio";
	static uint8_t a[4096];
	size_t n = 0;
	n = add(a, n, "bin", 040755, "");
	n = add(a, n, "bin/hello", 0100755, "hello, world");
	n = add(a, n, "TRAILER!!!", 0, "");

	struct cpio_entry e;
	size_t off = 0;
	CHECK_EQ("first entry", cpio_next(a, n, &off, &e), 1);
	CHECK("is the directory", !strcmp(e.name, "bin") && e.mode == 040755 && e.size == 0);
	CHECK_EQ("second entry", cpio_next(a, n, &off, &e), 1);
	CHECK("is the file with its bytes", !strcmp(e.name, "bin/hello") && e.size == 12 && !memcmp(e.data, "hello, world", 12));
	CHECK_EQ("the trailer ends the archive", cpio_next(a, n, &off, &e), 0);

	off = 0;
	CHECK_EQ("an archive cut inside a header is malformed", cpio_next(a, 50, &off, &e), -1);
	off = 0;
	CHECK_EQ("an archive cut inside a file's data is malformed", (cpio_next(a, 140, &off, &e), cpio_next(a, 140, &off, &e)), -1);
	static uint8_t bad[4096];
	memcpy(bad, a, n);
	bad[0] = 'X';
	off = 0;
	CHECK_EQ("bad magic is malformed", cpio_next(bad, n, &off, &e), -1);
	memcpy(bad, a, n);
	memcpy(bad + 6 + 8 * 11, "FFFFFFFF", 8); /* namesize */
	off = 0;
	CHECK_EQ("a name size past the end is malformed", cpio_next(bad, n, &off, &e), -1);
	memcpy(bad, a, n);
	memcpy(bad + 6 + 8 * 6, "7FFFFFFF", 8); /* filesize */
	off = 0;
	CHECK_EQ("a file size past the end is malformed", cpio_next(bad, n, &off, &e), -1);
	memcpy(bad, a, n);
	memcpy(bad + 6 + 8 * 1, "0000004G", 8); /* not hex */
	off = 0;
	CHECK_EQ("a non-hex field is malformed", cpio_next(bad, n, &off, &e), -1);
	off = 0;
	CHECK_EQ("an empty archive has no entries", cpio_next(a, 0, &off, &e), 0);
	return unit_done();
}
