/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The hypercall interface: everything a rump kernel needs from its host.
 *
 * The kernel (code under sys/) reaches the outside world only through the
 * functions declared here.  lib/librumpuser implements them for POSIX/Linux;
 * another host (a simulator, a unikernel) implements the same set.
 *
 * Conventions:
 * - Functions returning int return 0 or an errno value.  The values are the
 *   host's (Linux), which are also the kernel's.
 * - A hypercall that may block first gives the virtual CPU back through the
 *   upcall hyp_backend_unschedule() and takes one again with
 *   hyp_backend_schedule() before it returns.  The _nowrap variants do not:
 *   they are for the scheduler itself and for spin locks held briefly.
 * - Nothing here includes a host header: types are spelled out.
 *
 * Only hypercall implementers and the kernel include this header.
 */
#ifndef _RUMP_RUMPUSER_H_
#define _RUMP_RUMPUSER_H_

#if !defined(_KERNEL) && !defined(LIBRUMPUSER)
#error rumpuser.h is for the kernel and for hypercall implementations only
#endif

/*
 * Bumped on every incompatible change; checked by rumpuser_init().  Adding
 * a hypercall is compatible (rumpuser_dir_list() came so), as an old
 * kernel never calls it; a kernel that needs a new one links only with a
 * host side that has it.
 */
#define RUMPUSER_VERSION 1

struct lwp;

/*
 * Upcalls: how the host side calls back into the kernel's scheduler.
 */
struct rumpuser_hyperup {
	/* Take a virtual CPU for the calling thread's lwp. */
	void (*hyp_schedule)(void);
	/* Give it back. */
	void (*hyp_unschedule)(void);
	/* Around a blocking host operation. */
	void (*hyp_backend_unschedule)(void);
	void (*hyp_backend_schedule)(void);
};

/*
 * Initialise the host side.  Fails with EINVAL on a version mismatch.
 */
int rumpuser_init(int version, const struct rumpuser_hyperup *hyp);

/*
 * Parameters.  Names are RUMP_* environment variables; "_RUMPUSER_NCPU" gives
 * the host's processor count when RUMP_NCPU is unset.  ENOENT if unset,
 * ENOMEM if buf is too small.
 */
int rumpuser_getparam(const char *name, void *buf, unsigned long buflen);

/* Memory.  alignment is a power of two, 0 meaning the natural one. */
int rumpuser_malloc(unsigned long len, int alignment, void **memp);
void rumpuser_free(void *mem, unsigned long len);

/*
 * Anonymous memory straight from the host's virtual memory, zero filled,
 * given back with rumpuser_unmap().  With RUMPUSER_MMAP_ALIGNED len is a
 * power of two and the memory is aligned to it; with RUMPUSER_MMAP_POPULATE
 * the host backs it now, in one call, rather than at each page's first
 * touch (a fault per page costs more than the copy into it).
 */
#define RUMPUSER_MMAP_EXEC     0x01
#define RUMPUSER_MMAP_ALIGNED  0x02
#define RUMPUSER_MMAP_POPULATE 0x04
int rumpuser_anonmmap(unsigned long len, int flags, void **memp);
void rumpuser_unmap(void *addr, unsigned long len);

/* Host files. */
#define RUMPUSER_OPEN_RDONLY 0x0000
#define RUMPUSER_OPEN_WRONLY 0x0001
#define RUMPUSER_OPEN_RDWR   0x0002
#define RUMPUSER_OPEN_ACCMODE 0x0003
#define RUMPUSER_OPEN_CREATE 0x0004 /* create if missing */
#define RUMPUSER_OPEN_EXCL   0x0008 /* with CREATE: fail if it exists */
#define RUMPUSER_OPEN_BIO    0x0010 /* will be used with rumpuser_bio() */
int rumpuser_open(const char *path, int ruflags, int *fdp);
int rumpuser_close(int fd);

#define RUMPUSER_FT_OTHER 0
#define RUMPUSER_FT_DIR   1
#define RUMPUSER_FT_REG   2
#define RUMPUSER_FT_BLK   3
#define RUMPUSER_FT_CHR   4
/* Size in bytes and type of a host file (block devices: their size). */
int rumpuser_getfileinfo(const char *path, unsigned long long *sizep,
    int *typep);

