/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Kernel core benchmarks, each side by side with its peer on the host,
 * in one run:
 *   boot      rump_init() of the core kernel (fresh process per sample)
 *   memory    resident memory a booted kernel adds to an empty process
 *   getpid    rump_sys_getpid() vs syscall(SYS_getpid) vs a function call,
 *             on 1 and 2 threads
 *   pipe      ping-pong between two rump processes vs host pipes
 * Prints a Markdown report on stdout.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "bench_util.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

/* Run in a child: boot once, report the time and memory through a pipe. */
static void
boot_sample(uint64_t *ns, long *rss_delta)
{
	int fds[2];
	pid_t pid;
	struct {
		uint64_t ns;
		long rss;
	} r = { 0, 0 };

	if (pipe(fds) == -1 || (pid = fork()) == -1) {
		perror("bench: fork");
		exit(1);
	}
	if (pid == 0) {
		long before = rss_kib();
		uint64_t t0 = now_ns();
		if (rump_init() != 0)
			_exit(1);
		r.ns = now_ns() - t0;
		r.rss = rss_kib() - before;
		if (write(fds[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &r, sizeof(r)) != sizeof(r)) {
		fprintf(stderr, "bench: boot sample failed\n");
		exit(1);
	}
	close(fds[0]);
	waitpid(pid, NULL, 0);
	*ns = r.ns;
	*rss_delta = r.rss;
}

#define BOOT_SAMPLES 41

static void
bench_boot(void)
{
	uint64_t ns[BOOT_SAMPLES];
	uint64_t rss[BOOT_SAMPLES];
	long r;

	for (int i = 0; i < BOOT_SAMPLES; i++) {
		boot_sample(&ns[i], &r);
		rss[i] = (uint64_t)r;
	}
	printf("| rump_init() of the core kernel, median of %d | %.1f us | "
	       "goal: well under 1000 us (NetBSD's rump: ~10 ms) |\n",
	    BOOT_SAMPLES, (double)median(ns, BOOT_SAMPLES) / 1e3);
	printf("| resident memory a booted kernel adds | %llu KiB | "
	       "goal: under 1024 KiB (NetBSD's rump: 700-1500 KB) |\n",
	    (unsigned long long)median(rss, BOOT_SAMPLES));
}

__attribute__((noinline)) static pid_t
plain_call(void)
{
	__asm__ volatile("" ::: "memory");
	return 1;
}

enum which { W_RUMP, W_HOST, W_CALL };
struct getpid_arg {
	enum which which;
	long iters;
	uint64_t ns;
};

static void *
getpid_loop(void *v)
{
	struct getpid_arg *a = v;
	volatile pid_t sink;
	uint64_t t0;

	if (a->which == W_RUMP && rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		abort();
	t0 = now_ns();
	for (long i = 0; i < a->iters; i++) {
		switch (a->which) {
		case W_RUMP:
			sink = rump_sys_getpid();
			break;
		case W_HOST:
			sink = (pid_t)syscall(SYS_getpid);
			break;
		case W_CALL:
			sink = plain_call();
			break;
		}
	}
	a->ns = now_ns() - t0;
	(void)sink;
	if (a->which == W_RUMP)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Nanoseconds per call, the slowest of nthreads running at once. */
static double
getpid_ns(enum which which, int nthreads, long iters)
{
	struct getpid_arg a[8];
	pthread_t t[8];
	uint64_t worst = 0;

	for (int i = 0; i < nthreads; i++) {
		a[i] = (struct getpid_arg){ which, iters, 0 };
		pthread_create(&t[i], NULL, getpid_loop, &a[i]);
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_join(t[i], NULL);
		if (a[i].ns > worst)
			worst = a[i].ns;
	}
	return (double)worst / (double)iters;
}

static void
bench_getpid(void)
{
	const long iters = 5000000;

	for (int nt = 1; nt <= 2; nt++) {
		double r = getpid_ns(W_RUMP, nt, iters);
		double h = getpid_ns(W_HOST, nt, iters / 5);
		double c = getpid_ns(W_CALL, nt, iters);
		printf("| getpid, %d thread%s: rump_sys_getpid / host syscall / "
		       "function call | %.1f / %.1f / %.1f ns | rump is %.1fx "
		       "faster than the host (goal >= 10x), %.1fx a call |\n",
		    nt, nt > 1 ? "s" : "", r, h, c, h / r, r / c);
	}
}

struct pingpong {
	int rd, wr;             /* this side's ends */
	long rounds;
	int rump;
	struct lwp *lwp;
};

static void *
pong(void *v)
{
	struct pingpong *p = v;
	char c;

	if (p->rump)
		rump_pub_lwproc_switch(p->lwp);
	for (long i = 0; i < p->rounds; i++) {
		ssize_t n = p->rump ? rump_sys_read(p->rd, &c, 1)
				    : read(p->rd, &c, 1);
		if (n != 1 || (p->rump ? rump_sys_write(p->wr, &c, 1)
				       : write(p->wr, &c, 1)) != 1)
			abort();
	}
	return NULL;
}

/* Round trips per second of one byte between two threads over pipes. */
static double
pingpong_rate(int rump, long rounds)
{
	int ab[2], ba[2];
	struct pingpong peer;
	pthread_t t;
	uint64_t t0, dt;
	char c = 'x';

	if (rump) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 ||
		    rump_sys_pipe(ab) == -1 || rump_sys_pipe(ba) == -1)
			abort();
		/* The peer is another process with a copy of the table. */
		struct lwp *me = rump_pub_lwproc_curlwp();
		if (rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
			abort();
		peer.lwp = rump_pub_lwproc_curlwp();
		rump_pub_lwproc_switch(me);
	} else if (pipe(ab) == -1 || pipe(ba) == -1) {
		abort();
	}
	peer.rd = ab[0];
	peer.wr = ba[1];
	peer.rounds = rounds;
	peer.rump = rump;
	pthread_create(&t, NULL, pong, &peer);
	t0 = now_ns();
	for (long i = 0; i < rounds; i++) {
		if (rump) {
			if (rump_sys_write(ab[1], &c, 1) != 1 ||
			    rump_sys_read(ba[0], &c, 1) != 1)
				abort();
		} else if (write(ab[1], &c, 1) != 1 ||
		    read(ba[0], &c, 1) != 1) {
			abort();
		}
	}
	dt = now_ns() - t0;
	pthread_join(t, NULL);
	return (double)rounds / ((double)dt / 1e9);
}

static void
bench_pipe(void)
{
	double r = pingpong_rate(1, 100000);
	double h = pingpong_rate(0, 100000);

	printf("| pipe ping-pong between two processes, round trips/s: rump / "
	       "host | %.0f / %.0f | ratio %.2f |\n", r, h, r / h);
}

int
main(void)
{
	printf("## Kernel core (bench_core)\n\n");
	printf("| measure | result | against the peer |\n|---|---|---|\n");
	bench_boot();
	if (rump_init() != 0) {
		fprintf(stderr, "bench_core: rump_init failed\n");
		return 1;
	}
	bench_getpid();
	bench_pipe();
	return 0;
}
