/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Network interfaces (<net/if.h>): the list of attached interfaces and
 * their indexes, references, address lists, packet queues, cloners and
 * the generic half of the interface ioctls.
 *
 * Lifecycle of an ifnet (the driver owns its memory):
 *   if_initialize -> if_initname -> if_attach (listed, indexed, every
 *   domain's dom_ifattach) -> if_up / if_down ... -> if_detach (down,
 *   every protocol's pr_purgeif(NULL, ifp) drops the family's addresses,
 *   routes through it deleted, dom_ifdetach, unlisted, then it waits for
 *   the references lookups handed out) -> the driver frees it.
 * if_initialize gives the ifnet the driver's own reference (if_refcnt
 * 1); if_detach returns once only that one is left.
 *
 * ifioctl is entered with no lock held: it takes softnet_lock for the
 * generic commands, and for a command it passes on to the socket's
 * protocol (pr_ioctl, with a kernel copy of the ifreq) the socket's lock
 * as every protocol request is made.  The caller's ifreq/ifconf are
 * reached with copyin/copyout.
 *
 * Interfaces are created, destroyed and given link strings one at a
 * time (if_clone_serial, held across the driver's call), so a destroy
 * never meets another destroy or a link string being set: a caller
 * takes it before any reference to the interface, since a destroy
 * waits, holding it, for the references to go.
 *
 * The routing socket hears of it all (rt_*msg, softnet_lock held): an
 * interface's arrival and departure, its flags and link string changing
 * (RTM_IFINFO), addresses inserted and removed.
 *
 * Lock order: if_clone_serial, then softnet_lock, then ifnet_lock (the
 * list), then if_clone_lock,
 * then a queue's ifq_lock.  Address lists change under softnet_lock.
 */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/domain.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/protosw.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <net/if.h>
#include <net/route.h>
#include <net/rtsock.h>
#include <netinet/in.h>

#include "net_private.h"

#define IF_SNDQ_MAXLEN 1000     /* Linux's default txqueuelen */
#define IF_MTU_MIN     68       /* RFC 791: every IPv4 link carries 68 */
#define IF_MTU_MAX     65536

kmutex_t ifnet_lock;
struct ifnet_head ifnet_list;                   /* ifnet_lock */
static kcondvar_t ifnet_cv;                     /* ifnet_lock: a reference went */
static unsigned if_nextindex = 1;               /* ifnet_lock */

static kmutex_t if_clone_lock;
/* Creations, destructions and link-string changes, one at a time. */
static kmutex_t if_clone_serial;
static LIST_HEAD(, if_clone) if_cloners;        /* if_clone_lock */

/*
 * Packet queues.
 */
void
ifq_init(struct ifqueue *ifq, int maxlen)
{
	mutex_init(&ifq->ifq_lock, MUTEX_DEFAULT, IPL_SOFTNET);
	ifq->ifq_head = ifq->ifq_tail = NULL;
	ifq->ifq_len = 0;
	ifq->ifq_maxlen = maxlen;
	ifq->ifq_drops = 0;
}

void
ifq_destroy(struct ifqueue *ifq)
{
	ifq_purge(ifq);
	mutex_destroy(&ifq->ifq_lock);
}

bool
ifq_enqueue(struct ifqueue *ifq, struct mbuf *m)
{
	mutex_enter(&ifq->ifq_lock);
	if (ifq->ifq_len >= ifq->ifq_maxlen) {
		ifq->ifq_drops++;
		mutex_exit(&ifq->ifq_lock);
		m_freem(m);
		return false;
	}
	m->m_nextpkt = NULL;
	if (ifq->ifq_tail != NULL)
		ifq->ifq_tail->m_nextpkt = m;
	else
		ifq->ifq_head = m;
	ifq->ifq_tail = m;
	ifq->ifq_len++;
	mutex_exit(&ifq->ifq_lock);
	return true;
}

struct mbuf *
ifq_dequeue(struct ifqueue *ifq)
{
	struct mbuf *m;

	mutex_enter(&ifq->ifq_lock);
	if ((m = ifq->ifq_head) != NULL) {
		if ((ifq->ifq_head = m->m_nextpkt) == NULL)
			ifq->ifq_tail = NULL;
		ifq->ifq_len--;
		m->m_nextpkt = NULL;
	}
	mutex_exit(&ifq->ifq_lock);
	return m;
}

void
ifq_purge(struct ifqueue *ifq)
{
	struct mbuf *m, *next;

	mutex_enter(&ifq->ifq_lock);
	m = ifq->ifq_head;
	ifq->ifq_head = ifq->ifq_tail = NULL;
	ifq->ifq_len = 0;
	mutex_exit(&ifq->ifq_lock);
	for (; m != NULL; m = next) {
		next = m->m_nextpkt;
		m->m_nextpkt = NULL;
		m_freem(m);
	}
}

/*
 * References.
 */
void
if_ref(struct ifnet *ifp)
{
	atomic_inc_uint(&ifp->if_refcnt);
}

void
if_release(struct ifnet *ifp)
{
	if (atomic_dec_uint_nv(&ifp->if_refcnt) == 1 &&
	    atomic_load_acquire(&ifp->if_detaching)) {
		mutex_enter(&ifnet_lock);
		cv_broadcast(&ifnet_cv);
		mutex_exit(&ifnet_lock);
	}
}

void
ifa_ref(struct ifaddr *ifa)
{
	atomic_inc_uint(&ifa->ifa_refcnt);
}

void
ifa_release(struct ifaddr *ifa)
{
	if (atomic_dec_uint_nv(&ifa->ifa_refcnt) == 0)
		ifa->ifa_free(ifa);
}

struct ifnet *
if_get_byname(const char *name)
{
	struct ifnet *ifp;

	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (!ifp->if_detaching &&
		    strncmp(ifp->if_xname, name, IFNAMSIZ) == 0) {
			if_ref(ifp);
			break;
		}
	}
	mutex_exit(&ifnet_lock);
	return ifp;
}

