/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * IPv4 internals from inside the kernel for the tests: the checksum
 * routine against known values and a reference, and packets or frames
 * handed to the input path as a driver would.
 */
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <sys/endian.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <rump/rump.h>

#include "inetspace.h"

#define KS_REQUIRE(e)                                                          \
	do {                                                                   \
		if (!(e)) {                                                    \
			printf("inetspace: %s:%d: %s failed\n", __FILE__,      \
			    __LINE__, #e);                                     \
			error = __LINE__;                                      \
			goto out;                                              \
		}                                                              \
	} while (0)

/* RFC 1071 by the book: 16-bit big-endian words, end-around carry. */
static uint16_t
ref_cksum(const uint8_t *p, int len)
{
	uint32_t sum = 0;
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The bytes as a chain whose mbufs hold cut[0], cut[1] ... bytes. */
static struct mbuf *
mkchain(const uint8_t *p, int len, const int *cut, int ncut)
{
	struct mbuf *top = NULL, **mp = &top, *m;
	int off = 0, i = 0;

	while (off < len) {
		int n = i < ncut ? cut[i++] : len - off;

		if (n > len - off)
			n = len - off;
		m = top == NULL ? m_gethdr(M_WAIT, MT_DATA) : m_get(M_WAIT, MT_DATA);
		if (m == NULL || (n > MLEN && !m_clget(m, M_WAIT))) {
			m_freem(m);
			m_freem(top);
			return NULL;
		}
		/* Start at an odd address now and then: alignment must not matter. */
		if ((i & 1) && n < MLEN - 1)
			m->m_data++;
		memcpy(mtod(m, void *), p + off, (size_t)n);
		m->m_len = n;
		*mp = m;
		mp = &m->m_next;
		off += n;
	}
	top->m_pkthdr.len = len;
	return top;
}

int
rump_test_inet_cksum(void)
{
	/* RFC 1071 section 3: the sum of these words is ddf2 (before complement). */
	static const uint8_t rfc1071[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	    0xf6, 0xf7 };
	/* An IPv4 header whose checksum field holds b861. */
	static const uint8_t iphdr[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00,
	    0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0,
	    0xa8, 0x00, 0xc7 };
	static uint8_t big[3000];
	struct mbuf *m = NULL;
	uint8_t hdr[20];
	uint16_t sum;
	int error = 0, len, a, b;

	rump_schedule();
	KS_REQUIRE((m = mkchain(rfc1071, 8, NULL, 0)) != NULL);
	sum = in_cksum(m, 8);
	KS_REQUIRE(ntohs(sum) == (uint16_t)~0xddf2);
	m_freem(m);
	m = NULL;

	/* A header with its checksum in place sums to zero ... */
	KS_REQUIRE((m = mkchain(iphdr, 20, NULL, 0)) != NULL);
	KS_REQUIRE(in_cksum(m, 20) == 0);
	m_freem(m);
	m = NULL;
	/* ... and with the field zeroed, computes it. */
	memcpy(hdr, iphdr, sizeof(hdr));
	hdr[10] = hdr[11] = 0;
	KS_REQUIRE((m = mkchain(hdr, 20, NULL, 0)) != NULL);
	sum = in_cksum(m, 20);
	KS_REQUIRE(ntohs(sum) == 0xb861);
	m_freem(m);
	m = NULL;

	/* Every length up to 64 and some large ones, cut at every pair of places. */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + 0x5a);
	for (len = 1; len <= 64; len++) {
		for (a = 0; a <= len; a += 1) {
			for (b = 0; b <= len - a; b += 3) {
				int cut[3] = { a, b, 1 };

				KS_REQUIRE((m = mkchain(big, len, cut, 3)) != NULL);
				KS_REQUIRE(ntohs(in_cksum(m, len)) == ref_cksum(big, len));
				m_freem(m);
				m = NULL;
			}
		}
	}
	for (len = 65; len <= (int)sizeof(big); len += 257) {
		int cut[4] = { 1, 1499, 3, 700 };

		KS_REQUIRE((m = mkchain(big, len, cut, 4)) != NULL);
		KS_REQUIRE(ntohs(in_cksum(m, len)) == ref_cksum(big, len));
		/* A range in the middle, as a transport checksum takes it. */
		KS_REQUIRE((uint16_t)~in_cksum_partial(m, 3, len - 3, 0) ==
		    htons(ref_cksum(big + 3, len - 3)));
		m_freem(m);
		m = NULL;
	}
out:
	m_freem(m);
	rump_unschedule();
	return error;
}

static int
ks_input(const void *buf, size_t len, const char *ifname, bool link)
{
	struct ifnet *ifp;
	struct mbuf *m;
	int error = 0;

	rump_schedule();
	if ((ifp = if_get_byname(ifname)) == NULL) {
		error = ENXIO;
		goto out;
	}
	if ((m = m_devget(buf, (int)len, ifp)) == NULL)
		error = ENOBUFS;
	else if (link)
		ifp->if_input(ifp, m);
	else {
		mutex_enter(softnet_lock);
		ip_input(m);
		mutex_exit(softnet_lock);
	}
	if_release(ifp);
out:
	rump_unschedule();
	return error;
}

int
rump_test_inet_ipinput(const void *pkt, size_t len, const char *ifname)
{
	return ks_input(pkt, len, ifname, false);
}

int
rump_test_inet_linkinput(const void *frame, size_t len, const char *ifname)
{
	return ks_input(frame, len, ifname, true);
}

void
rump_test_inet_reass_usage(int *frags, int *packets)
{
	rump_schedule();
	mutex_enter(softnet_lock);
	ip_reass_usage(frags, packets);
	mutex_exit(softnet_lock);
	rump_unschedule();
}

unsigned long
rump_test_inet_mbufs(void)
{
	struct mbstat ms;

	rump_schedule();
	mbstat_get(&ms);
	rump_unschedule();
	return (unsigned long)(ms.m_mbufs + ms.m_clusters);
}
