/*
 * The PS/2 keyboard (course section: devices).
 *
 * The keyboard controller raises IRQ 1 for every key press and release and
 * puts a "scan code" in port 0x60 (set 1: a key's press code; its release
 * code has bit 7 set). We track Shift, Ctrl and Caps Lock, translate the
 * rest with a US layout table, and hand characters to the console's tty.
 * Extended keys (prefixed by 0xE0, e.g. arrows) are ignored.
 */
#include "drivers/keyboard.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "drivers/tty.h"

#define KEYBOARD_IRQ 1
#define RELEASED 0x80
#define SC_LSHIFT 0x2A
#define SC_RSHIFT 0x36
#define SC_CTRL 0x1D
#define SC_CAPSLOCK 0x3A
#define SC_EXTENDED 0xE0

static const char normal[128] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
	'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
	'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
	'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};
static const char shifted[128] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
	'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0, 'A', 'S',
	'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
	'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

static bool shift, ctrl, capslock, extended;

static void keyboard_irq(struct regs *r)
{
	(void)r;
	uint8_t sc = inb(PS2_DATA);
	if (sc == SC_EXTENDED) {
		extended = true;
		return;
	}
	bool released = sc & RELEASED;
	sc &= ~RELEASED;
	if (extended) {
		extended = false;
		if (sc == SC_CTRL) /* right Ctrl */
			ctrl = !released;
		return;
	}
	switch (sc) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		shift = !released;
		return;
	case SC_CTRL:
		ctrl = !released;
		return;
	case SC_CAPSLOCK:
		if (!released)
			capslock = !capslock;
		return;
	}
	if (released)
		return;
	char c = shift ? shifted[sc] : normal[sc];
	if (capslock && c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	else if (capslock && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (ctrl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '\\'))
		c &= 0x1f; /* Ctrl-C is 3, Ctrl-D is 4... */
	if (c == '\b')
		c = 0x7f; /* Backspace sends DEL, as terminals do */
	if (c)
		tty_input(c);
}

void keyboard_init(void)
{
	while (inb(PS2_STATUS) & 1) /* drain anything pending from boot */
		inb(PS2_DATA);
	irq_register(KEYBOARD_IRQ, keyboard_irq);
}
