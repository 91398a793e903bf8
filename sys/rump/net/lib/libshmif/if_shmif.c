/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif: an Ethernet interface on a bus in a shared host file
 * (<rump/rump_shmif.h>; the bus format and its rules: shmif_bus.h).
 *
 *   transmit (caller's thread) -> shmif_transmit -> shmif_write: reserve
 *     ring space with a compare-and-swap, copy, commit, wake the bus
 *   receive thread "shmifN": shmif_read_one -> m_devget -> fault switch
 *     -> if_input (ether_input) ...; with nothing to read it gives its
 *     virtual CPU up and sleeps in rumpcomp_shmif_wait on the bus's futex
 *     word, so an idle interface costs no CPU
 *
 * Lifecycle: created (cloner "shmif", or rump_pub_shmif_create) with no
 * bus; setlinkstr opens and maps the bus and starts the receive thread;
 * unsetlinkstr, destroy and the kernel's halt (a shutdown hook) stop the
 * thread (sc_dying, a wake of the bus), join it and unmap the bus.
 *
 * Locking: (l) sc_lock: the bus attachment, transmits (which use it),
 * the fault settings; (r) the receive thread only; (a) atomic;
 * (c) stable after creation.  Lock order: softnet_lock, then sc_lock,
 * then shmif_list_lock.
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
#include <net/if_ether.h>
#include <rump/rump_shmif.h>
#include <rump/rumpuser.h>

#include "shmif_bus.h"
#include "shmif_user.h"

#define SHMIF_BATCH      64             /* frames per look at the bus */
#define SHMIF_DELAYQ     4096           /* frames the delay fault holds */
#define SHMIF_STALL_WAIT 10000000ll     /* ns between looks at a stalled slot */
#define SHMIF_HOLD_WAIT  1000000ll      /* ns a reordered frame waits at most */
#define SHMIF_PPM        1000000u

#define SHMIF_STAT(sc, f, n)                                                   \
	((void)__atomic_fetch_add(&(sc)->sc_st.f, (unsigned long long)(n),    \
	    __ATOMIC_RELAXED))

/* The fault switch's settings.  Locking: (l). */
struct shmif_fault {
	uint64_t sf_rng;                /* xorshift64* state */
	uint32_t sf_drop, sf_dup, sf_reorder, sf_corrupt; /* per million */
	uint64_t sf_delay_ns;
};

struct shmif_delayed {
	struct mbuf *sd_m;
	uint64_t sd_due;                /* uptime ns */
};

struct shmif_sc {
	struct ethercom sc_ec;          /* first: the ifnet */
	kmutex_t sc_lock;
	int sc_unit;                    /* c */
	struct shmif_bus *sc_bus;       /* l; stable while sc_rcvl runs */
	uint8_t *sc_ring;               /* l, as sc_bus */
	unsigned long sc_buslen;        /* l */
	uint64_t sc_ringsize;           /* l */
	uint32_t sc_id;                 /* l: our sender id on the bus */
	char *sc_path;                  /* l */
	struct lwp *sc_rcvl;            /* l */
	bool sc_dying;                  /* a: the receive thread must end */
	bool sc_faulty;                 /* a: a fault is set */
	struct shmif_fault sc_fault;    /* l */
	uint64_t sc_rpos;               /* r: our read position */
	uint64_t sc_stall_since;        /* r: uptime the slot at rpos stalled */
	struct mbuf *sc_held;           /* r: a reordered frame */
	struct shmif_delayed *sc_delayq; /* r: SHMIF_DELAYQ entries, or NULL */
	unsigned sc_dhead, sc_dcount;   /* r */
	struct rump_shmif_stats sc_st;  /* a */
	LIST_ENTRY(shmif_sc) sc_list;   /* shmif_list_lock */
};

static kmutex_t shmif_list_lock;
static LIST_HEAD(, shmif_sc) shmif_list = LIST_HEAD_INITIALIZER(shmif_list);
static unsigned shmif_ringsize = SHMIF_RINGSIZE;        /* c after init */

static int shmif_transmit(struct ifnet *, struct mbuf *);

/*
 * The fault switch.
 */
static uint64_t
shmif_rand(struct shmif_fault *f)
{
	uint64_t x = f->sf_rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	f->sf_rng = x;
	return x * 0x2545f4914f6cdd1dull;
}

static bool
shmif_chance(struct shmif_fault *f, uint32_t ppm)
{
	return ppm != 0 && (uint32_t)((shmif_rand(f) >> 11) % SHMIF_PPM) < ppm;
}

/* "0.25", "1", ".5" into parts per million; false if malformed or > 1. */
static bool
shmif_parse_fraction(const char *s, size_t n, uint32_t *ppmp)
{
	uint64_t v = 0, scale = SHMIF_PPM;
	size_t i = 0;
	bool digits = false;

	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits = true)
		if ((v = v * 10 + (uint64_t)(s[i] - '0')) > 1)
			return false;
	v *= SHMIF_PPM;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits = true) {
			scale /= 10;
			v += (uint64_t)(s[i] - '0') * scale;
		}
	}
	if (i != n || !digits || v > SHMIF_PPM)
		return false;
	*ppmp = (uint32_t)v;
	return true;
}

