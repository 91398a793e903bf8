#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# make run: the main job on a sample image made on the fly.  Builds a
# small tree, puts it in an ext2 image (mke2fs -d) and an FFS image
# (makefs), both in one partitioned disk image when sfdisk is there, and
# shows the fsu_* tools on them.  No root, no loop devices.
#
# Usage: demo.sh BINDIR
set -u
bin=$(cd "${1:-build/bin}" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

PATH=$bin:$PATH
export PATH

show() {
	printf '\n$ %s\n' "$*"
	"$@"
}

mkdir -p tree/etc tree/home/user/notes tree/bin
printf 'Welcome to a rump kernel.\n' > tree/etc/motd
printf 'root:x:0:0:root:/root:/bin/sh\n' > tree/etc/passwd
printf 'buy milk\n' > tree/home/user/notes/todo.txt
awk 'BEGIN { for (i = 0; i < 5000; i++) print "log line", i }' \
    > tree/home/user/big.log
ln -s ../etc/motd tree/home/user/motd
printf '#!/bin/sh\necho hi\n' > tree/bin/hello
chmod 755 tree/bin/hello

img=
if command -v mke2fs >/dev/null 2>&1 &&
    mke2fs -q -F -t ext2 -d tree sample.ext2 4M >/dev/null 2>&1; then
	img=sample.ext2
elif command -v makefs >/dev/null 2>&1 &&
    makefs -t ffs -s 4m sample.ffs tree >/dev/null 2>&1; then
	img=sample.ffs
fi
if [ -z "$img" ]; then
	echo "demo: neither mke2fs nor makefs is installed" \
	    "(apt-get install e2fsprogs makefs); nothing to show"
	exit 0
fi

echo "A sample image, $img, made from a small tree; the tools open it in a"
echo "rump kernel inside their own process."
show fsu_ls -l "$img"
show fsu_ls -R "$img" /home
show fsu_cat "$img" /etc/motd
show fsu_stat "$img" /home/user/motd
show fsu_find "$img" / -type f -size +10k
show fsu_du -sh "$img" /home
show fsu_df -h "$img"
show fsu_get -r "$img" /home copy
show fsu_diff "$img" /home copy
echo "(no output: the copy is the same)"
show fsu_cat "$img" /etc/nope

# Writing, where the kernel writes this file system already.
cp "$img" rw.img
if fsu_mkdir rw.img /new 2>/dev/null; then
	printf '\n$ echo written | fsu_write rw.img /new/file\n'
	echo written | fsu_write rw.img /new/file
	show fsu_cat rw.img /new/file
	show fsu_ls -l rw.img /new
else
	show fsu_mkdir rw.img /new
	echo "(this file system is read-only in the kernel so far)"
fi

# A disk with a partition table: ext2 in 1 and FFS in 2.
if command -v sfdisk >/dev/null 2>&1 && command -v makefs >/dev/null 2>&1 &&
    [ "$img" = sample.ext2 ] &&
    makefs -t ffs -s 4m sample.ffs tree >/dev/null 2>&1; then
	truncate -s 16M disk.img
	printf 'label: dos\nstart=2048, size=8192, type=83\nstart=10240, size=8192, type=a9\n' |
	    sfdisk -q disk.img >/dev/null
	dd if=sample.ext2 of=disk.img bs=512 seek=2048 conv=notrunc status=none
	dd if=sample.ffs of=disk.img bs=512 seek=10240 conv=notrunc status=none
	echo
	echo "A disk image with an MBR: ext2 in partition 1, FFS in partition 2."
	show fsu_ls disk.img:1 /etc
	show fsu_cat disk.img:2 /home/user/notes/todo.txt
	show fsu_df disk.img:1 disk.img:2
fi
exit 0
