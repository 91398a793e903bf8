/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The sysctl tree and its interfaces: the __sysctl system call, lookups
 * by name for rump_pub_sysctlbyname(), requests from inside the kernel,
 * and the registration of nodes.  The semantics are in sys/sysctl.h; the
 * core's own nodes are made in kern_sysctl_base.c.
 */
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/rwlock.h>
#include <sys/syscall.h>
#include <sys/sysctl.h>
#include <rump/rump.h>

#include "rump_private.h"
#include "syscallargs.h"

/* Guards the shape of the tree and every value in it. */
static krwlock_t sysctl_treelock;
static struct sysctlnode sysctl_root = {
	.sn_name = "",
	.sn_type = CTLTYPE_NODE,
};

void
sysctl_init(void)
{
	rw_init(&sysctl_treelock);
	LIST_INIT(&sysctl_root.sn_children);
	sysctl_base_init();
}

static struct sysctlnode *
sysctl_child(struct sysctlnode *parent, int num)
{
	struct sysctlnode *n;

	LIST_FOREACH(n, &parent->sn_children, sn_sibling)
		if (n->sn_num == num)
			return n;
	return NULL;
}

int
sysctl_create(struct sysctlnode **nodep, struct sysctlnode *parent, int num,
    const char *name, int type, int flags, void *data, size_t size,
    sysctlfn func)
{
	struct sysctlnode *n;

	KASSERT(name[0] != '\0' && strchr(name, '.') == NULL);
	KASSERT(type == CTLTYPE_NODE || data != NULL || func != NULL);
	if (parent == NULL)
		parent = &sysctl_root;
	KASSERT(parent->sn_type == CTLTYPE_NODE);
	rw_enter(&sysctl_treelock, RW_WRITER);
	LIST_FOREACH(n, &parent->sn_children, sn_sibling) {
		if (n->sn_num != num && strcmp(n->sn_name, name) != 0)
			continue;
		rw_exit(&sysctl_treelock);
		if (type == CTLTYPE_NODE && n->sn_type == CTLTYPE_NODE &&
		    n->sn_num == num && strcmp(n->sn_name, name) == 0) {
			if (nodep != NULL)
				*nodep = n;
			return 0;
		}
		return EEXIST;
	}
	if ((n = kmem_zalloc(sizeof(*n), KM_SLEEP)) == NULL) {
		rw_exit(&sysctl_treelock);
		return ENOMEM;
	}
	n->sn_num = num;
	n->sn_name = name;
	n->sn_type = type;
	n->sn_flags = flags;
	n->sn_data = data;
	n->sn_size = size;
	n->sn_func = func;
	n->sn_parent = parent;
	LIST_INIT(&n->sn_children);
	LIST_INSERT_HEAD(&parent->sn_children, n, sn_sibling);
	rw_exit(&sysctl_treelock);
	if (nodep != NULL)
		*nodep = n;
	return 0;
}

void
sysctl_destroy(struct sysctlnode *n)
{
	rw_enter(&sysctl_treelock, RW_WRITER);
	KASSERTMSG(LIST_EMPTY(&n->sn_children),
	    "sysctl %s: destroyed with children", n->sn_name);
	LIST_REMOVE(n, sn_sibling);
	rw_exit(&sysctl_treelock);
	kmem_free(n, sizeof(*n));
}

int
sysctl_copyout_value(struct sysctl_req *req, const void *value, size_t len)
{
	size_t n;
	int error = 0;

	if (req->sr_oldp != NULL) {
		n = MIN(len, req->sr_oldlen);
		if (req->sr_sysspace)
			memcpy(req->sr_oldp, value, n);
		else
			error = copyout(value, req->sr_oldp, n);
		if (error == 0 && n < len)
			error = ENOMEM;
	}
	req->sr_oldlen = len;
	return error;
}

/* Set a leaf from the request's new value, all or nothing. */
static int
sysctl_setvalue(struct sysctlnode *node, struct sysctl_req *req)
{
	size_t len = req->sr_newlen;
	char *buf;
	int error;

	if (node->sn_type == CTLTYPE_STRING ? len > node->sn_size
					    : len != node->sn_size)
		return EINVAL;
	if ((buf = kmem_zalloc(node->sn_size + 1, KM_SLEEP)) == NULL)
		return ENOMEM;
	error = 0;
	if (req->sr_sysspace)
		memcpy(buf, req->sr_newp, len);
	else if ((error = copyin(req->sr_newp, buf, len)) != 0)
		goto out;
	if (node->sn_type == CTLTYPE_STRING) {
		/* The NUL is optional; the string must leave room for it. */
		if ((len = strnlen(buf, len)) >= node->sn_size) {
			error = EINVAL;
			goto out;
		}
		buf[len++] = '\0';
	}
	memcpy(node->sn_data, buf, len);
out:
	kmem_free(buf, node->sn_size + 1);
	return error;
}