static bool
shmif_parse_uint(const char *s, size_t n, uint64_t *vp)
{
	uint64_t v = 0;

	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*vp = v;
	return true;
}

/* Parse a fault spec (rump_shmif.h) into *f; EINVAL if malformed. */
static int
shmif_parse_fault(const char *spec, struct shmif_fault *f)
{
	const char *p = spec, *end, *eq;
	uint64_t v;
	size_t klen;
	bool ok;

	memset(f, 0, sizeof(*f));
	f->sf_rng = 1;
	while (*p != '\0') {
		for (end = p; *end != '\0' && *end != ','; end++)
			continue;
		for (eq = p; eq < end && *eq != '='; eq++)
			continue;
		if (eq == end)
			return EINVAL;
		klen = (size_t)(eq - p);
		eq++;
#define KEY(k) (klen == sizeof(k) - 1 && strncmp(p, k, klen) == 0)
		if (KEY("seed")) {
			ok = shmif_parse_uint(eq, (size_t)(end - eq), &v);
			f->sf_rng = v != 0 ? v : 1;
		} else if (KEY("drop"))
			ok = shmif_parse_fraction(eq, (size_t)(end - eq), &f->sf_drop);
		else if (KEY("dup"))
			ok = shmif_parse_fraction(eq, (size_t)(end - eq), &f->sf_dup);
		else if (KEY("reorder"))
			ok = shmif_parse_fraction(eq, (size_t)(end - eq),
			    &f->sf_reorder);
		else if (KEY("corrupt"))
			ok = shmif_parse_fraction(eq, (size_t)(end - eq),
			    &f->sf_corrupt);
		else if (KEY("delay")) {
			ok = shmif_parse_uint(eq, (size_t)(end - eq), &v) &&
			    v <= 60000;
			f->sf_delay_ns = v * 1000000;
		} else
			ok = false;
#undef KEY
		if (!ok)
			return EINVAL;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int
shmif_set_fault(struct shmif_sc *sc, const char *spec)
{
	struct shmif_fault f;
	int error;

	if ((error = shmif_parse_fault(spec, &f)) != 0)
		return error;
	mutex_enter(&sc->sc_lock);
	sc->sc_fault = f;
	atomic_store_release(&sc->sc_faulty, f.sf_drop != 0 || f.sf_dup != 0 ||
	    f.sf_reorder != 0 || f.sf_corrupt != 0 || f.sf_delay_ns != 0);
	mutex_exit(&sc->sc_lock);
	return 0;
}

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
shmif_transmit(struct ifnet *ifp, struct mbuf *m)
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
	struct ifnet *ifp = &sc->sc_ec.ec_if;
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

static void
shmif_input(struct shmif_sc *sc, struct mbuf *m)
{
	struct ifnet *ifp = &sc->sc_ec.ec_if;

	if ((ifp->if_flags & IFF_UP) == 0) {
		m_freem(m);
		return;
	}
	SHMIF_STAT(sc, ss_rxframes, 1);
	SHMIF_STAT(sc, ss_rxbytes, m->m_pkthdr.len);
	ifp->if_input(ifp, m);
}

static void
shmif_delay_run(struct shmif_sc *sc, uint64_t now)
{
	struct shmif_delayed *sd;

	while (sc->sc_dcount > 0) {
		sd = &sc->sc_delayq[sc->sc_dhead];
		if (sd->sd_due > now)
			break;
		shmif_input(sc, sd->sd_m);
		sd->sd_m = NULL;
		sc->sc_dhead = (sc->sc_dhead + 1) % SHMIF_DELAYQ;
		sc->sc_dcount--;
	}
}

/* Pass a received frame through the fault switch and up. */
static void
shmif_deliver(struct shmif_sc *sc, struct mbuf *m)
{
	struct shmif_fault *f = &sc->sc_fault;
	struct shmif_delayed *sd;
	struct mbuf *dup = NULL, *held;
	uint64_t delay;
	uint8_t b;
	int off;

	if (!atomic_load_acquire(&sc->sc_faulty)) {
		shmif_input(sc, m);
		return;
	}
	mutex_enter(&sc->sc_lock);
	if (shmif_chance(f, f->sf_drop)) {
		mutex_exit(&sc->sc_lock);
		SHMIF_STAT(sc, ss_fdrop, 1);
		m_freem(m);
		return;
	}
	if (shmif_chance(f, f->sf_corrupt)) {
		off = (int)(shmif_rand(f) % (uint64_t)m->m_pkthdr.len);
		m_copydata(m, off, 1, &b);
		b ^= (uint8_t)(1u << (shmif_rand(f) % 8));
		(void)m_copyback(m, off, 1, &b);
		SHMIF_STAT(sc, ss_fcorrupt, 1);
	}
	if (shmif_chance(f, f->sf_dup) &&
	    (dup = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) != NULL)
		SHMIF_STAT(sc, ss_fdup, 1);
	if (sc->sc_held == NULL && shmif_chance(f, f->sf_reorder)) {
		sc->sc_held = m;
		m = dup;
		dup = NULL;
		SHMIF_STAT(sc, ss_freorder, 1);
	}
	delay = f->sf_delay_ns;
	mutex_exit(&sc->sc_lock);

	held = m != NULL ? sc->sc_held : NULL;
	if (held != NULL)
		sc->sc_held = NULL;
	for (int i = 0; i < 3; i++) {
		struct mbuf *x = i == 0 ? m : i == 1 ? dup : held;

		if (x == NULL)
			continue;
		if (delay == 0) {
			shmif_input(sc, x);
			continue;
		}
		if (sc->sc_delayq == NULL)
			sc->sc_delayq = kmem_zalloc(SHMIF_DELAYQ * sizeof(*sd),
			    KM_SLEEP);
		if (sc->sc_delayq == NULL || sc->sc_dcount == SHMIF_DELAYQ) {
			SHMIF_STAT(sc, ss_nomem, 1);
			m_freem(x);
			continue;
		}
		sd = &sc->sc_delayq[(sc->sc_dhead + sc->sc_dcount) % SHMIF_DELAYQ];
		sd->sd_m = x;
		sd->sd_due = getnsecuptime() + delay;
		sc->sc_dcount++;
		SHMIF_STAT(sc, ss_fdelay, 1);
	}
}

static void
shmif_flush_held(struct shmif_sc *sc)
{
	struct mbuf *m = sc->sc_held;

	if (m != NULL) {
		sc->sc_held = NULL;
		shmif_input(sc, m);
	}
}

static void
shmif_rcv(void *arg)
{
	struct shmif_sc *sc = arg;
	struct shmif_bus *bus = sc->sc_bus;
	enum shmif_rx st;
	long long timeout;
	struct mbuf *m;
	uint64_t now, due;
	unsigned w;
	bool progress, stalled;
	int error, n;

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
				shmif_deliver(sc, m);
		}
		now = getnsecuptime();
		shmif_delay_run(sc, now);
		if (progress)
			continue;
		timeout = -1;
		if (stalled)
			timeout = SHMIF_STALL_WAIT;
		if (sc->sc_held != NULL && (timeout < 0 || timeout > SHMIF_HOLD_WAIT))
			timeout = SHMIF_HOLD_WAIT;
		if (sc->sc_dcount > 0) {
			due = sc->sc_delayq[sc->sc_dhead].sd_due;
			if (timeout < 0 || (long long)(due - now) < timeout)
				timeout = (long long)(due - now);
		}
		rump_unschedule();
		error = rumpcomp_shmif_wait(bus, w, timeout);
		rump_schedule();
		SHMIF_STAT(sc, ss_wakeups, 1);
		if (error == ETIMEDOUT)
			shmif_flush_held(sc);
	}
	if (sc->sc_held != NULL) {
		m_freem(sc->sc_held);
		sc->sc_held = NULL;
	}
	while (sc->sc_dcount > 0) {
		m_freem(sc->sc_delayq[sc->sc_dhead].sd_m);
		sc->sc_dhead = (sc->sc_dhead + 1) % SHMIF_DELAYQ;
		sc->sc_dcount--;
	}
	kthread_exit(0);
}

