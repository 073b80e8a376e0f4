/*
 * mmapdemo: two processes talking through a mapped file (course section:
 * shared memory, "mmap file communication").
 *
 * The parent creates /tmp/mmapdemo.PID, one page long, and maps it
 * MAP_SHARED. The child opens the same file by name and maps it itself --
 * a mapping of its own, made after the fork, like an unrelated program's.
 * Both mappings show the file's page: the very frame the filesystem holds
 * it in. So they can talk through it: the parent writes a question, the
 * child answers in the same page, five times over. A turn word in the page
 * tells whose turn it is, and a futex on that word lets the waiting side
 * sleep (the kernel finds the sleeper by the word's physical address, the
 * same in both processes). At the end read() of the file shows the last
 * answer -- no msync needed, the file is that memory -- and a MAP_PRIVATE
 * mapping shows that a private write stays out of the file. Page faults
 * are counted along the way (minflt, field 10 of /proc/self/stat): mmap
 * only reserves addresses; the first touch of a page is a fault in which the
 * kernel maps the file's page, and the first write to a private mapping is
 * a copy-on-write fault in which it copies that page for this process.
 * Runs to the end by itself and exits 0 if every answer arrived.
 */
#include <fcntl.h>
#include <futex_sync.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define ROUNDS 5

/* The layout both processes agree on for the file's page. */
struct page {
	uint32_t turn; /* 0: the parent may write, 1: the child may */
	char text[PAGE - sizeof(uint32_t)];
};

static void wait_for_turn(struct page *p, uint32_t me)
{
	uint32_t seen;
	while ((seen = __atomic_load_n(&p->turn, __ATOMIC_SEQ_CST)) != me)
		futex_wait(&p->turn, seen, NULL); /* sleeps unless the turn changed meanwhile */
}

static void give_turn(struct page *p, uint32_t to)
{
	__atomic_store_n(&p->turn, to, __ATOMIC_SEQ_CST);
	futex_wake(&p->turn, 1);
}

/* The page faults the kernel resolved for us so far (minflt). */
static long minflt(void)
{
	char buf[512];
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	for (int field = 2; p && field < 10; field++)
		p = strchr(p + 1, ' ');
	return p ? atol(p + 1) : -1;
}

static struct page *map_page(const char *path, int flags)
{
	int fd = open(path, O_RDWR);
	if (fd < 0)
		return NULL;
	struct page *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, flags, fd, 0);
	close(fd); /* the mapping keeps the file open */
	return p == MAP_FAILED ? NULL : p;
}

static int child(const char *path)
{
	struct page *p = map_page(path, MAP_SHARED);
	if (!p) {
		perror("child: mmap");
		return 1;
	}
	printf("child  (pid %d): opened %s and mapped it at %p\n", getpid(), path, (void *)p);
	for (int i = 0; i < ROUNDS; i++) {
		wait_for_turn(p, 1);
		char answer[64];
		snprintf(answer, sizeof(answer), "answer %d (to \"%.20s\")", i, p->text);
		printf("child  reads \"%s\" at %p, writes \"%s\"\n", p->text, (void *)p->text, answer);
		strcpy(p->text, answer);
		give_turn(p, 0);
	}
	munmap(p, PAGE);
	return 0;
}

/* What read() says the file holds now, past the turn word. */
static void show_file(const char *path, const char *when)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	pread(fd, buf, sizeof(buf) - 1, sizeof(uint32_t));
	close(fd);
	printf("parent read() of the file %s: \"%s\"\n", when, buf);
}

int main(void)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/mmapdemo.%d", getpid());
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, PAGE) < 0) {
		perror(path);
		return 1;
	}
	close(fd);
	struct page *p = map_page(path, MAP_SHARED);
	if (!p) {
		perror("mmap");
		return 1;
	}
	printf("parent (pid %d): created %s (%d bytes), mapped MAP_SHARED at %p\n", getpid(), path, PAGE, (void *)p);
	long faults = minflt();
	__atomic_store_n(&p->turn, 0, __ATOMIC_SEQ_CST);
	printf("parent: the first write into the mapping: %ld page fault(s) (minflt). mmap only reserves\n"
	       "        addresses; the kernel maps the file's page at the first touch (or ahead, at mmap)\n",
	       minflt() - faults);
	printf("parent: from now on each side sleeps in FUTEX_WAIT on the turn word until the other\n"
	       "        side's FUTEX_WAKE: the kernel finds the sleeper by the word's physical address\n");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child(path));
	int answers = 0;
	for (int i = 0; i < ROUNDS; i++) {
		snprintf(p->text, sizeof(p->text), "question %d", i);
		printf("parent writes \"%s\" at %p\n", p->text, (void *)p->text);
		give_turn(p, 1);
		wait_for_turn(p, 0);
		char want[16];
		snprintf(want, sizeof(want), "answer %d", i);
		answers += strncmp(p->text, want, strlen(want)) == 0;
		printf("parent reads \"%s\"\n", p->text);
	}
	int status;
	waitpid(pid, &status, 0);
	show_file(path, "after the talk");

	struct page *mine = map_page(path, MAP_PRIVATE);
	if (mine) {
		long before_read = minflt();
		volatile char first = mine->text[0];
		long before_write = minflt();
		(void)first;
		strcpy(mine->text, "a private scribble");
		long after_write = minflt();
		printf("parent wrote \"%s\" into a MAP_PRIVATE mapping at %p (a copy-on-write copy)\n", mine->text,
		       (void *)mine);
		printf("parent: reading it first was %ld fault(s): the file's own page, mapped read-only;\n"
		       "        the write was %ld more (copy on write): the kernel copied the page for us alone\n",
		       before_write - before_read, after_write - before_write);
		show_file(path, "after it");
		munmap(mine, PAGE);
	}
	munmap(p, PAGE);
	unlink(path);
	printf("parent: %d of %d answers arrived; child %s\n", answers, ROUNDS,
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "exited 0" : "failed");
	return answers == ROUNDS && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
