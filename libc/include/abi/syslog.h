/* The kernel log's ABI: syslog(2) actions and record priorities (course section: the kernel's own tools). */
#ifndef ABI_SYSLOG_H
#define ABI_SYSLOG_H

/* syslog(2)'s first argument (glibc calls the syscall klogctl). */
#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ 2		/* wait for records, read them, they are gone */
#define SYSLOG_ACTION_READ_ALL 3	/* the records since the last CLEAR */
#define SYSLOG_ACTION_READ_CLEAR 4	/* READ_ALL, then CLEAR */
#define SYSLOG_ACTION_CLEAR 5		/* later READ_ALLs start after what is there now */
#define SYSLOG_ACTION_CONSOLE_OFF 6
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8	/* messages below this level reach the console */
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* A record's priority is facility << 3 | level. */
#define LOG_KERN_FACILITY 0
#define LOG_USER_FACILITY 1
#define LOG_LEVEL_MASK 7
#define LOG_DEFAULT_LEVEL 4		/* printk without a level, as Linux's default */
#define LOG_DEFAULT_CONSOLE_LEVEL 7

#endif
