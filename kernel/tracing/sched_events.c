/*
 * The scheduler's and the signal code's trace events (course section:
 * kernel debugging techniques).
 *
 * sched:sched_switch, sched_wakeup, sched_process_fork, sched_process_exec,
 * sched_process_exit; signal:signal_generate, signal_deliver. Each record
 * struct below has exactly the offsets its format file states (Linux's),
 * checked by _Static_assert; the print functions write the same text as
 * Linux's print fmt.
 *
 * The fork and exec events hold strings of any length as "__data_loc":
 * a 32-bit word whose high half is the length and low half the offset of
 * the bytes, which follow the fixed part of the record.
 */
#include "kernel/tracing/trace.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/proc/task.h"
#include "kernel/proc/thread_group.h"
#include "libc/include/string.h"

#define PRIO_NORMAL 120 /* Linux's prio of a nice-0 task */
#define COMM_LEN 16
/* Linux's prev_state bits: S, T, Z; TASK_REPORT_MAX marks a preempted task ("R+"). */
#define STATE_S 0x1
#define STATE_T 0x4
#define STATE_Z 0x20
#define STATE_PREEMPTED 0x100

static void comm_of(char *dst, const struct task *t)
{
	memset(dst, 0, COMM_LEN);
	strncpy(dst, t->name, COMM_LEN - 1);
}

/* A __data_loc string: copied after the fixed part at *end, which moves. */
static uint32_t put_string(void *rec, size_t *end, size_t cap, const char *s)
{
	size_t n = strlen(s) + 1;
	if (*end + n > cap)
		n = cap - *end;
	memcpy((char *)rec + *end, s, n);
	((char *)rec)[*end + n - 1] = 0;
	uint32_t loc = (uint32_t)(n << 16 | *end);
	*end += n;
	return loc;
}

static const char *get_string(const void *rec, size_t len, uint32_t loc)
{
	size_t off = loc & 0xffff, n = loc >> 16;
	if (off + n > len || n == 0)
		return "";
	return (const char *)rec + off;
}

#define EVENT(sys, nm, flds, fmt)                                                                       \
	struct trace_event tp_##nm = { .system = sys, .name = #nm, .fields = flds, .nfields = ARRAY_SIZE(flds), \
				       .print_fmt = fmt, .print = print_##nm, .syscall_nr = -1 }

/* --- sched_switch ------------------------------------------------------------------------------ */

struct rec_switch {
	struct trace_entry e;
	char prev_comm[COMM_LEN];
	int32_t prev_pid, prev_prio;
	int64_t prev_state;
	char next_comm[COMM_LEN];
	int32_t next_pid, next_prio;
};
_Static_assert(offsetof(struct rec_switch, prev_state) == 32 && offsetof(struct rec_switch, next_prio) == 60,
	       "Linux's sched_switch layout");

static const struct trace_field switch_fields[] = {
	{ "char prev_comm[16]", 8, 16, false }, { "pid_t prev_pid", 24, 4, true },
	{ "int prev_prio", 28, 4, true },        { "long prev_state", 32, 8, true },
	{ "char next_comm[16]", 40, 16, false }, { "pid_t next_pid", 56, 4, true },
	{ "int next_prio", 60, 4, true },
};

static const char *state_text(int64_t s)
{
	return s & STATE_S ? "S" : s & STATE_T ? "T" : s & STATE_Z ? "Z" : s & STATE_PREEMPTED ? "R+" : "R";
}

static void print_sched_switch(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_switch *s = r;
	tprintf(o, "prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%d next_prio=%d",
		s->prev_comm, s->prev_pid, s->prev_prio, state_text(s->prev_state), s->next_comm, s->next_pid,
		s->next_prio);
}

EVENT("sched", sched_switch, switch_fields,
      "\"prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s%s ==> next_comm=%s next_pid=%d next_prio=%d\", "
      "REC->prev_comm, REC->prev_pid, REC->prev_prio, (REC->prev_state & 0xff) ? __print_flags(REC->prev_state "
      "& 0xff, \"|\", { 0x01, \"S\" }, { 0x02, \"D\" }, { 0x04, \"T\" }, { 0x08, \"t\" }, { 0x10, \"X\" }, "
      "{ 0x20, \"Z\" }, { 0x40, \"P\" }, { 0x80, \"I\" }) : \"R\", REC->prev_state & 0x100 ? \"+\" : \"\", "
      "REC->next_comm, REC->next_pid, REC->next_prio");

