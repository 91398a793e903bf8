/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Every constant and structure a client passes to the kernel must mean
 * the same on both sides: each RUMP_ constant equals the host's, and each
 * structure in layout_list.h has the same size and offsets.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>

#include <rump/rumpdefs.h>

#include "h_macros.h"

struct constant {
	const char *name;
	long long kernel, host;
	int state;              /* 0 compare, 1 missing on host, 2 optional */
};

#define CONST(n)   { #n, (long long)RUMP_##n, (long long)(n), 0 }
#define MISSING(n) { #n, (long long)RUMP_##n, 0, 1 }
#define ABSENT(n)  { #n, (long long)RUMP_##n, 0, 2 }

static const struct constant constants[] = {
#include "constants_gen.h"
};

TESTCASE(constants_match_host)
{
	int compared = 0, bad = 0;

	for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++) {
		const struct constant *c = &constants[i];
		if (c->state == 1) {
			fprintf(stderr, "%s: not defined by the host\n", c->name);
			bad++;
		} else if (c->state == 0 && c->kernel != c->host) {
			fprintf(stderr, "%s: kernel %lld, host %lld\n", c->name,
			    c->kernel, c->host);
			bad++;
		}
		compared += c->state == 0;
	}
	printf("%d constants compared\n", compared);
	REQUIRE_EQ(bad, 0);
	REQUIRE(compared >= 140);
}

int rump_test_layout(const char *, long *);

struct layout {
	const char *name;
	long value;
};
#define SIZE(t)     { "sizeof(" #t ")", (long)sizeof(t) },
#define FIELD(t, m) { "offsetof(" #t ", " #m ")", (long)offsetof(t, m) },
static const struct layout layouts[] = {
#include "layout_list.h"
};

TESTCASE(layouts_match_host)
{
	int bad = 0;
	long kv;

	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		REQUIRE_EQ(rump_test_layout(layouts[i].name, &kv), 0);
		if (kv != layouts[i].value) {
			fprintf(stderr, "%s: kernel %ld, host %ld\n",
			    layouts[i].name, kv, layouts[i].value);
			bad++;
		}
	}
	REQUIRE_EQ(bad, 0);
}

TESTS(CASE_NOBOOT(constants_match_host), CASE(layouts_match_host))
