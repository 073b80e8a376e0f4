/*
 * "Text file busy" (ETXTBSY): a running program's file is not written
 * (course section: files; starting a program).
 *
 * A program's code is read from its file when it starts; changing the
 * file under it would change what an exec of it gives midway, and Linux
 * forbids it: each inode counts its writers (open files that may write,
 * a positive write_count) or the address spaces running it (a negative
 * one). Opening a running program for writing, or truncating it, is
 * ETXTBSY; so is exec of a file someone has open for writing.
 */
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"

int inode_get_write_access(struct inode *i)
{
	if (i->write_count < 0)
		return -ETXTBSY;
	i->write_count++;
	return 0;
}

void inode_put_write_access(struct inode *i)
{
	i->write_count--;
}

int inode_deny_write_access(struct inode *i)
{
	if (i->write_count > 0)
		return -ETXTBSY;
	i->write_count--;
	return 0;
}

void inode_allow_write_access(struct inode *i)
{
	i->write_count++;
}
