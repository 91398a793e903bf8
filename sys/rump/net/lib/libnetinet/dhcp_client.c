/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * A one-shot DHCPv4 client (RFC 2131, options RFC 2132), as the
 * original's rump_pub_netconfig_dhcp_ipv4_oneshot: ask once, configure
 * the interface with the address, mask and router of the lease, and
 * renew nothing.
 *
 *   DISCOVER (broadcast) -> OFFER -> REQUEST (broadcast, naming the
 *   server and the address) -> ACK, or NAK and start again
 *
 * The interface has no address yet, so the client's packets do not go
 * through ip_output (which would want a source and a route): each is
 * built here whole, from 0.0.0.0:68 to 255.255.255.255:67, and handed to
 * the interface's output as a link broadcast.  Replies come to a UDP
 * socket on port 68, which takes limited broadcasts on any interface;
 * the BROADCAST flag asks servers to send them so (RFC 2131, 4.1).
 * Replies are untrusted input: the options are walked with every length
 * checked, and anything that does not fit is ignored.  Retransmissions
 * back off from 1 to 4 seconds, four tries a step, so a missing server
 * costs about 20 seconds and ETIMEDOUT.
 */
#include <sys/systm.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rumpuser.h>

/* The BOOTP/DHCP message (RFC 2131, figure 1), network byte order. */
#define DHCP_OP         0       /* 1 request, 2 reply */
#define DHCP_HTYPE      1       /* 1: Ethernet */
#define DHCP_HLEN       2       /* 6 */
#define DHCP_XID        4
#define DHCP_FLAGS      10      /* 0x8000: answer by broadcast */
#define DHCP_YIADDR     16
#define DHCP_CHADDR     28
#define DHCP_COOKIE     236     /* 99.130.83.99, then the options */
#define DHCP_OPTIONS    240
#define DHCP_MINLEN     300     /* BOOTP's: servers expect at least this */
#define DHCP_MAXLEN     576

/* Options (RFC 2132). */
#define OPT_PAD         0
#define OPT_MASK        1
#define OPT_ROUTER      3
#define OPT_LEASE       51
#define OPT_TYPE        53
#define OPT_SERVER      54
#define OPT_PARAMS      55
#define OPT_REQADDR     50
#define OPT_MAXSIZE     57
#define OPT_CLIENTID    61
#define OPT_END         255

/* Message types (option 53). */
#define DHCPDISCOVER    1
#define DHCPOFFER       2
#define DHCPREQUEST     3
#define DHCPACK         5
#define DHCPNAK         6

#define DHCP_TRIES      4       /* sends per step */
#define DHCP_RESTARTS   3       /* NAKs before giving up */

struct dhcp_reply {
	int type;
	struct in_addr yiaddr, mask, router, server;
	uint32_t lease;
	bool have_mask, have_router, have_server;
};

struct dhcp_client {
	struct ifnet *dc_ifp;
	struct socket *dc_so;
	uint32_t dc_xid;
	uint8_t dc_mac[6];
};

static void
put_opt(uint8_t *p, size_t *offp, int code, const void *val, size_t len)
{
	p[(*offp)++] = (uint8_t)code;
	p[(*offp)++] = (uint8_t)len;
	memcpy(p + *offp, val, len);
	*offp += len;
}

