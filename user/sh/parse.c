/*
 * sh: from a line of text to pipelines (course section: processes).
 *
 * The language: words with '...' and "..." quoting and \ escapes; $VAR,
 * ${VAR}, $?, $$, $#, $0..$9 and ~; `|` pipelines; < > >> and N> N>> N<
 * N>&M redirections; ; && || & and newlines between pipelines; # comments.
 * Simplifications: each pipeline is expanded just before it runs, so a
 * syntax error late in a line shows up after the earlier parts ran; "a && b &"
 * puts only b in the background; expansions are not split into words.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

static char arena[ARENA_SIZE];
static size_t arena_used;
const char *parse_error;

static void put_char(char c)
{
	if (arena_used < ARENA_SIZE)
		arena[arena_used++] = c;
	else
		parse_error = "line too long";
}

static void put_string(const char *s)
{
	while (*s)
		put_char(*s++);
}

/* Expands the $... at *pp (just after the '$') into the arena and moves
 * *pp past it. A '$' followed by nothing usable stays a '$'. */
static void expand_dollar(const char **pp)
{
	const char *p = *pp;
	char name[128], num[16];
	size_t len = 0;
	int braces = *p == '{';

	if (*p == '?' || *p == '$' || *p == '#') {
		int v = *p == '?' ? last_status : *p == '$' ? getpid() : pos_count - 1;

		snprintf(num, sizeof(num), "%d", v < 0 ? 0 : v);
		put_string(num);
		*pp = p + 1;
		return;
	}
	if (isdigit((unsigned char)*p)) {		/* $0 .. $9 */
		int i = *p - '0';

		if (i < pos_count)
			put_string(pos_args[i]);
		*pp = p + 1;
		return;
	}
	if (braces)
		p++;
	while ((isalnum((unsigned char)*p) || *p == '_') && len < sizeof(name) - 1)
		name[len++] = *p++;
	name[len] = '\0';
	if (len == 0 || (braces && *p != '}')) {
		put_char('$');			/* not a variable after all */
		return;
	}
	if (braces)
		p++;
	if (getenv(name))
		put_string(getenv(name));
	*pp = p;
}

/* Characters that end an unquoted word. */
static int is_special(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' ||
	       c == '|' || c == '<' || c == '>';
}

/*
 * Reads one word at *pp into the arena, removing quotes and expanding $.
 * Returns the word, or NULL if nothing is left of it (an unquoted $EMPTY
 * vanishes, while "" is an empty word).
 */
static char *read_word(const char **pp)
{
	const char *p = *pp;
	size_t start = arena_used;
	int quoted = 0;

	/* ~ or ~/... at the start of a word is the home directory. */
	if (*p == '~' && (is_special(p[1]) || p[1] == '/') && getenv("HOME")) {
		put_string(getenv("HOME"));
		p++;
	}
	while (!is_special(*p)) {
		if (*p == '\\') {		/* \x is x, whatever x is */
			if (p[1] == '\0') {	/* a \ at the very end stays */
				put_char(*p++);
				continue;
			}
			put_char(p[1]);
			p += 2;
		} else if (*p == '\'') {	/* '...': everything literal */
			const char *end = strchr(p + 1, '\'');

			if (end == NULL) {
				parse_error = "unterminated '";
				return NULL;
			}
			while (++p < end)
				put_char(*p);
			p++;
			quoted = 1;
		} else if (*p == '"') {		/* "...": only $ and \ are special */
			p++;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1] && strchr("\"\\$", p[1])) {
					put_char(p[1]);
					p += 2;
				} else if (*p == '$') {
					p++;
					expand_dollar(&p);
				} else {
					put_char(*p++);
				}
			}
			if (*p != '"') {
				parse_error = "unterminated \"";
				return NULL;
			}
			p++;
			quoted = 1;
		} else if (*p == '$') {
			p++;
			expand_dollar(&p);
		} else {
			put_char(*p++);
		}
	}
	*pp = p;
	if (arena_used == start && !quoted)
		return NULL;
	put_char('\0');
	return arena + start;
}

