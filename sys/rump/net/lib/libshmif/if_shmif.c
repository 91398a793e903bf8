/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif: an Ethernet interface on a bus in a shared host file
 * (<rump/rump_shmif.h>; the bus format and its rules: shmif_bus.h).
 *
 *   transmit (caller's thread) -> the fault switch -> shmif_send ->
 *     shmif_write: reserve ring space with a compare-and-swap, copy,
 *     commit, wake the bus
 *   receive thread "shmifN": shmif_read_one -> m_devget -> the fault
 *     switch (<net/if_fault.h>) -> shmif_input -> if_input (ether_input)
 *     ...; with nothing to read it gives its virtual CPU up and sleeps in
 *     rumpcomp_shmif_wait on the bus's futex word, so an idle interface
 *     costs no CPU
 *
 * Lifecycle: created (cloner "shmif", or rump_pub_shmif_create) with no
 * bus; setlinkstr opens and maps the bus and starts the receive thread;
 * unsetlinkstr, destroy and the kernel's halt (libnet's etherlink hook)
 * stop the thread (sc_dying, a wake of the bus), join it and unmap the
 * bus.  The ifnet's making, init/stop/ioctl and the fault switch are
 * libnet's (<net/if_etherlink.h>).
 *
 * Locking: (l) sc_lock: the bus attachment, transmits (which use it);
 * (r) the receive thread only; (a) atomic; (c) stable after creation.
 * Lock order: softnet_lock, then sc_lock.
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
#include <sys/time.h>
#include <net/if.h>
#include <net/if_etherlink.h>
#include <rump/rump_shmif.h>
#include <rump/rumpuser.h>

#include "shmif_bus.h"
#include "shmif_user.h"

#define SHMIF_BATCH      64             /* frames per look at the bus */
#define SHMIF_STALL_WAIT 10000000ll     /* ns between looks at a stalled slot */

#define SHMIF_STAT(sc, f, n)                                                   \
	((void)__atomic_fetch_add(&(sc)->sc_st.f, (unsigned long long)(n),    \
	    __ATOMIC_RELAXED))

struct shmif_sc {
	struct etherlink sc_el;         /* first: the ifnet */
	kmutex_t sc_lock;
	struct shmif_bus *sc_bus;       /* l; stable while sc_rcvl runs */
	uint8_t *sc_ring;               /* l, as sc_bus */
	unsigned long sc_buslen;        /* l */
	uint64_t sc_ringsize;           /* l */
	uint32_t sc_id;                 /* l: our sender id on the bus */
	char *sc_path;                  /* l */
	struct lwp *sc_rcvl;            /* l */
	bool sc_dying;                  /* a: the receive thread must end */
	uint64_t sc_rpos;               /* r: our read position */
	uint64_t sc_stall_since;        /* r: uptime the slot at rpos stalled */
	struct rump_shmif_stats sc_st;  /* a */
};

static unsigned shmif_ringsize = SHMIF_RINGSIZE;        /* c after init */

static int shmif_send(struct ifnet *, struct mbuf *);

/*
 * Transmit.
 */
