/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * What the files of libp2k share: the mount being served (one per
 * process: one kernel, one FUSE session), the worker-thread context and
 * the FUSE operations.
 */
#ifndef _P2K_PRIVATE_H_
#define _P2K_PRIVATE_H_

#define FUSE_USE_VERSION 312

#include <fuse.h>
#include <stdbool.h>

#include <rump/p2k.h>

#define P2K_KDIR "/p2k"         /* the daemon's directory in the kernel */
#define P2K_KMNT P2K_KDIR "/mnt"

/*
 * The mount.  Set up by the main thread before the FUSE loop starts and
 * read-only while it runs, except p2m_maxfd (atomic).
 */
struct p2k_mount {
	int p2m_flags;                  /* P2K_* */
	char *p2m_fuseopts;             /* -o options for FUSE, or NULL */
	int p2m_readyfd;                /* pipe to the waiting parent, or -1 */
	char p2m_kpath[256];            /* the file system in the kernel */
	bool p2m_kmounted;              /* we mounted it: we unmount it */
	struct ukfs *p2m_ukfs;          /* the image, if we mounted one */
	struct fuse *p2m_fuse;
	const char *p2m_errstr;         /* step of the last failure */
	char p2m_errbuf[4200];
	int p2m_maxfd;                  /* highest kernel fd of a handle */
};

extern const struct fuse_operations p2k_fuse_ops;

/*
 * Per worker thread: make sure the calling thread has its own kernel
 * process (chrooted to kpath, umask 0), and, when creds is true, that its
 * effective ids are those of the FUSE request being served.  Returns 0
 * or a negative errno for FUSE.
 */
int p2k_thread_enter(bool creds);

/* Bind the kernel directory new threads chroot to (before serving). */
void p2k_thread_setroot(const char *kpath);

/* End the calling thread's kernel process, if it has one. */
void p2k_thread_release(void);

/* Record fd as a handle's descriptor, for closing leftovers at the end. */
void p2k_note_fd(int fd);

#endif /* _P2K_PRIVATE_H_ */
