/*
 * The VGA text console (course section: devices).
 *
 * In text mode the screen is an 80x25 array of 16-bit cells in memory at
 * physical 0xB8000: the low byte is the character, the high byte its
 * colours. Writing a cell changes the screen. The blinking cursor is moved
 * through two CRT controller registers. `make run-gui` shows this screen.
 */
#include "drivers/vga.h"
#include "arch/x86_64/cpu.h"
#include "mm/paging.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x07 /* light grey on black */
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW 0x0F

static volatile uint16_t *screen;
static int row, col;

static void move_cursor(void)
{
	uint16_t pos = row * COLS + col;
	outb(VGA_CRTC_ADDR, CRTC_CURSOR_HIGH);
	outb(VGA_CRTC_DATA, pos >> 8);
	outb(VGA_CRTC_ADDR, CRTC_CURSOR_LOW);
	outb(VGA_CRTC_DATA, pos & 0xFF);
}

static void scroll(void)
{
	for (int i = 0; i < (ROWS - 1) * COLS; i++)
		screen[i] = screen[i + COLS];
	for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
		screen[i] = (ATTR << 8) | ' ';
	row = ROWS - 1;
}

void vga_init(void)
{
	screen = phys_to_virt(VGA_TEXT_PHYS);
	for (int i = 0; i < ROWS * COLS; i++)
		screen[i] = (ATTR << 8) | ' ';
	row = col = 0;
	move_cursor();
}

void vga_putc(char c)
{
	if (!screen)
		return;
	switch (c) {
	case '\n':
		col = 0;
		row++;
		break;
	case '\r':
		col = 0;
		break;
	case '\b':
		if (col > 0)
			col--;
		break;
	case '\t':
		col = (col + 8) & ~7;
		break;
	default:
		screen[row * COLS + col] = (ATTR << 8) | (uint8_t)c;
		col++;
	}
	if (col >= COLS) {
		col = 0;
		row++;
	}
	if (row >= ROWS)
		scroll();
	move_cursor();
}
