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
 * The server names client memory by address.  Reads go through
 * process_vm_readv() on this process, so a bad address is EFAULT for the
 * server, not a crash here; writes are recv() straight into place, which
 * the host kernel fails with EFAULT as well.
 *
 * Locking: rc_lock guards the process's globals (rc_*); a thread's own
 * connection (tl_*) is used without it.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/socket.h>
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
#include <unistd.h>

#include <rump/rumpclient.h>

#include "rumpclient_int.h"
#include "sp_io.h"
#include "sp_proto.h"

#define EXECFD_ENV     "RUMPCLIENT__EXECFD"
#define EXECPID_ENV    "RUMPCLIENT__EXECPID"
#define EXECCOOKIE_ENV "RUMPCLIENT__EXECCOOKIE"

struct rumpclient_fork {
	uint8_t rf_cookie[SP_COOKIELEN];
};

static pthread_mutex_t rc_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long rc_gen = 1;        /* rc_lock */
static bool rc_havecookie;              /* rc_lock: a process to join */
static uint8_t rc_cookie[SP_COOKIELEN]; /* rc_lock */
static pid_t rc_pid;                    /* rc_lock: the pid in the kernel */
static pid_t rc_hostpid;                /* rc_lock: whose connections */
static int *rc_conns;                   /* rc_lock: every connection */
static size_t rc_nconns, rc_conncap;    /* rc_lock */
static pthread_key_t rc_key;            /* closes a thread's connection */
static pthread_once_t rc_once = PTHREAD_ONCE_INIT;
static bool rc_novm; /* atomic: process_vm_readv is refused */

static __thread int tl_fd = -1;
static __thread unsigned long tl_gen;

