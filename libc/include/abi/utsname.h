/* Linux `struct utsname`: six 65-byte strings (course section: the Linux ABI). */
#ifndef ABI_UTSNAME_H
#define ABI_UTSNAME_H

#define UTSNAME_LEN 65

struct utsname {
	char sysname[UTSNAME_LEN];
	char nodename[UTSNAME_LEN];
	char release[UTSNAME_LEN];
	char version[UTSNAME_LEN];
	char machine[UTSNAME_LEN];
	char domainname[UTSNAME_LEN];
};

#endif
