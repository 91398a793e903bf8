/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Network benchmarks, each side by side with the host's own stack in one
 * run:
 *   boot      rump_init() of a kernel with TCP/IP and shmif (fresh
 *             process per sample), and the resident memory it adds
 *   lo0       TCP bulk throughput and 1-byte request/response round trips
 *             between two processes of one kernel over lo0, against two
 *             threads over the host's loopback; IPv4 (127.0.0.1) and
 *             IPv6 (::1)
 *   shmif     the same between two kernels in two host processes on a
 *             shmif bus, against the host's stack between two network
 *             namespaces joined by a veth pair (made here; needs root,
 *             else the row says so)
 *   many      N kernels in N processes on shmif buses of up to 50 members,
 *             each sending UDP echo requests to a neighbour: the time for
 *             all to boot and be answered, and their proportional memory
 * Prints a Markdown report on stdout.  BENCH_NET_KERNELS sets N (1000);
 * BENCH_NET_TAP_ONLY=1 measures the tap rows alone.
 */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_netconfig.h>
#include <rump/rump_shmif.h>
#include <rump/rump_syscalls.h>

#include "bench_sock.h"
#include "bench_util.h"

#define NS_A        "rumpbenchA"
#define NS_B        "rumpbenchB"

static char tmpdir[] = "/tmp/bench_net.XXXXXX";

static int
r_socket(int d, int t, int p)
{
	return rump_sys_socket(d, t, p);
}

static int
r_bind(int s, const struct sockaddr *a, socklen_t l)
{
	return rump_sys_bind(s, a, l);
}

static int
r_listen(int s, int b)
{
	return rump_sys_listen(s, b);
}

static int
r_accept(int s, struct sockaddr *a, socklen_t *l)
{
	return rump_sys_accept(s, a, l);
}

static int
r_connect(int s, const struct sockaddr *a, socklen_t l)
{
	return rump_sys_connect(s, a, l);
}

static ssize_t
r_read(int fd, void *b, size_t n)
{
	return rump_sys_read(fd, b, n);
}

static ssize_t
r_write(int fd, const void *b, size_t n)
{
	return rump_sys_write(fd, b, n);
}

static int
r_setsockopt(int s, int l, int o, const void *v, socklen_t n)
{
	return rump_sys_setsockopt(s, l, o, v, n);
}

static int
r_shutdown(int s, int how)
{
	return rump_sys_shutdown(s, how);
}

static int
r_close(int fd)
{
	return rump_sys_close(fd);
}

static const struct net_ops rump_ops = {
	r_socket, r_bind, r_listen, r_accept, r_connect, r_read, r_write,
	r_setsockopt, r_shutdown, r_close
};

/* One measured pair: a server and a client, run as the caller arranges. */
struct pair_arg {
	const struct net_ops *ops;
	const char *addr;
	bool bulk, rump;
	int ls;
	pid_t pid;              /* rump: the process of the pair */
	double result;
};

static void *
server_thread(void *v)
{
	struct pair_arg *a = v;

	/* A second thread of the client's process: the listener is there. */
	if (a->rump && rump_pub_lwproc_newlwp(a->pid) != 0)
		die("newlwp");
	serve(a->ops, a->ls, a->bulk);
	if (a->rump)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Server and client as two threads (two processes of a rump kernel). */
static double
run_threads(const struct net_ops *o, const char *addr, bool bulk, bool rump)
{
	struct pair_arg a = { o, addr, bulk, rump, -1, 0, 0 };
	pthread_t t;

	if (rump) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			die("rfork");
		a.pid = rump_sys_getpid();
	}
	a.ls = listen_on(o, addr);
	pthread_create(&t, NULL, server_thread, &a);
	a.result = drive(o, addr, bulk);
	pthread_join(t, NULL);
	o->close(a.ls);
	if (rump)
		rump_pub_lwproc_releaselwp();
	return a.result;
}

/* Boot a kernel on bus with addr/24; 0 or an errno. */
static int
boot_on_bus(const char *bus, const char *addr)
{
	int unit, error;
	char ifname[32];

	if ((error = rump_init()) != 0 ||
	    (error = rump_pub_shmif_create(bus, &unit)) != 0)
		return error;
	snprintf(ifname, sizeof(ifname), "shmif%d", unit);
	if ((error = rump_pub_netconfig_ipv4_ifaddr_cidr(ifname, addr,
	    24)) != 0 || (error = rump_pub_netconfig_ifup(ifname)) != 0)
		return error;
	return 0;
}

