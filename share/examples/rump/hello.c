/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * hello: the smallest complete rump kernel client.  Boots a kernel in this
 * process, makes a second process inside it, and passes a message from
 * one to the other through a pipe, as two processes on any Unix would.
 *
 *	cc hello.c $(pkg-config --cflags --libs rump)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

static void
die(const char *what, int error)
{
	fprintf(stderr, "hello: %s: %s\n", what, strerror(error));
	exit(1);
}

int
main(void)
{
	static const char msg[] = "hello from the other process";
	struct lwp *parent, *child;
	char buf[64];
	int fds[2], error;
	ssize_t n;

	/* Show the boot messages unless the user chose otherwise. */
	setenv("RUMP_VERBOSE", "1", 0);
	if ((error = rump_init()) != 0)
		die("rump_init", error);
	printf("kernel booted in %.0f us\n",
	    (double)rump_pub_boottime_ns() / 1e3);

	if ((error = rump_pub_lwproc_rfork(RUMP_RFCFDG)) != 0)
		die("rfork", error);
	parent = rump_pub_lwproc_curlwp();
	if (rump_sys_pipe2(fds, 0) == -1)
		die("pipe2", errno);
	printf("process %d made a pipe: read end %d, write end %d\n",
	    rump_sys_getpid(), fds[0], fds[1]);

	/* The child gets a copy of the parent's descriptors, as fork does. */
	if ((error = rump_pub_lwproc_rfork(RUMP_RFFDG)) != 0)
		die("rfork", error);
	child = rump_pub_lwproc_curlwp();
	printf("process %d (child of %d) writes %zu bytes\n",
	    rump_sys_getpid(), rump_sys_getppid(), sizeof(msg));
	if (rump_sys_write(fds[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
		die("write", errno);
	rump_sys_close(fds[0]);
	rump_sys_close(fds[1]);
	rump_pub_lwproc_releaselwp();
	(void)child;

	rump_pub_lwproc_switch(parent);
	rump_sys_close(fds[1]);
	if ((n = rump_sys_read(fds[0], buf, sizeof(buf))) == -1)
		die("read", errno);
	printf("process %d read %zd bytes: \"%s\"\n", rump_sys_getpid(), n,
	    buf);
	/* The writer is gone: the next read sees end of file. */
	if ((n = rump_sys_read(fds[0], buf, sizeof(buf))) != 0)
		die("read at end of file", n == -1 ? errno : EIO);
	printf("process %d read end of file: the child has exited\n",
	    rump_sys_getpid());
	rump_pub_lwproc_releaselwp();
	return 0;
}
