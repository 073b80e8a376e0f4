/*
 * C library: device control (course section: the C library on raw syscalls).
 *
 * ioctl(fd, request, arg) is the catch-all syscall for whatever read and
 * write cannot express: the terminal's size, its modes, its foreground
 * process group. The request number says what arg is (usually a pointer to
 * a struct). The request numbers are Linux's, from <abi/ioctl.h>:
 *   TCGETS/TCSETS      struct termios *: the terminal's modes (<termios.h>)
 *   TIOCGWINSZ         struct winsize *: its size in rows and columns
 *   TIOCGPGRP/SPGRP    pid_t *: its foreground process group
 */
#ifndef LIBC_SYS_IOCTL_H
#define LIBC_SYS_IOCTL_H

#include <abi/ioctl.h>	/* TCGETS, TIOCGWINSZ, struct winsize, ... */

/* A few more, where <abi/ioctl.h> does not have them (yet). */
#ifndef TIOCSCTTY
#define TIOCSCTTY 0x540E	/* make this terminal the controlling one */
#endif
#ifndef TIOCNOTTY
#define TIOCNOTTY 0x5422	/* give up the controlling terminal */
#endif

/* Variadic like glibc's, so that ioctl(fd, TIOCGWINSZ, &ws) compiles: the
 * third argument is a pointer or an integer depending on the request. */
int ioctl(int fd, unsigned long request, ...);

#endif
