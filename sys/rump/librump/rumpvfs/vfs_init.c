/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The VFS component: brought up by rump_init() after the kernel core and
 * before any file system component.  It sets up the vnode cache, the
 * mount table and record locks, the device switch, the buffer cache
 * and its syncer, etfs, mounts rumpfs as "/", takes over the processes'
 * directories (cwdi hooks), installs the file system calls and hooks
 * itself into reboot: unless RB_NOSYNC, reboot syncs every file system
 * and then unmounts all but the root (forcibly: open files are revoked),
 * so that everything is written back before the kernel halts.
 */
#include <sys/systm.h>
#include <sys/component.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>

#include "dev_private.h"
#include "rumpfs.h"
#include "vfs_private.h"

extern const struct syscall_package syscalls_vfs[];

static void
vfs_shutdown(void *arg)
{
	(void)arg;
	vfs_sync_all();
	vfs_unmountall();
}

static struct shutdown_hook vfs_shutdown_hook = { .sh_func = vfs_shutdown };

static void
vfs_init(void)
{
	vcache_init();
	vfs_mount_init();
	vfs_lockf_init();
	bio_init();
	vfs_dev_init();
	etfs_init();
	rumpfs_init();
	vfs_mountroot("rumpfs");
	vfs_cwd_init();
	etfs_boot();
	syscall_establish(syscalls_vfs);
	shutdown_hook_register(&vfs_shutdown_hook);
	aprint_verbose("vfs: root file system rumpfs mounted\n");
}

RUMP_COMPONENT(RUMP_COMPONENT_VFS, vfs, vfs_init)
