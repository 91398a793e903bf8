/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Routing table internals (routetest.h): references, rt_walk, the
 * link layer's state.  Routes are pinned to lo0 (rti_ifp), so no
 * protocol family is needed.
 */
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/socketvar.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <rump/rump.h>

#include "routetest.h"

#define KS_REQUIRE(e)                                                          \
	do {                                                                   \
		if (!(e)) {                                                    \
			printf("routetest: %s:%d: %s failed\n", __FILE__,      \
			    __LINE__, #e);                                     \
			error = __LINE__;                                      \
			goto out;                                              \
		}                                                              \
	} while (0)

static void
sin_set(struct sockaddr_in *sin, uint32_t a)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(a);
}

/* Add a/plen through lo0. */
static int
route_add(uint32_t a, int plen, struct rtentry **rtp)
{
	struct sockaddr_in dst, mask;
	struct rt_addrinfo info;

	sin_set(&dst, a);
	sin_set(&mask, plen == 0 ? 0 : 0xffffffffu << (32 - plen));
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = plen == 32 ? NULL : (struct sockaddr *)&mask;
	info.rti_ifp = lo0ifp;
	return rtrequest(RTM_ADD, &info, rtp);
}

static int
route_del(uint32_t a, int plen)
{
	struct sockaddr_in dst, mask;
	struct rt_addrinfo info;

	sin_set(&dst, a);
	sin_set(&mask, plen == 0 ? 0 : 0xffffffffu << (32 - plen));
	memset(&info, 0, sizeof(info));
	info.rti_dst = (struct sockaddr *)&dst;
	info.rti_netmask = plen == 32 ? NULL : (struct sockaddr *)&mask;
	return rtrequest(RTM_DELETE, &info, NULL);
}

int
rump_test_route_refs(void)
{
	struct rtentry *rt = NULL, *rt2 = NULL;
	struct sockaddr_in a;
	unsigned lorefs;
	int error = 0;

	rump_schedule();
	mutex_enter(softnet_lock);
	lorefs = lo0ifp->if_refcnt;
	KS_REQUIRE(route_add(0x0a000000, 8, &rt) == 0);
	KS_REQUIRE(rt != NULL && rt->rt_refcnt == 2);  /* table's and ours */
	KS_REQUIRE(rt->rt_plen == 8 && (rt->rt_flags & RTF_UP) != 0);
	KS_REQUIRE(rt->rt_ifp == lo0ifp && lo0ifp->if_refcnt == lorefs + 1);
	sin_set(&a, 0x0a010203);
	rt2 = rtalloc1((struct sockaddr *)&a);
	KS_REQUIRE(rt2 == rt && rt->rt_refcnt == 3);
	rtfree(rt2);
	rt2 = NULL;
	KS_REQUIRE(route_del(0x0a000000, 8) == 0);
	/* Out of the table, not up, still ours to read. */
	KS_REQUIRE(rt->rt_refcnt == 1 && (rt->rt_flags & RTF_UP) == 0);
	KS_REQUIRE(rtalloc1((struct sockaddr *)&a) == NULL);
	KS_REQUIRE(route_del(0x0a000000, 8) == ESRCH);
	rtfree(rt);
	rt = NULL;
	KS_REQUIRE(lo0ifp->if_refcnt == lorefs);
out:
	if (rt2 != NULL)
		rtfree(rt2);
	if (rt != NULL)
		rtfree(rt);
	mutex_exit(softnet_lock);
	rump_unschedule();
	return error;
}

struct walk_state {
	int visits;
	int stop_at;
	uint32_t seen[64];
};

static int
walk_visit(struct rtentry *rt, void *arg)
{
	struct walk_state *ws = arg;
	const struct sockaddr_in *sin = (const void *)&rt->rt_dst;
	uint32_t host = ntohl(sin->sin_addr.s_addr) & 0xff;

	ws->seen[host / 32] |= 1u << (host % 32);
	if (++ws->visits == ws->stop_at)
		return 42;
	return 0;
}

int
rump_test_route_walk(int nroutes)
{
	struct walk_state ws;
	int error = 0, i;

	rump_schedule();
	mutex_enter(softnet_lock);
	/* Enough to make the hash grow more than once. */
	for (i = 0; i < nroutes; i++)
		KS_REQUIRE(route_add(0xc0a80000 | (uint32_t)(i << 8) | (uint32_t)i,
		    32, NULL) == 0);
	memset(&ws, 0, sizeof(ws));
	KS_REQUIRE(rt_walk(AF_INET, walk_visit, &ws) == 0);
	KS_REQUIRE(ws.visits == nroutes);
	for (i = 0; i < nroutes; i++)
		KS_REQUIRE(ws.seen[i / 32] & (1u << (i % 32)));
	memset(&ws, 0, sizeof(ws));
	ws.stop_at = 5;
	KS_REQUIRE(rt_walk(AF_INET, walk_visit, &ws) == 42);
	KS_REQUIRE(ws.visits == 5);
	KS_REQUIRE(rt_walk(AF_INET6, walk_visit, &ws) == 0);
	KS_REQUIRE(ws.visits == 5);
	/* Every one still found by LPM after the growth. */
	for (i = 0; i < nroutes; i++) {
		struct sockaddr_in a;
		struct rtentry *rt;

		sin_set(&a, 0xc0a80000 | (uint32_t)(i << 8) | (uint32_t)i);
		KS_REQUIRE((rt = rtalloc1((struct sockaddr *)&a)) != NULL);
		KS_REQUIRE(rt->rt_plen == 32);
		rtfree(rt);
	}
	/* Gone with the interface's routes. */
	rt_purge_ifp(lo0ifp);
	memset(&ws, 0, sizeof(ws));
	KS_REQUIRE(rt_walk(AF_INET, walk_visit, &ws) == 0);
	KS_REQUIRE(ws.visits == 0);
out:
	mutex_exit(softnet_lock);
	rump_unschedule();
	return error;
}

static int llinfo_frees;

static void
llinfo_free(struct rtentry *rt)
{
	KASSERT(rt->rt_llinfo == &llinfo_frees);
	llinfo_frees++;
}

int
rump_test_route_llinfo(void)
{
	struct rtentry *rt = NULL;
	int error = 0;

	rump_schedule();
	mutex_enter(softnet_lock);
	llinfo_frees = 0;
	KS_REQUIRE(route_add(0x0a000001, 32, &rt) == 0);
	KS_REQUIRE((rt->rt_flags & RTF_HOST) != 0);
	rt->rt_llinfo = &llinfo_frees;
	rt->rt_llinfo_free = llinfo_free;
	rt->rt_flags |= RTF_LLINFO;
	KS_REQUIRE(route_del(0x0a000001, 32) == 0);
	KS_REQUIRE(llinfo_frees == 1 && rt->rt_llinfo == NULL);
	rtfree(rt);
	rt = NULL;
	KS_REQUIRE(llinfo_frees == 1);
out:
	if (rt != NULL)
		rtfree(rt);
	mutex_exit(softnet_lock);
	rump_unschedule();
	return error;
}
