/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * shmif between kernels in separate host processes, with raw Ethernet
 * frames (librumpnet_linktest sends them and captures what arrives on
 * NETISR_IP): delivery in order to every other member and never back to
 * the sender, overruns of a stopped reader counted, a writer killed
 * between reserving and committing (and members killed at random while
 * sending) leaving the bus working, an idle reader using no CPU, the
 * fault switch, and shmif_dumpbus's pcap read by tshark.
 *
 * Each case forks its kernels (one per process, booted in the child);
 * pipes say "ready" and "go".  A frame's payload is: the sender's
 * number (1 byte), its sequence number (4 bytes, little-endian), the
 * send time (8 bytes, CLOCK_MONOTONIC ns), then a pattern of both.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include <sys/stat.h>
#include <time.h>

#include "h_macros.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#include "kernspace/linktest.h"
#include "../../../sys/rump/net/lib/libshmif/shmif_bus.h"

#define PAYLOAD   64
#define ETHERTYPE_IP 0x0800

static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static char bus[64];

static void
bus_name(void)
{
	snprintf(bus, sizeof(bus), "/tmp/t_shmif.%d.bus", (int)getpid());
	unlink(bus);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
payload_make(unsigned char *p, unsigned id, uint32_t seq, unsigned len)
{
	uint64_t t = now_ns();

	p[0] = (unsigned char)id;
	memcpy(p + 1, &seq, 4);
	memcpy(p + 5, &t, 8);
	for (unsigned i = 13; i < len; i++)
		p[i] = (unsigned char)(id * 31 + seq * 7 + i);
}

/* Whether p (n bytes) is exactly what payload_make wrote, but the time. */
static int
payload_ok(const unsigned char *p, int n, unsigned len, unsigned *idp,
    uint32_t *seqp)
{
	if (n != (int)len)
		return 0;
	*idp = p[0];
	memcpy(seqp, p + 1, 4);
	for (unsigned i = 13; i < len; i++)
		if (p[i] != (unsigned char)(*idp * 31 + *seqp * 7 + i))
			return 0;
	return 1;
}

/* Boot, make shmif0 on the bus, up, capture. */
static void
member_boot(void)
{
	int unit = -1;

	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(unit, 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_EQ(rump_test_ether_capture(), 0);
}

static void
send_frames(unsigned id, uint32_t first, uint32_t n, unsigned len)
{
	unsigned char p[SHMIF_MAXFRAME];

	for (uint32_t s = first; s < first + n; s++) {
		payload_make(p, id, s, len);
		REQUIRE_EQ(rump_test_ether_send("shmif0", bcast, ETHERTYPE_IP, p,
		    len), 0);
	}
}

struct proc {
	pid_t pid;
	int ready[2];           /* child -> parent */
	int go[2];              /* parent -> child */
};

static void
proc_start(struct proc *pr, void (*fn)(struct proc *, unsigned), unsigned id)
{
	REQUIRE(pipe(pr->ready) == 0 && pipe(pr->go) == 0);
	fflush(NULL);
	REQUIRE((pr->pid = fork()) != -1);
	if (pr->pid == 0) {
		/* Ends with the case, whatever becomes of it. */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pr->ready[0]);
		close(pr->go[1]);
		fn(pr, id);
		fflush(NULL);
		_exit(0);
	}
	close(pr->ready[1]);
	close(pr->go[0]);
}

static void
child_ready(struct proc *pr)
{
	REQUIRE_EQ(write(pr->ready[1], "r", 1), 1);
}

static void
child_wait_go(struct proc *pr)
{
	char c;

	REQUIRE_EQ(read(pr->go[0], &c, 1), 1);
}

static void
parent_wait_ready(struct proc *pr)
{
	char c;

	REQUIRE_EQ(read(pr->ready[0], &c, 1), 1);
}

static void
parent_go(struct proc *pr)
{
	REQUIRE_EQ(write(pr->go[1], "g", 1), 1);
}

static void
parent_reap(struct proc *pr)
{
	int status;

	REQUIRE(waitpid(pr->pid, &status, 0) == pr->pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		TEST_FAIL("member %d failed (status 0x%x)", (int)pr->pid, status);
	close(pr->ready[0]);
	close(pr->go[1]);
}

/*
 * Every member sends NFRAMES; each receives the others' in order, none
 * of its own, and its reader skipped exactly its own.
 */

/* sys/net/if.h: one entry of net.interfaces. */
struct if_info_copy {
	char ii_name[16];
	uint32_t ii_index;
	int32_t ii_flags;
	uint32_t ii_mtu;
	uint32_t ii_type;
	uint8_t ii_lladdr[8];
	uint64_t ipackets, ierrors, opackets, oerrors, ibytes, obytes;
	uint64_t imcasts, omcasts, iqdrops, noproto, collisions;
};

#define NFRAMES 200
static unsigned nmembers;

static void
member_exchange(struct proc *pr, unsigned id)
{
	unsigned char p[PAYLOAD];
	uint32_t next[8] = { 0 }, seq;
	struct rump_shmif_stats st;
	unsigned got = 0, from;
	int n;

	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 0, NFRAMES, PAYLOAD);
	while (got < (nmembers - 1) * NFRAMES) {
		n = rump_test_ether_recv(p, sizeof(p), 5000, NULL);
		if (n < 0)
			TEST_FAIL("member %u: %u of %u frames", id, got,
			    (nmembers - 1) * NFRAMES);
		REQUIRE(payload_ok(p, n, PAYLOAD, &from, &seq));
		REQUIRE(from != id && from < nmembers);
		REQUIRE_EQ(seq, next[from]);
		next[from]++;
		got++;
	}
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 200, NULL), -1);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE_EQ(st.ss_own, NFRAMES);
	REQUIRE_EQ(st.ss_txframes, NFRAMES);
	REQUIRE_EQ(st.ss_overruns, 0);
	REQUIRE_EQ(st.ss_rxframes, (nmembers - 1) * NFRAMES);
	/* The interface's counters as net.interfaces lists them. */
	struct if_info_copy ii[4];
	size_t len = sizeof(ii);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.interfaces", ii, &len, NULL, 0), 0);
	REQUIRE_EQ(len, 2 * sizeof(ii[0]));
	REQUIRE_EQ(strcmp(ii[1].ii_name, "shmif0"), 0);
	REQUIRE_EQ(ii[1].ii_type, 1);
	REQUIRE_EQ(ii[1].opackets, NFRAMES);
	REQUIRE_EQ(ii[1].obytes, NFRAMES * (PAYLOAD + 14));
	REQUIRE_EQ(ii[1].omcasts, NFRAMES);
	REQUIRE_EQ(ii[1].ipackets, (nmembers - 1) * NFRAMES);
	REQUIRE_EQ(ii[1].ibytes, (nmembers - 1) * NFRAMES * (PAYLOAD + 14));
	REQUIRE_EQ(ii[1].imcasts, (nmembers - 1) * NFRAMES);
	REQUIRE_EQ(ii[1].ierrors + ii[1].oerrors + ii[1].iqdrops, 0);
}

