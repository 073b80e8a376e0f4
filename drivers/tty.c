/*
 * The console terminal and its line discipline (course section: the console;
 * signals).
 *
 * Keys arrive one at a time from the serial port or the PS/2 keyboard, in
 * interrupt handlers, through tty_input(). In canonical mode (the default)
 * the "line discipline" edits a line before any program sees it:
 *   - characters are echoed, so the user sees what they type;
 *   - Backspace erases the last character (a tab back to where it began),
 *     ^W a word, ^U the whole line; ^R shows the line again; ^V makes the
 *     next key data; control characters echo as ^X (ECHOCTL);
 *   - Enter (\r from a serial terminal is turned into \n) completes the
 *     line: read() returns it, newline included;
 *   - ^D completes the line without a newline; on an empty line, read()
 *     returns 0, which programs take as end of file;
 *   - ^C, ^Z and ^\ are not data: they send SIGINT, SIGTSTP and SIGQUIT to
 *     the foreground process group (set by the shell with TIOCSPGRP).
 * Without ICANON (a program's raw mode, as the shell's while it reads a line:
 * user/sh/lineedit.c), every byte is readable at once.
 */
#include "drivers/tty.h"
#include "arch/x86_64/cpu.h"
#include "drivers/console.h"
#include "kernel/fs/file.h"
#include "kernel/signal/signal.h"
#include "kernel/proc/task.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/ioctl.h"
#include "libc/include/abi/termios.h"
#include "libc/include/string.h"
#include "mm/uaccess.h"

#define TTY_BUF 4096
#define CTRL(c) ((c) & 0x1f)
#define DEL 0x7f

static struct {
	char buf[TTY_BUF];  /* ring: [head, tail) of bytes, [head, ready) readable */
	size_t head, ready, tail;
	size_t eof_marks;   /* ^D on an empty line: reads that must return 0 */
	struct wait_queue readers;
	struct termios termios;
	struct winsize winsize;
	pid_t foreground;   /* process group that gets ^C */
	size_t column;      /* the screen column output has reached */
	size_t line_column; /* the column where the line being typed began */
	bool literal_next;  /* after ^V: the next key is data */
} tty = {
	.readers = WAIT_QUEUE_INIT(tty.readers),
	.termios = {
		.c_iflag = ICRNL,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = CS8 | CREAD,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
		.c_cc = { [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = DEL, [VKILL] = CTRL('U'),
			  [VEOF] = CTRL('D'), [VMIN] = 1, [VSTART] = CTRL('Q'), [VSTOP] = CTRL('S'),
			  [VSUSP] = CTRL('Z'), [VREPRINT] = CTRL('R'), [VWERASE] = CTRL('W'),
			  [VLNEXT] = CTRL('V') },
	},
	.winsize = { .ws_row = 25, .ws_col = 80 },
};

static bool canonical(void) { return tty.termios.c_lflag & ICANON; }
static bool lflag(tcflag_t f) { return tty.termios.c_lflag & f; }
static bool is_control(char c) { return (unsigned char)c < 0x20 || c == DEL; }

/* Writes to the screen, following the column the cursor reaches (to know
 * how far back erasing a tab must go). */
static void output(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			tty.column = 0;
		else if (s[i] == '\b')
			tty.column -= tty.column > 0;
		else if (s[i] == '\t')
			tty.column = (tty.column | 7) + 1;
		else if (!is_control(s[i]))
			tty.column++;
	}
	console_write(s, n);
}

static void echo(const char *s, size_t n)
{
	if (lflag(ECHO))
		output(s, n);
}

/* One typed character on the screen: with ECHOCTL, a control character
 * other than tab and newline shows as ^X (ESC as ^[, DEL as ^?), as Linux
 * shows it, so that an arrow key typed into `cat` is visible as ^[[A. */
