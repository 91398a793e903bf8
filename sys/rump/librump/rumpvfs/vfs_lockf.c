/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * POSIX advisory record locks on vnodes, reached through the vnode
 * fileops' fo_fcntl (F_GETLK, F_SETLK, F_SETLKW).  A lock belongs to a
 * descriptor table, as on Linux: a process, or the processes sharing
 * one table (rfork without RFFDG/RFCFDG, like threads).  An owner's
 * locks never conflict with each other, and a new lock replaces the
 * owner's own locks on the range it covers (splitting them as needed).
 * F_SETLKW sleeps until the range is free, or fails with EDEADLK when
 * the holder is itself waiting for the caller.
 *
 * As POSIX says, an owner's locks on a file go when it closes any
 * descriptor of the file, even if others stay open (fo_fdclose), and so
 * at the end of the process.  A lock set by an F_SETLK racing with the
 * close of its descriptor could outlive every descriptor; the last
 * close of the open file drops those too.  After a forced unmount the
 * vnode's locks are gone and lock calls on it fail with EIO.
 *
 * Locking: (l) lockf_lock guards every vnode's list and the records.
 */
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lockf.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include "vfs_private.h"
#include "vnode_impl.h"

#define OFF_MAX INT64_MAX

struct lockf {
	struct lockf *lf_next;          /* l: the vnode's list */
	struct filedesc *lf_owner;      /* l */
	struct file *lf_file;           /* l: set through this file */
	pid_t lf_pid;                   /* l */
	short lf_type;                  /* l: F_RDLCK or F_WRLCK */
	off_t lf_start, lf_end;         /* l: inclusive */
};

static kmutex_t lockf_lock;
static kcondvar_t lockf_cv;             /* a lock was released */
/* What each sleeping owner waits for, for deadlock detection. */
struct lockf_waiter {
	struct filedesc *w_owner;
	struct filedesc *w_holder;
	struct lockf_waiter *w_next;
};
static struct lockf_waiter *lockf_waiters;      /* l */

void
vfs_lockf_init(void)
{
	mutex_init(&lockf_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&lockf_cv, "lockf");
}

static bool
lf_overlap(const struct lockf *lf, off_t start, off_t end)
{
	return lf->lf_start <= end && start <= lf->lf_end;
}

/* The first lock of another owner that conflicts with the request. */
static struct lockf *
lf_conflict(struct vnode *vp, struct filedesc *owner, short type, off_t start,
    off_t end)
{
	struct lockf *lf;

	KASSERT(mutex_owned(&lockf_lock));
	for (lf = VIMPL(vp)->vi_lockf; lf != NULL; lf = lf->lf_next) {
		if (lf->lf_owner == owner || !lf_overlap(lf, start, end))
			continue;
		if (type == F_WRLCK || lf->lf_type == F_WRLCK)
			return lf;
	}
	return NULL;
}

/* Whether holder waits, directly or through others, for owner. */
static bool
lf_deadlock(struct filedesc *owner, struct filedesc *holder)
{
	struct lockf_waiter *w;
	unsigned hops = 0;

	KASSERT(mutex_owned(&lockf_lock));
	while (holder != NULL && hops++ < 64) {
		if (holder == owner)
			return true;
		for (w = lockf_waiters; w != NULL; w = w->w_next)
			if (w->w_owner == holder)
				break;
		holder = w != NULL ? w->w_holder : NULL;
	}
	return false;
}

/*
 * Remove owner's locks from [start, end], splitting one that spans it
 * with the spare record *sparep (taken when used).
 */
static void
lf_clear(struct vnode *vp, struct filedesc *owner, off_t start, off_t end,
    struct lockf **sparep)
{
	struct lockf **lfp = &VIMPL(vp)->vi_lockf, *lf, *right;

	while ((lf = *lfp) != NULL) {
		if (lf->lf_owner != owner || !lf_overlap(lf, start, end)) {
			lfp = &lf->lf_next;
			continue;
		}
		if (lf->lf_start < start && lf->lf_end > end) {
			right = *sparep;
			*sparep = NULL;
			*right = *lf;
			right->lf_start = end + 1;
			lf->lf_end = start - 1;
			right->lf_next = lf->lf_next;
			lf->lf_next = right;
			return;
		}
		if (lf->lf_start < start) {
			lf->lf_end = start - 1;
			lfp = &lf->lf_next;
		} else if (lf->lf_end > end) {
			lf->lf_start = end + 1;
			lfp = &lf->lf_next;
		} else {
			*lfp = lf->lf_next;
			kmem_free(lf, sizeof(*lf));
		}
	}
}

/* The absolute range a struct flock describes. */
static int
lf_range(struct file *fp, const struct flock *fl, off_t *startp,
    off_t *endp)
{
	off_t base, start;
	int error;

	if ((error = vn_whence_base(fp, fl->l_whence, &base)) != 0)
		return error;
	if (__builtin_add_overflow(base, fl->l_start, &start) || start < 0)
		return EINVAL;
	if (fl->l_len > 0) {
		if (start > OFF_MAX - (fl->l_len - 1))
			return EOVERFLOW;
		*startp = start;
		*endp = start + fl->l_len - 1;
	} else if (fl->l_len == 0) {
		*startp = start;
		*endp = OFF_MAX;
	} else {
		if (start + fl->l_len < 0)
			return EINVAL;
		*startp = start + fl->l_len;
		*endp = start - 1;
	}
	return 0;
}

