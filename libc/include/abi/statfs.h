/* statfs and fstatfs: what a filesystem holds (linux/statfs.h, x86_64). */
#ifndef ABI_STATFS_H
#define ABI_STATFS_H

struct statfs {
	long f_type;      /* the filesystem's magic number */
	long f_bsize;     /* the block size the counts are in */
	unsigned long f_blocks, f_bfree, f_bavail;
	unsigned long f_files, f_ffree;
	struct {
		int val[2];
	} f_fsid;
	long f_namelen;
	long f_frsize;
	long f_flags;     /* ST_* mount flags */
	long f_spare[4];
};

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define ST_VALID 0x0020   /* f_flags is filled in */
#define ST_NOSUID 0x0002
#define ST_NODEV 0x0004
#define ST_NOEXEC 0x0008

#endif
