/* The console: where kernel messages and /dev/console output go (course section: devices). */
#ifndef DRIVERS_CONSOLE_H
#define DRIVERS_CONSOLE_H

#include "kernel/types.h"

void console_init(void);
/* Raw output to every console device: the serial port and the VGA screen. */
void console_write(const char *s, size_t n);

#endif