int
sysctl_lookup_range(struct sysctlnode *node, struct sysctl_req *req, int lo,
    int hi)
{
	int v, error;

	if (req->sr_newp != NULL) {
		if (req->sr_newlen != sizeof(int))
			return EINVAL;
		if (req->sr_sysspace)
			memcpy(&v, req->sr_newp, sizeof(v));
		else if ((error = copyin(req->sr_newp, &v, sizeof(v))) != 0)
			return error;
		if (v < lo || v > hi)
			return EINVAL;
	}
	return sysctl_lookup(node, req);
}

int
sysctl_lookup(struct sysctlnode *node, struct sysctl_req *req)
{
	size_t len = node->sn_size;
	int error;

	if (node->sn_type == CTLTYPE_STRING)
		len = strnlen(node->sn_data, node->sn_size - 1) + 1;
	if ((error = sysctl_copyout_value(req, node->sn_data, len)) != 0)
		return error;
	if (req->sr_newp == NULL)
		return 0;
	return sysctl_setvalue(node, req);
}

/*
 * CTL_QUERY: the children of node name[0..namelen-1] (namelen 0: the top
 * level), as struct sysctl_qnode records (sys/sysctl.h); the size rules
 * are a value's.  How a client lists the tree without knowing numbers.
 */
static int
sysctl_query(const int *name, unsigned namelen, void *oldp, size_t *oldlenp,
    bool sysspace)
{
	struct sysctlnode *node = &sysctl_root, *n;
	struct sysctl_qnode *q = NULL;
	struct sysctl_req req = { .sr_oldp = oldp,
		.sr_oldlen = oldlenp != NULL ? *oldlenp : 0,
		.sr_sysspace = sysspace };
	size_t cnt = 0, i = 0;
	int error = 0;

	rw_enter(&sysctl_treelock, RW_READER);
	for (unsigned k = 0; k < namelen && error == 0; k++) {
		if (node->sn_type != CTLTYPE_NODE)
			error = ENOTDIR;
		else if ((node = sysctl_child(node, name[k])) == NULL)
			error = ENOENT;
	}
	if (error == 0 && node->sn_type != CTLTYPE_NODE)
		error = ENOTDIR;
	if (error != 0)
		goto out;
	LIST_FOREACH(n, &node->sn_children, sn_sibling)
		cnt++;
	if (cnt > 0 &&
	    (q = kmem_zalloc(cnt * sizeof(*q), KM_SLEEP)) == NULL) {
		error = ENOMEM;
		goto out;
	}
	LIST_FOREACH(n, &node->sn_children, sn_sibling) {
		q[i].sq_num = n->sn_num;
		q[i].sq_type = n->sn_type;
		q[i].sq_flags = n->sn_flags;
		q[i].sq_size = (uint32_t)n->sn_size;
		strlcpy(q[i].sq_name, n->sn_name, sizeof(q[i].sq_name));
		i++;
	}
	error = sysctl_copyout_value(&req, q, cnt * sizeof(*q));
	if (oldlenp != NULL && (error == 0 || error == ENOMEM))
		*oldlenp = req.sr_oldlen;
	if (q != NULL)
		kmem_free(q, cnt * sizeof(*q));
out:
	rw_exit(&sysctl_treelock);
	return error;
}

/*
 * Run a request whose name is already in the kernel.  sysspace: the
 * buffers are kernel memory (a request from inside the kernel), which
 * a remote client's copyin and copyout would not reach.
 */
