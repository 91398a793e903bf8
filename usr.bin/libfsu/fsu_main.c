/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * libfsu: the life of a tool.  Options common to all, mounting the
 * image with one clear line for each way that fails, messages, and the
 * one way out: every exit, including a caught SIGINT, SIGTERM or
 * SIGHUP (a closed terminal), releases the image (unmount writes
 * everything back) before the process ends.
 *
 * Signals only set fsu_signal (no SA_RESTART, so a blocking read on the
 * host returns EINTR); the loops that can run long (walks, copies,
 * reading stdin) call fsu_checksignal() between steps, which releases
 * the image and then dies of the signal.  A SIGHUP ignored when the
 * tool starts (nohup) stays ignored: the tool runs to its end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsu.h"

const char *fsu_progname = "fsu";
struct ukfs *fsu_fs;
const char *fsu_fstype;
const char *fsu_imagename;
volatile sig_atomic_t fsu_signal;
static const char *fsu_usagetext;

static void
fsu_onsignal(int sig)
{
	fsu_signal = sig;
}

void
fsu_init(int argc, char **argv, const char *usage)
{
	struct sigaction sa, old;
	const char *p;

	(void)argc;
	if (argv[0] != NULL) {
		p = strrchr(argv[0], '/');
		fsu_progname = p != NULL ? p + 1 : argv[0];
	}
	fsu_usagetext = usage;
	argv[0] = (char *)fsu_progname;       /* getopt's messages */
	/* The tool says what failed; the kernel's reasons on request. */
	if (getenv("RUMP_LOGLEVEL") == NULL && getenv("RUMP_VERBOSE") == NULL)
		setenv("RUMP_LOGLEVEL", "2", 1);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fsu_onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

void
fsu_usage(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    fsu_progname);
	fsu_exit(1);
}

bool
fsu_commonopt(int ch)
{
	switch (ch) {
	case 't':
		fsu_fstype = optarg;
		return true;
	case FSU_OPT_HELP:
		fputs(fsu_usagetext, stdout);
		fsu_exit(0);
	case '?':
		fsu_usage();
	default:
		return false;
	}
}

static void
vwarn(bool witherr, const char *fmt, va_list ap)
{
	int saved = errno;

	fflush(stdout);
	fprintf(stderr, "%s: ", fsu_progname);
	vfprintf(stderr, fmt, ap);
	if (witherr)
		fprintf(stderr, ": %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void
fsu_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(true, fmt, ap);
	va_end(ap);
}

void
fsu_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(false, fmt, ap);
	va_end(ap);
}

void
fsu_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(true, fmt, ap);
	va_end(ap);
	fsu_exit(1);
}

void
fsu_open(const char *image, int flags)
{
	const char *t = fsu_fstype;

	fsu_imagename = image;
	if (ukfs_init() == -1)
		fsu_die("cannot start the kernel");
	fsu_fs = ukfs_mount(t, image, NULL,
	    (flags & FSU_RDONLY) ? UKFS_RDONLY : 0, NULL, 0);
	if (fsu_fs != NULL)
		return;
	switch (errno) {
	case EMEDIUMTYPE:
		fsu_warnx("%s: unknown file-system type (name it with -t)",
		    image);
		break;
	case ENXIO:
		fsu_warnx("%s: no such partition", image);
		break;
	case EUCLEAN:
		fsu_warnx("%s: corrupt partition table", image);
		break;
	case ENODEV:
		fsu_warnx("%s: file-system type '%s' is not supported", image,
		    t != NULL ? t : "?");
		break;
	case EROFS:
		fsu_warn("%s: cannot open for writing", image);
		break;
	case EINVAL:
		fsu_warnx("%s: not a valid %s file system", image,
		    t != NULL && *t != '\0' ? t : "known");
		break;
	case ENOENT:
	case EISDIR:
	case EACCES:
		fsu_warn("%s", image);
		break;
	default:
		fsu_warn("%s: cannot mount", image);
		break;
	}
	fsu_exit(1);
}

static int
fsu_release(void)
{
	struct ukfs *fs = fsu_fs;

	if (fs == NULL)
		return 0;
	fsu_fs = NULL;
	if (ukfs_release(fs, UKFS_RELFLAG_FORCE) == -1) {
		fsu_warn("%s: unmount", fsu_imagename);
		return -1;
	}
	return 0;
}

void
fsu_checksignal(void)
{
	int sig = fsu_signal;

	if (sig == 0)
		return;
	fflush(stdout);
	fsu_progress(0, 0, true);
	(void)fsu_release();
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

int
fsu_exit(int status)
{
	fsu_checksignal();
	if (fflush(stdout) == EOF && status == 0) {
		fsu_warn("write error");
		status = 1;
	}
	if (fsu_release() == -1 && status == 0)
		status = 1;
	exit(status);
}

void *
fsu_xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		fsu_die("out of memory");
	return p;
}

char *
fsu_xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		fsu_die("out of memory");
	return p;
}

char *
fsu_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	p = fsu_xmalloc(dl + nl + 2);
	memcpy(p, dir, dl);
	if (dl == 0 || dir[dl - 1] != '/')
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

char *
fsu_basename(const char *path)
{
	size_t len = strlen(path), start;

	while (len > 1 && path[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len == 1 && path[0] == '/')
		return fsu_xstrdup("/");
	return strndup(path + start, len - start);
}
