/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 reassembly (RFC 791 section 3.2, RFC 815), with bounds.
 *
 * A datagram being put together is an ipq keyed by (source,
 * destination, identification, protocol), holding its fragments sorted
 * by offset and linked by m_nextpkt.  A fragment is refused (and
 * counted) when:
 *   - it is not the last and its data is empty or not a multiple of 8;
 *   - it ends past 65535 bytes;
 *   - it is a first fragment too short to carry the transport header
 *     (RFC 1858's tiny fragments: 8 bytes, 20 for TCP);
 *   - it overlaps another fragment of the datagram: the whole datagram
 *     is then dropped (as RFC 5722 rules for IPv6), except that an
 *     exact duplicate of a fragment held is dropped alone (networks
 *     duplicate packets);
 *   - its datagram would have more than IPQ_MAXFRAGS fragments.
 * Totals are bounded too: at most ip_reass_maxpackets datagrams and
 * ip_reass_maxbytes bytes held; past either, the oldest datagrams go.
 * A datagram not complete within ip_reass_ttl seconds (30;
 * net.inet.ip.fragttl) is dropped by the callout
 * (and, if its first fragment came, ICMP time exceeded is sent).  The
 * callout is set only while something is held: an idle stack has none.
 * When memory runs short (a kmem reclaimer) every datagram held goes.
 *
 * Locking: (n) softnet_lock for all of it; the callout takes it.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>

#define IPQ_MAXFRAGS    128             /* per datagram: 64 KiB in 512-byte pieces */

int ip_reass_ttl = 30;                  /* n: seconds to complete a datagram */
int ip_reass_maxpackets = 256;          /* n: datagrams held at once */
int ip_reass_maxbytes = 4 * 1024 * 1024; /* n: bytes held at once */

struct ipq {
	TAILQ_ENTRY(ipq) ipq_list;      /* n: oldest first */
	struct in_addr ipq_src;         /* c */
	struct in_addr ipq_dst;         /* c */
	uint16_t ipq_id;                /* c: network order */
	uint8_t ipq_p;                  /* c */
	struct mbuf *ipq_frags;         /* n: by offset, via m_nextpkt */
	int ipq_nfrags;                 /* n */
	int ipq_bytes;                  /* n: data bytes held */
	int ipq_mbytes;                 /* n: packet bytes held (for the total bound) */
	int ipq_total;                  /* n: data length once the last came, else -1 */
	bool ipq_first;                 /* n: the fragment at offset 0 is here */
	uint64_t ipq_expire;            /* c: uptime ns */
};

static TAILQ_HEAD(, ipq) ipq_head = TAILQ_HEAD_INITIALIZER(ipq_head);
static int ipq_count;                   /* n */
static int ipq_frags;                   /* n */
static int ipq_bytes;                   /* n */
static callout_t ipq_timer;

/* A fragment's data offset and length, kept while it waits. */
#define FRAG_OFF(m) ((m)->m_pkthdr.csum_data >> 16)
#define FRAG_LEN(m) ((m)->m_pkthdr.csum_data & 0xffff)

static void ip_reass_timeout(void *);
static size_t ip_reass_reclaim(void *);

static struct kmem_reclaimer ipq_reclaimer = { .kr_reclaim = ip_reass_reclaim };

void
ip_reass_init(void)
{
	callout_init(&ipq_timer, CALLOUT_MPSAFE);
	callout_setfunc(&ipq_timer, ip_reass_timeout, NULL);
	kmem_reclaimer_register(&ipq_reclaimer);
}

static void
ipq_free(struct ipq *q)
{
	struct mbuf *m, *next;

	for (m = q->ipq_frags; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
	TAILQ_REMOVE(&ipq_head, q, ipq_list);
	ipq_count--;
	ipq_frags -= q->ipq_nfrags;
	ipq_bytes -= q->ipq_mbytes;
	kmem_free(q, sizeof(*q));
}

/* Drop a datagram with all its fragments, counting them. */
static void
ipq_drop(struct ipq *q)
{
	ipstat.ips_fragdropped += (uint64_t)q->ipq_nfrags;
	ipq_free(q);
}

static void
ip_reass_schedule(void)
{
	struct ipq *q = TAILQ_FIRST(&ipq_head);
	uint64_t now = getnsecuptime();

	if (q == NULL)
		callout_stop(&ipq_timer);
	else if (!callout_pending(&ipq_timer))
		callout_schedule(&ipq_timer,
		    q->ipq_expire > now ? nstohz(q->ipq_expire - now) : 1);
}

static void
ip_reass_timeout(void *arg)
{
	uint64_t now = getnsecuptime();
	struct ipq *q;

	(void)arg;
	mutex_enter(softnet_lock);
	while ((q = TAILQ_FIRST(&ipq_head)) != NULL && q->ipq_expire <= now) {
		struct mbuf *first = q->ipq_first ? q->ipq_frags : NULL;

		ipstat.ips_fragtimeout++;
		if (first != NULL) {
			/* RFC 792: time exceeded in reassembly, about the first fragment. */
			q->ipq_frags = first->m_nextpkt;
			first->m_nextpkt = NULL;
			q->ipq_nfrags--;
			ipq_frags--;
			ipq_bytes -= first->m_pkthdr.len;
			q->ipq_mbytes -= first->m_pkthdr.len;
			ipstat.ips_fragdropped++;
			first->m_pkthdr.csum_data = 0;
		}
		ipq_drop(q);
		if (first != NULL)
			icmp_error(first, ICMP_TIMXCEED, ICMP_TIMXCEED_REASS, 0);
	}
	ip_reass_schedule();
	mutex_exit(softnet_lock);
}

void
ip_reass_drain(void)
{
	struct ipq *q;

	KASSERT(mutex_owned(softnet_lock));
	while ((q = TAILQ_FIRST(&ipq_head)) != NULL)
		ipq_drop(q);
	callout_stop(&ipq_timer);
}

/*
 * Memory is short: give up every datagram being put together.  Called
 * from an allocation, perhaps one made under softnet_lock by this
 * thread (then nothing here is in use: no allocation happens while a
 * reassembly queue is being walked); if another thread has the lock,
 * nothing is freed.
 */
static size_t
ip_reass_reclaim(void *arg)
{
	bool owned = mutex_owned(softnet_lock);
	size_t freed;

	(void)arg;
	if (!owned && !mutex_tryenter(softnet_lock))
		return 0;
	freed = (size_t)ipq_bytes;
	ip_reass_drain();
	if (!owned)
		mutex_exit(softnet_lock);
	return freed;
}

void
ip_reass_purgeif(struct ifnet *ifp)
{
	struct ipq *q, *next;
	struct mbuf *m;

	KASSERT(mutex_owned(softnet_lock));
	TAILQ_FOREACH_SAFE(q, &ipq_head, ipq_list, next) {
		for (m = q->ipq_frags; m != NULL; m = m->m_nextpkt)
			if (m->m_pkthdr.rcvif == ifp)
				break;
		if (m != NULL)
			ipq_drop(q);
	}
	ip_reass_schedule();
}

void
ip_reass_usage(int *frags, int *packets)
{
	*frags = ipq_frags;
	*packets = ipq_count;
}

/* Put the fragments together: the first keeps its header. */
static struct mbuf *
ipq_complete(struct ipq *q)
{
	struct mbuf *m = q->ipq_frags, *f, *next;
	struct ip *ip = mtod(m, struct ip *);
	int hlen = ip->ip_hl << 2, csum = m->m_pkthdr.csum_flags;

	for (f = m->m_nextpkt; f != NULL; f = next) {
		next = f->m_nextpkt;
		f->m_nextpkt = NULL;
		csum &= f->m_pkthdr.csum_flags;
		m_adj(f, f->m_pkthdr.len - FRAG_LEN(f));
		f->m_flags &= ~M_PKTHDR;        /* only the head has one */
		m_cat(m, f);
	}
	m->m_nextpkt = NULL;
	q->ipq_frags = NULL;
	m->m_pkthdr.len = hlen + q->ipq_total;
	m->m_pkthdr.csum_flags = csum;
	m->m_pkthdr.csum_data = 0;
	ip->ip_len = htons((uint16_t)(hlen + q->ipq_total));
	ip->ip_off = 0;
	ip->ip_sum = 0;
	ip->ip_sum = in_cksum(m, hlen);
	ipq_free(q);
	ipstat.ips_reassembled++;
	ip_reass_schedule();
	return m;
}

struct mbuf *
ip_reass_packet(struct mbuf *m)
{
	struct ip *ip = mtod(m, struct ip *);
	int hlen = ip->ip_hl << 2, dlen, off, end, ipoff;
	struct mbuf *f, **prevp;
	struct ipq *q;
	bool more;

	KASSERT(mutex_owned(softnet_lock));
	ipoff = ntohs(ip->ip_off);
	off = (ipoff & IP_OFFMASK) * 8;
	more = (ipoff & IP_MF) != 0;
	dlen = ntohs(ip->ip_len) - hlen;
	end = off + dlen;
	if ((more && (dlen == 0 || (dlen & 7) != 0)) ||
	    end + hlen > IP_MAXPACKET ||
	    (off == 0 && more && dlen < (ip->ip_p == IPPROTO_TCP ? 20 : 8))) {
		if (end + hlen > IP_MAXPACKET)
			ipstat.ips_toolong++;
		ipstat.ips_fragdropped++;
		m_freem(m);
		return NULL;
	}

	TAILQ_FOREACH(q, &ipq_head, ipq_list)
		if (q->ipq_id == ip->ip_id && q->ipq_p == ip->ip_p &&
		    q->ipq_src.s_addr == ip->ip_src.s_addr &&
		    q->ipq_dst.s_addr == ip->ip_dst.s_addr)
			break;
	if (q == NULL) {
		while (ipq_count >= ip_reass_maxpackets ||
		    (ipq_count > 0 && ipq_bytes + m->m_pkthdr.len > ip_reass_maxbytes))
			ipq_drop(TAILQ_FIRST(&ipq_head));
		if ((q = kmem_zalloc(sizeof(*q), KM_NOSLEEP)) == NULL) {
			ipstat.ips_fragdropped++;
			m_freem(m);
			return NULL;
		}
		q->ipq_src = ip->ip_src;
		q->ipq_dst = ip->ip_dst;
		q->ipq_id = ip->ip_id;
		q->ipq_p = ip->ip_p;
		q->ipq_total = -1;
		q->ipq_expire = getnsecuptime() + (uint64_t)ip_reass_ttl * 1000000000ULL;
		TAILQ_INSERT_TAIL(&ipq_head, q, ipq_list);
		ipq_count++;
	} else {
		while (ipq_count > 1 && ipq_bytes + m->m_pkthdr.len > ip_reass_maxbytes &&
		    TAILQ_FIRST(&ipq_head) != q)
			ipq_drop(TAILQ_FIRST(&ipq_head));
		if (ipq_bytes + m->m_pkthdr.len > ip_reass_maxbytes) {
			ipq_drop(q);
			ipstat.ips_fragdropped++;
			m_freem(m);
			ip_reass_schedule();
			return NULL;
		}
	}

	/* The end: known once, never contradicted. */
	if (!more) {
		if ((q->ipq_total >= 0 && q->ipq_total != end) || end < q->ipq_bytes)
			goto overlap;
		for (f = q->ipq_frags; f != NULL; f = f->m_nextpkt)
			if ((int)(FRAG_OFF(f) + FRAG_LEN(f)) > end)
				goto overlap;
		q->ipq_total = end;
	} else if (q->ipq_total >= 0 && end > q->ipq_total)
		goto overlap;

	for (prevp = &q->ipq_frags; (f = *prevp) != NULL; prevp = &f->m_nextpkt) {
		int foff = (int)FRAG_OFF(f), fend = foff + (int)FRAG_LEN(f);

		if (foff == off && fend == end) {
			/* An exact duplicate: harmless, dropped alone. */
			ipstat.ips_fragdropped++;
			m_freem(m);
			return NULL;
		}
		if (off < fend && foff < end)
			goto overlap;
		if (foff > off)
			break;
	}
	if (q->ipq_nfrags >= IPQ_MAXFRAGS) {
		ipq_drop(q);
		ipstat.ips_fragdropped++;
		m_freem(m);
		ip_reass_schedule();
		return NULL;
	}
	m->m_pkthdr.csum_data = (uint32_t)off << 16 | (uint32_t)dlen;
	m->m_nextpkt = *prevp;
	*prevp = m;
	q->ipq_nfrags++;
	q->ipq_bytes += dlen;
	q->ipq_mbytes += m->m_pkthdr.len;
	ipq_frags++;
	ipq_bytes += m->m_pkthdr.len;
	if (off == 0)
		q->ipq_first = true;
	if (q->ipq_total >= 0 && q->ipq_bytes == q->ipq_total)
		return ipq_complete(q);
	ip_reass_schedule();
	return NULL;

overlap:
	ipstat.ips_fragoverlap++;
	ipstat.ips_fragdropped++;
	m_freem(m);
	ipq_drop(q);
	ip_reass_schedule();
	return NULL;
}
