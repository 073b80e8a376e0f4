/* The group database, /etc/group (libc/pwd.c). */
#ifndef _GRP_H
#define _GRP_H

#include <sys/types.h>

/* One line of /etc/group: name:password:gid:member,member,... */
struct group {
	char *gr_name;
	char *gr_passwd;
	gid_t gr_gid;
	char **gr_mem; /* NULL-terminated */
};

struct group *getgrnam(const char *name);
struct group *getgrgid(gid_t gid);
/* Every group in turn: setgrent, getgrent until NULL, endgrent. */
void setgrent(void);
struct group *getgrent(void);
void endgrent(void);
/* Set the supplementary groups to every group that lists user, plus
 * group (needs CAP_SETGID). */
int initgroups(const char *user, gid_t group);
int setgroups(int size, const gid_t *list);

#endif
