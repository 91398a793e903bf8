/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Network interfaces (if.c): struct ifnet, the addresses protocols put on
 * them (struct ifaddr), and the interface ioctls with Linux's struct ifreq
 * and IFF_ flag values.
 *
 * A driver fills an ifnet (name, MTU, if_output or the link layer's,
 * if_start, if_ioctl, if_init/if_stop) and calls if_attach; a link layer
 * such as Ethernet (ether_ifattach) sets if_input and if_output.  Output
 * runs in the caller's thread: a protocol calls if_output(ifp, m, dst),
 * the link layer adds its header and hands the frame to the driver by
 * if_transmit (default: queue on if_snd and call if_start).  Input: the
 * driver's receive thread calls if_input(ifp, m), which demultiplexes by
 * link type onto a protocol's netisr queue (<net/netisr.h>); the queue's
 * soft interrupt runs protocol input under softnet_lock.
 *
 * Locking: (n) softnet_lock, (I) ifnet_lock (the list of interfaces),
 * (q) the queue's own lock, (d) the driver's, (c) stable after attach.
 * Address lists change under softnet_lock; an ifnet is freed only after
 * if_detach has run and every reference (if_ref) has gone.
 */
#ifndef _NET_IF_H_
#define _NET_IF_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/socket.h>

struct mbuf;
struct rtentry;
struct lwp;
struct socket;

#define IFNAMSIZ  16
#define IF_NAMESIZE IFNAMSIZ

/* if_flags, Linux's values (SIOCGIFFLAGS/SIOCSIFFLAGS). */
#define IFF_UP          0x1
#define IFF_BROADCAST   0x2
#define IFF_DEBUG       0x4
#define IFF_LOOPBACK    0x8
#define IFF_POINTOPOINT 0x10
#define IFF_NOTRAILERS  0x20
#define IFF_RUNNING     0x40
#define IFF_NOARP       0x80
#define IFF_PROMISC     0x100
#define IFF_ALLMULTI    0x200
#define IFF_MULTICAST   0x1000
#define IFF_LOWER_UP    0x10000
/* Flags only the kernel changes. */
#define IFF_CANTCHANGE (IFF_BROADCAST | IFF_LOOPBACK | IFF_POINTOPOINT | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP)

/* if_type (Linux ARPHRD_ values, as SIOCGIFHWADDR reports them). */
#define IFT_ETHER    1          /* ARPHRD_ETHER */
#define IFT_LOOP     772        /* ARPHRD_LOOPBACK */

/* A packet queue with a bound. Locking: (q) ifq_lock. */
struct ifqueue {
	kmutex_t ifq_lock;
	struct mbuf *ifq_head;          /* q */
	struct mbuf *ifq_tail;          /* q */
	int ifq_len;                    /* q */
	int ifq_maxlen;                 /* c */
	uint64_t ifq_drops;             /* q */
};

void ifq_init(struct ifqueue *, int maxlen);
void ifq_destroy(struct ifqueue *);
/* Queue a packet; false (the packet freed, a drop counted) if full. */
bool ifq_enqueue(struct ifqueue *, struct mbuf *);
struct mbuf *ifq_dequeue(struct ifqueue *);
void ifq_purge(struct ifqueue *);

/* An address of an interface.  Locking: (n), (c) once linked. */
struct ifaddr {
	struct sockaddr_storage ifa_addr;       /* c */
	struct sockaddr_storage ifa_netmask;    /* c */
	struct sockaddr_storage ifa_broadaddr;  /* c: or the peer's on point-to-point */
	socklen_t ifa_addrlen;                  /* c */
	struct ifnet *ifa_ifp;                  /* c */
	TAILQ_ENTRY(ifaddr) ifa_list;           /* n: on if_addrlist */
	int ifa_flags;                          /* n: IFA_* */
	unsigned ifa_refcnt;                    /* atomic */
	void (*ifa_free)(struct ifaddr *);      /* c: frees the family's whole structure */
	/* c: the family's flags of the address (IN6_IFF_*); NULL: none. */
	int (*ifa_getflags)(const struct ifaddr *);
};
#define IFA_ROUTE 0x01                  /* its prefix route is installed */

void ifa_ref(struct ifaddr *);
void ifa_release(struct ifaddr *);

/* Per-interface counters (SIOCGIFDATA style, netstat -i). */
struct if_data {
	uint64_t ifi_ipackets, ifi_ierrors, ifi_opackets, ifi_oerrors;
	uint64_t ifi_ibytes, ifi_obytes, ifi_imcasts, ifi_omcasts;
	uint64_t ifi_iqdrops, ifi_noproto, ifi_collisions;
};
/*
 * One interface as the sysctl net.interfaces lists them (an array, in
 * attach order): netstat -i's view.
 */
