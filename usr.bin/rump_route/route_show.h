/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * route_show.c: print the served kernel's routing table, for rump.route
 * show and rump.netstat -r, and fetch a sysctl's value for both;
 * route_monitor.c: print its routing socket's messages as they come.
 */
#ifndef ROUTE_SHOW_H
#define ROUTE_SHOW_H

#include <stddef.h>

/*
 * A sysctl's value in a fresh malloc'd buffer of *lenp bytes, retried
 * while it grows; NULL with errno (ENOENT: no such node) on failure.
 */
void *sysctl_fetch(const int *mib, unsigned n, size_t *lenp);

/* Print the table; exit status (errors on stderr as "prog: ..."). */
int route_show(const char *prog);

/* Print every routing message until the kernel goes; exit status. */
int route_monitor(const char *prog);

#endif
