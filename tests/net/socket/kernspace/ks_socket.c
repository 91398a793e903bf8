/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the sockets tests count from inside the kernel: live sockets (a
 * socket closed while in flight must go), and mbufs.
 */
#include <sys/systm.h>
#include <rump/rump.h>

#include "netspace.h"

/* uipc_socket.c */
unsigned long socket_count(void);

unsigned long
rump_test_socket_count(void)
{
	unsigned long n;

	rump_schedule();
	n = socket_count();
	rump_unschedule();
	return n;
}
