/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The mbuf routines from inside the kernel: shared storage after
 * m_copym, m_pullup, m_adj at both ends, m_split inside and between
 * mbufs, m_copyback growing a chain and copying shared storage before
 * writing, m_prepend, m_dup, and allocation failing (not sleeping) at
 * the memory limit with M_DONTWAIT.  Every case ends with as many mbufs
 * allocated as it began with.
 */
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <rump/rump.h>

#include "netspace.h"

#define KS_REQUIRE(e)                                                          \
	do {                                                                   \
		if (!(e)) {                                                    \
			printf("netspace: %s:%d: %s failed\n", __FILE__,       \
			    __LINE__, #e);                                     \
			error = __LINE__;                                      \
			goto out;                                              \
		}                                                              \
	} while (0)

static uint64_t
nmbufs(void)
{
	struct mbstat ms;

	mbstat_get(&ms);
	return ms.m_mbufs + ms.m_clusters;
}

/* A packet of n mbufs of len bytes each, byte i of the packet = i & 0xff. */
static struct mbuf *
mkchain(int n, int len, bool cluster)
{
	struct mbuf *top = NULL, **mp = &top, *m;
	int k = 0;

	for (int i = 0; i < n; i++) {
		m = cluster ? m_getcl(M_WAIT, MT_DATA, i == 0 ? M_PKTHDR : 0)
			    : (i == 0 ? m_gethdr(M_WAIT, MT_DATA)
				      : m_get(M_WAIT, MT_DATA));
		if (m == NULL) {
			m_freem(top);
			return NULL;
		}
		for (int j = 0; j < len; j++)
			m->m_data[j] = (char)(k++ & 0xff);
		m->m_len = len;
		*mp = m;
		mp = &m->m_next;
	}
	top->m_pkthdr.len = n * len;
	return top;
}

/* Whether the chain's bytes from off are the pattern starting at first. */
static bool
pattern(const struct mbuf *m, int off, int len, int first)
{
	char buf[8192];

	if (len > (int)sizeof(buf) || m_length(m) < off + len)
		return false;
	m_copydata(m, off, len, buf);
	for (int i = 0; i < len; i++)
		if (buf[i] != (char)((first + i) & 0xff))
			return false;
	return true;
}

int
rump_test_mbuf_copym_shares(void)
{
	struct mbuf *m = NULL, *c = NULL, *s = NULL;
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	KS_REQUIRE((m = mkchain(2, 1000, true)) != NULL);
	KS_REQUIRE(!M_READONLY(m));
	KS_REQUIRE((c = m_copym(m, 500, 1000, M_DONTWAIT)) != NULL);
	/* Clusters shared, not copied: same storage, two references. */
	KS_REQUIRE(c->m_flags & M_EXT);
	KS_REQUIRE(c->m_ext.ext_storage == m->m_ext.ext_storage);
	KS_REQUIRE(m->m_ext.ext_storage->ext_refcnt == 2);
	KS_REQUIRE(M_READONLY(m) && M_READONLY(c));
	KS_REQUIRE(M_LEADINGSPACE(c) == 0 && M_TRAILINGSPACE(m) == 0);
	KS_REQUIRE(m_length(c) == 1000 && pattern(c, 0, 1000, 500));
	KS_REQUIRE((c->m_flags & M_PKTHDR) == 0);
	/* The whole packet: header copied with its length. */
	KS_REQUIRE((s = m_copypacket(m, M_DONTWAIT)) != NULL);
	KS_REQUIRE((s->m_flags & M_PKTHDR) && s->m_pkthdr.len == 2000);
	KS_REQUIRE(m->m_ext.ext_storage->ext_refcnt == 3);
	m_freem(m);
	m = NULL;
	KS_REQUIRE(c->m_ext.ext_storage->ext_refcnt == 2);
	KS_REQUIRE(pattern(c, 0, 1000, 500) && pattern(s, 0, 2000, 0));
	m_freem(s);
	s = NULL;
	KS_REQUIRE(!M_READONLY(c));
	/* Small mbufs are copied. */
	m_freem(c);
	KS_REQUIRE((m = mkchain(3, 100, false)) != NULL);
	KS_REQUIRE((c = m_copym(m, 50, M_COPYALL, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m_length(c) == 250 && pattern(c, 0, 250, 50));
	c->m_data[0] = 0;
	KS_REQUIRE(pattern(m, 0, 300, 0));
out:
	m_freem(m);
	m_freem(c);
	m_freem(s);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_pullup(void)
{
	struct mbuf *m = NULL;
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	KS_REQUIRE((m = mkchain(4, 10, false)) != NULL);
	KS_REQUIRE((m = m_pullup(m, 25)) != NULL);
	KS_REQUIRE(m->m_len >= 25 && m->m_pkthdr.len == 40);
	KS_REQUIRE((m->m_flags & M_PKTHDR) && m_length(m) == 40);
	KS_REQUIRE(pattern(m, 0, 40, 0));
	/* Already contiguous: the same chain back. */
	KS_REQUIRE(m_pullup(m, 20) == m);
	/* More than the packet holds: freed, NULL. */
	KS_REQUIRE(m_pullup(m, 41) == NULL);
	m = NULL;
	KS_REQUIRE(nmbufs() == base);
	/* From a chain of clusters (shared storage cannot be extended). */
	KS_REQUIRE((m = mkchain(2, 30, true)) != NULL);
	m->m_len = 5;
	m->m_pkthdr.len = 35;
	KS_REQUIRE((m = m_pullup(m, 20)) != NULL);
	KS_REQUIRE(m->m_len >= 20 && m->m_pkthdr.len == 35 && m_length(m) == 35);
	KS_REQUIRE(pattern(m, 0, 5, 0) && pattern(m, 5, 30, 30));
	/* Over MHLEN can never be made contiguous in one mbuf. */
	KS_REQUIRE(m_pullup(m, MHLEN + 1) == NULL);
	m = NULL;
out:
	m_freem(m);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_adj(void)
{
	struct mbuf *m = NULL;
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	KS_REQUIRE((m = mkchain(3, 100, false)) != NULL);
	m_adj(m, 150);          /* across the first mbuf */
	KS_REQUIRE(m->m_pkthdr.len == 150 && m_length(m) == 150);
	KS_REQUIRE(pattern(m, 0, 150, 150));
	m_adj(m, -120);         /* across the last mbuf */
	KS_REQUIRE(m->m_pkthdr.len == 30 && m_length(m) == 30);
	KS_REQUIRE(pattern(m, 0, 30, 150));
	m_adj(m, -30);
	KS_REQUIRE(m->m_pkthdr.len == 0 && m_length(m) == 0);
	m_freem(m);
	KS_REQUIRE((m = mkchain(2, 100, false)) != NULL);
	m_adj(m, 500);          /* more than there is: all of it */
	KS_REQUIRE(m->m_pkthdr.len == 0 && m_length(m) == 0);
	m_freem(m);
	KS_REQUIRE((m = mkchain(2, 100, false)) != NULL);
	m_adj(m, -200);
	KS_REQUIRE(m->m_pkthdr.len == 0 && m_length(m) == 0);
out:
	m_freem(m);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_split(void)
{
	struct mbuf *m = NULL, *t = NULL;
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	/* Inside a cluster: the tail shares it. */
	KS_REQUIRE((m = mkchain(2, 1000, true)) != NULL);
	KS_REQUIRE((t = m_split(m, 1300, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m->m_pkthdr.len == 1300 && m_length(m) == 1300);
	KS_REQUIRE((t->m_flags & M_PKTHDR) && t->m_pkthdr.len == 700);
	KS_REQUIRE(m_length(t) == 700);
	KS_REQUIRE(pattern(m, 0, 1300, 0) && pattern(t, 0, 700, 1300));
	m_freem(t);
	/* At an mbuf boundary of small mbufs. */
	t = NULL;
	m_freem(m);
	KS_REQUIRE((m = mkchain(3, 100, false)) != NULL);
	KS_REQUIRE((t = m_split(m, 200, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m->m_pkthdr.len == 200 && m_length(m) == 200);
	KS_REQUIRE(t->m_pkthdr.len == 100 && m_length(t) == 100);
	KS_REQUIRE(pattern(t, 0, 100, 200));
	m_freem(t);
	/* Inside a small mbuf, and at 0. */
	KS_REQUIRE((t = m_split(m, 50, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m_length(m) == 50 && m_length(t) == 150);
	KS_REQUIRE(pattern(m, 0, 50, 0) && pattern(t, 0, 150, 50));
	m_freem(t);
	KS_REQUIRE((t = m_split(m, 0, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m_length(m) == 0 && m_length(t) == 50 && pattern(t, 0, 50, 0));
	/* Past the end: nothing. */
	KS_REQUIRE(m_split(t, 51, M_DONTWAIT) == NULL);
out:
	m_freem(m);
	m_freem(t);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_copyback(void)
{
	static const char zero[600];
	struct mbuf *m = NULL, *c = NULL;
	char big[3000];
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i & 0xff);
	KS_REQUIRE((m = mkchain(1, 10, false)) != NULL);
	/* Past the end: a gap of zeros, then the bytes; the chain grows. */
	KS_REQUIRE(m_copyback(m, 600, 3000, big) == 0);
	KS_REQUIRE(m->m_pkthdr.len == 3600 && m_length(m) == 3600);
	KS_REQUIRE(pattern(m, 0, 10, 0));
	{
		char buf[590];
		m_copydata(m, 10, 590, buf);
		KS_REQUIRE(memcmp(buf, zero, 590) == 0);
	}
	KS_REQUIRE(pattern(m, 600, 3000, 0));
	/* Overwrite in the middle, across mbufs: the length stays. */
	KS_REQUIRE(m_copyback(m, 5, 1000, big + 5) == 0);
	KS_REQUIRE(m_length(m) == 3600 && pattern(m, 0, 1005, 0));
	m_freem(m);
	/* Shared storage is copied before it is written. */
	KS_REQUIRE((m = mkchain(1, 1000, true)) != NULL);
	KS_REQUIRE((c = m_copypacket(m, M_DONTWAIT)) != NULL);
	KS_REQUIRE(m_copyback(c, 0, 10, zero) == 0);
	KS_REQUIRE(pattern(m, 0, 1000, 0));
	KS_REQUIRE(!M_READONLY(m) && !M_READONLY(c));
	KS_REQUIRE(c->m_data[0] == 0 && c->m_data[9] == 0 && c->m_data[10] == 10);
out:
	m_freem(m);
	m_freem(c);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_prepend(void)
{
	struct mbuf *m = NULL, *first;
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	KS_REQUIRE((m = mkchain(1, 100, false)) != NULL);
	first = m;
	/* No room before the data: a new first mbuf takes the header. */
	M_PREPEND(m, 20, M_DONTWAIT);
	KS_REQUIRE(m != NULL && m != first);
	KS_REQUIRE((m->m_flags & M_PKTHDR) && !(first->m_flags & M_PKTHDR));
	KS_REQUIRE(m->m_len == 20 && m->m_pkthdr.len == 120);
	KS_REQUIRE(m_length(m) == 120);
	memset(mtod(m, char *), 0xee, 20);
	/* Now there is room in front: no new mbuf. */
	first = m;
	M_PREPEND(m, 8, M_DONTWAIT);
	KS_REQUIRE(m == first && m->m_len == 28 && m->m_pkthdr.len == 128);
	KS_REQUIRE(pattern(m, 28, 100, 0));
	KS_REQUIRE((unsigned char)m->m_data[8] == 0xee);
out:
	m_freem(m);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

int
rump_test_mbuf_dup_append(void)
{
	struct mbuf *m = NULL, *d = NULL;
	char big[5000];
	uint64_t base;
	int error = 0;

	rump_schedule();
	base = nmbufs();
	for (int i = 0; i < (int)sizeof(big); i++)
		big[i] = (char)(i & 0xff);
	KS_REQUIRE((m = m_gethdr(M_WAIT, MT_DATA)) != NULL);
	KS_REQUIRE(m_append(m, 5000, big));
	KS_REQUIRE(m->m_pkthdr.len == 5000 && pattern(m, 0, 5000, 0));
	KS_REQUIRE((d = m_dup(m, 0, M_COPYALL, M_DONTWAIT)) != NULL);
	KS_REQUIRE(d->m_pkthdr.len == 5000 && pattern(d, 0, 5000, 0));
	for (struct mbuf *n = d; n != NULL; n = n->m_next)
		KS_REQUIRE(!M_READONLY(n));
	m_freem(d);
	KS_REQUIRE((d = m_devget(big, 1500, NULL)) != NULL);
	KS_REQUIRE(d->m_pkthdr.len == 1500 && d->m_len == 1500);
	KS_REQUIRE(pattern(d, 0, 1500, 0));
out:
	m_freem(m);
	m_freem(d);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

#define MAXHELD 4096

int
rump_test_mbuf_memlimit(void)
{
	static struct mbuf *held[MAXHELD];
	static char big[MJUM16BYTES];
	struct mbstat before, after;
	uint64_t base;
	int error = 0, n = 0;

	rump_schedule();
	base = nmbufs();
	mbstat_get(&before);
	/* Clusters until the limit: NULL, no sleep, the drop counted. */
	for (n = 0; n < MAXHELD; n++)
		if ((held[n] = m_getcl(M_DONTWAIT, MT_DATA, M_PKTHDR)) == NULL)
			break;
	KS_REQUIRE(n > 0 && n < MAXHELD);
	mbstat_get(&after);
	KS_REQUIRE(after.m_drops > before.m_drops);
	KS_REQUIRE(after.m_clusters == before.m_clusters + (uint64_t)n);
	KS_REQUIRE(m_getjcl(M_DONTWAIT, MT_DATA, 0, MJUM64BYTES) == NULL);
	/* A chain routine that needs memory fails cleanly. */
	KS_REQUIRE(m_copyback(held[0], 0, sizeof(big), big) == ENOBUFS);
	KS_REQUIRE(held[0]->m_pkthdr.len == m_length(held[0]));
	/* Freed: allocations work again. */
	while (n > 0)
		m_freem(held[--n]);
	KS_REQUIRE((held[0] = m_getcl(M_DONTWAIT, MT_DATA, 0)) != NULL);
	m_freem(held[0]);
	mbstat_get(&after);
	KS_REQUIRE(after.m_clusters == before.m_clusters);
out:
	while (n > 0)
		m_freem(held[--n]);
	if (error == 0 && nmbufs() != base)
		error = __LINE__;
	rump_unschedule();
	return error;
}

unsigned long
rump_test_mbuf_count(void)
{
	unsigned long n;

	rump_schedule();
	n = (unsigned long)nmbufs();
	rump_unschedule();
	return n;
}
