/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libp2k share: the mount being served (one per
 * process: one kernel, one FUSE session), the nodes the host knows
 * (p2k_node.c), the worker-thread context (p2k_thread.c) and the FUSE
 * low-level operations (p2k_vnops.c).
 *
 * Lock order: p2m_nodelock is a leaf; it is never held across a call
 * into the kernel or into libfuse.
 */
#ifndef _P2K_PRIVATE_H_
#define _P2K_PRIVATE_H_

#define FUSE_USE_VERSION 312

#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rump/p2k.h>

#define P2K_KDIR "/p2k"         /* the daemon's directory in the kernel */
#define P2K_KMNT P2K_KDIR "/mnt"

/* Worker threads of the session loop, all kept once started. */
#define P2K_MAXTHREADS 16

/* Node table buckets: chains stay short up to a few hundred thousand. */
#define P2K_NODEHASH (1U << 16)

/*
 * A node the host knows: an inode of the served file system, held by an
 * O_PATH kernel descriptor for as long as the host holds lookups of it.
 * Its FUSE node id is its address (the root's is FUSE_ROOT_ID).
 * Locking: (n) p2m_nodelock; (c) constant while the node is in the table.
 */
struct p2k_node {
	struct p2k_node *pn_next;       /* n: hash chain */
	uint64_t pn_ino;                /* c: the kernel's inode number */
	uint64_t pn_generation;         /* c: unique per node made */
	uint64_t pn_nlookup;            /* n: lookups the host holds */
	int pn_fd;                      /* c: O_PATH descriptor */
};

/*
 * The mount.  Set up by the main thread before the FUSE loop starts and
 * read-only while it runs, except where a field says otherwise.
 * Locking: (n) p2m_nodelock; (a) atomic.
 */
struct p2k_mount {
	int p2m_flags;                  /* P2K_* */
	char *p2m_fuseopts;             /* -o options for FUSE, or NULL */
	int p2m_readyfd;                /* pipe to the waiting parent, or -1 */
	char p2m_kpath[256];            /* the file system in the kernel */
	bool p2m_kmounted;              /* we mounted it: we unmount it */
	struct ukfs *p2m_ukfs;          /* the image, if we mounted one */
	struct fuse_session *p2m_se;
	bool p2m_writeback;             /* the host caches writes (set by
					   INIT, before any other request) */
	bool p2m_acl;                   /* the file system has POSIX ACLs */
	bool p2m_dontmask;              /* the host leaves the umask to us
					   (set by INIT) */
	char p2m_mountpath[4096];       /* the host's mount point */
	bool p2m_radone;                /* a: p2k_readahead done */
	const char *p2m_errstr;         /* step of the last failure */
	char p2m_errbuf[4200];
	int p2m_maxfd;                  /* a: highest kernel fd we opened */
	uint64_t p2m_generation;        /* a: last node generation */
	struct p2k_node p2m_root;       /* the root, never forgotten */
	pthread_mutex_t p2m_nodelock;
	struct p2k_node *p2m_nodes[P2K_NODEHASH];       /* n */
};

/* The value argument of the *xattrat calls (Linux's layout). */
struct xattr_args {
	uint64_t value;
	uint32_t size;
	uint32_t flags;
};

extern const struct fuse_lowlevel_ops p2k_ll_ops;

/*
 * Per worker thread: make sure the calling thread has its own kernel
 * process (chrooted to kpath, umask 0), and, when req is not NULL, that
 * its effective ids are those of the FUSE request being served.
 * Returns 0 or an errno.
 */
int p2k_thread_enter(fuse_req_t req);

/* Bind the kernel directory new threads chroot to (before serving). */
void p2k_thread_setroot(const char *kpath);

/*
 * The effective ids of the calling thread's process are not known (a
 * switch back failed): the next p2k_thread_enter sets them all again.
 */
void p2k_thread_forget_ids(void);

/* End the calling thread's kernel process, if it has one. */
void p2k_thread_release(void);

/*
 * Make mask the umask of the calling thread's kernel process (the
 * requester's, for a create with the host's umask left to us).
 */
void p2k_thread_umask(mode_t mask);

/* A buffer of at least size bytes owned by the calling thread, or NULL. */
void *p2k_thread_buf(size_t size);

/* Record fd as one of ours, for closing leftovers at the end. */
void p2k_note_fd(struct p2k_mount *, int fd);

/*
 * Let the host read ahead 1 MiB on this mount (its default, 128 KiB, is
 * what it asks in one READ); best effort, once the session is up.
 */
void p2k_readahead(struct p2k_mount *);

/* p2k_node.c: the node table. */
/* The root is the inode rootino, held by the O_PATH descriptor rootfd. */
void p2k_node_init(struct p2k_mount *, uint64_t rootino, int rootfd);
/* Free every node; their descriptors are the caller's to close. */
void p2k_node_fini(struct p2k_mount *);
/*
 * The node of a FUSE node id (the host holds a lookup of it, so it is
 * in the table).
 */
struct p2k_node *p2k_node_get(struct p2k_mount *, fuse_ino_t);
fuse_ino_t p2k_node_id(struct p2k_mount *, struct p2k_node *);
/*
 * Count one lookup of the inode that the O_PATH descriptor fd holds
 * (ino is its number): the existing node's (fd is closed) or a new
 * node's, which takes fd over.  Returns the node, or NULL for ENOMEM
 * (fd is closed).
 */
struct p2k_node *p2k_node_lookup(struct p2k_mount *, uint64_t ino, int fd);
/* The host let go of nlookup lookups; the last one closes the node. */
void p2k_node_forget(struct p2k_mount *, struct p2k_node *, uint64_t nlookup);

#endif /* _P2K_PRIVATE_H_ */
