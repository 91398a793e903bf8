/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif: an Ethernet interface on a bus in a shared host file
 * (librumpnet_shmif).  Every kernel, in any process of this machine,
 * whose shmif interface names the same file is on the same Ethernet
 * segment; no privileges are needed.  The bus file's format is in
 * sys/rump/net/lib/libshmif/shmif_bus.h; shmif_dumpbus(8) prints it and
 * writes its frames as pcap.
 *
 * rump_pub_shmif_create(path, &unit) makes the interface "shmif<unit>"
 * (the lowest free unit) on the bus file path, created if missing, and
 * gives its unit; the interface still has to be brought up and given
 * addresses (<rump/rump_netconfig.h>).  The same is done with
 * rump_pub_netconfig_ifcreate("shmif0") and
 * rump_pub_netconfig_ifsetlinkstr("shmif0", path).  Each interface has a
 * random, locally administered MAC address (02:... with the multicast
 * bit clear).  0 or an errno (EPROTO: the file holds a bus of another
 * version).
 *
 * rump_pub_shmif_stats(ifname, &st) fills in the interface's counters.
 *
 * Fault injection for tests, per interface and on its receive side:
 * rump_pub_shmif_fault(ifname, spec), or the environment variable
 * RUMP_SHMIF_FAULT read when an interface is created.  spec is a comma
 * separated list of
 *   seed=N          the generator's seed (default 1): runs repeat
 *   drop=F          drop this fraction of frames (0 to 1, e.g. 0.1)
 *   dup=F           deliver this fraction twice
 *   reorder=F       hold this fraction back behind the next frame
 *   corrupt=F       flip one random bit in this fraction
 *   delay=MS        deliver every frame MS milliseconds late
 * An empty spec turns every fault off.  EINVAL for a malformed spec.
 */
#ifndef _RUMP_RUMP_SHMIF_H_
#define _RUMP_RUMP_SHMIF_H_

#include <rump/rump.h>

#ifdef __cplusplus
extern "C" {
#endif

struct rump_shmif_stats {
	unsigned long long ss_rxframes;           /* frames delivered to Ethernet */
	unsigned long long ss_rxbytes;
	unsigned long long ss_txframes;           /* frames put on the bus */
	unsigned long long ss_txbytes;
	unsigned long long ss_txerrors;           /* too large, or not attached */
	unsigned long long ss_own;                /* own frames seen and skipped */
	unsigned long long ss_overruns;           /* times this reader was lapped */
	unsigned long long ss_lostbytes;          /* bytes skipped by overruns and stalls */
	unsigned long long ss_stalls;             /* dead writers' slots skipped */
	unsigned long long ss_corrupt;            /* headers that made no sense */
	unsigned long long ss_nomem;              /* frames dropped for want of mbufs */
	unsigned long long ss_wakeups;            /* returns from the host wait */
	unsigned long long ss_fdrop;              /* fault switch: dropped */
	unsigned long long ss_fdup;               /* duplicated */
	unsigned long long ss_freorder;           /* reordered */
	unsigned long long ss_fcorrupt;           /* corrupted */
	unsigned long long ss_fdelay;             /* delayed */
	unsigned long long ss_notforus;           /* unicast for another MAC, not copied */
};

RUMP_API int rump_pub_shmif_create(const char *path, int *unitp);
RUMP_API int rump_pub_shmif_stats(const char *ifname,
    struct rump_shmif_stats *st);
RUMP_API int rump_pub_shmif_fault(const char *ifname, const char *spec);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_SHMIF_H_ */