/* A child process; its result (a double) comes back through a pipe. */
struct child {
	pid_t pid;
	int fd;
};

static struct child
spawn(void (*fn)(void *, int), void *arg)
{
	struct child c;
	int fds[2];

	fflush(stdout);
	if (pipe(fds) == -1 || (c.pid = fork()) == -1)
		die("fork");
	if (c.pid == 0) {
		close(fds[0]);
		fn(arg, fds[1]);
		_exit(0);
	}
	close(fds[1]);
	c.fd = fds[0];
	return c;
}

static double
reap(struct child c)
{
	double r = -1;
	int st;

	if (read(c.fd, &r, sizeof(r)) != sizeof(r))
		r = -1;
	close(c.fd);
	waitpid(c.pid, &st, 0);
	return r;
}

struct side_arg {
	const char *bus;        /* rump: the bus; host: the namespace */
	const char *self, *peer;
	bool bulk, server, rump;
};

/* Enter the network namespace named ns (made by ip netns add). */
static void
enter_netns(const char *ns)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
	if ((fd = open(path, O_RDONLY)) == -1 || setns(fd, CLONE_NEWNET) == -1)
		die("setns");
	close(fd);
}

static void
side(void *v, int out)
{
	struct side_arg *a = v;
	const struct net_ops *o = a->rump ? &rump_ops : &host_ops;
	double r = 0;
	int ls, error;

	if (a->rump) {
		if ((error = boot_on_bus(a->bus, a->self)) != 0) {
			errno = error;
			die("boot on the bus");
		}
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			die("rfork");
	} else
		enter_netns(a->bus);
	if (a->server) {
		ls = listen_on(o, a->self);
		serve(o, ls, a->bulk);
		o->close(ls);
	} else
		r = drive(o, a->peer, a->bulk);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		die("result");
	if (a->rump)
		rump_sys_reboot(RUMP_RB_HALT, NULL);
}

/* Two processes, a server and a client; the client's figure. */
static double
run_processes(const char *bus, bool bulk, bool rump, const char *sa,
    const char *ca)
{
	struct side_arg s = { bus, sa, ca, bulk, true, rump };
	struct side_arg c = { rump ? bus : NS_B, ca, sa, bulk, false, rump };
	struct child cs, cc;
	double r;

	if (!rump)
		s.bus = NS_A;
	cs = spawn(side, &s);
	cc = spawn(side, &c);
	r = reap(cc);
	reap(cs);
	return r;
}

static bool
veth_setup(void)
{
	if (geteuid() != 0)
		return false;
	return system("ip netns add " NS_A " && ip netns add " NS_B " && "
	    "ip link add rbva type veth peer name rbvb && "
	    "ip link set rbva netns " NS_A " && ip link set rbvb netns " NS_B
	    " && ip -n " NS_A " addr add 10.78.0.1/24 dev rbva && "
	    "ip -n " NS_B " addr add 10.78.0.2/24 dev rbvb && "
	    "ip -n " NS_A " link set rbva up && ip -n " NS_B " link set rbvb up"
	    " && ip -n " NS_A " link set lo up && ip -n " NS_B
	    " link set lo up") == 0;
}

static void
veth_teardown(void)
{
	if (system("ip netns del " NS_A " 2>/dev/null; ip netns del " NS_B
	    " 2>/dev/null") == -1)
		return;
}

static void
row(const char *what, double ours, double peer, const char *unit,
    bool higher_better)
{
	if (peer <= 0) {
		printf("| %s | %.1f %s | (not measured) | - |\n", what, ours,
		    unit);
		return;
	}
	printf("| %s | %.1f %s | %.1f %s | %.2f |\n", what, ours, unit, peer,
	    unit, higher_better ? ours / peer : peer / ours);
}

static void
boot_child(void *v, int out)
{
	double r[2];
	long before = rss_kib();
	uint64_t t0 = now_ns();
	int error;

	(void)v;
	if ((error = rump_init()) != 0) {
		errno = error;
		die("rump_init");
	}
	r[0] = (double)(now_ns() - t0) / 1000;
	r[1] = (double)(rss_kib() - before);
	if (write(out, r, sizeof(r)) != sizeof(r))
		die("result");
}

