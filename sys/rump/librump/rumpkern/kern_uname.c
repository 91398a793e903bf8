/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The kernel's identity and uname(2).  The system is "rump": a client
 * that asks learns it talks to a rump kernel and not to the host.  The
 * release is this kernel's version; the machine is the host's
 * architecture as Linux names it, since the kernel runs its code; the
 * node name is kern.hostname.
 */
#include <sys/systm.h>
#include <sys/lwp.h>
#include <sys/syscall.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>

#include "syscallargs.h"

#define RUMP_OSRELEASE "0.1"

#if defined(__x86_64__)
#define RUMP_MACHINE "x86_64"
#elif defined(__aarch64__)
#define RUMP_MACHINE "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define RUMP_MACHINE "riscv64"
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define RUMP_MACHINE "ppc64le"
#elif defined(__s390x__)
#define RUMP_MACHINE "s390x"
#elif defined(__i386__)
#define RUMP_MACHINE "i686"
#elif defined(__arm__)
#define RUMP_MACHINE "armv7l"
#else
#error "unknown host architecture: add its Linux machine name"
#endif

const char ostype[] = "rump";
const char osrelease[] = RUMP_OSRELEASE;
const char version[] = "rump kernel " RUMP_OSRELEASE " (rump on Linux)";
const char machine[] = RUMP_MACHINE;

int
sys_uname(struct lwp *l, const struct sys_uname_args *uap, register_t *rv)
{
	static const int mib[] = { CTL_KERN, KERN_HOSTNAME };
	struct utsname u;
	size_t len = sizeof(u.nodename);
	int error;

	(void)l;
	(void)rv;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, ostype, sizeof(u.sysname));
	if ((error = sysctl_kernel(mib, __arraycount(mib), u.nodename, &len,
	    NULL, 0)) != 0)
		return error;
	strlcpy(u.release, osrelease, sizeof(u.release));
	strlcpy(u.version, version, sizeof(u.version));
	strlcpy(u.machine, machine, sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copyout(&u, uap->name, sizeof(u));
}