/* Read len bytes of this process at addr: 0 or EFAULT. */
static int
rc_peek(void *dst, uint64_t addr, size_t len)
{
	struct iovec local = {dst, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n;

	if (!__atomic_load_n(&rc_novm, __ATOMIC_RELAXED)) {
		n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
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

/* SP_COPYIN and SP_COPYINSTR: answer from this process's memory. */
static int
rc_copyin(int fd, const struct sp_hdr *h)
{
	size_t len = h->sh_arg1, off = 0, chunk, page = 4096;
	uint64_t addr = h->sh_arg0;
	char *buf, *nul;
	int error;

	if (len == 0 || len > SP_COPYMAX || h->sh_len != SP_HDRLEN)
		return EPROTO;
	if ((buf = malloc(len)) == NULL)
		return sp_io_send(fd, SP_COPYDATA, EFAULT, 0, 0, 0, NULL, 0);
	if (h->sh_type == SP_COPYIN) {
		if (rc_peek(buf, addr, len) != 0)
			error =
			    sp_io_send(fd, SP_COPYDATA, EFAULT, 0, 0, 0, NULL, 0);
		else
			error =
			    sp_io_send(fd, SP_COPYDATA, 0, 0, 0, len, buf, len);
		free(buf);
		return error;
	}
	/* A string: page by page, as the next page may not be mapped. */
	for (;;) {
		chunk = page - (size_t)((addr + off) % page);
		if (chunk > len - off)
			chunk = len - off;
		if (rc_peek(buf + off, addr + off, chunk) != 0) {
			error =
			    sp_io_send(fd, SP_COPYDATA, EFAULT, 0, 0, 0, NULL, 0);
			break;
		}
		if ((nul = memchr(buf + off, '\0', chunk)) != NULL) {
			error = sp_io_send(fd, SP_COPYDATA, 0, 0, 0, 0, buf,
			                (size_t)(nul - buf) + 1);
			break;
		}
		if ((off += chunk) == len) {
			error = sp_io_send(fd, SP_COPYDATA, ENAMETOOLONG, 0, 0, 0,
			                buf, len);
			break;
		}
	}
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

static void
rc_conn_forget(int fd)
{
	for (size_t i = 0; i < rc_nconns; i++)
		if (rc_conns[i] == fd) {
			rc_conns[i] = rc_conns[--rc_nconns];
			break;
		}
}

/* A thread ends: its connection (fd + 1 in the key) closes. */
static void
rc_thread_exit(void *v)
{
	int fd = (int)(intptr_t)v - 1;

	pthread_mutex_lock(&rc_lock);
	rc_conn_forget(fd);
	pthread_mutex_unlock(&rc_lock);
	close(fd);
}

static void
rc_key_init(void)
{
	pthread_key_create(&rc_key, rc_thread_exit);
}

/* Make fd the calling thread's connection; rc_lock held. */
static int
rc_conn_set(int fd)
{
	int *n;

	if (rc_nconns == rc_conncap) {
		if ((n = realloc(rc_conns, (rc_conncap + 16) * sizeof(*n))) ==
		    NULL)
			return ENOMEM;
		rc_conns = n;
		rc_conncap += 16;
	}
	rc_conns[rc_nconns++] = fd;
	tl_fd = fd;
	tl_gen = rc_gen;
	pthread_once(&rc_once, rc_key_init);
	pthread_setspecific(rc_key, (void *)(intptr_t)(fd + 1));
	return 0;
}

/* Close the calling thread's connection; rc_lock held. */
static void
rc_conn_drop(void)
{
	if (tl_fd < 0)
		return;
	rc_conn_forget(tl_fd);
	close(tl_fd);
	tl_fd = -1;
	pthread_once(&rc_once, rc_key_init);
	pthread_setspecific(rc_key, NULL);
}

/*
 * End every connection of the process; rc_lock held.  Another thread's
 * is shut down (it closes its descriptor when it next looks); in a
 * forked child they are copies of the parent's and are only closed.
 */
static void
rc_conn_dropall(void)
{
	bool mine = rc_hostpid == getpid();

	rc_conn_drop();
	for (size_t i = 0; i < rc_nconns; i++) {
		if (mine)
			shutdown(rc_conns[i], SHUT_RDWR);
		else
			close(rc_conns[i]);
	}
	rc_nconns = 0;
	rc_havecookie = false;
	__atomic_add_fetch(&rc_gen, 1, __ATOMIC_RELEASE);
}

/*
 * One system call's conversation on fd: 0 or an errno.  *brokenp when
 * the connection broke (ENOTCONN: the call was not sent; EIO: during
 * it), as opposed to the kernel's own ENOTCONN or EIO.
 */
static int
rc_call(int fd, int num, const register_t *regs, int nregs, register_t *rv,
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
 * Connect and say hello (kind, payload); 0 with *fdp, the pid and the
 * process's cookie, or an errno.
 */
static int
rc_hello(int kind, const void *payload, size_t plen, int *fdp, pid_t *pidp,
         uint8_t *cookie)
{
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
	*fdp = fd;
	*pidp = (pid_t)h.sh_arg0;
	return 0;
}

/* A new process for this host process, as the calling thread's; rc_lock. */
static int
rc_newproc(int kind, const void *payload, size_t plen)
{
	uint8_t cookie[SP_COOKIELEN];
	pid_t pid;
	int fd, error;

	rc_conn_dropall();
	if ((error = rc_hello(kind, payload, plen, &fd, &pid, cookie)) != 0)
		return error;
	memcpy(rc_cookie, cookie, SP_COOKIELEN);
	rc_pid = pid;
	rc_hostpid = getpid();
	rc_havecookie = true;
	if ((error = rc_conn_set(fd)) != 0) {
		close(fd);
		rc_havecookie = false;
	}
	return error;
}

/*
 * The calling thread's connection to the current process: its own, or
 * a new one joining the process.  0 with *fdp, or ENOTCONN.
 */
static int
rc_conn_get(int *fdp)
{
	uint8_t cookie[SP_COOKIELEN];
	int fd, error = 0;
	pid_t pid;

	if (__builtin_expect(tl_fd >= 0 &&
	                         tl_gen ==
	                             __atomic_load_n(&rc_gen, __ATOMIC_ACQUIRE),
	                     1)) {
		*fdp = tl_fd;
		return 0;
	}
	pthread_mutex_lock(&rc_lock);
	if (tl_fd >= 0 && tl_gen != rc_gen) {
		/* A connection to an earlier process: ours to close. */
		close(tl_fd);
		tl_fd = -1;
		pthread_setspecific(rc_key, NULL);
	}
	if (tl_fd < 0) {
		if (!rc_havecookie || rc_hostpid != getpid())
			error = ENOTCONN;
		else if (rc_hello(SP_HELLO_JOIN, rc_cookie, SP_COOKIELEN, &fd,
		                  &pid, cookie) != 0)
			error = ENOTCONN;
		else if ((error = rc_conn_set(fd)) != 0)
			close(fd);
	}
	*fdp = tl_fd;
	pthread_mutex_unlock(&rc_lock);
	return error;
}

int
rumpclient__call(int num, const register_t *regs, int nregs, register_t *rv)
{
	bool broken = false;
	int fd, error;

	if ((error = rc_conn_get(&fd)) == 0 &&
	    (error = rc_call(fd, num, regs, nregs, rv, &broken)) != 0 &&
	    broken) {
		/* The connection is broken: drop it, the next call rejoins. */
		pthread_mutex_lock(&rc_lock);
		rc_conn_drop();
		pthread_mutex_unlock(&rc_lock);
	}
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
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

/* After rumpclient_exec(): the connection is the exec'ing program's. */
static int
rc_inherit(const char *sfd)
{
	const char *spid = getenv(EXECPID_ENV),
	           *scookie = getenv(EXECCOOKIE_ENV);
	int fd = atoi(sfd), type, error;
	socklen_t tlen = sizeof(type);
	unsigned byte;

	if (fd < 0 || spid == NULL || scookie == NULL ||
	    strlen(scookie) != 2 * SP_COOKIELEN ||
	    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 ||
	    type != SOCK_STREAM)
		error = EBADF;
	else {
		for (int i = 0; i < SP_COOKIELEN; i++) {
			sscanf(scookie + 2 * i, "%2x", &byte);
			rc_cookie[i] = (uint8_t)byte;
		}
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		rc_pid = atoi(spid);
		rc_hostpid = getpid();
		rc_havecookie = true;
		__atomic_add_fetch(&rc_gen, 1, __ATOMIC_RELEASE);
		error = rc_conn_set(fd);
	}
	unsetenv(EXECFD_ENV);
	unsetenv(EXECPID_ENV);
	unsetenv(EXECCOOKIE_ENV);
	return error;
}

int
rumpclient_init(void)
{
	const char *name = program_invocation_short_name, *sfd;
	int fd, error = 0;

	if (rc_conn_get(&fd) == 0)
		return 0;
	pthread_mutex_lock(&rc_lock);
	if ((sfd = getenv(EXECFD_ENV)) != NULL)
		error = rc_inherit(sfd);
	else
		error = rc_newproc(SP_HELLO_NEW, name,
		                   MIN(strlen(name), (size_t)SP_COMMLEN));
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
	struct sp_hdr h;
	int fd, error;

	if ((rf = malloc(sizeof(*rf))) == NULL)
		return NULL;
	if ((error = rc_conn_get(&fd)) != 0)
		;
	else if (sp_io_send(fd, SP_PREFORK, 0, 0, 0, 0, NULL, 0) != 0 ||
	         sp_io_read(fd, &h, sizeof(h)) != 0 || h.sh_type != SP_PREFORK ||
	         (h.sh_error == 0 && h.sh_len != SP_HDRLEN + SP_COOKIELEN) ||
	         (h.sh_error != 0 && h.sh_len != SP_HDRLEN) ||
	         (h.sh_error == 0 &&
	          sp_io_read(fd, rf->rf_cookie, SP_COOKIELEN) != 0)) {
		pthread_mutex_lock(&rc_lock);
		rc_conn_drop();
		pthread_mutex_unlock(&rc_lock);
		error = EIO;
	} else
		error = h.sh_error;
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
	char fdvar[64], pidvar[64], cookievar[64], **env;
	size_t n = 0, k = 0;
	int fd, error;

	if ((error = rc_conn_get(&fd)) != 0) {
		errno = error;
		return -1;
	}
	for (n = 0; envp != NULL && envp[n] != NULL; n++)
		continue;
	if ((env = calloc(n + 4, sizeof(*env))) == NULL)
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
	env[k++] = pidvar;
	env[k++] = cookievar;
	env[k] = NULL;
	fcntl(fd, F_SETFD, 0);
	execve(path, argv, env);
	error = errno;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	free(env);
	errno = error;
	return -1;
}
