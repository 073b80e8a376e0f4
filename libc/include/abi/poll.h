/* Linux poll events and struct pollfd (course section: the integrated event system). */
#ifndef ABI_POLL_H
#define ABI_POLL_H

#define POLLIN 0x001		/* data to read */
#define POLLPRI 0x002
#define POLLOUT 0x004		/* writing will not block */
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020		/* fd is not open */
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200
#define POLLMSG 0x400
#define POLLRDHUP 0x2000

struct pollfd {
	int fd;
	short events;		/* what to wait for */
	short revents;		/* what happened */
};

#endif
