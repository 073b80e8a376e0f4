/*
 * Host unit test of the kernel command line and the RTC date arithmetic
 * (course section: booting; time).
 *
 * UNIT_SOURCES: kernel/init/bootinfo.c kernel/init/bootinfo_pvh.c drivers/rtc.c
 */
#include "unit.h"
#include "drivers/rtc.h"
#include "kernel/init/bootinfo.h"

#include <string.h>

uint8_t *host_phys_base;

int main(void)
{
	unit_suite = "boot";
	char line[] = "quiet  init=/run/prog -- a \"b c\" d\\\"e \"\"";
	char *argv[BOOT_MAX_ARGS + 1];
	int argc = split_cmdline(line, argv, BOOT_MAX_ARGS);
	CHECK_EQ("words are split on spaces, quotes group", argc, 7);
	CHECK("plain words", !strcmp(argv[0], "quiet") && !strcmp(argv[1], "init=/run/prog"));
	CHECK("a quoted word keeps its space", !strcmp(argv[4], "b c"));
	CHECK("a backslash escapes a quote", !strcmp(argv[5], "d\"e"));
	CHECK("an empty quoted word is a word", !strcmp(argv[6], ""));
	CHECK("argv ends with NULL", argv[argc] == NULL);

	char many[400];
	strcpy(many, "");
	for (int i = 0; i < 40; i++)
		strcat(many, "w ");
	CHECK_EQ("at most BOOT_MAX_ARGS words are kept", split_cmdline(many, argv, BOOT_MAX_ARGS), BOOT_MAX_ARGS);

	CHECK_EQ("1970-01-01 is day 0", days_from_civil(1970, 1, 1), 0);
	CHECK_EQ("2000-03-01 (after a leap day)", days_from_civil(2000, 3, 1), 11017);
	CHECK_EQ("2026-11-25", days_from_civil(2026, 11, 25), 20782);
	CHECK_EQ("1969-12-31 is day -1", days_from_civil(1969, 12, 31), -1);
	return unit_done();
}
