/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The client backend (librumphijack.so): the kernel is rump_server's,
 * reached with librumpclient at $RUMP_SERVER.  The program is a process
 * of that kernel; a forked child gets a process that inherits the
 * parent's descriptors (rumpclient_prefork, rumpclient_fork_init), and
 * an exec keeps the process (rumpclient_exec), so descriptors and the
 * current directory carry on as on a host kernel.
 * $RUMPHIJACK_RETRYCONNECT sets rumpclient_setconnretry() as the
 * original's: inftime, once, die, or seconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "hijack.h"

static struct rumpclient_fork *pending;

static void
hj_retryconnect(void)
{
	const char *v = getenv("RUMPHIJACK_RETRYCONNECT");
	char *end;
	long secs;

	if (v == NULL)
		return;
	if (strcmp(v, "inftime") == 0)
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_INFTIME);
	else if (strcmp(v, "once") == 0)
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
	else if (strcmp(v, "die") == 0)
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_DIE);
	else if ((secs = strtol(v, &end, 10)) >= 0 && *v != '\0' &&
	         *end == '\0')
		rumpclient_setconnretry((time_t)secs);
	else
		fprintf(stderr,
		        "rumphijack: RUMPHIJACK_RETRYCONNECT: %s: not inftime, "
		        "once, die or a number of seconds\n",
		        v);
}

int
hj_backend_init(void)
{
	hj_retryconnect();
	return rumpclient_init();
}

int
hj_backend_mount(void)
{
	return 0;
}

void
hj_backend_prefork(void)
{
	hj_inside++;
	pending = rumpclient_prefork();
	hj_inside--;
}

void
hj_backend_postfork(pid_t pid)
{
	struct rumpclient_fork *rf = pending;

	pending = NULL;
	if (rf == NULL) {
		/* No kernel process for the child: it has no kernel. */
		if (pid == 0) {
			hj_fd_drop_all();
			hj_detach();
		}
		return;
	}
	hj_inside++;
	if (pid < 0)
		rumpclient_fork_cancel(rf);
	else if (pid > 0)
		free(rf);
	else if (rumpclient_fork_init(rf) != 0) {
		fprintf(stderr, "librumphijack: fork: the child's kernel "
		    "process: %s\n", strerror(errno));
		hj_fd_drop_all();
		hj_detach();
	}
	hj_inside--;
}

int
hj_backend_exec(const char *path, char *const argv[], char *const envp[])
{
	int rv;

	hj_inside++;
	rv = rumpclient_exec(path, argv, envp);
	hj_inside--;
	return rv;
}

void
hj_backend_fini(void)
{
}