static void
exchange(unsigned n)
{
	struct proc pr[4];

	bus_name();
	nmembers = n;
	for (unsigned i = 0; i < n; i++)
		proc_start(&pr[i], member_exchange, i);
	for (unsigned i = 0; i < n; i++)
		parent_wait_ready(&pr[i]);
	for (unsigned i = 0; i < n; i++)
		parent_go(&pr[i]);
	for (unsigned i = 0; i < n; i++)
		parent_reap(&pr[i]);
	unlink(bus);
}

TESTCASE(two_kernels)
{
	exchange(2);
}

TESTCASE(four_kernels)
{
	exchange(4);
}

/* The interface as ioctls show it, the MAC random and locally administered. */
TESTCASE(interface_state)
{
	struct rump_shmif_stats st;
	unsigned char mac0[6];
	struct ifreq ifr;
	int s, unit;

	bus_name();
	REQUIRE((s = rump_sys_socket(16 /* AF_ROUTE */, 3, 0)) != -1);
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif0"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif0"), EEXIST);
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("shmif"), EINVAL);
	REQUIRE_EQ(rump_pub_netconfig_ifcreate("nosuch0"), EINVAL);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr));
	REQUIRE_EQ(ifr.ifr_flags, 0x1002);        /* BROADCAST|MULTICAST, down */
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFHWADDR, &ifr));
	REQUIRE_EQ(ifr.ifr_hwaddr.sa_family, 1);         /* ARPHRD_ETHER */
	REQUIRE_EQ(((unsigned char)ifr.ifr_hwaddr.sa_data[0] & 3), 2);    /* local, unicast */
	memcpy(mac0, (unsigned char *)ifr.ifr_hwaddr.sa_data, 6);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFMTU, &ifr));
	REQUIRE_EQ(ifr.ifr_mtu, 1500);
	/* No bus yet: up but not running. */
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr));
	REQUIRE_EQ(ifr.ifr_flags, 0x1003);
	REQUIRE_EQ(rump_pub_netconfig_ifsetlinkstr("shmif0", bus), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifsetlinkstr("shmif0", bus), EBUSY);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr));
	REQUIRE_EQ(ifr.ifr_flags, 0x1043);        /* and RUNNING */
	/* A second interface on the same bus: shmif1, another MAC. */
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(unit, 1);
	strcpy(ifr.ifr_name, "shmif1");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFHWADDR, &ifr));
	REQUIRE(memcmp(mac0, (unsigned char *)ifr.ifr_hwaddr.sa_data, 6) != 0);
	REQUIRE_EQ(rump_pub_shmif_stats("lo0", &st), ENODEV);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif9", &st), ENXIO);
	REQUIRE_EQ(rump_pub_shmif_fault("shmif1", "drop=2"), EINVAL);
	REQUIRE_EQ(rump_pub_shmif_fault("shmif1", "seed=1,bogus=1"), EINVAL);
	REQUIRE_EQ(rump_pub_shmif_fault("shmif1", "seed=3,drop=0.5,delay=1"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifunsetlinkstr("shmif0"), 0);
	strcpy(ifr.ifr_name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr));
	REQUIRE_EQ(ifr.ifr_flags, 0x1003);
	REQUIRE_EQ(rump_pub_netconfig_ifunsetlinkstr("shmif0"), ENXIO);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif0"), ENXIO);
	REQUIRE_EQ(rump_pub_netconfig_ifdestroy("shmif1"), 0);
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr), ENODEV);
	unlink(bus);
}

