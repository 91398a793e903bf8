/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The component registry.  Records arrive from the constructors of the
 * linked libraries, before main() and in no useful order; rump_init()
 * initialises them by type (see component.h), and within a type in the
 * order they registered.  A record that arrives after boot, from a
 * library loaded with dlopen(), is initialised as it arrives, inside
 * the kernel; rump_pub_module_init() checks that the records a client
 * names are registered and initialises any that is not.  A library
 * loaded by one thread while another is inside rump_init() is not
 * supported.
 *
 * Lock order: component_lock, then whatever a component's init takes.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <rump/rump.h>

#include "rump_private.h"

/*
 * Written by constructors before boot, when no thread exists; after
 * boot, appended to under component_lock and read without it (a record
 * is complete before it is linked).
 */
static struct rump_component *components;
static kmutex_t component_lock;

static void
component_append(struct rump_component *rc)
{
	struct rump_component **rcp;

	rc->rc_next = NULL;
	for (rcp = &components; *rcp != NULL; rcp = &(*rcp)->rc_next)
		continue;
	atomic_store_release(rcp, rc);
}

/* Whether the component that rc excludes is linked; logs it if so. */
static bool
component_excluded(const struct rump_component *rc)
{
	if (rc->rc_excludes == NULL || !component_linked(rc->rc_excludes))
		return false;
	log(LOG_ERR, "components %s and %s are both linked, and they cannot "
	    "be used together: link one\n", rc->rc_name, rc->rc_excludes);
	return true;
}

/* After boot: initialise rc once.  Called with component_lock held. */
static void
component_init_late(struct rump_component *rc)
{
	KASSERT(mutex_owned(&component_lock));
	if (rc->rc_inited)
		return;
	if (component_excluded(rc)) {
		log(LOG_ERR, "component %s not initialised\n", rc->rc_name);
		return;
	}
	aprint_verbose("component %s (after boot)\n", rc->rc_name);
	rc->rc_init();
	rc->rc_inited = true;
}

void
component_register(struct rump_component *rc)
{
	if (!atomic_load_acquire(&kern_booted)) {
		component_append(rc);
		return;
	}
	rump_schedule();
	mutex_enter(&component_lock);
	component_append(rc);
	component_init_late(rc);
	mutex_exit(&component_lock);
	rump_unschedule();
}

bool
component_linked(const char *name)
{
	for (struct rump_component *rc = atomic_load_acquire(&components);
	     rc != NULL; rc = atomic_load_acquire(&rc->rc_next))
		if (strcmp(rc->rc_name, name) == 0)
			return true;
	return false;
}

int
component_check(void)
{
	for (struct rump_component *rc = components; rc != NULL;
	     rc = rc->rc_next)
		if (component_excluded(rc))
			return EINVAL;
	return 0;
}

void
component_init_all(void)
{
	mutex_init(&component_lock, MUTEX_DEFAULT, IPL_NONE);
	for (int type = 0; type < RUMP_COMPONENT_MAX; type++) {
		for (struct rump_component *rc = components; rc != NULL;
		     rc = rc->rc_next) {
			if ((int)rc->rc_type != type)
				continue;
			aprint_verbose("component %s\n", rc->rc_name);
			rc->rc_init();
			rc->rc_inited = true;
		}
	}
}

/*
 * Initialise the records of mi that are not yet, in type order.  Each
 * must be a registered record (its library's constructor registered it
 * when it loaded), else EINVAL.
 */
int
rump_pub_module_init(const struct modinfo *const *mi, size_t n)
{
	struct rump_component *rc;
	int error = 0;

	if (!atomic_load_acquire(&kern_booted))
		return ENXIO;
	if (mi == NULL && n > 0)
		return EINVAL;
	rump_schedule();
	mutex_enter(&component_lock);
	for (size_t i = 0; i < n && error == 0; i++) {
		for (rc = components; rc != NULL; rc = rc->rc_next)
			if ((const void *)rc == (const void *)mi[i])
				break;
		if (rc == NULL)
			error = EINVAL;
	}
	for (int type = 0; type < RUMP_COMPONENT_MAX && error == 0; type++) {
		for (size_t i = 0; i < n; i++) {
			rc = (struct rump_component *)(uintptr_t)mi[i];
			if ((int)rc->rc_type == type)
				component_init_late(rc);
		}
	}
	mutex_exit(&component_lock);
	rump_unschedule();
	return error;
}
