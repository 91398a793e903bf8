/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv6 reassembly (RFC 8200 4.5) with limits.
 *
 * A datagram is keyed by (source, destination, identification).  Its
 * fragments are kept whole (headers and all) in offset order; the
 * unfragmentable part and next header come from the first fragment.
 * Limits: FRAG6_MAXQ datagrams at once, frag6_maxfrags fragments per
 * datagram, FRAG6_MAXBYTES held in all; past them the fragment is
 * dropped and counted.  A datagram not complete net.inet6.ip6.fragttl
 * (60) seconds after its first
 * fragment is dropped, with a time exceeded (reassembly) to the source
 * if its first fragment came (one callout for the whole queue, set for
 * the earliest deadline).
 *
 * RFC 5722: a fragment overlapping another drops the whole datagram,
 * and the datagram's later fragments are dropped too until its
 * deadline (an exact duplicate alone is just dropped).  RFC 6946/8021:
 * an atomic fragment (offset 0, no more fragments) is processed on its
 * own, never mixed with a reassembly.  A fragment with M set whose
 * length is not a multiple of 8, or one reaching past 65535, draws a
 * parameter problem, and so does a first fragment that does not hold
 * the whole header chain up to the upper-layer header (RFC 7112, code
 * 3).  Locking: softnet_lock.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <netinet6/in6_var.h>

#include "netinet6_private.h"

#define FRAG6_MAXQ     64
#define FRAG6_MAXBYTES (1024 * 1024)

struct frag6_piece {
	TAILQ_ENTRY(frag6_piece) fp_list;
	struct mbuf *fp_m;              /* the whole fragment */
	int fp_hlen;                    /* bytes before its data */
	int fp_off;                     /* data offset in the datagram */
	int fp_len;                     /* data bytes */
	int fp_nxtoff;                  /* where its fragment header's "44" is */
	bool fp_more;
};

struct frag6_q {
	TAILQ_ENTRY(frag6_q) fq_list;
	TAILQ_HEAD(, frag6_piece) fq_pieces;
	struct in6_addr fq_src, fq_dst;
	uint32_t fq_id;
	uint64_t fq_expire;
	int fq_nfrags;
	int fq_total;                   /* data length, once the last came; -1 */
	int fq_bytes;
	bool fq_dead;                   /* overlapped: drop the rest */
};

int frag6_maxfrags = 64;
int frag6_ttl = 60;                     /* n: seconds (net.inet6.ip6.fragttl) */
static TAILQ_HEAD(, frag6_q) frag6_queue = TAILQ_HEAD_INITIALIZER(frag6_queue);
static int frag6_nq, frag6_bytes;
static callout_t frag6_timer;

static void
frag6_free_pieces(struct frag6_q *q)
{
	struct frag6_piece *p;

	while ((p = TAILQ_FIRST(&q->fq_pieces)) != NULL) {
		TAILQ_REMOVE(&q->fq_pieces, p, fp_list);
		m_freem(p->fp_m);
		kmem_free(p, sizeof(*p));
	}
	frag6_bytes -= q->fq_bytes;
	q->fq_bytes = 0;
	q->fq_nfrags = 0;
}

static void
frag6_free(struct frag6_q *q)
{
	frag6_free_pieces(q);
	TAILQ_REMOVE(&frag6_queue, q, fq_list);
	frag6_nq--;
	kmem_free(q, sizeof(*q));
}

static void
frag6_schedule(void)
{
	struct frag6_q *q;
	uint64_t first = 0, now = getnsecuptime();

	TAILQ_FOREACH(q, &frag6_queue, fq_list)
		if (first == 0 || q->fq_expire < first)
			first = q->fq_expire;
	if (first == 0)
		callout_stop(&frag6_timer);
	else
		callout_schedule(&frag6_timer,
		    first > now ? nstohz(first - now) + 1 : 1);
}

static void
frag6_timeout(void *arg)
{
	struct frag6_q *q, *next;
	uint64_t now = getnsecuptime();

	(void)arg;
	mutex_enter(softnet_lock);
	TAILQ_FOREACH_SAFE(q, &frag6_queue, fq_list, next) {
		struct frag6_piece *p;

		if (q->fq_expire > now)
			continue;
		if (!q->fq_dead) {
			ip6stat.ip6s_fragtimeout++;
			p = TAILQ_FIRST(&q->fq_pieces);
			if (p != NULL && p->fp_off == 0 &&
			    p->fp_m->m_pkthdr.rcvif != NULL) {
				TAILQ_REMOVE(&q->fq_pieces, p, fp_list);
				q->fq_bytes -= p->fp_m->m_pkthdr.len;
				frag6_bytes -= p->fp_m->m_pkthdr.len;
				icmp6_error(p->fp_m, ICMP6_TIME_EXCEEDED,
				    ICMP6_TIME_EXCEED_REASSEMBLY, 0);
				kmem_free(p, sizeof(*p));
			}
		}
		frag6_free(q);
	}
	frag6_schedule();
	mutex_exit(softnet_lock);
}

