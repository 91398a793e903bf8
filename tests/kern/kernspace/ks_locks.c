/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Lock torture: kernel threads hammer an adaptive and a spin mutex, a
 * reader/writer lock (with upgrades and downgrades) and a condition
 * variable (a bounded producer/consumer buffer), checking what each lock
 * promises: exact counts, never a writer with anyone else inside, every
 * item consumed once.
 */
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

#include "ks_test.h"

#define BUFSLOTS 4

struct torture {
	int iters;
	int nthreads;
	kmutex_t amtx;                  /* adaptive */
	kmutex_t smtx;                  /* spin */
	krwlock_t rw;
	unsigned long acount;           /* amtx */
	unsigned long scount;           /* smtx */
	unsigned long rwvalue;          /* rw, as writer */
	unsigned long rwwrites;         /* atomic */
	unsigned readers;               /* atomic: inside as reader */
	unsigned writers;               /* atomic: inside as writer */
	kmutex_t bufmtx;
	kcondvar_t notfull, notempty;
	unsigned long buf[BUFSLOTS];    /* bufmtx */
	unsigned head, count;           /* bufmtx */
	unsigned long consumed;         /* bufmtx: sum of items taken */
	int failed;                     /* atomic: first failing line */
};

struct torture_arg {
	struct torture *t;
	int idx;
};

#define T_CHECK(t, e)                                                          \
	do {                                                                   \
		if (!(e)) {                                                    \
			int zero_ = 0;                                         \
			__atomic_compare_exchange_n(&(t)->failed, &zero_,      \
			    __LINE__, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);  \
		}                                                              \
	} while (0)

/*
 * Read, pause, write: a lost update shows if exclusion fails.  The pause
 * gives the CPU away, so it is not for spin mutexes.
 */
static void
slow_increment(unsigned long *p, bool pause)
{
	unsigned long v = *(volatile unsigned long *)p;

	if (pause)
		yield();
	*(volatile unsigned long *)p = v + 1;
}

static void
torture_rw(struct torture *t, int i)
{
	if (i % 4 == 0) {
		rw_enter(&t->rw, RW_WRITER);
		T_CHECK(t, atomic_load_acquire(&t->readers) == 0);
		T_CHECK(t, __atomic_add_fetch(&t->writers, 1,
		    __ATOMIC_SEQ_CST) == 1);
		slow_increment(&t->rwvalue, i % 64 == 0);
		__atomic_sub_fetch(&t->writers, 1, __ATOMIC_SEQ_CST);
		atomic_add_long(&t->rwwrites, 1);
		rw_exit(&t->rw);
		return;
	}
	if (i % 3 == 0 && rw_tryenter(&t->rw, RW_READER) == 0)
		return;
	if (i % 3 != 0)
		rw_enter(&t->rw, RW_READER);
	__atomic_add_fetch(&t->readers, 1, __ATOMIC_SEQ_CST);
	T_CHECK(t, atomic_load_acquire(&t->writers) == 0);
	if (i % 8 == 1 && rw_tryupgrade(&t->rw)) {
		/* Alone now: no other reader, no writer. */
		T_CHECK(t, __atomic_sub_fetch(&t->readers, 1,
		    __ATOMIC_SEQ_CST) == 0);
		T_CHECK(t, __atomic_add_fetch(&t->writers, 1,
		    __ATOMIC_SEQ_CST) == 1);
		T_CHECK(t, rw_write_held(&t->rw));
		slow_increment(&t->rwvalue, i % 64 == 0);
		atomic_add_long(&t->rwwrites, 1);
		__atomic_sub_fetch(&t->writers, 1, __ATOMIC_SEQ_CST);
		rw_downgrade(&t->rw);
		__atomic_add_fetch(&t->readers, 1, __ATOMIC_SEQ_CST);
	}
	T_CHECK(t, atomic_load_acquire(&t->writers) == 0);
	__atomic_sub_fetch(&t->readers, 1, __ATOMIC_SEQ_CST);
	rw_exit(&t->rw);
}

