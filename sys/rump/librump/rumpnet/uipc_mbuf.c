/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Mbufs: allocation from pools, external storage with reference counts,
 * and the chain routines of <sys/mbuf.h>.
 *
 * Mbufs come from one pool of MSIZE objects; clusters from one pool per
 * size, each cluster followed in its allocation by its struct
 * m_ext_storage (reference count, size, owning pool).  Pools take their
 * memory from kmem, so every byte counts against RUMP_MEMLIMIT; with
 * M_DONTWAIT an allocation over the limit fails at once and is counted
 * in mbstat.m_drops.  Nothing here sleeps with M_DONTWAIT.
 *
 * Shared storage (a reference count above one, after m_copym or
 * m_split) is read-only: the routines that write into a chain
 * (m_copyback, m_pullup into the first mbuf) first give a shared mbuf
 * storage of its own.  The routines need no lock: a chain belongs to
 * one thread at a time; only the reference counts and statistics are
 * atomic.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/pool.h>
#include <sys/sysctl.h>
#include <sys/uio.h>
#include <net/if.h>

CTASSERT(MHDRSIZE < MSIZE / 4);

static const int mcl_sizes[] = {
	MCLBYTES, MJUMPAGESIZE, MJUM9BYTES, MJUM16BYTES, MJUM64BYTES
};
#define MCL_NSIZES ((int)(sizeof(mcl_sizes) / sizeof(mcl_sizes[0])))

static struct pool mbuf_pool;
static struct pool mcl_pools[MCL_NSIZES];
static const char *const mcl_names[MCL_NSIZES] = {
	"mclpl", "mcl4kpl", "mcl9kpl", "mcl16kpl", "mcl64kpl"
};

/* Statistics: atomic. */
static struct mbstat mbstat;

/* kern.mbuf.stats: a snapshot of struct mbstat, read-only. */
static int
mbstat_sysctl(struct sysctlnode *node, struct sysctl_req *req)
{
	struct mbstat ms;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	mbstat_get(&ms);
	return sysctl_copyout_value(req, &ms, sizeof(ms));
}