static int
shmif_write(struct shmif_sc *sc, struct mbuf *m)
{
	struct shmif_bus *bus = sc->sc_bus;
	uint64_t r, idx, pad, start, need, ringsize = sc->sc_ringsize;
	struct shmif_frame *fr;
	struct timespec ts;
	int len = m->m_pkthdr.len;

	KASSERT(mutex_owned(&sc->sc_lock));
	if (len <= 0 || len > SHMIF_MAXFRAME)
		return EMSGSIZE;
	need = SHMIF_FRAMESIZE((uint64_t)len);
	r = __atomic_load_n(&bus->shb_reserve, __ATOMIC_ACQUIRE);
	do {
		idx = r & (ringsize - 1);
		pad = idx + need > ringsize ? ringsize - idx : 0;
	} while (!__atomic_compare_exchange_n(&bus->shb_reserve, &r,
	    r + pad + need, false, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	if (pad != 0) {
		fr = (struct shmif_frame *)(void *)(sc->sc_ring + idx);
		fr->sf_len = 0;
		fr->sf_sender = sc->sc_id;
		fr->sf_sec = 0;
		fr->sf_nsec = 0;
		fr->sf_flags = SHMIF_FRAME_PAD;
		__atomic_store_n(&fr->sf_pos, r, __ATOMIC_RELEASE);
	}
	start = r + pad;
	fr = (struct shmif_frame *)(void *)(sc->sc_ring + (start & (ringsize - 1)));
	/*
	 * Descheduled so long that the ring went round past our slot: it is
	 * someone else's now, and writing into it would tear their frame.
	 */
	if (__atomic_load_n(&bus->shb_reserve, __ATOMIC_ACQUIRE) - start >
	    ringsize)
		return ENOBUFS;
	nanotime(&ts);
	fr->sf_len = (uint32_t)len;
	fr->sf_sender = sc->sc_id;
	fr->sf_sec = (uint64_t)ts.tv_sec;
	fr->sf_nsec = (uint32_t)ts.tv_nsec;
	fr->sf_flags = 0;
	m_copydata(m, 0, len, fr + 1);
	if (__atomic_load_n(&bus->shb_reserve, __ATOMIC_ACQUIRE) - start >
	    ringsize)
		return ENOBUFS;         /* lapped while copying: no commit */
	__atomic_store_n(&fr->sf_pos, start, __ATOMIC_RELEASE);
	__atomic_add_fetch(&bus->shb_commits, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&bus->shb_wakeword, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&bus->shb_waiters, __ATOMIC_SEQ_CST) != 0)
		rumpcomp_shmif_wake(bus);
	return 0;
}

static int
shmif_send(struct ifnet *ifp, struct mbuf *m)
{
	struct shmif_sc *sc = ifp->if_softc;
	int error, len = m->m_pkthdr.len;

	mutex_enter(&sc->sc_lock);
	error = sc->sc_bus != NULL ? shmif_write(sc, m) : ENETDOWN;
	mutex_exit(&sc->sc_lock);
	m_freem(m);
	if (error != 0) {
		SHMIF_STAT(sc, ss_txerrors, 1);
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		return error;
	}
	SHMIF_STAT(sc, ss_txframes, 1);
	SHMIF_STAT(sc, ss_txbytes, len);
	IF_STAT_ADD(ifp, ifi_opackets, 1);
	IF_STAT_ADD(ifp, ifi_obytes, len);
	return 0;
}

/*
 * Receive.
 */
enum shmif_rx { SHMIF_RX_NONE, SHMIF_RX_STALL, SHMIF_RX_PROGRESS };

static struct shmif_frame *
shmif_slot(struct shmif_sc *sc, uint64_t pos)
{
	return (struct shmif_frame *)(void *)(sc->sc_ring +
	    (pos & (sc->sc_ringsize - 1)));
}

static void
shmif_skip(struct shmif_sc *sc, uint64_t to)
{
	SHMIF_STAT(sc, ss_lostbytes, to - sc->sc_rpos);
	sc->sc_rpos = to;
	sc->sc_stall_since = 0;
}

/*
 * Lapped: what was at rpos is overwritten.  Go on from the oldest whole
 * frame still in the ring (a committed header at or after r - ringsize),
 * or from r if there is none.
 */
static void
shmif_overrun(struct shmif_sc *sc, uint64_t r)
{
	uint64_t p;

	for (p = r - sc->sc_ringsize; p < r; p += SHMIF_ALIGN)
		if (__atomic_load_n(&shmif_slot(sc, p)->sf_pos,
		    __ATOMIC_ACQUIRE) == p)
			break;
	SHMIF_STAT(sc, ss_overruns, 1);
	shmif_skip(sc, p);
}

/* The slot at rpos is reserved, not committed: wait, or skip a dead one. */
static enum shmif_rx
shmif_stalled(struct shmif_sc *sc, uint64_t r)
{
	uint64_t now = getnsecuptime(), p;

	if (sc->sc_stall_since == 0) {
		sc->sc_stall_since = now;
		return SHMIF_RX_STALL;
	}
	if (now - sc->sc_stall_since < SHMIF_STALL_NS)
		return SHMIF_RX_STALL;
	for (p = sc->sc_rpos + SHMIF_ALIGN; p < r; p += SHMIF_ALIGN)
		if (__atomic_load_n(&shmif_slot(sc, p)->sf_pos,
		    __ATOMIC_ACQUIRE) == p)
			break;
	SHMIF_STAT(sc, ss_stalls, 1);
	shmif_skip(sc, p);
	return SHMIF_RX_PROGRESS;
}

/*
 * The address filter a NIC has: unicast to another station is not copied
 * out of the ring (on a bus of many members most frames are someone
 * else's).  Ethernet's input checks again (and counts) what passes.
 */
static bool
shmif_notforus(struct ifnet *ifp, const struct shmif_frame *fr, uint32_t len)
{
	const uint8_t *dst = (const uint8_t *)(fr + 1);

	if (len < ETHER_ADDR_LEN || ETHER_IS_MULTICAST(dst) ||
	    (atomic_load_relaxed(&ifp->if_flags) & IFF_PROMISC) != 0)
		return false;
	return memcmp(dst, ifp->if_lladdr, ETHER_ADDR_LEN) != 0;
}

/* Look at the frame at rpos; *mp: a copy to deliver, or NULL. */
static enum shmif_rx
shmif_read_one(struct shmif_sc *sc, struct mbuf **mp)
{
	struct shmif_bus *bus = sc->sc_bus;
	struct ifnet *ifp = &sc->sc_el.el_ec.ec_if;
	uint64_t r, r2, idx, next, rpos = sc->sc_rpos;
	uint64_t ringsize = sc->sc_ringsize;
	struct shmif_frame *fr;
	struct mbuf *m = NULL;
	uint32_t len, flags;

	*mp = NULL;
	r = __atomic_load_n(&bus->shb_reserve, __ATOMIC_ACQUIRE);
	if (r == rpos)
		return SHMIF_RX_NONE;
	if (r - rpos > ringsize) {
		shmif_overrun(sc, r);
		return SHMIF_RX_PROGRESS;
	}
	fr = shmif_slot(sc, rpos);
	if (__atomic_load_n(&fr->sf_pos, __ATOMIC_ACQUIRE) != rpos)
		return shmif_stalled(sc, r);
	sc->sc_stall_since = 0;
	idx = rpos & (ringsize - 1);
	len = fr->sf_len;
	flags = fr->sf_flags;
	if (flags & SHMIF_FRAME_PAD)
		next = rpos + (ringsize - idx);
	else if (len == 0 || len > SHMIF_MAXFRAME ||
	    idx + SHMIF_FRAMESIZE(len) > ringsize) {
		SHMIF_STAT(sc, ss_corrupt, 1);
		shmif_skip(sc, r);
		return SHMIF_RX_PROGRESS;
	} else {
		next = rpos + SHMIF_FRAMESIZE(len);
		if (fr->sf_sender == sc->sc_id)
			SHMIF_STAT(sc, ss_own, 1);
		else if (shmif_notforus(ifp, fr, len))
			SHMIF_STAT(sc, ss_notforus, 1);
		else if ((m = m_devget(fr + 1, (int)len, ifp)) == NULL)
			SHMIF_STAT(sc, ss_nomem, 1);
	}
	/* Lapped while copying: the copy may be torn. */
	r2 = __atomic_load_n(&bus->shb_reserve, __ATOMIC_ACQUIRE);
	if (r2 - rpos > ringsize) {
		if (m != NULL)
			m_freem(m);
		shmif_overrun(sc, r2);
		return SHMIF_RX_PROGRESS;
	}
	sc->sc_rpos = next;
	*mp = m;
	return SHMIF_RX_PROGRESS;
}

/* The fault switch hands received frames on here. */
static void
shmif_input(struct ifnet *ifp, struct mbuf *m)
{
	struct shmif_sc *sc = ifp->if_softc;

	if ((ifp->if_flags & IFF_UP) == 0) {
		m_freem(m);
		return;
	}
	SHMIF_STAT(sc, ss_rxframes, 1);
	SHMIF_STAT(sc, ss_rxbytes, m->m_pkthdr.len);
	ifp->if_input(ifp, m);
}

static void
shmif_rcv(void *arg)
{
	struct shmif_sc *sc = arg;
	struct shmif_bus *bus = sc->sc_bus;
	enum shmif_rx st;
	long long timeout;
	struct mbuf *m;
	unsigned w;
	bool progress, stalled;
	int n;

	while (!atomic_load_acquire(&sc->sc_dying)) {
		w = __atomic_load_n(&bus->shb_wakeword, __ATOMIC_SEQ_CST);
		progress = stalled = false;
		for (n = 0; n < SHMIF_BATCH; n++) {
			st = shmif_read_one(sc, &m);
			if (st == SHMIF_RX_NONE)
				break;
			if (st == SHMIF_RX_STALL) {
				stalled = true;
				break;
			}
			progress = true;
			if (m != NULL)
				etherlink_input(&sc->sc_el, m);
		}
		if (progress)
			continue;
		timeout = stalled ? SHMIF_STALL_WAIT : -1;
		rump_unschedule();
		(void)rumpcomp_shmif_wait(bus, w, timeout);
		rump_schedule();
		SHMIF_STAT(sc, ss_wakeups, 1);
	}
	kthread_exit(0);
}

/*
 * The bus attachment (the link string).
 */
static int
shmif_attach_bus(struct shmif_sc *sc, const char *path)
{
	struct ifnet *ifp = &sc->sc_el.el_ec.ec_if;
	unsigned long len;
	void *mem;
	int error;

	mutex_enter(&sc->sc_lock);
	if (sc->sc_bus != NULL) {
		mutex_exit(&sc->sc_lock);
		return EBUSY;
	}
	if ((error = rumpcomp_shmif_open(path, shmif_ringsize, &mem, &len)) != 0) {
		mutex_exit(&sc->sc_lock);
		return error;
	}
	sc->sc_bus = mem;
	sc->sc_ring = (uint8_t *)mem + SHMIF_BUS_HDRSIZE;
	sc->sc_buslen = len;
	sc->sc_ringsize = sc->sc_bus->shb_ringsize;
	sc->sc_id = __atomic_add_fetch(&sc->sc_bus->shb_nextid, 1,
	    __ATOMIC_SEQ_CST);
	sc->sc_rpos = __atomic_load_n(&sc->sc_bus->shb_reserve,
	    __ATOMIC_ACQUIRE);
	sc->sc_stall_since = 0;
	sc->sc_path = kmem_strdup(path, KM_SLEEP);
	atomic_store_release(&sc->sc_dying, false);
	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, shmif_rcv, sc, &sc->sc_rcvl, "%s", ifp->if_xname);
	if (error != 0) {
		rumpcomp_shmif_close(sc->sc_bus, sc->sc_buslen);
		sc->sc_bus = NULL;
		sc->sc_ring = NULL;
		if (sc->sc_path != NULL)
			kmem_strfree(sc->sc_path);
		sc->sc_path = NULL;
		mutex_exit(&sc->sc_lock);
		return error;
	}
	mutex_exit(&sc->sc_lock);
	etherlink_link(&sc->sc_el, true);
	return 0;
}