static void
bench_boot(void)
{
	double best_us = 1e18, rss = 0, r[2];
	struct child c;
	int st;

	for (int i = 0; i < 9; i++) {
		c = spawn(boot_child, NULL);
		if (read(c.fd, r, sizeof(r)) != sizeof(r))
			die("boot sample");
		close(c.fd);
		waitpid(c.pid, &st, 0);
		if (r[0] < best_us)
			best_us = r[0];
		rss = r[1];
	}
	printf("| boot of a kernel with TCP/IP (best of 9) | %.0f us | "
	    "goal 1,000 us |\n", best_us);
	printf("| resident memory it adds | %.0f KiB | goal 1,024 KiB |\n",
	    rss);
}

#define BUS_MEMBERS 50

struct many_arg {
	int index, n;
	int done_fd;
};

/* One of many kernels: echo UDP for a neighbour, ask the next one. */
static void
many_child(void *v, int out)
{
	struct many_arg *a = v;
	int bus = a->index / BUS_MEMBERS, j = a->index % BUS_MEMBERS;
	int members = a->n - bus * BUS_MEMBERS, s, error;
	struct sockaddr_in me, peer, from;
	struct pollfd pfd;
	char path[256], addr[32], buf[16];
	socklen_t fl;
	bool answered = false;
	uint64_t next = 0;

	(void)out;
	if (members > BUS_MEMBERS)
		members = BUS_MEMBERS;
	snprintf(path, sizeof(path), "%s/bus%d", tmpdir, bus);
	snprintf(addr, sizeof(addr), "10.80.%d.%d", bus, j + 1);
	if ((error = boot_on_bus(path, addr)) != 0) {
		errno = error;
		die("boot on the bus");
	}
	rump_pub_lwproc_rfork(RUMP_RFCFDG);
	me = sin_of(addr);
	snprintf(addr, sizeof(addr), "10.80.%d.%d", bus,
	    (j + 1) % members + 1);
	peer = sin_of(addr);
	if ((s = rump_sys_socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    rump_sys_bind(s, (struct sockaddr *)&me, sizeof(me)) == -1)
		die("udp socket");
	pfd.fd = s;
	pfd.events = POLLIN;
	for (;;) {
		if (!answered && now_ns() >= next) {
			rump_sys_sendto(s, "ping", 4, 0,
			    (struct sockaddr *)&peer, sizeof(peer));
			next = now_ns() + 100000000;
		}
		if (rump_sys_poll(&pfd, 1, 100) <= 0)
			continue;
		fl = sizeof(from);
		if (rump_sys_recvfrom(s, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fl) != 4)
			continue;
		if (memcmp(buf, "ping", 4) == 0)
			rump_sys_sendto(s, "pong", 4, 0,
			    (struct sockaddr *)&from, fl);
		else if (!answered && memcmp(buf, "pong", 4) == 0) {
			answered = true;
			if (write(a->done_fd, "x", 1) != 1)
				die("done");
		}
	}
}

static long
pss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "Pss: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void
bench_many(int n)
{
	struct many_arg a = { 0, n, -1 };
	struct child *c = calloc((size_t)n, sizeof(*c));
	uint64_t t0 = now_ns(), secs;
	long pss = 0;
	int done[2], got = 0;
	struct pollfd pfd;
	char x;

	if (c == NULL || pipe(done) == -1)
		die("many");
	a.done_fd = done[1];
	for (int i = 0; i < n; i++) {
		a.index = i;
		c[i] = spawn(many_child, &a);
	}
	pfd.fd = done[0];
	pfd.events = POLLIN;
	while (got < n && poll(&pfd, 1, 120000) == 1 &&
	    read(done[0], &x, 1) == 1)
		got++;
	secs = now_ns() - t0;
	for (int i = 0; i < n; i++)
		pss += pss_kib(c[i].pid);
	for (int i = 0; i < n; i++) {
		kill(c[i].pid, SIGKILL);
		close(c[i].fd);
		waitpid(c[i].pid, NULL, 0);
	}
	close(done[0]);
	close(done[1]);
	printf("| %d kernels in %d processes on %d shmif buses, each answered "
	    "by a neighbour | %d answered in %.1f s | %.0f MiB in all, "
	    "%.0f KiB each (Pss) |\n", n, n, (n + BUS_MEMBERS - 1) / BUS_MEMBERS,
	    got, (double)secs / 1e9, (double)pss / 1024,
	    (double)pss / n);
	free(c);
}

struct lo0_arg {
	bool bulk;
	const char *addr;
};

static void
lo0_child(void *v, int out)
{
	const struct lo0_arg *a = v;
	double r;

	if (rump_init() != 0)
		die("rump_init");
	r = run_threads(&rump_ops, a->addr, a->bulk, true);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		die("result");
}

static double
run_lo0(bool bulk, const char *addr)
{
	struct lo0_arg a = { bulk, addr };

	return reap(spawn(lo0_child, &a));
}

/*
 * Against Linux over a tap: our kernel (virtif) and lwIP (its tap port)
 * each send to the same Linux server in the namespace NS_A, and Linux
 * itself does from NS_B over the veth pair.  Each client does a bulk
 * transfer, then round trips; the server takes them in turn.
 */
#define TAP_CLIENTS 3

struct tap_result {
	double bulk, rr, cpu;           /* MiB/s, us, CPU s per GiB sent */
};

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
tap_server(void *v, int out)
{
	int ls;

	(void)v;
	enter_netns(NS_A);
	ls = listen_on(&host_ops, "0.0.0.0");
	if (write(out, "", 1) != 1)
		die("ready");
	for (int i = 0; i < TAP_CLIENTS; i++) {
		serve(&host_ops, ls, true);
		serve(&host_ops, ls, false);
	}
	close(ls);
}

static void
tap_ours(void *v, int out)
{
	struct tap_result r;
	int error;
	double cpu;

	(void)v;
	enter_netns(NS_A);
	if ((error = rump_init()) != 0 ||
	    (error = rump_pub_netconfig_ifcreate("virt0")) != 0 ||
	    (error = rump_pub_netconfig_ifsetlinkstr("virt0", "rbt0")) != 0 ||
	    (error = rump_pub_netconfig_ipv4_ifaddr_cidr("virt0", "10.96.0.2",
	    24)) != 0 || (error = rump_pub_netconfig_ifup("virt0")) != 0) {
		errno = error;
		die("virt0 on rbt0");
	}
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		die("rfork");
	cpu = cpu_seconds();
	r.bulk = drive(&rump_ops, "10.96.0.1", true);
	r.cpu = (cpu_seconds() - cpu) / ((double)BULK_BYTES / (1 << 30));
	r.rr = drive(&rump_ops, "10.96.0.1", false);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		die("result");
}

static void
tap_linux(void *v, int out)
{
	struct tap_result r = { 0, 0, -1 };

	(void)v;
	enter_netns(NS_B);
	r.bulk = drive(&host_ops, "10.78.0.1", true);
	r.rr = drive(&host_ops, "10.78.0.1", false);
	if (write(out, &r, sizeof(r)) != sizeof(r))
		die("result");
}

/* lwIP's client is its own program (its names would clash with ours). */
static void
tap_lwip(void *v, int out)
{
	struct tap_result r = { 0, 0, 0 };
	char line[128] = "";
	FILE *f;

	(void)v;
#ifdef BENCH_TAP_LWIP
	enter_netns(NS_A);
	if ((f = popen(BENCH_TAP_LWIP " rbt1 10.95.0.2/24 10.95.0.1", "r")) ==
	    NULL || fgets(line, sizeof(line), f) == NULL ||
	    sscanf(line, "%lf %lf %lf", &r.bulk, &r.rr, &r.cpu) != 3)
		r.bulk = 0;
	if (f != NULL)
		pclose(f);
#else
	(void)f;
	(void)line;
#endif
	if (write(out, &r, sizeof(r)) != sizeof(r))
		die("result");
}

static struct tap_result
tap_run(void (*fn)(void *, int))
{
	struct tap_result r = { 0, 0, 0 };
	struct child c = spawn(fn, NULL);

	if (read(c.fd, &r, sizeof(r)) != sizeof(r))
		r.bulk = 0;
	close(c.fd);
	waitpid(c.pid, NULL, 0);
	return r;
}

static bool
tap_setup(void)
{
	return system("ip -n " NS_A " tuntap add dev rbt0 mode tap && "
	    "ip -n " NS_A " addr add 10.96.0.1/24 dev rbt0 && "
	    "ip -n " NS_A " link set rbt0 up && "
	    "ip -n " NS_A " tuntap add dev rbt1 mode tap && "
	    "ip -n " NS_A " addr add 10.95.0.1/24 dev rbt1 && "
	    "ip -n " NS_A " link set rbt1 up") == 0;
}

static void
bench_tap(void)
{
	struct tap_result ours, lwip, lnx;
	struct child srv;
	char c;

	if (!tap_setup()) {
		printf("\n(tap rows not measured: no tap devices here)\n");
		return;
	}
	srv = spawn(tap_server, NULL);
	if (read(srv.fd, &c, 1) != 1)
		die("tap server");
	ours = tap_run(tap_ours);
	lwip = tap_run(tap_lwip);
	lnx = tap_run(tap_linux);
	close(srv.fd);
	kill(srv.pid, SIGKILL);
	waitpid(srv.pid, NULL, 0);
	printf("\n| against Linux over a tap | ours (virtif) | lwIP (tapif) "
	    "| Linux over veth | ours/lwIP | ours/Linux |\n"
	    "|---|---|---|---|---|---|\n");
	printf("| TCP bulk, MiB/s | %.1f | %.1f | %.1f | %.2f | %.2f |\n",
	    ours.bulk, lwip.bulk, lnx.bulk,
	    lwip.bulk > 0 ? ours.bulk / lwip.bulk : 0,
	    lnx.bulk > 0 ? ours.bulk / lnx.bulk : 0);
	printf("| 1-byte round trip, us | %.1f | %.1f | %.1f | %.2f | %.2f |\n",
	    ours.rr, lwip.rr, lnx.rr, ours.rr > 0 ? lwip.rr / ours.rr : 0,
	    ours.rr > 0 ? lnx.rr / ours.rr : 0);
	printf("| sender's CPU s per GiB | %.2f | %.2f | (in Linux's kernel) | "
	    "%.2f | - |\n", ours.cpu, lwip.cpu,
	    ours.cpu > 0 ? lwip.cpu / ours.cpu : 0);
	printf("\nRatios above 1 favour ours (for round trips and CPU, the "
	    "peer's over ours).  Goals: ahead of lwIP on every row, and at "
	    "least 0.5 of Linux-to-Linux throughput.\n");
}

int
main(void)
{
	const char *env = getenv("BENCH_NET_KERNELS");
	int nkernels = env != NULL ? atoi(env) : 1000;
	char bus[300];
	bool veth;
	double ours, peer;

	if (mkdtemp(tmpdir) == NULL)
		die("mkdtemp");
	snprintf(bus, sizeof(bus), "%s/bus", tmpdir);
	printf("## Networking (bench_net)\n\n");
	if (getenv("BENCH_NET_TAP_ONLY") != NULL) {
		veth_teardown();
		if (veth_setup())
			bench_tap();
		veth_teardown();
		return 0;
	}
	printf("| measure | ours | peer | ours/peer |\n|---|---|---|---|\n");
	ours = run_lo0(true, "127.0.0.1");
	peer = run_threads(&host_ops, "127.0.0.1", true, false);
	row("TCP bulk over loopback (ours lo0, peer host lo)", ours, peer,
	    "MiB/s", true);
	ours = run_lo0(false, "127.0.0.1");
	peer = run_threads(&host_ops, "127.0.0.1", false, false);
	row("1-byte request/response over loopback, round trip", ours, peer,
	    "us", false);
	ours = run_lo0(true, "::1");
	peer = run_threads(&host_ops, "::1", true, false);
	row("TCP bulk over IPv6 loopback ::1 (ours lo0, peer host lo)", ours,
	    peer, "MiB/s", true);
	ours = run_lo0(false, "::1");
	peer = run_threads(&host_ops, "::1", false, false);
	row("1-byte request/response over ::1, round trip", ours, peer, "us",
	    false);
	veth_teardown();
	veth = veth_setup();
	ours = run_processes(bus, true, true, "10.77.0.1", "10.77.0.2");
	peer = veth ? run_processes(NULL, true, false, "10.78.0.1",
	    "10.78.0.2") : 0;
	row("TCP bulk between two processes (ours shmif, peer veth pair)",
	    ours, peer, "MiB/s", true);
	unlink(bus);
	ours = run_processes(bus, false, true, "10.77.0.1", "10.77.0.2");
	peer = veth ? run_processes(NULL, false, false, "10.78.0.1",
	    "10.78.0.2") : 0;
	row("1-byte request/response between two processes, round trip",
	    ours, peer, "us", false);
	printf("\nThe ratio is ours/peer for throughput and peer/ours for "
	    "round trips: above 1 is faster than the host.  Goals: shmif bulk "
	    ">= 0.5, loopback bulk >= 0.7, round trips >= 0.5.\n");
	if (veth)
		bench_tap();
	veth_teardown();
	printf("\n");
	printf("| measure | ours | goal |\n|---|---|---|\n");
	bench_boot();
	printf("\n| many kernels | time | memory |\n|---|---|---|\n");
	if (nkernels > 0)
		bench_many(nkernels);
	snprintf(bus, sizeof(bus), "rm -rf '%s'", tmpdir);
	return system(bus) == 0 ? 0 : 1;
}
