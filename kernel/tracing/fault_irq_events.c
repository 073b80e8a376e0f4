/*
 * exceptions:page_fault_user and irq:irq_handler_entry/exit (course
 * section: kernel debugging techniques).
 *
 * The two ends of "the kernel runs without being asked": a program's page
 * fault, and a device's interrupt. Linux's layouts; an interrupt's name is
 * the one Linux gives its handler in /proc/interrupts.
 */
#include "kernel/tracing/trace.h"
#include "kernel/tracing/tbuf.h"
#include "libc/include/string.h"

/* --- exceptions:page_fault_user -------------------------------------------------------------- */

struct rec_fault {
	struct trace_entry e;
	uint64_t address, ip, error_code;
};

static const struct trace_field fault_fields[] = {
	{ "unsigned long address", 8, 8, false },
	{ "unsigned long ip", 16, 8, false },
	{ "unsigned long error_code", 24, 8, false },
};

static void print_page_fault_user(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_fault *f = r;
	tprintf(o, "address=0x%lx ip=0x%lx error_code=0x%lx", f->address, f->ip, f->error_code);
}

struct trace_event tp_page_fault_user = {
	.system = "exceptions", .name = "page_fault_user", .fields = fault_fields,
	.nfields = ARRAY_SIZE(fault_fields), .syscall_nr = -1, .print = print_page_fault_user,
	.print_fmt = "\"address=%ps ip=%ps error_code=0x%lx\", (void *)REC->address, (void *)REC->ip, REC->error_code",
};

void trace_page_fault_user(uint64_t address, uint64_t ip, uint64_t error_code)
{
	struct rec_fault r = { .address = address, .ip = ip, .error_code = error_code };
	trace_event_commit(&tp_page_fault_user, &r, sizeof(r));
}

/* --- irq:irq_handler_entry, irq_handler_exit ------------------------------------------------ */

static const char *irq_name(int irq)
{
	switch (irq) {
	case 0:
		return "timer";
	case 1:
		return "i8042";
	case 3:
	case 4:
		return "serial";
	case 8:
		return "rtc0";
	default:
		return "irq";
	}
}

struct rec_irq_entry {
	struct trace_entry e;
	int32_t irq;
	uint32_t name; /* __data_loc */
	char strings[16];
};

static const struct trace_field irq_entry_fields[] = {
	{ "int irq", 8, 4, true },
	{ "__data_loc char[] name", 12, 4, false },
};

static void print_irq_handler_entry(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev;
	const struct rec_irq_entry *x = r;
	size_t off = x->name & 0xffff, n = x->name >> 16;
	tprintf(o, "irq=%d name=%s", x->irq, off + n <= len && n ? (const char *)r + off : "");
}

struct trace_event tp_irq_handler_entry = {
	.system = "irq", .name = "irq_handler_entry", .fields = irq_entry_fields,
	.nfields = ARRAY_SIZE(irq_entry_fields), .syscall_nr = -1, .print = print_irq_handler_entry,
	.print_fmt = "\"irq=%d name=%s\", REC->irq, __get_str(name)",
};

void trace_irq_handler_entry(int irq)
{
	struct rec_irq_entry r;
	const char *name = irq_name(irq);
	size_t n = strlen(name) + 1;
	r.irq = irq;
	memcpy(r.strings, name, n);
	r.name = (uint32_t)(n << 16 | offsetof(struct rec_irq_entry, strings));
	trace_event_commit(&tp_irq_handler_entry, &r, offsetof(struct rec_irq_entry, strings) + n);
}

struct rec_irq_exit {
	struct trace_entry e;
	int32_t irq, ret;
};

static const struct trace_field irq_exit_fields[] = {
	{ "int irq", 8, 4, true },
	{ "int ret", 12, 4, true },
};

static void print_irq_handler_exit(struct tbuf *o, const struct trace_event *ev, const void *r, size_t len)
{
	(void)ev, (void)len;
	const struct rec_irq_exit *x = r;
	tprintf(o, "irq=%d ret=%s", x->irq, x->ret ? "handled" : "unhandled");
}

struct trace_event tp_irq_handler_exit = {
	.system = "irq", .name = "irq_handler_exit", .fields = irq_exit_fields,
	.nfields = ARRAY_SIZE(irq_exit_fields), .syscall_nr = -1, .print = print_irq_handler_exit,
	.print_fmt = "\"irq=%d ret=%s\", REC->irq, REC->ret ? \"handled\" : \"unhandled\"",
};

void trace_irq_handler_exit(int irq, bool handled)
{
	struct rec_irq_exit r = { .irq = irq, .ret = handled };
	trace_event_commit(&tp_irq_handler_exit, &r, sizeof(r));
}

void fault_irq_events_register(void)
{
	trace_event_register(&tp_page_fault_user);
	trace_event_register(&tp_irq_handler_entry);
	trace_event_register(&tp_irq_handler_exit);
}
