/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The device switch (sys/conf.h): majors handed to drivers as they
 * attach, looked up by the device vnodes on every open and I/O.  Majors
 * come from Linux's range for local devices, so they never look like a
 * host device a client knows.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/conf.h>
#include <sys/mutex.h>

#include "dev_private.h"

#define DEVSW_FIRST 240
#define DEVSW_NMAJOR 15                 /* 240 .. 254 */

static kmutex_t devsw_lock;
/* devsw_lock to set; read atomically: a slot, once set, stays. */
static const struct devsw *devsw_table[DEVSW_NMAJOR];

void
devsw_init(void)
{
	mutex_init(&devsw_lock, MUTEX_DEFAULT, IPL_NONE);
}

int
devsw_attach(const struct devsw *d, unsigned *majorp)
{
	unsigned i;
	int error = EBUSY;

	mutex_enter(&devsw_lock);
	for (i = 0; i < DEVSW_NMAJOR; i++) {
		if (devsw_table[i] == NULL) {
			atomic_store_release(&devsw_table[i], d);
			*majorp = DEVSW_FIRST + i;
			error = 0;
			break;
		}
	}
	mutex_exit(&devsw_lock);
	return error;
}

const struct devsw *
devsw_lookup(dev_t dev)
{
	unsigned maj = major(dev);

	if (maj < DEVSW_FIRST || maj >= DEVSW_FIRST + DEVSW_NMAJOR)
		return NULL;
	return atomic_load_acquire(&devsw_table[maj - DEVSW_FIRST]);
}
