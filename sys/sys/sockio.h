/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Socket and interface ioctls, Linux's numbers (0x89xx): they carry no
 * size, so ifioctl and soo_ioctl copy their arguments by name.
 */
#ifndef _SYS_SOCKIO_H_
#define _SYS_SOCKIO_H_

#define SIOCATMARK     0x8905   /* int out: at the urgent mark */
#define SIOCOUTQ       0x5411   /* int out: bytes not yet sent or acknowledged */
#define SIOCADDRT      0x890B
#define SIOCDELRT      0x890C
#define SIOCGIFNAME    0x8910
#define SIOCGIFCONF    0x8912   /* struct ifconf */
#define SIOCGIFFLAGS   0x8913   /* struct ifreq from here on */
#define SIOCSIFFLAGS   0x8914
#define SIOCGIFADDR    0x8915
#define SIOCSIFADDR    0x8916
#define SIOCGIFDSTADDR 0x8917
#define SIOCSIFDSTADDR 0x8918
#define SIOCGIFBRDADDR 0x8919
#define SIOCSIFBRDADDR 0x891a
#define SIOCGIFNETMASK 0x891b
#define SIOCSIFNETMASK 0x891c
#define SIOCGIFMTU     0x8921
#define SIOCSIFMTU     0x8922
#define SIOCGIFHWADDR  0x8927
#define SIOCADDMULTI   0x8931
#define SIOCDELMULTI   0x8932
#define SIOCGIFINDEX   0x8933
#define SIOCDIFADDR    0x8936
#define SIOCGIFTXQLEN  0x8942

/*
 * The original's interface creation and link-string ioctls, which Linux
 * lacks, in 0x89c0-0x89cf: a range Linux leaves unused (its socket
 * ioctls stop at 0x89b1, its protocol- and device-private ranges start
 * at 0x89e0).  Public copy: <rump/rump_sockio.h>.
 */
#define SIOCIFCREATE   0x89c0   /* struct ifreq: create ifr_name by its cloner */
#define SIOCIFDESTROY  0x89c1   /* struct ifreq */
#define SIOCSLINKSTR   0x89c2   /* struct ifdrv */
#define SIOCGLINKSTR   0x89c3   /* struct ifdrv */
/* On an AF_INET6 socket: an address's flags and lifetimes left. */
#define SIOCGIFALIFETIME 0x89c4 /* struct in6_ifalifetime */

#endif /* _SYS_SOCKIO_H_ */