void trace_sched_switch(struct task *prev, struct task *next)
{
	struct rec_switch r;
	comm_of(r.prev_comm, prev);
	comm_of(r.next_comm, next);
	r.prev_pid = prev->pid;
	r.next_pid = next->pid;
	r.prev_prio = r.next_prio = PRIO_NORMAL;
	r.prev_state = prev->state == TASK_SLEEPING ? STATE_S
		       : prev->state == TASK_STOPPED ? STATE_T
		       : prev->state == TASK_RUNNING ? STATE_PREEMPTED
						     : STATE_Z;
	trace_event_commit(&tp_sched_switch, &r, sizeof(r));
}

/* --- sched_wakeup ------------------------------------------------------------------------------ */

struct rec_wakeup {
	struct trace_entry e;
	char comm[COMM_LEN];
	int32_t pid, prio, target_cpu;
};

static const struct trace_field wakeup_fields[] = {
	{ "char comm[16]", 8, 16, false },
	{ "pid_t pid", 24, 4, true },
	{ "int prio", 28, 4, true },
	{ "int target_cpu", 32, 4, true },
};

static void print_sched_wakeup(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_wakeup *w = r;
	tprintf(o, "comm=%s pid=%d prio=%d target_cpu=%03d", w->comm, w->pid, w->prio, w->target_cpu);
}

EVENT("sched", sched_wakeup, wakeup_fields,
      "\"comm=%s pid=%d prio=%d target_cpu=%03d\", REC->comm, REC->pid, REC->prio, REC->target_cpu");

void trace_sched_wakeup(struct task *t)
{
	struct rec_wakeup r;
	comm_of(r.comm, t);
	r.pid = t->pid;
	r.prio = PRIO_NORMAL;
	r.target_cpu = 0;
	trace_event_commit(&tp_sched_wakeup, &r, sizeof(r));
}

/* --- sched_process_fork, sched_process_exec --------------------------------------------------- */

struct rec_fork {
	struct trace_entry e;
	uint32_t parent_comm;
	int32_t parent_pid;
	uint32_t child_comm;
	int32_t child_pid;
	char strings[2 * COMM_LEN];
};

static const struct trace_field fork_fields[] = {
	{ "__data_loc char[] parent_comm", 8, 4, false },
	{ "pid_t parent_pid", 12, 4, true },
	{ "__data_loc char[] child_comm", 16, 4, false },
	{ "pid_t child_pid", 20, 4, true },
};

static void print_sched_process_fork(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev;
	const struct rec_fork *f = r;
	tprintf(o, "comm=%s pid=%d child_comm=%s child_pid=%d", get_string(r, len, f->parent_comm), f->parent_pid,
		get_string(r, len, f->child_comm), f->child_pid);
}

EVENT("sched", sched_process_fork, fork_fields,
      "\"comm=%s pid=%d child_comm=%s child_pid=%d\", __get_str(parent_comm), REC->parent_pid, "
      "__get_str(child_comm), REC->child_pid");

void trace_sched_process_fork(struct task *parent, struct task *child)
{
	struct rec_fork r;
	size_t end = offsetof(struct rec_fork, strings);
	r.parent_comm = put_string(&r, &end, sizeof(r), parent->name);
	r.child_comm = put_string(&r, &end, sizeof(r), child->name);
	r.parent_pid = parent->pid;
	r.child_pid = child->pid;
	trace_event_commit(&tp_sched_process_fork, &r, end);
}

#define EXEC_NAME_MAX 256

struct rec_exec {
	struct trace_entry e;
	uint32_t filename;
	int32_t pid, old_pid;
	char strings[EXEC_NAME_MAX];
};

static const struct trace_field exec_fields[] = {
	{ "__data_loc char[] filename", 8, 4, false },
	{ "pid_t pid", 12, 4, true },
	{ "pid_t old_pid", 16, 4, true },
};

static void print_sched_process_exec(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev;
	const struct rec_exec *x = r;
	tprintf(o, "filename=%s pid=%d old_pid=%d", get_string(r, len, x->filename), x->pid, x->old_pid);
}

EVENT("sched", sched_process_exec, exec_fields,
      "\"filename=%s pid=%d old_pid=%d\", __get_str(filename), REC->pid, REC->old_pid");

void trace_sched_process_exec(struct task *t, const char *filename)
{
	struct rec_exec r;
	size_t end = offsetof(struct rec_exec, strings);
	r.filename = put_string(&r, &end, sizeof(r), filename);
	r.pid = r.old_pid = t->pid;
	trace_event_commit(&tp_sched_process_exec, &r, end);
}