struct if_info {
	char ii_name[16];               /* IFNAMSIZ */
	uint32_t ii_index;
	int32_t ii_flags;               /* IFF_* */
	uint32_t ii_mtu;
	uint32_t ii_type;               /* IFT_* (ARPHRD_) */
	uint8_t ii_lladdr[8];
	struct if_data ii_data;
};
#define NET_INTERFACES 100              /* net.interfaces */

/* Count n in one of an interface's if_data counters (atomic, any context). */
#define IF_STAT_ADD(ifp, field, n)                                             \
	((void)__atomic_fetch_add(&(ifp)->if_data.field, (uint64_t)(n),       \
	    __ATOMIC_RELAXED))

struct ifnet {
	char if_xname[IFNAMSIZ];        /* c: "lo0", "shmif0" ... */
	unsigned if_index;              /* c: 1 and up, never reused while attached */
	int if_flags;                   /* n: IFF_* */
	int if_type;                    /* c: IFT_* */
	unsigned if_mtu;                /* n */
	unsigned if_hdrlen;             /* c: link header bytes */
	unsigned if_addrlen;            /* c: link address bytes (6 for Ethernet) */
	uint8_t if_lladdr[16];          /* n: link address */
	TAILQ_HEAD(, ifaddr) if_addrlist; /* n */
	TAILQ_ENTRY(ifnet) if_list;     /* I */
	struct ifqueue if_snd;          /* output queue */
	struct if_data if_data;         /* atomic */
	void *if_softc;                 /* c: the driver's */
	void *if_afdata[AF_MAX];        /* n: per-family state (dom_ifattach) */
	unsigned if_refcnt;             /* atomic */
	bool if_detaching;              /* n */
	char *if_linkstr;               /* I: as last set by if_linkstr_set, or NULL */

	/* From protocols: add the link header for dst and transmit. */
	int (*if_output)(struct ifnet *, struct mbuf *, const struct sockaddr *dst,
	    struct rtentry *);
	/* From the link layer: hand one frame to the driver. */
	int (*if_transmit)(struct ifnet *, struct mbuf *);
	/* The driver: send what is on if_snd. */
	void (*if_start)(struct ifnet *);
	/* From the driver: a frame arrived (set by the link layer). */
	void (*if_input)(struct ifnet *, struct mbuf *);
	int (*if_ioctl)(struct ifnet *, unsigned long cmd, void *data);
	int (*if_init)(struct ifnet *);  /* up: start the hardware */
	void (*if_stop)(struct ifnet *, int disable);
	/* Link-layer: the multicast filter changed (may be NULL). */
	int (*if_mcast)(struct ifnet *);
	/* Set the link string (the shmif bus file, the tap's name); NULL if none. */
	int (*if_setlinkstr)(struct ifnet *, const char *);
	int (*if_unsetlinkstr)(struct ifnet *);
};

extern kmutex_t ifnet_lock;
extern TAILQ_HEAD(ifnet_head, ifnet) ifnet_list;  /* I */
/* The loopback interface, attached at boot (if_loop.c). */
extern struct ifnet *lo0ifp;

/* A driver's ifnet, zeroed, with defaults set (if_transmit queues and starts). */
void if_initialize(struct ifnet *);
/* Give it the next free unit of its name ("shmif" -> "shmif2"). */
void if_initname(struct ifnet *, const char *prefix, int unit);
/* Make it visible, with an index; domains' per-interface state is made. */
int if_attach(struct ifnet *);
/*
 * Down, addresses and routes purged, sockets told; waits for references.
 * Each protocol with PR_PURGEIF has pr_purgeif(NULL, ifp) called (with
 * softnet_lock held) to drop its family's addresses of ifp.
 */
void if_detach(struct ifnet *);
/* Bring up or down as SIOCSIFFLAGS does. */
int if_up(struct ifnet *);
void if_down(struct ifnet *);

/* Lookups hold a reference the caller releases with if_release. */
struct ifnet *if_get_byname(const char *);
struct ifnet *if_get_byindex(unsigned);
void if_ref(struct ifnet *);
void if_release(struct ifnet *);

/* Add or remove an address; the family's code links it and routes. */
void ifa_insert(struct ifnet *, struct ifaddr *);
void ifa_remove(struct ifnet *, struct ifaddr *);
/* The interface address equal to sa, of any interface; referenced. */
struct ifaddr *ifa_ifwithaddr(const struct sockaddr *);
/* The first address of a family on an interface; referenced. */
struct ifaddr *ifaof_ifpforaddr(const struct sockaddr *, struct ifnet *);

