/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of librumpnet_net share: the boot steps
 * net_net_component.c runs.
 */
#ifndef _LIBNET_NET_NET_PRIVATE_H_
#define _LIBNET_NET_NET_PRIVATE_H_

/* rtsock.c: attach the routing domain (AF_ROUTE). */
void rtsock_init(void);
/* if_etherlink.c: the list of host-link interfaces and its halt hook. */
void etherlink_boot(void);

#endif /* _LIBNET_NET_NET_PRIVATE_H_ */
