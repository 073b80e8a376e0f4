/* C library: klogctl, the syslog(2) syscall (course section: the kernel's own tools). */
#include <sys/klog.h>

#include "syscall_arch.h"
#include "syscall_headers.h"

int klogctl(int type, char *buf, int len)
{
	return (int)__syscall_ret(__syscall3(__NR_syslog, type, (long)buf, len));
}