int
vn_advlock(struct vnode *vp, struct file *fp, unsigned cmd, void *uflock)
{
	struct filedesc *owner = curproc->p_fd;
	struct lockf *lf, *nlf = NULL, *spare = NULL;
	struct lockf_waiter me, **wp;
	struct flock fl;
	off_t start, end;
	int error;

	if ((error = copyin(uflock, &fl, sizeof(fl))) != 0)
		return error;
	if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	    fl.l_type != F_UNLCK)
		return EINVAL;
	if ((error = lf_range(fp, &fl, &start, &end)) != 0)
		return error;

	if (cmd == F_GETLK) {
		if (fl.l_type == F_UNLCK)
			return EINVAL;
		mutex_enter(&lockf_lock);
		if (vfs_revoked(vp->v_mount)) {
			mutex_exit(&lockf_lock);
			return EIO;
		}
		lf = lf_conflict(vp, owner, fl.l_type, start, end);
		if (lf != NULL) {
			fl.l_type = lf->lf_type;
			fl.l_whence = SEEK_SET;
			fl.l_start = lf->lf_start;
			fl.l_len = lf->lf_end == OFF_MAX ? 0 :
			    lf->lf_end - lf->lf_start + 1;
			fl.l_pid = lf->lf_pid;
		} else
			fl.l_type = F_UNLCK;
		mutex_exit(&lockf_lock);
		return copyout(&fl, uflock, sizeof(fl));
	}

	if ((fl.l_type == F_RDLCK && !(fp->f_flag & FREAD)) ||
	    (fl.l_type == F_WRLCK && !(fp->f_flag & FWRITE)))
		return EBADF;
	/* Records allocated up front: nothing allocates under lockf_lock. */
	if ((spare = kmem_alloc(sizeof(*spare), KM_SLEEP)) == NULL)
		return ENOLCK;
	if (fl.l_type != F_UNLCK &&
	    (nlf = kmem_alloc(sizeof(*nlf), KM_SLEEP)) == NULL) {
		kmem_free(spare, sizeof(*spare));
		return ENOLCK;
	}
	mutex_enter(&lockf_lock);
	if (vfs_revoked(vp->v_mount)) {
		error = EIO;
		goto out;
	}
	if (fl.l_type != F_UNLCK) {
		while ((lf = lf_conflict(vp, owner, fl.l_type, start,
		    end)) != NULL) {
			if (cmd == F_SETLK) {
				error = EAGAIN;
				goto out;
			}
			if (lf_deadlock(owner, lf->lf_owner)) {
				error = EDEADLK;
				goto out;
			}
			me.w_owner = owner;
			me.w_holder = lf->lf_owner;
			me.w_next = lockf_waiters;
			lockf_waiters = &me;
			/* EINTR only for a remote client that hung up. */
			error = cv_wait_sig(&lockf_cv, &lockf_lock);
			for (wp = &lockf_waiters; *wp != &me;
			    wp = &(*wp)->w_next)
				continue;
			*wp = me.w_next;
			if (error != 0)
				goto out;
			if (vfs_revoked(vp->v_mount)) {
				error = EIO;
				goto out;
			}
		}
	}
	lf_clear(vp, owner, start, end, &spare);
	if (nlf != NULL) {
		nlf->lf_owner = owner;
		nlf->lf_file = fp;
		nlf->lf_pid = curproc->p_pid;
		nlf->lf_type = fl.l_type;
		nlf->lf_start = start;
		nlf->lf_end = end;
		nlf->lf_next = VIMPL(vp)->vi_lockf;
		atomic_store_release(&VIMPL(vp)->vi_lockf, nlf);
		nlf = NULL;
	}
	cv_broadcast(&lockf_cv);
out:
	mutex_exit(&lockf_lock);
	if (nlf != NULL)
		kmem_free(nlf, sizeof(*nlf));
	if (spare != NULL)
		kmem_free(spare, sizeof(*spare));
	return error;
}

/*
 * Drop the locks on vp of owner (fdp non-NULL) or set through the file
 * fp (fp non-NULL), or all of them.
 */
static void
lf_drop(struct vnode *vp, struct filedesc *fdp, struct file *fp)
{
	struct lockf **lfp, *lf;
	bool freed = false;

	/*
	 * Most files are never locked: do not take the global lock to
	 * find that out.  A lock being set concurrently by the same owner
	 * is ordered after this close.
	 */
	if (atomic_load_acquire(&VIMPL(vp)->vi_lockf) == NULL)
		return;
	mutex_enter(&lockf_lock);
	lfp = &VIMPL(vp)->vi_lockf;
	while ((lf = *lfp) != NULL) {
		if ((fdp == NULL || lf->lf_owner == fdp) &&
		    (fp == NULL || lf->lf_file == fp)) {
			*lfp = lf->lf_next;
			kmem_free(lf, sizeof(*lf));
			freed = true;
		} else
			lfp = &lf->lf_next;
	}
	if (freed)
		cv_broadcast(&lockf_cv);
	mutex_exit(&lockf_lock);
}

void
vn_advlock_fdclose(struct vnode *vp, struct filedesc *fdp)
{
	lf_drop(vp, fdp, NULL);
}

void
vn_advlock_release(struct vnode *vp, struct file *fp)
{
	lf_drop(vp, NULL, fp);
}

/*
 * Called after the mount's gate is shut (vfs_revoked), so no lock is set
 * on vp after this; sleepers wake, see the revocation and fail.
 */
void
vn_advlock_revoke(struct vnode *vp)
{
	lf_drop(vp, NULL, NULL);
	mutex_enter(&lockf_lock);
	cv_broadcast(&lockf_cv);
	mutex_exit(&lockf_lock);
}