struct ifnet *
if_get_byindex(unsigned index)
{
	struct ifnet *ifp;

	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (!ifp->if_detaching && ifp->if_index == index) {
			if_ref(ifp);
			break;
		}
	}
	mutex_exit(&ifnet_lock);
	return ifp;
}

/*
 * Attach and detach.
 */
int
if_transmit_default(struct ifnet *ifp, struct mbuf *m)
{
	int len = m->m_pkthdr.len;

	if (ifp->if_start == NULL) {
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		m_freem(m);
		return ENETDOWN;
	}
	if (!ifq_enqueue(&ifp->if_snd, m)) {
		IF_STAT_ADD(ifp, ifi_oerrors, 1);
		return ENOBUFS;
	}
	IF_STAT_ADD(ifp, ifi_opackets, 1);
	IF_STAT_ADD(ifp, ifi_obytes, len);
	ifp->if_start(ifp);
	return 0;
}

void
if_initialize(struct ifnet *ifp)
{
	TAILQ_INIT(&ifp->if_addrlist);
	ifq_init(&ifp->if_snd, IF_SNDQ_MAXLEN);
	if (ifp->if_mtu == 0)
		ifp->if_mtu = 1500;
	if (ifp->if_transmit == NULL)
		ifp->if_transmit = if_transmit_default;
	ifp->if_refcnt = 1;             /* the driver's */
}

static bool
if_name_taken(const char *name)
{
	struct ifnet *ifp;

	KASSERT(mutex_owned(&ifnet_lock));
	TAILQ_FOREACH(ifp, &ifnet_list, if_list)
		if (strncmp(ifp->if_xname, name, IFNAMSIZ) == 0)
			return true;
	return false;
}

void
if_initname(struct ifnet *ifp, const char *prefix, int unit)
{
	mutex_enter(&ifnet_lock);
	if (unit < 0) {
		for (unit = 0;; unit++) {
			snprintf(ifp->if_xname, IFNAMSIZ, "%s%d", prefix, unit);
			if (!if_name_taken(ifp->if_xname))
				break;
		}
	} else
		snprintf(ifp->if_xname, IFNAMSIZ, "%s%d", prefix, unit);
	mutex_exit(&ifnet_lock);
}

