/*
 * sh: Tab completion (course section: files; processes).
 *
 * The word before the cursor is completed from the names that could come
 * there: at the start of a command (after nothing, or after | ; & && ||),
 * a command name: the builtins and the programs of /bin; anywhere else,
 * or when the word has a '/', a path: the entries of its directory, read
 * with opendir/readdir (getdents64). One candidate is inserted whole, with
 * a "/" after a directory and a space after anything else; several insert
 * what they all begin with, and a second Tab lists them.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

#define MAX_CANDIDATES 256
#define NAME_LEN 256

static char candidates[MAX_CANDIDATES][NAME_LEN];
static int is_dir[MAX_CANDIDATES];
static int ncandidates;

static void add_candidate(const char *name, int dir)
{
	for (int i = 0; i < ncandidates; i++)
		if (strcmp(candidates[i], name) == 0)
			return;			/* a builtin also in /bin: once */
	if (ncandidates == MAX_CANDIDATES)
		return;
	snprintf(candidates[ncandidates], NAME_LEN, "%s", name);
	is_dir[ncandidates++] = dir;
}

/* The entries of dir that begin with prefix (hidden ones only if asked). */
static void add_directory(const char *dir, const char *prefix, int only_programs)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t plen = strlen(prefix);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		int dir_entry;

		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		if (e->d_name[0] == '.' && prefix[0] != '.')
			continue;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		dir_entry = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (only_programs && dir_entry)
			continue;
		add_candidate(e->d_name, dir_entry);
	}
	closedir(d);
}

static void add_commands(const char *prefix)
{
	const char *name;

	for (size_t i = 0; (name = known_command(i)) != NULL; i++)
		if (is_builtin(name) && strncmp(name, prefix, strlen(prefix)) == 0)
			add_candidate(name, 0);
	add_directory("/bin", prefix, 1);
}

/* Is the word starting at start the command's name (nothing but blanks
 * since the line's start or an operator)? */
static int at_command_position(const char *buf, size_t start)
{
	while (start > 0 && (buf[start - 1] == ' ' || buf[start - 1] == '\t'))
		start--;
	return start == 0 || strchr(";|&(", buf[start - 1]) != NULL;
}

/* How many leading characters all the candidates share. */
static size_t common_length(void)
{
	size_t n = strlen(candidates[0]);

	for (int i = 1; i < ncandidates; i++) {
		size_t k = 0;

		while (k < n && candidates[i][k] == candidates[0][k])
			k++;
		n = k;
	}
	return n;
}

static void list_candidates(void)
{
	int width = 0, columns;

	for (int i = 0; i < ncandidates; i++)
		if ((int)strlen(candidates[i]) + 2 > width)
			width = (int)strlen(candidates[i]) + 2;
	columns = width < 80 ? 80 / width : 1;
	fputs("\n", stderr);
	for (int i = 0; i < ncandidates; i++)
		fprintf(stderr, "%-*s%s", width, candidates[i],
			(i + 1) % columns == 0 || i + 1 == ncandidates ? "\n" : "");
}

size_t complete_word(char *buf, size_t len, size_t pos, size_t size, int list, int *listed)
{
	char word[NAME_LEN], dir[NAME_LEN];
	const char *base, *slash;
	size_t start = pos, have, common, add;

	while (start > 0 && !strchr(" \t;|&<>(", buf[start - 1]))
		start--;
	snprintf(word, sizeof(word), "%.*s", (int)(pos - start), buf + start);
	ncandidates = 0;
	slash = strrchr(word, '/');
	if (slash == NULL && at_command_position(buf, start)) {
		base = word;
		add_commands(base);
	} else {
		base = slash ? slash + 1 : word;
		if (slash == word)
			snprintf(dir, sizeof(dir), "/");
		else if (slash)
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - word), word);
		else
			snprintf(dir, sizeof(dir), ".");
		add_directory(dir, base, 0);
	}
	if (ncandidates == 0)
		return 0;
	have = strlen(base);
	common = common_length();
	add = common - have;
	if (ncandidates == 1)
		add++;				/* the '/' or ' ' after it */
	if (len + add + 1 > size)
		return 0;
	memmove(buf + pos + add, buf + pos, len - pos);
	memcpy(buf + pos, candidates[0] + have, common - have);
	if (ncandidates == 1)
		buf[pos + add - 1] = is_dir[0] ? '/' : ' ';
	if (ncandidates > 1 && add == 0 && list) {
		list_candidates();
		*listed = 1;
	}
	return add;
}
