/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * virtif: an Ethernet interface on a Linux tap device, so that a rump
 * kernel and the host's own stack (or anything else on the tap's side:
 * a bridge, a namespace) share a link.  Created as the original's are:
 * rump_pub_netconfig_ifcreate("virt0"), then
 * rump_pub_netconfig_ifsetlinkstr("virt0", "TAPNAME"), which attaches to
 * the tap (made if missing, in the caller's network namespace); the link
 * string "TAPNAME,queues=N" attaches N queues of a multi-queue tap, each
 * with a receive thread, and spreads transmitted flows over them by
 * their hash.  The host side is virtif_user.c's rumpcomp_virtif_*
 * hypercalls, nothing else.
 *
 *   transmit (caller's thread) -> virt_transmit: the frame flattened
 *     into sc_txbuf under sc_txlock, one rumpcomp_virtif_send on the
 *     queue of its flow
 *   receive thread "virtN.Q" per queue: gives its virtual CPU up and
 *     blocks in rumpcomp_virtif_recv (poll on the tap), so an idle
 *     interface costs no CPU -> m_devget -> if_input (ether_input) ...
 *
 * Lifecycle: created with no tap; setlinkstr opens the tap's queues and
 * starts their receive threads; unsetlinkstr, destroy and the kernel's
 * halt (a shutdown hook) wake the threads, join them and close the tap.  A missing
 * /dev/net/tun or no permission is the setlinkstr's errno and one log
 * line, never a hang.
 *
 * Locking: (l) sc_lock: the attachment; (t) sc_txlock: the transmit
 * buffer, and the queues' handles for transmits; (r) the queue's receive
 * thread only; (a) atomic; (c) stable after creation.  Lock order: softnet_lock, then sc_lock, then sc_txlock,
 * then virt_list_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/reboot.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/if_ether.h>
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
	struct ethercom sc_ec;          /* first: the ifnet */
	kmutex_t sc_lock;
	kmutex_t sc_txlock;
	int sc_nqueues;                 /* l, t: 0 while not attached */
	struct virt_queue sc_q[VIRT_MAXQUEUES];
	char *sc_tapname;               /* l */
	bool sc_dying;                  /* a: the receive threads must end */
	uint8_t *sc_txbuf;              /* t: VIRT_FRAMEMAX bytes */
	LIST_ENTRY(virt_sc) sc_list;    /* virt_list_lock */
};

static kmutex_t virt_list_lock;
static LIST_HEAD(, virt_sc) virt_list = LIST_HEAD_INITIALIZER(virt_list);

static int
virt_transmit(struct ifnet *ifp, struct mbuf *m)
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

static void
virt_rcv(void *arg)
{
	struct virt_queue *vq = arg;
	struct virt_sc *sc = vq->vq_sc;
	struct ifnet *ifp = &sc->sc_ec.ec_if;
	unsigned long got;
	struct mbuf *m;
	int error;

	while (!atomic_load_acquire(&sc->sc_dying)) {
		rump_unschedule();
		error = rumpcomp_virtif_recv(vq->vq_tap, vq->vq_rxbuf,
		    VIRT_FRAMEMAX, &got);
		rump_schedule();
		if (error == EAGAIN)
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
			mutex_enter(softnet_lock);
			ifp->if_flags &= ~(IFF_RUNNING | IFF_LOWER_UP);
			mutex_exit(softnet_lock);
			break;
		}
		if ((m = m_devget(vq->vq_rxbuf, (int)got, ifp)) == NULL) {
			__atomic_fetch_add(&ifp->if_data.ifi_iqdrops, 1,
			    __ATOMIC_RELAXED);
			continue;
		}
		ifp->if_input(ifp, m);
	}
	kthread_exit(0);
}

/* "TAP" or "TAP,queues=N": the tap's name and the queue count. */
static int
virt_parse_link(const char *link, char *tap, size_t size, int *nqp)
{
	const char *comma = strchr(link, ',');
	size_t len = comma != NULL ? (size_t)(comma - link) : strlen(link);
	long long n = 1;

	if (len == 0 || len >= size)
		return EINVAL;
	memcpy(tap, link, len);
	tap[len] = '\0';
	if (comma != NULL && (strncmp(comma + 1, "queues=", 7) != 0 ||
	    strtoll_dec(comma + 8, &n) != 0 || n < 1 || n > VIRT_MAXQUEUES))
		return EINVAL;
	*nqp = (int)n;
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
	    &vq->vq_rcvl, "%s.%d", sc->sc_ec.ec_if.if_xname, i)) == 0)
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
	char tap[IFNAMSIZ + 1];
	int nq, i, error = 0;

	if ((error = virt_parse_link(link, tap, sizeof(tap), &nq)) != 0) {
		log(LOG_ERR, "%s: link \"%s\" is not TAP or TAP,queues=N "
		    "(1 to %d)\n", ifp->if_xname, link, VIRT_MAXQUEUES);
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

	mutex_enter(softnet_lock);
	ifp->if_flags |= IFF_LOWER_UP;
	if (ifp->if_flags & IFF_UP)
		ifp->if_flags |= IFF_RUNNING;
	mutex_exit(softnet_lock);
	return 0;
}

