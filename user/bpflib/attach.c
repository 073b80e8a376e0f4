/*
 * Attaching a loaded program to the event that runs it (course section:
 * advanced eBPF tracing).
 *
 * A loaded program runs only once something calls it:
 *   - a tracepoint program: open the tracepoint as a perf event
 *     (perf_event_open, type PERF_TYPE_TRACEPOINT, config = the event's id
 *     from tracefs), hand it the program (ioctl PERF_EVENT_IOC_SET_BPF) and
 *     enable it. The program then runs on every CPU each time the event
 *     fires; the perf event's fd is the attachment: closing it detaches.
 *   - a raw tracepoint program: bpf(BPF_RAW_TRACEPOINT_OPEN, name) gives an
 *     fd that is the attachment.
 *     A name ending in '*' attaches the one program to every matching
 *     event (syscalls/sys_enter_*: each syscall's entry), an fd each.
 *   - a kprobe program: a kprobe perf event, through the kprobe PMU
 *     (/sys/bus/event_source/devices/kprobe/type; the function's name in
 *     config1), or else a kprobe made in tracefs's kprobe_events, which is
 *     then a tracepoint like the others.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi/perf_event.h"
#include "bpflib.h"

#define TRACEFS "/sys/kernel/tracing/"
#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe/"
#define KRETPROBE_BIT 1 /* config bit 0, as KPROBE_PMU "format/retprobe" says */

/* A small number read from a text file, or -errno. */
static long read_number(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	return strtol(buf, NULL, 10);
}

int tracepoint_id(const char *category_and_name)
{
	char path[256];
	snprintf(path, sizeof(path), TRACEFS "events/%s/id", category_and_name);
	return (int)read_number(path);
}

int raw_tracepoint_available(const char *name)
{
	int prog = bpf_prog_load_trivial(BPF_PROG_TYPE_RAW_TRACEPOINT);
	if (prog < 0)
		return 0;
	int link = bpf_raw_tracepoint_open(name, prog);
	if (link >= 0)
		close(link);
	close(prog);
	return link >= 0;
}

int kprobes_available(void)
{
	return access(KPROBE_PMU "type", R_OK) == 0 || access(TRACEFS "kprobe_events", W_OK) == 0;
}

static int perf_open(struct perf_event_attr *a)
{
	a->size = sizeof(*a);
	a->sample_period = 1;
	a->wakeup_events = 1;
	/* pid -1, cpu 0: the event for every task; the program runs on any CPU. */
	long fd = syscall(SYS_perf_event_open, a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : (int)fd;
}

/* Keeps fd as one of the program's attachments (closed on error). */
static int add_link(struct bpf_obj_prog *prog, int fd)
{
	int *more = realloc(prog->links, sizeof(int) * (size_t)(prog->n_links + 1));
	if (!more) {
		close(fd);
		return -ENOMEM;
	}
	prog->links = more;
	prog->links[prog->n_links++] = fd;
	return 0;
}

/* Gives the perf event the program and starts it; the event's fd becomes a link. */
static int set_bpf(struct bpf_obj_prog *prog, int event_fd)
{
	if (ioctl(event_fd, PERF_EVENT_IOC_SET_BPF, prog->fd) < 0 || ioctl(event_fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		int err = -errno;
		fprintf(stderr, "bpf: %s: attaching to its perf event: %s\n", prog->name, strerror(-err));
		close(event_fd);
		return err;
	}
	return add_link(prog, event_fd);
}

static int attach_tracepoint_id(struct bpf_obj_prog *prog, int id)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.config = (uint64_t)id;
	int fd = perf_open(&a);
	if (fd < 0) {
		fprintf(stderr, "bpf: %s: perf_event_open of tracepoint %d: %s\n", prog->name, id, strerror(-fd));
		return fd;
	}
	return set_bpf(prog, fd);
}

static int attach_tracepoint(struct bpf_obj_prog *prog, const char *event)
{
	int id = tracepoint_id(event);
	if (id < 0) {
		fprintf(stderr, "bpf: %s: no tracepoint %s (" TRACEFS "events/%s/id: %s)\n", prog->name, event, event,
			strerror(-id));
		return id;
	}
	return attach_tracepoint_id(prog, id);
}

/* "syscalls/sys_enter_*": every event of the category whose name has the prefix. */
static int attach_tracepoints_matching(struct bpf_obj_prog *prog, const char *pattern)
{
	char dir_path[256], event[256];
	const char *slash = strchr(pattern, '/');
	if (!slash)
		return -EINVAL;
	int cat_len = (int)(slash - pattern);
	size_t prefix_len = strlen(slash + 1) - 1; /* without the '*' */
	snprintf(dir_path, sizeof(dir_path), TRACEFS "events/%.*s", cat_len, pattern);
	DIR *d = opendir(dir_path);
	if (!d) {
		fprintf(stderr, "bpf: %s: no tracepoints %s\n", prog->name, dir_path);
		return -ENOENT;
	}
	int err = 0;
	struct dirent *e;
	while (!err && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, slash + 1, prefix_len) != 0 || e->d_name[0] == '.')
			continue;
		snprintf(event, sizeof(event), "%.*s/%s", cat_len, pattern, e->d_name);
		err = attach_tracepoint(prog, event);
	}
	closedir(d);
	if (!err && prog->n_links == 0)
		err = -ENOENT;
	return err;
}