/* A reader stopped while the ring wraps many times counts the overrun. */
static void
member_send_many(struct proc *pr, unsigned id)
{
	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 0, 2000, 1000);         /* 2 MB through 64 KiB */
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 100000, 10, PAYLOAD);
}

static void
member_stopped_reader(struct proc *pr, unsigned id)
{
	unsigned char p[1000];
	struct rump_shmif_stats st;
	uint32_t seq, want = 100000;
	unsigned from;
	int n;

	(void)id;
	member_boot();
	child_ready(pr);
	while (want < 100010) {
		REQUIRE((n = rump_test_ether_recv(p, sizeof(p), 10000, NULL)) >= 0);
		if (n == PAYLOAD) {
			REQUIRE(payload_ok(p, n, PAYLOAD, &from, &seq));
			REQUIRE_EQ(seq, want);
			want++;
		} else
			REQUIRE(payload_ok(p, n, 1000, &from, &seq));
	}
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE(st.ss_overruns >= 1);
	REQUIRE(st.ss_lostbytes >= 2000 * 1000 - 65536);
	REQUIRE(st.ss_rxframes < 2000);
}

TESTCASE(overrun)
{
	struct proc w, r;
	int status;

	bus_name();
	setenv("RUMP_SHMIF_RINGSIZE", "65536", 1);
	proc_start(&r, member_stopped_reader, 1);
	parent_wait_ready(&r);
	proc_start(&w, member_send_many, 0);
	parent_wait_ready(&w);
	REQUIRE_EQ(kill(r.pid, SIGSTOP), 0);
	/* A stop is delivered later: wait until the reader really is stopped. */
	REQUIRE(waitpid(r.pid, &status, WUNTRACED) == r.pid);
	REQUIRE(WIFSTOPPED(status));
	parent_go(&w);
	parent_wait_ready(&w);
	REQUIRE_EQ(kill(r.pid, SIGCONT), 0);
	parent_go(&w);
	parent_reap(&w);
	parent_reap(&r);
	unlink(bus);
}

/*
 * A writer that reserved ring space and died before committing it: the
 * others skip the slot once it has stalled, and go on.  With id 2 the
 * reader first drains what the members killed at random sent (told by
 * the parent that they are all dead, it waits for a second of quiet):
 * their flood may overflow the protocol queue, a loss the link layer is
 * allowed, and the 100 frames sent after must then all arrive.
 */
