/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP between two kernels in two host processes on a shmif bus:
 *
 * bulk_lossy: a transfer with CUBIC and SACK (64 MiB; TCP_SHMIF_MIB in
 * the environment changes it, 1024 for the long run) through a bus
 * whose fault switch
 * drops 10% of the frames each kernel receives, reorders, duplicates
 * and corrupts some more; the receiver hashes what arrives (64-bit
 * FNV-1a) and sends the hash back, which must equal the sender's.
 * Corrupted frames are caught by the IP or TCP checksum and count as
 * losses.  bulk_lossy_newreno: 8 MiB the same way with NewReno and no
 * SACK.
 *
 * capture_tshark: a clean connection, its bus read back as pcap by
 * tshark: TCP checksums right, no expert warnings.
 *
 * peer_vanishes: the peer's process is killed (SIGKILL) mid-connection;
 * the sender's retransmissions go unanswered and the connection fails
 * with ETIMEDOUT after net.inet.tcp.rexmit_max of them (set to 5 here:
 * 0.2 + 0.4 + ... + 6.4 s of backoff).
 *
 * The other kernel is forked before this one boots.  It says "ready" by
 * writing a byte to a pipe.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "h_macros.h"
#include "../../../sys/netinet/tcp_stat.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#define PORT 5001
#define FAULTS "drop=0.1,reorder=0.05,dup=0.02,corrupt=0.02"
/* A LAN: round trips well under a millisecond, so a short least RTO. */
#define RTOMIN_MS 20

static char bus[64];
/* Set by a case before it forks the other kernel. */
static uint64_t stream_len;
static bool no_sack;
static bool no_faults;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
shmif_setup(const char *addr, const char *faults)
{
	char name[16];
	int unit;

	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	snprintf(name, sizeof(name), "shmif%d", unit);
	REQUIRE_EQ(rump_pub_netconfig_ifup(name), 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv4_ifaddr_cidr(name, addr, 24), 0);
	if (faults != NULL)
		REQUIRE_EQ(rump_pub_shmif_fault(name, faults), 0);
}

static void
sysctl_setint(const char *name, int v)
{
	REQUIRE_EQ(rump_pub_sysctlbyname(name, NULL, NULL, &v, sizeof(v)), 0);
}

static struct tcpstat
tcpstat_get(void)
{
	struct tcpstat st;
	size_t len = sizeof(st);

	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.stats", &st, &len,
	    NULL, 0), 0);
	return st;
}

static uint64_t
fnv1a(uint64_t h, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

/* The stream's bytes at off, for len bytes: the same on both sides. */
static void
stream_fill(unsigned char *buf, uint64_t off, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = (off + i) >> 3;

		x ^= x >> 17;
		x *= 0x9e3779b97f4a7c15ULL;
		buf[i] = (unsigned char)(x >> (8 * ((off + i) & 7)));
	}
}

static uint64_t
stream_bytes(void)
{
	const char *e = getenv("TCP_SHMIF_MIB");

	return e != NULL ? (uint64_t)atoi(e) << 20 : stream_len;
}

/* The listening kernel: accept one connection, hash it, send the hash back. */
static void
child_receiver(int rb, bool vanish)
{
	struct sockaddr_in sin;
	static unsigned char buf[256 * 1024];
	uint64_t h = FNV_INIT, total = 0;
	char c = 'r';
	ssize_t n;
	int l, a;

	if (rump_init() != 0)
		_exit(2);
	shmif_setup("10.0.0.2", vanish || no_faults ? NULL : FAULTS);
	sysctl_setint("net.inet.tcp.rtomin_ms", RTOMIN_MS);
	if (no_sack)
		sysctl_setint("net.inet.tcp.sack", 0);
	REQUIRE_OK(l = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&sin, sizeof(sin)));
	REQUIRE_OK(rump_sys_listen(l, 1));
	REQUIRE_EQ(write(rb, &c, 1), 1);
	REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
	if (vanish) {
		REQUIRE_EQ(write(rb, &c, 1), 1);
		for (;;)
			pause();
	}
	while ((n = rump_sys_read(a, buf, sizeof(buf))) > 0) {
		h = fnv1a(h, buf, (size_t)n);
		total += (uint64_t)n;
	}
	REQUIRE_EQ(n, 0);
	REQUIRE_EQ(total, stream_bytes());
	REQUIRE_EQ(rump_sys_write(a, &h, sizeof(h)), sizeof(h));
	REQUIRE_OK(rump_sys_close(a));
	REQUIRE_OK(rump_sys_close(l));
	/* Stay until the peer has its hash (it closes the pipe). */
	(void)read(rb, &c, 1);
	_exit(0);
}

