/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Raw Ethernet for the link-layer tests (linktest.h): send through
 * if_output with an AF_UNSPEC destination (the Ethernet header in
 * sa_data, as ARP sends), capture by registering the NETISR_IP handler,
 * so a test binary must not link netinet.
 *
 * Locking: lt_lock for the capture queue; the handler runs under
 * softnet_lock and takes lt_lock inside it.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/condvar.h>
#include <sys/endian.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <net/if_ether.h>
#include <net/netisr.h>
#include <rump/rump.h>

#include "linktest.h"

#define LT_QMAX 8192

static kmutex_t lt_lock;
static kcondvar_t lt_cv;
static struct mbuf *lt_head, *lt_tail;  /* lt_lock */
static unsigned lt_count;               /* lt_lock */
static unsigned long lt_drops;          /* lt_lock: the queue was full */
static bool lt_capturing;               /* lt_lock */

static void
lt_input(struct mbuf *m)
{
	mutex_enter(&lt_lock);
	if (lt_count >= LT_QMAX) {
		lt_drops++;
		mutex_exit(&lt_lock);
		m_freem(m);
		return;
	}
	m->m_nextpkt = NULL;
	if (lt_tail != NULL)
		lt_tail->m_nextpkt = m;
	else
		lt_head = m;
	lt_tail = m;
	lt_count++;
	cv_broadcast(&lt_cv);
	mutex_exit(&lt_lock);
}

int
rump_test_ether_capture(void)
{
	rump_schedule();
	mutex_enter(&lt_lock);
	if (!lt_capturing) {
		lt_capturing = true;
		mutex_exit(&lt_lock);
		netisr_register(NETISR_IP, lt_input);
	} else
		mutex_exit(&lt_lock);
	rump_unschedule();
	return 0;
}

int
rump_test_ether_recv(void *buf, unsigned len, int timeout_ms, int *flagsp)
{
	uint64_t deadline;
	struct mbuf *m;
	int n = -1;

	rump_schedule();
	deadline = getnsecuptime() + (uint64_t)timeout_ms * 1000000;
	mutex_enter(&lt_lock);
	while (lt_head == NULL) {
		uint64_t now = getnsecuptime();

		if (now >= deadline)
			break;
		(void)cv_timedwait_ns(&lt_cv, &lt_lock, deadline - now);
	}
	if ((m = lt_head) != NULL) {
		if ((lt_head = m->m_nextpkt) == NULL)
			lt_tail = NULL;
		lt_count--;
	}
	mutex_exit(&lt_lock);
	if (m != NULL) {
		n = m->m_pkthdr.len;
		m_copydata(m, 0, MIN((int)len, n), buf);
		if (flagsp != NULL)
			*flagsp = (m->m_flags & M_BCAST) ? 1 :
			    (m->m_flags & M_MCAST) ? 2 : 0;
		m_freem(m);
	}
	rump_unschedule();
	return n;
}

int
rump_test_ether_send(const char *ifname, const unsigned char *dst,
    unsigned type, const void *payload, unsigned len)
{
	struct ether_header *eh;
	struct sockaddr sa;
	struct ifnet *ifp;
	struct mbuf *m;
	int error;

	rump_schedule();
	if ((ifp = if_get_byname(ifname)) == NULL) {
		rump_unschedule();
		return ENXIO;
	}
	error = ENOBUFS;
	if ((m = m_gethdr(M_WAIT, MT_DATA)) == NULL)
		goto out;
	m->m_len = m->m_pkthdr.len = 0;
	m_align(m, 0);
	if (!m_append(m, (int)len, payload)) {
		m_freem(m);
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNSPEC;
	eh = (struct ether_header *)(void *)sa.sa_data;
	memcpy(eh->ether_dhost, dst, ETHER_ADDR_LEN);
	eh->ether_type = htons((uint16_t)type);
	mutex_enter(softnet_lock);
	error = ifp->if_output(ifp, m, &sa, NULL);
	mutex_exit(softnet_lock);
out:
	if_release(ifp);
	rump_unschedule();
	return error;
}

unsigned long
rump_test_ether_drops(void)
{
	unsigned long n;

	rump_schedule();
	mutex_enter(&lt_lock);
	n = lt_drops;
	mutex_exit(&lt_lock);
	n += netisr_drops(NETISR_IP);
	rump_unschedule();
	return n;
}

int
rump_test_etherstat(void *buf, unsigned len)
{
	rump_schedule();
	memcpy(buf, &etherstat, MIN(len, sizeof(etherstat)));
	rump_unschedule();
	return 0;
}

static void
linktest_init(void)
{
	mutex_init(&lt_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&lt_cv, "linktest");
}

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT, linktest, linktest_init);