/*
 * List the host directory path: fn(arg, name, type) for each entry but
 * "." and "..", type being the RUMPUSER_FT_* of what the name leads to
 * (a symbolic link's target, as with rumpuser_getfileinfo(); OTHER if it
 * leads nowhere).  The names are read with the virtual CPU released and
 * fn is called after it is taken again, so fn may run kernel code; the
 * listing is one snapshot of the directory.  A nonzero return from fn
 * ends the listing and is returned; otherwise 0 or an error number.
 */
int rumpuser_dir_list(const char *path,
    int (*fn)(void *arg, const char *name, int type), void *arg);

struct rumpuser_iovec {
	void *iov_base;
	unsigned long iov_len;
};
/* Scatter-gather I/O at an offset; off == -1 means the current position. */
int rumpuser_iovread(int fd, struct rumpuser_iovec *iov, int iovcnt,
    long long off, unsigned long *retp);
int rumpuser_iovwrite(int fd, const struct rumpuser_iovec *iov, int iovcnt,
    long long off, unsigned long *retp);

/* Set the size of a host file open for writing (cut or extend with zeroes). */
int rumpuser_ftruncate(int fd, unsigned long long size);

/*
 * Asynchronous block I/O.  The request is queued and performed by a host
 * thread; biodone(arg, bytes, error) is called from a thread that is not
 * scheduled on a virtual CPU (the callee schedules itself).
 */
#define RUMPUSER_BIO_READ  0x01
#define RUMPUSER_BIO_WRITE 0x02
#define RUMPUSER_BIO_SYNC  0x04 /* write through to stable storage */
typedef void (*rumpuser_biodone_fn)(void *arg, unsigned long bytes, int error);
void rumpuser_bio(int fd, int op, void *data, unsigned long dlen, long long off,
    rumpuser_biodone_fn biodone, void *arg);

#define RUMPUSER_SYNCFD_READ  0x01
#define RUMPUSER_SYNCFD_WRITE 0x02
#define RUMPUSER_SYNCFD_BARRIER 0x04
#define RUMPUSER_SYNCFD_SYNC  0x08
int rumpuser_syncfd(int fd, int flags, unsigned long long start,
    unsigned long long len);

/* Clocks.  MONO never goes backwards; WALL is the host's real time. */
enum rumpclock { RUMPUSER_CLOCK_RELWALL, RUMPUSER_CLOCK_ABSMONO };
#define RUMPUSER_CLOCK_WALL RUMPUSER_CLOCK_RELWALL
#define RUMPUSER_CLOCK_MONO RUMPUSER_CLOCK_ABSMONO
int rumpuser_clock_gettime(int clk, long long *secp, long *nsecp);
/*
 * Sleep: RELWALL sleeps for the given interval, ABSMONO until the monotonic
 * clock reaches the given time.  Releases the virtual CPU meanwhile.
 */
int rumpuser_clock_sleep(int clk, long long sec, long nsec);

/* Random bytes from the host's generator.  *retp is the count written. */
#define RUMPUSER_RANDOM_HARD   0x01
#define RUMPUSER_RANDOM_NOWAIT 0x02
int rumpuser_getrandom(void *buf, unsigned long buflen, int flags,
    unsigned long *retp);

/* Threads.  A joinable thread is reaped with rumpuser_thread_join(). */
int rumpuser_thread_create(void *(*fn)(void *), void *arg, const char *name,
    int joinable, void **cookiep);
void rumpuser_thread_exit(void) __attribute__((__noreturn__));
int rumpuser_thread_join(void *cookie);

/* The lwp bound to the calling host thread (NULL if none). */
void rumpuser_curlwp_set(struct lwp *l);
struct lwp *rumpuser_curlwp(void);

/*
 * Mutexes.  A SPIN mutex's enter never gives up the virtual CPU; a sleeping
 * one gives it up when it has to block.  Ownership is recorded as the lwp.
 */
#define RUMPUSER_MTX_SPIN   0x01
#define RUMPUSER_MTX_KMUTEX 0x02 /* record the owner */
struct rumpuser_mtx;
int rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags);
void rumpuser_mutex_enter(struct rumpuser_mtx *mtx);
void rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx);
int rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx); /* 0 or EBUSY */
void rumpuser_mutex_exit(struct rumpuser_mtx *mtx);
void rumpuser_mutex_destroy(struct rumpuser_mtx *mtx);
void rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp);