static void
member_receive_from(struct proc *pr, unsigned id)
{
	unsigned char p[PAYLOAD];
	struct rump_shmif_stats st;
	uint32_t seq, want = 0;
	unsigned long drops;
	unsigned from;
	int n;

	member_boot();
	child_ready(pr);
	if (id == 2) {
		child_wait_go(pr);
		while ((n = rump_test_ether_recv(p, sizeof(p), 1000, NULL)) >= 0)
			REQUIRE(n > 0 && p[0] == 3);
		child_ready(pr);
	}
	drops = rump_test_ether_drops();
	while (want < 100) {
		if ((n = rump_test_ether_recv(p, sizeof(p), 10000, NULL)) < 0) {
			REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
			TEST_FAIL("got %u of 100 frames (%llu frames, %llu "
			    "overruns, %llu stalls, %llu corrupt, %llu lost, "
			    "%llu own, %llu not for us, %llu nomem, %llu "
			    "wakeups; %lu dropped before, %lu now)",
			    (unsigned)want, st.ss_rxframes, st.ss_overruns,
			    st.ss_stalls, st.ss_corrupt, st.ss_lostbytes,
			    st.ss_own, st.ss_notforus, st.ss_nomem,
			    st.ss_wakeups, drops, rump_test_ether_drops());
		}
		REQUIRE(payload_ok(p, n, PAYLOAD, &from, &seq));
		REQUIRE_EQ(from, 0);
		REQUIRE_EQ(seq, want);
		want++;
	}
	REQUIRE_EQ(rump_test_ether_drops(), drops);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	if (id == 1)
		REQUIRE_EQ(st.ss_stalls, 1);
}

static void
member_send_100(struct proc *pr, unsigned id)
{
	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 0, 100, PAYLOAD);
}

