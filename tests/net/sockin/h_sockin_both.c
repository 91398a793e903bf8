/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* A program linked with both sockin and netinet: rump_init must refuse. */
#include <stdio.h>

#include <rump/rump.h>

int
main(void)
{
	int error = rump_init();

	printf("rump_init: %d\n", error);
	return error != 0;
}
