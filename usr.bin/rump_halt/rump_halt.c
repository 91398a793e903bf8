/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump.halt: reboot the kernel served at $RUMP_SERVER (rump.halt(1)).
 * A served kernel's reboot syncs and ends the server process, so the
 * call's connection breaking (EIO) is what success looks like; with -h
 * the kernel halts and the server process stays, and the call returns.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>

static void
usage(FILE *f)
{
	fprintf(f,
	        "usage: rump.halt [-dhn]\n"
	        "  reboot the rump kernel at $RUMP_SERVER: sync, then end the "
	        "server\n"
	        "  -d  dump: the kernel panics\n"
	        "  -h  halt the kernel, leaving the server process\n"
	        "  -n  do not sync\n");
}

int
main(int argc, char *argv[])
{
	int ch, howto = 0;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	while ((ch = getopt(argc, argv, "dhn")) != -1) {
		switch (ch) {
		case 'd':
			howto |= RUMP_RB_DUMP;
			break;
		case 'h':
			howto |= RUMP_RB_HALT;
			break;
		case 'n':
			howto |= RUMP_RB_NOSYNC;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 1;
	}
	if (rumpclient_init() != 0) {
		fprintf(stderr, "rump.halt: rumpclient_init: %s\n",
		        strerror(errno));
		return 1;
	}
	if (rump_sys_reboot(howto, NULL) != 0 && errno != EIO) {
		fprintf(stderr, "rump.halt: reboot: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
