/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The measured TCP loops of the network benchmarks, written once over a
 * table of socket calls (struct net_ops): the host's (host_ops), a rump
 * kernel's (bench_net.c), lwIP's (h_tap_lwip.c).  A server takes one
 * connection at a time on PORT: in bulk mode it reads to the end and
 * answers with the byte count, else it echoes single bytes.
 */
#ifndef _BENCH_SOCK_H_
#define _BENCH_SOCK_H_

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#define BULK_BYTES (512L << 20)         /* per bulk sample */
#define RR_COUNT   20000                /* round trips per sample */
#define CHUNK      (128 << 10)
#define PORT       7777

/*
 * The socket calls of one side: the host's, or a rump kernel's.  The
 * measured loops are written once over this table.
 */
struct net_ops {
	int (*socket)(int, int, int);
	int (*bind)(int, const struct sockaddr *, socklen_t);
	int (*listen)(int, int);
	int (*accept)(int, struct sockaddr *, socklen_t *);
	int (*connect)(int, const struct sockaddr *, socklen_t);
	ssize_t (*read)(int, void *, size_t);
	ssize_t (*write)(int, const void *, size_t);
	int (*setsockopt)(int, int, int, const void *, socklen_t);
	int (*shutdown)(int, int);
	int (*close)(int);
};

extern const struct net_ops host_ops;


/* Print "bench_net: what: strerror" and exit 1. */
void die(const char *what) __attribute__((__noreturn__));
struct sockaddr_in sin_of(const char *addr);
/* A listening socket on addr:PORT. */
int listen_on(const struct net_ops *, const char *addr);
/* Connect to addr:PORT, retrying while the server starts. */
int connect_to(const struct net_ops *, const char *addr);
/* Serve one connection (bulk, or request/response). */
void serve(const struct net_ops *, int ls, bool bulk);
/* The client: MiB/s for bulk, microseconds a round trip otherwise. */
double drive(const struct net_ops *, const char *addr, bool bulk);

#endif /* _BENCH_SOCK_H_ */
