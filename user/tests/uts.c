/*
 * The system's names: uname, sethostname, setdomainname and
 * /proc/sys/kernel/{ostype,osrelease,version,hostname,domainname} (course
 * sections: syscall basics; privilege).
 *
 * The same checks run on Linux: the /proc files say what uname says, an
 * ordinary user may not rename the machine (EPERM), and bad lengths and
 * pointers get Linux's errnos. On sysgate only (it would rename the host)
 * root renames it, by the syscall and by writing the /proc file.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>

#include "testlib.h"

int sethostname(const char *name, int len);
int setdomainname(const char *name, int len);

static char line[128];

/* The /proc file's first line, without its line feed. */
static const char *proc_line(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, line, sizeof(line) - 1) : -1;
	close(fd);
	line[n > 0 ? n : 0] = 0;
	char *nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	return line;
}

static void test_proc_matches_uname(void)
{
	struct utsname u;
	uname(&u);
	check("uname: sysname Linux", !strcmp(u.sysname, "Linux"), "%s", u.sysname);
	check("kernel/ostype is uname's sysname", !strcmp(proc_line("/proc/sys/kernel/ostype"), u.sysname), "%s", line);
	check("kernel/osrelease is uname's release", !strcmp(proc_line("/proc/sys/kernel/osrelease"), u.release), "%s",
	      line);
	check("kernel/version is uname's version", !strcmp(proc_line("/proc/sys/kernel/version"), u.version), "%s", line);
	check("kernel/hostname is uname's nodename", !strcmp(proc_line("/proc/sys/kernel/hostname"), u.nodename), "%s",
	      line);
	check("kernel/domainname is uname's", !strcmp(proc_line("/proc/sys/kernel/domainname"), u.domainname), "%s",
	      line);
}

static void as_user(long unused)
{
	(void)unused;
	if (setresgid(4000, 4000, 4000) || setresuid(4000, 4000, 4000))
		_exit(98);
	check_errno("user: sethostname: EPERM", sethostname("x", 1), EPERM);
	check_errno("user: setdomainname: EPERM", setdomainname("x", 1), EPERM);
	_exit(t_end());
}

static void test_rename(void)
{
	check_errno("sethostname of 65 bytes: EINVAL", sethostname("x", 65), EINVAL);
	check_errno("sethostname of -1 bytes: EINVAL", sethostname("x", -1), EINVAL);
	check_errno("sethostname from a bad pointer: EFAULT", sethostname((const char *)8, 4), EFAULT);
	if (!on_sysgate()) {
		t_skip("renaming the machine", "it would rename the host");
		return;
	}
	struct utsname before, u;
	uname(&before);
	check_ok("sethostname(\"lab-7\", 5)", sethostname("lab-7xyz", 5));
	uname(&u);
	check("uname's nodename follows", !strcmp(u.nodename, "lab-7"), "%s", u.nodename);
	check("... and kernel/hostname", !strcmp(proc_line("/proc/sys/kernel/hostname"), "lab-7"), "%s", line);
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	write(fd, "bench\n", 6);
	close(fd);
	uname(&u);
	check("writing kernel/hostname renames it (without the line feed)", !strcmp(u.nodename, "bench"), "%s",
	      u.nodename);
	check_ok("setdomainname", setdomainname("course", 6));
	uname(&u);
	check("uname's domainname follows", !strcmp(u.domainname, "course"), "%s", u.domainname);
	check_errno("kernel/osrelease cannot be opened for writing: EACCES", open("/proc/sys/kernel/osrelease", O_WRONLY),
		    EACCES);
	sethostname(before.nodename, (int)strlen(before.nodename));
	setdomainname(before.domainname, (int)strlen(before.domainname));
}

int main(void)
{
	t_begin("uts");
	test_proc_matches_uname();
	check_exited("an ordinary user", run_child(as_user, 0), 0);
	test_rename();
	return t_end();
}
