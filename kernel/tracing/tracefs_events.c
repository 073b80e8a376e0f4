/*
 * tracefs's events/ tree, available_events and set_event (course section:
 * kernel debugging techniques).
 *
 *     events/enable                    every event on or off
 *     events/SYSTEM/enable             a system's events
 *     events/SYSTEM/EVENT/enable       one event
 *     events/SYSTEM/EVENT/format       its record layout, as Linux writes it
 *     events/SYSTEM/EVENT/id           its number (perf_event_open's config)
 *     available_events                 "SYSTEM:EVENT" lines
 *     set_event                        the enabled events, in the same form;
 *                                      writing "sched:sched_switch",
 *                                      "sched:*", "*:*" or "!sched:sched_switch"
 *                                      enables or disables; `>` first clears
 *
 * An enable file of several events reads "1" when all are on, "0" when
 * none is, and "X" when they differ (Linux's answer).
 */
#include "kernel/tracing/tracefs.h"
#include "kernel/tracing/tbuf.h"
#include "kernel/tracing/trace.h"
#include "kernel/fs/vfs.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"

int tracefs_parse_bool(const char *s, bool *out);

/* Does ev match the system (NULL: any) and name (NULL or "*": any)? */
static bool matches(const struct trace_event *ev, const char *system, const char *name)
{
	if (ev == &trace_marker_event || ev->removed)
		return false;
	return (!system || !strcmp(system, "*") || !strcmp(ev->system, system)) &&
	       (!name || !strcmp(name, "*") || !strcmp(ev->name, name));
}

static int set_matching(const char *system, const char *name, bool on)
{
	int found = 0;
	for (int i = 0; i < trace_event_count(); i++) {
		struct trace_event *ev = trace_event_at(i);
		if (matches(ev, system, name)) {
			trace_event_set_enabled(ev, on);
			found++;
		}
	}
	return found;
}

static void show_enable_of(struct tbuf *t, const char *system)
{
	int on = 0, off = 0;
	for (int i = 0; i < trace_event_count(); i++) {
		struct trace_event *ev = trace_event_at(i);
		if (matches(ev, system, NULL))
			ev->enabled ? on++ : off++;
	}
	tputs(t, on && off ? "X\n" : on ? "1\n" : "0\n");
}

/* --- one event's files ------------------------------------------------------------------------- */

static void show_event_enable(struct tbuf *t, void *arg)
{
	tputs(t, ((struct trace_event *)arg)->enabled ? "1\n" : "0\n");
}

static int store_event_enable(const char *s, void *arg)
{
	bool on;
	int err = tracefs_parse_bool(s, &on);
	if (!err && on && ((struct trace_event *)arg)->removed)
		return -ENODEV; /* a kprobe event taken away */
	return err ? err : trace_event_set_enabled(arg, on);
}

static void show_format(struct tbuf *t, void *arg)
{
	trace_event_format(t, arg);
}

static void show_id(struct tbuf *t, void *arg)
{
	tprintf(t, "%d\n", ((struct trace_event *)arg)->id);
}

/* --- a system's and all events' enable -------------------------------------------------------- */

static void show_system_enable(struct tbuf *t, void *arg)
{
	show_enable_of(t, arg);
}

static int store_system_enable(const char *s, void *arg)
{
	bool on;
	int err = tracefs_parse_bool(s, &on);
	if (!err)
		set_matching(arg, NULL, on);
	return err;
}

/* --- available_events and set_event ----------------------------------------------------------- */

static void list_events(struct tbuf *t, bool only_enabled)
{
	for (int i = 0; i < trace_event_count(); i++) {
		struct trace_event *ev = trace_event_at(i);
		if (ev != &trace_marker_event && !ev->removed && (!only_enabled || ev->enabled))
			tprintf(t, "%s:%s\n", ev->system, ev->name);
	}
}

static void show_available(struct tbuf *t, void *arg)
{
	(void)arg;
	list_events(t, false);
}

static void show_set_event(struct tbuf *t, void *arg)
{
	(void)arg;
	list_events(t, true);
}

/* One word of set_event: [!][SYSTEM:]EVENT, or SYSTEM:*, or *:*. */
static int apply_word(char *w)
{
	bool on = true;
	if (*w == '!') {
		on = false;
		w++;
	}
	char *colon = strchr(w, ':');
	const char *system = NULL, *name = w;
	if (colon) {
		*colon = 0;
		system = w;
		name = colon + 1;
	}
	if (!*name || (system && !*system))
		return -EINVAL;
	return set_matching(system, name, on) ? 0 : -EINVAL;
}

/* Words separated by blanks or newlines; Linux answers EINVAL for a name
 * it does not know. */
static int store_set_event(const char *s, void *arg)
{
	(void)arg;
	char word[128];
	while (*s) {
		while (*s == ' ' || *s == '\n' || *s == '\t')
			s++;
		size_t n = 0;
		while (s[n] && s[n] != ' ' && s[n] != '\n' && s[n] != '\t')
			n++;
		if (n == 0)
			break;
		if (n >= sizeof(word))
			return -EINVAL;
		memcpy(word, s, n);
		word[n] = 0;
		int err = apply_word(word);
		if (err)
			return err;
		s += n;
	}
	return 0;
}

static void clear_set_event(void *arg)
{
	(void)arg;
	set_matching(NULL, NULL, false);
}

static const struct tracefs_file event_enable_file = { show_event_enable, store_event_enable, NULL };
static const struct tracefs_file format_file = { show_format, NULL, NULL };
static const struct tracefs_file id_file = { show_id, NULL, NULL };
static const struct tracefs_file system_enable_file = { show_system_enable, store_system_enable, NULL };
static const struct tracefs_file available_file = { show_available, NULL, NULL };
static const struct tracefs_file set_event_file = { show_set_event, store_set_event, clear_set_event };

static struct inode *events_dir;

void tracefs_event_dir_add(struct trace_event *ev)
{
	if (!events_dir || ev == &trace_marker_event)
		return;
	struct inode *sys = dir_lookup(events_dir, ev->system);
	if (!sys) {
		sys = tracefs_mkdir(events_dir, ev->system);
		if (!sys)
			return;
		tracefs_add(sys, "enable", 0644, &system_enable_file, (void *)ev->system);
	}
	if (dir_lookup(sys, ev->name))
		return; /* a kprobe event made again: its files are there */
	struct inode *dir = tracefs_mkdir(sys, ev->name);
	if (!dir)
		return;
	tracefs_add(dir, "enable", 0644, &event_enable_file, ev);
	tracefs_add(dir, "format", 0444, &format_file, ev);
	tracefs_add(dir, "id", 0444, &id_file, ev);
}

void tracefs_events_init(struct inode *root)
{
	tracefs_add(root, "available_events", 0444, &available_file, NULL);
	tracefs_add(root, "set_event", 0644, &set_event_file, NULL);
	events_dir = tracefs_mkdir(root, "events");
	if (!events_dir)
		return;
	tracefs_add(events_dir, "enable", 0644, &system_enable_file, NULL);
	for (int i = 0; i < trace_event_count(); i++)
		tracefs_event_dir_add(trace_event_at(i));
}
