/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Test component: the kernel's view of the client-visible structures. */
#include <sys/systm.h>
#include <sys/poll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

struct layout {
	const char *name;
	long value;
};

#define SIZE(t)     { "sizeof(" #t ")", (long)sizeof(t) },
#define FIELD(t, m) { "offsetof(" #t ", " #m ")", (long)offsetof(t, m) },
static const struct layout layouts[] = {
#include "layout_list.h"
};

int rump_test_layout(const char *, long *);

/* The kernel's value for a SIZE or FIELD entry; ENOENT if unknown. */
int
rump_test_layout(const char *name, long *valuep)
{
	for (size_t i = 0; i < __arraycount(layouts); i++) {
		if (strcmp(layouts[i].name, name) == 0) {
			*valuep = layouts[i].value;
			return 0;
		}
	}
	return ENOENT;
}