/* Build and broadcast a DISCOVER or, with a reply to answer, a REQUEST. */
static int
dhcp_send(struct dhcp_client *dc, int type, const struct dhcp_reply *offer)
{
	static const uint8_t params[] = { OPT_MASK, OPT_ROUTER, OPT_LEASE,
		OPT_SERVER };
	uint8_t msg[DHCP_MAXLEN], clientid[7], t = (uint8_t)type;
	uint16_t maxsize = htons(DHCP_MAXLEN);
	struct sockaddr_in dst = { .sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_BROADCAST) };
	size_t off = DHCP_OPTIONS, len;
	struct udphdr *uh;
	struct mbuf *m;
	struct ip *ip;
	int error;

	memset(msg, 0, sizeof(msg));
	msg[DHCP_OP] = 1;
	msg[DHCP_HTYPE] = 1;
	msg[DHCP_HLEN] = 6;
	be32enc(msg + DHCP_XID, dc->dc_xid);
	be16enc(msg + DHCP_FLAGS, 0x8000);
	memcpy(msg + DHCP_CHADDR, dc->dc_mac, 6);
	be32enc(msg + DHCP_COOKIE, 0x63825363);
	put_opt(msg, &off, OPT_TYPE, &t, 1);
	clientid[0] = 1;
	memcpy(clientid + 1, dc->dc_mac, 6);
	put_opt(msg, &off, OPT_CLIENTID, clientid, sizeof(clientid));
	put_opt(msg, &off, OPT_MAXSIZE, &maxsize, 2);
	put_opt(msg, &off, OPT_PARAMS, params, sizeof(params));
	if (type == DHCPREQUEST) {
		put_opt(msg, &off, OPT_REQADDR, &offer->yiaddr, 4);
		put_opt(msg, &off, OPT_SERVER, &offer->server, 4);
	}
	msg[off++] = OPT_END;
	len = MAX(off, (size_t)DHCP_MINLEN);

	if ((m = m_getcl(M_WAIT, MT_HEADER, M_PKTHDR)) == NULL)
		return ENOBUFS;
	m->m_len = m->m_pkthdr.len = (int)(sizeof(*ip) + sizeof(*uh) + len);
	ip = mtod(m, struct ip *);
	memset(ip, 0, (size_t)m->m_len);
	ip->ip_v = 4;
	ip->ip_hl = sizeof(*ip) >> 2;
	ip->ip_len = htons((uint16_t)(sizeof(*ip) + sizeof(*uh) + len));
	ip->ip_id = (uint16_t)dc->dc_xid;
	ip->ip_ttl = 64;
	ip->ip_p = IPPROTO_UDP;
	ip->ip_dst.s_addr = htonl(INADDR_BROADCAST);
	uh = (struct udphdr *)(ip + 1);
	uh->uh_sport = htons(68);
	uh->uh_dport = htons(67);
	uh->uh_ulen = htons((uint16_t)(sizeof(*uh) + len));
	m_copyback(m, (int)(sizeof(*ip) + sizeof(*uh)), (int)len, msg);
	uh->uh_sum = in4_cksum(m, IPPROTO_UDP, sizeof(*ip),
	    (int)(sizeof(*uh) + len));
	if (uh->uh_sum == 0)
		uh->uh_sum = 0xffff;
	ip->ip_sum = in_cksum(m, sizeof(*ip));
	m->m_flags |= M_BCAST;
	mutex_enter(softnet_lock);
	error = dc->dc_ifp->if_output(dc->dc_ifp, m,
	    (const struct sockaddr *)&dst, NULL);
	mutex_exit(softnet_lock);
	return error;
}

/* The options of a reply, every length checked against the message. */
static bool
dhcp_parse(const struct dhcp_client *dc, const uint8_t *msg, size_t len,
    struct dhcp_reply *r)
{
	size_t off = DHCP_OPTIONS, olen;
	uint8_t code;

	memset(r, 0, sizeof(*r));
	if (len < DHCP_OPTIONS || msg[DHCP_OP] != 2 ||
	    be32dec(msg + DHCP_XID) != dc->dc_xid ||
	    memcmp(msg + DHCP_CHADDR, dc->dc_mac, 6) != 0 ||
	    be32dec(msg + DHCP_COOKIE) != 0x63825363)
		return false;
	memcpy(&r->yiaddr, msg + DHCP_YIADDR, 4);
	while (off < len && (code = msg[off]) != OPT_END) {
		if (code == OPT_PAD) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + (olen = msg[off + 1]) > len)
			return false;
		switch (code) {
		case OPT_TYPE:
			if (olen == 1)
				r->type = msg[off + 2];
			break;
		case OPT_MASK:
			if ((r->have_mask = olen == 4))
				memcpy(&r->mask, msg + off + 2, 4);
			break;
		case OPT_ROUTER:
			if ((r->have_router = olen >= 4))
				memcpy(&r->router, msg + off + 2, 4);
			break;
		case OPT_SERVER:
			if ((r->have_server = olen == 4))
				memcpy(&r->server, msg + off + 2, 4);
			break;
		case OPT_LEASE:
			if (olen == 4)
				r->lease = be32dec(msg + off + 2);
			break;
		}
		off += 2 + olen;
	}
	return r->type != 0;
}

/*
 * Send a message of type and wait for a reply of one of the wanted
 * types, retrying with backoff: 0, ETIMEDOUT, or an error.
 */
static int
dhcp_ask(struct dhcp_client *dc, int type, const struct dhcp_reply *offer,
    int want1, int want2, struct dhcp_reply *r)
{
	uint8_t msg[DHCP_MAXLEN];
	struct iovec iov;
	struct uio uio;
	uint64_t deadline;
	int tries, flags, error;

	for (tries = 0; tries < DHCP_TRIES * 3; tries++) {
		if ((error = dhcp_send(dc, type, offer)) != 0 &&
		    error != ENOBUFS)
			return error;
		/* 1 s, then 2 s, then 4 s between sends. */
		deadline = getnsecuptime() +
		    (1000000000ULL << (tries / DHCP_TRIES));
		while (getnsecuptime() < deadline) {
			iov.iov_base = msg;
			iov.iov_len = sizeof(msg);
			uio.uio_iov = &iov;
			uio.uio_iovcnt = 1;
			uio.uio_offset = 0;
			uio.uio_resid = sizeof(msg);
			uio.uio_rw = UIO_READ;
			uio.uio_sysspace = true;
			flags = 0;
			solock(dc->dc_so);
			dc->dc_so->so_rcv.sb_timeo.tv_sec = 0;
			dc->dc_so->so_rcv.sb_timeo.tv_nsec = 250000000;
			sounlock(dc->dc_so);
			error = soreceive(dc->dc_so, NULL, NULL, &uio, NULL,
			    NULL, &flags);
			if (error == EWOULDBLOCK || error == EAGAIN)
				continue;
			if (error != 0)
				return error;
			if (dhcp_parse(dc, msg, sizeof(msg) - uio.uio_resid, r) &&
			    (r->type == want1 || r->type == want2))
				return 0;
		}
	}
	return ETIMEDOUT;
}

