/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The client side of a served kernel: the connections to rump_server, a
 * system call's conversation over one (sp_proto.h), fork and exec
 * keeping the kernel process.  The stubs rump_sys_* (rumpclient_syscalls.c,
 * generated from syscalls.master) all come through rumpclient__call().
 *
 * Each thread has a connection of its own, so a thread blocked in a
 * slow call (accept, a read of an empty pipe) holds up no other: the
 * thread that calls rumpclient_init() makes the process (SP_HELLO_NEW,
 * which answers with the process's cookie), and every other thread joins
 * it with the cookie on its first call (SP_HELLO_JOIN), as one more lwp
 * of the process.  A thread's connection closes when the thread exits;
 * the process ends with its last connection.  rc_gen changes whenever
 * the process does (init, close, a fork's child), and a thread's
 * connection of an older generation is closed rather than used.
 *
 * On a Unix socket a connection asks for the shared-memory transport
 * (sp_shm.h) right after its hello, unless $RUMPCLIENT_TRANSPORT is
 * "socket": the frames then go through a region mapped by both sides,
 * and the socket only says whether the server is still there.
 *
 * The server names client memory by address.  Reads go through
 * process_vm_readv() on this process, so a bad address is EFAULT for the
 * server, not a crash here; writes are recv() straight into place, which
 * the host kernel fails with EFAULT as well, or process_vm_writev() from
 * the shared region.
 *
 * Reconnecting (rumpclient_setconnretry()): a call that finds the
 * process's connection gone makes a new process on the server (the old
 * one's descriptors are gone with it), once or until the retry time has
 * passed; the call whose connection broke under it is still EIO.
 *
 * Locking: rc_lock guards the process's globals (rc_*); a thread's own
 * connection (tl_*) is used without it.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/param.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"
#include "sp_io.h"
#include "sp_proto.h"
#include "sp_shm.h"

#define EXECFD_ENV     "RUMPCLIENT__EXECFD"
#define EXECSHM_ENV    "RUMPCLIENT__EXECSHM"
#define EXECPID_ENV    "RUMPCLIENT__EXECPID"
#define EXECCOOKIE_ENV "RUMPCLIENT__EXECCOOKIE"
#define RC_RETRY_PAUSE 100000 /* us between two attempts to reconnect */

struct rumpclient_fork {
	uint8_t rf_cookie[SP_COOKIELEN];
};

/* One connection: a thread's, stable while it has it. */
struct rc_conn {
	int cn_fd;             /* the socket */
	int cn_memfd;          /* the shared region's memfd, or -1 */
	struct sp_shm *cn_shm; /* the region, or NULL: frames on the socket */
	struct sp_spin cn_spin;
};

static pthread_mutex_t rc_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long rc_gen = 1;        /* rc_lock */
static bool rc_havecookie;              /* rc_lock: a process to join */
static uint8_t rc_cookie[SP_COOKIELEN]; /* rc_lock */
static pid_t rc_pid;                    /* rc_lock: the pid in the kernel */
static pid_t rc_hostpid;                /* rc_lock: whose connections */
static struct rc_conn **rc_conns;       /* rc_lock: every connection */
static size_t rc_nconns, rc_conncap;    /* rc_lock */
static bool rc_wanted;       /* rc_lock: initialised and not closed */
static time_t rc_retry;      /* rc_lock (read atomically): setconnretry */
static pthread_key_t rc_key; /* closes a thread's connection */
static pthread_once_t rc_once = PTHREAD_ONCE_INIT;
static bool rc_novm; /* atomic: process_vm_readv is refused */

static __thread struct rc_conn *tl_conn;
static __thread unsigned long tl_gen;

/*
 * This process's pid for process_vm_*() on itself, without a getpid()
 * system call each time (the C library no longer keeps it); a fork's
 * child forgets it.
 */
static pid_t rc_self; /* atomic */
static pthread_once_t rc_self_once = PTHREAD_ONCE_INIT;

static void
rc_self_forget(void)
{
	__atomic_store_n(&rc_self, 0, __ATOMIC_RELAXED);
}

static void
rc_self_init(void)
{
	pthread_atfork(NULL, NULL, rc_self_forget);
}

static pid_t
rc_selfpid(void)
{
	pid_t pid = __atomic_load_n(&rc_self, __ATOMIC_RELAXED);

	if (__builtin_expect(pid == 0, 0)) {
		pthread_once(&rc_self_once, rc_self_init);
		pid = getpid();
		__atomic_store_n(&rc_self, pid, __ATOMIC_RELAXED);
	}
	return pid;
}

/* Read len bytes of this process at addr: 0 or EFAULT. */
static int
rc_peek(void *dst, uint64_t addr, size_t len)
{
	struct iovec local = {dst, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n;

	if (!__atomic_load_n(&rc_novm, __ATOMIC_RELAXED)) {
		n = process_vm_readv(rc_selfpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return EFAULT;
		/* Refused (a seccomp filter, no such call): copy directly. */
		__atomic_store_n(&rc_novm, true, __ATOMIC_RELAXED);
	}
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

/* Write len bytes to this process at addr: 0 or EFAULT. */
static int
rc_poke(uint64_t addr, const void *src, size_t len)
{
	struct iovec local = {(void *)(uintptr_t)src, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n;

	if (!__atomic_load_n(&rc_novm, __ATOMIC_RELAXED)) {
		n = process_vm_writev(rc_selfpid(), &local, 1, &remote, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return EFAULT;
		__atomic_store_n(&rc_novm, true, __ATOMIC_RELAXED);
	}
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

/*
 * Up to max bytes of this process at addr, as many as are readable
 * from the start (a page at a time: process_vm_readv() stops at the
 * first element it cannot read, but does not split one).
 */
static size_t
rc_peek_ahead(char *dst, uint64_t addr, size_t max)
{
	struct iovec local = {dst, max}, remote[SP_SHM_COPYMAX / 4096 + 2];
	size_t off = 0, chunk, page = 4096;
	int n = 0;
	ssize_t got;

	if (max == 0 || __atomic_load_n(&rc_novm, __ATOMIC_RELAXED))
		return 0;
	for (; off < max; off += chunk) {
		chunk = page - (size_t)((addr + off) % page);
		if (chunk > max - off)
			chunk = max - off;
		remote[n++] =
		    (struct iovec){(void *)(uintptr_t)(addr + off), chunk};
	}
	got = process_vm_readv(rc_selfpid(), &local, 1, remote,
	                       (unsigned long)n, 0);
	return got > 0 ? (size_t)got : 0;
}

/*
 * What SP_COPYIN or SP_COPYINSTR h asks for, into buf (room for
 * h->sh_arg1 + ahead bytes; a copyin's read-ahead, ahead, may stop
 * short): 0, EFAULT or ENAMETOOLONG; *plenp bytes to send.
 */
static int
rc_fetch(const struct sp_hdr *h, char *buf, size_t ahead, size_t *plenp)
{
	size_t len = h->sh_arg1, off = 0, chunk, page = 4096;
	uint64_t addr = h->sh_arg0;
	char *nul;

	*plenp = 0;
	if (h->sh_type == SP_COPYIN) {
		if (rc_peek(buf, addr, len) != 0)
			return EFAULT;
		*plenp = len + rc_peek_ahead(buf + len, addr + len, ahead);
		return 0;
	}
	/* A string: page by page, as the next page may not be mapped. */
	for (;;) {
		chunk = page - (size_t)((addr + off) % page);
		if (chunk > len - off)
			chunk = len - off;
		if (rc_peek(buf + off, addr + off, chunk) != 0)
			return EFAULT;
		if ((nul = memchr(buf + off, '\0', chunk)) != NULL) {
			*plenp = (size_t)(nul - buf) + 1;
			return 0;
		}
		if ((off += chunk) == len) {
			*plenp = len;
			return ENAMETOOLONG;
		}
	}
}

/* SP_COPYIN and SP_COPYINSTR: answer from this process's memory. */
static int
rc_copyin(int fd, const struct sp_hdr *h)
{
	size_t len = h->sh_arg1, plen;
	char *buf;
	int error;

	if (len == 0 || len > SP_COPYMAX || h->sh_len != SP_HDRLEN)
		return EPROTO;
	if ((buf = malloc(len)) == NULL)
		return sp_io_send(fd, SP_COPYDATA, EFAULT, 0, 0, 0, NULL, 0);
	error = rc_fetch(h, buf, 0, &plen);
	error = sp_io_send(fd, SP_COPYDATA, error, 0, 0,
	                   h->sh_type == SP_COPYIN ? plen : 0, buf, plen);
	free(buf);
	return error;
}

/* SP_COPYOUT: the payload goes straight into place.  *faultp on EFAULT. */
static int
rc_copyout(int fd, const struct sp_hdr *h, bool *faultp)
{
	size_t len = h->sh_len - SP_HDRLEN;
	char *p = (char *)(uintptr_t)h->sh_arg0, scratch[4096];
	ssize_t n;

	if (len != h->sh_arg1 || len > SP_COPYMAX)
		return EPROTO;
	while (len > 0) {
		n = *faultp ? recv(fd, scratch, MIN(len, sizeof(scratch)), 0)
		            : recv(fd, p, len, MSG_WAITALL);
		if (n == 0)
			return EPIPE;
		if (n < 0) {
			if (errno == EFAULT && !*faultp)
				*faultp = true;
			else if (errno != EINTR)
				return errno;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Unmap and close what a connection holds. */
static void
rc_conn_free(struct rc_conn *cn)
{
	if (cn->cn_shm != NULL)
		munmap(cn->cn_shm, SP_SHM_SIZE);
	if (cn->cn_memfd >= 0)
		close(cn->cn_memfd);
	close(cn->cn_fd);
	free(cn);
}

static void
rc_conn_forget(struct rc_conn *cn)
{
	for (size_t i = 0; i < rc_nconns; i++)
		if (rc_conns[i] == cn) {
			rc_conns[i] = rc_conns[--rc_nconns];
			break;
		}
}

/* A thread ends: its connection (the key's value) closes. */
static void
rc_thread_exit(void *v)
{
	struct rc_conn *cn = v;

	pthread_mutex_lock(&rc_lock);
	rc_conn_forget(cn);
	pthread_mutex_unlock(&rc_lock);
	rc_conn_free(cn);
}

static void
rc_key_init(void)
{
	pthread_key_create(&rc_key, rc_thread_exit);
}

/* Make cn the calling thread's connection; rc_lock held. */
static int
rc_conn_set(struct rc_conn *cn)
{
	struct rc_conn **n;

	if (rc_nconns == rc_conncap) {
		if ((n = realloc(rc_conns, (rc_conncap + 16) * sizeof(*n))) ==
		    NULL)
			return ENOMEM;
		rc_conns = n;
		rc_conncap += 16;
	}
	rc_conns[rc_nconns++] = cn;
	tl_conn = cn;
	tl_gen = rc_gen;
	pthread_once(&rc_once, rc_key_init);
	pthread_setspecific(rc_key, cn);
	return 0;
}

/* Close the calling thread's connection; rc_lock held. */
static void
rc_conn_drop(void)
{
	if (tl_conn == NULL)
		return;
	rc_conn_forget(tl_conn);
	rc_conn_free(tl_conn);
	tl_conn = NULL;
	pthread_once(&rc_once, rc_key_init);
	pthread_setspecific(rc_key, NULL);
}

/*
 * End every connection of the process; rc_lock held.  Another thread's
 * is shut down (it closes its own when it next looks); in a forked
 * child they are copies of the parent's and are only closed.
 */
static void
rc_conn_dropall(void)
{
	bool mine = rc_hostpid == getpid();

	rc_conn_drop();
	for (size_t i = 0; i < rc_nconns; i++) {
		if (mine)
			shutdown(rc_conns[i]->cn_fd, SHUT_RDWR);
		else
			rc_conn_free(rc_conns[i]);
	}
	rc_nconns = 0;
	rc_havecookie = false;
	__atomic_add_fetch(&rc_gen, 1, __ATOMIC_RELEASE);
}

/*
 * One system call's conversation on a socket: 0 or an errno.  *brokenp
 * when the connection broke (ENOTCONN: the call was not sent; EIO:
 * during it), as opposed to the kernel's own ENOTCONN or EIO.
 */
static int
rc_sock_call(int fd, int num, const register_t *regs, int nregs, register_t *rv,
             bool *brokenp)
{
	bool fault = false;
	struct sp_hdr h;
	int error;

	*brokenp = true;
	if (sp_io_send(fd, SP_SYSCALL, 0, num, 0, 0, regs,
	               (size_t)nregs * sizeof(*regs)) != 0)
		return ENOTCONN;
	for (;;) {
		if (sp_io_read(fd, &h, sizeof(h)) != 0 || h.sh_len < SP_HDRLEN)
			return EIO;
		switch (h.sh_type) {
		case SP_SYSCALL:
			if (h.sh_len != SP_HDRLEN)
				return EIO;
			*brokenp = false;
			*rv = (register_t)h.sh_arg0;
			error = h.sh_error;
			return error == 0 && fault ? EFAULT : error;
		case SP_COPYIN:
		case SP_COPYINSTR:
			error = rc_copyin(fd, &h);
			break;
		case SP_COPYOUT:
			error = rc_copyout(fd, &h, &fault);
			break;
		default:
			error = EPROTO;
			break;
		}
		if (error != 0)
			return EIO;
	}
}

/* Give the server the frame whose payload is in place in ss_data. */
static void
rc_shm_send(struct rc_conn *cn, int type, int error, int num, uint64_t arg1,
            size_t plen)
{
	struct sp_shm *s = cn->cn_shm;
	struct sp_hdr h = {.sh_len = (uint32_t)(SP_HDRLEN + plen),
	                   .sh_type = (uint16_t)type,
	                   .sh_error = error,
	                   .sh_num = num,
	                   .sh_arg1 = arg1};

	memcpy(s->ss_data, &h, SP_HDRLEN);
	__atomic_store_n(&s->ss_len, h.sh_len, __ATOMIC_RELAXED);
	sp_shm_give(s, 0, cn->cn_fd);
}

/*
 * A turn's copyouts, written with one process_vm_writev() (one system
 * call, not one per block of a large read).  It stops at the first
 * element it cannot write: then each is written on its own, so that
 * every good one is, and a bad one makes the call's result EFAULT.
 */
#define RC_OUTBATCH 64

struct rc_outbatch {
	struct iovec ob_local[RC_OUTBATCH], ob_remote[RC_OUTBATCH];
	int ob_n;
	size_t ob_len;
};

static void
rc_outbatch_flush(struct rc_outbatch *ob, bool *faultp)
{
	ssize_t n = -1;

	if (ob->ob_n == 0)
		return;
	if (!__atomic_load_n(&rc_novm, __ATOMIC_RELAXED))
		n = process_vm_writev(rc_selfpid(), ob->ob_local,
		                      (unsigned long)ob->ob_n, ob->ob_remote,
		                      (unsigned long)ob->ob_n, 0);
	if (n < 0 || (size_t)n != ob->ob_len)
		for (int i = 0; i < ob->ob_n; i++)
			if (rc_poke(
			        (uint64_t)(uintptr_t)ob->ob_remote[i].iov_base,
			        ob->ob_local[i].iov_base,
			        ob->ob_local[i].iov_len) != 0)
				*faultp = true;
	ob->ob_n = 0;
	ob->ob_len = 0;
}

static void
rc_outbatch_add(struct rc_outbatch *ob, uint64_t addr, const char *src,
                size_t len, bool *faultp)
{
	if (ob->ob_n == RC_OUTBATCH)
		rc_outbatch_flush(ob, faultp);
	ob->ob_local[ob->ob_n] = (struct iovec){(void *)(uintptr_t)src, len};
	ob->ob_remote[ob->ob_n] = (struct iovec){(void *)(uintptr_t)addr, len};
	ob->ob_n++;
	ob->ob_len += len;
}

/*
 * The server's turns after a request, until one ends with a frame of
 * type (its header in *h, its payload, at most SP_COOKIELEN bytes, in
 * payload), applying copyouts and answering copy requests on the way.
 * 0, ENOTCONN (the server went before it took the request) or EIO.
 */
static int
rc_shm_converse(struct rc_conn *cn, int type, struct sp_hdr *h,
                uint8_t *payload, bool *faultp)
{
	struct sp_shm *s = cn->cn_shm;
	struct rc_outbatch ob = {.ob_n = 0};
	bool first = true;
	size_t len, off, plen;
	int error;

	for (;; first = false) {
		if (sp_shm_wait(s, 0, &cn->cn_spin, cn->cn_fd) != 0)
			/* The server zeroes ss_len when it takes a request. */
			return first && __atomic_load_n(&s->ss_len,
			                                __ATOMIC_RELAXED) != 0
			           ? ENOTCONN
			           : EIO;
		len = __atomic_load_n(&s->ss_len, __ATOMIC_RELAXED);
		if (len > SP_SHM_DATALEN)
			return EIO;
		for (off = 0;;) {
			if (off == len) {
				/* Copyouts only: an empty turn back. */
				rc_outbatch_flush(&ob, faultp);
				__atomic_store_n(&s->ss_len, 0,
				                 __ATOMIC_RELAXED);
				sp_shm_give(s, 0, cn->cn_fd);
				break;
			}
			if (len - off < SP_HDRLEN)
				return EIO;
			memcpy(h, s->ss_data + off, SP_HDRLEN);
			if (h->sh_len < SP_HDRLEN || h->sh_len > len - off)
				return EIO;
			plen = h->sh_len - SP_HDRLEN;
			if (h->sh_type == SP_COPYOUT) {
				if (plen != h->sh_arg1)
					return EIO;
				if (plen > 0)
					rc_outbatch_add(&ob, h->sh_arg0,
					                s->ss_data + off +
					                    SP_HDRLEN,
					                plen, faultp);
				off += h->sh_len;
				continue;
			}
			if (off + h->sh_len != len)
				return EIO;
			rc_outbatch_flush(&ob, faultp);
			if (h->sh_type == type) {
				if (plen > SP_COOKIELEN)
					return EIO;
				memcpy(payload, s->ss_data + off + SP_HDRLEN,
				       plen);
				return 0;
			}
			if ((h->sh_type != SP_COPYIN &&
			     h->sh_type != SP_COPYINSTR) ||
			    plen != 0 || h->sh_arg1 == 0 || h->sh_num < 0 ||
			    h->sh_arg1 + (uint64_t)h->sh_num > SP_SHM_COPYMAX)
				return EIO;
			error = rc_fetch(
			    h, s->ss_data + SP_HDRLEN,
			    h->sh_type == SP_COPYIN ? (size_t)h->sh_num : 0,
			    &plen);
			rc_shm_send(cn, SP_COPYDATA, error, 0,
			            h->sh_type == SP_COPYIN ? plen : 0, plen);
			break;
		}
	}
}

/* rc_sock_call()'s work through the shared region. */
static int
rc_shm_call(struct rc_conn *cn, int num, const register_t *regs, int nregs,
            register_t *rv, bool *brokenp)
{
	uint8_t payload[SP_COOKIELEN];
	bool fault = false;
	struct sp_hdr h;
	int error;

	*brokenp = true;
	if (nregs > 0)
		memcpy(cn->cn_shm->ss_data + SP_HDRLEN, regs,
		       (size_t)nregs * sizeof(*regs));
	rc_shm_send(cn, SP_SYSCALL, 0, num, 0, (size_t)nregs * sizeof(*regs));
	if ((error = rc_shm_converse(cn, SP_SYSCALL, &h, payload, &fault)) != 0)
		return error;
	if (h.sh_len != SP_HDRLEN)
		return EIO;
	*brokenp = false;
	*rv = (register_t)h.sh_arg0;
	return h.sh_error == 0 && fault ? EFAULT : h.sh_error;
}

/* SP_PREFORK: 0 and the cookie, or an errno; *brokenp as rc_sock_call. */
static int
rc_prefork(struct rc_conn *cn, uint8_t *cookie, bool *brokenp)
{
	bool fault = false;
	struct sp_hdr h;

	*brokenp = true;
	if (cn->cn_shm != NULL) {
		rc_shm_send(cn, SP_PREFORK, 0, 0, 0, 0);
		if (rc_shm_converse(cn, SP_PREFORK, &h, cookie, &fault) != 0)
			return EIO;
	} else if (sp_io_send(cn->cn_fd, SP_PREFORK, 0, 0, 0, 0, NULL, 0) !=
	               0 ||
	           sp_io_read(cn->cn_fd, &h, sizeof(h)) != 0 ||
	           h.sh_type != SP_PREFORK)
		return EIO;
	if ((h.sh_error == 0 && h.sh_len != SP_HDRLEN + SP_COOKIELEN) ||
	    (h.sh_error != 0 && h.sh_len != SP_HDRLEN))
		return EIO;
	if (h.sh_error == 0 && cn->cn_shm == NULL &&
	    sp_io_read(cn->cn_fd, cookie, SP_COOKIELEN) != 0)
		return EIO;
	*brokenp = false;
	return h.sh_error;
}

/* A socket connected to $RUMP_SERVER, or -1 with errno set. */
static int
rc_connect(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct sockaddr_in sin = {.sin_family = AF_INET};
	const char *url = getenv("RUMP_SERVER"), *colon;
	char host[64], *end;
	unsigned long port;
	int fd, one = 1, error;

	if (url == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (strncmp(url, "unix://", 7) == 0) {
		if (url[7] == '\0' || strlen(url + 7) >= sizeof(sun.sun_path)) {
			errno = EINVAL;
			return -1;
		}
		strcpy(sun.sun_path, url + 7);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
	} else if (strncmp(url, "tcp://", 6) == 0) {
		url += 6;
		if ((colon = strrchr(url, ':')) == NULL ||
		    (size_t)(colon - url) >= sizeof(host)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(host, url, (size_t)(colon - url));
		host[colon - url] = '\0';
		port = strtoul(colon + 1, &end, 10);
		if (colon[1] == '\0' || *end != '\0' || port > 65535 ||
		    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
			errno = EINVAL;
			return -1;
		}
		sin.sin_port = htons((uint16_t)port);
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return fd;
	} else {
		errno = EINVAL;
		return -1;
	}
	error = errno;
	close(fd);
	errno = error;
	return -1;
}

/*
 * After the hello on a Unix socket: ask for the shared region, unless
 * $RUMPCLIENT_TRANSPORT says "socket".  0 (with the region, or on the
 * socket if the server declined), or an errno: the connection is lost.
 */
static int
rc_shm_setup(struct rc_conn *cn)
{
	const char *t = getenv("RUMPCLIENT_TRANSPORT"),
	           *url = getenv("RUMP_SERVER");
	struct sp_hdr h;
	struct stat st;
	void *p;
	int mfd;

	if ((t != NULL && strcmp(t, "socket") == 0) || url == NULL ||
	    strncmp(url, "unix://", 7) != 0)
		return 0;
	if (sp_io_send(cn->cn_fd, SP_SHMSETUP, 0, 0, 0, 0, NULL, 0) != 0 ||
	    sp_io_read_fd(cn->cn_fd, &h, sizeof(h), &mfd) != 0)
		return ECONNRESET;
	if (h.sh_type != SP_SHMSETUP || h.sh_len != SP_HDRLEN ||
	    (h.sh_error == 0 && mfd < 0)) {
		if (mfd >= 0)
			close(mfd);
		return EPROTO;
	}
	if (h.sh_error != 0) {
		if (mfd >= 0)
			close(mfd);
		return 0;
	}
	if (h.sh_arg0 != SP_SHM_SIZE || fstat(mfd, &st) != 0 ||
	    st.st_size != SP_SHM_SIZE ||
	    (p = mmap(NULL, SP_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	              mfd, 0)) == MAP_FAILED) {
		close(mfd);
		return EPROTO;
	}
	cn->cn_memfd = mfd;
	cn->cn_shm = p;
	sp_shm_spin_init(&cn->cn_spin);
	return 0;
}

/*
 * Connect and say hello (kind, payload); 0 with *cnp, the pid and the
 * process's cookie, or an errno.
 */
static int
rc_hello(int kind, const void *payload, size_t plen, struct rc_conn **cnp,
         pid_t *pidp, uint8_t *cookie)
{
	struct rc_conn *cn;
	struct sp_hdr h;
	int fd, error;

	if ((fd = rc_connect()) < 0)
		return errno;
	if ((error = sp_io_send(fd, SP_HELLO, 0, SP_VERSION, (uint64_t)kind, 0,
	                        payload, plen)) != 0 ||
	    (error = sp_io_read(fd, &h, sizeof(h))) != 0) {
		close(fd);
		return error == EPIPE ? ECONNRESET : error;
	}
	if (h.sh_type != SP_HELLO ||
	    (h.sh_error == 0 && h.sh_len != SP_HDRLEN + SP_COOKIELEN) ||
	    (h.sh_error != 0 && h.sh_len != SP_HDRLEN)) {
		close(fd);
		return EPROTO;
	}
	if (h.sh_error != 0) {
		close(fd);
		return h.sh_error;
	}
	if ((error = sp_io_read(fd, cookie, SP_COOKIELEN)) != 0) {
		close(fd);
		return ECONNRESET;
	}
	if ((cn = calloc(1, sizeof(*cn))) == NULL) {
		close(fd);
		return ENOMEM;
	}
	cn->cn_fd = fd;
	cn->cn_memfd = -1;
	if ((error = rc_shm_setup(cn)) != 0) {
		rc_conn_free(cn);
		return error;
	}
	*cnp = cn;
	*pidp = (pid_t)h.sh_arg0;
	return 0;
}

/* A new process for this host process, as the calling thread's; rc_lock. */
static int
rc_newproc(int kind, const void *payload, size_t plen)
{
	uint8_t cookie[SP_COOKIELEN];
	struct rc_conn *cn;
	pid_t pid;
	int error;

	rc_conn_dropall();
	if ((error = rc_hello(kind, payload, plen, &cn, &pid, cookie)) != 0)
		return error;
	memcpy(rc_cookie, cookie, SP_COOKIELEN);
	rc_pid = pid;
	rc_hostpid = getpid();
	rc_havecookie = true;
	if ((error = rc_conn_set(cn)) != 0) {
		rc_conn_free(cn);
		rc_havecookie = false;
	}
	return error;
}

static int
rc_newproc_named(void)
{
	const char *name = program_invocation_short_name;

	return rc_newproc(SP_HELLO_NEW, name,
	                  MIN(strlen(name), (size_t)SP_COMMLEN));
}

/*
 * The process's connection is lost: as rumpclient_setconnretry() says,
 * exit, or make a new process (retrying for a while); rc_lock held.
 * 0 with the calling thread connected, or ENOTCONN.
 */
static int
rc_reconnect(void)
{
	struct timespec t0, t;

	if (rc_retry == RUMPCLIENT_RETRYCONN_DIE) {
		fprintf(stderr, "rumpclient: the connection to the server "
		                "is lost\n");
		exit(EXIT_FAILURE);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (rc_newproc_named() == 0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (rc_retry == RUMPCLIENT_RETRYCONN_ONCE ||
		    (rc_retry > 0 && t.tv_sec - t0.tv_sec >= rc_retry)) {
			if (rc_retry == RUMPCLIENT_RETRYCONN_ONCE)
				rc_retry = 0;
			return ENOTCONN;
		}
		usleep(RC_RETRY_PAUSE);
	}
	if (rc_retry == RUMPCLIENT_RETRYCONN_ONCE)
		rc_retry = 0;
	return 0;
}

/*
 * The calling thread's connection to the current process: its own, or
 * a new one joining the process (or, with retries, a new process).  0
 * with *cnp, or ENOTCONN.
 */
static int
rc_conn_get(struct rc_conn **cnp)
{
	uint8_t cookie[SP_COOKIELEN];
	struct rc_conn *cn;
	int error = 0;
	pid_t pid;

	if (__builtin_expect(tl_conn != NULL &&
	                         tl_gen ==
	                             __atomic_load_n(&rc_gen, __ATOMIC_ACQUIRE),
	                     1)) {
		*cnp = tl_conn;
		return 0;
	}
	pthread_mutex_lock(&rc_lock);
	if (tl_conn != NULL && tl_gen != rc_gen) {
		/* A connection to an earlier process: ours to close. */
		rc_conn_free(tl_conn);
		tl_conn = NULL;
		pthread_setspecific(rc_key, NULL);
	}
	if (tl_conn == NULL) {
		if (!rc_havecookie || rc_hostpid != getpid())
			error = ENOTCONN;
		else if (rc_hello(SP_HELLO_JOIN, rc_cookie, SP_COOKIELEN, &cn,
		                  &pid, cookie) != 0)
			error = ENOTCONN;
		else if ((error = rc_conn_set(cn)) != 0)
			rc_conn_free(cn);
		if (error != 0 && rc_wanted && rc_retry != 0 &&
		    rc_hostpid == getpid())
			error = rc_reconnect();
	}
	*cnp = tl_conn;
	pthread_mutex_unlock(&rc_lock);
	return error;
}

/* The calling thread's connection broke under a call. */
static void
rc_broken(void)
{
	pthread_mutex_lock(&rc_lock);
	rc_conn_drop();
	if (rc_retry == RUMPCLIENT_RETRYCONN_DIE && rc_wanted)
		rc_reconnect();
	pthread_mutex_unlock(&rc_lock);
}

/* errno is the call's: what the transport's own calls leave there goes. */
int
rumpclient__call(int num, const register_t *regs, int nregs, register_t *rv)
{
	int error, saved = errno;
	bool broken = false;
	struct rc_conn *cn;

	while ((error = rc_conn_get(&cn)) == 0) {
		error = cn->cn_shm != NULL
		            ? rc_shm_call(cn, num, regs, nregs, rv, &broken)
		            : rc_sock_call(cn->cn_fd, num, regs, nregs, rv,
		                           &broken);
		if (error == 0 || !broken)
			break;
		/* Drop it; the next call rejoins (or reconnects). */
		rc_broken();
		/* Never sent: with retries, this call goes on a new one. */
		if (error != ENOTCONN ||
		    __atomic_load_n(&rc_retry, __ATOMIC_RELAXED) == 0)
			break;
	}
	errno = error != 0 ? error : saved;
	return error != 0 ? -1 : 0;
}

int
rumpclient_syscall(int num, const long *regs, int nregs, long *retval)
{
	register_t rv = 0;

	if (nregs < 0 || nregs > SP_MAXREGS || (nregs > 0 && regs == NULL)) {
		errno = EINVAL;
		return -1;
	}
	if (rumpclient__call(num, regs, nregs, &rv) != 0)
		return -1;
	if (retval != NULL)
		*retval = rv;
	return 0;
}

/* The exec'ing program's shared region, memfd mfd: 0 or EBADF. */
static int
rc_inherit_shm(struct rc_conn *cn, int mfd)
{
	struct stat st;
	void *p;

	if (mfd < 0 || fstat(mfd, &st) != 0 || st.st_size != SP_SHM_SIZE ||
	    (p = mmap(NULL, SP_SHM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	              mfd, 0)) == MAP_FAILED)
		return EBADF;
	fcntl(mfd, F_SETFD, FD_CLOEXEC);
	cn->cn_memfd = mfd;
	cn->cn_shm = p;
	sp_shm_spin_init(&cn->cn_spin);
	return 0;
}

/* After rumpclient_exec(): the connection is the exec'ing program's. */
static int
rc_inherit(const char *sfd)
{
	const char *spid = getenv(EXECPID_ENV),
	           *scookie = getenv(EXECCOOKIE_ENV),
	           *sshm = getenv(EXECSHM_ENV);
	int fd = atoi(sfd), type, error;
	socklen_t tlen = sizeof(type);
	struct rc_conn *cn = NULL;
	unsigned byte;

	if (fd < 0 || spid == NULL || scookie == NULL ||
	    strlen(scookie) != 2 * SP_COOKIELEN ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 ||
	    type != SOCK_STREAM)
		error = EBADF;
	else if ((cn = calloc(1, sizeof(*cn))) == NULL)
		error = ENOMEM;
	else {
		cn->cn_fd = fd;
		cn->cn_memfd = -1;
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		error = sshm != NULL ? rc_inherit_shm(cn, atoi(sshm)) : 0;
	}
	if (error == 0) {
		for (int i = 0; i < SP_COOKIELEN; i++) {
			sscanf(scookie + 2 * i, "%2x", &byte);
			rc_cookie[i] = (uint8_t)byte;
		}
		rc_pid = atoi(spid);
		rc_hostpid = getpid();
		rc_havecookie = true;
		__atomic_add_fetch(&rc_gen, 1, __ATOMIC_RELEASE);
		error = rc_conn_set(cn);
	}
	if (error != 0)
		free(cn);
	unsetenv(EXECFD_ENV);
	unsetenv(EXECSHM_ENV);
	unsetenv(EXECPID_ENV);
	unsetenv(EXECCOOKIE_ENV);
	return error;
}

int
rumpclient_init(void)
{
	struct rc_conn *cn;
	const char *sfd;
	int error = 0;

	if (rc_conn_get(&cn) == 0)
		return 0;
	pthread_mutex_lock(&rc_lock);
	if ((sfd = getenv(EXECFD_ENV)) != NULL)
		error = rc_inherit(sfd);
	else
		error = rc_newproc_named();
	rc_wanted = error == 0;
	pthread_mutex_unlock(&rc_lock);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

void
rumpclient_close(void)
{
	pthread_mutex_lock(&rc_lock);
	rc_conn_dropall();
	rc_wanted = false;
	pthread_mutex_unlock(&rc_lock);
}

void
rumpclient_setconnretry(time_t retrytime)
{
	if (retrytime < RUMPCLIENT_RETRYCONN_DIE)
		return;
	pthread_mutex_lock(&rc_lock);
	rc_retry = retrytime;
	pthread_mutex_unlock(&rc_lock);
}

pid_t
rumpclient_getpid(void)
{
	pid_t pid;

	pthread_mutex_lock(&rc_lock);
	pid = rc_havecookie ? rc_pid : -1;
	pthread_mutex_unlock(&rc_lock);
	return pid;
}

struct rumpclient_fork *
rumpclient_prefork(void)
{
	struct rumpclient_fork *rf;
	struct rc_conn *cn;
	bool broken = false;
	int error;

	if ((rf = malloc(sizeof(*rf))) == NULL)
		return NULL;
	if ((error = rc_conn_get(&cn)) == 0 &&
	    (error = rc_prefork(cn, rf->rf_cookie, &broken)) != 0 && broken)
		rc_broken();
	if (error != 0) {
		free(rf);
		errno = error;
		return NULL;
	}
	return rf;
}

/* In the child: a connection of its own, to the process prefork made. */
int
rumpclient_fork_init(struct rumpclient_fork *rf)
{
	int error;

	pthread_mutex_init(&rc_lock, NULL);
	pthread_mutex_lock(&rc_lock);
	error = rc_newproc(SP_HELLO_FORK, rf->rf_cookie, SP_COOKIELEN);
	rc_wanted = error == 0;
	pthread_mutex_unlock(&rc_lock);
	free(rf);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/* The server ends an unclaimed process by itself after a while. */
void
rumpclient_fork_cancel(struct rumpclient_fork *rf)
{
	free(rf);
}

pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rf;
	pid_t pid;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	pthread_mutex_lock(&rc_lock);
	pid = fork();
	pthread_mutex_unlock(&rc_lock);
	if (pid < 0) {
		rumpclient_fork_cancel(rf);
		return -1;
	}
	if (pid == 0 && rumpclient_fork_init(rf) != 0) {
		fprintf(stderr, "rumpclient: fork: child not connected: %s\n",
		        strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		free(rf);
	return pid;
}

int
rumpclient_daemon(int nochdir, int noclose)
{
	struct rumpclient_fork *rf;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	if (daemon(nochdir, noclose) != 0) {
		rumpclient_fork_cancel(rf);
		return -1;
	}
	return rumpclient_fork_init(rf);
}

int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char fdvar[64], shmvar[64], pidvar[64], cookievar[64], **env;
	size_t n = 0, k = 0;
	struct rc_conn *cn;
	int fd, mfd, error;

	if ((error = rc_conn_get(&cn)) != 0) {
		errno = error;
		return -1;
	}
	fd = cn->cn_fd;
	mfd = cn->cn_memfd;
	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((env = calloc(n + 5, sizeof(*env))) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strncmp(envp[i], "RUMPCLIENT__", 12) != 0)
			env[k++] = envp[i];
	pthread_mutex_lock(&rc_lock);
	snprintf(fdvar, sizeof(fdvar), EXECFD_ENV "=%d", fd);
	snprintf(pidvar, sizeof(pidvar), EXECPID_ENV "=%d", (int)rc_pid);
	n = (size_t)snprintf(cookievar, sizeof(cookievar), EXECCOOKIE_ENV "=");
	for (int i = 0; i < SP_COOKIELEN; i++)
		n += (size_t)snprintf(cookievar + n, sizeof(cookievar) - n,
		                      "%02x", rc_cookie[i]);
	pthread_mutex_unlock(&rc_lock);
	env[k++] = fdvar;
	if (mfd >= 0) {
		snprintf(shmvar, sizeof(shmvar), EXECSHM_ENV "=%d", mfd);
		env[k++] = shmvar;
		fcntl(mfd, F_SETFD, 0);
	}
	env[k++] = pidvar;
	env[k++] = cookievar;
	env[k] = NULL;
	fcntl(fd, F_SETFD, 0);
	execve(path, argv, env);
	error = errno;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (mfd >= 0)
		fcntl(mfd, F_SETFD, FD_CLOEXEC);
	free(env);
	errno = error;
	return -1;
}