/*
 * Whether the extension headers after the fragment header (from off,
 * next header nxt) and the upper-layer header all lie in m.
 */
static bool
frag6_chain_whole(struct mbuf *m, int off, int nxt)
{
	struct ip6_ext ext;
	int n;

	for (n = 0; n < 8; n++) {
		switch (nxt) {
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_HOPOPTS:
			if (m->m_pkthdr.len < off + 8)
				return false;
			m_copydata(m, off, sizeof(ext), &ext);
			off += (ext.ip6e_len + 1) * 8;
			nxt = ext.ip6e_nxt;
			continue;
		case IPPROTO_UDP:
			return m->m_pkthdr.len >= off + 8;
		case IPPROTO_TCP:
			return m->m_pkthdr.len >= off + 20;
		case IPPROTO_ICMPV6:
			return m->m_pkthdr.len >= off + 4;
		default:
			return m->m_pkthdr.len >= off;
		}
	}
	return false;
}

/* Take the fragment header at off out of m; nxt goes where nxtoff says. */
static struct mbuf *
frag6_strip(struct mbuf *m, int off, int nxtoff, uint8_t nxt)
{
	struct mbuf *t;
	uint16_t plen;

	if ((t = m_split(m, off, M_DONTWAIT)) == NULL) {
		m_freem(m);
		return NULL;
	}
	m_adj(t, (int)sizeof(struct ip6_frag));
	m_cat(m, t);
	m->m_pkthdr.len = m_length(m);
	(void)m_copyback(m, nxtoff, 1, &nxt);
	plen = htons((uint16_t)(m->m_pkthdr.len - (int)sizeof(struct ip6_hdr)));
	(void)m_copyback(m, 4, 2, &plen);
	return m;
}

/* The datagram of q, complete (q is freed): one packet, or NULL. */
static struct mbuf *
frag6_reassemble(struct frag6_q *q, int *nxtp)
{
	struct frag6_piece *p = TAILQ_FIRST(&q->fq_pieces);
	struct ip6_frag fh;
	struct mbuf *m, *d;
	uint16_t plen;

	TAILQ_REMOVE(&q->fq_pieces, p, fp_list);
	m_copydata(p->fp_m, p->fp_hlen - (int)sizeof(fh), sizeof(fh), &fh);
	m = frag6_strip(p->fp_m, p->fp_hlen - (int)sizeof(fh), p->fp_nxtoff,
	    fh.ip6f_nxt);
	kmem_free(p, sizeof(*p));
	while ((p = TAILQ_FIRST(&q->fq_pieces)) != NULL) {
		TAILQ_REMOVE(&q->fq_pieces, p, fp_list);
		d = p->fp_m;
		if (m != NULL) {
			m_adj(d, p->fp_hlen);
			d->m_flags &= ~M_PKTHDR;
			m_cat(m, d);
		} else
			m_freem(d);
		kmem_free(p, sizeof(*p));
	}
	frag6_free(q);
	if (m == NULL)
		return NULL;
	m->m_pkthdr.len = m_length(m);
	if (m->m_pkthdr.len - (int)sizeof(struct ip6_hdr) > IPV6_MAXPACKET) {
		ip6stat.ip6s_fragdropped++;
		m_freem(m);
		return NULL;
	}
	plen = htons((uint16_t)(m->m_pkthdr.len - (int)sizeof(struct ip6_hdr)));
	(void)m_copyback(m, 4, 2, &plen);
	ip6stat.ip6s_reassembled++;
	*nxtp = -1;
	return m;
}