static pid_t
child_start(bool vanish, int *readyp)
{
	int p[2];
	pid_t pid;

	snprintf(bus, sizeof(bus), "/tmp/t_tcp_shmif.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, p));
	fflush(NULL);
	REQUIRE_OK(pid = fork());
	if (pid == 0) {
		close(p[0]);
		/* The harness's limit for the case bounds the other kernel too. */
		alarm(getenv("TEST_TIMEOUT") != NULL ?
		    (unsigned)atoi(getenv("TEST_TIMEOUT")) : 280);
		child_receiver(p[1], vanish);
	}
	close(p[1]);
	*readyp = p[0];
	return pid;
}

static int
connect_peer(void)
{
	struct sockaddr_in sin;
	int s;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(PORT);
	sin.sin_addr.s_addr = inet_addr("10.0.0.2");
	REQUIRE_OK(s = rump_sys_socket(AF_INET, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(s, (struct sockaddr *)&sin, sizeof(sin)));
	return s;
}

struct sender {
	int s;
	uint64_t len;
	uint64_t hash;
};

static void *
sender_thread(void *arg)
{
	struct sender *sd = arg;
	static unsigned char buf[256 * 1024];
	uint64_t off = 0;

	sd->hash = FNV_INIT;
	while (off < sd->len) {
		size_t chunk = sd->len - off < sizeof(buf) ?
		    (size_t)(sd->len - off) : sizeof(buf), done = 0;

		stream_fill(buf, off, chunk);
		sd->hash = fnv1a(sd->hash, buf, chunk);
		while (done < chunk) {
			ssize_t n = rump_sys_write(sd->s, buf + done, chunk - done);

			REQUIRE(n > 0);
			done += (size_t)n;
		}
		off += chunk;
	}
	REQUIRE_OK(rump_sys_shutdown(sd->s, SHUT_WR));
	return NULL;
}

static void
bulk(const char *cc)
{
	struct sender sd;
	struct tcpstat st;
	pthread_t t;
	uint64_t h;
	int ready, status;
	pid_t pid;
	char c;
	long long start;

	pid = child_start(false, &ready);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup("10.0.0.1", no_faults ? NULL : FAULTS);
	sysctl_setint("net.inet.tcp.rtomin_ms", RTOMIN_MS);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.congctl", NULL, NULL,
	    cc, strlen(cc) + 1), 0);
	REQUIRE_EQ(read(ready, &c, 1), 1);
	start = now_ms();
	sd.s = connect_peer();
	sd.len = stream_bytes();
	REQUIRE_EQ(pthread_create(&t, NULL, sender_thread, &sd), 0);
	REQUIRE_EQ(rump_sys_read(sd.s, &h, sizeof(h)), sizeof(h));
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE_EQ(h, sd.hash);
	REQUIRE_EQ(rump_sys_read(sd.s, &c, 1), 0);
	st = tcpstat_get();
	fprintf(stderr, "%s%s: %llu MiB in %lld ms: %llu segments resent, "
	    "%llu fast retransmits, %llu timeouts, %llu SACK resends\n",
	    cc, no_sack ? " without SACK" : "",
	    (unsigned long long)(sd.len >> 20), now_ms() - start,
	    (unsigned long long)st.tcps_sndrexmitpack,
	    (unsigned long long)st.tcps_fastrexmit,
	    (unsigned long long)st.tcps_rexmttimeo,
	    (unsigned long long)st.tcps_sack_rexmits);
	if (!no_faults)
		REQUIRE(st.tcps_sndrexmitpack > 0);
	REQUIRE_OK(rump_sys_close(sd.s));
	close(ready);
	REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!no_faults)
		unlink(bus);
}

