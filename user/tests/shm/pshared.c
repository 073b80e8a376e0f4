/*
 * shm: the process-shared mutex, condition variable and ring; POSIX shared memory; leaks (course
 * section: shared memory;  bad-input catalogue "SysV shared memory" 25-27). One part of the shm
 * test: main.c runs it.
 */
#include "shm.h"

/* ---- the process-shared mutex, condition variable and ring ------------------------------------ */

#define ADDERS 3
#define ADDS 20000

void add_many(struct counter *c)
{
	for (int i = 0; i < ADDS; i++) {
		shared_mutex_lock(&c->lock);
		long v = c->count; /* a read-modify-write that only the lock protects */
		if ((i & 1023) == 0)
			sched_yield(); /* give the others a chance to find it locked */
		c->count = v + 1;
		shared_mutex_unlock(&c->lock);
	}
	_exit(0);
}

void test_mutex(void)
{
	struct counter *c = shared_page(PAGE);
	pid_t kids[ADDERS];
	int ok = 1;

	shared_mutex_init(&c->lock);
	check_eq("trylock of a free mutex", shared_mutex_trylock(&c->lock), 0);
	check_eq("trylock of a held mutex: EBUSY", shared_mutex_trylock(&c->lock), EBUSY);
	shared_mutex_unlock(&c->lock);
	for (int i = 0; i < ADDERS; i++) {
		kids[i] = t_fork();
		if (kids[i] == 0)
			add_many(c);
	}
	for (int i = 0; i < ADDERS; i++)
		ok &= t_wait(kids[i], T_WAIT_TICKS * 4) == 0;
	check("three processes add under the shared mutex", ok, "a child failed");
	check_eq("no increment was lost", c->count, (long)ADDERS * ADDS);
	check_eq("the mutex is free at the end", c->lock.state, 0);
	munmap(c, PAGE);
}

/* Ping-pong: parent and child take turns through a condition variable. */
#define ROUNDS 2000

void take_turns(struct counter *c, int me)
{
	for (int i = 0; i < ROUNDS; i++) {
		shared_mutex_lock(&c->lock);
		while (c->turn != me)
			shared_cond_wait(&c->turn_changed, &c->lock);
		c->count++;
		c->turn = !me;
		shared_mutex_unlock(&c->lock);
		shared_cond_broadcast(&c->turn_changed);
	}
}

void test_cond(void)
{
	struct counter *c = shared_page(PAGE);

	shared_mutex_init(&c->lock);
	shared_cond_init(&c->turn_changed);
	c->turn = 0;
	c->count = 0;
	pid_t pid = t_fork();
	if (pid == 0) {
		take_turns(c, 1);
		_exit(0);
	}
	take_turns(c, 0);
	check_exited("parent and child take 2000 turns each through a shared condvar", t_wait(pid, T_WAIT_TICKS * 4), 0);
	check_eq("every turn was counted", c->count, 2 * ROUNDS);
	munmap(c, PAGE);
}

/* 1,000,000 numbered messages through a ring in a SysV segment, between
 * two children: the consumer checks each is the next one -- none lost,
 * none twice -- and leaves its findings in `noted` for us to check. We do
 * not attach the segment ourselves, so this process's memory is unchanged
 * for the final leak check. */
#define MESSAGES 1000000
#define RING_SLOTS 4096
#define BATCH 256

struct shared_ring *attach_ring(int id)
{
	struct shared_ring *r = shmat(id, NULL, 0);
	if (r == (void *)-1)
		_exit(2);
	return r;
}

void produce(long id)
{
	struct shared_ring *r = attach_ring((int)id);
	uint64_t batch[BATCH];
	for (uint64_t next = 0; next < MESSAGES;) {
		size_t n = 0;
		while (n < BATCH && next + n < MESSAGES) {
			batch[n] = next + n;
			n++;
		}
		for (size_t done = 0; done < n;)
			done += shared_ring_put(r, batch + done, n - done);
		next += n;
	}
	_exit(0);
}

void consume(long id)
{
	struct shared_ring *r = attach_ring((int)id);
	uint64_t batch[BATCH], expect = 0;
	while (expect < MESSAGES) {
		size_t n = shared_ring_get(r, batch, BATCH);
		noted->ring_gets++;
		for (size_t i = 0; i < n; i++, expect++)
			noted->ring_wrong += batch[i] != expect;
	}
	noted->ring_left = (long)(r->put - r->got);
	_exit(0);
}

