/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel core's sysctl nodes: kern.* (identity, host name, boot
 * time) and hw.* (machine, CPUs, page size, memory), with NetBSD's
 * numbers (sys/sysctl.h).  The top-level vm, vfs and net nodes are made
 * here too, empty, for the components that fill them.
 */
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/utsname.h>

#include "rump_private.h"

static struct timeval boottime;                 /* stable after boot */
static int pagesize = PAGE_SIZE;
static int64_t physmem;                         /* stable after boot */

/* kern.hostname: the kernel keeps its length next to it. */
static int
sysctl_hostname(struct sysctlnode *node, struct sysctl_req *req)
{
	int error = sysctl_lookup(node, req);

	if (error == 0 && req->sr_newp != NULL)
		hostnamelen = strlen(hostname);
	return error;
}

struct sysctl_leaf {
	int sl_parent;
	int sl_num;
	const char *sl_name;
	int sl_type;
	int sl_flags;
	void *sl_data;
	size_t sl_size;
	sysctlfn sl_func;
};

/* Identity strings are read-only: UTSNAME_LEN bounds them, NUL-ended. */
static const struct sysctl_leaf base_leaves[] = {
	{ CTL_KERN, KERN_OSTYPE, "ostype", CTLTYPE_STRING, CTLFLAG_READONLY,
	    __UNCONST(ostype), UTSNAME_LEN, NULL },
	{ CTL_KERN, KERN_OSRELEASE, "osrelease", CTLTYPE_STRING,
	    CTLFLAG_READONLY, __UNCONST(osrelease), UTSNAME_LEN, NULL },
	{ CTL_KERN, KERN_VERSION, "version", CTLTYPE_STRING, CTLFLAG_READONLY,
	    __UNCONST(version), UTSNAME_LEN, NULL },
	{ CTL_KERN, KERN_HOSTNAME, "hostname", CTLTYPE_STRING,
	    CTLFLAG_READWRITE, hostname, sizeof(hostname), sysctl_hostname },
	{ CTL_KERN, KERN_BOOTTIME, "boottime", CTLTYPE_STRUCT,
	    CTLFLAG_READONLY, &boottime, sizeof(boottime), NULL },
	{ CTL_HW, HW_MACHINE, "machine", CTLTYPE_STRING, CTLFLAG_READONLY,
	    __UNCONST(machine), UTSNAME_LEN, NULL },
	{ CTL_HW, HW_NCPU, "ncpu", CTLTYPE_INT, CTLFLAG_READONLY, &ncpu,
	    sizeof(ncpu), NULL },
	{ CTL_HW, HW_PAGESIZE, "pagesize", CTLTYPE_INT, CTLFLAG_READONLY,
	    &pagesize, sizeof(pagesize), NULL },
	{ CTL_HW, HW_PHYSMEM64, "physmem64", CTLTYPE_QUAD, CTLFLAG_READONLY,
	    &physmem, sizeof(physmem), NULL },
};

void
sysctl_base_init(void)
{
	static const struct {
		int num;
		const char *name;
	} tops[] = {
		{ CTL_KERN, "kern" },
		{ CTL_VM, "vm" },
		{ CTL_VFS, "vfs" },
		{ CTL_NET, "net" },
		{ CTL_HW, "hw" },
	};
	struct sysctlnode *top[CTL_HW + 1] = { NULL };
	const struct sysctl_leaf *sl;
	struct timespec now;

	nanotime(&now);
	now = ns_to_timespec(timespec_to_ns(&now) - (int64_t)getnsecuptime());
	boottime.tv_sec = now.tv_sec;
	boottime.tv_usec = now.tv_nsec / 1000;
	physmem = (int64_t)kmem_limit();

	/* At boot, before any client: failing here is running out of memory. */
	for (size_t i = 0; i < __arraycount(tops); i++)
		if (sysctl_create(&top[tops[i].num], NULL, tops[i].num,
		    tops[i].name, CTLTYPE_NODE, 0, NULL, 0, NULL) != 0)
			panic("sysctl: cannot create node %s", tops[i].name);
	for (size_t i = 0; i < __arraycount(base_leaves); i++) {
		sl = &base_leaves[i];
		if (sysctl_create(NULL, top[sl->sl_parent], sl->sl_num,
		    sl->sl_name, sl->sl_type, sl->sl_flags, sl->sl_data,
		    sl->sl_size, sl->sl_func) != 0)
			panic("sysctl: cannot create node %s", sl->sl_name);
	}
}