int
if_attach(struct ifnet *ifp)
{
	struct domain *dom;

	mutex_enter(softnet_lock);
	mutex_enter(&ifnet_lock);
	if (if_name_taken(ifp->if_xname)) {
		mutex_exit(&ifnet_lock);
		mutex_exit(softnet_lock);
		return EEXIST;
	}
	ifp->if_index = if_nextindex++;
	TAILQ_INSERT_TAIL(&ifnet_list, ifp, if_list);
	mutex_exit(&ifnet_lock);
	/* Announced before the families add addresses to it. */
	rt_ifannouncemsg(ifp, IFAN_ARRIVAL);
	DOMAIN_FOREACH(dom) {
		if (dom->dom_ifattach != NULL)
			ifp->if_afdata[dom->dom_family] = dom->dom_ifattach(ifp);
	}
	mutex_exit(softnet_lock);
	aprint_verbose("%s: attached, index %u\n", ifp->if_xname,
	    ifp->if_index);
	return 0;
}

void
if_detach(struct ifnet *ifp)
{
	const struct protosw *pr;
	struct ifaddr *ifa;
	struct domain *dom;

	mutex_enter(softnet_lock);
	if_down(ifp);
	atomic_store_release(&ifp->if_detaching, true);
	DOMAIN_FOREACH(dom) {
		for (pr = dom->dom_protosw; pr < dom->dom_protoswNPROTOSW; pr++)
			if ((pr->pr_flags & PR_PURGEIF) != 0 &&
			    pr->pr_usrreqs != NULL &&
			    pr->pr_usrreqs->pr_purgeif != NULL)
				pr->pr_usrreqs->pr_purgeif(NULL, ifp);
	}
	while ((ifa = TAILQ_FIRST(&ifp->if_addrlist)) != NULL)
		ifa_remove(ifp, ifa);
	rt_purge_ifp(ifp);
	rt_ifannouncemsg(ifp, IFAN_DEPARTURE);
	DOMAIN_FOREACH(dom) {
		if (dom->dom_ifdetach != NULL &&
		    ifp->if_afdata[dom->dom_family] != NULL) {
			dom->dom_ifdetach(ifp, ifp->if_afdata[dom->dom_family]);
			ifp->if_afdata[dom->dom_family] = NULL;
		}
	}
	mutex_exit(softnet_lock);

	mutex_enter(&ifnet_lock);
	TAILQ_REMOVE(&ifnet_list, ifp, if_list);
	while (atomic_load_acquire(&ifp->if_refcnt) > 1)
		cv_wait(&ifnet_cv, &ifnet_lock);
	mutex_exit(&ifnet_lock);
	ifq_destroy(&ifp->if_snd);
	if (ifp->if_linkstr != NULL) {
		kmem_strfree(ifp->if_linkstr);
		ifp->if_linkstr = NULL;
	}
	aprint_verbose("%s: detached\n", ifp->if_xname);
}

int
if_up(struct ifnet *ifp)
{
	int error = 0;

	KASSERT(mutex_owned(softnet_lock));
	if (ifp->if_detaching)
		return ENXIO;
	if (ifp->if_flags & IFF_UP)
		return 0;
	if (ifp->if_init != NULL && (error = ifp->if_init(ifp)) != 0)
		return error;
	ifp->if_flags |= IFF_UP;
	rt_ifmsg(ifp);
	return 0;
}

void
if_down(struct ifnet *ifp)
{
	struct ifaddr *ifa;

	KASSERT(mutex_owned(softnet_lock));
	if ((ifp->if_flags & IFF_UP) == 0)
		return;
	ifp->if_flags &= ~IFF_UP;
	if (ifp->if_stop != NULL)
		ifp->if_stop(ifp, 0);
	TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list)
		pfctlinput(PRC_IFDOWN, (const struct sockaddr *)&ifa->ifa_addr);
	ifq_purge(&ifp->if_snd);
	rt_ifmsg(ifp);
}

/*
 * Addresses.
 */
void
ifa_insert(struct ifnet *ifp, struct ifaddr *ifa)
{
	KASSERT(mutex_owned(softnet_lock));
	ifa->ifa_ifp = ifp;
	ifa_ref(ifa);
	TAILQ_INSERT_TAIL(&ifp->if_addrlist, ifa, ifa_list);
	rt_addrmsg(RTM_NEWADDR, ifa);
}

void
ifa_remove(struct ifnet *ifp, struct ifaddr *ifa)
{
	KASSERT(mutex_owned(softnet_lock));
	KASSERT(ifa->ifa_ifp == ifp);
	TAILQ_REMOVE(&ifp->if_addrlist, ifa, ifa_list);
	rt_addrmsg(RTM_DELADDR, ifa);
	ifa_release(ifa);
}

