/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Configuration and attachment.  RUMPHIJACK is a comma-separated list:
 *   path=/rump          paths under /rump go to the kernel, /rump itself
 *                       being the kernel's "/";
 *   socket=all|none|inet:inet6:local:other
 *                       socket(2) of those domains goes to the kernel;
 *   root=/mnt           the kernel process chroots there when it is
 *                       first attached (not again after an exec);
 *   image=/path/ffs.img (local mode) the host file is registered as a
 *                       block device and mounted as FFS on root (or
 *                       /mnt), unmounted at exit;
 *   debug               a line on stderr for each attachment.
 * With no RUMPHIJACK the default is path=/rump.
 *
 * The kernel is attached on first use (hj_attach), so a program that
 * never touches the prefix never boots or connects.  An exec passes the
 * state in RUMPHIJACK_STATE ("cwd" and "fds" fields, hijack_fd.c's
 * format); the new program attaches at once when the state names any.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

struct hj_config hj_cfg;
__thread int hj_inside;

static pthread_mutex_t attach_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int attached;           /* 1 attached, -1 failed */

void *
hj_real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);

	if (p == NULL) {
		fprintf(stderr, "librumphijack: %s: no such host function\n",
		    name);
		abort();
	}
	return p;
}

static void
copyval(char *dst, size_t size, const char *val, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, val, len);
	dst[len] = '\0';
}

static unsigned
parse_socket(const char *v, size_t len)
{
	unsigned doms = 0;
	const char *end = v + len, *p;

	while (v < end) {
		for (p = v; p < end && *p != ':'; p++)
			continue;
		if (strncmp(v, "all", p - v) == 0 && p - v == 3)
			doms |= HJ_SOCK_LOCAL | HJ_SOCK_INET | HJ_SOCK_INET6 |
			    HJ_SOCK_OTHER;
		else if (p - v == 4 && strncmp(v, "inet", 4) == 0)
			doms |= HJ_SOCK_INET;
		else if (p - v == 5 && strncmp(v, "inet6", 5) == 0)
			doms |= HJ_SOCK_INET6;
		else if (p - v == 5 && strncmp(v, "local", 5) == 0)
			doms |= HJ_SOCK_LOCAL;
		else if (p - v == 5 && strncmp(v, "other", 5) == 0)
			doms |= HJ_SOCK_OTHER;
		else if (!(p - v == 4 && strncmp(v, "none", 4) == 0))
			fprintf(stderr, "librumphijack: RUMPHIJACK: "
			    "socket=%.*s: unknown domain\n", (int)(p - v), v);
		v = p + 1;
	}
	return doms;
}

static void
parse_config(const char *s)
{
	const char *p, *eq, *end;
	size_t klen;

	copyval(hj_cfg.prefix, sizeof(hj_cfg.prefix), "/rump", 5);
	for (p = s; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		eq = memchr(p, '=', end - p);
		klen = (eq != NULL ? eq : end) - p;
		if (eq == NULL && klen == 5 && strncmp(p, "debug", 5) == 0)
			hj_cfg.debug = true;
		else if (eq == NULL)
			fprintf(stderr, "librumphijack: RUMPHIJACK: %.*s: "
			    "not key=value\n", (int)klen, p);
		else if (klen == 4 && strncmp(p, "path", 4) == 0)
			copyval(hj_cfg.prefix, sizeof(hj_cfg.prefix), eq + 1,
			    end - eq - 1);
		else if (klen == 6 && strncmp(p, "socket", 6) == 0)
			hj_cfg.sockdoms = parse_socket(eq + 1, end - eq - 1);
		else if (klen == 4 && strncmp(p, "root", 4) == 0)
			copyval(hj_cfg.root, sizeof(hj_cfg.root), eq + 1,
			    end - eq - 1);
		else if (klen == 5 && strncmp(p, "image", 5) == 0)
			copyval(hj_cfg.image, sizeof(hj_cfg.image), eq + 1,
			    end - eq - 1);
		else
			fprintf(stderr, "librumphijack: RUMPHIJACK: %.*s: "
			    "unknown key\n", (int)klen, p);
	}
	/* "/rump/" is "/rump"; "/" or "" hijacks no path. */
	hj_cfg.prefixlen = strlen(hj_cfg.prefix);
	while (hj_cfg.prefixlen > 0 &&
	    hj_cfg.prefix[hj_cfg.prefixlen - 1] == '/')
		hj_cfg.prefix[--hj_cfg.prefixlen] = '\0';
}

bool
hj_attached(void)
{
	return attached == 1;
}

/* Boot or connect, once; the first failure is final. */
int
hj_attach(void)
{
	int error = 0;

	if (attached == 1)
		return 0;
	pthread_mutex_lock(&attach_lock);
	if (attached == 0) {
		hj_inside++;
		error = hj_backend_init();
		if (error == 0)
			error = hj_backend_mount();
		if (error == 0 && hj_cfg.root[0] != '\0' &&
		    rump_sys_chroot(hj_cfg.root) == -1)
			error = errno;
		hj_inside--;
		if (error != 0)
			fprintf(stderr, "librumphijack: attaching the kernel: "
			    "%s\n", strerror(error));
		else if (hj_cfg.debug)
			fprintf(stderr, "librumphijack: attached, prefix %s\n",
			    hj_cfg.prefix);
		attached = error == 0 ? 1 : -1;
	} else if (attached == -1)
		error = EIO;
	pthread_mutex_unlock(&attach_lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* After an exec: the kernel process and its descriptors carry on. */
static void
import_state(const char *st)
{
	const char *cwd = strstr(st, "cwd=1");

	if (hj_backend_init() != 0) {
		fprintf(stderr, "librumphijack: reattaching after exec: %s\n",
		    strerror(errno));
		attached = -1;
		return;
	}
	attached = 1;
	hj_cwd_kernel = cwd != NULL;
	hj_fd_import(st);
}

__attribute__((constructor(101))) static void
hijack_ctor(void)
{
	const char *st = getenv("RUMPHIJACK_STATE");

	parse_config(getenv("RUMPHIJACK"));
	if (st != NULL && st[0] != '\0') {
		hj_inside++;
		import_state(st);
		hj_inside--;
	}
	unsetenv("RUMPHIJACK_STATE");
}

/* The end of the program: exit (flushing stdio first) or _exit. */
void
hj_fini(bool flush)
{
	if (attached != 1)
		return;
	/* stdio streams on kernel files flush before the kernel goes. */
	if (flush)
		fflush(NULL);
	hj_inside++;
	hj_backend_fini();
	hj_inside--;
	attached = -1;
}

__attribute__((destructor)) static void
hijack_dtor(void)
{
	hj_fini(true);
}

void
hj_detach(void)
{
	attached = -1;
}

/* The backend let the kernel's resources go: the next use attaches. */
void
hj_unattach(void)
{
	attached = 0;
}