TESTCASE(dead_writer_slot)
{
	struct shmif_bus *b;
	struct proc w, r;
	uint64_t res;
	int fd;

	bus_name();
	proc_start(&r, member_receive_from, 1);
	parent_wait_ready(&r);
	proc_start(&w, member_send_100, 0);
	parent_wait_ready(&w);
	/* Die, as a writer would, between reserving and committing. */
	REQUIRE((fd = open(bus, O_RDWR)) != -1);
	b = mmap(NULL, SHMIF_BUS_HDRSIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	REQUIRE(b != MAP_FAILED);
	res = __atomic_fetch_add(&b->shb_reserve, SHMIF_FRAMESIZE(100),
	    __ATOMIC_SEQ_CST);
	REQUIRE(res % SHMIF_ALIGN == 0);
	munmap(b, SHMIF_BUS_HDRSIZE);
	close(fd);
	parent_go(&w);
	parent_reap(&w);
	parent_reap(&r);
	unlink(bus);
}

static void
member_send_forever(struct proc *pr, unsigned id)
{
	uint32_t s = 0;

	member_boot();
	child_ready(pr);
	/* Bursts with pauses: the receiver's capture queue must not fill. */
	for (;;) {
		send_frames(id, s, 10, 1 + (s % 400) + 13);
		s += 10;
		usleep(200);
	}
}

TESTCASE(member_killed)
{
	struct proc k, w, r;
	int status;

	bus_name();
	srandom((unsigned)getpid());
	proc_start(&r, member_receive_from, 2);
	parent_wait_ready(&r);
	for (int i = 0; i < 10; i++) {
		proc_start(&k, member_send_forever, 3);
		parent_wait_ready(&k);
		usleep((useconds_t)(random() % 20000));
		REQUIRE_EQ(kill(k.pid, SIGKILL), 0);
		REQUIRE(waitpid(k.pid, &status, 0) == k.pid);
		REQUIRE(WIFSIGNALED(status));
		close(k.ready[0]);
		close(k.go[1]);
	}
	parent_go(&r);
	parent_wait_ready(&r);
	proc_start(&w, member_send_100, 0);
	parent_wait_ready(&w);
	parent_go(&w);
	parent_reap(&w);
	parent_reap(&r);
	unlink(bus);
}

/* An idle member's receive thread sleeps in the host: no CPU. */
static void
member_idle(struct proc *pr, unsigned id)
{
	struct rusage a, b;
	unsigned char p[PAYLOAD];
	uint64_t t0, us;
	int n;

	(void)id;
	member_boot();
	REQUIRE_EQ(getrusage(RUSAGE_SELF, &a), 0);
	sleep(1);
	REQUIRE_EQ(getrusage(RUSAGE_SELF, &b), 0);
	us = (uint64_t)(b.ru_utime.tv_sec - a.ru_utime.tv_sec) * 1000000 +
	    (uint64_t)(b.ru_utime.tv_usec - a.ru_utime.tv_usec) +
	    (uint64_t)(b.ru_stime.tv_sec - a.ru_stime.tv_sec) * 1000000 +
	    (uint64_t)(b.ru_stime.tv_usec - a.ru_stime.tv_usec);
	if (us > 20000)
		TEST_FAIL("idle for 1 s took %llu us of CPU",
		    (unsigned long long)us);
	/* And a frame still wakes it at once. */
	child_ready(pr);
	t0 = now_ns();
	REQUIRE((n = rump_test_ether_recv(p, sizeof(p), 5000, NULL)) == PAYLOAD);
	REQUIRE(now_ns() - t0 < 1000000000u);
}

TESTCASE(idle_reader)
{
	struct proc w, r;

	bus_name();
	proc_start(&r, member_idle, 1);
	proc_start(&w, member_send_100, 0);
	parent_wait_ready(&w);
	parent_wait_ready(&r);
	parent_go(&w);
	parent_reap(&w);
	parent_reap(&r);
	unlink(bus);
}

/*
 * The fault switch: two readers with the same seed drop the same frames;
 * duplicates and delays as asked.
 */
static const char *fault_spec;

static void
member_faulty(struct proc *pr, unsigned id)
{
	unsigned char p[PAYLOAD];
	struct rump_shmif_stats st;
	uint32_t seq;
	unsigned from, got = 0;
	char seen[300];
	int n;

	(void)id;

	member_boot();
	REQUIRE_EQ(rump_pub_shmif_fault("shmif0", fault_spec), 0);
	child_ready(pr);
	memset(seen, 0, sizeof(seen));
	while ((n = rump_test_ether_recv(p, sizeof(p), 1500, NULL)) >= 0) {
		REQUIRE(payload_ok(p, n, PAYLOAD, &from, &seq));
		REQUIRE(seq < 300);
		seen[seq]++;
		got++;
	}
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	/* Tell the parent which frames came, as counts. */
	REQUIRE_EQ(write(pr->ready[1], seen, sizeof(seen)), (ssize_t)sizeof(seen));
	REQUIRE_EQ(st.ss_rxframes, got);
}

static void
member_send_300(struct proc *pr, unsigned id)
{
	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 0, 300, PAYLOAD);
}

static void
fault_run(const char *spec1, const char *spec2, char *seen1, char *seen2)
{
	struct proc w, r1, r2;

	bus_name();
	fault_spec = spec1;
	proc_start(&r1, member_faulty, 1);
	fault_spec = spec2;
	proc_start(&r2, member_faulty, 2);
	parent_wait_ready(&r1);
	parent_wait_ready(&r2);
	proc_start(&w, member_send_300, 0);
	parent_wait_ready(&w);
	parent_go(&w);
	REQUIRE_EQ(read(r1.ready[0], seen1, 300), 300);
	REQUIRE_EQ(read(r2.ready[0], seen2, 300), 300);
	parent_reap(&w);
	parent_reap(&r1);
	parent_reap(&r2);
	unlink(bus);
}

TESTCASE(fault_drop_seeded)
{
	char a[300], b[300];
	unsigned na = 0;

	fault_run("seed=7,drop=0.3", "seed=7,drop=0.3", a, b);
	REQUIRE(memcmp(a, b, sizeof(a)) == 0);
	for (int i = 0; i < 300; i++) {
		REQUIRE(a[i] == 0 || a[i] == 1);
		na += (unsigned)a[i];
	}
	if (na < 170 || na > 250)
		TEST_FAIL("drop=0.3 delivered %u of 300", na);
	fault_run("seed=7,drop=0.3", "seed=8,drop=0.3", a, b);
	REQUIRE(memcmp(a, b, sizeof(a)) != 0);
}

