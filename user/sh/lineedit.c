/*
 * sh: editing the line being typed (course section: the console; processes).
 *
 * The terminal's own line discipline (canonical mode) already edits a line:
 * it echoes, and Backspace and ^U work. But it knows nothing of a cursor in
 * the middle of a line, of arrows (they arrive as "ESC [ A" and would land in
 * the line as bytes), of history or of completion. So, as bash's readline
 * does, the shell switches the terminal to raw mode while it reads a line
 * (tcsetattr: no ICANON, no ECHO, no ISIG): every key arrives at once,
 * unechoed, and the shell itself keeps the line, the cursor, and what the
 * screen shows. Before running the command it puts the terminal back as it
 * was, so programs read a normal canonical terminal (and ^C is a signal
 * again).
 *
 * Keys: Left/Right ^B/^F, Home/End ^A/^E, Backspace, Delete, ^D (end of
 * input on an empty line), ^K (kill to the end), ^U (kill to the start),
 * ^W (kill a word), ^L (clear the screen), Up/Down ^P/^N (history), Tab
 * (complete; twice: list), ^C (drop the line), Enter.
 *
 * Drawing: appending at the end is just the character; anything else
 * redraws the line ("\r", prompt, the text, erase to the end of the screen
 * line, then the cursor moved to its column). A line longer than the screen
 * is not handled specially.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "sh.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_DEL 0x7f
#define ESC 0x1b
#define TAB_WIDTH 8

/* Keys that arrive as escape sequences, numbered above any byte. */
enum { KEY_UP = 256, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_DELETE, KEY_NONE };

struct line {
	char *buf;
	size_t len, pos, size;	/* text length, cursor, buffer size */
	const char *prompt;
	int browsing;		/* how far back in the history Up has gone */
	char saved[MAX_LINE];	/* the line being typed when Up was first pressed */
};

/* --- Output: collected, then written at once ------------------------------- */

static char out[2 * MAX_LINE];
static size_t out_len;

static void put(const char *s, size_t n)
{
	if (out_len + n > sizeof(out))
		n = sizeof(out) - out_len;
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void puts_out(const char *s)
{
	put(s, strlen(s));
}

static void flush_out(void)
{
	size_t done = 0;

	while (done < out_len) {
		ssize_t n = write(STDERR_FILENO, out + done, out_len - done);

		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			done += n;
	}
	out_len = 0;
}

/* --- What the screen shows ----------------------------------------------------- */

/* The width of c drawn at column col: a tab reaches the next tab stop, a
 * control character shows as ^X, as the terminal's ECHOCTL would show it. */
static size_t char_width(unsigned char c, size_t col)
{
	if (c == '\t')
		return TAB_WIDTH - col % TAB_WIDTH;
	if (c < 0x20 || c == KEY_DEL)
		return 2;
	return 1;
}

static void draw_char(unsigned char c, size_t col)
{
	if (c == '\t') {
		for (size_t w = char_width(c, col); w > 0; w--)
			put(" ", 1);
	} else if (c < 0x20 || c == KEY_DEL) {
		char s[2] = { '^', c == KEY_DEL ? '?' : c + '@' };

		put(s, 2);
	} else {
		put((const char *)&c, 1);
	}
}

/* The screen column after the prompt and the first n characters. */
static size_t column_of(const struct line *l, size_t n)
{
	size_t col = strlen(l->prompt);

	for (size_t i = 0; i < n; i++)
		col += char_width((unsigned char)l->buf[i], col);
	return col;
}

static void redraw(const struct line *l)
{
	char move[16];
	size_t col = strlen(l->prompt);

	puts_out("\r");
	puts_out(l->prompt);
	for (size_t i = 0; i < l->len; i++) {
		draw_char((unsigned char)l->buf[i], col);
		col += char_width((unsigned char)l->buf[i], col);
	}
	puts_out("\x1b[K\r");			/* erase the rest, back to column 0 */
	col = column_of(l, l->pos);
	if (col > 0) {
		snprintf(move, sizeof(move), "\x1b[%zuC", col);	/* forward col columns */
		puts_out(move);
	}
}

/* Enter: the cursor to the end of the text, without drawing the prompt
 * again (the prompt is what scripts driving the shell wait for). */
static void move_to_end(struct line *l)
{
	char move[16];
	size_t cols = column_of(l, l->len) - column_of(l, l->pos);

	if (cols > 0) {
		snprintf(move, sizeof(move), "\x1b[%zuC", cols);
		puts_out(move);
	}
	l->pos = l->len;
}

/* --- Changing the line ------------------------------------------------------------- */

static void insert(struct line *l, const char *s, size_t n)
{
	if (l->len + n + 1 > l->size)
		n = l->size - 1 - l->len;
	memmove(l->buf + l->pos + n, l->buf + l->pos, l->len - l->pos);
	memcpy(l->buf + l->pos, s, n);
	l->len += n;
	l->pos += n;
	if (l->pos == l->len && n == 1 && (unsigned char)s[0] >= 0x20 && s[0] != KEY_DEL)
		put(s, 1);			/* typed at the end: just show it */
	else
		redraw(l);
}

/* Removes [from, to) and leaves the cursor at from. */
static void cut(struct line *l, size_t from, size_t to)
{
	int at_end = to == l->len && to == l->pos && to - from == 1 &&
		     (unsigned char)l->buf[from] >= 0x20 && l->buf[from] != KEY_DEL;

	memmove(l->buf + from, l->buf + to, l->len - to);
	l->len -= to - from;
	l->pos = from;
	if (at_end)
		puts_out("\b \b");		/* one plain character at the end */
	else
		redraw(l);
}

static void set_text(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n >= l->size)
		n = l->size - 1;
	memcpy(l->buf, s, n);
	l->len = l->pos = n;
	redraw(l);
}

