/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Formatted output, the kernel log and panic.  Output goes to the host's
 * console through rumpuser_putchar, which writes whole lines.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>
#include <rump/rumpuser.h>

int boothowto_verbose;
int log_maxlevel = LOG_INFO;

struct fmtbuf {
	char *buf;
	size_t size;    /* capacity, including the terminating NUL */
	size_t len;     /* characters produced so far, stored or not */
};

static void
fmt_putc(struct fmtbuf *fb, char c)
{
	if (fb->len + 1 < fb->size)
		fb->buf[fb->len] = c;
	fb->len++;
}

struct fmtspec {
	bool left, zero, plus, space, alt;
	int width, prec;
};

static void
fmt_pad(struct fmtbuf *fb, int n, char c)
{
	while (n-- > 0)
		fmt_putc(fb, c);
}

static void
fmt_string(struct fmtbuf *fb, const struct fmtspec *sp, const char *s)
{
	size_t len;

	if (s == NULL)
		s = "(null)";
	len = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	if (!sp->left)
		fmt_pad(fb, sp->width - (int)len, ' ');
	for (size_t i = 0; i < len; i++)
		fmt_putc(fb, s[i]);
	if (sp->left)
		fmt_pad(fb, sp->width - (int)len, ' ');
}

static void
fmt_number(struct fmtbuf *fb, const struct fmtspec *sp, unsigned long long v,
    bool neg, unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, ndig, pad, plen;
	char sign = neg ? '-' : sp->plus ? '+' : sp->space ? ' ' : '\0';

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	ndig = sp->prec > n ? sp->prec : n;
	plen = (sign != '\0') + (prefix != NULL ? (int)strlen(prefix) : 0);
	pad = sp->width - ndig - plen;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		fmt_pad(fb, pad, ' ');
	if (sign != '\0')
		fmt_putc(fb, sign);
	for (; prefix != NULL && *prefix != '\0'; prefix++)
		fmt_putc(fb, *prefix);
	if (!sp->left && sp->zero && sp->prec < 0)
		fmt_pad(fb, pad, '0');
	fmt_pad(fb, ndig - n, '0');
	while (n > 0)
		fmt_putc(fb, tmp[--n]);
	if (sp->left)
		fmt_pad(fb, pad, ' ');
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmtbuf fb = { buf, size, 0 };
	struct fmtspec sp;
	unsigned long long uv;
	long long sv;
	int lng;

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			fmt_putc(&fb, *fmt);
			continue;
		}
		memset(&sp, 0, sizeof(sp));
		sp.prec = -1;
		for (;; fmt++) {
			if (fmt[1] == '-')
				sp.left = true;
			else if (fmt[1] == '0')
				sp.zero = true;
			else if (fmt[1] == '+')
				sp.plus = true;
			else if (fmt[1] == ' ')
				sp.space = true;
			else if (fmt[1] == '#')
				sp.alt = true;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				sp.width = sp.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					sp.prec = sp.prec * 10 + (*fmt++ - '0');
			}
		}
		/* lng: 0 int, 1 long, 2 long long, -1 short, -2 char */
		lng = 0;
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'h')
				lng--;
			else if (*fmt == 'z' || *fmt == 'j' || *fmt == 't')
				lng = 1;
			else
				break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng >= 2)
				sv = va_arg(ap, long long);
			else if (lng == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			if (lng == -1)
				sv = (short)sv;
			else if (lng <= -2)
				sv = (signed char)sv;
			uv = sv < 0 ? 0ULL - (unsigned long long)sv
				    : (unsigned long long)sv;
			fmt_number(&fb, &sp, uv, sv < 0, 10, false, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				uv = va_arg(ap, unsigned long long);
			else if (lng == 1)
				uv = va_arg(ap, unsigned long);
			else
				uv = va_arg(ap, unsigned int);
			if (lng == -1)
				uv = (unsigned short)uv;
			else if (lng <= -2)
				uv = (unsigned char)uv;
			if (*fmt == 'u')
				fmt_number(&fb, &sp, uv, false, 10, false, NULL);
			else if (*fmt == 'o')
				fmt_number(&fb, &sp, uv, false, 8, false,
				    sp.alt && uv != 0 ? "0" : NULL);
			else
				fmt_number(&fb, &sp, uv, false, 16, *fmt == 'X',
				    sp.alt && uv != 0
					? (*fmt == 'X' ? "0X" : "0x")
					: NULL);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			fmt_number(&fb, &sp, uv, false, 16, false, "0x");
			break;
		case 's':
			fmt_string(&fb, &sp, va_arg(ap, const char *));
			break;
		case 'c':
			fmt_putc(&fb, (char)va_arg(ap, int));
			break;
		case '%':
			fmt_putc(&fb, '%');
			break;
		default:
			/* Unknown conversion: show it rather than guess. */
			fmt_putc(&fb, '%');
			if (*fmt == '\0')
				fmt--;
			else
				fmt_putc(&fb, *fmt);
			break;
		}
	}
	if (size > 0)
		buf[fb.len < size ? fb.len : size - 1] = '\0';
	return (int)fb.len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void
