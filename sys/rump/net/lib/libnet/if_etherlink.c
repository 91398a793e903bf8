/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The Ethernet drivers on a host link (<net/if_etherlink.h>): making and
 * unmaking their ifnet, init/stop/ioctl, link up and down, the fault
 * switch on both sides with its client calls (<rump/rump_iffault.h>),
 * and the halt: one shutdown hook lets every attached link go.
 *
 * Locking: (L) etherlink_lock, a leaf, for the list.  Lock order:
 * softnet_lock, then a driver's locks, then etherlink_lock.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mbuf.h>
#include <sys/reboot.h>
#include <sys/socketvar.h>
#include <sys/sockio.h>
#include <net/if.h>
#include <net/if_etherlink.h>
#include <rump/rump_iffault.h>
#include <rump/rumpuser.h>

#include "net_net_private.h"

static kmutex_t etherlink_lock;
static LIST_HEAD(, etherlink) etherlink_list =
    LIST_HEAD_INITIALIZER(etherlink_list);

static int
etherlink_init(struct ifnet *ifp)
{
	KASSERT(mutex_owned(softnet_lock));
	if (ifp->if_flags & IFF_LOWER_UP)
		ifp->if_flags |= IFF_RUNNING;
	return 0;
}

static void
etherlink_stop(struct ifnet *ifp, int disable)
{
	(void)disable;
	KASSERT(mutex_owned(softnet_lock));
	ifp->if_flags &= ~IFF_RUNNING;
}

static int
etherlink_ioctl(struct ifnet *ifp, unsigned long cmd, void *data)
{
	if (cmd == SIOCSIFFLAGS)
		return 0;       /* promiscuity and the rest: Ethernet's input */
	return ether_ioctl(ifp, cmd, data);
}

static int
etherlink_transmit(struct ifnet *ifp, struct mbuf *m)
{
	struct etherlink *el = ifp->if_softc;

	if (if_fault_on(el->el_fault, IF_FAULT_TX)) {
		if_fault_pass(el->el_fault, IF_FAULT_TX, m);
		return 0;
	}
	return el->el_send(ifp, m);
}

/* The fault switch's transmit side hands frames on here. */
static void
etherlink_send_pass(struct ifnet *ifp, struct mbuf *m)
{
	struct etherlink *el = ifp->if_softc;

	(void)el->el_send(ifp, m);
}

void
etherlink_input(struct etherlink *el, struct mbuf *m)
{
	if (if_fault_on(el->el_fault, IF_FAULT_RX))
		if_fault_pass(el->el_fault, IF_FAULT_RX, m);
	else
		el->el_rx(&el->el_ec.ec_if, m);
}

void
etherlink_link(struct etherlink *el, bool up)
{
	struct ifnet *ifp = &el->el_ec.ec_if;

	mutex_enter(softnet_lock);
	if (up) {
		ifp->if_flags |= IFF_LOWER_UP;
		if (ifp->if_flags & IFF_UP)
			ifp->if_flags |= IFF_RUNNING;
	} else
		ifp->if_flags &= ~(IFF_RUNNING | IFF_LOWER_UP);
	mutex_exit(softnet_lock);
}

int
etherlink_attach(struct etherlink *el, const char *name, int unit,
    if_fault_pass_t rx, etherlink_send_t send)
{
	struct ifnet *ifp = &el->el_ec.ec_if, *other;
	uint8_t mac[ETHER_ADDR_LEN];
	unsigned long got;
	bool pick = unit < 0;
	int error;

	ifp->if_softc = el;
	el->el_rx = rx;
	el->el_send = send;
	if_initialize(ifp);
	ifp->if_transmit = etherlink_transmit;
	ifp->if_ioctl = etherlink_ioctl;
	ifp->if_init = etherlink_init;
	ifp->if_stop = etherlink_stop;
	/* A random, locally administered unicast address (IEEE 802, 9.2). */
	if (rumpuser_getrandom(mac, sizeof(mac), 0, &got) != 0 ||
	    got != sizeof(mac))
		panic("%s: no random bytes from the host", name);
	mac[0] = (uint8_t)((mac[0] & 0xfc) | 0x02);
	if ((el->el_fault = if_fault_create(ifp, rx,
	    etherlink_send_pass)) == NULL) {
		ifq_destroy(&ifp->if_snd);
		return ENOMEM;
	}
	ether_ifattach(ifp, mac);
	for (;;) {
		if (pick) {
			for (unit = 0;; unit++) {
				snprintf(ifp->if_xname, IFNAMSIZ, "%s%d", name,
				    unit);
				if ((other = if_get_byname(ifp->if_xname)) == NULL)
					break;
				if_release(other);
			}
		}
		if_initname(ifp, name, unit);
		if ((error = if_attach(ifp)) != EEXIST || !pick)
			break;
	}
	if (error != 0) {
		ether_ifdetach(ifp);
		ifq_destroy(&ifp->if_snd);
		if_fault_destroy(el->el_fault);
		el->el_fault = NULL;
		return error;
	}
	el->el_unit = unit;
	mutex_enter(&etherlink_lock);
	LIST_INSERT_HEAD(&etherlink_list, el, el_list);
	mutex_exit(&etherlink_lock);
	return 0;
}