/*
 * The bus attachment (the link string).
 */
static int
shmif_attach_bus(struct shmif_sc *sc, const char *path)
{
	struct ifnet *ifp = &sc->sc_ec.ec_if;
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

	mutex_enter(softnet_lock);
	ifp->if_flags |= IFF_LOWER_UP;
	if (ifp->if_flags & IFF_UP)
		ifp->if_flags |= IFF_RUNNING;
	mutex_exit(softnet_lock);
	return 0;
}

static int
shmif_detach_bus(struct shmif_sc *sc)
{
	struct ifnet *ifp = &sc->sc_ec.ec_if;
	struct lwp *l;

	mutex_enter(softnet_lock);
	ifp->if_flags &= ~(IFF_RUNNING | IFF_LOWER_UP);
	mutex_exit(softnet_lock);

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
	/* The thread takes sc_lock (faults): join with it released. */
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
shmif_init(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;

	KASSERT(mutex_owned(softnet_lock));
	if (atomic_load_acquire(&sc->sc_bus) != NULL)
		ifp->if_flags |= IFF_RUNNING;
	return 0;
}

static void
shmif_stop(struct ifnet *ifp, int disable)
{
	(void)disable;
	KASSERT(mutex_owned(softnet_lock));
	ifp->if_flags &= ~IFF_RUNNING;
}

static int
shmif_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	switch (cmd) {
	case SIOCSIFFLAGS:
		return 0;       /* promiscuity and the rest: Ethernet's input */
	default:
		return ether_ioctl(ifp, cmd, data);
	}
}