cons_puts(const char *s)
{
	while (*s != '\0')
		rumpuser_putchar(*s++);
}

int
vprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	cons_puts(buf);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!boothowto_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/*
 * The kernel log: one line, prefixed so that it can be told from a
 * program's own output.  Always printed: these are the lines that explain
 * an error code (a corrupt image, an unconfigured component).
 */
/*
 * Log lines are rate-limited by content: a line equal to one printed in
 * the last LOG_REPEAT_NS is counted instead of printed, and the next copy
 * printed after that says how many were held back.  A line names its
 * object (the directory, the packet's source), so one corrupt directory
 * read in a loop costs the log a line every few seconds, while distinct
 * faults each still get theirs.  log_seen is small: a line pushed out of
 * it by LOG_SLOTS newer ones is printed again.
 */
#define LOG_SLOTS     32
#define LOG_REPEAT_NS (5ULL * 1000000000)

/* Locking: (l) log_lock. */
static struct log_slot {
	uint32_t ls_hash;               /* l: of the text; 0 = free */
	uint64_t ls_printed;            /* l: uptime (ns) it was last printed */
	unsigned ls_held;               /* l: copies not printed since */
} log_seen[LOG_SLOTS];
static kmutex_t log_lock;
static bool log_ready;

void
log_init(void)
{
	mutex_init(&log_lock, MUTEX_DEFAULT, IPL_NONE);
	log_ready = true;
}

static uint32_t
log_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h != 0 ? h : 1;
}

/*
 * Whether to print a line of hash h now; *heldp gets how many copies
 * were held back since it was last printed.
 */
static bool
log_admit(uint32_t h, unsigned *heldp)
{
	struct log_slot *ls, *old = &log_seen[0];
	uint64_t now = getnsecuptime();
	bool print = true;

	*heldp = 0;
	if (!log_ready)
		return true;
	mutex_enter(&log_lock);
	for (ls = log_seen; ls < log_seen + LOG_SLOTS; ls++) {
		if (ls->ls_hash == h)
			break;
		if (ls->ls_printed < old->ls_printed)
			old = ls;
	}
	if (ls == log_seen + LOG_SLOTS) {
		ls = old;
		ls->ls_hash = h;
		ls->ls_held = 0;
	} else if (now - ls->ls_printed < LOG_REPEAT_NS) {
		ls->ls_held++;
		print = false;
	}
	if (print) {
		*heldp = ls->ls_held;
		ls->ls_held = 0;
		ls->ls_printed = now;
	}
	mutex_exit(&log_lock);
	return print;
}

void
log(int level, const char *fmt, ...)
{
	static const char *const names[] = { "emerg", "alert", "crit", "error",
		"warning", "notice", "info", "debug" };
	char buf[512];
	va_list ap;
	size_t n, len;
	unsigned held;

	if ((level == LOG_DEBUG && !boothowto_verbose) ||
	    (level & 7) > log_maxlevel)
		return;
	n = (size_t)snprintf(buf, sizeof(buf), "rump kernel %s: ",
	    names[level & 7]);
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (!log_admit(log_hash(buf), &held))
		return;
	if (held > 0)
		snprintf(buf + len, sizeof(buf) - len,
		    " (and %u more like it held back)", held);
	cons_puts(buf);
	rumpuser_putchar('\n');
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	cons_puts("panic: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	rumpuser_putchar('\n');
	rumpuser_exit(RUMPUSER_PANIC);
}