void
etherlink_detach(struct etherlink *el)
{
	struct ifnet *ifp = &el->el_ec.ec_if;

	mutex_enter(&etherlink_lock);
	LIST_REMOVE(el, el_list);
	mutex_exit(&etherlink_lock);
	if_fault_stop(el->el_fault);
	if_detach(ifp);
	ether_ifdetach(ifp);
	if_fault_destroy(el->el_fault);
	el->el_fault = NULL;
}

struct ifnet *
etherlink_lookup(const char *ifname, etherlink_send_t send, int *errorp)
{
	struct ifnet *ifp;

	if (ifname == NULL || strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ) {
		*errorp = EINVAL;
		return NULL;
	}
	if ((ifp = if_get_byname(ifname)) == NULL) {
		*errorp = ENXIO;
		return NULL;
	}
	if (ifp->if_transmit != etherlink_transmit ||
	    (send != NULL &&
	    ((struct etherlink *)ifp->if_softc)->el_send != send)) {
		if_release(ifp);
		*errorp = ENODEV;
		return NULL;
	}
	return ifp;
}

/* At halt: every link let go, every receive and fault thread stopped. */
static void
etherlink_shutdown(void *arg)
{
	struct etherlink *el;
	struct ifnet *ifp;

	(void)arg;
	mutex_enter(&etherlink_lock);
	LIST_FOREACH(el, &etherlink_list, el_list) {
		mutex_exit(&etherlink_lock);
		ifp = &el->el_ec.ec_if;
		if (ifp->if_unsetlinkstr != NULL)
			(void)ifp->if_unsetlinkstr(ifp);
		if_fault_stop(el->el_fault);
		mutex_enter(&etherlink_lock);
	}
	mutex_exit(&etherlink_lock);
}

static struct shutdown_hook etherlink_shutdown_hook = {
	.sh_func = etherlink_shutdown
};

void
etherlink_boot(void)
{
	mutex_init(&etherlink_lock, MUTEX_DEFAULT, IPL_NONE);
	shutdown_hook_register(&etherlink_shutdown_hook);
}

/*
 * The client calls.
 */
int
rump_pub_if_fault(const char *ifname, const char *spec)
{
	struct ifnet *ifp;
	int error = 0;

	if (spec == NULL)
		return EINVAL;
	rump_schedule();
	if ((ifp = etherlink_lookup(ifname, NULL, &error)) != NULL) {
		error = if_fault_set(((struct etherlink *)ifp->if_softc)->el_fault,
		    spec, strlen(spec));
		if_release(ifp);
	}
	rump_unschedule();
	return error;
}

int
rump_pub_if_fault_stats(const char *ifname, int dir,
    struct rump_if_fault_stats *st)
{
	struct if_fault_stats fs;
	struct ifnet *ifp;
	int error = 0;

	if (st == NULL || (dir != RUMP_IF_FAULT_RX && dir != RUMP_IF_FAULT_TX))
		return EINVAL;
	rump_schedule();
	if ((ifp = etherlink_lookup(ifname, NULL, &error)) != NULL) {
		if_fault_stats(((struct etherlink *)ifp->if_softc)->el_fault,
		    dir, &fs);
		if_release(ifp);
		st->fs_drop = fs.fs_drop;
		st->fs_dup = fs.fs_dup;
		st->fs_reorder = fs.fs_reorder;
		st->fs_corrupt = fs.fs_corrupt;
		st->fs_delay = fs.fs_delay;
		st->fs_overflow = fs.fs_overflow;
	}
	rump_unschedule();
	return error;
}
