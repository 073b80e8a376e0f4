/*
 * "#!" scripts (course section: starting a program).
 *
 * execve runs more than ELF files: a file that starts with "#!" names its
 * interpreter on that first line, and the kernel runs the interpreter
 * instead, with the script's path as an argument. For a script /bin/hi
 * starting "#!/bin/sh -e" and the call execve("/bin/hi", {"hi", "x"}, envp),
 * the program that runs is /bin/sh with argv {"/bin/sh", "-e", "/bin/hi", "x"}:
 * the interpreter, the line's one optional argument (everything after the
 * first blank, as Linux does it: not split further), the script's path in
 * place of argv[0], then the rest of argv. The environment is unchanged.
 *
 * A missing interpreter is ENOENT, as for a missing program; a "#!" line
 * whose interpreter name does not end within 255 bytes is ENOEXEC, as on
 * Linux since 5.0 (it would have been cut); an interpreter
 * that is itself a script is followed, at most EXEC_MAX_SCRIPT_DEPTH deep,
 * then ELOOP.
 */
#include "kernel/proc/exec.h"
#include "libc/include/abi/errno.h"
#include "libc/include/string.h"
#include "mm/heap.h"

#define SHEBANG_LINE_MAX 256 /* Linux's BINPRM_BUF_SIZE: the line is cut there */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool exec_is_script(const char *head, size_t n)
{
	return n >= 2 && head[0] == '#' && head[1] == '!';
}

/* Split the "#!" line in head into the interpreter and its optional
 * argument (both NUL-terminated inside line, which has SHEBANG_LINE_MAX + 1
 * bytes). -ENOEXEC if no interpreter is named. */
static int parse_line(const char *head, size_t n, char *line, char **interp, char **arg)
{
	n = MIN(n, (size_t)SHEBANG_LINE_MAX);
	memcpy(line, head, n);
	line[n] = 0;
	char *end = strchr(line, '\n');
	/* No newline in the first 256 bytes: Linux keeps 255 of them, and if
	 * the interpreter's name runs to that cut, it was truncated: ENOEXEC
	 * rather than running some other program (or ENOENT for a cut name). */
	bool cut = !end && n == SHEBANG_LINE_MAX;
	if (cut)
		line[SHEBANG_LINE_MAX - 1] = 0;
	if (end)
		*end = 0;
	char *p = line + 2;
	while (is_blank(*p))
		p++;
	*interp = p;
	while (*p && !is_blank(*p))
		p++;
	if (p == *interp || (cut && *p == 0))
		return -ENOEXEC;
	if (*p)
		*p++ = 0;
	while (is_blank(*p))
		p++;
	/* The argument runs to the end of the line, trailing blanks dropped. */
	char *last = p + strlen(p);
	while (last > p && is_blank(last[-1]))
		*--last = 0;
	*arg = *p ? p : NULL;
	return 0;
}

/* Rebuild a's argv as {interp, [arg,] script, argv[1..]}; envp stays. */
static int rewrite_args(struct exec_args *a, const char *interp, const char *arg, const char *script)
{
	struct exec_args old = *a;
	int err = exec_args_init(a);
	if (err) {
		*a = old;
		return err;
	}
	err = exec_args_add(a, interp, false);
	if (!err && arg)
		err = exec_args_add(a, arg, false);
	if (!err)
		err = exec_args_add(a, script, false);
	/* Walk the old strings: argv[0] is dropped, the rest copied. */
	const char *s = old.buf;
	for (int i = 0; i < old.argc + old.envc && !err; i++, s += strlen(s) + 1)
		if (i > 0)
			err = exec_args_add(a, s, i >= old.argc);
	exec_args_free(&old);
	return err;
}

int exec_script(struct task *t, const char *path, const char *head, size_t n, struct exec_args *a, int depth)
{
	if (depth >= EXEC_MAX_SCRIPT_DEPTH)
		return -ELOOP;
	char *line = kmalloc(SHEBANG_LINE_MAX + 1);
	if (!line)
		return -ENOMEM;
	char *interp, *arg;
	int err = parse_line(head, n, line, &interp, &arg);
	if (!err)
		err = rewrite_args(a, interp, arg, path);
	if (!err)
		err = do_execve_depth(t, interp, a, depth + 1);
	kfree(line);
	return err;
}
