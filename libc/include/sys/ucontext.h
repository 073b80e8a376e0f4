/* C library: signal contexts, glibc's other name for <ucontext.h> (course
 * section: signals). */
#include <ucontext.h>
