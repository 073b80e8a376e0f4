/*
 * Tests of the kernel log: syslog(2) and /dev/kmsg (course section: the
 * kernel's own tools).
 *
 * A line written to /dev/kmsg becomes a record; a blocking read of /dev/kmsg
 * after lseek(SEEK_END) waits for it (Linux stores such writes a moment
 * later, so the tests wait for the record rather than for a time). Then the
 * record's format ("14,SEQ,MICROSECONDS,-;text"), syslog(2)'s READ_ALL line
 * ("<14>[seconds.micros] text"), and the errors. Clearing the log and
 * destructive reads are checked on sysgate only: on Linux they would take
 * the host's log from its other readers.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "testlib.h"

#define MARK "sysgate-test: kmsg marker"

static char buf[1 << 18];

/* Writes "<6>MARK N" and reads /dev/kmsg (from SEEK_END) until its record
 * comes by; returns the record in rec, or -1. */
static int write_and_find(int n, char *rec, size_t size)
{
	char line[128], want[128];
	int w = open("/dev/kmsg", O_WRONLY), r = open("/dev/kmsg", O_RDONLY);
	int found = -1;

	if (w < 0 || r < 0 || lseek(r, 0, SEEK_END) < 0)
		goto out;
	snprintf(line, sizeof(line), "<6>%s %d pid %d\n", MARK, n, (int)getpid());
	snprintf(want, sizeof(want), ";%s %d pid %d\n", MARK, n, (int)getpid());
	if (write(w, line, strlen(line)) != (ssize_t)strlen(line))
		goto out;
	for (int tries = 0; tries < 1000 && found < 0; tries++) {
		ssize_t got = read(r, rec, size - 1);
		if (got < 0)
			break;
		rec[got] = '\0';
		if (strstr(rec, want))
			found = 0;
	}
out:
	if (w >= 0)
		close(w);
	if (r >= 0)
		close(r);
	return found;
}

/* "PRIO,SEQ,USEC,FLAGS;": the four fields; 1 if the record has them. */
static int parse_record(const char *rec, unsigned long *prio, unsigned long *seq, unsigned long *usec, char *flags)
{
	char *end;

	*prio = strtoul(rec, &end, 10);
	if (*end != ',')
		return 0;
	*seq = strtoul(end + 1, &end, 10);
	if (*end != ',')
		return 0;
	*usec = strtoul(end + 1, &end, 10);
	if (*end != ',' || end[2] != ';')
		return 0;
	*flags = end[1];
	return 1;
}

static void test_kmsg_records(void)
{
	char rec[512], rec2[512];
	unsigned long prio = 0, seq = 0, seq2 = 0, usec = 0, unused;
	char flags = 0;

	check("a line written to /dev/kmsg comes back as a record", write_and_find(1, rec, sizeof(rec)) == 0,
	      "not found");
	check("the record reads PRIO,SEQ,MICROSECONDS,FLAGS;text",
	      parse_record(rec, &prio, &seq, &usec, &flags) && flags == '-', "got \"%s\"", rec);
	check_eq("<6> from a program: level 6, facility user (14)", prio, 14);
	check("a second record has a later sequence number",
	      write_and_find(2, rec2, sizeof(rec2)) == 0 && parse_record(rec2, &unused, &seq2, &unused, &flags) && seq2 > seq,
	      "seq %lu then \"%s\"", seq, rec2);

	int n = klogctl(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf));
	char want[128];
	snprintf(want, sizeof(want), "] %s 2 pid %d\n", MARK, (int)getpid());
	buf[n > 0 ? n : 0] = '\0';
	char *at = n > 0 ? strstr(buf, want) : NULL;
	char *line = at;
	while (line && line > buf && line[-1] != '\n')
		line--;
	check("READ_ALL has it as <14>[seconds.micros] text", at && strncmp(line, "<14>[", 5) == 0 &&
	      at[-7] == '.', "read %d bytes, line \"%.60s\"", n, line ? line : "(none)");
	/* Only now, and with room for a whole line: READ_ALL copies the newest
	 * lines that fit, and with none (nothing since the last clear, or a
	 * newest line longer than len) Linux answers 0 without touching buf. */
	check_errno("READ_ALL into a bad pointer: EFAULT", klogctl(SYSLOG_ACTION_READ_ALL, (char *)1, 4096), EFAULT);
}

