/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Boot.  rump_init() checks the hypercall version, reads the parameters,
 * brings up the core (CPUs, memory, processes, time) and then every linked
 * component, type by type.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <rump/rump.h>
#include <rump/rumpuser.h>

#include "rump_private.h"

char hostname[MAXHOSTNAMELEN];
size_t hostnamelen;
static uint64_t boottime_ns;
/* Set by the client, read by it; no signal is ever sent (rump.h). */
static enum rump_sigmodel sigmodel = RUMP_SIGMODEL_PANIC;

extern const struct syscall_package syscalls_kern[];

static const struct rumpuser_hyperup hyp = {
	.hyp_schedule = rump_schedule,
	.hyp_unschedule = rump_unschedule,
	.hyp_backend_unschedule = sched_backend_unschedule,
	.hyp_backend_schedule = sched_backend_schedule,
};

/* An integer parameter: def if unset, an error if malformed. */
static int
getparam_ull(const char *name, unsigned long long def,
    unsigned long long *vp)
{
	char buf[64];
	int error;

	*vp = def;
	error = rumpuser_getparam(name, buf, sizeof(buf));
	if (error == ENOENT)
		return 0;
	if (error == 0 && (error = strtoull_sfx(buf, vp)) != 0)
		printf("rump_init: %s=%s: not a number\n", name, buf);
	return error;
}

static int
boot_params(int *ncpup, size_t *memlimitp)
{
	unsigned long long hostncpu, n, limit, verbose;
	char buf[MAXHOSTNAMELEN];
	int error;

	if ((error = getparam_ull("RUMP_VERBOSE", 0, &verbose)) != 0)
		return error;
	boothowto_verbose = verbose != 0;
	if ((error = getparam_ull("RUMP_LOGLEVEL", verbose != 0 ? LOG_DEBUG :
	    LOG_INFO, &n)) != 0)
		return error;
	log_maxlevel = n > LOG_DEBUG ? LOG_DEBUG : (int)n;
	if ((error = getparam_ull("_RUMPUSER_NCPU", 1, &hostncpu)) != 0 ||
	    (error = getparam_ull("RUMP_NCPU", hostncpu, &n)) != 0)
		return error;
	if (n < 1 || n > MAXCPUS) {
		printf("rump_init: RUMP_NCPU=%llu: must be 1 to %d\n", n,
		    MAXCPUS);
		return EINVAL;
	}
	*ncpup = (int)n;
	if ((error = getparam_ull("RUMP_MEMLIMIT", 0, &limit)) != 0)
		return error;
	if (limit != 0 && limit < 256 * 1024) {
		printf("rump_init: RUMP_MEMLIMIT=%llu: at least 256k needed\n",
		    limit);
		return EINVAL;
	}
	*memlimitp = (size_t)limit;
	if (rumpuser_getparam("RUMP_HOSTNAME", buf, sizeof(buf)) == 0)
		strlcpy(hostname, buf, sizeof(hostname));
	else
		strlcpy(hostname, "rump", sizeof(hostname));
	hostnamelen = strlen(hostname);
	return 0;
}

int
rump_init(void)
{
	static bool booting;
	size_t memlimit;
	uint64_t t0;
	int error, n;

	if (kern_booted || booting)
		return 0;
	booting = true;
	if ((error = rumpuser_init(RUMPUSER_VERSION, &hyp)) != 0)
		goto fail;
	time_init();
	t0 = getnsecuptime();
	if ((error = boot_params(&n, &memlimit)) != 0 ||
	    (error = component_check()) != 0)
		goto fail;

	sched_init(n);
	/* The rest of the boot runs on an implicit lwp of proc0. */
	rump_schedule();
	curlwp->l_proc = &proc0;
	kmem_init(memlimit);
	log_init();
	page_init();
	pool_subsys_init();
	lwproc_init();
	devsw_init();
	lwp_cred_refresh(curlwp);
	callout_startup();
	softint_startup();
	shutdown_init();
	sysctl_init();
	pipe_init();

	aprint_verbose("Copyright (c) 2026 The rump on Linux developers.\n");
	aprint_verbose("%s\n", version);
	aprint_verbose("total memory = %s\n",
	    memlimit ? "limited" : "unlimited");
	if (memlimit)
		aprint_verbose("memory limit = %zu KiB\n", memlimit / 1024);
	aprint_verbose("cpus = %d virtual\n", ncpu);

	syscall_establish(syscalls_kern);
	component_init_all();

	rump_unschedule();
	boottime_ns = getnsecuptime() - t0;
	aprint_verbose("rump kernel booted in %llu us\n",
	    (unsigned long long)boottime_ns / 1000);
	kern_booted = true;
	return 0;

fail:
	booting = false;
	return error;
}

int
rump_getversion(void)
{
	return RUMPUSER_VERSION;
}

int
rump_pub_getversion(void)
{
	return rump_getversion();
}

int
rump_nativeabi_p(void)
{
	return 1;
}

void
rump_boot_setsigmodel(enum rump_sigmodel model)
{
	sigmodel = model;
}

enum rump_sigmodel
rump_boot_getsigmodel(void)
{
	return sigmodel;
}

unsigned long long
rump_pub_boottime_ns(void)
{
	return boottime_ns;
}

/* The core's anchor, forced in by rump.pc (see sys/component.h). */
void rump_component_kern(void);
void
rump_component_kern(void)
{
}
