/*
 * C library: character classes (course section: the C library on raw
 * syscalls).
 *
 * ASCII only, the "C" locale: a byte above 127 belongs to no class. Real
 * libcs use a 256-entry table of class bits per locale; plain comparisons
 * are enough here and easier to check.
 */
#include <ctype.h>

int isdigit(int c) { return c >= '0' && c <= '9'; }
int islower(int c) { return c >= 'a' && c <= 'z'; }
int isupper(int c) { return c >= 'A' && c <= 'Z'; }
int isalpha(int c) { return islower(c) || isupper(c); }
int isalnum(int c) { return isalpha(c) || isdigit(c); }
int isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int isblank(int c) { return c == ' ' || c == '\t'; }

/* Space, and \t \n \v \f \r (9 to 13). */
int isspace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Control characters: 0 to 31, and DEL (127). */
int iscntrl(int c) { return (c >= 0 && c < ' ') || c == 127; }

/* Printable: space to '~'. graph: the same without the space. */
int isprint(int c) { return c >= ' ' && c <= '~'; }
int isgraph(int c) { return c > ' ' && c <= '~'; }
int ispunct(int c) { return isgraph(c) && !isalnum(c); }

int tolower(int c) { return isupper(c) ? c - 'A' + 'a' : c; }
int toupper(int c) { return islower(c) ? c - 'a' + 'A' : c; }