static void
torture_produce(struct torture *t, unsigned long v)
{
	mutex_enter(&t->bufmtx);
	while (t->count == BUFSLOTS)
		cv_wait(&t->notfull, &t->bufmtx);
	t->buf[(t->head + t->count) % BUFSLOTS] = v;
	t->count++;
	cv_signal(&t->notempty);
	mutex_exit(&t->bufmtx);
}

static void
torture_consume(struct torture *t)
{
	mutex_enter(&t->bufmtx);
	while (t->count == 0)
		cv_wait(&t->notempty, &t->bufmtx);
	t->consumed += t->buf[t->head];
	t->head = (t->head + 1) % BUFSLOTS;
	t->count--;
	cv_signal(&t->notfull);
	mutex_exit(&t->bufmtx);
}

static void
torture_thread(void *arg)
{
	struct torture_arg *a = arg;
	struct torture *t = a->t;
	int i;

	for (i = 0; i < t->iters; i++) {
		mutex_enter(&t->amtx);
		slow_increment(&t->acount, i % 64 == 0);
		mutex_exit(&t->amtx);

		if (i % 2 == 0 || !mutex_tryenter(&t->smtx))
			mutex_spin_enter(&t->smtx);
		slow_increment(&t->scount, false);
		mutex_spin_exit(&t->smtx);

		torture_rw(t, i + a->idx);
	}
	/* Even threads produce 1..iters, odd ones consume as many. */
	for (i = 1; i <= t->iters; i++) {
		if (a->idx % 2 == 0)
			torture_produce(t, (unsigned long)i);
		else
			torture_consume(t);
	}
	kthread_exit(0);
}

int
rump_test_locktorture(int nthreads, int iters)
{
	struct torture_arg *args = NULL;
	struct lwp **lwps = NULL;
	struct torture t;
	unsigned long n, sum;
	int error = 0, i, started = 0;

	rump_schedule();
	memset(&t, 0, sizeof(t));
	t.iters = iters;
	t.nthreads = nthreads;
	mutex_init(&t.amtx, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&t.smtx, MUTEX_SPIN, IPL_VM);
	rw_init(&t.rw);
	mutex_init(&t.bufmtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&t.notfull, "notfull");
	cv_init(&t.notempty, "notempty");
	KS_REQUIRE(nthreads >= 2 && nthreads % 2 == 0);
	args = kmem_zalloc(nthreads * sizeof(*args), KM_SLEEP);
	lwps = kmem_zalloc(nthreads * sizeof(*lwps), KM_SLEEP);
	KS_REQUIRE(args != NULL && lwps != NULL);
	for (i = 0; i < nthreads; i++) {
		args[i].t = &t;
		args[i].idx = i;
		KS_REQUIRE(kthread_create(PRI_NONE,
		    KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL, torture_thread,
		    &args[i], &lwps[i], "torture%d", i) == 0);
		started++;
	}
out:
	for (i = 0; i < started; i++)
		kthread_join(lwps[i]);
	if (error == 0) {
		n = (unsigned long)nthreads * (unsigned long)iters;
		sum = (unsigned long)(nthreads / 2) *
		    ((unsigned long)iters * (unsigned long)(iters + 1) / 2);
		if (t.failed != 0)
			error = t.failed;
		else if (t.acount != n)
			error = __LINE__;
		else if (t.scount != n)
			error = __LINE__;
		else if (t.rwvalue != t.rwwrites || t.rwwrites == 0)
			error = __LINE__;
		else if (t.consumed != sum || t.count != 0)
			error = __LINE__;
		if (error != 0)
			printf("kernspace: locktorture failed at line %d: "
			    "acount %lu scount %lu rw %lu/%lu consumed %lu "
			    "(want %lu, %lu)\n", error, t.acount, t.scount,
			    t.rwvalue, t.rwwrites, t.consumed, n, sum);
	}
	if (args != NULL)
		kmem_free(args, nthreads * sizeof(*args));
	if (lwps != NULL)
		kmem_free(lwps, nthreads * sizeof(*lwps));
	cv_destroy(&t.notempty);
	cv_destroy(&t.notfull);
	mutex_destroy(&t.bufmtx);
	rw_destroy(&t.rw);
	mutex_destroy(&t.smtx);
	mutex_destroy(&t.amtx);
	rump_unschedule();
	return error;
}
