/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Internet checksum (RFC 1071): the 16-bit one's-complement of the
 * one's-complement sum of the data taken as 16-bit words, a trailing odd
 * byte padded with zero.  Used by IPv4's header, ICMP, IGMP, UDP and TCP.
 *
 * Sums here are computed on native-order loads, which RFC 1071 shows is
 * byte-order independent: a folded sum stored back into a packet with a
 * native store is the right bytes on either kind of host.  A buffer is
 * summed eight bytes at a time into a 64-bit accumulator whose carries
 * are folded at the end.  Along an mbuf chain, a buffer that starts at an
 * odd offset of the packet contributes its sum byte-swapped (RFC 1071's
 * "byte order independence" again), so any split of a packet sums alike.
 *
 * Pure functions: no locks, no allocation.
 */
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/endian.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

static uint32_t
cksum_fold(uint64_t sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffu) + (sum >> 16);
	sum = (sum & 0xffffu) + (sum >> 16);
	sum = (sum & 0xffffu) + (sum >> 16);
	return (uint32_t)sum;
}

static uint32_t
cksum_swap(uint32_t s)
{
	return ((s & 0xff) << 8) | ((s >> 8) & 0xff);
}

/* The folded sum of len bytes at p, as if p were at an even offset. */
static uint32_t
cksum_raw(const uint8_t *p, size_t len)
{
	uint64_t sum = 0, w64;
	uint32_t w32;
	uint16_t w16;

	while (len >= 32) {
		uint64_t a, b, c, d;

		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 8);
		memcpy(&d, p + 24, 8);
		/* Add the halves: no carry is lost in 64 bits. */
		sum += (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) +
		    (b >> 32) + (c & 0xffffffffu) + (c >> 32) +
		    (d & 0xffffffffu) + (d >> 32);
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		memcpy(&w64, p, 8);
		sum += (w64 & 0xffffffffu) + (w64 >> 32);
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		memcpy(&w32, p, 4);
		sum += w32;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		sum += w16;
		p += 2;
		len -= 2;
	}
	if (len == 1) {
		uint8_t last[2] = { p[0], 0 };

		memcpy(&w16, last, 2);
		sum += w16;
	}
	return cksum_fold(sum);
}

uint32_t
in_cksum_partial(const struct mbuf *m, int off, int len, uint32_t sum)
{
	uint64_t acc = sum;
	bool odd = false;

	while (m != NULL && off >= m->m_len) {
		off -= m->m_len;
		m = m->m_next;
	}
	for (; m != NULL && len > 0; m = m->m_next, off = 0) {
		int n = m->m_len - off;
		uint32_t s;

		if (n <= 0)
			continue;
		if (n > len)
			n = len;
		s = cksum_raw(mtod(m, const uint8_t *) + off, (size_t)n);
		acc += odd ? cksum_swap(s) : s;
		if (n & 1)
			odd = !odd;
		len -= n;
	}
	KASSERTMSG(len == 0, "in_cksum_partial: chain short by %d", len);
	return cksum_fold(acc);
}

uint16_t
in_cksum(struct mbuf *m, int len)
{
	return (uint16_t)~in_cksum_partial(m, 0, len, 0);
}

uint16_t
in_cksum_phdr(struct in_addr src, struct in_addr dst, uint32_t lenproto)
{
	uint64_t sum = (uint64_t)src.s_addr + dst.s_addr + lenproto;

	return (uint16_t)cksum_fold(sum);
}

uint16_t
in4_cksum(struct mbuf *m, uint8_t proto, int off, int len)
{
	struct ip ip;
	uint32_t sum;

	m_copydata(m, 0, sizeof(ip), &ip);
	sum = in_cksum_phdr(ip.ip_src, ip.ip_dst, htonl((uint32_t)len + proto));
	return (uint16_t)~in_cksum_partial(m, off, len, sum);
}