pid_t start_child(void (*fn)(long), long arg)
{
	pid_t pid = t_fork();
	if (pid == 0)
		fn(arg);
	return pid;
}

void init_ring(long id)
{
	shared_ring_init(attach_ring((int)id), RING_SLOTS, sizeof(uint64_t));
	_exit(0);
}

void test_ring(void)
{
	int id = new_segment(shared_ring_size(RING_SLOTS, sizeof(uint64_t)));
	int st_producer, st_consumer;

	if (!check("a ring in a SysV segment", id >= 0 && run_child(init_ring, id) == 0, "got %s", errno_name(errno)))
		return;
	noted->ring_gets = noted->ring_wrong = noted->ring_left = 0;
	pid_t consumer = start_child(consume, id), producer = start_child(produce, id);
	/* A long run under emulation: blocking waits, no give-up timeout. */
	waitpid(producer, &st_producer, 0);
	waitpid(consumer, &st_consumer, 0);
	check_exited("the producer put 1,000,000 messages", st_producer, 0);
	check_exited("the consumer took 1,000,000 messages", st_consumer, 0);
	check_eq("all of them, in order, none lost or repeated", noted->ring_wrong, 0);
	check_eq("and nothing is left over", noted->ring_left, 0);
	check("they moved in batches", noted->ring_gets < MESSAGES, "%ld gets", noted->ring_gets);
	remove_noted();
}

/* ---- POSIX shared memory ------------------------------------------------------------------------ */

void test_posix_shm(void)
{
	char name[64];
	struct stat st;

	snprintf(name, sizeof(name), "/sysgate-shm-test-%d", getpid());
	check("/dev/shm is a directory", stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode), "it is not");
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (!check("shm_open O_CREAT|O_EXCL", fd >= 0, "got -1 %s", errno_name(errno)))
		return;
	check("the descriptor is close-on-exec", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "it is not");
	check_errno("shm_open O_CREAT|O_EXCL again: EEXIST", shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	check_eq("ftruncate gives it a size", ftruncate(fd, 2 * PAGE), 0);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (check("mmap MAP_SHARED", p != MAP_FAILED, "got -1 %s", errno_name(errno))) {
		p[0] = 'P';
		pid_t pid = t_fork();
		if (pid == 0) { /* an unrelated-style open: by name, a mapping of its own */
			int cfd = shm_open(name, O_RDWR, 0);
			char *c = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, 0);
			if (c == MAP_FAILED)
				_exit(2);
			int ok = c[0] == 'P';
			c[PAGE] = 'C';
			_exit(ok ? 0 : 1);
		}
		check_exited("another process opens it by name and sees our write", t_wait(pid, T_WAIT_TICKS), 0);
		check_eq("its write reaches our mapping", p[PAGE], 'C');
		char c = 0;
		pread(fd, &c, 1, PAGE);
		check_eq("and read() of the object", c, 'C');
		munmap(p, 2 * PAGE);
	}
	close(fd);
	check_eq("shm_unlink", shm_unlink(name), 0);
	check_errno("shm_open of the removed name: ENOENT", shm_open(name, O_RDWR, 0), ENOENT);
	check_errno("shm_unlink again: ENOENT", shm_unlink(name), ENOENT);
	check_errno("a name with a '/' inside: EINVAL", shm_open("/a/b", O_RDWR | O_CREAT, 0600), EINVAL);
	check_errno("an empty name: EINVAL", shm_open("/", O_RDWR | O_CREAT, 0600), EINVAL);
	char long_name[300];
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[0] = '/';
	long_name[sizeof(long_name) - 1] = 0;
	check_errno("a name over NAME_MAX: ENAMETOOLONG", shm_open(long_name, O_RDWR | O_CREAT, 0600), ENAMETOOLONG);
}

/* ---- leaks ------------------------------------------------------------------------------------- */

void churn(void)
{
	for (int i = 0; i < 20; i++) {
		int id = new_segment(4 * PAGE);
		char *p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			continue;
		p[0] = p[3 * PAGE] = 1;
		mprotect(p + PAGE, PAGE, PROT_READ);
		pid_t pid = t_fork();
		if (pid == 0) {
			p[PAGE * 2] = 2;
			_exit(0);
		}
		t_wait(pid, T_WAIT_TICKS);
		shmctl(id, IPC_RMID, NULL);
		shmdt(p);
	}
	noted->count = 0;
}

void test_leaks(void)
{
	t_leak_test("segments made, attached, split, forked and removed: nothing leaked", churn);
}
