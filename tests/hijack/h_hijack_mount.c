/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A client of the kernel at $RUMP_SERVER (librumpclient) that mounts an
 * FFS device of the server on a directory, or unmounts it, for the
 * hijack tests in served mode.
 *
 * usage: h_hijack_mount mount DEVICE DIR | unmount DIR
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/ufs_args.h>

static int
fail(const char *what)
{
	fprintf(stderr, "h_hijack_mount: %s: %s\n", what, strerror(errno));
	return 1;
}

int
main(int argc, char **argv)
{
	struct ufs_args ua;

	if (argc < 3 || (strcmp(argv[1], "mount") == 0 && argc != 4)) {
		fprintf(stderr, "usage: h_hijack_mount mount DEVICE DIR | "
		    "unmount DIR\n");
		return 2;
	}
	if (rumpclient_init() != 0)
		return fail("rumpclient_init");
	if (strcmp(argv[1], "unmount") == 0)
		return rump_sys_unmount(argv[2], 0) == 0 ? 0 : fail(argv[2]);
	if (rump_sys_mkdir(argv[3], 0755) == -1 && errno != EEXIST)
		return fail(argv[3]);
	ua.fspec = argv[2];
	if (rump_sys_mount("ffs", argv[3], 0, &ua, sizeof(ua)) == -1)
		return fail(argv[2]);
	return 0;
}
