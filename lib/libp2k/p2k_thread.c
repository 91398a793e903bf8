/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel context of FUSE worker threads.
 *
 * libfuse's session loop serves requests from several host threads at
 * once, each calling the operations directly (no hand-off to another
 * thread on the way into the kernel).  A host
 * thread with no lwp of its own would run in the kernel's default
 * process, whose credentials all threads would share; so the first
 * request a thread serves makes it a process of its own
 * (rump_pub_lwproc_rfork with neither RFFDG nor RFCFDG: the descriptor
 * table stays shared, so a file opened by one worker can be read and
 * closed by another).  The process is chrooted to the served file system,
 * so FUSE's paths ("/a/b", relative to the mount) are kernel paths as
 * they are, and nothing outside the mount can be reached.  Its umask is 0:
 * the host kernel has already applied the caller's, except on a mount
 * with POSIX ACLs, where the host leaves it to us (a default ACL
 * overrides it) and a create sets the requester's (p2k_thread_umask).
 *
 * Credentials: the process starts as root (real and saved uid 0) and
 * switches only its effective uid, effective gid and groups to the
 * requester's, so it can always switch back to root for the next
 * requester.  The ids are switched only when they differ from the last
 * request's on this thread, so a steady stream from one user costs
 * nothing.  Supplementary groups are read (fuse_getgroups, from /proc)
 * only for requesters other than root, whom they cannot affect.
 *
 * Each thread also keeps a buffer for read replies, grown to the largest
 * read it served (1 MiB at most, the mount's max_read), so a stream of
 * reads does not map and unmap a megabyte per request.
 *
 * The process ends with its thread (a thread-specific-data destructor),
 * or by p2k_thread_release() for a thread that goes on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "p2k_private.h"

#define P2K_NGROUPS 32          /* what a kernel credential keeps */

/* A worker thread's state: its own, never shared. */
struct p2k_thread {
	uid_t pt_uid;           /* effective ids now in force */
	gid_t pt_gid;
	int pt_ngroups;
	gid_t pt_groups[P2K_NGROUPS];
	mode_t pt_umask;        /* the process's umask now */
	void *pt_buf;           /* p2k_thread_buf */
	size_t pt_bufsize;
};

static pthread_key_t p2k_thread_key;
static pthread_once_t p2k_thread_once = PTHREAD_ONCE_INIT;
static const char *p2k_root;    /* set before the loop, then read-only */

static void
p2k_thread_dtor(void *arg)
{
	struct p2k_thread *pt = arg;

	free(pt->pt_buf);
	free(pt);
	if (rump_pub_lwproc_curlwp() != NULL)
		rump_pub_lwproc_releaselwp();
}

static void
p2k_thread_keyinit(void)
{
	if (pthread_key_create(&p2k_thread_key, p2k_thread_dtor) != 0)
		abort();
}

void
p2k_thread_setroot(const char *kpath)
{
	pthread_once(&p2k_thread_once, p2k_thread_keyinit);
	p2k_root = kpath;
}

static struct p2k_thread *
p2k_thread_new(int *errorp)
{
	struct p2k_thread *pt;
	int error;

	if ((pt = calloc(1, sizeof(*pt))) == NULL) {
		*errorp = ENOMEM;
		return NULL;
	}
	if ((error = rump_pub_lwproc_rfork(0)) != 0) {
		free(pt);
		*errorp = error;
		return NULL;
	}
	if (rump_sys_chroot(p2k_root) == -1 || rump_sys_chdir("/") == -1) {
		*errorp = errno;
		rump_pub_lwproc_releaselwp();
		free(pt);
		return NULL;
	}
	rump_sys_umask(0);
	if (pthread_setspecific(p2k_thread_key, pt) != 0) {
		*errorp = ENOMEM;
		rump_pub_lwproc_releaselwp();
		free(pt);
		return NULL;
	}
	return pt;
}

/* Make the kernel process's effective ids uid, gid and groups. */
static int
p2k_thread_setids(struct p2k_thread *pt, uid_t uid, gid_t gid, int ngroups,
    const gid_t *groups)
{
	if (pt->pt_uid != 0 && rump_sys_seteuid(0) == -1)
		return errno;
	pt->pt_uid = 0;
	if (rump_sys_setgroups(ngroups, groups) == -1 ||
	    rump_sys_setegid(gid) == -1)
		return errno;
	pt->pt_gid = gid;
	pt->pt_ngroups = ngroups;
	memcpy(pt->pt_groups, groups, (size_t)ngroups * sizeof(gid_t));
	if (uid != 0 && rump_sys_seteuid(uid) == -1)
		return errno;
	pt->pt_uid = uid;
	return 0;
}

int
p2k_thread_enter(fuse_req_t req)
{
	struct p2k_thread *pt;
	const struct fuse_ctx *fc;
	gid_t groups[P2K_NGROUPS];
	int error, n = 0;

	if ((pt = pthread_getspecific(p2k_thread_key)) == NULL &&
	    (pt = p2k_thread_new(&error)) == NULL)
		return error;
	if (req == NULL)
		return 0;
	fc = fuse_req_ctx(req);
	if (fc->uid != 0) {
		n = fuse_req_getgroups(req, P2K_NGROUPS, groups);
		if (n < 0)
			n = 0;
		else if (n > P2K_NGROUPS)
			n = P2K_NGROUPS;
	}
	if (fc->uid == pt->pt_uid && fc->gid == pt->pt_gid &&
	    n == pt->pt_ngroups &&
	    memcmp(groups, pt->pt_groups, (size_t)n * sizeof(gid_t)) == 0)
		return 0;
	return p2k_thread_setids(pt, fc->uid, fc->gid, n, groups);
}

void
p2k_thread_forget_ids(void)
{
	struct p2k_thread *pt = pthread_getspecific(p2k_thread_key);

	if (pt != NULL) {
		pt->pt_uid = (uid_t)-1;
		pt->pt_ngroups = -1;
	}
}

void
p2k_thread_umask(mode_t mask)
{
	struct p2k_thread *pt = pthread_getspecific(p2k_thread_key);

	if (pt != NULL && pt->pt_umask != mask) {
		rump_sys_umask(mask);
		pt->pt_umask = mask;
	}
}

void *
p2k_thread_buf(size_t size)
{
	struct p2k_thread *pt = pthread_getspecific(p2k_thread_key);
	void *buf;

	if (pt == NULL)
		return NULL;
	if (pt->pt_bufsize < size) {
		if ((buf = malloc(size)) == NULL)
			return NULL;
		free(pt->pt_buf);
		pt->pt_buf = buf;
		pt->pt_bufsize = size;
	}
	return pt->pt_buf;
}

void
p2k_thread_release(void)
{
	struct p2k_thread *pt;

	pthread_once(&p2k_thread_once, p2k_thread_keyinit);
	if ((pt = pthread_getspecific(p2k_thread_key)) == NULL)
		return;
	pthread_setspecific(p2k_thread_key, NULL);
	p2k_thread_dtor(pt);
}
