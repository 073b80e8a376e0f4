/*
 * The console terminal and its line discipline (course section: the console;
 * signals).
 *
 * Keys arrive one at a time from the serial port or the PS/2 keyboard, in
 * interrupt handlers, through tty_input(). In canonical mode (the default)
 * the "line discipline" edits a line before any program sees it:
 *   - characters are echoed, so the user sees what they type;
 *   - Backspace erases the last character, ^U the whole line;
 *   - Enter (\r from a serial terminal is turned into \n) completes the
 *     line: read() returns it, newline included;
 *   - ^D completes the line without a newline; on an empty line, read()
 *     returns 0, which programs take as end of file;
 *   - ^C, ^Z and ^\ are not data: they send SIGINT, SIGTSTP and SIGQUIT to
 *     the foreground process group (set by the shell with TIOCSPGRP).
 * Without ICANON (a program's raw mode), every byte is readable at once.
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
} tty = {
	.readers = WAIT_QUEUE_INIT(tty.readers),
	.termios = {
		.c_iflag = ICRNL,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = CS8 | CREAD,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | IEXTEN,
		.c_cc = { [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = DEL, [VKILL] = CTRL('U'),
			  [VEOF] = CTRL('D'), [VMIN] = 1, [VSUSP] = CTRL('Z') },
	},
	.winsize = { .ws_row = 25, .ws_col = 80 },
};

static bool canonical(void) { return tty.termios.c_lflag & ICANON; }
static bool echo_on(void) { return tty.termios.c_lflag & ECHO; }

static void echo(const char *s, size_t n)
{
	if (echo_on())
		console_write(s, n);
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

static bool erase_one(void)
{
	if (tty.tail == tty.ready)
		return false;
	tty.tail--;
	echo("\b \b", 3);
	return true;
}

/* Called from the keyboard and serial interrupt handlers. */
void tty_input(char c)
{
	const struct termios *t = &tty.termios;
	if (c == '\r' && (t->c_iflag & ICRNL))
		c = '\n';
	if (t->c_lflag & ISIG) {
		/* Echoed as "^C" without a newline, as Linux does: the shell
		 * ends the line when it gets the prompt back. */
		if (c == t->c_cc[VINTR])
			return send_job_signal(SIGINT, "^C");
		if (c == t->c_cc[VSUSP])
			return send_job_signal(SIGTSTP, "^Z");
		if (c == t->c_cc[VQUIT])
			return send_job_signal(SIGQUIT, "^\\");
	}
	if (canonical()) {
		if (c == t->c_cc[VERASE] || c == '\b') {
			erase_one();
			return;
		}
		if (c == t->c_cc[VKILL]) {
			while (erase_one())
				;
			return;
		}
		if (c == t->c_cc[VEOF]) {
			if (tty.tail == tty.ready)
				tty.eof_marks++;
			commit_line();
			return;
		}
	}
	if (tty.tail - tty.head >= TTY_BUF - 1)
		return; /* full: drop the key, like a real terminal's bell */
	tty.buf[tty.tail++ % TTY_BUF] = c;
	echo(&c, 1);
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
		console_write(tmp, chunk);
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
