/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The local backend (librumphijack_local.so): the kernel boots in the
 * program's own process on first use, with rumpfs as its root, tmpfs
 * and FFS available.  With image=FILE the host file is registered as the
 * block device /dev/hijackimg, mounted as FFS on the kernel's /mnt and
 * made the process's root (root= then chroots inside it), and unmounted
 * at exit so the next program finds it clean: programs run one after
 * the other share a file system, not a kernel.  A program that ends
 * with _exit or a signal leaves the image unclean (the next mount
 * fails: run fsck_ffs).
 *
 * The kernel lives as long as the process: a forked child gets no
 * kernel (its threads are not copied), so its kernel descriptors are
 * closed and kernel paths fail with EIO.  An exec unmounts the image
 * and starts a new kernel, with no kernel descriptors and the host's
 * current directory.  A fork with nothing of the kernel in use unmounts
 * the image too, until the parent's next kernel call.  The image is
 * never mounted by two processes at once: one that finds it mounted
 * (not clean) fails its kernel calls.  This
 * mode is for tests and single programs; hijack_client.c is the real
 * thing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ufs_args.h>

#include "hijack.h"

#define IMAGE_DEV "/dev/hijackimg"
#define IMAGE_MNT "/mnt"

static bool booted, registered, mounted;
static int realroot = -1;       /* the kernel's "/" outside the chroot */

int
hj_backend_init(void)
{
	int error;

	if (booted)
		return 0;
	if ((error = rump_init()) != 0) {
		errno = error;
		return -1;
	}
	booted = true;
	return 0;
}

int
hj_backend_mount(void)
{
	struct ufs_args ua = { .fspec = (char *)IMAGE_DEV };
	int error;

	if (hj_cfg.image[0] == '\0')
		return 0;
	if (!registered && (error = rump_pub_etfs_register(IMAGE_DEV,
	    hj_cfg.image, RUMP_ETFS_BLK)) != 0)
		return error;
	registered = true;
	if (rump_sys_mkdir(IMAGE_MNT, 0755) == -1 && errno != EEXIST)
		return errno;
	if (rump_sys_mount("ffs", IMAGE_MNT, 0, &ua, sizeof(ua)) == -1)
		return errno;
	mounted = true;
	/* The way back out of the chroot, for the unmount at exit. */
	if ((realroot = rump_sys_open("/", O_RDONLY | O_DIRECTORY)) == -1 ||
	    rump_sys_chroot(IMAGE_MNT) == -1 || rump_sys_chdir("/") == -1)
		return errno;
	return 0;
}

/* The image let go of: descriptors closed, out of the chroot, unmounted. */
static int
image_release(void)
{
	mounted = false;
	hj_fd_close_all();
	if (rump_sys_fchdir(realroot) == -1 || rump_sys_chroot(".") == -1 ||
	    (rump_sys_unmount(IMAGE_MNT, 0) == -1 &&
	    rump_sys_unmount(IMAGE_MNT, MNT_FORCE) == -1)) {
		fprintf(stderr, "librumphijack: unmounting %s: %s\n",
		    hj_cfg.image, strerror(errno));
		return -1;
	}
	rump_sys_close(realroot);
	realroot = -1;
	return 0;
}

/*
 * A child that execs boots a kernel that mounts the image: when nothing
 * of the kernel is in use here (no descriptor, the current directory the
 * host's), the image is let go of, and mounted again at the next kernel
 * call (a shell running commands one after another).
 */
void
hj_backend_prefork(void)
{
	if (mounted && !hj_cwd_kernel && !hj_fd_any()) {
		image_release();
		hj_unattach();
	}
}

void
hj_backend_postfork(pid_t pid)
{
	if (pid != 0)
		return;
	mounted = false;
	hj_fd_drop_all();
	hj_detach();
}

/*
 * The new program boots a kernel of its own, which mounts the image:
 * this one lets go of it first (its descriptors cannot follow anyway);
 * if the exec fails, the next kernel call mounts it again.
 */
int
hj_backend_exec(const char *path, char *const argv[], char *const envp[])
{
	REAL(int (*)(const char *, char *const *, char *const *), execve);
	char **env;
	size_t n = 0, k = 0, i;
	int rv, err;

	while (envp[n] != NULL)
		n++;
	if ((env = calloc(n + 1, sizeof(*env))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], "RUMPHIJACK_STATE=", 17) != 0)
			env[k++] = envp[i];
	if (mounted) {
		image_release();
		hj_unattach();
	} else
		hj_fd_close_all();
	hj_cwd_kernel = false;
	rv = hj_execve_fn(path, argv, env);
	err = errno;
	free(env);
	errno = err;
	return rv;
}

void
hj_backend_fini(void)
{
	if (mounted)
		image_release();
}
