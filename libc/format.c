/*
 * C library: formatted output (course section: the C library on raw syscalls).
 *
 * The printf engine, shared by libc's printf family and the kernel's printk.
 * A conversion such as "%-08.3lx" is read in four steps, always in this order:
 *
 *   flags      - 0 + space #     how to pad and which prefix to print
 *   width      8 or *            the minimum number of characters
 *   precision  .3 or .*          minimum digits (numbers), maximum chars (%s)
 *   length     hh h l ll z t j   how big the argument is
 *   conversion d i u x X o p s c %
 *
 * and the result is laid out as
 *
 *   [spaces] [sign or 0x] [zeros] [digits] [spaces]
 *
 * where only one of the two space runs is used (left or right alignment).
 * No floating point: the kernel must not touch the FPU registers, and user
 * programs of this course do not need %f.
 */
#include "format.h"

#include <stdint.h>

/* Length modifiers, as the size of the argument read with va_arg. */
enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	      LEN_PTRDIFF, LEN_INTMAX };

/* Everything written between '%' and the conversion letter. */
struct spec {
	int left;	/* '-': pad on the right */
	int zero;	/* '0': pad numbers with zeros instead of spaces */
	int plus;	/* '+': always print a sign for signed conversions */
	int space;	/* ' ': print a space where a '+' would go */
	int alt;	/* '#': 0x for %x, a leading 0 for %o */
	int width;	/* minimum field width, 0 if none */
	int prec;	/* precision, -1 if none */
	enum length len;
};

/* Where the characters go, and how many went there. */
struct out {
	format_emit_fn emit;
	void *ctx;
	int count;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (n == 0)
		return;
	o->emit(o->ctx, s, n);
	o->count += (int)n;
}

/* Emits n copies of c (a space or a '0'), a chunk at a time, so padding a
 * field of width 1000 does not call emit a thousand times. */
static void pad(struct out *o, char c, int n)
{
	static const char spaces[] = "                ";
	static const char zeros[] = "0000000000000000";
	const char *run = c == '0' ? zeros : spaces;

	while (n > 0) {
		int chunk = n < 16 ? n : 16;
		put(o, run, (size_t)chunk);
		n -= chunk;
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads a decimal number at *p and moves *p past it. */
static int read_number(const char **p)
{
	int n = 0;

	while (is_digit(**p))
		n = n * 10 + (*(*p)++ - '0');
	return n;
}

/* Reads flags, width, precision and length into sp; *p ends on the
 * conversion letter. A '*' takes its value from the next int argument. */
static void read_spec(const char **p, struct spec *sp, va_list *ap)
{
	const char *f = *p;

	*sp = (struct spec){ .prec = -1, .len = LEN_INT };
	for (;; f++) {
		if (*f == '-') sp->left = 1;
		else if (*f == '0') sp->zero = 1;
		else if (*f == '+') sp->plus = 1;
		else if (*f == ' ') sp->space = 1;
		else if (*f == '#') sp->alt = 1;
		else break;
	}

	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* a negative width means '-' */
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	} else {
		sp->width = read_number(&f);
	}

	if (*f == '.') {
		f++;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)	/* negative: as if none was given */
				sp->prec = -1;
			f++;
		} else {
			sp->prec = read_number(&f);
		}
	}

	switch (*f) {
	case 'h':
		f++;
		sp->len = LEN_SHORT;
		if (*f == 'h') { f++; sp->len = LEN_CHAR; }
		break;
	case 'l':
		f++;
		sp->len = LEN_LONG;
		if (*f == 'l') { f++; sp->len = LEN_LLONG; }
		break;
	case 'z': f++; sp->len = LEN_SIZE; break;
	case 't': f++; sp->len = LEN_PTRDIFF; break;
	case 'j': f++; sp->len = LEN_INTMAX; break;
	}
	*p = f;
}

/* Fetches a signed argument. Types narrower than int were promoted to int
 * by the call, so they are read as int and then cut back to their size. */
static long long arg_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (signed char)va_arg(*ap, int);
	case LEN_SHORT: return (short)va_arg(*ap, int);
	case LEN_LONG: return va_arg(*ap, long);
	case LEN_LLONG: return va_arg(*ap, long long);
	case LEN_SIZE: return va_arg(*ap, long);	/* signed size_t: ssize_t */
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG: return va_arg(*ap, unsigned long);
	case LEN_LLONG: return va_arg(*ap, unsigned long long);
	case LEN_SIZE: return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return (unsigned long)va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Prints a field of len characters from s, padded to the width. */
static void put_field(struct out *o, const struct spec *sp, const char *s, int len)
{
	int padding = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		pad(o, ' ', padding);
	put(o, s, (size_t)len);
	if (sp->left)
		pad(o, ' ', padding);
}

/*
 * Prints one integer: its magnitude, in base 8, 10 or 16, and the prefix
 * ("-", "+", " ", "0x" or "0X") that goes before it.
 */