/* if_unsetlinkstr, destroy and halt: let go of the tap. */
static int
virt_detach_tap(struct ifnet *ifp)
{
	struct virt_sc *sc = ifp->if_softc;
	int nq;

	mutex_enter(softnet_lock);
	ifp->if_flags &= ~(IFF_RUNNING | IFF_LOWER_UP);
	mutex_exit(softnet_lock);

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

static int
virt_init(struct ifnet *ifp)
{
	KASSERT(mutex_owned(softnet_lock));
	if (ifp->if_flags & IFF_LOWER_UP)
		ifp->if_flags |= IFF_RUNNING;
	return 0;
}

static void
virt_stop(struct ifnet *ifp, int disable)
{
	(void)disable;
	KASSERT(mutex_owned(softnet_lock));
	ifp->if_flags &= ~IFF_RUNNING;
}

static int
virt_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	if (cmd == SIOCSIFFLAGS)
		return 0;       /* promiscuity and the rest: Ethernet's input */
	return ether_ioctl(ifp, cmd, data);
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
	uint8_t mac[ETHER_ADDR_LEN];
	unsigned long got;
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
	ifp = &sc->sc_ec.ec_if;
	ifp->if_softc = sc;
	if_initialize(ifp);
	ifp->if_transmit = virt_transmit;
	ifp->if_ioctl = virt_ioctl;
	ifp->if_init = virt_init;
	ifp->if_stop = virt_stop;
	ifp->if_setlinkstr = virt_attach_tap;
	ifp->if_unsetlinkstr = virt_detach_tap;
	/* A random, locally administered unicast address (IEEE 802, 9.2). */
	if (rumpuser_getrandom(mac, sizeof(mac), 0, &got) != 0 ||
	    got != sizeof(mac))
		panic("virt_clone_create: no random bytes from the host");
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
	ether_ifattach(ifp, mac);
	if_initname(ifp, "virt", unit);
	if ((error = if_attach(ifp)) != 0) {
		ether_ifdetach(ifp);
		ifq_destroy(&ifp->if_snd);
		virt_free(sc);
		return error;
	}
	mutex_enter(&virt_list_lock);
	LIST_INSERT_HEAD(&virt_list, sc, sc_list);
	mutex_exit(&virt_list_lock);
	return 0;
}

static int
virt_clone_destroy(struct ifnet *ifp)
{
	struct virt_sc *sc = ifp->if_softc;

	(void)virt_detach_tap(ifp);
	mutex_enter(&virt_list_lock);
	LIST_REMOVE(sc, sc_list);
	mutex_exit(&virt_list_lock);
	if_detach(ifp);
	ether_ifdetach(ifp);
	virt_free(sc);
	return 0;
}

static struct if_clone virt_cloner = {
	.ifc_name = "virt",
	.ifc_create = virt_clone_create,
	.ifc_destroy = virt_clone_destroy,
};

/* At halt: every receive thread stopped, every tap closed. */
static void
virt_shutdown(void *arg)
{
	struct virt_sc *sc;

	(void)arg;
	mutex_enter(&virt_list_lock);
	LIST_FOREACH(sc, &virt_list, sc_list) {
		mutex_exit(&virt_list_lock);
		(void)virt_detach_tap(&sc->sc_ec.ec_if);
		mutex_enter(&virt_list_lock);
	}
	mutex_exit(&virt_list_lock);
}

static struct shutdown_hook virt_shutdown_hook = { .sh_func = virt_shutdown };

static void
virt_component_init(void)
{
	mutex_init(&virt_list_lock, MUTEX_DEFAULT, IPL_NONE);
	if_clone_attach(&virt_cloner);
	shutdown_hook_register(&virt_shutdown_hook);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_IF, virtif, virt_component_init);