static void echo_char(char c)
{
	if (lflag(ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
		char shown[2] = { '^', c == DEL ? '?' : c + '@' };
		echo(shown, 2);
	} else {
		echo(&c, 1);
	}
}

static void commit_line(void)
{
	tty.ready = tty.tail;
	wake_up(&tty.readers, POLLIN | POLLRDNORM);
}

static void send_job_signal(int sig, const char *shown)
{
	echo(shown, strlen(shown));
	tty.tail = tty.ready; /* the half-typed line is thrown away */
	if (tty.foreground > 0)
		send_signal_group(tty.foreground, sig, NULL);
}

/* The column a tab at the end of the line being typed started at: the
 * line's first column plus the width of what was echoed before it. */
static size_t tab_start_column(void)
{
	size_t col = tty.line_column;
	for (size_t i = tty.ready; i < tty.tail; i++) {
		char c = tty.buf[i % TTY_BUF];
		if (c == '\t')
			col = (col | 7) + 1;
		else
			col += lflag(ECHOCTL) && is_control(c) ? 2 : 1;
	}
	return col;
}

/* Erases the last character of the line being typed, on the screen too:
 * a tab by going back to where it began, a ^X by two columns. */
static bool erase_one(void)
{
	if (tty.tail == tty.ready)
		return false;
	char c = tty.buf[--tty.tail % TTY_BUF];
	if (!lflag(ECHOE)) {
		echo_char(tty.termios.c_cc[VERASE]);
	} else if (c == '\t') {
		for (size_t col = tab_start_column(); tty.column > col;)
			echo("\b", 1);
	} else {
		echo("\b \b", 3);
		if (lflag(ECHOCTL) && is_control(c))
			echo("\b \b", 3);
	}
	return true;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* ^W: the blanks and punctuation before the cursor, then the word. */
static void erase_word(void)
{
	bool seen_word = false;
	while (tty.tail != tty.ready) {
		char c = tty.buf[(tty.tail - 1) % TTY_BUF];
		if (is_word_char(c))
			seen_word = true;
		else if (seen_word)
			break;
		erase_one();
	}
}

/* ^U: with ECHOKE the line is erased on the screen; without, the ^U is
 * shown (and a newline with ECHOK) and the line just forgotten. */
static void kill_line(void)
{
	if (lflag(ECHOKE) && lflag(ECHOE)) {
		while (erase_one())
			;
		return;
	}
	echo_char(tty.termios.c_cc[VKILL]);
	if (lflag(ECHOK))
		echo("\n", 1);
	tty.tail = tty.ready;
}

/* ^R: the line again, on a new screen line (after noise printed over it). */
static void reprint_line(void)
{
	echo_char(tty.termios.c_cc[VREPRINT]);
	echo("\n", 1);
	tty.line_column = tty.column;
	for (size_t i = tty.ready; i < tty.tail; i++)
		echo_char(tty.buf[i % TTY_BUF]);
}

/* The editing keys of canonical mode; true if c was one of them. */
static bool edit_key(char c)
{
	const struct termios *t = &tty.termios;
	if (c == t->c_cc[VERASE]) {
		erase_one();
		return true;
	}
	if (c == t->c_cc[VKILL]) {
		kill_line();
		return true;
	}
	if (c == t->c_cc[VEOF]) {
		if (tty.tail == tty.ready)
			tty.eof_marks++;
		commit_line();
		return true;
	}
	if (!lflag(IEXTEN))
		return false;
	if (c == t->c_cc[VWERASE]) {
		erase_word();
		return true;
	}
	if (c == t->c_cc[VREPRINT]) {
		reprint_line();
		return true;
	}
	if (c == t->c_cc[VLNEXT]) {
		tty.literal_next = true;
		echo("^\b", 2); /* a ^ under the cursor until the next key comes */
		return true;
	}
	return false;
}

/* Called from the keyboard and serial interrupt handlers. */
void tty_input(char c)
{
	const struct termios *t = &tty.termios;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	bool literal = tty.literal_next;
	tty.literal_next = false;
	if (lflag(ISIG) && !literal) {
		/* Echoed as "^C" without a newline, as Linux does: the shell
		 * ends the line when it gets the prompt back. */
		if (c == t->c_cc[VINTR])
			return send_job_signal(SIGINT, "^C");
		if (c == t->c_cc[VSUSP])
			return send_job_signal(SIGTSTP, "^Z");
		if (c == t->c_cc[VQUIT])
			return send_job_signal(SIGQUIT, "^\\");
	}
	if (canonical() && !literal && c != 0 && edit_key(c))
		return;
	if (tty.tail - tty.head >= TTY_BUF - 1)
		return; /* full: drop the key, like a real terminal's bell */
	if (tty.tail == tty.ready)
		tty.line_column = tty.column;
	tty.buf[tty.tail++ % TTY_BUF] = c;
	echo_char(c);
	if (!canonical() || c == '\n')
		commit_line();
}

static bool readable(void)
{
	return tty.ready != tty.head || tty.eof_marks;
}

static ssize_t tty_read(struct file *f, void __user *buf, size_t n, off_t *pos)
{
	(void)pos;
	if (n == 0)
		return 0;
	if (!readable() && (f->flags & O_NONBLOCK))
		return -EAGAIN;
	int err = wait_event_interruptible(&tty.readers, readable());
	if (err)
		return err;
	uint64_t flags = irq_save();
	if (tty.ready == tty.head && tty.eof_marks) {
		tty.eof_marks--;
		irq_restore(flags);
		return 0;
	}
	char tmp[256];
	size_t got = 0;
	/* In canonical mode a read returns at most one line. */
	while (got < n && got < sizeof(tmp) && tty.head != tty.ready) {
		char c = tty.buf[tty.head++ % TTY_BUF];
		tmp[got++] = c;
		if (c == '\n' && canonical())
			break;
	}
	irq_restore(flags);
	if (copy_to_user(buf, tmp, got))
		return -EFAULT;
	return got;
}

static ssize_t tty_write(struct file *f, const void __user *buf, size_t n, off_t *pos)
{
	(void)f;
	(void)pos;
	char tmp[256];
	size_t done = 0;
	while (done < n) {
		size_t chunk = MIN(n - done, sizeof(tmp));
		if (copy_from_user(tmp, (const char __user *)buf + done, chunk))
			return done ? (ssize_t)done : -EFAULT;
		output(tmp, chunk);
		done += chunk;
	}
	return done;
}

static uint32_t tty_poll(struct file *f, struct poll_table *pt)
{
	(void)f;
	poll_wait(pt, &tty.readers);
	return (readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

static long copy_out(unsigned long arg, const void *v, size_t n)
{
	return copy_to_user((void __user *)arg, v, n) ? -EFAULT : 0;
}

/* tcsetpgrp's rule: the group must exist (ESRCH) and be in the caller's
 * session (EPERM), so a program cannot hand the terminal to strangers. */
static int check_group_in_session(int pgid)
{
	bool found = false;
	struct list_node *n;
	list_for_each(n, &all_tasks) {
		struct task *t = list_entry(n, struct task, all);
		if (t->pgid != pgid || t->state == TASK_ZOMBIE)
			continue;
		if (t->sid != current->sid)
			return -EPERM;
		found = true;
	}
	return found ? 0 : -ESRCH;
}

static long tty_ioctl(struct file *f, unsigned cmd, unsigned long arg)
{
	(void)f;
	switch (cmd) {
	case TIOCGWINSZ:
		return copy_out(arg, &tty.winsize, sizeof(tty.winsize));
	case TIOCSWINSZ:
		return copy_from_user(&tty.winsize, (const void __user *)arg, sizeof(tty.winsize)) ? -EFAULT : 0;
	case TCGETS:
		return copy_out(arg, &tty.termios, sizeof(tty.termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct termios t;
		if (copy_from_user(&t, (const void __user *)arg, sizeof(t)))
			return -EFAULT;
		uint64_t flags = irq_save();
		tty.termios = t;
		if (cmd == TCSETSF)
			tty.tail = tty.ready = tty.head;
		if (!canonical())
			commit_line();
		irq_restore(flags);
		return 0;
	}
	case TIOCGPGRP: {
		int pg = tty.foreground;
		return copy_out(arg, &pg, sizeof(pg));
	}
	case TIOCSPGRP: {
		int pg;
		if (copy_from_user(&pg, (const void __user *)arg, sizeof(pg)))
			return -EFAULT;
		if (pg < 0)
			return -EINVAL;
		int err = check_group_in_session(pg);
		if (err)
			return err;
		tty.foreground = pg;
		return 0;
	}
	case FIONREAD: {
		int avail = (int)(tty.ready - tty.head);
		return copy_out(arg, &avail, sizeof(avail));
	}
	default:
		return -ENOTTY;
	}
}

static const struct file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.poll = tty_poll,
	.ioctl = tty_ioctl,
};

void tty_init(void)
{
	dev_register("console", &tty_ops, NULL, TTY_CONSOLE_RDEV);
	dev_register("tty", &tty_ops, NULL, TTY_CONSOLE_RDEV);
}

void tty_set_foreground(pid_t pgid)
{
	tty.foreground = pgid;
}