/* Where a family keeps the address bytes in its sockaddr, and how many. */
static bool
if_sa_addr(const struct sockaddr *sa, unsigned *offp, unsigned *lenp)
{
	switch (sa->sa_family) {
	case AF_INET:
		*offp = __builtin_offsetof(struct sockaddr_in, sin_addr);
		*lenp = 4;
		return true;
	case AF_INET6:
		*offp = 8;              /* sin6_addr (RFC 3493, 3.3) */
		*lenp = 16;
		return true;
	default:
		return false;
	}
}

static bool
ifa_equal(const struct ifaddr *ifa, const struct sockaddr *sa)
{
	unsigned off, len;

	if (ifa->ifa_addr.ss_family != sa->sa_family)
		return false;
	if (!if_sa_addr(sa, &off, &len))
		return memcmp(&ifa->ifa_addr, sa, ifa->ifa_addrlen) == 0;
	return memcmp((const uint8_t *)&ifa->ifa_addr + off,
	    (const uint8_t *)sa + off, len) == 0;
}

static bool
ifa_holds(const struct ifaddr *ifa, const struct sockaddr *sa)
{
	const uint8_t *a, *m, *x;
	unsigned off, len;

	if (ifa->ifa_addr.ss_family != sa->sa_family ||
	    !if_sa_addr(sa, &off, &len))
		return false;
	a = (const uint8_t *)&ifa->ifa_addr + off;
	m = (const uint8_t *)&ifa->ifa_netmask + off;
	x = (const uint8_t *)sa + off;
	for (unsigned i = 0; i < len; i++)
		if ((a[i] & m[i]) != (x[i] & m[i]))
			return false;
	return true;
}

struct ifaddr *
ifa_ifwithaddr(const struct sockaddr *sa)
{
	struct ifaddr *ifa;
	struct ifnet *ifp;

	KASSERT(mutex_owned(softnet_lock));
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
			if (ifa_equal(ifa, sa)) {
				ifa_ref(ifa);
				mutex_exit(&ifnet_lock);
				return ifa;
			}
		}
	}
	mutex_exit(&ifnet_lock);
	return NULL;
}

struct ifaddr *
ifaof_ifpforaddr(const struct sockaddr *sa, struct ifnet *ifp)
{
	struct ifaddr *ifa, *first = NULL;

	KASSERT(mutex_owned(softnet_lock));
	TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
		if (ifa->ifa_addr.ss_family != sa->sa_family)
			continue;
		if (first == NULL)
			first = ifa;
		if (ifa_holds(ifa, sa)) {
			first = ifa;
			break;
		}
	}
	if (first != NULL)
		ifa_ref(first);
	return first;
}

/*
 * Cloners.
 */
void
if_clone_attach(struct if_clone *ifc)
{
	mutex_enter(&if_clone_lock);
	LIST_INSERT_HEAD(&if_cloners, ifc, ifc_list);
	mutex_exit(&if_clone_lock);
}

/* The cloner for "shmif3" and its unit; EINVAL if no cloner or no unit. */
static int
if_clone_lookup(const char *name, struct if_clone **ifcp, int *unitp)
{
	struct if_clone *ifc;
	size_t plen, n = strnlen(name, IFNAMSIZ);
	long unit = 0;

	if (n == 0 || n >= IFNAMSIZ)
		return EINVAL;
	for (plen = n; plen > 0 && name[plen - 1] >= '0' && name[plen - 1] <= '9';)
		plen--;
	if (plen == 0 || plen == n || (name[plen] == '0' && plen + 1 < n))
		return EINVAL;
	for (size_t i = plen; i < n; i++)
		unit = unit * 10 + (name[i] - '0');
	if (unit > 65535)
		return EINVAL;
	mutex_enter(&if_clone_lock);
	LIST_FOREACH(ifc, &if_cloners, ifc_list) {
		if (strlen(ifc->ifc_name) == plen &&
		    strncmp(ifc->ifc_name, name, plen) == 0)
			break;
	}
	mutex_exit(&if_clone_lock);
	if (ifc == NULL)
		return EINVAL;
	*ifcp = ifc;
	*unitp = (int)unit;
	return 0;
}