TESTCASE(fault_dup_reorder)
{
	char a[300], b[300];

	fault_run("dup=1", "seed=5,reorder=0.5", a, b);
	for (int i = 0; i < 300; i++) {
		REQUIRE_EQ(a[i], 2);
		REQUIRE_EQ(b[i], 1);
	}
}

static void
member_delayed(struct proc *pr, unsigned id)
{
	unsigned char p[PAYLOAD];
	uint64_t sent;
	int n;

	(void)id;
	member_boot();
	REQUIRE_EQ(rump_pub_shmif_fault("shmif0", "delay=200"), 0);
	child_ready(pr);
	for (int i = 0; i < 20; i++) {
		REQUIRE((n = rump_test_ether_recv(p, sizeof(p), 5000, NULL)) == PAYLOAD);
		memcpy(&sent, p + 5, 8);
		if (now_ns() - sent < 200000000u)
			TEST_FAIL("frame %d came after %llu ns", i,
			    (unsigned long long)(now_ns() - sent));
	}
}

static void
member_send_20(struct proc *pr, unsigned id)
{
	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	send_frames(id, 0, 20, PAYLOAD);
}

TESTCASE(fault_delay)
{
	struct proc w, r;

	bus_name();
	proc_start(&r, member_delayed, 1);
	parent_wait_ready(&r);
	proc_start(&w, member_send_20, 0);
	parent_wait_ready(&w);
	parent_go(&w);
	parent_reap(&w);
	parent_reap(&r);
	unlink(bus);
}

/*
 * Valid ARP requests on the bus, written out by shmif_dumpbus as pcap:
 * tshark reads every frame, and finds nothing malformed.
 */
static void
member_arp(struct proc *pr, unsigned id)
{
	unsigned char arp[28] = {
		0, 1, 8, 0, 6, 4, 0, 1,         /* Ethernet, IPv4, request */
		0x02, 0, 0, 0, 0, 0, 10, 0, 0, 0, /* sender */
		0, 0, 0, 0, 0, 0, 10, 0, 0, 0 };  /* target */

	member_boot();
	child_ready(pr);
	child_wait_go(pr);
	for (int i = 0; i < 10; i++) {
		arp[13] = (unsigned char)id;
		arp[17] = (unsigned char)(id + 1);
		arp[27] = (unsigned char)(i + 100);
		REQUIRE_EQ(rump_test_ether_send("shmif0", bcast, 0x0806, arp,
		    sizeof(arp)), 0);
	}
}

TESTCASE(dumpbus_pcap)
{
	char cmd[512], line[512], pcap[80];
	struct proc a, b;
	int lines = 0, arps = 0;
	FILE *f;

	bus_name();
	snprintf(pcap, sizeof(pcap), "/tmp/t_shmif.%d.pcap", (int)getpid());
	proc_start(&a, member_arp, 1);
	proc_start(&b, member_arp, 2);
	parent_wait_ready(&a);
	parent_wait_ready(&b);
	parent_go(&a);
	parent_go(&b);
	parent_reap(&a);
	parent_reap(&b);
	snprintf(cmd, sizeof(cmd), "%s -w %s %s", SHMIF_DUMPBUS, pcap, bus);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "frames in the ring: 20", 22) == 0)
			lines++;
	REQUIRE_EQ(pclose(f), 0);
	REQUIRE_EQ(lines, 1);
	snprintf(cmd, sizeof(cmd), "tshark -r %s 2>/dev/null", pcap);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	lines = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		lines++;
		if (strstr(line, "Malformed") != NULL ||
		    strstr(line, "Bad") != NULL || strstr(line, "rror") != NULL)
			TEST_FAIL("tshark: %s", line);
		if (strstr(line, "Who has 10.0.0.1") != NULL)
			arps++;
	}
	REQUIRE_EQ(pclose(f), 0);
	REQUIRE_EQ(lines, 20);
	REQUIRE_EQ(arps, 20);
	unlink(pcap);
	unlink(bus);
}

/*
 * Frames put on the bus by hand, as a writer does (shmif_bus.h), to see
 * Ethernet's input filter: runts, frames too long, unicast for another
 * station, multicast outside the filter; the filter set by SIOCADDMULTI.
 */
struct etherstat_copy {                 /* sys/net/if_ether.h */
	uint64_t es_ipackets, es_runts, es_toolong, es_notforus;
	uint64_t es_mcastfiltered, es_ownsrc, es_noproto, es_qdrops;
	uint64_t es_opackets, es_oerrors, es_noresolve;
};