static int attach_raw_tracepoint(struct bpf_obj_prog *prog, const char *name)
{
	int fd = bpf_raw_tracepoint_open(name, prog->fd);
	if (fd < 0) {
		fprintf(stderr, "bpf: %s: BPF_RAW_TRACEPOINT_OPEN %s: %s\n", prog->name, name, strerror(-fd));
		return fd;
	}
	return add_link(prog, fd);
}

/* Through tracefs: "p:bpflib/NAME FUNC" (or "r:" for a return probe) in kprobe_events. */
static int attach_kprobe_tracefs(struct bpf_obj_prog *prog, const char *func, int ret)
{
	char line[200], event[128];
	snprintf(prog->kprobe_event, sizeof(prog->kprobe_event), "bpflib/%s_%d", prog->name, getpid());
	snprintf(line, sizeof(line), "%c:%s %s\n", ret ? 'r' : 'p', prog->kprobe_event, func);
	int fd = open(TRACEFS "kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || write(fd, line, strlen(line)) < 0) {
		int err = -errno;
		fprintf(stderr, "bpf: %s: kprobe on %s: %s\n", prog->name, func, strerror(-err));
		if (fd >= 0)
			close(fd);
		prog->kprobe_event[0] = 0;
		return err;
	}
	close(fd);
	snprintf(event, sizeof(event), "%s", prog->kprobe_event);
	return attach_tracepoint(prog, event);
}

int bpf_program_attach_kprobe(struct bpf_obj_prog *prog, const char *func, int ret)
{
	long type = read_number(KPROBE_PMU "type");
	if (type < 0)
		return access(TRACEFS "kprobe_events", W_OK) == 0 ? attach_kprobe_tracefs(prog, func, ret) : -EOPNOTSUPP;
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = (uint32_t)type;
	a.config = ret ? KRETPROBE_BIT : 0;
	a.config1 = (uint64_t)(uintptr_t)func; /* the function's name */
	a.config2 = 0;                          /* offset into it */
	int fd = perf_open(&a);
	if (fd < 0) {
		fprintf(stderr, "bpf: %s: kprobe on %s: %s\n", prog->name, func, strerror(-fd));
		return fd;
	}
	return set_bpf(prog, fd);
}

int bpf_program_attach(struct bpf_obj_prog *prog)
{
	const char *s = prog->section, *slash = strchr(s, '/');
	if (prog->fd < 0)
		return -EBADF;
	const char *rest = slash ? slash + 1 : "";
	size_t n = strlen(rest);
	if (prog->type == BPF_PROG_TYPE_TRACEPOINT && n > 0 && rest[n - 1] == '*')
		return attach_tracepoints_matching(prog, rest);
	if (prog->type == BPF_PROG_TYPE_TRACEPOINT)
		return attach_tracepoint(prog, rest);
	if (prog->type == BPF_PROG_TYPE_RAW_TRACEPOINT)
		return attach_raw_tracepoint(prog, rest);
	if (prog->type == BPF_PROG_TYPE_KPROBE)
		return bpf_program_attach_kprobe(prog, rest, strncmp(s, "kretprobe/", 10) == 0);
	return -EOPNOTSUPP; /* a socket filter is attached with setsockopt by its user */
}

int bpf_object_attach(struct bpf_object *obj)
{
	for (int i = 0; i < obj->n_progs; i++) {
		if (obj->progs[i].fd < 0)
			continue;
		int err = bpf_program_attach(&obj->progs[i]);
		if (err)
			return err;
	}
	return 0;
}

void bpf_program_detach(struct bpf_obj_prog *prog)
{
	for (int i = 0; i < prog->n_links; i++)
		close(prog->links[i]);
	free(prog->links);
	prog->links = NULL;
	prog->n_links = 0;
	if (prog->kprobe_event[0]) {
		char line[100];
		snprintf(line, sizeof(line), "-:%s\n", prog->kprobe_event);
		int fd = open(TRACEFS "kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd >= 0) {
			write(fd, line, strlen(line));
			close(fd);
		}
		prog->kprobe_event[0] = 0;
	}
}
