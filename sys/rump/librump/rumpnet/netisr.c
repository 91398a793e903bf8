/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Protocol input queues (<net/netisr.h>).  A link layer that has told
 * which protocol a frame carries hands the packet to netisr_queue(); it
 * lands on that protocol's bounded queue and the protocol's soft
 * interrupt is scheduled.  The soft interrupt (level SOFTINT_NET) takes
 * packets off the queue and runs the protocol's handler on each with
 * softnet_lock held, at most NETISR_BATCH packets per hold so that system
 * calls waiting for the lock get their turn under a flood.
 *
 *   driver rx thread -> if_input -> ether_input -> netisr_queue
 *     -> softint -> netisr_run -> handler (ipintr, arpintr) under softnet_lock
 *
 * Lock order: softnet_lock, then a queue's ifq_lock (held only to link
 * or unlink a packet).  A queue is set up by netisr_register() at a
 * domain's init and lives as long as the kernel.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/intr.h>
#include <sys/mbuf.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <net/netisr.h>

#include "net_private.h"

#define NETISR_BATCH 64

/* Lock legend: (q) nq_q.ifq_lock, (c) stable once registered. */
struct netisr_queue {
	struct ifqueue nq_q;                    /* q */
	void (*nq_handler)(struct mbuf *);      /* c */
	void *nq_sih;                           /* c: the soft interrupt */
};

static struct netisr_queue netisr_queues[NETISR_MAX];

static void
netisr_run(void *arg)
{
	struct netisr_queue *nq = arg;
	struct mbuf *m;
	int n;

	do {
		mutex_enter(softnet_lock);
		for (n = 0; n < NETISR_BATCH; n++) {
			if ((m = ifq_dequeue(&nq->nq_q)) == NULL)
				break;
			nq->nq_handler(m);
		}
		mutex_exit(softnet_lock);
	} while (n == NETISR_BATCH);
}

/* net.netisr.drops: packets dropped by each full queue (uint64_t[NETISR_MAX]). */
static int
netisr_sysctl_drops(struct sysctlnode *node, struct sysctl_req *req)
{
	uint64_t drops[NETISR_MAX];

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	for (int i = 0; i < NETISR_MAX; i++)
		drops[i] = netisr_drops(i);
	return sysctl_copyout_value(req, drops, sizeof(drops));
}

void
netisr_init(void)
{
	struct sysctlnode *net, *netisr;
	int error;

	for (int i = 0; i < NETISR_MAX; i++)
		ifq_init(&netisr_queues[i].nq_q, NETISR_QLEN);
	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&netisr, net, NET_NETISR, "netisr",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(NULL, netisr, 1, "drops", CTLTYPE_STRUCT,
		    CTLFLAG_READONLY, NULL, 0, netisr_sysctl_drops);
	if (error != 0)
		log(LOG_WARNING, "net.netisr: not created: error %d\n", error);
}

void
netisr_register(int proto, void (*handler)(struct mbuf *))
{
	struct netisr_queue *nq;

	KASSERT(proto >= 0 && proto < NETISR_MAX);
	nq = &netisr_queues[proto];
	KASSERTMSG(nq->nq_handler == NULL, "netisr %d registered twice", proto);
	nq->nq_sih = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE, netisr_run,
	    nq);
	if (nq->nq_sih == NULL)
		panic("netisr_register: no soft interrupt for protocol %d",
		    proto);
	atomic_store_release(&nq->nq_handler, handler);
}

bool
netisr_queue(int proto, struct mbuf *m)
{
	struct netisr_queue *nq;

	KASSERT(proto >= 0 && proto < NETISR_MAX);
	KASSERT(m->m_flags & M_PKTHDR);
	nq = &netisr_queues[proto];
	if (atomic_load_acquire(&nq->nq_handler) == NULL) {
		mutex_enter(&nq->nq_q.ifq_lock);
		nq->nq_q.ifq_drops++;
		mutex_exit(&nq->nq_q.ifq_lock);
		m_freem(m);
		return false;
	}
	if (!ifq_enqueue(&nq->nq_q, m))
		return false;
	softint_schedule(nq->nq_sih);
	return true;
}

unsigned long
netisr_drops(int proto)
{
	struct netisr_queue *nq;
	unsigned long drops;

	KASSERT(proto >= 0 && proto < NETISR_MAX);
	nq = &netisr_queues[proto];
	mutex_enter(&nq->nq_q.ifq_lock);
	drops = nq->nq_q.ifq_drops;
	mutex_exit(&nq->nq_q.ifq_lock);
	return drops;
}
