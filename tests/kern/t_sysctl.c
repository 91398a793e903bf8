/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* sysctl by number and by name, and uname. */
#define _GNU_SOURCE
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

#include <rump/rumpdefs.h>

#include "h_macros.h"

static int
sysctl2(int a, int b, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	int mib[2] = { a, b };

	return rump_sys___sysctl(mib, 2, oldp, oldlenp, newp, newlen);
}

TESTCASE(read_strings)
{
	char buf[128];
	size_t len;

	len = 0;
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, &len, NULL,
	    0));
	REQUIRE_EQ(len, 5);
	len = sizeof(buf);
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len, NULL,
	    0));
	REQUIRE_EQ(len, 5);
	REQUIRE(strcmp(buf, "rump") == 0);
	len = sizeof(buf);
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSRELEASE, buf, &len,
	    NULL, 0));
	REQUIRE_EQ(len, strlen(buf) + 1);
	len = sizeof(buf);
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_VERSION, buf, &len, NULL,
	    0));
	REQUIRE(strstr(buf, "rump") != NULL);
}

TESTCASE(partial_copy)
{
	char buf[8];
	size_t len = 2;

	memset(buf, 'x', sizeof(buf));
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, buf, &len,
	    NULL, 0), ENOMEM);
	REQUIRE_EQ(len, 5);
	REQUIRE(memcmp(buf, "rux", 3) == 0);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.ostype", buf, &(size_t){ 3 },
	    NULL, 0), ENOMEM);
}

TESTCASE(errors)
{
	int mib[RUMP_CTL_MAXNAME + 1] = { RUMP_CTL_KERN, RUMP_KERN_OSTYPE };
	char buf[64];
	size_t len = sizeof(buf);

	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, 9999, buf, &len, NULL, 0),
	    ENOENT);
	REQUIRE_ERRNO(sysctl2(999, 1, buf, &len, NULL, 0), ENOENT);
	REQUIRE_ERRNO(rump_sys___sysctl(mib, 1, buf, &len, NULL, 0), EISDIR);
	REQUIRE_ERRNO(rump_sys___sysctl(mib, 3, buf, &len, NULL, 0),
	    ENOTDIR);
	REQUIRE_ERRNO(rump_sys___sysctl(mib, 0, buf, &len, NULL, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys___sysctl(mib, RUMP_CTL_MAXNAME + 1, buf, &len,
	    NULL, 0), EINVAL);
	REQUIRE_ERRNO(rump_sys___sysctl(NULL, 2, buf, &len, NULL, 0), EFAULT);
	REQUIRE_ERRNO(rump_sys___sysctl(mib, 2, (void *)8, &len, NULL, 0),
	    EFAULT);
	/* Read-only, even for root. */
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSTYPE, NULL, NULL,
	    "x", 2), EPERM);
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_HW, RUMP_HW_NCPU, NULL, NULL,
	    &(int){ 1 }, sizeof(int)), EPERM);
}

TESTCASE(hw)
{
	struct utsname u;
	char buf[64];
	long long mem = -1;
	size_t len;
	int n = 0;

	REQUIRE_EQ(setenv("RUMP_NCPU", "3", 1), 0);
	REQUIRE_EQ(rump_init(), 0);
	len = sizeof(n);
	REQUIRE_OK(sysctl2(RUMP_CTL_HW, RUMP_HW_NCPU, &n, &len, NULL, 0));
	REQUIRE_EQ(len, sizeof(int));
	REQUIRE_EQ(n, 3);
	len = sizeof(n);
	REQUIRE_OK(sysctl2(RUMP_CTL_HW, RUMP_HW_PAGESIZE, &n, &len, NULL, 0));
	REQUIRE_EQ(n, 4096);
	len = sizeof(mem);
	REQUIRE_OK(sysctl2(RUMP_CTL_HW, RUMP_HW_PHYSMEM64, &mem, &len, NULL,
	    0));
	REQUIRE_EQ(len, 8);
	REQUIRE_EQ(mem, 0);
	len = sizeof(buf);
	REQUIRE_OK(sysctl2(RUMP_CTL_HW, RUMP_HW_MACHINE, buf, &len, NULL, 0));
	REQUIRE_EQ(uname(&u), 0);
	REQUIRE(strcmp(buf, u.machine) == 0);
}

TESTCASE(physmem)
{
	long long mem = 0;
	size_t len = sizeof(mem);

	REQUIRE_EQ(setenv("RUMP_MEMLIMIT", "8m", 1), 0);
	REQUIRE_EQ(rump_init(), 0);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw.physmem64", &mem, &len, NULL, 0),
	    0);
	REQUIRE_EQ(mem, 8 << 20);
}