static int
dhcp_exchange(struct dhcp_client *dc, struct dhcp_reply *ack)
{
	struct dhcp_reply offer;
	int restarts, error;

	for (restarts = 0; restarts < DHCP_RESTARTS; restarts++) {
		if ((error = dhcp_ask(dc, DHCPDISCOVER, NULL, DHCPOFFER, 0,
		    &offer)) != 0)
			return error;
		if (!offer.have_server || offer.yiaddr.s_addr == INADDR_ANY)
			continue;
		if ((error = dhcp_ask(dc, DHCPREQUEST, &offer, DHCPACK,
		    DHCPNAK, ack)) != 0)
			return error;
		if (ack->type == DHCPACK && ack->yiaddr.s_addr != INADDR_ANY)
			return 0;
	}
	return ECONNREFUSED;
}

/* The exchange on interface ifname, inside the kernel. */
static int
dhcp_run(const char *ifname, struct dhcp_reply *ack)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
		.sin_port = htons(68) };
	struct dhcp_client dc = { 0 };
	unsigned long got;
	int error;

	if ((dc.dc_ifp = if_get_byname(ifname)) == NULL)
		return ENXIO;
	if (dc.dc_ifp->if_addrlen != 6) {
		if_release(dc.dc_ifp);
		return EOPNOTSUPP;
	}
	memcpy(dc.dc_mac, dc.dc_ifp->if_lladdr, 6);
	if (rumpuser_getrandom(&dc.dc_xid, sizeof(dc.dc_xid), 0, &got) != 0)
		dc.dc_xid = (uint32_t)getnsecuptime();
	mutex_enter(softnet_lock);
	error = if_up(dc.dc_ifp);
	mutex_exit(softnet_lock);
	if (error == 0 &&
	    (error = socreate(AF_INET, &dc.dc_so, SOCK_DGRAM, 0, curlwp,
	    NULL)) == 0) {
		if ((error = sobind(dc.dc_so, (struct sockaddr *)&sin,
		    sizeof(sin), curlwp)) == 0)
			error = dhcp_exchange(&dc, ack);
		soclose(dc.dc_so);
	}
	if_release(dc.dc_ifp);
	return error;
}

static int
mask_len(struct in_addr mask)
{
	uint32_t h = ntohl(mask.s_addr);
	int n = 0;

	while (n < 32 && (h & (0x80000000u >> n)) != 0)
		n++;
	return n;
}

static void
dotted(struct in_addr a, char *buf, size_t size)
{
	uint32_t h = ntohl(a.s_addr);

	snprintf(buf, size, "%u.%u.%u.%u", h >> 24, (h >> 16) & 255,
	    (h >> 8) & 255, h & 255);
}

/*
 * The client interface: the exchange in the kernel, then the lease put
 * on the interface through the netconfig calls, as a client would.
 */
int
rump_pub_netconfig_dhcp_ipv4_oneshot(const char *ifname)
{
	struct dhcp_reply ack;
	char addr[16], router[16];
	int plen, error;

	if (ifname == NULL)
		return EINVAL;
	rump_schedule();
	error = dhcp_run(ifname, &ack);
	rump_unschedule();
	if (error != 0)
		return error;
	/* No mask option: the class default, as RFC 2132 3.3 leaves us. */
	if (ack.have_mask)
		plen = mask_len(ack.mask);
	else
		plen = (ntohl(ack.yiaddr.s_addr) >> 31) == 0 ? 8 :
		    (ntohl(ack.yiaddr.s_addr) >> 30) == 2 ? 16 : 24;
	dotted(ack.yiaddr, addr, sizeof(addr));
	if ((error = rump_pub_netconfig_ipv4_ifaddr_cidr(ifname, addr,
	    plen)) != 0)
		return error;
	if (ack.have_router) {
		dotted(ack.router, router, sizeof(router));
		error = rump_pub_netconfig_ipv4_gw(router);
		if (error == EEXIST)
			error = 0;
	}
	rump_schedule();
	log(LOG_INFO, "%s: DHCP lease of %s/%d for %u s%s%s\n", ifname, addr,
	    plen, ack.lease, ack.have_router ? ", router " : "",
	    ack.have_router ? router : "");
	rump_unschedule();
	return error;
}
