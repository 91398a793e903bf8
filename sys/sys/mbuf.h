/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Memory buffers (uipc_mbuf.c): the network stack's packets and socket
 * buffer contents.
 *
 * A packet is a chain of mbufs linked by m_next; the first carries a
 * packet header (M_PKTHDR) with the packet's total length and the
 * interface it came in on.  Packets are queued by m_nextpkt.  Each mbuf
 * holds up to MLEN bytes (MHLEN with a packet header) in itself, or
 * points at external storage (M_EXT): a cluster of MCLBYTES, or a jumbo
 * cluster of MJUMPAGESIZE, MJUM9BYTES or MJUM64BYTES.  External storage
 * is reference counted, so m_copym shares it instead of copying; storage
 * with more than one reference is read-only (M_READONLY).
 *
 * Mbufs and clusters come from pools whose memory counts against
 * RUMP_MEMLIMIT.  With M_DONTWAIT an allocation that would pass the
 * limit returns NULL: callers on the input and output paths drop the
 * packet and count the drop; they never wait for memory while holding
 * the network lock.  M_WAIT may sleep and is for system call context.
 *
 * The routines follow the BSD names and contracts: a routine that
 * fails frees the chain it was given unless it says otherwise.
 */
#ifndef _SYS_MBUF_H_
#define _SYS_MBUF_H_

#include <sys/types.h>

struct ifnet;
struct uio;

#define MSIZE        512                /* an mbuf, with its header */
#define MCLBYTES     2048               /* a cluster */
#define MJUMPAGESIZE 4096
#define MJUM9BYTES   (9 * 1024)
#define MJUM16BYTES  (16 * 1024)
#define MJUM64BYTES  (64 * 1024)        /* loopback's large MTU */

/* Allocation: may sleep, or must not. */
#define M_WAIT     1
#define M_DONTWAIT 2
#define M_WAITOK   M_WAIT
#define M_NOWAIT   M_DONTWAIT

/* m_type */
#define MT_FREE    0
#define MT_DATA    1                    /* data */
#define MT_HEADER  2                    /* a packet's protocol header */
#define MT_SONAME  3                    /* a socket address */
#define MT_CONTROL 4                    /* control message (cmsghdr) */
#define MT_OOBDATA 5                    /* out-of-band data */

/* m_flags */
#define M_EXT      0x0001               /* data in external storage */
#define M_PKTHDR   0x0002               /* first of a packet: m_pkthdr valid */
#define M_EOR      0x0004               /* end of a record */
#define M_BCAST    0x0010               /* received as link broadcast */
#define M_MCAST    0x0020               /* received as link multicast */
#define M_LOOP     0x0040               /* looped back by this host */
#define M_CANFASTFWD 0x0080             /* may be forwarded */
#define M_COPYFLAGS (M_PKTHDR | M_EOR | M_BCAST | M_MCAST | M_LOOP)

/* m_pkthdr.csum_flags: checksums a trusted path already verified or will fill. */
#define M_CSUM_IPv4       0x0001        /* IPv4 header checksum */
#define M_CSUM_TCPv4      0x0002
#define M_CSUM_UDPv4      0x0004
#define M_CSUM_TCPv6      0x0008
#define M_CSUM_UDPv6      0x0010
#define M_CSUM_DATA_VALID 0x0100        /* input: the payload's checksum is good */

struct pkthdr {
	struct ifnet *rcvif;            /* interface it came in on, or NULL */
	int len;                        /* total length of the packet */
	int csum_flags;                 /* M_CSUM_* */
	uint32_t csum_data;
	uint32_t flowhash;              /* for spreading over queues */
};

/* External storage's shared state; freed with its last reference. */
struct m_ext_storage {
	unsigned ext_refcnt;            /* atomic */
	size_t ext_size;
	void (*ext_free)(struct m_ext_storage *); /* NULL: a pool cluster */
	void *ext_arg;
};

struct m_ext {
	char *ext_buf;                  /* start of the storage */
	size_t ext_size;
	struct m_ext_storage *ext_storage;
};

struct mbuf {
	struct mbuf *m_next;            /* next buffer of this packet */
	struct mbuf *m_nextpkt;         /* next packet of a queue */
	char *m_data;                   /* where the bytes start */
	int m_len;                      /* bytes in this buffer */
	short m_type;
	short m_flags;
	struct pkthdr m_pkthdr;         /* if M_PKTHDR */
	struct m_ext m_ext;             /* if M_EXT */
	char m_dat[];                   /* internal storage, to MSIZE */
};

#define MHDRSIZE ((int)sizeof(struct mbuf))
#define MLEN     (MSIZE - MHDRSIZE)     /* bytes inside an mbuf */
#define MHLEN    MLEN                   /* the same with a packet header */
#define MINCLSIZE (MHLEN + 1)           /* from here on, use a cluster */

#define mtod(m, t) ((t)((m)->m_data))

/* Whether the bytes may be written in place (not shared storage). */
#define M_READONLY(m)                                                          \
	(((m)->m_flags & M_EXT) != 0 &&                                        \
	    (m)->m_ext.ext_storage->ext_refcnt > 1)