TESTCASE(boottime)
{
	struct timeval tv;
	size_t len = sizeof(tv);
	time_t now = time(NULL);

	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_BOOTTIME, &tv, &len, NULL,
	    0));
	REQUIRE_EQ(len, sizeof(tv));
	REQUIRE(tv.tv_sec <= now && tv.tv_sec >= now - 60);
}

TESTCASE(hostname)
{
	char name[80], buf[80];
	size_t len = sizeof(buf);

	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    "testhost", 8));
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len, NULL,
	    0));
	REQUIRE_EQ(len, 9);
	REQUIRE(strcmp(buf, "testhost") == 0);
	/* Old value out, new value in, in one call; NUL included or not. */
	len = sizeof(buf);
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len,
	    "other", 6));
	REQUIRE(strcmp(buf, "testhost") == 0);
	/* 63 characters fit, 64 do not. */
	memset(name, 'a', sizeof(name));
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    name, 63));
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    name, 64), EINVAL);
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    name, 65), EINVAL);
	len = sizeof(buf);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.hostname", buf, &len, NULL, 0),
	    0);
	REQUIRE_EQ(len, 64);
	REQUIRE_EQ(strlen(buf), 63);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.hostname", NULL, NULL, "byname",
	    6), 0);
	len = sizeof(buf);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.hostname", buf, &len, NULL, 0),
	    0);
	REQUIRE(strcmp(buf, "byname") == 0);
}

TESTCASE(hostname_nonroot)
{
	char buf[80];
	size_t len = sizeof(buf);

	REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	REQUIRE_OK(rump_sys_setuid(1000));
	REQUIRE_ERRNO(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    "evil", 5), EPERM);
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.hostname", NULL, NULL, "evil",
	    5), EPERM);
	/* Reading is for everyone. */
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, buf, &len, NULL,
	    0));
	REQUIRE(strcmp(buf, "evil") != 0);
}

TESTCASE(byname)
{
	size_t len = sizeof(int);
	int n = 0;

	REQUIRE_EQ(rump_pub_sysctlbyname("hw.ncpu", &n, &len, NULL, 0), 0);
	REQUIRE(n >= 1);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw.nosuch", &n, &len, NULL, 0),
	    ENOENT);
	REQUIRE_EQ(rump_pub_sysctlbyname("nosuch", &n, &len, NULL, 0), ENOENT);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw", &n, &len, NULL, 0), EISDIR);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw.ncpu.x", &n, &len, NULL, 0),
	    ENOTDIR);
	REQUIRE_EQ(rump_pub_sysctlbyname("", &n, &len, NULL, 0), EINVAL);
	REQUIRE_EQ(rump_pub_sysctlbyname("hw..ncpu", &n, &len, NULL, 0),
	    EINVAL);
	REQUIRE_EQ(rump_pub_sysctlbyname(NULL, &n, &len, NULL, 0), EINVAL);
	len = 0;
	REQUIRE_EQ(rump_pub_sysctlbyname("kern.ostype", NULL, &len, NULL, 0),
	    0);
	REQUIRE_EQ(len, 5);
}

TESTCASE(byname_before_boot)
{
	size_t len = sizeof(int);
	int n;

	REQUIRE_EQ(rump_pub_sysctlbyname("hw.ncpu", &n, &len, NULL, 0), ENXIO);
}

TESTCASE(t_uname)
{
	struct utsname u, host;
	char buf[80];
	size_t len = sizeof(buf);

	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_HOSTNAME, NULL, NULL,
	    "node1", 6));
	memset(&u, 'x', sizeof(u));
	REQUIRE_OK(rump_sys_uname((void *)&u));
	REQUIRE_EQ(uname(&host), 0);
	REQUIRE(strcmp(u.sysname, "rump") == 0);
	REQUIRE(strcmp(u.nodename, "node1") == 0);
	REQUIRE(strcmp(u.machine, host.machine) == 0);
	REQUIRE(strcmp(u.domainname, "(none)") == 0);
	REQUIRE_OK(sysctl2(RUMP_CTL_KERN, RUMP_KERN_OSRELEASE, buf, &len,
	    NULL, 0));
	REQUIRE(strcmp(u.release, buf) == 0);
	REQUIRE(strstr(u.version, buf) != NULL);
	REQUIRE_EQ(sizeof(u), 6 * 65);
	REQUIRE_ERRNO(rump_sys_uname(NULL), EFAULT);
}

TESTS(CASE(read_strings), CASE(partial_copy), CASE(errors), CASE_NOBOOT(hw),
    CASE_NOBOOT(physmem), CASE(boottime), CASE(hostname),
    CASE(hostname_nonroot), CASE(byname), CASE_NOBOOT(byname_before_boot),
    CASE(t_uname))
