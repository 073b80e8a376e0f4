/*
 * C library: send and recv (course section: sockets).
 *
 * The socket calls themselves are generated from the syscall table; send
 * and recv are not syscalls on x86_64 but sendto and recvfrom without an
 * address, as in every Linux C library.
 */
#include <sys/socket.h>

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}
