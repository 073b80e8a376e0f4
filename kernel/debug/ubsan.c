/*
 * UBSAN: the kernel's own undefined-behaviour reports (course section:
 * kernel debugging techniques).
 *
 * gcc's -fsanitize=undefined adds a check before each operation whose
 * result C leaves undefined: a shift by more bits than the type has, a
 * signed addition that overflows, an array index past the array's end, a
 * load through a misaligned or null pointer... When a check fails, the
 * compiled code calls a handler named __ubsan_handle_KIND, passing a
 * description the compiler wrote into .data (the file, line and column, the
 * types involved) and the values. A user program gets its handlers from
 * libubsan; a kernel has to write its own, and that is this file.
 *
 * Each handler prints one report in Linux's form:
 *
 *   ================================================================
 *   UBSAN: shift-out-of-bounds in kernel/debug/diagdemo.c:40:12
 *   shift exponent 40 is too large for 32-bit type 'int'
 *   Call trace: ...
 *   ================================================================
 *
 * and returns: undefined behaviour is reported, not fatal, so one run
 * shows every bug it meets. A location reports once (its column gets a
 * "reported" bit), so a bug in a loop does not flood the log.
 *
 * This file itself is compiled without the sanitizer (Makefile), or a
 * handler could call itself.
 */
#include "kernel/debug/diag.h"
#include "kernel/module/export.h"
#include "kernel/printk.h"

/* What gcc passes: the layouts of libubsan's ubsan_handlers.h. */
struct source_location {
	const char *file;
	uint32_t line;
	uint32_t column;
};

struct type_descriptor {
	uint16_t kind;  /* 0: integer, 1: float, 0xffff: other */
	uint16_t info;  /* integer: bit 0 signed, bits 1+ log2 of the width in bits */
	char name[];    /* as written in the source: "int", "unsigned long" */
};

struct overflow_data {
	struct source_location loc;
	struct type_descriptor *type;
};

struct shift_data {
	struct source_location loc;
	struct type_descriptor *lhs_type, *rhs_type;
};

struct bounds_data {
	struct source_location loc;
	struct type_descriptor *array_type, *index_type;
};

struct mismatch_data {
	struct source_location loc;
	struct type_descriptor *type;
	uint8_t log_alignment;
	uint8_t check_kind;
};

struct location_only_data {
	struct source_location loc;
};

struct nonnull_arg_data {
	struct source_location loc, attr_loc;
	int arg_index;
};

struct invalid_value_data {
	struct source_location loc;
	struct type_descriptor *type;
};

#define REPORTED_BIT 0x80000000u

/* The helpers are inlined into each handler, so a report's trace leaves
 * out one frame (the handler's) and begins in the function with the bug. */
#define HELPER static inline __attribute__((always_inline))

unsigned long ubsan_report_count;

static bool type_is_signed(const struct type_descriptor *t)
{
	return t->kind == 0 && (t->info & 1);
}

static unsigned type_bits(const struct type_descriptor *t)
{
	return 1u << (t->info >> 1);
}

/* Values of up to 64 bits come in the argument itself. */
static inline void format_value(char *buf, size_t size, const struct type_descriptor *t, uint64_t v)
{
	if (t->kind == 0 && type_bits(t) > 64)
		diag_format(buf, size, "(%u-bit value)", type_bits(t));
	else if (type_is_signed(t))
		diag_format(buf, size, "%ld", (long)(type_bits(t) == 64 ? v : (uint64_t)((int64_t)(v << (64 - type_bits(t))) >> (64 - type_bits(t)))));
	else
		diag_format(buf, size, "%lu", v);
}

/* The report's first line, unless this place reported already. */
HELPER bool report_begin(struct source_location *loc, const char *kind)
{
	if (loc->column & REPORTED_BIT)
		return false;
	loc->column |= REPORTED_BIT;
	ubsan_report_count++;
	printk("%s", DIAG_RULE);
	printk("UBSAN: %s in %s:%u:%u\n", kind, loc->file, loc->line, loc->column & ~REPORTED_BIT);
	return true;
}

