/* Linux x86_64 open/fcntl flags and the *at() constants (course section: files). */
#ifndef ABI_FCNTL_H
#define ABI_FCNTL_H

/* How the file is opened: exactly one of these three */
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_ACCMODE 03

#define O_CREAT 0100		/* create it if it does not exist */
#define O_EXCL 0200		/* with O_CREAT: fail if it exists */
#define O_NOCTTY 0400		/* do not make it the controlling terminal */
#define O_TRUNC 01000		/* empty it */
#define O_APPEND 02000		/* every write goes to the end */
#define O_NONBLOCK 04000	/* return EAGAIN instead of waiting */
#define O_NDELAY O_NONBLOCK
#define O_DSYNC 010000
#define O_ASYNC 020000		/* SIGIO to the owner (F_SETOWN) when ready */
#define O_DIRECT 040000
#define O_DIRECTORY 0200000	/* fail unless it is a directory */
#define O_NOFOLLOW 0400000	/* fail if it is a symbolic link */
#define O_NOATIME 01000000
#define O_CLOEXEC 02000000	/* close it in execve */
#define O_SYNC 04010000
#define O_PATH 010000000

/* fcntl commands */
#define F_DUPFD 0
#define F_GETFD 1		/* descriptor flags: FD_CLOEXEC */
#define F_SETFD 2
#define F_GETFL 3		/* file status flags: O_APPEND, O_NONBLOCK */
#define F_SETFL 4
#define F_SETOWN 8		/* who gets SIGIO: a pid, or minus a process group */
#define F_GETOWN 9
/* splice's and tee's flags. */
#define SPLICE_F_MOVE 1     /* move pages rather than copy: a hint */
#define SPLICE_F_NONBLOCK 2 /* the pipe ends do not wait: EAGAIN */
#define SPLICE_F_MORE 4     /* more data follows: a hint for sockets */
#define SPLICE_F_GIFT 8     /* vmsplice's: a hint */

#define F_SETSIG 10		/* the signal sent instead of SIGIO, with si_fd and si_band */
#define F_GETSIG 11
#define F_SETOWN_EX 15		/* the owner as {type, pid}: a thread, a process or a group */
#define F_GETOWN_EX 16
#define F_OWNER_TID 0
#define F_OWNER_PID 1
#define F_OWNER_PGRP 2

struct f_owner_ex {
	int type; /* F_OWNER_TID, F_OWNER_PID, F_OWNER_PGRP */
	int pid;
};
#define F_GETLK 5		/* record locks of the process (kernel/fs/filelock.c) */
#define F_SETLK 6
#define F_SETLKW 7		/* ... and wait for a conflicting lock to go */
#define F_OFD_GETLK 36		/* record locks of the open file description */
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define F_DUPFD_CLOEXEC 1030
#define F_SETLEASE 1024	/* F_RDLCK, F_WRLCK or F_UNLCK: told when others open (kernel/fs/lease.c) */
#define F_GETLEASE 1025
#define F_SETPIPE_SZ 1031 /* a pipe's capacity, in bytes */
#define F_GETPIPE_SZ 1032
#define FD_CLOEXEC 1

/* A record lock: l_len bytes from l_start (relative to l_whence: SEEK_SET,
 * SEEK_CUR or SEEK_END); l_len 0 means "to the end of the file, however far
 * it grows"; a negative l_len counts backwards from l_start. */
#define F_RDLCK 0
#define F_WRLCK 1
#define F_UNLCK 2

struct flock {
	short l_type;		/* F_RDLCK, F_WRLCK, F_UNLCK */
	short l_whence;
	long l_start;
	long l_len;
	int l_pid;		/* F_GETLK: who holds it (-1 for an OFD lock) */
};

_Static_assert(sizeof(struct flock) == 32, "struct flock is 32 bytes on x86_64");

/* flock(2): one lock on the whole file, held by the open file description */
#define LOCK_SH 1		/* shared */
#define LOCK_EX 2		/* exclusive */
#define LOCK_NB 4		/* do not wait: EWOULDBLOCK */
#define LOCK_UN 8

/* The *at() syscalls: a path relative to a directory descriptor */
#define AT_FDCWD (-100)		/* ... or to the current directory */
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200	/* unlinkat: remove a directory */
#define AT_EACCESS 0x200	/* faccessat: check with the effective ids */
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EMPTY_PATH 0x1000

#endif