static void
bus_inject(const unsigned char *frame, unsigned len)
{
	struct shmif_bus *b;
	struct shmif_frame *fr;
	uint64_t r, need = SHMIF_FRAMESIZE(len), idx, pad, size;
	uint8_t *ring;
	int fd;

	REQUIRE((fd = open(bus, O_RDWR)) != -1);
	REQUIRE((b = mmap(NULL, SHMIF_BUS_HDRSIZE + SHMIF_RINGSIZE,
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) != MAP_FAILED);
	size = b->shb_ringsize;
	REQUIRE_EQ(size, SHMIF_RINGSIZE);
	ring = (uint8_t *)b + SHMIF_BUS_HDRSIZE;
	r = __atomic_load_n(&b->shb_reserve, __ATOMIC_ACQUIRE);
	do {
		idx = r & (size - 1);
		pad = idx + need > size ? size - idx : 0;
	} while (!__atomic_compare_exchange_n(&b->shb_reserve, &r,
	    r + pad + need, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
	REQUIRE_EQ(pad, 0);
	fr = (struct shmif_frame *)(void *)(ring + idx);
	memset(fr, 0, sizeof(*fr));
	fr->sf_len = len;
	fr->sf_sender = 999;
	memcpy(fr + 1, frame, len);
	__atomic_store_n(&fr->sf_pos, r, __ATOMIC_RELEASE);
	__atomic_add_fetch(&b->shb_wakeword, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &b->shb_wakeword, FUTEX_WAKE, 1000, NULL, NULL, 0);
	munmap(b, SHMIF_BUS_HDRSIZE + SHMIF_RINGSIZE);
	close(fd);
}

static void
frame_make(unsigned char *f, const unsigned char *dst, unsigned type,
    unsigned len, unsigned char tag)
{
	memset(f, tag, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, "\x02\x11\x22\x33\x44\x55", 6);
	f[12] = (unsigned char)(type >> 8);
	f[13] = (unsigned char)type;
}

static void
etherstat_get(struct etherstat_copy *es)
{
	REQUIRE_EQ(rump_test_etherstat(es, sizeof(*es)), 0);
}

TESTCASE(ether_input_filter)
{
	static const unsigned char group[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	static const unsigned char other[6] = { 0x02, 0x99, 0x99, 0x99, 0x99, 0x99 };
	unsigned char f[1600], p[1600], mac[6];
	struct etherstat_copy es0, es;
	struct rump_shmif_stats st;
	struct ifreq ifr;
	int s, unit, flags;

	bus_name();
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	REQUIRE_EQ(rump_test_ether_capture(), 0);
	REQUIRE((s = rump_sys_socket(16 /* AF_ROUTE */, 3, 0)) != -1);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFHWADDR, &ifr));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	etherstat_get(&es0);

	/* Ours, broadcast, then each kind of frame that must not pass. */
	frame_make(f, mac, 0x0800, 100, 1);
	bus_inject(f, 100);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 86);
	REQUIRE_EQ(flags, 0);
	REQUIRE_EQ(p[0], 1);
	frame_make(f, bcast, 0x0800, 60, 2);
	bus_inject(f, 60);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 46);
	REQUIRE_EQ(flags, 1);
	frame_make(f, mac, 0x0800, 10, 3);              /* runt */
	bus_inject(f, 10);
	frame_make(f, mac, 0x0800, 1515, 4);            /* past 1500 + 14 + 4 */
	bus_inject(f, 1519);
	frame_make(f, other, 0x0800, 100, 5);           /* for another station */
	bus_inject(f, 100);
	frame_make(f, group, 0x0800, 100, 6);           /* group not joined */
	bus_inject(f, 100);
	frame_make(f, mac, 0x88b5, 100, 7);             /* a type nobody takes */
	bus_inject(f, 100);
	frame_make(f, mac, 0x0800, 1518, 8);            /* longest with a tag */
	bus_inject(f, 1518);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 1504);
	REQUIRE_EQ(p[0], 8);
	etherstat_get(&es);
	REQUIRE_EQ(es.es_runts - es0.es_runts, 1);
	REQUIRE_EQ(es.es_toolong - es0.es_toolong, 1);
	/* Another station's unicast stops in the driver, never copied. */
	REQUIRE_EQ(es.es_notforus - es0.es_notforus, 0);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE_EQ(st.ss_notforus, 1);
	/* Promiscuous: another station's unicast comes up too. */
	REQUIRE_OK(rump_sys_ioctl(s, SIOCGIFFLAGS, &ifr));
	ifr.ifr_flags |= IFF_PROMISC;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr));
	frame_make(f, other, 0x0800, 100, 10);
	bus_inject(f, 100);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 86);
	REQUIRE_EQ(p[0], 10);
	ifr.ifr_flags &= ~IFF_PROMISC;
	REQUIRE_OK(rump_sys_ioctl(s, SIOCSIFFLAGS, &ifr));
	bus_inject(f, 100);
	/* Frames are taken in order: once the next one is up, it was not. */
	frame_make(f, bcast, 0x0800, 60, 11);
	bus_inject(f, 60);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 46);
	REQUIRE_EQ(p[0], 11);
	REQUIRE_EQ(rump_pub_shmif_stats("shmif0", &st), 0);
	REQUIRE_EQ(st.ss_notforus, 2);
	REQUIRE_EQ(es.es_mcastfiltered - es0.es_mcastfiltered, 1);
	REQUIRE_EQ(es.es_noproto - es0.es_noproto, 1);
	REQUIRE_EQ(es.es_ipackets - es0.es_ipackets, 3);

	/* Join the group: it passes, marked multicast; leave: filtered. */
	ifr.ifr_hwaddr.sa_family = AF_UNSPEC;
	memcpy(ifr.ifr_hwaddr.sa_data, group, 6);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCADDMULTI, &ifr));
	frame_make(f, group, 0x0800, 100, 9);
	bus_inject(f, 100);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 86);
	REQUIRE_EQ(flags, 2);
	REQUIRE_EQ(p[0], 9);
	REQUIRE_OK(rump_sys_ioctl(s, SIOCDELMULTI, &ifr));
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCDELMULTI, &ifr), ENOENT);
	bus_inject(f, 100);
	frame_make(f, bcast, 0x0800, 60, 12);
	bus_inject(f, 60);
	REQUIRE_EQ(rump_test_ether_recv(p, sizeof(p), 2000, &flags), 46);
	REQUIRE_EQ(p[0], 12);
	memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);         /* not a group */
	REQUIRE_ERRNO(rump_sys_ioctl(s, SIOCADDMULTI, &ifr), EINVAL);
	etherstat_get(&es);
	REQUIRE_EQ(es.es_mcastfiltered - es0.es_mcastfiltered, 2);
	REQUIRE_OK(rump_sys_close(s));
	unlink(bus);
}

