/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP over IPv6 between two kernels in two host processes on a shmif
 * bus.  Kernel B (forked first) has 2001:db8::2/64 and its link-local
 * address and serves [::]:5001: every connection's bytes are hashed
 * (64-bit FNV-1a) and the hash sent back before B closes.
 *
 * bus6: kernel A (2001:db8::1/64) connects to B's global address and to
 * its link-local one (with sin6_scope_id; without it connect is EINVAL),
 * 32 KiB each, hashes compared, names checked (the link-local peer's
 * scope is shmif0's index), MSS from the interface MTU (1500 - 60, less
 * 12 of timestamps); a closed port is ECONNREFUSED; then the bus read
 * back as pcap by tshark: TCP checksums right, no malformed packets, no
 * expert warnings, and the SYNs and FINs counted.  Last, 16 MiB to the
 * global address, hash compared.
 *
 * lossy6: 16 MiB through a bus whose fault switch drops 5% of the frames
 * each kernel receives, reorders, duplicates and corrupts some more
 * (corruption is caught by the TCP checksum over the IPv6
 * pseudo-header); the hash must still be equal, and segments were
 * resent.
 */
#include <sys/prctl.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>

#include "../inet6/h_inet6.h"
#include "../../../sys/netinet/tcp_stat.h"
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>

#define PORT 5001
#define FNV_INIT 0xcbf29ce484222325ULL
#define FAULTS "drop=0.05,reorder=0.05,dup=0.02,corrupt=0.02"
#define LOSSY_BYTES (16 << 20)

static char bus[64];
static const char *faults;      /* the fault switch of both kernels, or NULL */

static uint64_t
fnv1a(uint64_t h, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

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

static void
shmif_up(const char *addr)
{
	int unit;

	REQUIRE_EQ(rump_pub_shmif_create(bus, &unit), 0);
	REQUIRE_EQ(unit, 0);
	REQUIRE_EQ(rump_pub_netconfig_ipv6_ifaddr("shmif0", addr, 64), 0);
	REQUIRE_EQ(rump_pub_netconfig_ifup("shmif0"), 0);
	/* Duplicate address detection of both addresses. */
	msleep(2300);
	if (faults != NULL) {
		REQUIRE_EQ(rump_pub_shmif_fault("shmif0", faults), 0);
		/* A LAN: round trips well under a millisecond. */
		sysctl_setint("net.inet.tcp.rtomin_ms", 20);
	}
}

static void
our_mac(uint8_t mac[6])
{
	struct {
		char name[16];
		unsigned short family;
		uint8_t data[22];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8927 /* SIOCGIFHWADDR */, &ifr));
	memcpy(mac, ifr.data, 6);
	REQUIRE_OK(rump_sys_close(s));
}

static unsigned
shmif0_index(void)
{
	struct {
		char name[16];
		int index;
		char pad[20];
	} ifr;
	int s;

	REQUIRE_OK(s = rump_sys_socket(AF_INET6, SOCK_DGRAM, 0));
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.name, "shmif0");
	REQUIRE_OK(rump_sys_ioctl(s, 0x8933 /* SIOCGIFINDEX */, &ifr));
	REQUIRE_OK(rump_sys_close(s));
	return (unsigned)ifr.index;
}

/* Kernel B: the hashing server; tells A its MAC when ready. */
static void
server(int up, int down)
{
	static unsigned char buf[256 * 1024];
	struct sockaddr_in6 s = sin6_make("::", PORT, 0);
	uint8_t mac[6];
	int l, a;

	shmif_up("2001:db8::2");
	REQUIRE_OK(l = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_bind(l, (struct sockaddr *)&s, sizeof(s)));
	REQUIRE_OK(rump_sys_listen(l, 4));
	our_mac(mac);
	REQUIRE_EQ(write(up, mac, 6), 6);
	for (;;) {
		uint64_t h = FNV_INIT;
		ssize_t n;
		struct pollfd pfd[1] = { { .fd = l, .events = POLLIN } };

		REQUIRE_OK(rump_sys_poll(pfd, 1, 200));
		if ((pfd[0].revents & POLLIN) == 0) {
			struct pollfd hp = { .fd = down, .events = POLLIN };

			if (poll(&hp, 1, 0) == 1)
				break;
			continue;
		}
		REQUIRE_OK(a = rump_sys_accept(l, NULL, NULL));
		while ((n = rump_sys_read(a, buf, sizeof(buf))) > 0)
			h = fnv1a(h, buf, (size_t)n);
		REQUIRE_EQ(n, 0);
		REQUIRE_EQ(rump_sys_write(a, &h, sizeof(h)), sizeof(h));
		REQUIRE_OK(rump_sys_close(a));
	}
	REQUIRE_OK(rump_sys_close(l));
}