/* Up (older, delta 1) and Down (newer, delta -1) through the history. */
static void browse(struct line *l, int delta)
{
	int to = l->browsing + delta;

	if (to < 0 || to > history_count())
		return;
	if (l->browsing == 0) {			/* leaving the line being typed */
		l->buf[l->len] = '\0';
		snprintf(l->saved, sizeof(l->saved), "%s", l->buf);
	}
	l->browsing = to;
	set_text(l, to == 0 ? l->saved : history_get(to));
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* ^W: the word before the cursor, and the blanks after it. */
static void cut_word(struct line *l)
{
	size_t from = l->pos;

	while (from > 0 && is_space(l->buf[from - 1]))
		from--;
	while (from > 0 && !is_space(l->buf[from - 1]))
		from--;
	if (from < l->pos)
		cut(l, from, l->pos);
}

static void complete(struct line *l, int list)
{
	int listed = 0;
	size_t added = complete_word(l->buf, l->len, l->pos, l->size, list, &listed);

	l->len += added;
	l->pos += added;
	if (added || listed)
		redraw(l);
	else
		puts_out("\a");			/* nothing to add: the bell */
}

/* --- Reading keys -------------------------------------------------------------------- */

/* One byte from the terminal; -1 at end of input, -2 for a ^C by signal. */
static int read_byte(void)
{
	unsigned char c;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR && interrupted) {
			interrupted = 0;
			return -2;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* After ESC: "[A" or "OA" (arrows), "[1~".."[8~" (Home, Delete, End...).
 * Parameters ("[1;5C" for ^Right) are read and ignored. */
static int read_escape(void)
{
	int c = read_byte(), number = 0;

	if (c != '[' && c != 'O')
		return KEY_NONE;
	for (;;) {
		c = read_byte();
		if (c < 0)
			return KEY_NONE;
		if (c >= '0' && c <= '9')
			number = number * 10 + (c - '0');
		else if (c != ';')
			break;
	}
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case '~':
		if (number == 1 || number == 7)
			return KEY_HOME;
		if (number == 4 || number == 8)
			return KEY_END;
		if (number == 3)
			return KEY_DELETE;
		return KEY_NONE;
	default:
		return KEY_NONE;
	}
}

/* What one key does. Returns 1 when the line is complete, 0 to read on,
 * -1 at end of input. */
static int handle_key(struct line *l, int key, int last_key)
{
	char ch;

	switch (key) {
	case '\r':
	case '\n':
		move_to_end(l);
		puts_out("\n");
		return 1;
	case CTRL('C'):
	case -2:
		puts_out("^C\n");
		l->len = 0;
		return 1;
	case CTRL('D'):
		if (l->len == 0)
			return -1;		/* in a line, ^D deletes, as in readline */
		if (l->pos < l->len)
			cut(l, l->pos, l->pos + 1);
		return 0;
	case KEY_DELETE:
		if (l->pos < l->len)
			cut(l, l->pos, l->pos + 1);
		return 0;
	case KEY_DEL:
	case CTRL('H'):
		if (l->pos > 0)
			cut(l, l->pos - 1, l->pos);
		return 0;
	case KEY_LEFT:
	case CTRL('B'):
		if (l->pos > 0)
			l->pos--, redraw(l);
		return 0;
	case KEY_RIGHT:
	case CTRL('F'):
		if (l->pos < l->len)
			l->pos++, redraw(l);
		return 0;
	case KEY_HOME:
	case CTRL('A'):
		l->pos = 0;
		redraw(l);
		return 0;
	case KEY_END:
	case CTRL('E'):
		l->pos = l->len;
		redraw(l);
		return 0;
	case CTRL('K'):
		if (l->pos < l->len)
			cut(l, l->pos, l->len);
		return 0;
	case CTRL('U'):
		if (l->pos > 0)
			cut(l, 0, l->pos);
		return 0;
	case CTRL('W'):
		cut_word(l);
		return 0;
	case CTRL('L'):
		puts_out("\x1b[H\x1b[2J");	/* cursor home, clear the screen */
		redraw(l);
		return 0;
	case KEY_UP:
	case CTRL('P'):
		browse(l, 1);
		return 0;
	case KEY_DOWN:
	case CTRL('N'):
		browse(l, -1);
		return 0;
	case '\t':
		complete(l, last_key == '\t');
		return 0;
	default:
		if (key >= 0x20 && key < 0x100 && key != KEY_DEL) {
			ch = (char)key;
			insert(l, &ch, 1);
		}
		return 0;			/* other control keys: ignored */
	}
}

/* The terminal's settings when the shell first read a line: put back after
 * every line, which also repairs a terminal a crashed program left raw. */
static struct termios sane;
static int have_sane;

static int enter_raw_mode(void)
{
	struct termios raw;

	if (!have_sane) {
		if (tcgetattr(STDIN_FILENO, &sane) < 0)
			return -1;
		have_sane = 1;
	}
	raw = sane;
	raw.c_lflag &= ~(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(ICRNL | IXON);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	return tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

static void leave_raw_mode(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &sane);
}

/* Without a usable terminal: the line as the tty's canonical mode edits it. */
static int read_plain(char *buf, size_t size)
{
	size_t len = 0;
	int c;

	while ((c = read_byte()) >= 0 && c != '\n')
		if (len + 1 < size)
			buf[len++] = (char)c;
	buf[len] = '\0';
	return c == '\n' || len > 0 || c == -2;
}

int edit_line(const char *prompt, char *buf, size_t size)
{
	static struct line l;
	int key = 0, last_key, done = 0;

	fflush(stdout);
	if (enter_raw_mode() < 0) {
		fputs(prompt, stderr);
		return read_plain(buf, size);
	}
	l.buf = buf;
	l.size = size;
	l.len = l.pos = 0;
	l.prompt = prompt;
	l.browsing = 0;
	puts_out(prompt);
	flush_out();
	while (done == 0) {
		last_key = key;
		key = read_byte();
		if (key == -1)			/* end of input: run what there is */
			key = l.len ? '\n' : CTRL('D');
		else if (key == ESC)
			key = read_escape();
		done = handle_key(&l, key, last_key);
		flush_out();
	}
	leave_raw_mode();
	buf[done > 0 ? l.len : 0] = '\0';
	return done > 0;
}