static void put_number(struct out *o, const struct spec *sp, unsigned long long v,
		       unsigned base, int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];		/* 2^64 - 1 has 22 octal digits */
	int n = 0, zeros, prefix_len = 0, total, padding;

	/* Digits come out least significant first: fill buf from the end. */
	while (v != 0) {
		buf[sizeof(buf) - 1 - n++] = digits[v % base];
		v /= base;
	}
	/* Zero has one digit "0", except that precision 0 prints no digits. */
	if (n == 0 && sp->prec != 0)
		buf[sizeof(buf) - 1 - n++] = '0';
	/* '#' with %o: the first digit must be 0, so "%#o" of 8 is "010". */
	if (base == 8 && sp->alt && (n == 0 || buf[sizeof(buf) - n] != '0'))
		buf[sizeof(buf) - 1 - n++] = '0';

	while (prefix[prefix_len])
		prefix_len++;
	zeros = sp->prec > n ? sp->prec - n : 0;
	total = prefix_len + zeros + n;
	padding = sp->width > total ? sp->width - total : 0;
	/* The '0' flag turns the padding into zeros after the prefix ("-0042"),
	 * but not when a precision is given or the field is left-aligned. */
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += padding;
		padding = 0;
	}

	if (!sp->left)
		pad(o, ' ', padding);
	put(o, prefix, (size_t)prefix_len);
	pad(o, '0', zeros);
	put(o, buf + sizeof(buf) - n, (size_t)n);
	if (sp->left)
		pad(o, ' ', padding);
}

/* %d and %i: split the value into a sign prefix and a magnitude. */
static void put_signed(struct out *o, const struct spec *sp, long long v)
{
	/* 0 - v in unsigned arithmetic is the magnitude even for LLONG_MIN,
	 * whose negation does not fit in a long long. */
	unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v
				       : (unsigned long long)v;
	const char *prefix = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";

	put_number(o, sp, mag, 10, 0, prefix);
}

/* %s: at most prec characters; never reads past them, so the string need
 * not be NUL-terminated when a precision is given. */
static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (s == NULL)
		/* Like glibc: "(null)", or nothing if the precision would cut it. */
		s = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
	while ((sp->prec < 0 || len < sp->prec) && s[len] != '\0')
		len++;
	put_field(o, sp, s, len);
}

/* %p: like glibc, "0x" and hex digits (as %#lx), or "(nil)" for NULL. */
static void put_pointer(struct out *o, const struct spec *sp, const void *p)
{
	if (p == NULL) {
		put_field(o, sp, "(nil)", 5);
		return;
	}
	put_number(o, sp, (unsigned long)p, 16, 0, "0x");
}

/* Handles one conversion; f points just after the '%'. Returns the position
 * after the conversion letter. */
static const char *convert(struct out *o, const char *f, va_list *ap)
{
	const char *start = f - 1;	/* the '%', to echo unknown conversions */
	struct spec sp;
	unsigned long long u;
	char c;

	read_spec(&f, &sp, ap);
	switch (*f) {
	case 'd':
	case 'i':
		put_signed(o, &sp, arg_signed(ap, sp.len));
		break;
	case 'u':
		put_number(o, &sp, arg_unsigned(ap, sp.len), 10, 0, "");
		break;
	case 'o':
		put_number(o, &sp, arg_unsigned(ap, sp.len), 8, 0, "");
		break;
	case 'x':
	case 'X':
		u = arg_unsigned(ap, sp.len);
		/* '#' adds 0x only to a nonzero value: "%#x" of 0 is "0". */
		put_number(o, &sp, u, 16, *f == 'X',
			   sp.alt && u != 0 ? (*f == 'X' ? "0X" : "0x") : "");
		break;
	case 'p':
		put_pointer(o, &sp, va_arg(*ap, void *));
		break;
	case 's':
		put_string(o, &sp, va_arg(*ap, const char *));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		put_field(o, &sp, &c, 1);
		break;
	case '%':
		put(o, "%", 1);
		break;
	case '\0':		/* the format ended inside a conversion */
		put(o, start, (size_t)(f - start));
		return f;
	default:		/* unknown: print it as it was written */
		put(o, start, (size_t)(f + 1 - start));
		break;
	}
	return f + 1;
}

int vformat(format_emit_fn emit, void *ctx, const char *fmt, va_list ap)
{
	struct out o = { emit, ctx, 0 };
	/* Helpers take a pointer to a va_list so that what they consume stays
	 * consumed. A va_list parameter may be an array in disguise (it is on
	 * x86_64), so &ap would have the wrong type: take a real copy first. */
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		/* Copy the literal text up to the next '%' in one piece. */
		const char *lit = fmt;
		while (*fmt != '\0' && *fmt != '%')
			fmt++;
		put(&o, lit, (size_t)(fmt - lit));
		if (*fmt == '%')
			fmt = convert(&o, fmt + 1, &args);
	}
	va_end(args);
	return o.count;
}
