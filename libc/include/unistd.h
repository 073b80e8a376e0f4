/*
 * C library: the POSIX system interface (course section: the C library on raw
 * syscalls).
 *
 * Most functions declared here are thin wrappers generated from
 * kernel/syscalls.tbl (build/gen/syscalls.c): they put their arguments in
 * registers, execute `syscall`, and turn a -errno result into -1 and errno.
 * The rest are written by hand in libc/: brk.c, exit.c, file.c, process.c,
 * sleep.c, getopt.c.
 */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H

#include <abi/seek.h>
#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2


/* access()'s mode */
#define F_OK 0		/* the file exists */
#define X_OK 1
#define W_OK 2
#define R_OK 4

/* The environment, "NAME=value" strings ending with NULL (set at startup). */
extern char **environ;

/* --- Descriptors --- */
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
/* Read or write at an offset, without moving the file position. */
ssize_t pread(int fd, void *buf, size_t count, off_t offset);
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
ssize_t pread64(int fd, void *buf, size_t count, off_t offset);
/* Copy from one regular file to another inside the kernel (kernel/fs/splice.c). */
ssize_t copy_file_range(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned int flags);
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset);
int dup(int oldfd);		/* the lowest free descriptor */
int dup2(int oldfd, int newfd);	/* exactly newfd, closing it first */
int dup3(int oldfd, int newfd, int flags);	/* flags: O_CLOEXEC */
int pipe(int fds[2]);		/* fds[0] reads what fds[1] writes */
int pipe2(int fds[2], int flags);	/* O_CLOEXEC, O_NONBLOCK */
int isatty(int fd);		/* 1 for a terminal; else 0 and errno ENOTTY */

/* --- Files and directories by name --- */
int access(const char *path, int mode);
int faccessat(int dirfd, const char *path, int mode, int flags);
int unlink(const char *path);
/* Write a file's data (fdatasync: only what reading it back needs) to its
 * disk, or every file's (sync, syncfs). */
int fsync(int fd);
int fdatasync(int fd);
void sync(void);
int syncfs(int fd);
int link(const char *oldpath, const char *newpath);
int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int unlinkat(int dirfd, const char *path, int flags);
int symlink(const char *target, const char *linkpath);
int symlinkat(const char *target, int newdirfd, const char *linkpath);
ssize_t readlink(const char *path, char *buf, size_t bufsiz);	/* no NUL added */
ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz);
int rmdir(const char *path);
int truncate(const char *path, off_t length);
int ftruncate(int fd, off_t length);
int chdir(const char *path);
int fchdir(int fd);
/* Copies the current directory's absolute path into buf; returns buf, or
 * NULL (ERANGE: buf too small). */
char *getcwd(char *buf, size_t size);

/* --- Processes --- */
pid_t getpid(void);
pid_t getppid(void);
pid_t gettid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
/* Changing ids (the rules: kernel/cred/ids.c); -1 leaves one as it is. */
int setuid(uid_t uid);
int setgid(gid_t gid);
int setreuid(uid_t ruid, uid_t euid);
int setregid(gid_t rgid, gid_t egid);
int setresuid(uid_t ruid, uid_t euid, uid_t suid);
int setresgid(gid_t rgid, gid_t egid, gid_t sgid);
int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
int getgroups(int size, gid_t list[]);
int setgroups(int size, const gid_t *list);	/* <grp.h> on glibc */
int setfsuid(uid_t fsuid);	/* <sys/fsuid.h> on glibc; returns the old one */
int setfsgid(gid_t fsgid);
int chown(const char *path, uid_t owner, gid_t group);
int fchown(int fd, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);
int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags);
int chroot(const char *path);

pid_t fork(void);
/* Here simply fork: a true vfork shares the parent's memory and stack,
 * which a C wrapper function cannot do safely. */
pid_t vfork(void) __attribute__((returns_twice));
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);	/* searches $PATH */
int execl(const char *path, const char *arg, ...);	/* ..., (char *)NULL */
int execlp(const char *file, const char *arg, ...);
int execle(const char *path, const char *arg, ...);	/* ..., NULL, envp */

/* Process groups and sessions (job control) */
pid_t getpgrp(void);
pid_t getpgid(pid_t pid);
int setpgid(pid_t pid, pid_t pgid);	/* 0 means "the caller" for either */
pid_t setsid(void);
pid_t getsid(pid_t pid);
pid_t tcgetpgrp(int fd);		/* the terminal's foreground group */
int tcsetpgrp(int fd, pid_t pgrp);

/* Sleeping and timers */
unsigned int sleep(unsigned int seconds);	/* returns the seconds left */
int usleep(useconds_t usec);
unsigned int alarm(unsigned int seconds);	/* SIGALRM later; 0 cancels */
int pause(void);

/* Linux-specific: where the kernel writes 0 (and wakes futex waiters) when
 * this thread exits. Returns the caller's thread id. */
pid_t set_tid_address(int *tidptr);

/* The program break, the end of the heap (libc/brk.c). brk sets it and
 * returns 0, or -1 with errno ENOMEM; sbrk moves it by increment bytes and
 * returns the old break, or (void *)-1. */
int brk(void *addr);
void *sbrk(intptr_t increment);

/* Ends the whole process at once: no atexit handlers, no stdio flush. */
void _exit(int status) __attribute__((noreturn));

/* Command-line options (libc/getopt.c): while ((c = getopt(argc, argv,
 * "lo:")) != -1) ...; "o:" means -o takes an argument, left in optarg.
 * optind is the index of the first argument that is not an option. */
int getopt(int argc, char *const argv[], const char *optstring);
extern char *optarg;
extern int optind, opterr, optopt;

/* Any syscall by number, e.g. syscall(SYS_getpid): returns -1 and sets errno
 * on failure. The numbers are in <sys/syscall.h>. */
long syscall(long number, ...);

/* Add inc to our nice value; the new value, or -1 with errno (libc/priority.c). */
int nice(int inc);

#endif
