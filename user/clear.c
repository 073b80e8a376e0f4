/*
 * clear: clear the terminal (course section: the console).
 *
 * The terminal is not cleared by a syscall: the program writes an escape
 * sequence, bytes that the terminal (or sysgate's console driver) interprets
 * instead of displaying. ESC [ H moves the cursor home, ESC [ 2 J erases the
 * screen.
 */
#include <unistd.h>

int main(void)
{
	static const char seq[] = "\033[H\033[2J";

	return write(STDOUT_FILENO, seq, sizeof(seq) - 1) < 0;
}
