/*
 * syslog(2): reading the kernel log (course section: the kernel's own tools).
 *
 * One syscall, many actions (its first argument). READ_ALL copies out the
 * records since the last CLEAR, each as a line "<PRIO>[seconds.micros] text",
 * the newest ones if they do not all fit; READ waits for records no READ has
 * taken yet and takes them; SIZE_BUFFER and SIZE_UNREAD say how much to ask
 * for; CONSOLE_OFF/ON/LEVEL decide which messages also reach the console.
 * (Linux asks for CAP_SYSLOG for all but READ_ALL and SIZE_BUFFER; sysgate's
 * every process is root.)
 */
#include "kernel/events/wait.h"
#include "kernel/log/log_buffer.h"
#include "kernel/printk.h"
#include "libc/include/abi/errno.h"
#include "libc/include/abi/syslog.h"
#include "mm/uaccess.h"

static uint64_t syslog_seq;     /* the next record SYSLOG_ACTION_READ takes */
static int saved_console_level; /* CONSOLE_OFF's, for CONSOLE_ON */

/* Copies records [from, log_next_seq()) out, as many whole lines as fit
 * (the newest ones if keep_newest, else the oldest). Returns bytes
 * copied, or -EFAULT; *upto gets the first record not copied. */
static long copy_records(uint64_t from, char __user *buf, size_t len, bool keep_newest, uint64_t *upto)
{
	char line[LOG_TEXT_MAX + 64];
	uint64_t end = log_next_seq();
	from = MAX(from, log_first_seq());
	if (keep_newest) { /* skip the oldest lines until the rest fits */
		size_t total = 0;
		for (uint64_t s = from; s < end; s++)
			total += log_format_syslog(s, line, sizeof(line));
		while (from < end && total > len)
			total -= log_format_syslog(from++, line, sizeof(line));
	}
	size_t done = 0;
	uint64_t s = from;
	for (; s < end; s++) {
		size_t n = log_format_syslog(s, line, sizeof(line));
		if (done + n > len)
			break;
		if (copy_to_user(buf + done, line, n))
			return -EFAULT;
		done += n;
	}
	if (upto)
		*upto = s;
	return (long)done;
}

static size_t bytes_from(uint64_t from)
{
	char line[LOG_TEXT_MAX + 64];
	size_t total = 0;
	for (uint64_t s = MAX(from, log_first_seq()); s < log_next_seq(); s++)
		total += log_format_syslog(s, line, sizeof(line));
	return total;
}

long sys_syslog(int type, void __user *buf, int len)
{
	long n;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN:
		return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (len == 0)
			return 0;
		if (!access_ok(buf, (size_t)len))
			return -EFAULT;
		if (type != SYSLOG_ACTION_READ) {
			uint64_t end = log_next_seq();
			n = copy_records(log_clear_seq(), buf, (size_t)len, true, NULL);
			if (n >= 0 && type == SYSLOG_ACTION_READ_CLEAR)
				log_set_clear_seq(end);
			return n;
		}
		n = wait_event_interruptible(&log_readers, syslog_seq < log_next_seq());
		if (n)
			return n;
		return copy_records(syslog_seq, buf, (size_t)len, false, &syslog_seq);
	case SYSLOG_ACTION_CLEAR:
		log_set_clear_seq(log_next_seq());
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		if (!saved_console_level)
			saved_console_level = printk_console_level(1); /* nothing is below 1 */
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		if (saved_console_level)
			printk_console_level(saved_console_level);
		saved_console_level = 0;
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		printk_console_level(len);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return (long)bytes_from(syslog_seq);
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_RECORDS * LOG_TEXT_MAX;
	default:
		return -EINVAL;
	}
}
