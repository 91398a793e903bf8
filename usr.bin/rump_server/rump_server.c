/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * rump_server: boot a rump kernel with the components named on the
 * command line and serve it to other processes on a URL (rump_server(1)).
 * The serving is rump_init_server()'s; this file parses the options,
 * loads the component libraries, registers the host files, and waits:
 * the kernel ends the process when a client reboots it, or the main
 * thread does, on SIGTERM or SIGINT, with a synced reboot.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MAXITEMS 64

static const char *progname = "rump_server";

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s [-sv] [-c ncpu] [-C maxclients] [-d drivespec] "
	    "[-l library]\n"
	    "       [-m module] [-r memlimit] url\n"
	    "  url: unix:///path or tcp://127.0.0.1:port\n"
	    "  -l library  load a component before boot (-lrumpfs_ffs)\n"
	    "  -m module   load a component library (a path) after boot\n"
	    "  -d spec     key=/dev/x,hostpath=file[,size=host|N][,offset=N]"
	    "[,type=blk|chr|reg]\n"
	    "  -r memlimit kernel memory limit (k, m, g suffixes)\n"
	    "  -c ncpu     virtual CPUs\n"
	    "  -C max      most clients at once (default 256)\n"
	    "  -s          stay in the foreground\n"
	    "  -v          print the kernel's boot messages\n",
	    progname);
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "%s: %s: %s\n", progname, what, why);
	exit(1);
}

/* A size: a number with an optional k, m or g suffix. */
static bool
parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	switch (*end) {
	case 'k':
	case 'K':
		n <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		n <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		n <<= 30;
		end++;
		break;
	default:
		break;
	}
	*v = n;
	return *end == '\0';
}

struct drive {
	char *key, *hostpath;
	enum rump_etfs_type type;
	uint64_t offset, size;
};

static void
parse_drive(char *spec, struct drive *d)
{
	char *opt, *val, *save = NULL;

	memset(d, 0, sizeof(*d));
	d->type = RUMP_ETFS_BLK;
	d->size = RUMP_ETFS_SIZE_ENDOFF;
	for (opt = strtok_r(spec, ",", &save); opt != NULL;
	     opt = strtok_r(NULL, ",", &save)) {
		if ((val = strchr(opt, '=')) == NULL)
			die("-d", "each item is name=value");
		*val++ = '\0';
		if (strcmp(opt, "key") == 0)
			d->key = val;
		else if (strcmp(opt, "hostpath") == 0)
			d->hostpath = val;
		else if (strcmp(opt, "size") == 0) {
			if (strcmp(val, "host") == 0)
				d->size = RUMP_ETFS_SIZE_ENDOFF;
			else if (!parse_size(val, &d->size) || d->size == 0)
				die("-d", "bad size");
		} else if (strcmp(opt, "offset") == 0) {
			if (!parse_size(val, &d->offset))
				die("-d", "bad offset");
		} else if (strcmp(opt, "type") == 0) {
			if (strcmp(val, "blk") == 0)
				d->type = RUMP_ETFS_BLK;
			else if (strcmp(val, "chr") == 0)
				d->type = RUMP_ETFS_CHR;
			else if (strcmp(val, "reg") == 0)
				d->type = RUMP_ETFS_REG;
			else
				die("-d", "type is blk, chr or reg");
		} else
			die("-d", "unknown item (key, hostpath, size, offset, "
			          "type)");
	}
	if (d->key == NULL || d->hostpath == NULL)
		die("-d", "key and hostpath are required");
}

/*
 * Load a component library: a path as it is, a name (-l) first from
 * ../lib beside this program (as installed, and in the build tree), then
 * from the loader's search path.  dlopen cannot be left to search our
 * own RUNPATH: a sanitizer's interceptor makes it search the runtime's.
 */
static void
load(const char *lib, bool path)
{
	char name[PATH_MAX + 64], self[PATH_MAX], *slash;
	ssize_t n;

	if (path) {
		if (dlopen(lib, RTLD_NOW | RTLD_GLOBAL) == NULL)
			die(lib, dlerror());
		return;
	}
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(name, sizeof(name), "%s/../lib/lib%s.so", self,
			         lib);
			if (access(name, R_OK) == 0) {
				if (dlopen(name, RTLD_NOW | RTLD_GLOBAL) ==
				    NULL)
					die(name, dlerror());
				return;
			}
		}
	}
	snprintf(name, sizeof(name), "lib%s.so", lib);
	if (dlopen(name, RTLD_NOW | RTLD_GLOBAL) == NULL)
		die(name, dlerror());
}

int
main(int argc, char *argv[])
{
	const char *libs[MAXITEMS], *mods[MAXITEMS];
	struct drive drives[MAXITEMS];
	int nlibs = 0, nmods = 0, ndrives = 0, ch, error, sig;
	bool foreground = false, daemonized = false;
	uint64_t v;
	sigset_t set;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	while ((ch = getopt(argc, argv, "c:C:d:l:m:r:sv")) != -1) {
		switch (ch) {
		case 'c':
			if (!parse_size(optarg, &v) || v == 0 || v > 256)
				die("-c", "ncpu is 1 to 256");
			setenv("RUMP_NCPU", optarg, 1);
			break;
		case 'C':
			if (!parse_size(optarg, &v) || v == 0 || v > 65536)
				die("-C", "maxclients is 1 to 65536");
			setenv("RUMP_SP_MAXCLIENTS", optarg, 1);
			break;
		case 'd':
			if (ndrives == MAXITEMS)
				die("-d", "too many drives");
			parse_drive(optarg, &drives[ndrives++]);
			break;
		case 'l':
			if (nlibs == MAXITEMS)
				die("-l", "too many libraries");
			libs[nlibs++] = optarg;
			break;
		case 'm':
			if (nmods == MAXITEMS)
				die("-m", "too many modules");
			mods[nmods++] = optarg;
			break;
		case 'r':
			if (!parse_size(optarg, &v))
				die("-r", "bad memory limit");
			setenv("RUMP_MEMLIMIT", optarg, 1);
			break;
		case 's':
			foreground = true;
			break;
		case 'v':
			setenv("RUMP_VERBOSE", "1", 1);
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 1;
	}

	if (!foreground) {
		if ((error = rump_daemonize_begin()) != 0)
			die("daemonize", strerror(error));
		daemonized = true;
	}
	/* SIGTERM and SIGINT end the kernel cleanly, from the main thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	for (int i = 0; i < nlibs; i++)
		load(libs[i], false);
	if ((error = rump_init()) != 0)
		goto fail_boot;
	for (int i = 0; i < nmods; i++)
		load(mods[i], true);
	for (int i = 0; i < ndrives; i++) {
		error = rump_pub_etfs_register_withsize(
		    drives[i].key, drives[i].hostpath, drives[i].type,
		    drives[i].offset, drives[i].size);
		if (error != 0) {
			fprintf(stderr, "%s: %s: %s\n", progname,
			        drives[i].hostpath, strerror(error));
			goto fail;
		}
	}
	if ((error = rump_init_server(argv[optind])) != 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, argv[optind],
		        strerror(error));
		goto fail;
	}
	if (daemonized)
		rump_daemonize_done(0);

	for (;;) {
		if (sigwait(&set, &sig) == 0)
			break;
	}
	rump_sys_reboot(0, NULL);
	return 0;

fail_boot:
	fprintf(stderr, "%s: rump_init: %s\n", progname, strerror(error));
fail:
	if (daemonized)
		rump_daemonize_done(error);
	return 1;
}