static int
sysctl_dispatch(const int *name, unsigned namelen, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen, bool sysspace)
{
	struct sysctlnode *node = &sysctl_root;
	struct lwp *l = curlwp;
	struct sysctl_req req;
	int error = 0;

	if (namelen == 0 || namelen > CTL_MAXNAME)
		return EINVAL;
	if (name[namelen - 1] == CTL_QUERY)
		return sysctl_query(name, namelen - 1, oldp, oldlenp, sysspace);
	rw_enter(&sysctl_treelock, newp != NULL ? RW_WRITER : RW_READER);
	for (unsigned i = 0; i < namelen; i++) {
		if (node->sn_type != CTLTYPE_NODE) {
			error = ENOTDIR;
			goto out;
		}
		if ((node = sysctl_child(node, name[i])) == NULL) {
			error = ENOENT;
			goto out;
		}
	}
	if (node->sn_type == CTLTYPE_NODE) {
		error = EISDIR;
		goto out;
	}
	if (newp != NULL && ((node->sn_flags & CTLFLAG_READWRITE) == 0 ||
	    ((node->sn_flags & CTLFLAG_ANYWRITE) == 0 &&
	    !kauth_cred_issuser(l->l_cred)))) {
		error = EPERM;
		goto out;
	}
	req.sr_lwp = l;
	req.sr_oldp = oldp;
	req.sr_oldlen = oldlenp != NULL ? *oldlenp : 0;
	req.sr_newp = newp;
	req.sr_newlen = newlen;
	req.sr_sysspace = sysspace;
	error = node->sn_func != NULL ? node->sn_func(node, &req)
				      : sysctl_lookup(node, &req);
	if (oldlenp != NULL && (error == 0 || error == ENOMEM))
		*oldlenp = req.sr_oldlen;
out:
	rw_exit(&sysctl_treelock);
	return error;
}

int
sysctl_kernel(const int *name, unsigned namelen, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	return sysctl_dispatch(name, namelen, oldp, oldlenp, newp, newlen,
	    true);
}

int
sys___sysctl(struct lwp *l, const struct sys___sysctl_args *uap,
    register_t *rv)
{
	int name[CTL_MAXNAME];
	size_t oldlen = 0;
	int error;

	(void)l;
	(void)rv;
	if (uap->namelen == 0 || uap->namelen > CTL_MAXNAME)
		return EINVAL;
	if ((error = copyin(uap->name, name, uap->namelen * sizeof(int))) != 0)
		return error;
	if (uap->oldlenp != NULL &&
	    (error = copyin(uap->oldlenp, &oldlen, sizeof(oldlen))) != 0)
		return error;
	if (uap->oldv != NULL && uap->oldlenp == NULL)
		return EINVAL;
	error = sysctl_dispatch(name, uap->namelen, uap->oldv,
	    uap->oldlenp != NULL ? &oldlen : NULL, uap->newv, uap->newlen,
	    false);
	if (uap->oldlenp != NULL && (error == 0 || error == ENOMEM)) {
		int error2 = copyout(&oldlen, uap->oldlenp, sizeof(oldlen));

		if (error == 0)
			error = error2;
	}
	return error;
}

/*
 * Translate "kern.hostname" into its numbers.  The walk stops at a leaf,
 * leaving the rest for sysctl_dispatch() to refuse with ENOTDIR.
 */
static int
sysctl_name2mib(const char *sname, int *mib, unsigned *lenp)
{
	struct sysctlnode *node = &sysctl_root, *n;
	const char *p = sname, *dot;
	unsigned len = 0;
	size_t clen;
	int error = 0;

	rw_enter(&sysctl_treelock, RW_READER);
	for (;;) {
		dot = strchr(p, '.');
		clen = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (clen == 0 || len == CTL_MAXNAME) {
			error = EINVAL;
			break;
		}
		if (node->sn_type != CTLTYPE_NODE) {
			mib[len++] = 0;
			break;
		}
		LIST_FOREACH(n, &node->sn_children, sn_sibling)
			if (strncmp(n->sn_name, p, clen) == 0 &&
			    n->sn_name[clen] == '\0')
				break;
		if (n == NULL) {
			error = ENOENT;
			break;
		}
		mib[len++] = n->sn_num;
		node = n;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	rw_exit(&sysctl_treelock);
	*lenp = len;
	return error;
}

int
rump_pub_sysctlbyname(const char *sname, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	int mib[CTL_MAXNAME];
	unsigned len;
	int error;

	if (!kern_booted)
		return ENXIO;
	if (sname == NULL || (oldp != NULL && oldlenp == NULL))
		return EINVAL;
	rump_schedule();
	lwp_cred_refresh(curlwp);
	error = sysctl_name2mib(sname, mib, &len);
	if (error == 0)
		error = sysctl_dispatch(mib, len, oldp, oldlenp, newp, newlen,
		    true);
	rump_unschedule();
	return error;
}