HELPER void report_end(void)
{
	diag_dump_stack(1);
	printk("%s", DIAG_RULE);
}

HELPER void overflow(struct overflow_data *d, uint64_t lhs, uint64_t rhs, char op)
{
	if (!report_begin(&d->loc, "signed-integer-overflow"))
		return;
	char a[32], b[32];
	format_value(a, sizeof(a), d->type, lhs);
	format_value(b, sizeof(b), d->type, rhs);
	printk("%s %c %s cannot be represented in type %s\n", a, op, b, d->type->name);
	report_end();
}

void __ubsan_handle_add_overflow(struct overflow_data *d, uint64_t lhs, uint64_t rhs)
{
	overflow(d, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow(struct overflow_data *d, uint64_t lhs, uint64_t rhs)
{
	overflow(d, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow(struct overflow_data *d, uint64_t lhs, uint64_t rhs)
{
	overflow(d, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow(struct overflow_data *d, uint64_t old)
{
	if (!report_begin(&d->loc, "signed-integer-overflow"))
		return;
	char a[32];
	format_value(a, sizeof(a), d->type, old);
	printk("negation of %s cannot be represented in type %s\n", a, d->type->name);
	report_end();
}

void __ubsan_handle_divrem_overflow(struct overflow_data *d, uint64_t lhs, uint64_t rhs)
{
	bool by_zero = rhs == 0;
	if (!report_begin(&d->loc, by_zero ? "division-by-zero" : "signed-integer-overflow"))
		return;
	char a[32];
	format_value(a, sizeof(a), d->type, lhs);
	if (by_zero)
		printk("division of %s by zero\n", a);
	else
		printk("division of %s by -1 cannot be represented in type %s\n", a, d->type->name);
	report_end();
}

void __ubsan_handle_shift_out_of_bounds(struct shift_data *d, uint64_t lhs, uint64_t rhs)
{
	if (!report_begin(&d->loc, "shift-out-of-bounds"))
		return;
	char a[32], b[32];
	format_value(a, sizeof(a), d->lhs_type, lhs);
	format_value(b, sizeof(b), d->rhs_type, rhs);
	if (type_is_signed(d->rhs_type) && (int64_t)rhs < 0)
		printk("shift exponent %s is negative\n", b);
	else if (rhs >= type_bits(d->lhs_type))
		printk("shift exponent %s is too large for %u-bit type %s\n", b, type_bits(d->lhs_type),
		       d->lhs_type->name);
	else if (type_is_signed(d->lhs_type) && (int64_t)lhs < 0)
		printk("left shift of negative value %s\n", a);
	else
		printk("left shift of %s by %s places cannot be represented in type %s\n", a, b,
		       d->lhs_type->name);
	report_end();
}

void __ubsan_handle_out_of_bounds(struct bounds_data *d, uint64_t index)
{
	if (!report_begin(&d->loc, "array-index-out-of-bounds"))
		return;
	char i[32];
	format_value(i, sizeof(i), d->index_type, index);
	printk("index %s is out of range for type %s\n", i, d->array_type->name);
	report_end();
}

static const char *const check_kinds[] = {
	"load of", "store to", "reference binding to", "member access within", "member call on",
	"constructor call on", "downcast of", "downcast of", "upcast of", "cast to virtual base of",
};

void __ubsan_handle_type_mismatch_v1(struct mismatch_data *d, uint64_t ptr)
{
	uint64_t align = 1ul << d->log_alignment;
	const char *what = d->check_kind < ARRAY_SIZE(check_kinds) ? check_kinds[d->check_kind] : "access to";
	if (!ptr) {
		if (report_begin(&d->loc, "null-ptr-deref")) {
			printk("%s null pointer of type %s\n", what, d->type->name);
			report_end();
		}
	} else if (d->log_alignment && (ptr & (align - 1))) {
		if (report_begin(&d->loc, "misaligned-access")) {
			printk("%s misaligned address %#lx for type %s\n", what, ptr, d->type->name);
			printk("which requires %lu byte alignment\n", align);
			report_end();
		}
	} else if (report_begin(&d->loc, "object-size-mismatch")) {
		printk("%s address %#lx with insufficient space for an object of type %s\n", what, ptr,
		       d->type->name);
		report_end();
	}
}

void __ubsan_handle_load_invalid_value(struct invalid_value_data *d, uint64_t value)
{
	if (!report_begin(&d->loc, "invalid-load"))
		return;
	char v[32];
	format_value(v, sizeof(v), d->type, value);
	printk("load of value %s is not a valid value for type %s\n", v, d->type->name);
	report_end();
}

void __ubsan_handle_vla_bound_not_positive(struct invalid_value_data *d, uint64_t bound)
{
	if (!report_begin(&d->loc, "vla-bound-not-positive"))
		return;
	char v[32];
	format_value(v, sizeof(v), d->type, bound);
	printk("variable length array bound evaluates to non-positive value %s\n", v);
	report_end();
}

void __ubsan_handle_pointer_overflow(struct location_only_data *d, uint64_t base, uint64_t result)
{
	if (!report_begin(&d->loc, "pointer-overflow"))
		return;
	printk("pointer arithmetic on %#lx overflowed to %#lx\n", base, result);
	report_end();
}

void __ubsan_handle_nonnull_arg(struct nonnull_arg_data *d)
{
	if (!report_begin(&d->loc, "nonnull-argument"))
		return;
	printk("null pointer passed as argument %d, declared never to be null\n", d->arg_index);
	report_end();
}

void __ubsan_handle_nonnull_return_v1(struct location_only_data *d, struct source_location *loc)
{
	(void)d;
	if (!report_begin(loc, "nonnull-return"))
		return;
	printk("null pointer returned from a function declared never to return null\n");
	report_end();
}

void __ubsan_handle_invalid_builtin(struct location_only_data *d)
{
	if (!report_begin(&d->loc, "invalid-builtin-use"))
		return;
	printk("passing zero to ctz() or clz(), which is not a valid argument\n");
	report_end();
}

/* Reaching __builtin_unreachable() cannot go on: the compiler put nothing after it. */
void __ubsan_handle_builtin_unreachable(struct location_only_data *d)
{
	report_begin(&d->loc, "unreachable");
	report_end();
	panic("UBSAN: execution reached __builtin_unreachable()");
}

/* Modules are compiled with the same checks, so they need the handlers. */
EXPORT_SYMBOL(__ubsan_handle_add_overflow);
EXPORT_SYMBOL(__ubsan_handle_sub_overflow);
EXPORT_SYMBOL(__ubsan_handle_mul_overflow);
EXPORT_SYMBOL(__ubsan_handle_negate_overflow);
EXPORT_SYMBOL(__ubsan_handle_divrem_overflow);
EXPORT_SYMBOL(__ubsan_handle_shift_out_of_bounds);
EXPORT_SYMBOL(__ubsan_handle_out_of_bounds);
EXPORT_SYMBOL(__ubsan_handle_type_mismatch_v1);
EXPORT_SYMBOL(__ubsan_handle_load_invalid_value);
EXPORT_SYMBOL(__ubsan_handle_vla_bound_not_positive);
EXPORT_SYMBOL(__ubsan_handle_pointer_overflow);
EXPORT_SYMBOL(__ubsan_handle_nonnull_arg);
EXPORT_SYMBOL(__ubsan_handle_nonnull_return_v1);
EXPORT_SYMBOL(__ubsan_handle_invalid_builtin);
EXPORT_SYMBOL(__ubsan_handle_builtin_unreachable);
