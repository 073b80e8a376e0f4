/*
 * pwd: print the working directory (course section: files).
 *
 * The kernel keeps each process's current directory (as an inode, not a
 * string): relative paths start there. getcwd asks it to spell that
 * directory's path out from the root. The shell's `cd` changes the shell's
 * own directory with chdir, and children inherit it at fork.
 */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	char path[PATH_MAX];

	if (getcwd(path, sizeof(path)) == NULL) {
		perror("pwd");
		return 1;
	}
	puts(path);
	return 0;
}
