#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# make install, then build a client the way a user would: with nothing but
# pkg-config, once against the shared and once against the static
# libraries, and run both.
#
# Usage: t_install.sh BUILDDIR CC
set -eu
build=$1
cc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
for h in rump.h rump_syscalls.h rumpdefs.h; do
	[ -f "$tmp/prefix/include/rump/$h" ] || { echo "t_install: $h not installed"; exit 1; }
done
# The FFS and FAT tools and their pages, the FAT mount arguments.
for f in sbin/newfs sbin/fsck_ffs share/man/man8/newfs.8 share/man/man8/fsck_ffs.8 \
    sbin/newfs_msdos share/man/man8/newfs_msdos.8 share/man/man8/rump_msdos.8 \
    include/rump/msdosfs_args.h; do
	[ -f "$tmp/prefix/$f" ] || { echo "t_install: $f not installed"; exit 1; }
done
"$tmp/prefix/sbin/newfs" -n -s 8m "$tmp/x.img" >/dev/null
cat > "$tmp/client.c" <<'EOC'
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>
#include <errno.h>
#include <stdio.h>

int
main(void)
{
	if (rump_init() != 0)
		return 1;
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0 || rump_sys_getpid() != 2)
		return 2;
	if (rump_sys_setgroups(-1, NULL) != -1 || errno != RUMP_EINVAL)
		return 3;
	printf("client ok\n");
	return 0;
}
EOC
cflags=$(pkg-config --cflags rump)
libs=$(pkg-config --libs rump)
"$cc" $cflags -o "$tmp/client_shared" "$tmp/client.c" $libs \
    -Wl,-rpath,"$tmp/prefix/lib"
"$tmp/client_shared"
"$cc" $cflags -static -o "$tmp/client_static" "$tmp/client.c" \
    $(pkg-config --static --libs rump)
"$tmp/client_static"
# A file-system client needs only its file system's name: the VFS and
# the core come along, in the right order.
cat > "$tmp/fsclient.c" <<'EOC'
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/tmpfs_args.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int
main(void)
{
	char buf[8] = "";
	int fd;

	if (rump_init() != 0 || rump_sys_mkdir("/t", 0755) == -1 ||
	    rump_sys_mount("tmpfs", "/t", 0, NULL, 0) == -1)
		return 1;
	if ((fd = rump_sys_open("/t/f", O_RDWR | O_CREAT, 0644)) == -1 ||
	    rump_sys_write(fd, "tmpfs", 5) != 5 ||
	    rump_sys_pread(fd, buf, 5, 0) != 5 || strcmp(buf, "tmpfs") != 0)
		return 2;
	printf("fsclient ok\n");
	return 0;
}
EOC
"$cc" $(pkg-config --cflags rumpfs_tmpfs) -o "$tmp/fs_shared" "$tmp/fsclient.c" \
    $(pkg-config --libs rumpfs_tmpfs) -Wl,--as-needed -Wl,-rpath,"$tmp/prefix/lib"
"$tmp/fs_shared"
"$cc" $(pkg-config --cflags rumpfs_tmpfs) -static -o "$tmp/fs_static" \
    "$tmp/fsclient.c" $(pkg-config --static --libs rumpfs_tmpfs)
"$tmp/fs_static"
# A client written for the original: rump.h alone for etfs and the
# RUMP_ names, a two-argument open, the original's mount argument
# structure, and the vnode wrappers' header.
cat > "$tmp/origclient.c" <<'EOC'
#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpvnode_if.h>
#include <stdio.h>

int
main(void)
{
	struct rump_tmpfs_args ta = { .ta_version = RUMP_TMPFS_ARGS_VERSION };
	int fd;

	if (rump_init() != 0 || rump_sys_mkdir("/t", 0755) == -1 ||
	    rump_sys_mount(RUMP_MOUNT_TMPFS, "/t", 0, &ta, sizeof(ta)) == -1)
		return 1;
	if (rump_pub_etfs_register("t/x", "/dev/null", RUMP_ETFS_CHR) !=
	    RUMP_EINVAL)
		return 2;
	if ((fd = rump_sys_open("/t", RUMP_O_RDONLY)) == -1 ||
	    rump_sys_fcntl(fd, RUMP_F_GETFL) != RUMP_O_RDONLY)
		return 3;
	printf("origclient ok\n");
	return 0;
}
EOC
"$cc" -Wall -Werror $(pkg-config --cflags rumpfs_tmpfs) -o "$tmp/orig_shared" \
    "$tmp/origclient.c" $(pkg-config --libs rumpfs_tmpfs) \
    -Wl,-rpath,"$tmp/prefix/lib"
"$tmp/orig_shared"
# The static client carries no kernel name outside the rumpns_ namespace.
if nm "$tmp/client_static" | awk '$2 ~ /[TDB]/ { print $3 }' |
    grep -qx 'mutex_enter\|kmem_alloc\|lwp_free'; then
	echo "t_install: kernel names leaked into the static client"
	exit 1
fi
# A served kernel: the installed rump_server, a client built with
# pkg-config rumpclient, rump.sysctl and rump.halt.
for f in bin/rump_server bin/rump.halt bin/rump.sysctl include/rump/rumpclient.h \
    share/man/man1/rump_server.1 share/man/man1/rump.halt.1 \
    share/man/man3/rumpclient.3 share/man/man8/rump.sysctl.8; do
	[ -f "$tmp/prefix/$f" ] || { echo "t_install: $f not installed"; exit 1; }
done
cat > "$tmp/rc.c" <<'EOC'
#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

int
main(void)
{
	return rumpclient_init() == 0 && rump_sys_getpid() > 1 ? 0 : 1;
}
EOC
"$cc" $(pkg-config --cflags rumpclient) -o "$tmp/rc" "$tmp/rc.c" \
    $(pkg-config --libs rumpclient) -Wl,-rpath,"$tmp/prefix/lib"
export RUMP_SERVER="unix://$tmp/sock"
"$tmp/prefix/bin/rump_server" -lrumpfs_tmpfs "$RUMP_SERVER"
"$tmp/rc"
"$tmp/prefix/bin/rump.sysctl" -n kern.ostype | grep -qx rump
"$tmp/prefix/bin/rump.halt"
echo "t_install: shared and static clients built with pkg-config and ran"