static int
shmif_create(int unit, struct shmif_sc **scp)
{
	struct shmif_sc *sc;
	struct ifnet *ifp, *other;
	uint8_t mac[ETHER_ADDR_LEN];
	unsigned long got;
	char spec[256];
	bool pick = unit < 0;
	int error;

	if ((sc = kmem_zalloc(sizeof(*sc), KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_init(&sc->sc_lock, MUTEX_DEFAULT, IPL_NONE);
	ifp = &sc->sc_ec.ec_if;
	ifp->if_softc = sc;
	if_initialize(ifp);
	ifp->if_transmit = shmif_transmit;
	ifp->if_ioctl = shmif_ioctl;
	ifp->if_init = shmif_init;
	ifp->if_stop = shmif_stop;
	ifp->if_setlinkstr = shmif_setlinkstr;
	ifp->if_unsetlinkstr = shmif_unsetlinkstr;
	/* A random, locally administered unicast address (IEEE 802, 9.2). */
	if (rumpuser_getrandom(mac, sizeof(mac), 0, &got) != 0 ||
	    got != sizeof(mac))
		panic("shmif_create: no random bytes from the host");
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
	ether_ifattach(ifp, mac);
	if (rumpuser_getparam("RUMP_SHMIF_FAULT", spec, sizeof(spec)) == 0 &&
	    shmif_set_fault(sc, spec) != 0)
		log(LOG_WARNING, "shmif: RUMP_SHMIF_FAULT=\"%s\" is malformed\n",
		    spec);
	for (;;) {
		if (pick) {
			for (unit = 0;; unit++) {
				snprintf(ifp->if_xname, IFNAMSIZ, "shmif%d", unit);
				if ((other = if_get_byname(ifp->if_xname)) == NULL)
					break;
				if_release(other);
			}
		}
		if_initname(ifp, "shmif", unit);
		if ((error = if_attach(ifp)) != EEXIST || !pick)
			break;
	}
	if (error != 0) {
		ether_ifdetach(ifp);
		ifq_destroy(&ifp->if_snd);
		mutex_destroy(&sc->sc_lock);
		kmem_free(sc, sizeof(*sc));
		return error;
	}
	sc->sc_unit = unit;
	mutex_enter(&shmif_list_lock);
	LIST_INSERT_HEAD(&shmif_list, sc, sc_list);
	mutex_exit(&shmif_list_lock);
	if (scp != NULL)
		*scp = sc;
	return 0;
}

static int
shmif_destroy(struct ifnet *ifp)
{
	struct shmif_sc *sc = ifp->if_softc;

	(void)shmif_detach_bus(sc);
	mutex_enter(&shmif_list_lock);
	LIST_REMOVE(sc, sc_list);
	mutex_exit(&shmif_list_lock);
	if_detach(ifp);
	ether_ifdetach(ifp);
	if (sc->sc_delayq != NULL)
		kmem_free(sc->sc_delayq, SHMIF_DELAYQ * sizeof(*sc->sc_delayq));
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

/* At halt: every receive thread stopped, every bus unmapped. */
static void
shmif_shutdown(void *arg)
{
	struct shmif_sc *sc;

	(void)arg;
	mutex_enter(&shmif_list_lock);
	LIST_FOREACH(sc, &shmif_list, sc_list) {
		mutex_exit(&shmif_list_lock);
		(void)shmif_detach_bus(sc);
		mutex_enter(&shmif_list_lock);
	}
	mutex_exit(&shmif_list_lock);
}

static struct shutdown_hook shmif_shutdown_hook = { .sh_func = shmif_shutdown };

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
		if ((error = shmif_attach_bus(sc, path)) != 0)
			(void)shmif_destroy(&sc->sc_ec.ec_if);
		else if (unitp != NULL)
			*unitp = sc->sc_unit;
	}
	rump_unschedule();
	return error;
}

/* The shmif interface called ifname, referenced; NULL if none. */
static struct ifnet *
shmif_lookup(const char *ifname, int *errorp)
{
	struct ifnet *ifp;

	if (ifname == NULL || strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ) {
		*errorp = EINVAL;
		return NULL;
	}
	if ((ifp = if_get_byname(ifname)) == NULL) {
		*errorp = ENXIO;
		return NULL;
	}
	if (ifp->if_transmit != shmif_transmit) {
		if_release(ifp);
		*errorp = ENODEV;
		return NULL;
	}
	return ifp;
}

int
rump_pub_shmif_stats(const char *ifname, struct rump_shmif_stats *st)
{
	struct shmif_sc *sc;
	struct ifnet *ifp;
	int error = 0;

	if (st == NULL)
		return EINVAL;
	rump_schedule();
	if ((ifp = shmif_lookup(ifname, &error)) != NULL) {
		sc = ifp->if_softc;
		unsigned long long *src = (unsigned long long *)&sc->sc_st;
		unsigned long long *dst = (unsigned long long *)st;
		for (size_t i = 0; i < sizeof(*st) / sizeof(*dst); i++)
			dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
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
	if ((ifp = shmif_lookup(ifname, &error)) != NULL) {
		error = shmif_set_fault(ifp->if_softc, spec);
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

	mutex_init(&shmif_list_lock, MUTEX_DEFAULT, IPL_NONE);
	if (rumpuser_getparam("RUMP_SHMIF_RINGSIZE", buf, sizeof(buf)) == 0) {
		if (strtoull_sfx(buf, &v) == 0 && v >= SHMIF_RINGSIZE_MIN &&
		    v <= SHMIF_RINGSIZE_MAX && (v & (v - 1)) == 0)
			shmif_ringsize = (unsigned)v;
		else
			log(LOG_WARNING, "shmif: RUMP_SHMIF_RINGSIZE=%s: not a "
			    "power of two from 64k to 1g\n", buf);
	}
	if_clone_attach(&shmif_cloner);
	shutdown_hook_register(&shmif_shutdown_hook);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET_IF, shmif, shmif_component_init);
