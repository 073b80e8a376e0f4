/*
 * C library: from _start to main (course section: starting a program).
 *
 * crt0.asm passes the initial stack pointer; this function reads the layout
 * the kernel built there (argc, argv, envp, auxv: see crt0.asm), remembers
 * the environment and the auxiliary vector, runs main and exits with its
 * return value, as if main's caller had been exit(main(argc, argv, envp)).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

char **environ;

/* The (type, value) pairs after the environment, ending with AT_NULL. */
static unsigned long *auxv;

int main(int argc, char **argv, char **envp);

void __libc_start(long *sp) __attribute__((noreturn));

void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;	/* skip argv's NULL */
	char **p = envp;

	while (*p)			/* the auxv starts after envp's NULL */
		p++;
	auxv = (unsigned long *)(p + 1);
	environ = envp;

	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	errno = ENOENT;
	return 0;
}