/* Room before m_data and after its end; 0 for shared storage. */
int m_leadingspace(const struct mbuf *);
int m_trailingspace(const struct mbuf *);
#define M_LEADINGSPACE(m)  m_leadingspace(m)
#define M_TRAILINGSPACE(m) m_trailingspace(m)

/* Place len bytes at the end of a new mbuf (room for headers before). */
void m_align(struct mbuf *, int len);
#define M_ALIGN(m, len)  m_align((m), (len))
#define MH_ALIGN(m, len) m_align((m), (len))

/*
 * Prepend len bytes (at most MHLEN) to a packet, in the first mbuf if it
 * has room or in a new one; NULL (the chain freed) when out of memory.
 */
struct mbuf *m_prepend(struct mbuf *, int len, int how);
#define M_PREPEND(m, plen, how)                                                \
	do {                                                                   \
		if (M_LEADINGSPACE(m) >= (plen)) {                             \
			(m)->m_data -= (plen);                                 \
			(m)->m_len += (plen);                                  \
			if ((m)->m_flags & M_PKTHDR)                           \
				(m)->m_pkthdr.len += (plen);                   \
		} else                                                         \
			(m) = m_prepend((m), (plen), (how));                   \
	} while (0)

struct mbuf *m_get(int how, int type);
struct mbuf *m_gethdr(int how, int type);
/* An mbuf with a cluster of MCLBYTES; flags M_PKTHDR for a header. */
struct mbuf *m_getcl(int how, int type, int flags);
/* An mbuf with a cluster of size bytes (MCLBYTES to MJUM64BYTES). */
struct mbuf *m_getjcl(int how, int type, int flags, int size);
/* Add a cluster to an mbuf; false (the mbuf unchanged) if none. */
bool m_clget(struct mbuf *, int how);
/* Attach caller-owned storage freed by es->ext_free with its last reference. */
void m_extadd(struct mbuf *, char *buf, size_t size, struct m_ext_storage *es);

/* Free one mbuf and return its m_next; free a whole chain. */
struct mbuf *m_free(struct mbuf *);
void m_freem(struct mbuf *);

/* Sum of m_len along a chain. */
int m_length(const struct mbuf *);
/* Copy len bytes (M_COPYALL: to the end) from offset off into buf. */
#define M_COPYALL 1000000000
void m_copydata(const struct mbuf *, int off, int len, void *buf);
/*
 * Copy len bytes from buf into the chain at off, extending it (with
 * zeros over any gap) as needed; ENOBUFS if it cannot grow.
 */
int m_copyback(struct mbuf *, int off, int len, const void *buf);
/*
 * A new chain referring to len bytes at off (clusters shared, small
 * mbufs copied); M_COPYALL to the end.  NULL if out of memory (the
 * source untouched).
 */
struct mbuf *m_copym(struct mbuf *, int off, int len, int how);
struct mbuf *m_copypacket(struct mbuf *, int how);
/* A deep copy whose storage is all writable; NULL if out of memory. */
struct mbuf *m_dup(struct mbuf *, int off, int len, int how);
/*
 * Make the first len bytes contiguous in the first mbuf, so mtod can
 * reach them; NULL (the chain freed) if the packet is shorter or memory
 * runs out.  len at most MHLEN.
 */
struct mbuf *m_pullup(struct mbuf *, int len);
/* Trim len bytes from the head (len > 0) or the tail (len < 0). */
void m_adj(struct mbuf *, int len);
/* Append chain n to chain m (no packet header bookkeeping). */
void m_cat(struct mbuf *m, struct mbuf *n);
/* Split at len0: m keeps the head, the tail is returned; NULL if out of memory. */
struct mbuf *m_split(struct mbuf *, int len0, int how);
/* Append len bytes at the tail, growing the chain; false if out of memory. */
bool m_append(struct mbuf *, int len, const void *);
/* Move the packet header from one mbuf to another. */
void m_move_pkthdr(struct mbuf *to, struct mbuf *from);
/* Copy the packet header (for copies of a packet). */
void m_copy_pkthdr(struct mbuf *to, const struct mbuf *from);
/* A packet of len bytes copied from buf, received on ifp; NULL if out of memory. */
struct mbuf *m_devget(const void *buf, int len, struct ifnet *ifp);
/* The mbuf holding byte off of the chain, with *offp its offset there. */
struct mbuf *m_getptr(struct mbuf *, int off, int *offp);
/*
 * A chain of up to len bytes (resid of uio if len < 0) moved from uio,
 * in clusters of up to maxseg bytes, with align bytes left free at the
 * head for headers; *errorp set on failure (NULL returned).
 */
struct mbuf *m_uiotombuf(struct uio *, int len, int align, int how, int *errorp);

/* Statistics, for sysctl (kern.mbuf.stats) and the tests. */
struct mbstat {
	uint64_t m_mbufs;               /* allocated now */
	uint64_t m_clusters;            /* allocated now, any size */
	uint64_t m_drops;               /* allocations that failed */
	uint64_t m_bytes;               /* bytes of mbufs and clusters now */
};
void mbstat_get(struct mbstat *);

void mbinit(void);

#endif /* _SYS_MBUF_H_ */
