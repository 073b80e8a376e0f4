/*
 * The console (course section: devices).
 *
 * One output path for everything a person should see: the serial port (the
 * terminal that ran `make run`) and the VGA screen (`make run-gui`). A lone
 * '\n' becomes "\r\n" as a terminal expects (what a Unix tty calls ONLCR).
 */
#include "drivers/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"

void console_init(void)
{
	serial_init();
	vga_init();
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
		vga_putc(s[i]);
	}
}