/* --- sched_process_exit ------------------------------------------------------------------------ */

struct rec_exit {
	struct trace_entry e;
	char comm[COMM_LEN];
	int32_t pid, prio;
	bool group_dead;
};

static const struct trace_field exit_fields[] = {
	{ "char comm[16]", 8, 16, false },
	{ "pid_t pid", 24, 4, true },
	{ "int prio", 28, 4, true },
	{ "bool group_dead", 32, 1, false },
};

static void print_sched_process_exit(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_exit *x = r;
	tprintf(o, "comm=%s pid=%d prio=%d group_dead=%s", x->comm, x->pid, x->prio,
		x->group_dead ? "true" : "false");
}

EVENT("sched", sched_process_exit, exit_fields,
      "\"comm=%s pid=%d prio=%d group_dead=%s\", REC->comm, REC->pid, REC->prio, REC->group_dead ? \"true\" : "
      "\"false\"");

void trace_sched_process_exit(struct task *t)
{
	struct rec_exit r;
	comm_of(r.comm, t);
	r.pid = t->pid;
	r.prio = PRIO_NORMAL;
	r.group_dead = t->group->live <= 1;
	trace_event_commit(&tp_sched_process_exit, &r, sizeof(r));
}

/* --- signal_generate, signal_deliver ----------------------------------------------------------- */

struct rec_generate {
	struct trace_entry e;
	int32_t sig, err, code;
	char comm[COMM_LEN];
	int32_t pid, group, result;
};
_Static_assert(offsetof(struct rec_generate, result) == 44, "Linux's signal_generate layout");

static const struct trace_field generate_fields[] = {
	{ "int sig", 8, 4, true },        { "int errno", 12, 4, true }, { "int code", 16, 4, true },
	{ "char comm[16]", 20, 16, false }, { "pid_t pid", 36, 4, true }, { "int group", 40, 4, true },
	{ "int result", 44, 4, true },
};

static void print_signal_generate(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_generate *g = r;
	tprintf(o, "sig=%d errno=%d code=%d comm=%s pid=%d grp=%d res=%d", g->sig, g->err, g->code, g->comm, g->pid,
		g->group, g->result);
}

EVENT("signal", signal_generate, generate_fields,
      "\"sig=%d errno=%d code=%d comm=%s pid=%d grp=%d res=%d\", REC->sig, REC->errno, REC->code, REC->comm, "
      "REC->pid, REC->group, REC->result");

void trace_signal_generate(int sig, int code, struct task *t, bool group, int result)
{
	struct rec_generate r;
	r.sig = sig;
	r.err = 0;
	r.code = code;
	comm_of(r.comm, t);
	r.pid = t->pid;
	r.group = group;
	r.result = result;
	trace_event_commit(&tp_signal_generate, &r, sizeof(r));
}

struct rec_deliver {
	struct trace_entry e;
	int32_t sig, err, code;
	uint64_t sa_handler, sa_flags;
};
_Static_assert(offsetof(struct rec_deliver, sa_flags) == 32, "Linux's signal_deliver layout");

static const struct trace_field deliver_fields[] = {
	{ "int sig", 8, 4, true },
	{ "int errno", 12, 4, true },
	{ "int code", 16, 4, true },
	{ "unsigned long sa_handler", 24, 8, false },
	{ "unsigned long sa_flags", 32, 8, false },
};

static void print_signal_deliver(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_deliver *d = r;
	tprintf(o, "sig=%d errno=%d code=%d sa_handler=%lx sa_flags=%lx", d->sig, d->err, d->code, d->sa_handler,
		d->sa_flags);
}

EVENT("signal", signal_deliver, deliver_fields,
      "\"sig=%d errno=%d code=%d sa_handler=%lx sa_flags=%lx\", REC->sig, REC->errno, REC->code, "
      "REC->sa_handler, REC->sa_flags");

void trace_signal_deliver(int sig, int code, uint64_t handler, uint64_t flags)
{
	struct rec_deliver r;
	r.sig = sig;
	r.err = 0;
	r.code = code;
	r.sa_handler = handler;
	r.sa_flags = flags;
	trace_event_commit(&tp_signal_deliver, &r, sizeof(r));
}

void sched_events_register(void)
{
	struct trace_event *all[] = { &tp_sched_switch, &tp_sched_wakeup, &tp_sched_process_fork,
				      &tp_sched_process_exec, &tp_sched_process_exit, &tp_signal_generate,
				      &tp_signal_deliver };
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		trace_event_register(all[i]);
}
