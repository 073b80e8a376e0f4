/*
 * C library: terminal modes (course section: the C library on raw syscalls).
 *
 * The terminal driver can hand input to a program line by line, after the
 * user pressed Enter (canonical mode, ICANON), with echo (ECHO), turning ^C
 * into SIGINT (ISIG); or byte by byte for an editor. struct termios holds
 * these switches. This is the kernel's own layout, read and written with
 * ioctl(TCGETS / TCSETS), which tcgetattr/tcsetattr wrap.
 */
#ifndef LIBC_TERMIOS_H
#define LIBC_TERMIOS_H

#include <sys/ioctl.h>

#include "abi/termios.h"

/* tcsetattr's when */
#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int when, const struct termios *t);

#endif
