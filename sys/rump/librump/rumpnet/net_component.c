/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The network layer's boot: mbufs, softnet_lock, the socket layer, the
 * protocol input queues, the routing tables, the interface list (with
 * lo0) and the socket system calls.  Runs as a RUMP_COMPONENT_NET component, so
 * every protocol family (RUMP_COMPONENT_NET_DOMAIN) and interface
 * (RUMP_COMPONENT_NET_IF) initialises after it and finds these ready.
 *
 * softnet_lock serialises protocol input (soft interrupts from netisr)
 * with the system calls of the sockets of protocols that use it; it is
 * the first lock of the network stack's lock order: softnet_lock, then a
 * socket buffer's selinfo records, then an interface's queue lock.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socketvar.h>
#include <sys/syscall.h>

#include "net_private.h"

extern const struct syscall_package syscalls_net[];

static kmutex_t softnet_lock_store;
kmutex_t *softnet_lock;

static void
net_init(void)
{
	mbinit();
	mutex_init(&softnet_lock_store, MUTEX_DEFAULT, IPL_NONE);
	softnet_lock = &softnet_lock_store;
	soinit();
	netisr_init();
	route_init();
	ifinit();
	syscall_establish(syscalls_net);
}

RUMP_COMPONENT(RUMP_COMPONENT_NET, net, net_init);
