/*
 * C library: assertions (course section: the C library on raw syscalls).
 *
 * assert(expr) checks something the programmer believes is always true. If
 * it is false the program prints where ("prog.c:42: main: Assertion `n > 0'
 * failed.") and stops with status 134, what a shell reports for SIGABRT.
 * Compiling with -DNDEBUG removes the checks. Deliberately no include guard:
 * the standard allows re-including it with NDEBUG changed.
 */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr) \
	((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

void __assert_fail(const char *expr, const char *file, int line, const char *func)
	__attribute__((noreturn));
