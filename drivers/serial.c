/*
 * The serial port: a 16550 UART on COM1 (course section: devices).
 *
 * The kernel's console output goes here (QEMU shows it on the terminal with
 * -serial stdio), and characters typed on the terminal arrive here and raise
 * IRQ 4. Output polls the "transmitter empty" bit; at 115200 baud that wait
 * is short, and it keeps messages from an oops reliable.
 */
#include "drivers/serial.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "drivers/tty.h"
#include "kernel/debug/sysrq.h"

/* Register offsets from the base port. */
#define UART_DATA 0      /* receive/transmit buffer (DLAB=0), divisor low (DLAB=1) */
#define UART_IER 1       /* interrupt enable (DLAB=0), divisor high (DLAB=1) */
#define UART_FCR 2       /* FIFO control */
#define UART_LCR 3       /* line control */
#define UART_MCR 4       /* modem control */
#define UART_LSR 5       /* line status */
#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define IER_RX 0x01
#define FCR_ENABLE_CLEAR 0xC7 /* enable FIFOs, clear them, 14-byte threshold */
#define MCR_DTR_RTS_OUT2 0x0B /* OUT2 gates the UART's interrupt line to the PIC */
#define LSR_DATA_READY 0x01
#define LSR_BREAK 0x10 /* the line was held low longer than a character: a break */
#define LSR_THR_EMPTY 0x20
#define COM1_IRQ 4
#define BAUD_DIVISOR 1   /* 115200 / 1 */

void serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, BAUD_DIVISOR & 0xFF);
	outb(COM1 + UART_IER, BAUD_DIVISOR >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* A break, then one letter: a magic SysRq command (kernel/debug/sysrq.c),
 * as on Linux's serial console. QEMU sends a break on Ctrl-A B. */
static bool sysrq_armed;

static void serial_irq(struct regs *r)
{
	(void)r;
	uint8_t lsr;
	while ((lsr = inb(COM1 + UART_LSR)) & LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);
		if (lsr & LSR_BREAK)
			sysrq_armed = true; /* the break arrives as a 0 byte: not input */
		else if (sysrq_armed) {
			sysrq_armed = false;
			sysrq_handle(c);
		} else {
			tty_input(c);
		}
	}
}

void serial_enable_input(void)
{
	irq_register(COM1_IRQ, serial_irq);
	outb(COM1 + UART_IER, IER_RX);
}
