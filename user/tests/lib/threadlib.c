/* threadlib: see threadlib.h (course section: kernel architecture -- what a task is). */
#include "threadlib.h"
#include "testlib.h"
#include <fcntl.h>

char t_stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
int t_tids[MAX_THREADS];

long t_futex(int *word, int op, int val)
{
	return raw_syscall(SYS_futex, (long)word, op, val, 0, 0, 0);
}

int t_spawn(int slot, int (*fn)(void *), void *arg)
{
	return clone(fn, t_stacks[slot] + STACK_SIZE, THREAD_FLAGS, arg, &t_tids[slot], NULL, &t_tids[slot]);
}

/* pthread_join's wait: until the kernel zeroes the tid word. */
void t_join(int slot)
{
	int tid;
	while ((tid = __atomic_load_n(&t_tids[slot], __ATOMIC_SEQ_CST)) != 0)
		t_futex(&t_tids[slot], FUTEX_WAIT, tid);
}

long t_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}