/* Default if_transmit: queue on if_snd, call if_start. */
int if_transmit_default(struct ifnet *, struct mbuf *);

/*
 * Interface creation by name, as the original's ifconfig create: a
 * driver registers a cloner for its prefix ("shmif", "virt").
 */
struct if_clone {
	const char *ifc_name;
	int (*ifc_create)(struct if_clone *, int unit);
	int (*ifc_destroy)(struct ifnet *);
	LIST_ENTRY(if_clone) ifc_list;
};
void if_clone_attach(struct if_clone *);
int if_clone_create(const char *name);
int if_clone_destroy(const char *name);

/*
 * The link string of the interface named, through the driver's
 * if_setlinkstr/if_unsetlinkstr, a copy kept for SIOCGLINKSTR (freed at
 * if_detach); serialized with creation and destruction, so the caller
 * holds no reference to the interface.  ENXIO if there is none,
 * EOPNOTSUPP if its driver has no link string.
 */
int if_linkstr_set(const char *ifname, const char *);
int if_linkstr_unset(const char *ifname);

/*
 * The ioctls on interfaces; from soo_ioctl for any socket, with no lock
 * held (ifioctl takes softnet_lock, and the socket's lock around the
 * protocol's pr_ioctl).  data is the caller's struct ifreq or struct
 * ifconf, reached with copyin/copyout; pr_ioctl gets a kernel copy of
 * the ifreq and the interface it names.  ENODEV for an unknown name,
 * ENOTTY for a command that is not an interface ioctl.
 */
int ifioctl(struct socket *, unsigned long cmd, void *data, struct lwp *);

/* Linux's struct ifreq and struct ifconf. */
struct ifmap {
	unsigned long mem_start;
	unsigned long mem_end;
	unsigned short base_addr;
	unsigned char irq;
	unsigned char dma;
	unsigned char port;
};

struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr ifru_addr;
		struct sockaddr ifru_dstaddr;
		struct sockaddr ifru_broadaddr;
		struct sockaddr ifru_netmask;
		struct sockaddr ifru_hwaddr;
		short ifru_flags;
		int ifru_ivalue;
		int ifru_mtu;
		struct ifmap ifru_map;
		char ifru_slave[IFNAMSIZ];
		char ifru_newname[IFNAMSIZ];
		void *ifru_data;
	} ifr_ifru;
};
#define ifr_addr      ifr_ifru.ifru_addr
#define ifr_dstaddr   ifr_ifru.ifru_dstaddr
#define ifr_broadaddr ifr_ifru.ifru_broadaddr
#define ifr_netmask   ifr_ifru.ifru_netmask
#define ifr_hwaddr    ifr_ifru.ifru_hwaddr
#define ifr_flags     ifr_ifru.ifru_flags
#define ifr_ifindex   ifr_ifru.ifru_ivalue
#define ifr_metric    ifr_ifru.ifru_ivalue
#define ifr_mtu       ifr_ifru.ifru_mtu
#define ifr_data      ifr_ifru.ifru_data
#define ifr_map       ifr_ifru.ifru_map
#define ifr_qlen      ifr_ifru.ifru_ivalue

struct ifconf {
	int ifc_len;
	union {
		char *ifcu_buf;
		struct ifreq *ifcu_req;
	} ifc_ifcu;
};
#define ifc_buf ifc_ifcu.ifcu_buf
#define ifc_req ifc_ifcu.ifcu_req

/*
 * The original's driver request (SIOCSLINKSTR, SIOCGLINKSTR; the public
 * copy is <rump/rump_sockio.h>).  SIOCSLINKSTR: ifd_data holds ifd_len
 * bytes, the string and its NUL; ifd_cmd IFLINKSTR_UNSET unsets it
 * instead.  SIOCGLINKSTR: ifd_cmd IFLINKSTR_QUERYLEN (or ifd_len 0) asks
 * for the length the string needs, NUL included, in ifd_len; else the
 * string is copied out (ERANGE if it does not fit); ENOENT if none is set.
 */
struct ifdrv {
	char ifd_name[IFNAMSIZ];
	unsigned long ifd_cmd;
	size_t ifd_len;
	void *ifd_data;
};
#define IFLINKSTR_QUERYLEN 0x01
#define IFLINKSTR_UNSET    0x02
#define IFLINKSTR_MAXLEN   4096         /* NUL included */

#endif /* _NET_IF_H_ */
