/*
 * shmdemo: a producer and a consumer process sharing a ring buffer in a
 * System V shared memory segment (course section: shared memory).
 *
 * What to watch in the output:
 *   - the segment is made by shmget and has an id; it belongs to no process;
 *   - shmat maps it: the kernel picks an address in each process, and the
 *     same frames appear at every one of them (the child even has it twice);
 *   - shm_nattch, the kernel's count of attachments, follows each shmat,
 *     fork, shmdt and exit;
 *   - futex wait and wake, once, in slow motion: the consumer sleeps in
 *     FUTEX_WAIT on a word of the segment; the producer sees it asleep
 *     (/proc/PID/stat), changes the word and calls FUTEX_WAKE, which says
 *     how many it woke. The kernel matched the two calls by the word's
 *     physical address: the two processes map it at different addresses;
 *   - the two processes then pass 200,000 numbered messages through a ring
 *     in the segment. They take turns with futexes (<futex_sync.h>): a side
 *     enters the kernel only to sleep when the ring is full or empty, and the
 *     other side wakes it. Messages move in batches, so the switches are few.
 * Runs to the end by itself and exits 0 if no message was lost.
 */
#include <futex_sync.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define MESSAGES 200000
#define SLOTS 1024
#define BATCH 64

struct message {
	uint32_t seq;     /* 0, 1, 2, ...: the consumer checks none is missing */
	uint32_t payload; /* seq * 7, so the content is checked too */
};

static long nattch(int id)
{
	struct shmid_ds ds;
	return shmctl(id, IPC_STAT, &ds) < 0 ? -1 : (long)ds.shm_nattch;
}

/* Messages waiting in the ring, read without the lock: a statistic only. */
static uint64_t waiting(struct shared_ring *ring)
{
	return __atomic_load_n(&ring->put, __ATOMIC_RELAXED) - __atomic_load_n(&ring->got, __ATOMIC_RELAXED);
}

static void producer(struct shared_ring *ring)
{
	struct message batch[BATCH];
	long calls = 0, full = 0;
	for (uint32_t next = 0; next < MESSAGES;) {
		size_t n = 0;
		for (; n < BATCH && next + n < MESSAGES; n++)
			batch[n] = (struct message){ next + (uint32_t)n, (next + (uint32_t)n) * 7 };
		for (size_t done = 0; done < n; calls++) {
			full += waiting(ring) == ring->slots; /* it will sleep in FUTEX_WAIT */
			done += shared_ring_put(ring, batch + done, n - done);
		}
		next += (uint32_t)n;
	}
	printf("producer (pid %d): put %d messages in %ld calls; found the ring full (and slept) about %ld times\n",
	       getpid(), MESSAGES, calls, full);
}

/* Returns the number of messages that were missing or wrong. */
static long consumer(struct shared_ring *ring)
{
	struct message batch[BATCH];
	uint32_t expect = 0;
	long bad = 0, calls = 0, empty = 0;
	while (expect < MESSAGES) {
		empty += waiting(ring) == 0; /* it will sleep in FUTEX_WAIT */
		size_t n = shared_ring_get(ring, batch, BATCH);
		calls++;
		for (size_t i = 0; i < n; i++, expect++)
			bad += batch[i].seq != expect || batch[i].payload != expect * 7;
	}
	printf("consumer (pid %d): got %d messages in %ld calls, %ld wrong; found the ring empty (and slept) about "
	       "%ld times\n", getpid(), MESSAGES, calls, bad, empty);
	return bad;
}

/* The word of the futex demonstration: just past the ring, in the segment. */
static uint32_t *go_word(struct shared_ring *ring)
{
	return (uint32_t *)((char *)ring + shared_ring_size(SLOTS, sizeof(struct message)));
}

