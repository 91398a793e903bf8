/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The host side of serving a kernel to other processes (the sysproxy):
 * the listening socket, a thread per client connection, the wire format
 * of lib/librumpclient/sp_proto.h, and the copy hypercalls that reach a
 * client's memory while one of its system calls runs.  The kernel's side
 * is sys/rump/librump/rumpkern/kern_sysproxy.c, reached through the
 * upcalls given to rumpuser_sp_init().
 *
 * A connection's life: accepted (counted against RUMP_SP_MAXCLIENTS,
 * refused with an SP_HELLO reply of EBUSY past it), SP_HELLO read within
 * SP_HELLO_TIMEOUT seconds, a process made (or, for a forked client, the
 * process its parent's SP_PREFORK made adopted), then one system call
 * after another until the connection ends or breaks a rule of the
 * format; then the thread ends the process (its descriptors are closed)
 * and the connection.  The thread is bound to the client's lwp for the
 * whole life, so every call runs in the client's process.
 *
 * A client on a Unix socket may ask, right after its hello, for the
 * shared-memory transport (lib/librumpclient/sp_shm.h): the same frames
 * then go through a region both map, the turn handed over with an atomic
 * word, and the socket only wakes a side asleep and tells it that the
 * other is gone (a hang-up).  sp_recv_hdr(), sp_recv(),
 * sp_flush_send() and sp_send() carry a frame either way.
 *
 * Access control is the socket's: a Unix socket's file permissions say
 * who may connect (the server makes it with the process's umask); a
 * client runs with the uid and gid its socket peer credentials give.  A
 * TCP client has no credentials to give and runs with the server's own.
 *
 * Locking: sp_lock guards sp_pending and sp_nconn.  A client's socket is
 * used only by its own thread.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rumpuser_int.h"
#include "sp_io.h"
#include "sp_proto.h"
#include "sp_shm.h"

#define SP_HELLO_TIMEOUT 10 /* seconds for a new connection's hello */
#define SP_FORK_TIMEOUT  30 /* seconds a forked process waits */
#define SP_MAXPENDING    8  /* forks one client may have waiting */
#define SP_SYS_GETPID    39 /* getpid in syscalls.master */

/*
 * Copyouts are gathered in sc_out and go with the call's reply (or
 * before the next copy request), so that a read costs the client one
 * wakeup, not two.
 */
#define SP_OUTBUF (64 * 1024)

/* Copyins of a block or more read ahead, this much (sp_copyin_ahead). */
#define SP_RA_MIN 4096
#define SP_RA_MAX (64 * 1024)

/*
 * A process of the kernel that clients are served in, named by a random
 * cookie its client's further connections (its threads) present to
 * join it.  The process ends when its last connection does: an entry is
 * taken off the list, and its last lwp released, with sp_lock held, so
 * that a joining connection finds either a live process or none.
 */
struct spproc {
	struct spproc *sp_next;          /* sp_lock */
	uint8_t sp_cookie[SP_COOKIELEN]; /* stable */
	long sp_pid;                     /* stable */
	unsigned sp_refs;                /* sp_lock: connections */
};

struct spclient {
	int sc_fd;              /* stable */
	struct spproc *sc_proc; /* stable once the hello is answered */
	bool sc_dead;           /* the stream is broken: every copy fails */
	unsigned sc_npending;   /* sp_lock: its forks waiting for a child */
	size_t sc_outlen;       /* bytes waiting in sc_out (or sc_shm) */
	struct sp_shm *sc_shm;  /* the shared region, or NULL: the socket */
	struct sp_spin sc_spin; /* sc_shm's wait for the client */
	char *sc_ra;            /* sc_shm: read ahead (SP_RA_MAX), or NULL */
	uint64_t sc_ra_addr;    /* the client's address of sc_ra[0] */
	size_t sc_ra_len;       /* bytes of it good for this call, or 0 */
	size_t sc_inlen;        /* sc_shm: bytes of the client's turn */
	size_t sc_inoff;        /* sc_shm: of which read */
	char sc_out[SP_OUTBUF];
};

/* A forked process waiting for its child's connection. */
struct sppending {
	struct sppending *sp_next;  /* sp_lock */
	struct spclient *sp_parent; /* sp_lock: NULL once gone */
	uint8_t sp_cookie[SP_COOKIELEN];
	struct lwp *sp_lwp;
	time_t sp_made;
};

static pthread_mutex_t sp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sppending *sp_pending; /* sp_lock */
static struct spproc *sp_procs;      /* sp_lock */
static unsigned sp_nconn;            /* sp_lock */
static unsigned sp_maxclients;       /* stable after rumpuser_sp_init */
static const struct rumpuser_sp_upcalls *sp_up;
static int sp_listenfd = -1;

static int daemon_pipe = -1;

/* One log line for a connection ended by a broken rule. */
static void
sp_drop(struct spclient *c, const char *why)
{
	if (!c->sc_dead)
		fprintf(stderr,
		        "rump_server: client %d: %s: connection closed\n",
		        c->sc_fd, why);
	c->sc_dead = true;
}

static time_t
sp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The most one copy request may ask for on this connection. */
static size_t
sp_copymax(const struct spclient *c)
{
	return c->sc_shm != NULL ? SP_SHM_COPYMAX : SP_COPYMAX;
}

/*
 * The next frame's header from the client: 0, EPIPE (gone) or EPROTO
 * (a turn of the shared region that is not one whole frame).  The
 * region's fields are read once, into our own memory, before use.
 */
static int
sp_recv_hdr(struct spclient *c, struct sp_hdr *h)
{
	struct sp_shm *s = c->sc_shm;

	if (s == NULL)
		return sp_io_read(c->sc_fd, h, sizeof(*h)) != 0 ? EPIPE : 0;
	if (sp_shm_wait(s, SP_SHM_TURN_SERVER, &c->sc_spin, c->sc_fd) != 0)
		return EPIPE;
	c->sc_inlen = __atomic_load_n(&s->ss_len, __ATOMIC_RELAXED);
	if (c->sc_inlen < SP_HDRLEN || c->sc_inlen > SP_SHM_DATALEN)
		return EPROTO;
	memcpy(h, s->ss_data, sizeof(*h));
	/* Taken: a client that sees us gone now knows the call began. */
	__atomic_store_n(&s->ss_len, 0, __ATOMIC_RELAXED);
	c->sc_inoff = SP_HDRLEN;
	return h->sh_len == c->sc_inlen ? 0 : EPROTO;
}

/* len more bytes of the frame whose header sp_recv_hdr() read. */
static int
sp_recv(struct spclient *c, void *buf, size_t len)
{
	if (c->sc_shm == NULL)
		return sp_io_read(c->sc_fd, buf, len);
	if (len > c->sc_inlen - c->sc_inoff)
		return EPROTO;
	memcpy(buf, c->sc_shm->ss_data + c->sc_inoff, len);
	c->sc_inoff += len;
	return 0;
}

/*
 * The shared region: give the client what sc_outlen bytes of ss_data
 * hold.  With no frame but copyouts, wait for its empty turn back.
 */
static int
sp_shm_flush(struct spclient *c, bool final)
{
	struct sp_shm *s = c->sc_shm;

	__atomic_store_n(&s->ss_len, (uint32_t)c->sc_outlen, __ATOMIC_RELAXED);
	c->sc_outlen = 0;
	sp_shm_give(s, SP_SHM_TURN_SERVER, c->sc_fd);
	if (final)
		return 0;
	if (sp_shm_wait(s, SP_SHM_TURN_SERVER, &c->sc_spin, c->sc_fd) != 0)
		return EPIPE;
	return __atomic_load_n(&s->ss_len, __ATOMIC_RELAXED) == 0 ? 0 : EPROTO;
}

/* Append a frame to the shared region's turn (there is room). */
static void
sp_shm_put(struct spclient *c, const struct sp_hdr *h, const void *payload,
           size_t plen)
{
	char *p = c->sc_shm->ss_data + c->sc_outlen;

	memcpy(p, h, SP_HDRLEN);
	if (plen > 0)
		memcpy(p + SP_HDRLEN, payload, plen);
	c->sc_outlen += SP_HDRLEN + plen;
}

/* Send what waits in sc_out, then a header-only frame (type 0: none). */
static int
sp_flush_send(struct spclient *c, int type, int error, int num, uint64_t arg0,
              uint64_t arg1)
{
	struct sp_hdr h = {.sh_len = SP_HDRLEN,
	                   .sh_type = (uint16_t)type,
	                   .sh_error = error,
	                   .sh_num = num,
	                   .sh_arg0 = arg0,
	                   .sh_arg1 = arg1};
	struct iovec iov[2];
	int n = 0;

	if (c->sc_shm != NULL) {
		if (type != 0)
			sp_shm_put(c, &h, NULL, 0);
		return sp_shm_flush(c, type != 0);
	}
	if (c->sc_outlen > 0)
		iov[n++] = (struct iovec){c->sc_out, c->sc_outlen};
	if (type != 0)
		iov[n++] = (struct iovec){&h, SP_HDRLEN};
	c->sc_outlen = 0;
	return n > 0 ? sp_io_writev(c->sc_fd, iov, n) : 0;
}

/* One frame, outside a system call (nothing waits in sc_out). */
static int
sp_send(struct spclient *c, int type, int error, uint64_t arg0,
        const void *payload, size_t plen)
{
	struct sp_hdr h = {.sh_len = (uint32_t)(SP_HDRLEN + plen),
	                   .sh_type = (uint16_t)type,
	                   .sh_error = error,
	                   .sh_arg0 = arg0};

	if (c->sc_shm == NULL)
		return sp_io_send(c->sc_fd, type, error, 0, arg0, 0, payload,
		                  plen);
	sp_shm_put(c, &h, payload, plen);
	return sp_shm_flush(c, true);
}

/*
 * Ask the client for len bytes at raddr (string: up to len, NUL
 * included; bytes: and up to ahead more, as far as readable, into
 * laddr's room for them).  Called with no virtual CPU.  0, EFAULT or
 * ENAMETOOLONG; *lenp: bytes stored.
 */
static int
sp_fetch(struct spclient *c, int type, const void *raddr, void *laddr,
         unsigned long *lenp, unsigned long ahead)
{
	struct sp_hdr h;
	size_t plen;
	int error;

	if (sp_flush_send(c, type, 0, (int)ahead, (uint64_t)(uintptr_t)raddr,
	                  *lenp) != 0 ||
	    (error = sp_recv_hdr(c, &h)) == EPIPE) {
		sp_drop(c, "connection lost during a copy");
		return EFAULT;
	}
	if (error != 0 || h.sh_type != SP_COPYDATA || h.sh_len < SP_HDRLEN) {
		sp_drop(c, "bad reply to a copy request");
		return EFAULT;
	}
	plen = h.sh_len - SP_HDRLEN;
	if (h.sh_error == EFAULT && plen == 0)
		return EFAULT;
	if (type == SP_COPYIN) {
		if (h.sh_error != 0 || plen < *lenp || plen > *lenp + ahead) {
			sp_drop(c, "bad copyin reply");
			return EFAULT;
		}
		if (sp_recv(c, laddr, plen) != 0) {
			sp_drop(c, "connection lost during a copy");
			return EFAULT;
		}
		*lenp = plen;
		return 0;
	}
	/* A string: all of it with its NUL, or len bytes and ENAMETOOLONG. */
	if ((h.sh_error != 0 && h.sh_error != ENAMETOOLONG) || plen == 0 ||
	    plen > *lenp || (h.sh_error == ENAMETOOLONG && plen != *lenp)) {
		sp_drop(c, "bad copyinstr reply");
		return EFAULT;
	}
	if ((error = sp_recv(c, laddr, plen)) != 0) {
		sp_drop(c, "connection lost during a copy");
		return EFAULT;
	}
	if (h.sh_error == 0 &&
	    (memchr(laddr, '\0', plen) != (char *)laddr + plen - 1)) {
		sp_drop(c, "copyinstr reply is not one string");
		return EFAULT;
	}
	*lenp = plen;
	return h.sh_error;
}

/*
 * One copy request's worth of a copyin, on the shared region read ahead:
 * a file system moves a large write's data a block at a time, so a
 * block-sized copyin asks for the next SP_RA_MAX bytes as well (as far
 * as they are readable), and the copyins after it in the same system
 * call take theirs from sc_ra.  A copyout, or the next call, forgets it.
 */
static bool
sp_ra_hit(struct spclient *c, const void *raddr, void *laddr, unsigned long n)
{
	uint64_t a = (uint64_t)(uintptr_t)raddr;

	if (c->sc_ra_len == 0 || a < c->sc_ra_addr ||
	    a - c->sc_ra_addr > c->sc_ra_len ||
	    n > c->sc_ra_len - (a - c->sc_ra_addr))
		return false;
	memcpy(laddr, c->sc_ra + (a - c->sc_ra_addr), n);
	return true;
}

static int
sp_copyin_ahead(struct spclient *c, const void *raddr, void *laddr,
                unsigned long n)
{
	uint64_t a = (uint64_t)(uintptr_t)raddr;
	unsigned long got = n;
	int error;

	if (sp_ra_hit(c, raddr, laddr, n))
		return 0;
	if (c->sc_shm == NULL || n < SP_RA_MIN || n >= SP_RA_MAX ||
	    (c->sc_ra == NULL && (c->sc_ra = malloc(SP_RA_MAX)) == NULL))
		return sp_fetch(c, SP_COPYIN, raddr, laddr, &got, 0);
	c->sc_ra_len = 0;
	if ((error = sp_fetch(c, SP_COPYIN, raddr, c->sc_ra, &got,
	                      SP_RA_MAX - n)) != 0)
		return error;
	memcpy(laddr, c->sc_ra, n);
	c->sc_ra_addr = a;
	c->sc_ra_len = got;
	return 0;
}

int
rumpuser_sp_copyin(void *client, const void *raddr, void *laddr,
                   unsigned long len)
{
	struct spclient *c = client;
	unsigned long n;
	int error = 0;

	if (c->sc_dead)
		return EFAULT;
	/* Read ahead: a memcpy; no need to give up the virtual CPU. */
	if (sp_ra_hit(c, raddr, laddr, len))
		return 0;
	rumpuser__hyp.hyp_backend_unschedule();
	while (len > 0 && error == 0) {
		n = len < sp_copymax(c) ? len : sp_copymax(c);
		error = sp_copyin_ahead(c, raddr, laddr, n);
		raddr = (const char *)raddr + n;
		laddr = (char *)laddr + n;
		len -= n;
	}
	rumpuser__hyp.hyp_backend_schedule();
	return error;
}

int
rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
                      unsigned long *lenp)
{
	struct spclient *c = client;
	int error;

	if (c->sc_dead)
		return EFAULT;
	if (*lenp == 0)
		return ENAMETOOLONG;
	if (*lenp > sp_copymax(c))
		*lenp = sp_copymax(c);
	KLOCK_WRAP(error = sp_fetch(c, SP_COPYINSTR, raddr, laddr, lenp, 0));
	if (error == EFAULT)
		*lenp = 0;
	return error;
}

/*
 * A copyout on the shared region: appended to the turn, which goes to
 * the client with the call's reply.  Only when the region is full does
 * the turn go early (and the virtual CPU is given up for the wait).
 */
static int
sp_shm_copyout(struct spclient *c, const void *laddr, void *raddr,
               unsigned long len)
{
	struct sp_hdr h = {.sh_type = SP_COPYOUT};
	unsigned long n;
	int error;

	while (len > 0) {
		n = len < SP_SHM_COPYMAX ? len : SP_SHM_COPYMAX;
		/* Room for it and the frame that ends the turn. */
		if (c->sc_outlen + 2 * SP_HDRLEN + n > SP_SHM_DATALEN) {
			KLOCK_WRAP(error = sp_shm_flush(c, false));
			if (error != 0) {
				sp_drop(c, "connection lost during a copy");
				return EFAULT;
			}
		}
		h.sh_len = (uint32_t)(SP_HDRLEN + n);
		h.sh_arg0 = (uint64_t)(uintptr_t)raddr;
		h.sh_arg1 = n;
		sp_shm_put(c, &h, laddr, n);
		raddr = (char *)raddr + n;
		laddr = (const char *)laddr + n;
		len -= n;
	}
	return 0;
}

int
rumpuser_sp_copyout(void *client, const void *laddr, void *raddr,
                    unsigned long len)
{
	struct spclient *c = client;
	unsigned long n;
	int error = 0;

	if (c->sc_dead)
		return EFAULT;
	c->sc_ra_len = 0;
	if (c->sc_shm != NULL)
		return sp_shm_copyout(c, laddr, raddr, len);
	rumpuser__hyp.hyp_backend_unschedule();
	while (len > 0 && error == 0) {
		n = len < sp_copymax(c) ? len : sp_copymax(c);
		if (c->sc_outlen + SP_HDRLEN + n <= sizeof(c->sc_out)) {
			struct sp_hdr h = {.sh_len = (uint32_t)(SP_HDRLEN + n),
			                   .sh_type = SP_COPYOUT,
			                   .sh_arg0 =
			                       (uint64_t)(uintptr_t)raddr,
			                   .sh_arg1 = n};

			memcpy(c->sc_out + c->sc_outlen, &h, SP_HDRLEN);
			memcpy(c->sc_out + c->sc_outlen + SP_HDRLEN, laddr, n);
			c->sc_outlen += SP_HDRLEN + n;
		} else if (sp_flush_send(c, 0, 0, 0, 0, 0) != 0 ||
		           sp_io_send(c->sc_fd, SP_COPYOUT, 0, 0,
		                      (uint64_t)(uintptr_t)raddr, n, laddr,
		                      n) != 0) {
			sp_drop(c, "connection lost during a copy");
			error = EFAULT;
		}
		raddr = (char *)raddr + n;
		laddr = (const char *)laddr + n;
		len -= n;
	}
	rumpuser__hyp.hyp_backend_schedule();
	return error;
}

int
rumpuser_sp_gone(void *client)
{
	struct spclient *c = client;
	struct pollfd p = {.fd = c->sc_fd, .events = POLLRDHUP};

	if (c->sc_dead)
		return 1;
	return poll(&p, 1, 0) == 1 &&
	       (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

/* End a forked process nobody adopted: its parent is gone or it waited. */
static void
sp_pending_release(struct sppending *sp)
{
	sp_up->spu_adopt(sp->sp_lwp, NULL);
	sp_up->spu_release();
	free(sp);
}

static void
sp_pending_expire(void)
{
	struct sppending **spp, *sp, *dead = NULL;
	time_t now = sp_now();

	pthread_mutex_lock(&sp_lock);
	for (spp = &sp_pending; (sp = *spp) != NULL;) {
		if (now - sp->sp_made >= SP_FORK_TIMEOUT) {
			*spp = sp->sp_next;
			if (sp->sp_parent != NULL)
				sp->sp_parent->sc_npending--;
			sp->sp_next = dead;
			dead = sp;
		} else
			spp = &sp->sp_next;
	}
	pthread_mutex_unlock(&sp_lock);
	while ((sp = dead) != NULL) {
		dead = sp->sp_next;
		sp_pending_release(sp);
	}
}

static int
sp_prefork(struct spclient *c)
{
	uint8_t cookie[SP_COOKIELEN];
	struct sppending *sp;
	int error;

	pthread_mutex_lock(&sp_lock);
	if (c->sc_npending >= SP_MAXPENDING) {
		pthread_mutex_unlock(&sp_lock);
		return sp_send(c, SP_PREFORK, EAGAIN, 0, NULL, 0);
	}
	c->sc_npending++;
	pthread_mutex_unlock(&sp_lock);
	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		error = ENOMEM;
	else if (getrandom(sp->sp_cookie, sizeof(sp->sp_cookie), 0) !=
	         (ssize_t)sizeof(sp->sp_cookie))
		error = EAGAIN;
	else
		error = sp_up->spu_fork(&sp->sp_lwp);
	if (error != 0) {
		free(sp);
		pthread_mutex_lock(&sp_lock);
		c->sc_npending--;
		pthread_mutex_unlock(&sp_lock);
		return sp_send(c, SP_PREFORK, error, 0, NULL, 0);
	}
	sp->sp_parent = c;
	sp->sp_made = sp_now();
	/* Once on the list the child's connection may take it at once. */
	memcpy(cookie, sp->sp_cookie, sizeof(cookie));
	pthread_mutex_lock(&sp_lock);
	sp->sp_next = sp_pending;
	sp_pending = sp;
	pthread_mutex_unlock(&sp_lock);
	return sp_send(c, SP_PREFORK, 0, 0, cookie, sizeof(cookie));
}

/* The process a fork made for this cookie, taken off the list. */
static struct lwp *
sp_pending_take(const uint8_t *cookie)
{
	struct sppending **spp, *sp;
	struct lwp *l = NULL;

	pthread_mutex_lock(&sp_lock);
	for (spp = &sp_pending; (sp = *spp) != NULL; spp = &sp->sp_next) {
		if (memcmp(sp->sp_cookie, cookie, SP_COOKIELEN) == 0) {
			*spp = sp->sp_next;
			if (sp->sp_parent != NULL)
				sp->sp_parent->sc_npending--;
			l = sp->sp_lwp;
			free(sp);
			break;
		}
	}
	pthread_mutex_unlock(&sp_lock);
	return l;
}

/* A new entry for the process this connection's lwp is in, or NULL. */
static struct spproc *
sp_proc_new(long pid)
{
	struct spproc *sp;

	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return NULL;
	if (getrandom(sp->sp_cookie, sizeof(sp->sp_cookie), 0) !=
	    (ssize_t)sizeof(sp->sp_cookie)) {
		free(sp);
		return NULL;
	}
	sp->sp_pid = pid;
	sp->sp_refs = 1;
	pthread_mutex_lock(&sp_lock);
	sp->sp_next = sp_procs;
	sp_procs = sp;
	pthread_mutex_unlock(&sp_lock);
	return sp;
}

/* Join the process named by cookie: 0 and its entry, or an errno. */
static int
sp_proc_join(struct spclient *c, const uint8_t *cookie, struct spproc **spp)
{
	struct spproc *sp;
	int error = ESRCH;

	pthread_mutex_lock(&sp_lock);
	for (sp = sp_procs; sp != NULL; sp = sp->sp_next)
		if (memcmp(sp->sp_cookie, cookie, SP_COOKIELEN) == 0)
			break;
	if (sp != NULL && (error = sp_up->spu_join((int)sp->sp_pid, c)) == 0)
		sp->sp_refs++;
	pthread_mutex_unlock(&sp_lock);
	*spp = sp;
	return error;
}

/* End this connection's lwp, and with the last its process's entry. */
static void
sp_proc_leave(struct spproc *sp)
{
	struct spproc **spp;

	pthread_mutex_lock(&sp_lock);
	if (sp != NULL && --sp->sp_refs == 0) {
		for (spp = &sp_procs; *spp != sp; spp = &(*spp)->sp_next)
			continue;
		*spp = sp->sp_next;
		free(sp);
	}
	sp_up->spu_release();
	pthread_mutex_unlock(&sp_lock);
}

/* Read and answer SP_HELLO; 0 when the client has its process. */
static int
sp_hello(struct spclient *c)
{
	struct timeval tv = {.tv_sec = SP_HELLO_TIMEOUT};
	char payload[SP_COMMLEN + SP_COOKIELEN + 1];
	char comm[SP_COMMLEN + 1];
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct sp_hdr h;
	struct lwp *l;
	size_t plen;
	long pid = 0;
	int error;

	setsockopt(c->sc_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sp_io_read(c->sc_fd, &h, sizeof(h)) != 0)
		return EPIPE;
	if (h.sh_type != SP_HELLO || h.sh_num != SP_VERSION ||
	    h.sh_len < SP_HDRLEN ||
	    h.sh_len > SP_HDRLEN + sizeof(payload) - 1) {
		sp_drop(c, "bad hello");
		return EINVAL;
	}
	plen = h.sh_len - SP_HDRLEN;
	if (sp_io_read(c->sc_fd, payload, plen) != 0)
		return EPIPE;
	tv.tv_sec = 0;
	setsockopt(c->sc_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	if (h.sh_arg0 == SP_HELLO_NEW && plen <= SP_COMMLEN) {
		memcpy(comm, payload, plen);
		comm[plen] = '\0';
		/* TCP answers SO_PEERCRED too, with no one's uid (-1). */
		if (getsockname(c->sc_fd, (struct sockaddr *)&ss, &sslen) !=
		        0 ||
		    ss.ss_family != AF_UNIX ||
		    getsockopt(c->sc_fd, SOL_SOCKET, SO_PEERCRED, &cred,
		               &clen) != 0 ||
		    clen != sizeof(cred)) {
			cred.uid = getuid();
			cred.gid = getgid();
		}
		error =
		    sp_up->spu_newproc(c, cred.uid, cred.gid,
		                       comm[0] != '\0' ? comm : "rumpclient");
	} else if (h.sh_arg0 == SP_HELLO_FORK && plen == SP_COOKIELEN) {
		if ((l = sp_pending_take((const uint8_t *)payload)) == NULL)
			error = ESRCH;
		else {
			sp_up->spu_adopt(l, c);
			error = 0;
		}
	} else if (h.sh_arg0 == SP_HELLO_JOIN && plen == SP_COOKIELEN) {
		if ((error = sp_proc_join(c, (const uint8_t *)payload,
		                          &c->sc_proc)) == 0)
			pid = c->sc_proc->sp_pid;
	} else {
		sp_drop(c, "bad hello");
		return EINVAL;
	}
	if (error == 0 && c->sc_proc == NULL) {
		error = sp_up->spu_syscall(SP_SYS_GETPID, NULL, 0, &pid);
		if (error == 0 && (c->sc_proc = sp_proc_new(pid)) == NULL)
			error = ENOMEM;
		if (error != 0)
			sp_up->spu_release();
	}
	if (error != 0)
		return sp_io_send(c->sc_fd, SP_HELLO, error, 0, 0, 0, NULL, 0) == 0
		           ? error
		           : EPIPE;
	if (sp_io_send(c->sc_fd, SP_HELLO, 0, 0, (uint64_t)pid, 0,
	            c->sc_proc->sp_cookie, SP_COOKIELEN) != 0) {
		sp_proc_leave(c->sc_proc);
		return EPIPE;
	}
	return 0;
}

/*
 * SP_SHMSETUP: a sealed memfd for the shared region, mapped here and
 * passed to the client; the connection uses it from now on.  A TCP
 * client has no way to receive it.  0, or an errno once answered.
 */
static int
sp_shm_setup(struct spclient *c)
{
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	void *p = MAP_FAILED;
	int mfd = -1, error = 0;

	if (getsockname(c->sc_fd, (struct sockaddr *)&ss, &sslen) != 0 ||
	    ss.ss_family != AF_UNIX)
		error = EOPNOTSUPP;
	else if ((mfd = memfd_create("rump_sp",
	                             MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0 ||
	         ftruncate(mfd, SP_SHM_SIZE) != 0 ||
	         fcntl(mfd, F_ADD_SEALS,
	               F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0 ||
	         (p = mmap(NULL, SP_SHM_SIZE, PROT_READ | PROT_WRITE,
	                   MAP_SHARED, mfd, 0)) == MAP_FAILED)
		error = errno;
	if (error != 0) {
		if (mfd >= 0)
			close(mfd);
		return sp_io_send(c->sc_fd, SP_SHMSETUP, error, 0, 0, 0, NULL,
		                  0);
	}
	error = sp_io_send_fd(c->sc_fd, SP_SHMSETUP, 0, SP_SHM_SIZE, mfd);
	close(mfd);
	if (error != 0) {
		munmap(p, SP_SHM_SIZE);
		return error;
	}
	c->sc_shm = p;
	sp_shm_spin_init(&c->sc_spin);
	return 0;
}

static void
sp_serve(struct spclient *c)
{
	long regs[SP_MAXREGS];
	struct sp_hdr h;
	size_t plen;
	long rv;
	int error;

	for (;;) {
		if ((error = sp_recv_hdr(c, &h)) != 0) {
			if (error == EPROTO)
				sp_drop(c, "bad frame in the shared region");
			return;
		}
		if (h.sh_len < SP_HDRLEN) {
			sp_drop(c, "frame shorter than its header");
			return;
		}
		switch (h.sh_type) {
		case SP_SYSCALL:
			plen = h.sh_len - SP_HDRLEN;
			if (plen > sizeof(regs) ||
			    plen % sizeof(regs[0]) != 0) {
				sp_drop(c, "bad system call arguments");
				return;
			}
			if (sp_recv(c, regs, plen) != 0)
				return;
			rv = 0;
			c->sc_ra_len = 0;
			error = sp_up->spu_syscall(
			    h.sh_num, regs, (int)(plen / sizeof(regs[0])), &rv);
			if (c->sc_dead || sp_flush_send(c, SP_SYSCALL, error, 0,
			                                (uint64_t)rv, 0) != 0)
				return;
			break;
		case SP_PREFORK:
			if (h.sh_len != SP_HDRLEN) {
				sp_drop(c, "bad prefork");
				return;
			}
			if (sp_prefork(c) != 0)
				return;
			break;
		case SP_SHMSETUP:
			if (h.sh_len != SP_HDRLEN || c->sc_shm != NULL) {
				sp_drop(c, "bad shared memory setup");
				return;
			}
			if (sp_shm_setup(c) != 0)
				return;
			break;
		default:
			sp_drop(c, "unexpected frame");
			return;
		}
	}
}

static void *
sp_client_thread(void *arg)
{
	struct spclient *c = arg;
	struct sppending *sp;

	if (sp_hello(c) == 0) {
		sp_serve(c);
		sp_proc_leave(c->sc_proc);
	}
	/* Its waiting forks outlive it, for the child: forget the parent. */
	pthread_mutex_lock(&sp_lock);
	for (sp = sp_pending; sp != NULL; sp = sp->sp_next)
		if (sp->sp_parent == c)
			sp->sp_parent = NULL;
	sp_nconn--;
	pthread_mutex_unlock(&sp_lock);
	if (c->sc_shm != NULL)
		munmap(c->sc_shm, SP_SHM_SIZE);
	free(c->sc_ra);
	close(c->sc_fd);
	free(c);
	return NULL;
}

static void *
sp_accept_thread(void *arg)
{
	pthread_attr_t attr;
	struct spclient *c;
	pthread_t pt;
	int fd, one = 1;

	(void)arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		fd = accept4(sp_listenfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				usleep(100000);
			continue;
		}
		sp_pending_expire();
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pthread_mutex_lock(&sp_lock);
		if (sp_nconn >= sp_maxclients) {
			pthread_mutex_unlock(&sp_lock);
			sp_io_send(fd, SP_HELLO, EBUSY, 0, 0, 0, NULL, 0);
			close(fd);
			continue;
		}
		sp_nconn++;
		pthread_mutex_unlock(&sp_lock);
		if ((c = calloc(1, sizeof(*c))) != NULL) {
			c->sc_fd = fd;
			if (rumpuser__thread_spawn(&pt, &attr, sp_client_thread,
			                           c) == 0)
				continue;
			free(c);
		}
		sp_io_send(fd, SP_HELLO, ENOMEM, 0, 0, 0, NULL, 0);
		close(fd);
		pthread_mutex_lock(&sp_lock);
		sp_nconn--;
		pthread_mutex_unlock(&sp_lock);
	}
	return NULL;
}

/* A socket listening on url, or -1 with errno set. */
static int
sp_listen(const char *url)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct sockaddr_in sin = {.sin_family = AF_INET};
	const char *p, *colon;
	char host[64], *end;
	struct stat st;
	unsigned long port;
	int fd, one = 1;

	if (strncmp(url, "unix://", 7) == 0) {
		p = url + 7;
		if (*p == '\0' || strlen(p) >= sizeof(sun.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(sun.sun_path, p);
		/* A socket left by a server that died is replaced. */
		if (lstat(p, &st) == 0 && S_ISSOCK(st.st_mode))
			unlink(p);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			goto fail;
	} else if (strncmp(url, "tcp://", 6) == 0) {
		p = url + 6;
		if ((colon = strrchr(p, ':')) == NULL ||
		    (size_t)(colon - p) >= sizeof(host)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(host, p, (size_t)(colon - p));
		host[colon - p] = '\0';
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (*end != '\0' || colon[1] == '\0' || port > 65535 ||
		    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
			errno = EINVAL;
			return -1;
		}
		sin.sin_port = htons((uint16_t)port);
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			goto fail;
	} else {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (listen(fd, 128) != 0)
		goto fail;
	return fd;
fail : {
	int e = errno;

	close(fd);
	errno = e;
}
	return -1;
}

int
rumpuser_sp_init(const char *url, const struct rumpuser_sp_upcalls *up)
{
	pthread_attr_t attr;
	pthread_t pt;
	char buf[32];
	int error;

	if (sp_listenfd != -1)
		return EBUSY;
	sp_maxclients = 256;
	if (rumpuser_getparam("RUMP_SP_MAXCLIENTS", buf, sizeof(buf)) == 0)
		sp_maxclients = (unsigned)strtoul(buf, NULL, 10);
	sp_up = up;
	if ((sp_listenfd = sp_listen(url)) < 0) {
		error = errno;
		sp_listenfd = -1;
		return error;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = rumpuser__thread_spawn(&pt, &attr, sp_accept_thread, NULL);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		close(sp_listenfd);
		sp_listenfd = -1;
	}
	return error;
}

int
rumpuser_daemonize_begin(void)
{
	int fds[2], status;
	pid_t pid;

	if (daemon_pipe != -1)
		return EBUSY;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return errno;
	if ((pid = fork()) < 0) {
		status = errno;
		close(fds[0]);
		close(fds[1]);
		return status;
	}
	if (pid > 0) {
		/* The parent: exit with the child's verdict. */
		close(fds[1]);
		if (read(fds[0], &status, sizeof(status)) != sizeof(status))
			status = 1;
		_exit(status == 0 ? 0 : 1);
	}
	close(fds[0]);
	setsid();
	daemon_pipe = fds[1];
	return 0;
}

int
rumpuser_daemonize_done(int error)
{
	int fd;

	if (daemon_pipe == -1)
		return ENOENT;
	if (error == 0 && (fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (write(daemon_pipe, &error, sizeof(error)) != sizeof(error))
		error = errno;
	else
		error = 0;
	close(daemon_pipe);
	daemon_pipe = -1;
	return error;
}