static int
shmif_detach_bus(struct shmif_sc *sc)
{
	struct lwp *l;

	etherlink_link(&sc->sc_el, false);

	mutex_enter(&sc->sc_lock);
	if (sc->sc_bus == NULL || sc->sc_rcvl == NULL) {
		mutex_exit(&sc->sc_lock);
		return ENXIO;
	}
	l = sc->sc_rcvl;
	sc->sc_rcvl = NULL;
	atomic_store_release(&sc->sc_dying, true);
	__atomic_add_fetch(&sc->sc_bus->shb_wakeword, 1, __ATOMIC_SEQ_CST);
	rumpcomp_shmif_wake(sc->sc_bus);
	mutex_exit(&sc->sc_lock);
	/* The thread logs and takes locks: join with sc_lock released. */
	kthread_join(l);

	mutex_enter(&sc->sc_lock);
	rumpcomp_shmif_close(sc->sc_bus, sc->sc_buslen);
	sc->sc_bus = NULL;
	sc->sc_ring = NULL;
	kmem_strfree(sc->sc_path);
	sc->sc_path = NULL;
	mutex_exit(&sc->sc_lock);
	return 0;
}

static int
shmif_setlinkstr(struct ifnet *ifp, const char *path)
{
	return shmif_attach_bus(ifp->if_softc, path);
}

