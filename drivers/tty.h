/* The console terminal (course section: the console). */
#ifndef DRIVERS_TTY_H
#define DRIVERS_TTY_H

#include "kernel/types.h"

#define TTY_CONSOLE_RDEV 0x501 /* major 5, minor 1, as /dev/console on Linux */

void tty_init(void);
/* A character typed on the keyboard or received on the serial line. */
void tty_input(char c);
void tty_set_foreground(pid_t pgid);

#endif
