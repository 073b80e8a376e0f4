/*
 * The cpio "newc" format (course section: booting; the initrd).
 *
 * Each entry: a 110-byte header of ASCII -- the magic "070701" and thirteen
 * 8-digit hexadecimal numbers (inode, mode, uid, gid, nlink, mtime, file
 * size, device numbers, name size, checksum) -- then the name and its NUL,
 * padded to a multiple of 4, then the data, padded to a multiple of 4. The
 * entry named "TRAILER!!!" ends the archive. The archive comes from outside
 * the kernel, so every length is checked against the archive's size.
 */
#include "kernel/init/cpio.h"
#include "libc/include/string.h"

#define HEADER_SIZE 110
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11

static bool parse_hex(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v * 16 + d;
	}
	*out = v;
	return true;
}

static bool field(const uint8_t *hdr, int index, uint32_t *out)
{
	return parse_hex(hdr + 6 + 8 * index, out);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

int cpio_next(const uint8_t *archive, size_t size, size_t *offset, struct cpio_entry *e)
{
	size_t off = *offset;
	if (off >= size)
		return 0;
	if (size - off < HEADER_SIZE)
		return -1;
	const uint8_t *hdr = archive + off;
	if (memcmp(hdr, "070701", 6) && memcmp(hdr, "070702", 6))
		return -1;
	uint32_t mode, filesize, namesize;
	if (!field(hdr, FIELD_MODE, &mode) || !field(hdr, FIELD_FILESIZE, &filesize) ||
	    !field(hdr, FIELD_NAMESIZE, &namesize))
		return -1;
	if (namesize == 0 || namesize > sizeof(e->name) || namesize > size - off - HEADER_SIZE)
		return -1;
	const char *name = (const char *)hdr + HEADER_SIZE;
	if (name[namesize - 1] != 0)
		return -1;
	size_t data_off = pad4(off + HEADER_SIZE + namesize);
	if (data_off > size || filesize > size - data_off)
		return -1;
	memcpy(e->name, name, namesize);
	e->mode = mode;
	e->data = archive + data_off;
	e->size = filesize;
	*offset = pad4(data_off + filesize);
	return strcmp(e->name, "TRAILER!!!") ? 1 : 0;
}
