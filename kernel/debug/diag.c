/*
 * Helpers every bug report uses (course section: kernel debugging techniques).
 *
 * A report is only as good as its call trace: the chain of return
 * addresses on the stack, each named by the kernel's symbol table. The
 * oops path (arch/x86_64/oops.c) walks it from the faulting frame; a
 * sanitizer or a watchdog walks it from where it stands, which is this
 * file's diag_dump_stack().
 */
#include "kernel/debug/diag.h"
#include "arch/x86_64/oops.h"
#include "libc/format.h"

struct fmt_buf {
	char *p;
	size_t left;
};

static void emit(void *ctx, const char *s, size_t n)
{
	struct fmt_buf *b = ctx;
	while (n-- && b->left > 1) {
		*b->p++ = *s++;
		b->left--;
	}
}

void diag_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size };
	vformat(emit, &b, fmt, ap);
	*b.p = 0;
}

void diag_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vformat(buf, size, fmt, ap);
	va_end(ap);
}

/* noinline: its own frame is the first on the chain; it and `skip` more
 * (a sanitizer's handler) are left out, so the trace starts at the bug. */
__attribute__((noinline)) void diag_dump_stack(int skip)
{
	uint64_t rbp = (uint64_t)__builtin_frame_address(0), top = stack_top_of(rbp);
	for (; skip > 0; skip--) {
		uint64_t up = ((uint64_t *)rbp)[0];
		if (up <= rbp || up + 16 > top || (up & 7))
			break;
		rbp = up;
	}
	print_backtrace(((uint64_t *)rbp)[1], ((uint64_t *)rbp)[0], rbp, top);
}