struct mbuf *
frag6_input(struct mbuf *m, int off, int nxtoff, int *nxtp)
{
	struct ip6_hdr ip6;
	struct ip6_frag fh;
	struct frag6_q *q;
	struct frag6_piece *p, *after, *np;
	int foff, flen, hlen = off + (int)sizeof(fh);
	bool more;

	ip6stat.ip6s_fragments++;
	if (m->m_pkthdr.len < hlen) {
		ip6stat.ip6s_tooshort++;
		m_freem(m);
		return NULL;
	}
	m_copydata(m, 0, sizeof(ip6), &ip6);
	m_copydata(m, off, sizeof(fh), &fh);
	foff = ntohs(fh.ip6f_offlg) & IP6F_OFF_MASK;
	more = (ntohs(fh.ip6f_offlg) & IP6F_MORE_FRAG) != 0;
	flen = m->m_pkthdr.len - hlen;
	if (foff == 0 && !more) {
		ip6stat.ip6s_atomicfrags++;
		*nxtp = fh.ip6f_nxt;
		return frag6_strip(m, off, nxtoff, fh.ip6f_nxt);
	}
	if (foff == 0 && !frag6_chain_whole(m, hlen, fh.ip6f_nxt)) {
		/* RFC 7112: the first fragment holds the whole chain. */
		ip6stat.ip6s_fragdropped++;
		icmp6_error(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_FIRSTFRAG, 0);
		return NULL;
	}
	if (more && (flen == 0 || (flen & 7) != 0)) {
		ip6stat.ip6s_fragdropped++;
		icmp6_error(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, 4);
		return NULL;
	}
	if (foff + flen > IPV6_MAXPACKET) {
		ip6stat.ip6s_fragdropped++;
		icmp6_error(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
		    (uint32_t)(off + 2));
		return NULL;
	}
	TAILQ_FOREACH(q, &frag6_queue, fq_list)
		if (q->fq_id == fh.ip6f_ident &&
		    IN6_ARE_ADDR_EQUAL(&q->fq_src, &ip6.ip6_src) &&
		    IN6_ARE_ADDR_EQUAL(&q->fq_dst, &ip6.ip6_dst))
			break;
	if (q == NULL) {
		if (frag6_nq >= FRAG6_MAXQ ||
		    (q = kmem_zalloc(sizeof(*q), KM_NOSLEEP)) == NULL)
			goto drop;
		TAILQ_INIT(&q->fq_pieces);
		q->fq_src = ip6.ip6_src;
		q->fq_dst = ip6.ip6_dst;
		q->fq_id = fh.ip6f_ident;
		q->fq_total = -1;
		q->fq_expire = getnsecuptime() + (uint64_t)frag6_ttl * 1000000000ULL;
		TAILQ_INSERT_TAIL(&frag6_queue, q, fq_list);
		frag6_nq++;
		frag6_schedule();
	}
	if (q->fq_dead)
		goto drop;
	if (q->fq_nfrags >= frag6_maxfrags ||
	    frag6_bytes + m->m_pkthdr.len > FRAG6_MAXBYTES)
		goto drop;
	if (!more) {
		if (q->fq_total >= 0 && q->fq_total != foff + flen)
			goto overlap;
		q->fq_total = foff + flen;
	} else if (q->fq_total >= 0 && foff + flen > q->fq_total)
		goto overlap;
	/* In offset order; any overlap drops the datagram (RFC 5722). */
	after = NULL;
	TAILQ_FOREACH(p, &q->fq_pieces, fp_list) {
		if (p->fp_off == foff && p->fp_len == flen &&
		    p->fp_more == more)
			goto drop;              /* an exact duplicate */
		if (foff < p->fp_off + p->fp_len && p->fp_off < foff + flen)
			goto overlap;
		if (after == NULL && p->fp_off > foff)
			after = p;
	}
	if ((np = kmem_zalloc(sizeof(*np), KM_NOSLEEP)) == NULL)
		goto drop;
	np->fp_m = m;
	np->fp_hlen = hlen;
	np->fp_off = foff;
	np->fp_len = flen;
	np->fp_more = more;
	np->fp_nxtoff = nxtoff;
	if (after == NULL)
		TAILQ_INSERT_TAIL(&q->fq_pieces, np, fp_list);
	else
		TAILQ_INSERT_BEFORE(after, np, fp_list);
	q->fq_nfrags++;
	q->fq_bytes += m->m_pkthdr.len;
	frag6_bytes += m->m_pkthdr.len;

	/* Complete? */
	if (q->fq_total < 0)
		return NULL;
	{
		int next = 0;

		TAILQ_FOREACH(p, &q->fq_pieces, fp_list) {
			if (p->fp_off != next)
				return NULL;
			next += p->fp_len;
		}
		if (next != q->fq_total)
			return NULL;
	}
	return frag6_reassemble(q, nxtp);
overlap:
	ip6stat.ip6s_fragoverlap++;
	frag6_free_pieces(q);
	q->fq_dead = true;
drop:
	ip6stat.ip6s_fragdropped++;
	m_freem(m);
	return NULL;
}

void
frag6_purgeif(struct ifnet *ifp)
{
	struct frag6_q *q, *next;
	struct frag6_piece *p;

	TAILQ_FOREACH_SAFE(q, &frag6_queue, fq_list, next) {
		TAILQ_FOREACH(p, &q->fq_pieces, fp_list)
			if (p->fp_m->m_pkthdr.rcvif == ifp)
				break;
		if (p != NULL)
			frag6_free(q);
	}
	frag6_schedule();
}

void
frag6_init(void)
{
	callout_init(&frag6_timer, CALLOUT_MPSAFE);
	callout_setfunc(&frag6_timer, frag6_timeout, NULL);
}