TESTCASE(bulk_lossy)
{
	stream_len = 64 << 20;
	bulk("cubic");
}

/* The same without SACK (NewReno partial ACKs recover), 8 MiB. */
TESTCASE(bulk_lossy_newreno)
{
	stream_len = 8 << 20;
	no_sack = true;
	bulk("newreno");
}

/*
 * A clean connection's life on the bus (handshake with options, data,
 * half-close, FINs) written out by shmif_dumpbus decodes in tshark with
 * TCP checksums checked and no expert warning.
 */
TESTCASE(capture_tshark)
{
	char cmd[512], line[512], pcap[80];
	FILE *f;
	int syn = 0, fin = 0, data = 0;

	/* Small enough that the bus keeps every frame, whatever the run asks. */
	unsetenv("TCP_SHMIF_MIB");
	stream_len = 32 << 10;
	no_faults = true;
	bulk("cubic");
	snprintf(pcap, sizeof(pcap), "%s.pcap", bus);
	snprintf(cmd, sizeof(cmd), "%s -w %s %s >/dev/null", SHMIF_DUMPBUS,
	    pcap, bus);
	REQUIRE_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -o ip.check_checksum:TRUE "
	    "-o tcp.check_checksum:TRUE -z expert,warn 2>&1", pcap);
	REQUIRE((f = popen(cmd, "r")) != NULL);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "Malformed") != NULL ||
		    strstr(line, "Bad") != NULL ||
		    strstr(line, "incorrect") != NULL ||
		    strstr(line, "Warning") != NULL ||
		    strstr(line, "Error") != NULL)
			TEST_FAIL("tshark: %s", line);
		if (strstr(line, "[SYN") != NULL)
			syn++;
		if (strstr(line, "[FIN") != NULL)
			fin++;
		if (strstr(line, "Len=1448") != NULL)
			data++;
	}
	REQUIRE_EQ(pclose(f), 0);
	REQUIRE_EQ(syn, 2);
	REQUIRE_EQ(fin, 2);
	REQUIRE(data >= (32 << 10) / 1448);
	unlink(pcap);
	unlink(bus);
}

TESTCASE(peer_vanishes)
{
	static unsigned char buf[64 * 1024];
	int ready, s, status;
	pid_t pid;
	char c;
	ssize_t n;
	long long start;

	pid = child_start(true, &ready);
	REQUIRE_EQ(rump_init(), 0);
	shmif_setup("10.0.0.1", NULL);
	sysctl_setint("net.inet.tcp.rexmit_max", 5);
	REQUIRE_EQ(read(ready, &c, 1), 1);
	s = connect_peer();
	REQUIRE_EQ(read(ready, &c, 1), 1);
	REQUIRE_OK(kill(pid, SIGKILL));
	REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	start = now_ms();
	memset(buf, 'v', sizeof(buf));
	/* The first writes fit in the buffer; then a write blocks and fails. */
	while ((n = rump_sys_write(s, buf, sizeof(buf))) > 0)
		REQUIRE(now_ms() - start < 30000);
	REQUIRE_EQ(n, -1);
	/* The sockets layer may say EPIPE first; the cause is in SO_ERROR. */
	if (errno != ETIMEDOUT) {
		int err;
		unsigned len = sizeof(err);

		REQUIRE_EQ(errno, EPIPE);
		REQUIRE_OK(rump_sys_getsockopt(s, SOL_SOCKET, SO_ERROR, &err,
		    &len));
		REQUIRE_EQ(err, ETIMEDOUT);
	}
	REQUIRE(now_ms() - start >= 6000);
	REQUIRE(now_ms() - start < 30000);
	REQUIRE_EQ(tcpstat_get().tcps_timeoutdrop, 1);
	REQUIRE_OK(rump_sys_close(s));
	close(ready);
	unlink(bus);
}

TESTS(
	CASE_NOBOOT(bulk_lossy),
	CASE_NOBOOT(bulk_lossy_newreno),
	CASE_NOBOOT(capture_tshark),
	CASE_NOBOOT(peer_vanishes),
)