static int
shmif_unsetlinkstr(struct ifnet *ifp)
{
	return shmif_detach_bus(ifp->if_softc);
}

/*
 * The interface.
 */
static int
shmif_create(int unit, struct shmif_sc **scp)
{
	struct shmif_sc *sc;
	struct ifnet *ifp;
	char spec[256];
	int error;

	if ((sc = kmem_zalloc(sizeof(*sc), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&sc->sc_lock, MUTEX_DEFAULT, IPL_NONE);
	ifp = &sc->sc_el.el_ec.ec_if;
	ifp->if_setlinkstr = shmif_setlinkstr;
	ifp->if_unsetlinkstr = shmif_unsetlinkstr;
	if ((error = etherlink_attach(&sc->sc_el, "shmif", unit, shmif_input,
	    shmif_send)) != 0) {
		mutex_destroy(&sc->sc_lock);
		kmem_free(sc, sizeof(*sc));
		return error;
	}
	if (rumpuser_getparam("RUMP_SHMIF_FAULT", spec, sizeof(spec)) == 0 &&
	    if_fault_set(sc->sc_el.el_fault, spec, strlen(spec)) != 0)
		log(LOG_WARNING, "shmif: RUMP_SHMIF_FAULT=\"%s\" is malformed\n",
		    spec);
	if (scp != NULL)
		*scp = sc;
	return 0;
}

static int
shmif_destroy(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;

	(void)shmif_detach_bus(sc);
	etherlink_detach(&sc->sc_el);
	mutex_destroy(&sc->sc_lock);
	kmem_free(sc, sizeof(*sc));
	return 0;
}

static int
shmif_clone_create(struct if_clone *ifc, int unit)
{
	(void)ifc;
	return shmif_create(unit, NULL);
}

static struct if_clone shmif_cloner = {
	.ifc_name = "shmif",
	.ifc_create = shmif_clone_create,
	.ifc_destroy = shmif_destroy,
};

/*
 * The client interface.
 */
int
rump_pub_shmif_create(const char *path, int *unitp)
{
	struct shmif_sc *sc;
	int error;

	if (path == NULL)
		return EINVAL;
	rump_schedule();
	if ((error = shmif_create(-1, &sc)) == 0) {
		/* By the generic call, so SIOCGLINKSTR shows the bus. */
		if ((error = if_linkstr_set(sc->sc_el.el_ec.ec_if.if_xname,
		    path)) != 0)
			(void)shmif_destroy(&sc->sc_el.el_ec.ec_if);
		else if (unitp != NULL)
			*unitp = sc->sc_el.el_unit;
	}
	rump_unschedule();
	return error;
}

int
rump_pub_shmif_stats(const char *ifname, struct rump_shmif_stats *st)
{
	struct if_fault_stats fs;
	struct shmif_sc *sc;
	struct ifnet *ifp;
	int error = 0;

	if (st == NULL)
		return EINVAL;
	rump_schedule();
	if ((ifp = etherlink_lookup(ifname, shmif_send, &error)) != NULL) {
		sc = ifp->if_softc;
		unsigned long long *src = (unsigned long long *)&sc->sc_st;
		unsigned long long *dst = (unsigned long long *)st;
		for (size_t i = 0; i < sizeof(*st) / sizeof(*dst); i++)
			dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
		/* The fault switch's receive side (libnet's) counts its own. */
		if_fault_stats(sc->sc_el.el_fault, IF_FAULT_RX, &fs);
		st->ss_fdrop = fs.fs_drop;
		st->ss_fdup = fs.fs_dup;
		st->ss_freorder = fs.fs_reorder;
		st->ss_fcorrupt = fs.fs_corrupt;
		st->ss_fdelay = fs.fs_delay;
		st->ss_nomem += fs.fs_overflow;
		if_release(ifp);
	}
	rump_unschedule();
	return error;
}

int
rump_pub_shmif_fault(const char *ifname, const char *spec)
{
	struct ifnet *ifp;
	int error = 0;

	if (spec == NULL)
		return EINVAL;
	rump_schedule();
	if ((ifp = etherlink_lookup(ifname, shmif_send, &error)) != NULL) {
		error = if_fault_set(((struct shmif_sc *)ifp->if_softc)->
		    sc_el.el_fault, spec, strlen(spec));
		if_release(ifp);
	}
	rump_unschedule();
	return error;
}

static void
shmif_component_init(void)
{
	char buf[32];
	unsigned long long v;

	if (rumpuser_getparam("RUMP_SHMIF_RINGSIZE", buf, sizeof(buf)) == 0) {
		if (strtoull_sfx(buf, &v) == 0 && v >= SHMIF_RINGSIZE_MIN &&
		    v <= SHMIF_RINGSIZE_MAX && (v & (v - 1)) == 0)
			shmif_ringsize = (unsigned)v;
		else
			log(LOG_WARNING, "shmif: RUMP_SHMIF_RINGSIZE=%s: not a "
			    "power of two from 64k to 1g\n", buf);
	}
	if_clone_attach(&shmif_cloner);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_IF, shmif, shmif_component_init);
