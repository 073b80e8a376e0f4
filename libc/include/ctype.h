/*
 * C library: character classes (course section: the C library on raw syscalls).
 *
 * ASCII only (the "C" locale). The argument is an unsigned char value or EOF,
 * as the standard says: pass (unsigned char)c, not a plain char that may be
 * negative.
 */
#ifndef LIBC_CTYPE_H
#define LIBC_CTYPE_H

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#endif
