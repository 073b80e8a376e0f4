/*
 * id: who am I, in numbers and names (course section: kernel design --
 * privilege).
 *
 *     id          uid=1000(user) gid=1000(user) groups=1000(user),100(users)
 *     id -u / -g  the effective uid / gid alone (-r: the real one; -n: names)
 *     id -G       every group id
 *     id NAME     the ids /etc/passwd and /etc/group give that user
 *
 * The kernel answers numbers (getuid, geteuid, getgroups...); the names
 * come from /etc/passwd and /etc/group (libc/pwd.c). An effective id that
 * differs from the real one (a set-user-ID program) is shown as euid=.
 */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_GROUPS 64

static void print_user(const char *label, uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	printf("%s=%u", label, uid);
	if (pw)
		printf("(%s)", pw->pw_name);
}

static void print_group(const char *label, gid_t gid)
{
	struct group *gr = getgrgid(gid);
	printf("%s%u", label, gid);
	if (gr)
		printf("(%s)", gr->gr_name);
}

/* The user's groups, the primary one first (as coreutils shows them):
 * from the kernel for ourselves, from /etc/group for NAME. */
static int user_groups(const char *name, gid_t primary, gid_t *list)
{
	if (!name) {
		gid_t all[MAX_GROUPS];
		int m = getgroups(MAX_GROUPS, all), n = 0;
		list[n++] = primary;
		for (int k = 0; k < m && n < MAX_GROUPS; k++)
			if (all[k] != primary)
				list[n++] = all[k];
		return n;
	}
	int n = 0;
	list[n++] = primary;
	struct group *gr;
	setgrent();
	while ((gr = getgrent()) && n < MAX_GROUPS)
		for (char **m = gr->gr_mem; *m; m++)
			if (!strcmp(*m, name) && gr->gr_gid != primary)
				list[n++] = gr->gr_gid;
	endgrent();
	return n;
}

static int print_one(char opt, int names, uid_t uid, gid_t gid)
{
	if (opt == 'u') {
		struct passwd *pw = getpwuid(uid);
		if (names && pw)
			printf("%s\n", pw->pw_name);
		else
			printf("%u\n", uid);
	} else {
		struct group *gr = getgrgid(gid);
		if (names && gr)
			printf("%s\n", gr->gr_name);
		else
			printf("%u\n", gid);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char opt = 0;
	int names = 0, real = 0, a = 1;
	for (; a < argc && argv[a][0] == '-'; a++)
		for (char *p = argv[a] + 1; *p; p++) {
			if (*p == 'n')
				names = 1;
			else if (*p == 'r')
				real = 1;
			else if (*p == 'u' || *p == 'g' || *p == 'G')
				opt = *p;
			else {
				fprintf(stderr, "usage: id [-u|-g|-G] [-n] [-r] [USER]\n");
				return 1;
			}
		}
	const char *name = a < argc ? argv[a] : NULL;
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid(), egid = getegid();
	if (name) {
		struct passwd *pw = getpwnam(name);
		if (!pw) {
			fprintf(stderr, "id: '%s': no such user\n", name);
			return 1;
		}
		uid = euid = pw->pw_uid;
		gid = egid = pw->pw_gid;
	}
	if (opt == 'u' || opt == 'g')
		return print_one(opt, names, real ? uid : euid, real ? gid : egid);
	gid_t list[MAX_GROUPS];
	int n = user_groups(name, gid, list);
	if (opt == 'G') {
		for (int k = 0; k < n; k++)
			printf(k ? " %u" : "%u", list[k]);
		printf("\n");
		return 0;
	}
	print_user("uid", uid);
	print_group(" gid=", gid);
	if (euid != uid)
		print_user(" euid", euid);
	if (egid != gid)
		print_group(" egid=", egid);
	for (int k = 0; k < n; k++)
		print_group(k ? "," : " groups=", list[k]);
	printf("\n");
	return 0;
}