static void test_kmsg_file(void)
{
	char small[4];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (!check_ok("open /dev/kmsg", fd))
		return;
	check_errno("read into 4 bytes: EINVAL (a record is read whole)", read(fd, small, sizeof(small)), EINVAL);
	check_eq("lseek(0, SEEK_END) answers 0", lseek(fd, 0, SEEK_END), 0);
	check_errno("past the newest record, O_NONBLOCK: EAGAIN", read(fd, buf, sizeof(buf)), EAGAIN);
	check_errno("lseek to an offset: ESPIPE", lseek(fd, 5, SEEK_SET), ESPIPE);
	check_errno("lseek SEEK_CUR: EINVAL", lseek(fd, 0, SEEK_CUR), EINVAL);
	check_eq("lseek(0, SEEK_SET): back to the oldest record", lseek(fd, 0, SEEK_SET), 0);
	check("then a record can be read", read(fd, buf, sizeof(buf)) > 0, "errno %s", errno_name(errno));
	check_errno("read into a bad pointer: EFAULT", read(fd, (void *)1, 4096), EFAULT);
	close(fd);
	fd = open("/dev/kmsg", O_WRONLY);
	check_errno("write from a bad pointer: EFAULT", write(fd, (void *)1, 10), EFAULT);
	close(fd);
}

static void test_syslog_errors(void)
{
	check("SIZE_BUFFER is the log's size", klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) > 0, "errno %s",
	      errno_name(errno));
	check_eq("READ_ALL of 0 bytes: 0", klogctl(SYSLOG_ACTION_READ_ALL, buf, 0), 0);
	check_errno("READ_ALL into NULL: EINVAL", klogctl(SYSLOG_ACTION_READ_ALL, NULL, 10), EINVAL);
	check_errno("READ_ALL of -1 bytes: EINVAL", klogctl(SYSLOG_ACTION_READ_ALL, buf, -1), EINVAL);
	check_errno("READ into NULL: EINVAL", klogctl(SYSLOG_ACTION_READ, NULL, 10), EINVAL);
	check_errno("CONSOLE_LEVEL 0: EINVAL", klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0), EINVAL);
	check_errno("CONSOLE_LEVEL 9: EINVAL", klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9), EINVAL);
	check_errno("action 11: EINVAL", klogctl(11, NULL, 0), EINVAL);
	check_errno("action -1: EINVAL", klogctl(-1, NULL, 0), EINVAL);
	check_eq("OPEN and CLOSE do nothing", klogctl(SYSLOG_ACTION_OPEN, NULL, 0) | klogctl(SYSLOG_ACTION_CLOSE, NULL, 0), 0);
}

/* What takes the log from other readers: sysgate only. */
static void test_clear_and_read(void)
{
	char rec[512];

	if (!on_sysgate()) {
		t_skip("CLEAR, READ_CLEAR and READ", "they would clear or consume the host's kernel log");
		return;
	}
	check_eq("CLEAR", klogctl(SYSLOG_ACTION_CLEAR, NULL, 0), 0);
	write_and_find(3, rec, sizeof(rec));
	int n = klogctl(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf));
	buf[n > 0 ? n : 0] = '\0';
	check("after CLEAR, READ_ALL starts after it: the marker, not the boot banner",
	      strstr(buf, MARK " 3") && !strstr(buf, "a teaching kernel"), "got %d bytes: %.80s", n, buf);
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ssize_t got_rec = fd >= 0 && lseek(fd, 0, SEEK_DATA) == 0 ? read(fd, rec, sizeof(rec) - 1) : -1;
	rec[got_rec > 0 ? got_rec : 0] = '\0';
	check("SEEK_DATA of /dev/kmsg: the first record after the clear", strstr(rec, MARK " 3") != NULL,
	      "got \"%s\"", rec);
	close(fd);
	n = klogctl(SYSLOG_ACTION_READ_CLEAR, buf, sizeof(buf));
	check("READ_CLEAR reads, then clears", n > 0 && klogctl(SYSLOG_ACTION_READ_ALL, buf, sizeof(buf)) == 0,
	      "read %d", n);
	int unread = klogctl(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0);
	check("SIZE_UNREAD: what READ has not taken", unread > 0, "%d", unread);
	int got = 0;
	while (klogctl(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) > 0 && got < unread + 4096) {
		n = klogctl(SYSLOG_ACTION_READ, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += n;
	}
	check("READ takes it all: SIZE_UNREAD back to 0", klogctl(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) == 0 &&
	      got >= unread, "read %d of %d", got, unread);
}

static void open_close_kmsg(void)
{
	for (int i = 0; i < 100; i++)
		close(open("/dev/kmsg", O_RDONLY));
}

int main(void)
{
	t_begin("syslog");
	if (on_sysgate())
		t_leak_test("100 opens of /dev/kmsg: nothing leaked", open_close_kmsg);
	else
		t_skip("leaks", "sysgate only");
	test_syslog_errors();
	test_kmsg_file();
	test_kmsg_records();
	test_clear_and_read();
	return t_end();
}
