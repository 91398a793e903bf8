/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The socket interface as a Linux client sees it: address families,
 * socket types, options and message flags with Linux's numbers, and
 * Linux's layouts of struct sockaddr, struct msghdr and struct cmsghdr
 * (no sa_len: an address's length travels beside it).  The kernel uses
 * these same values and layouts inside, so nothing is translated at the
 * system call boundary.  tests/build checks every constant against the
 * host's headers.
 */
#ifndef _SYS_SOCKET_H_
#define _SYS_SOCKET_H_

#include <sys/types.h>
#include <sys/uio.h>

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;

/* Address and protocol families. */
#define AF_UNSPEC    0
#define AF_UNIX      1
#define AF_LOCAL     AF_UNIX
#define AF_INET      2
#define AF_INET6     10
#define AF_ROUTE     16         /* Linux's AF_NETLINK number: the routing socket */
#define AF_PACKET    17
#define AF_MAX       46

#define PF_UNSPEC    AF_UNSPEC
#define PF_UNIX      AF_UNIX
#define PF_LOCAL     AF_LOCAL
#define PF_INET      AF_INET
#define PF_INET6     AF_INET6
#define PF_ROUTE     AF_ROUTE

/* Socket types; the flags may be or'ed into socket(2)'s type. */
#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
#define SOCK_SEQPACKET 5
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK  04000    /* O_NONBLOCK */
#define SOCK_CLOEXEC   02000000 /* O_CLOEXEC */

/* Socket-level options (level SOL_SOCKET). */
#define SOL_SOCKET    1
#define SO_DEBUG      1
#define SO_REUSEADDR  2
#define SO_TYPE       3
#define SO_ERROR      4
#define SO_DONTROUTE  5
#define SO_BROADCAST  6
#define SO_SNDBUF     7
#define SO_RCVBUF     8
#define SO_KEEPALIVE  9
#define SO_OOBINLINE  10
#define SO_LINGER     13
#define SO_REUSEPORT  15
#define SO_PASSCRED   16
#define SO_PEERCRED   17
#define SO_RCVLOWAT   18
#define SO_SNDLOWAT   19
#define SO_RCVTIMEO   20        /* struct timeval */
#define SO_SNDTIMEO   21        /* struct timeval */
#define SO_TIMESTAMP  29
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL   38
#define SO_DOMAIN     39

#define SOMAXCONN 4096          /* listen(2) backlogs are clamped to this */

struct linger {
	int l_onoff;
	int l_linger;           /* seconds */
};

/* The credentials SO_PEERCRED and SCM_CREDENTIALS carry. */
struct ucred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

/* Large enough and aligned for any address of any family. */
struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_pad[118];
	unsigned long __ss_align;
};

/* Flags of send and receive calls. */
#define MSG_OOB          0x1
#define MSG_PEEK         0x2
#define MSG_DONTROUTE    0x4
#define MSG_CTRUNC       0x8
#define MSG_TRUNC        0x20
#define MSG_DONTWAIT     0x40
#define MSG_EOR          0x80
#define MSG_WAITALL      0x100
#define MSG_NOSIGNAL     0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

struct cmsghdr {
	size_t cmsg_len;        /* with this header */
	int cmsg_level;
	int cmsg_type;
};

#define SCM_RIGHTS      1       /* int[]: descriptors */
#define SCM_CREDENTIALS 2       /* struct ucred */

#define CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))
#define CMSG_DATA(cmsg) ((unsigned char *)((struct cmsghdr *)(cmsg) + 1))
#define CMSG_SPACE(len) (CMSG_ALIGN(len) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_LEN(len)   (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))

/* shutdown(2) */
#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

#endif /* _SYS_SOCKET_H_ */
