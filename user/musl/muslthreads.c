/* pthreads with musl, statically: see user/compat_threads.h. */
#define _GNU_SOURCE
#include "../compat_threads.h"

int main(void)
{
	return run_all("musl");
}