int
if_clone_create(const char *name)
{
	struct if_clone *ifc;
	struct ifnet *ifp;
	int unit, error;

	mutex_enter(&if_clone_serial);
	if ((ifp = if_get_byname(name)) != NULL) {
		if_release(ifp);
		error = EEXIST;
	} else if ((error = if_clone_lookup(name, &ifc, &unit)) == 0)
		error = ifc->ifc_create(ifc, unit);
	mutex_exit(&if_clone_serial);
	return error;
}

int
if_clone_destroy(const char *name)
{
	struct if_clone *ifc;
	struct ifnet *ifp;
	int unit, error;

	if ((error = if_clone_lookup(name, &ifc, &unit)) != 0)
		return error;
	mutex_enter(&if_clone_serial);
	if ((ifp = if_get_byname(name)) == NULL) {
		error = ENXIO;
	} else {
		/* Only this lwp can destroy it while if_clone_serial is held. */
		if_release(ifp);
		error = ifc->ifc_destroy != NULL ? ifc->ifc_destroy(ifp) :
		    EOPNOTSUPP;
	}
	mutex_exit(&if_clone_serial);
	return error;
}

/* Set (str) or unset (NULL) the link string of name; if_clone_serial held. */
static int
if_linkstr_change(const char *name, const char *str)
{
	struct ifnet *ifp;
	char *copy = NULL, *old;
	int error;

	if ((ifp = if_get_byname(name)) == NULL)
		return ENXIO;
	if (str != NULL ? ifp->if_setlinkstr == NULL :
	    ifp->if_unsetlinkstr == NULL) {
		error = EOPNOTSUPP;
		goto out;
	}
	if (str != NULL && (copy = kmem_strdup(str, KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	error = str != NULL ? ifp->if_setlinkstr(ifp, str) :
	    ifp->if_unsetlinkstr(ifp);
	if (error != 0) {
		if (copy != NULL)
			kmem_strfree(copy);
		goto out;
	}
	mutex_enter(softnet_lock);
	mutex_enter(&ifnet_lock);
	old = ifp->if_linkstr;
	ifp->if_linkstr = copy;
	mutex_exit(&ifnet_lock);
	rt_ifmsg(ifp);
	mutex_exit(softnet_lock);
	if (old != NULL)
		kmem_strfree(old);
out:
	if_release(ifp);
	return error;
}

int
if_linkstr_set(const char *name, const char *str)
{
	int error;

	mutex_enter(&if_clone_serial);
	error = if_linkstr_change(name, str);
	mutex_exit(&if_clone_serial);
	return error;
}

int
if_linkstr_unset(const char *name)
{
	int error;

	mutex_enter(&if_clone_serial);
	error = if_linkstr_change(name, NULL);
	mutex_exit(&if_clone_serial);
	return error;
}

/*
 * The interface ioctls.
 */

static bool
if_privileged(void)
{
	return kauth_cred_issuser(kauth_cred_get());
}

/* SIOCIFCREATE, SIOCIFDESTROY: by the name's cloner. */
static int
if_clone_ioctl(unsigned long cmd, void *data)
{
	struct ifreq ifr;
	int error;

	if ((error = copyin(data, &ifr, sizeof(ifr))) != 0)
		return error;
	if (strnlen(ifr.ifr_name, IFNAMSIZ) == IFNAMSIZ)
		return EINVAL;
	if (!if_privileged())
		return EPERM;
	if (cmd == SIOCIFCREATE)
		return if_clone_create(ifr.ifr_name);
	return if_clone_destroy(ifr.ifr_name);
}

/* SIOCSLINKSTR, SIOCGLINKSTR with the original's struct ifdrv. */
static int
if_linkstr_ioctl(unsigned long cmd, void *data)
{
	struct ifdrv ifd;
	struct ifnet *ifp;
	char *str = NULL;
	size_t len = 0;
	int error;

	if ((error = copyin(data, &ifd, sizeof(ifd))) != 0)
		return error;
	if (strnlen(ifd.ifd_name, IFNAMSIZ) == IFNAMSIZ)
		return EINVAL;
	if (cmd == SIOCSLINKSTR && !if_privileged())
		return EPERM;
	if (cmd == SIOCSLINKSTR && (ifd.ifd_cmd & IFLINKSTR_UNSET) == 0) {
		if (ifd.ifd_len < 2 || ifd.ifd_len > IFLINKSTR_MAXLEN)
			return EINVAL;
		len = ifd.ifd_len;
		if ((str = kmem_alloc(len, KM_SLEEP)) == NULL)
			return ENOMEM;
		error = copyin(ifd.ifd_data, str, len);
		if (error == 0 && strnlen(str, len) != len - 1)
			error = EINVAL;
		if (error != 0) {
			kmem_free(str, len);
			return error;
		}
	}
	if (cmd == SIOCSLINKSTR) {
		error = str != NULL ? if_linkstr_set(ifd.ifd_name, str) :
		    if_linkstr_unset(ifd.ifd_name);
		ifp = NULL;
	} else if ((ifp = if_get_byname(ifd.ifd_name)) == NULL) {
		error = ENXIO;
	} else {
		mutex_enter(&ifnet_lock);
		if (ifp->if_linkstr != NULL)
			str = kmem_strdup(ifp->if_linkstr, KM_NOSLEEP);
		error = ifp->if_linkstr == NULL ? ENOENT :
		    str == NULL ? ENOMEM : 0;
		mutex_exit(&ifnet_lock);
		if (str != NULL)
			len = strlen(str) + 1;
	}
	if (ifp != NULL)
		if_release(ifp);
	if (error == 0 && cmd == SIOCGLINKSTR) {
		if ((ifd.ifd_cmd & IFLINKSTR_QUERYLEN) != 0 || ifd.ifd_len == 0)
			ifd.ifd_len = len;
		else if (ifd.ifd_len < len)
			error = ERANGE;
		else
			error = copyout(str, ifd.ifd_data, len);
		if (error == 0)
			error = copyout(&ifd, data, sizeof(ifd));
	}
	if (str != NULL)
		kmem_free(str, len);
	return error;
}

/* SIOCGIFCONF: an ifreq for each IPv4 address, as Linux gives. */
static int
ifconf(void *data)
{
	struct ifconf ifc;
	struct ifreq ifr;
	struct ifaddr *ifa;
	struct ifnet *ifp;
	int len = 0, error = 0;

	if ((error = copyin(data, &ifc, sizeof(ifc))) != 0)
		return error;
	if (ifc.ifc_len < 0)
		return EINVAL;
	mutex_enter(softnet_lock);
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		TAILQ_FOREACH(ifa, &ifp->if_addrlist, ifa_list) {
			if (ifa->ifa_addr.ss_family != AF_INET)
				continue;
			if (ifc.ifc_buf != NULL) {
				if (len + (int)sizeof(ifr) > ifc.ifc_len)
					goto out;
				memset(&ifr, 0, sizeof(ifr));
				strlcpy(ifr.ifr_name, ifp->if_xname, IFNAMSIZ);
				memcpy(&ifr.ifr_addr, &ifa->ifa_addr,
				    sizeof(struct sockaddr_in));
				error = copyout(&ifr, ifc.ifc_buf + len,
				    sizeof(ifr));
				if (error != 0)
					goto out;
			}
			len += (int)sizeof(ifr);
		}
	}
out:
	mutex_exit(&ifnet_lock);
	mutex_exit(softnet_lock);
	if (error != 0)
		return error;
	ifc.ifc_len = len;
	return copyout(&ifc, data, sizeof(ifc));
}

static int
if_setmtu(struct ifnet *ifp, struct ifreq *ifr)
{
	if (ifp->if_ioctl != NULL)
		return ifp->if_ioctl(ifp, SIOCSIFMTU, ifr);
	if (ifr->ifr_mtu < IF_MTU_MIN || ifr->ifr_mtu > IF_MTU_MAX)
		return EINVAL;
	ifp->if_mtu = (unsigned)ifr->ifr_mtu;
	return 0;
}

static int
if_setflags(struct ifnet *ifp, struct ifreq *ifr)
{
	int nflags = (unsigned short)ifr->ifr_flags, oflags, error = 0;

	if ((nflags & IFF_UP) != 0 && (ifp->if_flags & IFF_UP) == 0)
		error = if_up(ifp);
	else if ((nflags & IFF_UP) == 0 && (ifp->if_flags & IFF_UP) != 0)
		if_down(ifp);
	if (error != 0)
		return error;
	/* if_up and if_down announced what they changed. */
	oflags = ifp->if_flags;
	ifp->if_flags = (ifp->if_flags & (IFF_CANTCHANGE | IFF_UP)) |
	    (nflags & ~(IFF_CANTCHANGE | IFF_UP));
	if (oflags != ifp->if_flags)
		rt_ifmsg(ifp);
	if (ifp->if_ioctl != NULL) {
		error = ifp->if_ioctl(ifp, SIOCSIFFLAGS, ifr);
		if (error == ENOTTY)
			error = 0;
	}
	return error;
}

/* A command on one interface's ifreq; softnet_lock held. */
static int
ifioctl_ifreq(struct socket *so, unsigned long cmd, struct ifreq *ifr,
    struct ifnet *ifp)
{
	int error;

	switch (cmd) {
	case SIOCGIFFLAGS:
		ifr->ifr_flags = (short)ifp->if_flags;
		return 0;
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = (int)ifp->if_index;
		return 0;
	case SIOCGIFMTU:
		ifr->ifr_mtu = (int)ifp->if_mtu;
		return 0;
	case SIOCGIFTXQLEN:
		ifr->ifr_qlen = ifp->if_snd.ifq_maxlen;
		return 0;
	case SIOCGIFHWADDR:
		memset(&ifr->ifr_hwaddr, 0, sizeof(ifr->ifr_hwaddr));
		ifr->ifr_hwaddr.sa_family = (sa_family_t)ifp->if_type;
		memcpy(ifr->ifr_hwaddr.sa_data, ifp->if_lladdr,
		    MIN(ifp->if_addrlen, sizeof(ifr->ifr_hwaddr.sa_data)));
		return 0;
	case SIOCSIFFLAGS:
	case SIOCSIFMTU:
	case SIOCADDMULTI:
	case SIOCDELMULTI:
		if (!if_privileged())
			return EPERM;
		if (cmd == SIOCSIFFLAGS)
			return if_setflags(ifp, ifr);
		if (cmd == SIOCSIFMTU)
			return if_setmtu(ifp, ifr);
		if (ifp->if_ioctl == NULL)
			return EOPNOTSUPP;
		return ifp->if_ioctl(ifp, cmd, ifr);
	default:
		break;
	}
	if (so == NULL || so->so_proto->pr_usrreqs->pr_ioctl == NULL)
		return EOPNOTSUPP;
	/* The protocol's request is made under the socket's lock. */
	mutex_exit(softnet_lock);
	solock(so);
	error = so->so_proto->pr_usrreqs->pr_ioctl(so, cmd, ifr, ifp);
	sounlock(so);
	mutex_enter(softnet_lock);
	return error;
}

static bool
ifioctl_is_ifreq(unsigned long cmd)
{
	switch (cmd) {
	case SIOCGIFFLAGS: case SIOCSIFFLAGS:
	case SIOCGIFADDR: case SIOCSIFADDR:
	case SIOCGIFDSTADDR: case SIOCSIFDSTADDR:
	case SIOCGIFBRDADDR: case SIOCSIFBRDADDR:
	case SIOCGIFNETMASK: case SIOCSIFNETMASK:
	case SIOCGIFMTU: case SIOCSIFMTU:
	case SIOCGIFHWADDR: case SIOCADDMULTI: case SIOCDELMULTI:
	case SIOCGIFINDEX: case SIOCDIFADDR: case SIOCGIFTXQLEN:
		return true;
	default:
		return false;
	}
}

/*
 * Linux's SIOCSIFADDR/SIOCDIFADDR on an AF_INET6 socket take a struct
 * in6_ifreq (24 bytes: address, prefix length, interface index), which
 * names no interface: the protocol gets a kernel copy, ifp NULL.
 * SIOCGIFALIFETIME's struct in6_ifalifetime (32 bytes) is copied back.
 */
static int
ifioctl_in6(struct socket *so, unsigned long cmd, void *data)
{
	uint64_t ifr6[4];
	size_t len = cmd == SIOCGIFALIFETIME ? 32 : 24;
	int error;

	if (so->so_proto->pr_usrreqs->pr_ioctl == NULL)
		return EOPNOTSUPP;
	if ((error = copyin(data, ifr6, len)) != 0)
		return error;
	solock(so);
	error = so->so_proto->pr_usrreqs->pr_ioctl(so, cmd, ifr6, NULL);
	sounlock(so);
	if (error == 0 && cmd == SIOCGIFALIFETIME)
		error = copyout(ifr6, data, len);
	return error;
}

int
ifioctl(struct socket *so, unsigned long cmd, void *data, struct lwp *l)
{
	struct ifreq ifr;
	struct ifnet *ifp;
	int error;

	(void)l;
	switch (cmd) {
	case SIOCGIFCONF:
		return ifconf(data);
	case SIOCIFCREATE:
	case SIOCIFDESTROY:
		return if_clone_ioctl(cmd, data);
	case SIOCSLINKSTR:
	case SIOCGLINKSTR:
		return if_linkstr_ioctl(cmd, data);
	default:
		break;
	}
	if (so != NULL && so->so_proto->pr_domain->dom_family == AF_INET6 &&
	    (cmd == SIOCSIFADDR || cmd == SIOCDIFADDR ||
	    cmd == SIOCGIFALIFETIME))
		return ifioctl_in6(so, cmd, data);
	if (cmd != SIOCGIFNAME && !ifioctl_is_ifreq(cmd))
		return ENOTTY;
	if ((error = copyin(data, &ifr, sizeof(ifr))) != 0)
		return error;
	ifr.ifr_name[IFNAMSIZ - 1] = '\0';
	if (cmd == SIOCGIFNAME) {
		if ((ifp = if_get_byindex((unsigned)ifr.ifr_ifindex)) == NULL)
			return ENODEV;
		strlcpy(ifr.ifr_name, ifp->if_xname, IFNAMSIZ);
		if_release(ifp);
		return copyout(&ifr, data, sizeof(ifr));
	}
	if ((ifp = if_get_byname(ifr.ifr_name)) == NULL)
		return ENODEV;
	mutex_enter(softnet_lock);
	error = ifioctl_ifreq(so, cmd, &ifr, ifp);
	mutex_exit(softnet_lock);
	if_release(ifp);
	if (error == 0)
		error = copyout(&ifr, data, sizeof(ifr));
	return error;
}

/* net.interfaces: every interface with its counters (struct if_info). */
static int
if_sysctl_list(struct sysctlnode *node, struct sysctl_req *req)
{
	struct if_info *buf, *ii;
	struct ifnet *ifp;
	size_t n = 0, i = 0, size;
	int error;

	(void)node;
	if (req->sr_newp != NULL)
		return EPERM;
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list)
		n++;
	mutex_exit(&ifnet_lock);
	n += 4;                         /* room for some attached meanwhile */
	size = n * sizeof(*buf);
	if ((buf = kmem_zalloc(size, KM_SLEEP)) == NULL)
		return ENOMEM;
	mutex_enter(&ifnet_lock);
	TAILQ_FOREACH(ifp, &ifnet_list, if_list) {
		if (i == n)
			break;
		ii = &buf[i++];
		strlcpy(ii->ii_name, ifp->if_xname, sizeof(ii->ii_name));
		ii->ii_index = ifp->if_index;
		ii->ii_flags = ifp->if_flags;
		ii->ii_mtu = ifp->if_mtu;
		ii->ii_type = (uint32_t)ifp->if_type;
		memcpy(ii->ii_lladdr, ifp->if_lladdr, sizeof(ii->ii_lladdr));
		for (size_t k = 0; k < sizeof(ii->ii_data) / sizeof(uint64_t); k++)
			((uint64_t *)&ii->ii_data)[k] = __atomic_load_n(
			    &((uint64_t *)&ifp->if_data)[k], __ATOMIC_RELAXED);
	}
	mutex_exit(&ifnet_lock);
	error = sysctl_copyout_value(req, buf, i * sizeof(*buf));
	kmem_free(buf, size);
	return error;
}

static void
if_sysctl_init(void)
{
	struct sysctlnode *net;
	int error;

	error = sysctl_create(&net, NULL, CTL_NET, "net", CTLTYPE_NODE, 0,
	    NULL, 0, NULL);
	if (error == 0)
		error = sysctl_create(NULL, net, NET_INTERFACES, "interfaces",
		    CTLTYPE_STRUCT, CTLFLAG_READONLY, NULL, 0, if_sysctl_list);
	if (error != 0)
		log(LOG_WARNING, "net.interfaces: not created: error %d\n",
		    error);
}

void
ifinit(void)
{
	mutex_init(&ifnet_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ifnet_cv, "ifdetach");
	TAILQ_INIT(&ifnet_list);
	mutex_init(&if_clone_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&if_clone_serial, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&if_cloners);
	if_sysctl_init();
	loop_attach();
}
