/* 16550 UART on COM1 (course section: devices). */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "kernel/types.h"

void serial_init(void);
void serial_putc(char c);
/* Enable the receive interrupt: typed characters go to the console's tty. */
void serial_enable_input(void);

#endif