static void
mbstat_sysctl_init(void)
{
	struct sysctlnode *kern, *mbuf;
	int error;

	error = sysctl_create(&kern, NULL, CTL_KERN, "kern", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(&mbuf, kern, KERN_MBUF, "mbuf",
		    CTLTYPE_NODE, 0, NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(NULL, mbuf, 1, "stats", CTLTYPE_STRUCT,
		    CTLFLAG_READONLY, NULL, sizeof(struct mbstat),
		    mbstat_sysctl);
	if (error != 0)
		log(LOG_WARNING, "kern.mbuf: sysctl nodes not made: error %d\n",
		    error);
}

void
mbinit(void)
{
	pool_init(&mbuf_pool, MSIZE, "mbpl");
	pool_sethiwat(&mbuf_pool, 1024);
	for (int i = 0; i < MCL_NSIZES; i++) {
		pool_init(&mcl_pools[i],
		    (size_t)mcl_sizes[i] + sizeof(struct m_ext_storage),
		    mcl_names[i]);
		/* Keep about 2 MiB of each size for reuse. */
		pool_sethiwat(&mcl_pools[i],
		    (unsigned)MAX(8, (2 << 20) / mcl_sizes[i]));
	}
	mbstat_sysctl_init();
}

void
mbstat_get(struct mbstat *ms)
{
	ms->m_mbufs = atomic_load_relaxed(&mbstat.m_mbufs);
	ms->m_clusters = atomic_load_relaxed(&mbstat.m_clusters);
	ms->m_drops = atomic_load_relaxed(&mbstat.m_drops);
	ms->m_bytes = atomic_load_relaxed(&mbstat.m_bytes);
}

static void
mbstat_add(uint64_t *counter, int64_t n)
{
	__atomic_add_fetch(counter, (uint64_t)n, __ATOMIC_RELAXED);
}

static int
pool_flags(int how)
{
	return how == M_WAIT ? PR_WAITOK : PR_NOWAIT;
}

static void
mbuf_setup(struct mbuf *m, int type, int flags)
{
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_data = m->m_dat;
	m->m_len = 0;
	m->m_type = (short)type;
	m->m_flags = (short)flags;
	memset(&m->m_pkthdr, 0, sizeof(m->m_pkthdr));
	memset(&m->m_ext, 0, sizeof(m->m_ext));
}

struct mbuf *
m_get(int how, int type)
{
	struct mbuf *m;

	if ((m = pool_get(&mbuf_pool, pool_flags(how))) == NULL) {
		mbstat_add(&mbstat.m_drops, 1);
		return NULL;
	}
	mbuf_setup(m, type, 0);
	mbstat_add(&mbstat.m_mbufs, 1);
	mbstat_add(&mbstat.m_bytes, MSIZE);
	return m;
}

struct mbuf *
m_gethdr(int how, int type)
{
	struct mbuf *m;

	if ((m = m_get(how, type)) != NULL)
		m->m_flags = M_PKTHDR;
	return m;
}

/* The pool index of the smallest cluster of at least size bytes, or -1. */
static int
mcl_index(int size)
{
	for (int i = 0; i < MCL_NSIZES; i++)
		if (size <= mcl_sizes[i])
			return i;
	return -1;
}

/* Give m a cluster from pool i; false if out of memory. */
static bool
mcl_attach(struct mbuf *m, int i, int how)
{
	struct m_ext_storage *es;
	char *buf;

	if ((buf = pool_get(&mcl_pools[i], pool_flags(how))) == NULL) {
		mbstat_add(&mbstat.m_drops, 1);
		return false;
	}
	es = (struct m_ext_storage *)(void *)(buf + mcl_sizes[i]);
	es->ext_refcnt = 1;
	es->ext_size = (size_t)mcl_sizes[i];
	es->ext_free = NULL;
	es->ext_arg = &mcl_pools[i];
	m->m_ext.ext_buf = buf;
	m->m_ext.ext_size = (size_t)mcl_sizes[i];
	m->m_ext.ext_storage = es;
	m->m_data = buf;
	m->m_flags |= M_EXT;
	mbstat_add(&mbstat.m_clusters, 1);
	mbstat_add(&mbstat.m_bytes, mcl_sizes[i]);
	return true;
}

bool
m_clget(struct mbuf *m, int how)
{
	KASSERT((m->m_flags & M_EXT) == 0);
	return mcl_attach(m, 0, how);
}

struct mbuf *
m_getjcl(int how, int type, int flags, int size)
{
	struct mbuf *m;
	int i = mcl_index(size);

	KASSERTMSG(i >= 0 && mcl_sizes[i] == size, "m_getjcl: size %d", size);
	if ((m = m_get(how, type)) == NULL)
		return NULL;
	m->m_flags = (short)(flags & M_PKTHDR);
	if (!mcl_attach(m, i, how)) {
		m_free(m);
		return NULL;
	}
	return m;
}

struct mbuf *
m_getcl(int how, int type, int flags)
{
	return m_getjcl(how, type, flags, MCLBYTES);
}

void
m_extadd(struct mbuf *m, char *buf, size_t size, struct m_ext_storage *es)
{
	KASSERT((m->m_flags & M_EXT) == 0);
	KASSERT(es->ext_free != NULL);
	es->ext_refcnt = 1;
	es->ext_size = size;
	m->m_ext.ext_buf = buf;
	m->m_ext.ext_size = size;
	m->m_ext.ext_storage = es;
	m->m_data = buf;
	m->m_flags |= M_EXT;
}

/* Drop a reference to m's external storage. */
static void
m_ext_release(struct mbuf *m)
{
	struct m_ext_storage *es = m->m_ext.ext_storage;
	struct pool *pp;
	size_t size;

	if (atomic_dec_uint_nv(&es->ext_refcnt) != 0)
		return;
	if (es->ext_free != NULL) {
		es->ext_free(es);
		return;
	}
	pp = es->ext_arg;
	size = es->ext_size;
	pool_put(pp, m->m_ext.ext_buf);
	mbstat_add(&mbstat.m_clusters, -1);
	mbstat_add(&mbstat.m_bytes, -(int64_t)size);
}

/* Make n refer to the same external storage as m. */
static void
m_ext_share(struct mbuf *n, const struct mbuf *m)
{
	KASSERT(m->m_flags & M_EXT);
	atomic_inc_uint(&m->m_ext.ext_storage->ext_refcnt);
	n->m_ext = m->m_ext;
	n->m_flags |= M_EXT;
}

struct mbuf *
m_free(struct mbuf *m)
{
	struct mbuf *n = m->m_next;

	if (m->m_flags & M_EXT)
		m_ext_release(m);
	m->m_type = MT_FREE;
	pool_put(&mbuf_pool, m);
	mbstat_add(&mbstat.m_mbufs, -1);
	mbstat_add(&mbstat.m_bytes, -MSIZE);
	return n;
}

void
m_freem(struct mbuf *m)
{
	while (m != NULL)
		m = m_free(m);
}

/* Where m's storage starts and ends. */
static char *
m_bufstart(const struct mbuf *m)
{
	return (m->m_flags & M_EXT) ? m->m_ext.ext_buf : __UNCONST(m->m_dat);
}

static char *
m_bufend(const struct mbuf *m)
{
	return (m->m_flags & M_EXT) ? m->m_ext.ext_buf + m->m_ext.ext_size
				    : __UNCONST(m->m_dat) + MLEN;
}

int
m_leadingspace(const struct mbuf *m)
{
	if (M_READONLY(m))
		return 0;
	return (int)(m->m_data - m_bufstart(m));
}

int
m_trailingspace(const struct mbuf *m)
{
	if (M_READONLY(m))
		return 0;
	return (int)(m_bufend(m) - (m->m_data + m->m_len));
}

void
m_align(struct mbuf *m, int len)
{
	KASSERT(len >= 0 && len <= (int)(m_bufend(m) - m_bufstart(m)));
	m->m_data = m_bufend(m) -
	    ((size_t)len + sizeof(long) - 1) / sizeof(long) * sizeof(long);
	if (m->m_data < m_bufstart(m))
		m->m_data = m_bufstart(m);
}

struct mbuf *
m_prepend(struct mbuf *m, int len, int how)
{
	struct mbuf *mn;

	KASSERT(len >= 0 && len <= MHLEN);
	if ((mn = m_get(how, m->m_type)) == NULL) {
		m_freem(m);
		return NULL;
	}
	if (m->m_flags & M_PKTHDR)
		m_move_pkthdr(mn, m);
	mn->m_next = m;
	m_align(mn, len);
	mn->m_len = len;
	if (mn->m_flags & M_PKTHDR)
		mn->m_pkthdr.len += len;
	return mn;
}

int
m_length(const struct mbuf *m)
{
	int len = 0;

	for (; m != NULL; m = m->m_next)
		len += m->m_len;
	return len;
}

void
m_copydata(const struct mbuf *m, int off, int len, void *buf)
{
	char *cp = buf;
	bool all = len == M_COPYALL;
	int n;

	KASSERT(off >= 0 && len >= 0);
	while (off > 0) {
		KASSERTMSG(m != NULL, "m_copydata: offset past the chain");
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0 && m != NULL) {
		n = MIN(m->m_len - off, len);
		memcpy(cp, mtod(m, char *) + off, (size_t)n);
		cp += n;
		len -= n;
		off = 0;
		m = m->m_next;
	}
	KASSERTMSG(len == 0 || all, "m_copydata: %d bytes past the chain", len);
}

/*
 * Give m writable storage of its own if what it has is shared, copying
 * its bytes; false if out of memory (m unchanged).
 */
static bool
m_makewritable(struct mbuf *m, int how)
{
	struct mbuf tmp;
	char *old;
	int i;

	if (!M_READONLY(m))
		return true;
	old = m->m_data;
	tmp = *m;
	if (m->m_len <= MLEN) {
		m->m_flags &= ~M_EXT;
		m->m_data = m->m_dat;
		memcpy(m->m_data, old, (size_t)m->m_len);
	} else {
		i = mcl_index(m->m_len);
		KASSERT(i >= 0);
		m->m_flags &= ~M_EXT;
		if (!mcl_attach(m, i, how)) {
			*m = tmp;
			return false;
		}
		memcpy(m->m_data, old, (size_t)m->m_len);
	}
	m_ext_release(&tmp);
	return true;
}

/* A new mbuf for len more bytes: a cluster if they do not fit in one. */
static struct mbuf *
m_getfor(int len, int how, int type)
{
	int i;

	if (len <= MLEN)
		return m_get(how, type);
	i = mcl_index(len);
	if (i < 0 || i > 3)
		i = 3;          /* at most MJUM16BYTES a piece */
	return m_getjcl(how, type, 0, mcl_sizes[i]);
}

int
m_copyback(struct mbuf *m0, int off, int len, const void *buf)
{
	const char *cp = buf;
	struct mbuf *m = m0, *n;
	int mlen, gap, room, error = 0;

	KASSERT(off >= 0 && len >= 0);
	/*
	 * Walk to the mbuf holding off (off equal to the length of the
	 * chain's last mbuf: append there), padding with zeros past the end.
	 */
	while (off > m->m_len || (off == m->m_len && m->m_next != NULL)) {
		if (m->m_next == NULL) {
			gap = off - m->m_len;
			if ((room = m_trailingspace(m)) > 0) {
				mlen = MIN(room, gap);
				memset(m->m_data + m->m_len, 0, (size_t)mlen);
				m->m_len += mlen;
				continue;
			}
			n = m_getfor(gap + len, M_DONTWAIT, m->m_type);
			if (n == NULL) {
				error = ENOBUFS;
				goto out;
			}
			m->m_next = n;
		}
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0) {
		if (off < m->m_len) {
			if (!m_makewritable(m, M_DONTWAIT)) {
				error = ENOBUFS;
				goto out;
			}
			mlen = MIN(m->m_len - off, len);
		} else {
			mlen = MIN(m_trailingspace(m), len);
			m->m_len += mlen;
		}
		memcpy(m->m_data + off, cp, (size_t)mlen);
		cp += mlen;
		len -= mlen;
		off += mlen;
		if (len == 0 || off < m->m_len)
			continue;
		if (m->m_next == NULL) {
			if (m_trailingspace(m) > 0)
				continue;
			n = m_getfor(len, M_DONTWAIT, m->m_type);
			if (n == NULL) {
				error = ENOBUFS;
				goto out;
			}
			m->m_next = n;
		}
		m = m->m_next;
		off = 0;
	}
out:
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len = m_length(m0);
	return error;
}

void
m_copy_pkthdr(struct mbuf *to, const struct mbuf *from)
{
	KASSERT(from->m_flags & M_PKTHDR);
	to->m_pkthdr = from->m_pkthdr;
	to->m_flags = (short)((to->m_flags & M_EXT) |
	    (from->m_flags & M_COPYFLAGS));
}

void
m_move_pkthdr(struct mbuf *to, struct mbuf *from)
{
	KASSERT(from->m_flags & M_PKTHDR);
	to->m_pkthdr = from->m_pkthdr;
	to->m_flags = (short)((to->m_flags & M_EXT) |
	    (from->m_flags & M_COPYFLAGS));
	from->m_flags &= ~M_PKTHDR;
	memset(&from->m_pkthdr, 0, sizeof(from->m_pkthdr));
}

struct mbuf *
m_copym(struct mbuf *m, int off, int len, int how)
{
	struct mbuf *top = NULL, **np = &top, *n;
	bool copyhdr = off == 0 && (m->m_flags & M_PKTHDR);
	int count;

	KASSERT(off >= 0 && len >= 0);
	while (off > 0) {
		KASSERTMSG(m != NULL, "m_copym: offset past the chain");
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0 && m != NULL) {
		if ((n = m_get(how, m->m_type)) == NULL)
			goto nomem;
		*np = n;
		np = &n->m_next;
		if (copyhdr) {
			m_copy_pkthdr(n, m);
			n->m_pkthdr.len =
			    len == M_COPYALL ? m->m_pkthdr.len - off : len;
			copyhdr = false;
		}
		count = MIN(m->m_len - off, len);
		if (m->m_flags & M_EXT) {
			m_ext_share(n, m);
			n->m_data = m->m_data + off;
		} else {
			memcpy(n->m_data, m->m_data + off, (size_t)count);
		}
		n->m_len = count;
		if (len != M_COPYALL)
			len -= count;
		off = 0;
		m = m->m_next;
	}
	KASSERTMSG(len == 0 || len == M_COPYALL,
	    "m_copym: %d bytes past the chain", len);
	if (top == NULL)
		return m_get(how, MT_DATA);
	return top;
nomem:
	m_freem(top);
	return NULL;
}

struct mbuf *
m_copypacket(struct mbuf *m, int how)
{
	return m_copym(m, 0, M_COPYALL, how);
}

struct mbuf *
m_dup(struct mbuf *m, int off, int len, int how)
{
	struct mbuf *n;
	int total = m_length(m) - off, o = 0, chunk;

	if (len == M_COPYALL)
		len = total;
	KASSERT(off >= 0 && len >= 0 && len <= total);
	if ((n = m_getfor(len, how, m->m_type)) == NULL)
		return NULL;
	if (m->m_flags & M_PKTHDR) {
		m_copy_pkthdr(n, m);
		n->m_pkthdr.len = 0;
	}
	for (m = m_getptr(m, off, &o); len > 0; m = m->m_next, o = 0) {
		chunk = MIN(len, m->m_len - o);
		if (!m_append(n, chunk, m->m_data + o)) {
			m_freem(n);
			return NULL;
		}
		len -= chunk;
	}
	return n;
}

struct mbuf *
m_pullup(struct mbuf *m, int len)
{
	struct mbuf *n, *head;
	int count;

	if (m->m_len >= len)
		return m;
	if (len > MHLEN)
		goto bad;
	if (m->m_next != NULL && m_trailingspace(m) >= len - m->m_len &&
	    !M_READONLY(m)) {
		head = m;
		n = m->m_next;
		head->m_next = NULL;
	} else {
		if ((head = m_get(M_DONTWAIT, m->m_type)) == NULL)
			goto bad;
		if (m->m_flags & M_PKTHDR)
			m_move_pkthdr(head, m);
		n = m;
	}
	while (head->m_len < len && n != NULL) {
		count = MIN(len - head->m_len, n->m_len);
		memcpy(head->m_data + head->m_len, n->m_data, (size_t)count);
		head->m_len += count;
		n->m_data += count;
		n->m_len -= count;
		if (n->m_len == 0)
			n = m_free(n);
	}
	head->m_next = n;
	if (head->m_len < len) {
		m = head;
		goto bad;
	}
	return head;
bad:
	m_freem(m);
	mbstat_add(&mbstat.m_drops, 1);
	return NULL;
}

void
m_adj(struct mbuf *mp, int req_len)
{
	struct mbuf *m = mp;
	int len, total, keep;

	if (mp == NULL)
		return;
	if (req_len >= 0) {
		len = req_len;
		while (m != NULL && len > 0) {
			if (m->m_len <= len) {
				len -= m->m_len;
				m->m_data += m->m_len;
				m->m_len = 0;
				m = m->m_next;
			} else {
				m->m_data += len;
				m->m_len -= len;
				len = 0;
			}
		}
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= req_len - len;
		return;
	}
	total = m_length(mp);
	keep = total + req_len;
	if (keep < 0)
		keep = 0;
	for (;;) {
		if (m->m_len >= keep || m->m_next == NULL) {
			m->m_len = MIN(m->m_len, keep);
			break;
		}
		keep -= m->m_len;
		m = m->m_next;
	}
	m_freem(m->m_next);
	m->m_next = NULL;
	if (mp->m_flags & M_PKTHDR)
		mp->m_pkthdr.len = m_length(mp);
}

void
m_cat(struct mbuf *m, struct mbuf *n)
{
	while (m->m_next != NULL)
		m = m->m_next;
	while (n != NULL) {
		if ((m->m_flags & M_EXT) == 0 && (n->m_flags & M_EXT) == 0 &&
		    m_trailingspace(m) >= n->m_len) {
			memcpy(m->m_data + m->m_len, n->m_data,
			    (size_t)n->m_len);
			m->m_len += n->m_len;
			n = m_free(n);
		} else {
			m->m_next = n;
			break;
		}
	}
}

struct mbuf *
m_split(struct mbuf *m0, int len0, int how)
{
	struct mbuf *m, *n;
	int remain = len0, tlen;

	KASSERT(len0 >= 0);
	for (m = m0; m != NULL && remain > m->m_len; m = m->m_next)
		remain -= m->m_len;
	if (m == NULL)
		return NULL;
	tlen = m->m_len - remain;
	if ((m0->m_flags & M_PKTHDR) || tlen > 0) {
		if ((n = m_get(how, m->m_type)) == NULL)
			return NULL;
		if (m0->m_flags & M_PKTHDR) {
			m_copy_pkthdr(n, m0);
			n->m_pkthdr.len = m0->m_pkthdr.len - len0;
			m0->m_pkthdr.len = len0;
		}
		if (tlen > 0) {
			if (m->m_flags & M_EXT) {
				m_ext_share(n, m);
				n->m_data = m->m_data + remain;
			} else {
				memcpy(n->m_data, m->m_data + remain,
				    (size_t)tlen);
			}
			n->m_len = tlen;
		}
		n->m_next = m->m_next;
	} else {
		n = m->m_next;
	}
	m->m_len = remain;
	m->m_next = NULL;
	return n;
}

bool
m_append(struct mbuf *m0, int len, const void *cpv)
{
	const char *cp = cpv;
	struct mbuf *m, *n;
	int space, done = 0;

	for (m = m0; m->m_next != NULL; m = m->m_next)
		continue;
	while (done < len) {
		space = m_trailingspace(m);
		if (space > 0) {
			space = MIN(space, len - done);
			memcpy(m->m_data + m->m_len, cp + done, (size_t)space);
			m->m_len += space;
			done += space;
			continue;
		}
		if ((n = m_getfor(len - done, M_DONTWAIT, m->m_type)) == NULL)
			break;
		m->m_next = n;
		m = n;
	}
	if (m0->m_flags & M_PKTHDR)
		m0->m_pkthdr.len += done;
	return done == len;
}

/*
 * The frame starts far enough into its storage that the header after
 * the link header lands on a 4-byte boundary (2 bytes for Ethernet's
 * 14), so protocols read their headers aligned.
 */
struct mbuf *
m_devget(const void *buf, int len, struct ifnet *ifp)
{
	int align = ifp != NULL ? (int)((4 - ifp->if_hdrlen % 4) % 4) : 0;
	struct mbuf *m;
	int i;

	if (len + align <= MHLEN) {
		m = m_gethdr(M_DONTWAIT, MT_DATA);
	} else {
		i = mcl_index(len + align);
		if (i < 0)
			m = m_gethdr(M_DONTWAIT, MT_DATA);
		else
			m = m_getjcl(M_DONTWAIT, MT_DATA, M_PKTHDR,
			    mcl_sizes[i]);
	}
	if (m == NULL)
		return NULL;
	m->m_pkthdr.rcvif = ifp;
	m->m_data += align;
	if (!m_append(m, len, buf)) {
		m_freem(m);
		return NULL;
	}
	return m;
}

struct mbuf *
m_getptr(struct mbuf *m, int off, int *offp)
{
	while (m != NULL) {
		if (off < m->m_len) {
			*offp = off;
			return m;
		}
		off -= m->m_len;
		if (m->m_next == NULL && off == 0) {
			*offp = m->m_len;
			return m;
		}
		m = m->m_next;
	}
	return NULL;
}

struct mbuf *
m_uiotombuf(struct uio *uio, int len, int align, int how, int *errorp)
{
	struct mbuf *top, *m, *n;
	int total, chunk, error;

	total = len < 0 ? (int)MIN(uio->uio_resid, (size_t)0x7fffffff)
			: (int)MIN((size_t)len, uio->uio_resid);
	KASSERT(align >= 0 && align < MHLEN);
	if (total + align <= MHLEN)
		top = m_gethdr(how, MT_DATA);
	else
		top = m_getfor(total + align, how, MT_DATA);
	if (top == NULL) {
		*errorp = ENOBUFS;
		return NULL;
	}
	top->m_flags |= M_PKTHDR;
	top->m_data += align;
	m = top;
	while (total > 0) {
		chunk = MIN(total, m_trailingspace(m));
		if (chunk == 0) {
			if ((n = m_getfor(total, how, MT_DATA)) == NULL) {
				error = ENOBUFS;
				goto bad;
			}
			m->m_next = n;
			m = n;
			continue;
		}
		error = uiomove(m->m_data + m->m_len, (size_t)chunk, uio);
		if (error != 0)
			goto bad;
		m->m_len += chunk;
		top->m_pkthdr.len += chunk;
		total -= chunk;
	}
	*errorp = 0;
	return top;
bad:
	m_freem(top);
	*errorp = error;
	return NULL;
}
