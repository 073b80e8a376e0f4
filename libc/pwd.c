/*
 * The user and group databases: /etc/passwd and /etc/group (course
 * section: kernel design -- privilege).
 *
 * The kernel knows users only as numbers. Names live in two text files
 * that programs read themselves: a line of /etc/passwd gives a user's
 * name, uid, primary gid, home and shell; a line of /etc/group a group's
 * name, gid and the users who are its (supplementary) members. `id`,
 * `whoami`, `ls -l` and `su` turn numbers into names with these calls.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 8
#define MAX_MEMBERS 32

static char line_buf[512];

/* Split line at ':' into at most max fields; returns how many. */
static int split(char *line, char **field, int max, char sep)
{
	int n = 0;
	field[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == sep) {
			*p = 0;
			field[n++] = p + 1;
		}
	return n;
}

/* The first line of path whose field `key` (0: the name, 2: the number)
 * is name (or, for name NULL, the number id); its fields, or 0. */
static int find_line(const char *path, int key, const char *name, unsigned id, char **field, int want)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int found = 0;
	while (!found && fgets(line_buf, sizeof(line_buf), f)) {
		line_buf[strcspn(line_buf, "\n")] = 0;
		if (split(line_buf, field, MAX_FIELDS, ':') < want)
			continue;
		found = name ? !strcmp(field[key], name) : strtoul(field[key], NULL, 10) == id;
	}
	fclose(f);
	return found;
}

static struct passwd *passwd_from_fields(char **f)
{
	static struct passwd pw;
	pw.pw_name = f[0];
	pw.pw_passwd = f[1];
	pw.pw_uid = (uid_t)strtoul(f[2], NULL, 10);
	pw.pw_gid = (gid_t)strtoul(f[3], NULL, 10);
	pw.pw_gecos = f[4];
	pw.pw_dir = f[5];
	pw.pw_shell = f[6];
	return &pw;
}

static struct passwd *passwd_entry(const char *name, uid_t uid)
{
	char *f[MAX_FIELDS];
	if (!find_line("/etc/passwd", name ? 0 : 2, name, uid, f, 7))
		return NULL;
	return passwd_from_fields(f);
}

static FILE *passwd_file;

void setpwent(void)
{
	endpwent();
	passwd_file = fopen("/etc/passwd", "r");
}

struct passwd *getpwent(void)
{
	char *f[MAX_FIELDS];
	if (!passwd_file)
		setpwent();
	while (passwd_file && fgets(line_buf, sizeof(line_buf), passwd_file)) {
		line_buf[strcspn(line_buf, "\n")] = 0;
		if (split(line_buf, f, MAX_FIELDS, ':') >= 7)
			return passwd_from_fields(f);
	}
	return NULL;
}

void endpwent(void)
{
	if (passwd_file)
		fclose(passwd_file);
	passwd_file = NULL;
}

struct passwd *getpwnam(const char *name) { return passwd_entry(name, 0); }
struct passwd *getpwuid(uid_t uid) { return passwd_entry(NULL, uid); }

static struct group *group_from_fields(char **f)
{
	static struct group gr;
	static char *members[MAX_MEMBERS + 1];
	gr.gr_name = f[0];
	gr.gr_passwd = f[1];
	gr.gr_gid = (gid_t)strtoul(f[2], NULL, 10);
	int n = f[3][0] ? split(f[3], members, MAX_MEMBERS, ',') : 0;
	members[n] = NULL;
	gr.gr_mem = members;
	return &gr;
}

static struct group *group_entry(const char *name, gid_t gid)
{
	char *f[MAX_FIELDS];
	if (!find_line("/etc/group", name ? 0 : 2, name, gid, f, 4))
		return NULL;
	return group_from_fields(f);
}

static FILE *group_file;

void setgrent(void)
{
	endgrent();
	group_file = fopen("/etc/group", "r");
}

struct group *getgrent(void)
{
	char *f[MAX_FIELDS];
	if (!group_file)
		setgrent();
	while (group_file && fgets(line_buf, sizeof(line_buf), group_file)) {
		line_buf[strcspn(line_buf, "\n")] = 0;
		if (split(line_buf, f, MAX_FIELDS, ':') >= 4)
			return group_from_fields(f);
	}
	return NULL;
}

void endgrent(void)
{
	if (group_file)
		fclose(group_file);
	group_file = NULL;
}

struct group *getgrnam(const char *name) { return group_entry(name, 0); }
struct group *getgrgid(gid_t gid) { return group_entry(NULL, gid); }

int initgroups(const char *user, gid_t group)
{
	gid_t list[MAX_MEMBERS + 1];
	int n = 0;
	char *f[MAX_FIELDS], *members[MAX_MEMBERS + 1];
	list[n++] = group;
	FILE *fp = fopen("/etc/group", "r");
	while (fp && n <= MAX_MEMBERS && fgets(line_buf, sizeof(line_buf), fp)) {
		line_buf[strcspn(line_buf, "\n")] = 0;
		if (split(line_buf, f, MAX_FIELDS, ':') < 4 || !f[3][0])
			continue;
		int m = split(f[3], members, MAX_MEMBERS, ',');
		for (int k = 0; k < m; k++)
			if (!strcmp(members[k], user) && n <= MAX_MEMBERS)
				list[n++] = (gid_t)strtoul(f[2], NULL, 10);
	}
	if (fp)
		fclose(fp);
	return setgroups(n, list);
}