/* ======================================================================= */
/* Parsing a pipeline                                                      */
/* ======================================================================= */

/* A redirection operator at p? "<", ">", ">>", ">&", each optionally after
 * one digit ("2>"). Fills r (without the target) and returns its length. */
static int redir_operator(const char *p, struct redir *r)
{
	const char *q = p;

	r->fd = -1;
	if (isdigit((unsigned char)q[0]) && (q[1] == '<' || q[1] == '>'))
		r->fd = *q++ - '0';
	if (*q == '<') {
		r->kind = R_IN;
		q++;
	} else if (*q == '>') {
		q++;
		r->kind = R_OUT;
		if (*q == '>')
			r->kind = R_APPEND, q++;
		else if (*q == '&')
			r->kind = R_DUP, q++;
	} else {
		return 0;
	}
	if (r->fd < 0)
		r->fd = r->kind == R_IN ? 0 : 1;
	return (int)(q - p);
}

/*
 * Parses (and expands) one pipeline starting at *pp, up to ; & && || a
 * newline or the end, and moves *pp past it. Returns 0, or -1 with
 * parse_error set. A pipeline of no commands at all is allowed (an empty
 * line, a comment) and does nothing.
 */
int parse_pipeline(const char **pp, struct pipeline *pl)
{
	const char *p = *pp;
	struct command *cmd;

	memset(pl, 0, sizeof(*pl));
	arena_used = 0;
	parse_error = NULL;
	cmd = &pl->cmds[0];
	pl->ncmds = 1;
	pl->next = C_END;
	for (;;) {
		struct redir r;
		int n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#')			/* a comment: up to the newline */
			p += strcspn(p, "\n");
		if (*p == '\0')
			break;
		if (*p == '\n' || *p == ';') {
			p++;
			pl->next = C_SEMI;
			break;
		}
		if (*p == '&') {
			if (p[1] == '&') {
				p += 2;
				pl->next = C_AND;
			} else {
				p++;
				pl->background = 1;
				pl->next = C_SEMI;
			}
			break;
		}
		if (*p == '|') {
			if (p[1] == '|') {
				p += 2;
				pl->next = C_OR;
				break;
			}
			p++;
			if (cmd->argc == 0 || pl->ncmds == MAX_CMDS) {
				parse_error = cmd->argc ? "pipeline too long" : "syntax error near '|'";
				return -1;
			}
			cmd = &pl->cmds[pl->ncmds++];
			continue;
		}
		if ((n = redir_operator(p, &r)) > 0) {
			p += n;
			while (*p == ' ' || *p == '\t')
				p++;
			r.target = read_word(&p);
			if (r.target == NULL || cmd->nredirs == MAX_REDIRS) {
				if (!parse_error)
					parse_error = r.target ? "too many redirections" :
								 "redirection without a file";
				return -1;
			}
			cmd->redirs[cmd->nredirs++] = r;
			continue;
		}
		char *word = read_word(&p);

		if (parse_error)
			return -1;
		if (word == NULL)
			continue;
		if (cmd->argc == MAX_ARGS) {
			parse_error = "too many arguments";
			return -1;
		}
		cmd->argv[cmd->argc++] = word;
	}
	*pp = p;
	if (parse_error)
		return -1;
	/* "a |" or "| b" or a lone "&&" are errors; an empty line is not. */
	if (cmd->argc == 0 && cmd->nredirs == 0 &&
	    (pl->ncmds > 1 || pl->background || pl->next == C_AND || pl->next == C_OR)) {
		parse_error = "syntax error: missing command";
		return -1;
	}
	if (cmd->argc == 0 && cmd->nredirs == 0)
		pl->ncmds = 0;
	return 0;
}