/* Reader/writer locks. */
enum rumprwlock { RUMPUSER_RW_READER, RUMPUSER_RW_WRITER };
struct rumpuser_rw;
int rumpuser_rw_init(struct rumpuser_rw **rwp);
void rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw);
int rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw);
int rumpuser_rw_tryupgrade(struct rumpuser_rw *rw);
void rumpuser_rw_downgrade(struct rumpuser_rw *rw);
void rumpuser_rw_exit(struct rumpuser_rw *rw);
void rumpuser_rw_destroy(struct rumpuser_rw *rw);
/* *heldp: the caller holds it as a writer, or someone holds it as reader. */
void rumpuser_rw_held(int enum_rumprwlock, struct rumpuser_rw *rw, int *heldp);

/* Condition variables, used with a rumpuser mutex. */
struct rumpuser_cv;
int rumpuser_cv_init(struct rumpuser_cv **cvp);
void rumpuser_cv_destroy(struct rumpuser_cv *cv);
void rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
void rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx);
/* Relative timeout; returns 0 when signalled, ETIMEDOUT otherwise. */
int rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    long long sec, long nsec);
void rumpuser_cv_signal(struct rumpuser_cv *cv);
void rumpuser_cv_broadcast(struct rumpuser_cv *cv);
void rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp);

/* Console.  Output is line-buffered per thread and written to stderr. */
void rumpuser_putchar(int ch);
void rumpuser_dprintf(const char *fmt, ...)
    __attribute__((__format__(__printf__, 1, 2)));

/* Set the calling thread's host errno (for the rump_sys_* stubs). */
void rumpuser_seterrno(int error);

/*
 * End the host process.  RUMPUSER_PANIC prints a backtrace and aborts;
 * any other value is the exit status.
 */
#define RUMPUSER_PANIC (-1)
void rumpuser_exit(int value) __attribute__((__noreturn__));

/*
 * Serving the kernel to other processes (the sysproxy; the host side is
 * lib/librumpuser/rumpuser_sp.c, the wire format lib/librumpclient/
 * sp_proto.h).  rumpuser_sp_init() listens on url ("unix:///path",
 * "tcp://127.0.0.1:port") and serves each connection on a thread of its
 * own, calling into the kernel through the upcalls below, with no
 * virtual CPU held:
 *   spu_newproc: make a process for a new client, credentials uid/gid,
 *     and bind the calling thread to its lwp; client is the connection,
 *     handed back to the copy hypercalls;
 *   spu_join: add an lwp for client to process pid (another connection
 *     of its client) and bind the calling thread to it;
 *   spu_fork: make a child of the bound lwp's process that copies its
 *     descriptors; the thread stays bound to the parent; *childp is the
 *     child's lwp, bound to no thread until spu_adopt();
 *   spu_adopt: bind the calling thread to l and give its process client;
 *   spu_release: end the bound lwp, and with it its process;
 *   spu_syscall: run system call num on the bound lwp, its arguments
 *     regs[0..nregs-1] (at most 8, one per argument, as a register
 *     holds them); 0 or an errno, the result in *retval.
 * The copy hypercalls are called from a system call of a remote client,
 * with a virtual CPU held, which they give back while they wait; each
 * returns 0 or EFAULT (the client is gone or the address is bad).
 */
struct rumpuser_sp_upcalls {
	int (*spu_newproc)(void *client, unsigned uid, unsigned gid,
	    const char *comm);
	int (*spu_join)(int pid, void *client);
	int (*spu_fork)(struct lwp **childp);
	void (*spu_adopt)(struct lwp *l, void *client);
	void (*spu_release)(void);
	int (*spu_syscall)(int num, const long *regs, int nregs, long *retval);
};
int rumpuser_sp_init(const char *url, const struct rumpuser_sp_upcalls *up);
int rumpuser_sp_copyin(void *client, const void *raddr, void *laddr,
    unsigned long len);
/* A string of at most *lenp bytes, its NUL included; *lenp: bytes copied. */
int rumpuser_sp_copyinstr(void *client, const void *raddr, void *laddr,
    unsigned long *lenp);
int rumpuser_sp_copyout(void *client, const void *laddr, void *raddr,
    unsigned long len);
/*
 * Whether the client has hung up (1) or not (0), without waiting: for
 * a sleep of its process that only the client's end should interrupt.
 */
int rumpuser_sp_gone(void *client);

/*
 * Become a daemon: _begin forks, the parent waiting for the child's
 * _done(error) and exiting with it (0: success); the child goes on.
 */
int rumpuser_daemonize_begin(void);
int rumpuser_daemonize_done(int error);

#endif /* _RUMP_RUMPUSER_H_ */
