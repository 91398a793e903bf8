/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * virtif: an Ethernet interface on a Linux tap device, so that a rump
 * kernel and the host's own stack (or anything else on the tap's side:
 * a bridge, a namespace) share a link.  Created as the original's are:
 * rump_pub_netconfig_ifcreate("virt0"), then
 * rump_pub_netconfig_ifsetlinkstr("virt0", "TAPNAME"), which attaches to
 * the tap (made if missing, in the caller's network namespace).  After
 * the tap's name the link string takes, comma separated, "queues=N" (N
 * queues of a multi-queue tap, each with a receive thread, transmitted
 * flows spread over them by their hash) and the fault switch's items
 * (<net/if_fault.h>: "tap0,loss=5%,reorder=10%,delay=5,dir=both,seed=3").
 * The host side is virtif_user.c's rumpcomp_virtif_* hypercalls,
 * nothing else.
 *
 *   transmit (caller's thread) -> the fault switch -> virt_send: the
 *     frame flattened into sc_txbuf under sc_txlock, one
 *     rumpcomp_virtif_send on the queue of its flow
 *   receive thread "virtN.Q" per queue: reads what the tap holds with
 *     its virtual CPU held (a burst costs one read(2) a frame and no
 *     rescheduling); with the tap empty it gives the CPU up and blocks
 *     in rumpcomp_virtif_recv (poll on the tap), so an idle interface
 *     costs no CPU -> m_devget -> the fault switch -> if_input
 *     (ether_input) ...
 *
 * Lifecycle: created with no tap; setlinkstr opens the tap's queues and
 * starts their receive threads; unsetlinkstr, destroy and the kernel's
 * halt (libnet's etherlink hook) wake the threads, join them and close
 * the tap.  A missing /dev/net/tun or no permission is the setlinkstr's
 * errno and one log line, never a hang.  The ifnet's making,
 * init/stop/ioctl and the fault switch are libnet's
 * (<net/if_etherlink.h>).
 *
 * Locking: (l) sc_lock: the attachment; (t) sc_txlock: the transmit
 * buffer, and the queues' handles for transmits; (r) the queue's receive
 * thread only; (a) atomic; (c) stable after creation.  Lock order:
 * softnet_lock, then sc_lock, then sc_txlock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <net/if.h>
#include <net/if_etherlink.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "virtif_user.h"

/* Room for any frame a tap can carry (its MTU is at most 65535). */
#define VIRT_FRAMEMAX (65536 + ETHER_HDR_LEN + 4)
#define VIRT_MAXQUEUES 8

struct virt_sc;

/* One queue of the tap. */
struct virt_queue {
	struct virt_sc *vq_sc;          /* c */
	void *vq_tap;                   /* l, t: the host handle */
	struct lwp *vq_rcvl;            /* l */
	uint8_t *vq_rxbuf;              /* r: VIRT_FRAMEMAX bytes */
};

struct virt_sc {
	struct etherlink sc_el;         /* first: the ifnet */
	kmutex_t sc_lock;
	kmutex_t sc_txlock;
	int sc_nqueues;                 /* l, t: 0 while not attached */
	struct virt_queue sc_q[VIRT_MAXQUEUES];
	char *sc_tapname;               /* l */
	bool sc_dying;                  /* a: the receive threads must end */
	uint8_t *sc_txbuf;              /* t: VIRT_FRAMEMAX bytes */
};

static int
virt_send(struct ifnet *ifp, struct mbuf *m)
{
	struct virt_sc *sc = ifp->if_softc;
	int len = m->m_pkthdr.len, error;

	mutex_enter(&sc->sc_txlock);
	if (sc->sc_nqueues == 0 || len > VIRT_FRAMEMAX) {
		mutex_exit(&sc->sc_txlock);
		m_freem(m);
		__atomic_fetch_add(&ifp->if_data.ifi_oerrors, 1,
		    __ATOMIC_RELAXED);
		return ENETDOWN;
	}
	m_copydata(m, 0, len, sc->sc_txbuf);
	error = rumpcomp_virtif_send(
	    sc->sc_q[m->m_pkthdr.flowhash % (unsigned)sc->sc_nqueues].vq_tap,
	    sc->sc_txbuf, (unsigned long)len);
	mutex_exit(&sc->sc_txlock);
	m_freem(m);
	if (error != 0) {
		__atomic_fetch_add(&ifp->if_data.ifi_oerrors, 1,
		    __ATOMIC_RELAXED);
		return error;
	}
	__atomic_fetch_add(&ifp->if_data.ifi_opackets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&ifp->if_data.ifi_obytes, (uint64_t)len,
	    __ATOMIC_RELAXED);
	return 0;
}

/* The fault switch hands received frames on here. */
static void
virt_input(struct ifnet *ifp, struct mbuf *m)
{
	ifp->if_input(ifp, m);
}

static void
virt_rcv(void *arg)
{
	struct virt_queue *vq = arg;
	struct virt_sc *sc = vq->vq_sc;
	struct ifnet *ifp = &sc->sc_el.el_ec.ec_if;
	unsigned long got;
	struct mbuf *m;
	int error;

	while (!atomic_load_acquire(&sc->sc_dying)) {
		/* A burst is read with the CPU held; only an empty tap waits. */
		error = rumpcomp_virtif_recv(vq->vq_tap, vq->vq_rxbuf,
		    VIRT_FRAMEMAX, &got, 0);
		if (error == EAGAIN) {
			rump_unschedule();
			error = rumpcomp_virtif_recv(vq->vq_tap, vq->vq_rxbuf,
			    VIRT_FRAMEMAX, &got, 1);
			rump_schedule();
		}
		if (error == EINTR)
			continue;
		if (error == EMSGSIZE) {
			__atomic_fetch_add(&ifp->if_data.ifi_ierrors, 1,
			    __ATOMIC_RELAXED);
			continue;
		}
		if (error != 0) {
			log(LOG_ERR, "%s: tap %s: receive failed (error %d); "
			    "the link is down\n", ifp->if_xname,
			    sc->sc_tapname, error);
			etherlink_link(&sc->sc_el, false);
			break;
		}
		if ((m = m_devget(vq->vq_rxbuf, (int)got, ifp)) == NULL) {
			__atomic_fetch_add(&ifp->if_data.ifi_iqdrops, 1,
			    __ATOMIC_RELAXED);
			continue;
		}
		etherlink_input(&sc->sc_el, m);
	}
	kthread_exit(0);
}

/*
 * "TAP[,queues=N][,fault items]": the tap's name, the queue count and
 * the fault switch's spec (in fault, of the link's size; empty if none).
 */
static int
virt_parse_link(const char *link, char *tap, size_t size, int *nqp,
    char *fault)
{
	const char *p = strchr(link, ','), *end;
	size_t len = p != NULL ? (size_t)(p - link) : strlen(link), n, fl = 0;
	long long q = 1;
	char num[8];

	if (len == 0 || len >= size)
		return EINVAL;
	memcpy(tap, link, len);
	tap[len] = '\0';
	for (; p != NULL; p = *end == ',' ? end : NULL) {
		p++;
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n > 7 && strncmp(p, "queues=", 7) == 0) {
			if (n - 7 >= sizeof(num))
				return EINVAL;
			memcpy(num, p + 7, n - 7);
			num[n - 7] = '\0';
			if (strtoll_dec(num, &q) != 0 || q < 1 ||
			    q > VIRT_MAXQUEUES)
				return EINVAL;
			continue;
		}
		if (fl != 0)
			fault[fl++] = ',';
		memcpy(fault + fl, p, n);
		fl += n;
	}
	fault[fl] = '\0';
	*nqp = (int)q;
	return 0;
}

/*
 * Stop and close the first n queues (sc_lock held; released while the
 * receive threads are joined, since they log and take softnet_lock).
 */
static void
virt_close_queues(struct virt_sc *sc, int n)
{
	struct virt_queue *vq;

	atomic_store_release(&sc->sc_dying, true);
	for (vq = sc->sc_q; vq < sc->sc_q + n; vq++)
		rumpcomp_virtif_wake(vq->vq_tap);
	mutex_exit(&sc->sc_lock);
	for (vq = sc->sc_q; vq < sc->sc_q + n; vq++)
		kthread_join(vq->vq_rcvl);
	mutex_enter(&sc->sc_lock);
	for (vq = sc->sc_q; vq < sc->sc_q + n; vq++) {
		vq->vq_rcvl = NULL;
		rumpcomp_virtif_close(vq->vq_tap);
		vq->vq_tap = NULL;
		kmem_free(vq->vq_rxbuf, VIRT_FRAMEMAX);
		vq->vq_rxbuf = NULL;
	}
}

/* Open queue i and start its receive thread; nothing left on failure. */
static int
virt_open_queue(struct virt_sc *sc, const char *tap, int i, int nq)
{
	struct virt_queue *vq = &sc->sc_q[i];
	int error;

	vq->vq_sc = sc;
	if ((error = rumpcomp_virtif_open(tap, nq > 1, &vq->vq_tap)) != 0)
		return error;
	if ((vq->vq_rxbuf = kmem_alloc(VIRT_FRAMEMAX, KM_SLEEP)) == NULL)
		error = ENOMEM;
	else if ((error = kthread_create(PRI_NONE,
	    KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL, virt_rcv, vq,
	    &vq->vq_rcvl, "%s.%d", sc->sc_el.el_ec.ec_if.if_xname, i)) == 0)
		return 0;
	if (vq->vq_rxbuf != NULL)
		kmem_free(vq->vq_rxbuf, VIRT_FRAMEMAX);
	vq->vq_rxbuf = NULL;
	rumpcomp_virtif_close(vq->vq_tap);
	vq->vq_tap = NULL;
	return error;
}

/* if_setlinkstr: attach to the tap (and its queues) that link names. */
static int
virt_attach_tap(struct ifnet *ifp, const char *link)
{
	struct virt_sc *sc = ifp->if_softc;
	char tap[IFNAMSIZ + 1], *fault;
	size_t flen = strlen(link) + 1;
	int nq, i, error = 0;

	if ((fault = kmem_alloc(flen, KM_SLEEP)) == NULL)
		return ENOMEM;
	if ((error = virt_parse_link(link, tap, sizeof(tap), &nq, fault)) == 0 &&
	    fault[0] != '\0')
		error = if_fault_set(sc->sc_el.el_fault, fault, strlen(fault));
	kmem_free(fault, flen);
	if (error != 0) {
		log(LOG_ERR, "%s: link \"%s\" is not TAP[,queues=N (1 to %d)]"
		    "[,fault items]\n", ifp->if_xname, link, VIRT_MAXQUEUES);
		return error;
	}
	mutex_enter(&sc->sc_lock);
	if (sc->sc_nqueues != 0) {
		mutex_exit(&sc->sc_lock);
		return EBUSY;
	}
	atomic_store_release(&sc->sc_dying, false);
	for (i = 0; i < nq; i++)
		if ((error = virt_open_queue(sc, tap, i, nq)) != 0)
			break;
	if (error != 0) {
		virt_close_queues(sc, i);
		mutex_exit(&sc->sc_lock);
		log(LOG_ERR, "%s: cannot attach to tap %s: error %d%s\n",
		    ifp->if_xname, tap, error,
		    error == EPERM || error == EACCES ? " (needs CAP_NET_ADMIN)" :
		    error == ENOENT ? " (no /dev/net/tun)" :
		    error == EINVAL && nq > 1 ? " (not a multi-queue tap?)" : "");
		return error;
	}
	sc->sc_tapname = kmem_strdup(tap, KM_SLEEP);
	mutex_enter(&sc->sc_txlock);
	sc->sc_nqueues = nq;
	mutex_exit(&sc->sc_txlock);
	mutex_exit(&sc->sc_lock);
	etherlink_link(&sc->sc_el, true);
	return 0;
}

/* if_unsetlinkstr, destroy and halt: let go of the tap. */
static int
virt_detach_tap(struct ifnet *ifp)
{
	struct virt_sc *sc = ifp->if_softc;
	int nq;

	etherlink_link(&sc->sc_el, false);

	mutex_enter(&sc->sc_lock);
	if ((nq = sc->sc_nqueues) == 0) {
		mutex_exit(&sc->sc_lock);
		return ENXIO;
	}
	mutex_enter(&sc->sc_txlock);
	sc->sc_nqueues = 0;
	mutex_exit(&sc->sc_txlock);
	virt_close_queues(sc, nq);
	kmem_strfree(sc->sc_tapname);
	sc->sc_tapname = NULL;
	mutex_exit(&sc->sc_lock);
	return 0;
}

static void
virt_free(struct virt_sc *sc)
{
	if (sc->sc_txbuf != NULL)
		kmem_free(sc->sc_txbuf, VIRT_FRAMEMAX);
	mutex_destroy(&sc->sc_txlock);
	mutex_destroy(&sc->sc_lock);
	kmem_free(sc, sizeof(*sc));
}

static int
virt_clone_create(struct if_clone *ifc, int unit)
{
	struct virt_sc *sc;
	struct ifnet *ifp;
	int error;

	(void)ifc;
	if ((sc = kmem_zalloc(sizeof(*sc), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&sc->sc_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&sc->sc_txlock, MUTEX_DEFAULT, IPL_NONE);
	if ((sc->sc_txbuf = kmem_alloc(VIRT_FRAMEMAX, KM_SLEEP)) == NULL) {
		virt_free(sc);
		return ENOMEM;
	}
	ifp = &sc->sc_el.el_ec.ec_if;
	ifp->if_setlinkstr = virt_attach_tap;
	ifp->if_unsetlinkstr = virt_detach_tap;
	if ((error = etherlink_attach(&sc->sc_el, "virt", unit, virt_input,
	    virt_send)) != 0)
		virt_free(sc);
	return error;
}

static int
virt_clone_destroy(struct ifnet *ifp)
{
	struct virt_sc *sc = ifp->if_softc;

	(void)virt_detach_tap(ifp);
	etherlink_detach(&sc->sc_el);
	virt_free(sc);
	return 0;
}

static struct if_clone virt_cloner = {
	.ifc_name = "virt",
	.ifc_create = virt_clone_create,
	.ifc_destroy = virt_clone_destroy,
};

static void
virt_component_init(void)
{
	if_clone_attach(&virt_cloner);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_IF, virtif, virt_component_init);
