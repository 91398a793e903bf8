/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Reader/writer locks on the rumpuser rwlock hypercalls. */
#include <sys/systm.h>
#include <sys/rwlock.h>
#include <sys/lwp.h>
#include <rump/rumpuser.h>

static int
hypop(krw_t op)
{
	return op == RW_WRITER ? RUMPUSER_RW_WRITER : RUMPUSER_RW_READER;
}

void
rw_init(krwlock_t *rw)
{
	if (rumpuser_rw_init(&rw->rw_hyp) != 0)
		panic("rw_init: out of host memory");
}

void
rw_destroy(krwlock_t *rw)
{
	KASSERT(!rw_lock_held(rw));
	rumpuser_rw_destroy(rw->rw_hyp);
	rw->rw_hyp = NULL;
}

void
rw_enter(krwlock_t *rw, krw_t op)
{
	KASSERTMSG(!rw_write_held(rw), "rwlock %p: locking against myself",
	    rw);
	KASSERTMSG(curlwp->l_spinlocks == 0,
	    "rwlock %p: taken with a spin mutex held", rw);
	rumpuser_rw_enter(hypop(op), rw->rw_hyp);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{
	return rumpuser_rw_tryenter(hypop(op), rw->rw_hyp) == 0;
}

int
rw_tryupgrade(krwlock_t *rw)
{
	KASSERT(rw_read_held(rw));
	return rumpuser_rw_tryupgrade(rw->rw_hyp) == 0;
}

void
rw_downgrade(krwlock_t *rw)
{
	KASSERT(rw_write_held(rw));
	rumpuser_rw_downgrade(rw->rw_hyp);
}

void
rw_exit(krwlock_t *rw)
{
	KASSERTMSG(rw_lock_held(rw), "rwlock %p: exit while not held", rw);
	rumpuser_rw_exit(rw->rw_hyp);
}

int
rw_write_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw->rw_hyp, &held);
	return held;
}

int
rw_read_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_READER, rw->rw_hyp, &held);
	return held;
}

int
rw_lock_held(krwlock_t *rw)
{
	return rw_write_held(rw) || rw_read_held(rw);
}
