/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * route_show.c: print the served kernel's routing table, for rump.route
 * show and rump.netstat -r.
 */
#ifndef ROUTE_SHOW_H
#define ROUTE_SHOW_H

/* Print the table; exit status (errors on stderr as "prog: ..."). */
int route_show(const char *prog);

#endif
