/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The component registry.  Records arrive from the constructors of the
 * linked libraries, before main() and in no useful order; rump_init()
 * initialises them by type (see component.h), and within a type in the
 * order they registered.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/errno.h>

#include "rump_private.h"

/* Written only by constructors, before any thread exists. */
static struct rump_component *components;

void
component_register(struct rump_component *rc)
{
	struct rump_component **rcp;

	for (rcp = &components; *rcp != NULL; rcp = &(*rcp)->rc_next)
		continue;
	rc->rc_next = NULL;
	*rcp = rc;
}

bool
component_linked(const char *name)
{
	for (struct rump_component *rc = components; rc != NULL;
	     rc = rc->rc_next)
		if (strcmp(rc->rc_name, name) == 0)
			return true;
	return false;
}

int
component_check(void)
{
	for (struct rump_component *rc = components; rc != NULL;
	     rc = rc->rc_next)
		if (rc->rc_excludes != NULL && component_linked(rc->rc_excludes)) {
			log(LOG_ERR, "components %s and %s are both linked, and "
			    "they cannot be used together: link one\n",
			    rc->rc_name, rc->rc_excludes);
			return EINVAL;
		}
	return 0;
}

void
component_init_all(void)
{
	for (int type = 0; type < RUMP_COMPONENT_MAX; type++) {
		for (struct rump_component *rc = components; rc != NULL;
		     rc = rc->rc_next) {
			if ((int)rc->rc_type != type)
				continue;
			aprint_verbose("component %s\n", rc->rc_name);
			rc->rc_init();
		}
	}
}
