/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * fd_set, with Linux's layout: FD_SETSIZE bits in longs.  And the wakeup
 * mechanism behind poll(2) and select(2) (sys_select.c).
 *
 * An object that can be polled embeds a struct selinfo per condition it
 * signals (data to read, room to write), guarded by the object's own lock,
 * the interlock given to selinit().  Its fo_poll, holding the interlock,
 * tests readiness and, when nothing asked for is ready, calls selrecord()
 * to put the poller on the selinfo.  Whoever changes the object's state
 * calls selnotify(), again holding the interlock, with the events that may
 * now be true; it wakes every poller waiting for any of them.  Testing and
 * recording under the same lock as the change is what keeps a wakeup from
 * being lost.
 *
 * A poller holds a reference to each file it polls until it has taken
 * itself off every selinfo, so a selinfo outlives its pollers as long as
 * the object lives as long as its files.
 */
#ifndef _SYS_SELECT_H_
#define _SYS_SELECT_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#define FD_SETSIZE 1024
#define NFDBITS    (8 * (int)sizeof(long))

typedef struct {
	unsigned long fds_bits[FD_SETSIZE / (8 * sizeof(long))];
} fd_set;

#define FD_ISSET(n, p) (((p)->fds_bits[(n) / NFDBITS] >> ((n) % NFDBITS)) & 1)
#define FD_SET(n, p)   ((p)->fds_bits[(n) / NFDBITS] |= 1UL << ((n) % NFDBITS))
#define FD_CLR(n, p)   ((p)->fds_bits[(n) / NFDBITS] &= ~(1UL << ((n) % NFDBITS)))

struct pollwait;

/*
 * One poller waiting on one selinfo.  Lives in its poller's array.
 * Locking: (i) the selinfo's interlock, (c) stable while linked.
 */
struct selrec {
	LIST_ENTRY(selrec) sr_link;     /* i */
	struct selinfo *sr_sel;         /* c */
	struct pollwait *sr_pw;         /* c */
	int sr_events;                  /* c: what wakes the poller */
};

/* Locking: (i) si_lock, the owning object's lock. */
struct selinfo {
	kmutex_t *si_lock;              /* c */
	LIST_HEAD(, selrec) si_recs;    /* i */
};

/*
 * A poll(2)/select(2) call in progress.  fo_poll may record it on at most
 * SEL_MAXRECS selinfos per call.
 * Locking: (w) pw_lock, (o) the polling thread only.
 */
#define SEL_MAXRECS 2
struct pollwait {
	kmutex_t pw_lock;
	kcondvar_t pw_cv;
	bool pw_fired;                  /* w: a selnotify came */
	int pw_events;                  /* o: events of the fd being polled */
	unsigned pw_nrecs;              /* o: records in use */
	unsigned pw_maxrecs;            /* o: size of pw_recs */
	struct selrec *pw_recs;         /* o */
};

void selinit(struct selinfo *, kmutex_t *interlock);
void seldestroy(struct selinfo *);
/* Both with the selinfo's interlock held. */
void selrecord(struct pollwait *, struct selinfo *);
void selnotify(struct selinfo *, int events);

#endif /* _SYS_SELECT_H_ */