/* Host threads of this process whose name is name. */
static int
threads_named(const char *name)
{
	char path[300], comm[32];
	struct dirent *d;
	int n = 0;
	DIR *dir;
	FILE *f;

	REQUIRE((dir = opendir("/proc/self/task")) != NULL);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", d->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL &&
		    strncmp(comm, name, strlen(name)) == 0 &&
		    comm[strlen(name)] == '\n')
			n++;
		fclose(f);
	}
	closedir(dir);
	return n;
}

/* Halting the kernel stops every receive thread and unmaps the buses. */
TESTCASE(halt_stops_receivers)
{
	int unit;

	bus_name();
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(threads_named("shmif0"), 1);
	REQUIRE_EQ(threads_named("shmif1"), 1);
	REQUIRE_OK(rump_sys_reboot(RUMP_RB_HALT, NULL));
	REQUIRE_EQ(threads_named("shmif0"), 0);
	REQUIRE_EQ(threads_named("shmif1"), 0);
	unlink(bus);
}

TESTS(CASE_NOBOOT(two_kernels), CASE_NOBOOT(four_kernels),
    CASE(interface_state), CASE_NOBOOT(overrun), CASE_NOBOOT(dead_writer_slot),
    CASE_NOBOOT(member_killed), CASE_NOBOOT(idle_reader),
    CASE_NOBOOT(fault_drop_seeded), CASE_NOBOOT(fault_dup_reorder),
    CASE_NOBOOT(fault_delay), CASE_NOBOOT(dumpbus_pcap),
    CASE(ether_input_filter), CASE(halt_stops_receivers))
