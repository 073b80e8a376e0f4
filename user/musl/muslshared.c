/*
 * A counter shared through mmap(MAP_SHARED | MAP_ANONYMOUS), from a musl
 * program (course section: shared memory).
 *
 * Parent and child increment one counter in turn, handing the turn over
 * through the shared page itself (a "whose turn" word, waited on with
 * sched_yield). Both must see every increment: the page is the same frame
 * in both address spaces, not a copy-on-write copy.
 */
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
	volatile int turn; /* 0: parent, 1: child */
	volatile long counter;
};

int main(void)
{
	struct shared *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	long *private_copy = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	*private_copy = 7;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 100; i++) {
			while (s->turn != 1)
				sched_yield();
			s->counter++;
			s->turn = 0;
		}
		*private_copy = 99; /* the parent must not see this */
		_exit(0);
	}
	for (int i = 0; i < 100; i++) {
		while (s->turn != 0)
			sched_yield();
		s->counter++;
		s->turn = 1;
	}
	while (s->turn != 0)
		sched_yield();
	waitpid(pid, NULL, 0);
	printf("musl: shared counter = %ld (both processes counted)\n", s->counter);
	printf("musl: private page after the child wrote = %ld (copy on write)\n", *private_copy);
	return 0;
}