/* The consumer's side: sleep until the word is no longer 0. */
static void wait_for_go(struct shared_ring *ring)
{
	uint32_t *go = go_word(ring);
	printf("consumer: FUTEX_WAIT(%p, 0): asleep in the kernel while the word is 0\n", (void *)go);
	fflush(stdout);
	int r = futex_wait(go, 0, NULL);
	if (r == 0)
		printf("consumer: woken: FUTEX_WAIT returned 0, and the word is now %u\n", *go);
	else
		printf("consumer: the word was already %u: FUTEX_WAIT returned at once (EAGAIN), which is\n"
		       "          why it takes the value the caller saw: a wake-up is never lost\n", *go);
}

/* The state letter of pid in /proc/PID/stat: 'S' while it sleeps. */
static char state_of(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

/* The producer's side: wait (at most ~2 s) to see the consumer asleep, then
 * change the word and wake it. */
static void give_go(struct shared_ring *ring, pid_t consumer)
{
	struct timespec nap = { 0, 10000000 };
	char state = '?';
	for (int i = 0; i < 200 && (state = state_of(consumer)) != 'S'; i++)
		nanosleep(&nap, NULL);
	nanosleep(&nap, NULL); /* asleep in FUTEX_WAIT, not in its printf */
	uint32_t *go = go_word(ring);
	__atomic_store_n(go, 1, __ATOMIC_SEQ_CST);
	int woken = futex_wake(go, 1);
	printf("producer: saw the consumer in state %c, set the word at %p to 1, FUTEX_WAKE woke %d\n", state,
	       (void *)go, woken);
	fflush(stdout);
}

/* The child: it inherited the parent's attachment; attach again (a second
 * address, same frames), drop the inherited one, and consume. */
static int run_consumer(int id, struct shared_ring *inherited)
{
	struct shared_ring *mine = shmat(id, NULL, 0);
	if (mine == (void *)-1) {
		perror("consumer: shmat");
		return 1;
	}
	printf("consumer (pid %d): inherited the segment at %p (fork copies the address space)\n", getpid(),
	       (void *)inherited);
	printf("consumer: attached it again at %p; nattch is now %ld (parent 1, child 2)\n", (void *)mine, nattch(id));
	printf("consumer: at %p it sees the ring the parent set up: %u slots of %u bytes\n", (void *)mine,
	       mine->slots, mine->slot_size);
	shmdt(inherited);
	printf("consumer: shmdt(%p): nattch %ld\n", (void *)inherited, nattch(id));
	wait_for_go(mine);
	long bad = consumer(mine);
	shmdt(mine);
	return bad ? 1 : 0;
}

int main(void)
{
	size_t size = shared_ring_size(SLOTS, sizeof(struct message)) + sizeof(uint32_t); /* + the go word */
	int id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
	if (id < 0) {
		perror("shmget");
		return 1;
	}
	printf("shmget: segment id %d, %zu bytes (%zu pages); nattch %ld\n", id, size, (size + 4095) / 4096, nattch(id));
	struct shared_ring *ring = shmat(id, NULL, 0);
	if (ring == (void *)-1) {
		perror("shmat");
		shmctl(id, IPC_RMID, NULL);
		return 1;
	}
	/* Marked for removal now: it stays while attached, and goes by itself
	 * at the last detach -- even if we crash. */
	shmctl(id, IPC_RMID, NULL);
	shared_ring_init(ring, SLOTS, sizeof(struct message));
	printf("producer (pid %d): attached at %p; nattch %ld; IPC_RMID done, it goes at the last detach\n", getpid(),
	       (void *)ring, nattch(id));
	fflush(stdout);

	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0)
		_exit(run_consumer(id, ring));
	give_go(ring, pid);
	printf("producer: now the ring: each side enters the kernel only to sleep on a futex when the\n"
	       "          ring is full (producer) or empty (consumer), and the other side wakes it\n");
	fflush(stdout);
	producer(ring);
	int status;
	waitpid(pid, &status, 0);
	printf("producer: the consumer exited (%d); nattch %ld\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       nattch(id));
	shmdt(ring);
	printf("producer: shmdt: the last detach destroyed the segment (IPC_STAT now fails: %s)\n",
	       nattch(id) < 0 ? "yes" : "no");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
