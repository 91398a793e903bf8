/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The sysctl tree (kern_sysctl.c): named, numbered kernel values that
 * clients read and set with __sysctl(2) by number or with
 * rump_pub_sysctlbyname() by name ("kern.hostname").  The numbers of the
 * core's nodes are NetBSD's.
 *
 * Semantics of a request for name[0..namelen-1]:
 * - namelen 0 or more than CTL_MAXNAME: EINVAL;
 * - a component that is not there: ENOENT; a name that goes on past a
 *   leaf: ENOTDIR; a name that ends on a node (not a leaf): EISDIR;
 * - oldp NULL: *oldlenp is set to the size of the value;
 * - oldp too small: as much as fits is copied, *oldlenp is set to the
 *   full size and the error is ENOMEM (the new value is then not set);
 * - strings include their NUL;
 * - a new value for a read-only leaf: EPERM; for a writable one, EPERM
 *   unless the caller is root or the leaf is CTLFLAG_ANYWRITE; of the
 *   wrong size (or a string too long for the leaf, NUL excluded): EINVAL.
 * The old value is read before the new one is set, in one step.
 *
 * Components add their own nodes with sysctl_create().  The tree is
 * locked by one reader/writer lock: a handler runs with it held, as a
 * writer when a new value was given, so it must not call sysctl itself.
 */
#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <sys/types.h>
#include <sys/queue.h>

#define CTL_MAXNAME 12

/*
 * A name ending in CTL_QUERY lists the children of the node the rest
 * names (nothing else: the top level): an array of these records, with
 * the size rules of a value.  Read-only.  As NetBSD's CTL_QUERY, with a
 * record of our own: 48 bytes, host byte order.
 */
#define CTL_QUERY (-4)
struct sysctl_qnode {
	int32_t sq_num;
	int32_t sq_type;                /* CTLTYPE_* */
	int32_t sq_flags;               /* CTLFLAG_* */
	uint32_t sq_size;               /* a leaf's size */
	char sq_name[32];               /* NUL-terminated */
};

/* Top level. */
#define CTL_KERN 1      /* kernel: node */
#define CTL_VM   2      /* virtual memory: node, for components */
#define CTL_VFS  3      /* file systems: node, for components */
#define CTL_NET  4      /* network: node, for components */
#define CTL_HW   6      /* hardware: node */

/* CTL_KERN */
#define KERN_OSTYPE    1        /* string: "rump" */
#define KERN_OSRELEASE 2        /* string: the release, as "0.1" */
#define KERN_VERSION   4        /* string: a one-line description */
#define KERN_HOSTNAME  10       /* string, read-write (root) */
#define KERN_BOOTTIME  21       /* struct timeval: wall-clock boot time */
#define KERN_MBUF      39       /* node: mbufs (librumpnet) */

/* CTL_HW */
#define HW_MACHINE   1          /* string: the host's architecture */
#define HW_NCPU      3          /* int: virtual CPUs */
#define HW_PAGESIZE  7          /* int */
#define HW_PHYSMEM64 13         /* int64_t: RUMP_MEMLIMIT, 0 for none */

#ifdef _KERNEL

/* Node types. */
#define CTLTYPE_NODE   1
#define CTLTYPE_INT    2        /* int */
#define CTLTYPE_STRING 3        /* char[sn_size] */
#define CTLTYPE_QUAD   4        /* int64_t */
#define CTLTYPE_STRUCT 5        /* sn_size bytes */

/* Node flags. */
#define CTLFLAG_READONLY  0x00
#define CTLFLAG_READWRITE 0x01
#define CTLFLAG_ANYWRITE  0x02  /* writable by anyone, not only root */

struct lwp;
struct sysctlnode;

/* One request, as a handler sees it.  Buffers are the client's. */
struct sysctl_req {
	struct lwp *sr_lwp;
	void *sr_oldp;                  /* NULL: only the size is wanted */
	size_t sr_oldlen;               /* in: oldp's size; out: value's */
	const void *sr_newp;            /* NULL: nothing to set */
	size_t sr_newlen;
	bool sr_sysspace;               /* the buffers are kernel memory */
};

typedef int (*sysctlfn)(struct sysctlnode *, struct sysctl_req *);

/* Lock legend: (t) the tree lock, (c) stable. */
struct sysctlnode {
	int sn_num;                             /* c */
	const char *sn_name;                    /* c */
	int sn_type;                            /* c: CTLTYPE_* */
	int sn_flags;                           /* c: CTLFLAG_* */
	void *sn_data;                          /* t: the value */
	size_t sn_size;                         /* c: its size */
	sysctlfn sn_func;                       /* c: NULL: sysctl_lookup */
	struct sysctlnode *sn_parent;           /* c */
	LIST_HEAD(, sysctlnode) sn_children;    /* t */
	LIST_ENTRY(sysctlnode) sn_sibling;      /* t */
};

/*
 * Add a child num, called name, to parent (NULL: the top level).  name
 * must stay valid as long as the node (a literal).  A leaf's value is
 * sn_size bytes at data, read and set by func (NULL: sysctl_lookup).
 * Creating a node (CTLTYPE_NODE) that exists with the same number and
 * name gives the existing one, so components can share "net" or "vfs".
 * EEXIST when the number or the name is taken otherwise, ENOMEM.
 */
int sysctl_create(struct sysctlnode **nodep, struct sysctlnode *parent,
    int num, const char *name, int type, int flags, void *data, size_t size,
    sysctlfn func);
/* Remove a leaf or an empty node made by sysctl_create(). */
void sysctl_destroy(struct sysctlnode *);

/* The default handler: copy the value out, then set the new one. */
int sysctl_lookup(struct sysctlnode *, struct sysctl_req *);
/* sysctl_lookup for an int leaf that takes new values in [lo, hi] only. */
int sysctl_lookup_range(struct sysctlnode *, struct sysctl_req *, int lo,
    int hi);
/* For handlers: report value (len bytes) as the old value. */
int sysctl_copyout_value(struct sysctl_req *, const void *value, size_t len);

/*
 * A request from inside the kernel, with the same semantics as
 * __sysctl(2), made with the credential of the current lwp.  Buffers are
 * the caller's.
 */
int sysctl_kernel(const int *name, unsigned namelen, void *oldp,
    size_t *oldlenp, const void *newp, size_t newlen);

#endif /* _KERNEL */

#endif /* _SYS_SYSCTL_H_ */
