/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Callouts (callout(9)), in kern_timeout.c: run a function once, a number
 * of ticks from now, on the clock kernel thread.
 *
 * A callout set for n ticks runs no sooner than n/hz seconds after it was
 * set (n <= 0: as soon as the clock thread gets to it).  Handlers run one
 * at a time, in deadline order, on one thread, with no lock held.  There
 * is no periodic tick: the clock thread sleeps until the earliest
 * deadline, and with nothing pending it sleeps until something is set.
 *
 * States, all changed under the callout lock:
 *   pending   queued to run (callout_pending)
 *   expired   its handler was started since it was last set
 *   invoking  its handler was started; cleared by callout_ack()
 *   active    set by callout_reset/schedule, cleared by callout_stop,
 *             callout_halt and callout_deactivate: for handlers that want
 *             to know whether a stop raced with their start
 *
 * callout_init() may sleep (the first one starts the clock thread);
 * callout_reset/schedule/stop may be called in any context, spin mutexes
 * held included; callout_halt() and callout_destroy() may sleep.
 */
#ifndef _SYS_CALLOUT_H_
#define _SYS_CALLOUT_H_

#include <sys/types.h>
#include <sys/queue.h>

struct kmutex;

typedef struct callout {
	TAILQ_ENTRY(callout) c_link;    /* l: on the pending queue */
	void (*c_func)(void *);         /* l */
	void *c_arg;                    /* l */
	uint64_t c_when;                /* l: deadline, ns of uptime */
	unsigned c_flags;               /* l: CALLOUT_* */
	unsigned c_magic;               /* l: initialised and not destroyed */
} callout_t;

#define CALLOUT_PENDING  0x01
#define CALLOUT_EXPIRED  0x02
#define CALLOUT_INVOKING 0x04
#define CALLOUT_ACTIVE   0x08

/* callout_init() flags: every callout is MP-safe here. */
#define CALLOUT_MPSAFE   0x0100

void callout_init(callout_t *, unsigned flags);
void callout_destroy(callout_t *);
void callout_setfunc(callout_t *, void (*)(void *), void *);
void callout_reset(callout_t *, int ticks, void (*)(void *), void *);
void callout_schedule(callout_t *, int ticks);
bool callout_stop(callout_t *);         /* true if it was pending */
bool callout_halt(callout_t *, struct kmutex *interlock);
bool callout_pending(callout_t *);
bool callout_active(callout_t *);
bool callout_expired(callout_t *);
bool callout_invoking(callout_t *);
void callout_ack(callout_t *);
void callout_deactivate(callout_t *);

/*
 * Sleep for timo ticks (at least 1).  mtx, if not NULL, is held on entry,
 * released during the sleep and held again on return.  Returns
 * EWOULDBLOCK, the time having run out: there is nothing else to wake it.
 */
int kpause(const char *wmesg, bool intr, int timo, struct kmutex *mtx);

#endif /* _SYS_CALLOUT_H_ */