struct sender {
	int s;
	uint64_t len;
	uint64_t hash;
};

static void *
sender(void *arg)
{
	struct sender *sd = arg;
	static unsigned char buf[128 * 1024];
	uint64_t off = 0;

	sd->hash = FNV_INIT;
	while (off < sd->len) {
		size_t chunk = sd->len - off < sizeof(buf) ?
		    (size_t)(sd->len - off) : sizeof(buf), done = 0;

		stream_fill(buf, off, chunk);
		sd->hash = fnv1a(sd->hash, buf, chunk);
		while (done < chunk) {
			ssize_t n = rump_sys_write(sd->s, buf + done,
			    chunk - done);

			REQUIRE(n > 0);
			done += (size_t)n;
		}
		off += chunk;
	}
	REQUIRE_OK(rump_sys_shutdown(sd->s, SHUT_WR));
	return NULL;
}

/* len bytes to B at addr%scope; B's hash of them must be ours. */
static void
transfer(const char *addr, unsigned scope, uint64_t len, const char *peer)
{
	struct sockaddr_in6 s = sin6_make(addr, PORT, scope), p;
	unsigned plen = sizeof(p);
	char a[INET6_ADDRSTRLEN];
	struct tcp_info ti;
	unsigned tlen = sizeof(ti);
	struct sender sd;
	pthread_t t;
	uint64_t h;
	char c;

	REQUIRE_OK(sd.s = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_OK(rump_sys_connect(sd.s, (struct sockaddr *)&s, sizeof(s)));
	REQUIRE_OK(rump_sys_getpeername(sd.s, (struct sockaddr *)&p, &plen));
	REQUIRE_EQ(plen, 28);
	REQUIRE(inet_ntop(AF_INET6, &p.sin6_addr, a, sizeof(a)) != NULL);
	REQUIRE(strcmp(a, peer) == 0);
	REQUIRE_EQ(p.sin6_scope_id, scope);
	REQUIRE_EQ(ntohs(p.sin6_port), PORT);
	REQUIRE_OK(rump_sys_getsockopt(sd.s, IPPROTO_TCP, TCP_INFO, &ti, &tlen));
	REQUIRE_EQ(ti.tcpi_state, TCP_ESTABLISHED);
	REQUIRE_EQ(ti.tcpi_advmss, 1500 - 60);
	REQUIRE_EQ(ti.tcpi_pmtu, 1500);
	/* The SYN-ACK's options, unless the faults took them (a cookie). */
	if (faults == NULL)
		REQUIRE_EQ(ti.tcpi_snd_mss, 1500 - 60 - 12);
	sd.len = len;
	REQUIRE_EQ(pthread_create(&t, NULL, sender, &sd), 0);
	REQUIRE_EQ(rump_sys_read(sd.s, &h, sizeof(h)), sizeof(h));
	REQUIRE_EQ(pthread_join(t, NULL), 0);
	REQUIRE_EQ(h, sd.hash);
	REQUIRE_EQ(rump_sys_read(sd.s, &c, 1), 0);
	REQUIRE_OK(rump_sys_close(sd.s));
}

static void
tshark_check(void)
{
	char cmd[512], line[512], pcap[80];
	FILE *f;
	int syn = 0, fin = 0, rst = 0;

	snprintf(pcap, sizeof(pcap), "%s.pcap", bus);
	snprintf(cmd, sizeof(cmd), "%s -w %s %s >/dev/null", SHMIF_DUMPBUS,
	    pcap, bus);
	REQUIRE_EQ(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tshark -r %s -Y tcp "
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
		if (strstr(line, "[RST") != NULL)
			rst++;
	}
	REQUIRE_EQ(pclose(f), 0);
	/* Two connections, one refused: three SYNs, two SYN-ACKs, one RST. */
	REQUIRE_EQ(syn, 5);
	REQUIRE_EQ(fin, 4);
	REQUIRE_EQ(rst, 1);
	unlink(pcap);
}

/* Fork kernel B, boot A; B's link-local address into ll. */
static pid_t
kernels(int *upp, int *downp, char *ll, size_t llsize)
{
	uint8_t m[6];
	int u[2], d[2];
	pid_t pid;

	snprintf(bus, sizeof(bus), "/tmp/t_tcp6_shmif.%d.bus", (int)getpid());
	unlink(bus);
	REQUIRE_OK(pipe(u));
	REQUIRE_OK(pipe(d));
	fflush(NULL);
	REQUIRE_OK(pid = fork());
	if (pid == 0) {
		close(u[0]);
		close(d[1]);
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		alarm(120);
		if (rump_init() != 0)
			_exit(2);
		server(u[1], d[0]);
		_exit(0);
	}
	close(u[1]);
	close(d[0]);
	REQUIRE_EQ(rump_init(), 0);
	shmif_up("2001:db8::1");
	REQUIRE_EQ(read(u[0], m, 6), 6);
	snprintf(ll, llsize, "fe80::%02x%02x:%02xff:fe%02x:%02x%02x",
	    m[0] ^ 2, m[1], m[2], m[3], m[4], m[5]);
	{
		struct in6_addr a;

		REQUIRE(inet_pton(AF_INET6, ll, &a) == 1);
		REQUIRE(inet_ntop(AF_INET6, &a, ll, (socklen_t)llsize) != NULL);
	}
	*upp = u[0];
	*downp = d[1];
	return pid;
}

/* Tell B to finish; it must exit 0. */
static void
kernels_end(pid_t pid, int up, int down)
{
	int status;

	close(down);
	REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(up);
	unlink(bus);
}

TESTCASE(bus6)
{
	struct sockaddr_in6 s;
	char ll[64];
	int up, down, fd;
	unsigned idx;
	pid_t pid;

	pid = kernels(&up, &down, ll, sizeof(ll));
	idx = shmif0_index();

	transfer("2001:db8::2", 0, 32 << 10, "2001:db8::2");
	/* A link-local peer needs its interface. */
	s = sin6_make(ll, PORT, 0);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    EINVAL);
	REQUIRE_OK(rump_sys_close(fd));
	transfer(ll, idx, 32 << 10, ll);
	/* Nobody on the port: B answers RST. */
	s = sin6_make("2001:db8::2", PORT + 1, 0);
	REQUIRE_OK(fd = rump_sys_socket(AF_INET6, SOCK_STREAM, 0));
	REQUIRE_ERRNO(rump_sys_connect(fd, (struct sockaddr *)&s, sizeof(s)),
	    ECONNREFUSED);
	REQUIRE_OK(rump_sys_close(fd));
	msleep(200);
	tshark_check();

	transfer("2001:db8::2", 0, 16 << 20, "2001:db8::2");
	kernels_end(pid, up, down);
}

TESTCASE(lossy6)
{
	struct tcpstat st;
	struct timespec t0, t1;
	size_t len = sizeof(st);
	char ll[64];
	int up, down;
	pid_t pid;

	faults = FAULTS;
	pid = kernels(&up, &down, ll, sizeof(ll));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	transfer("2001:db8::2", 0, LOSSY_BYTES, "2001:db8::2");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	REQUIRE_EQ(rump_pub_sysctlbyname("net.inet.tcp.stats", &st, &len, NULL,
	    0), 0);
	fprintf(stderr, "lossy6: %d MiB in %.1f s, %llu segments resent, "
	    "%llu SACK resends, %llu bad checksums\n", LOSSY_BYTES >> 20,
	    (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    (unsigned long long)st.tcps_sndrexmitpack,
	    (unsigned long long)st.tcps_sack_rexmits,
	    (unsigned long long)st.tcps_rcvbadsum);
	REQUIRE(st.tcps_sndrexmitpack > 0);
	kernels_end(pid, up, down);
}

TESTS(CASE_NOBOOT(bus6), CASE_NOBOOT(lossy6))
