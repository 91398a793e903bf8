#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# FAT images and the tools: newfs_msdos makes FAT12, FAT16 and FAT32
# images (fsck.fat -n clean, as is every image after every step), the
# fsu_* tools find the type by themselves and copy a real tree (this
# project's sources) in and out (diff -r equal), mtools reads what they
# wrote; bad command lines and sizes fail with one line; and, where FUSE
# works, rump_msdos serves an image made by mkfs.fat and filled by
# mcopy, written through cp -r and read back after fusermount3 -u.
#
# usage: t_msdos_tools.sh bindir
set -u
B=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/t_msdos_tools.XXXXXX")
PIDS=""
export MTOOLS_SKIP_CHECK=1 TZ=UTC LC_ALL=C.UTF-8

cleanup() {
	[ -d "$T/m" ] && grep -q " $T/m " /proc/mounts &&
	    fusermount3 -uz "$T/m" 2>/dev/null
	for p in $PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $*"; }
t() { timeout 600 "$@"; }
fsck_ok() {
	out=$(fsck.fat -n "$1" 2>&1) || fail "fsck.fat -n $1: $out"
	echo "$out" | grep -v -e '^fsck.fat ' -e 'Checking we can access' \
	    -e 'Checking file system' -e ' files, ' | grep . &&
	    fail "fsck.fat -n $1 reports problems"
	return 0
}

SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$T/src"
cp -r "$SRCDIR/sys/rump/fs" "$SRCDIR/usr.sbin" "$T/src/" ||
    fail "copy the source tree"
echo hello >"$T/src/A Long Name With Spaces.text"
printf '\303\234ber-na\303\257ve.txt\n' >"$T/src/$(printf '\303\234ber-na\303\257ve.txt')"

for fat in 12 16 32; do
	note "FAT$fat: newfs_msdos, fsu_put -r, fsu_get -r"
	img=$T/fat$fat.img
	case $fat in
	12) size=12m ;;
	16) size=64m ;;
	32) size=300m ;;
	esac
	t "$B/newfs_msdos" -F $fat -L "TEST$fat" -s $size "$img" >/dev/null ||
	    fail "newfs_msdos -F $fat"
	fsck_ok "$img"
	t "$B/fsu_put" -r "$T/src" "$img" / || fail "fsu_put -r FAT$fat"
	fsck_ok "$img"
	t "$B/fsu_ls" -R "$img" / >/dev/null || fail "fsu_ls -R FAT$fat"
	t "$B/fsu_get" -r "$img" /src "$T/out$fat" || fail "fsu_get -r FAT$fat"
	diff -r "$T/src" "$T/out$fat" || fail "fsu_get -r FAT$fat differs"
	mkdir "$T/mt$fat"
	t mcopy -s -n -i "$img" ::/src "$T/mt$fat/" || fail "mcopy FAT$fat"
	diff -r "$T/src" "$T/mt$fat/src" || fail "mcopy of FAT$fat differs"
	t "$B/fsu_rm" -r "$img" /src/fs || fail "fsu_rm -r FAT$fat"
	t "$B/fsu_mkdir" "$img" /new || fail "fsu_mkdir FAT$fat"
	fsck_ok "$img"
	out=$("$B/fsu_ln" -s "$img" target /src/link 2>&1) &&
	    fail "fsu_ln -s on FAT$fat succeeded"
	echo "$out" | grep -q "Operation not permitted" ||
	    fail "fsu_ln -s on FAT$fat: $out"
	fsck_ok "$img"
done

note "newfs_msdos: sector and cluster sizes"
for args in "-F 12 -S 4096 -s 8m" "-F 12 -c 8 -s 8m" "-F 16 -c 4 -s 64m" \
    "-F 16 -S 2048 -s 100m" "-F 32 -S 4096 -s 400m" "-F 32 -c 1 -s 40m"; do
	img=$T/geom.img
	rm -f "$img"
	t "$B/newfs_msdos" $args "$img" >/dev/null || fail "newfs_msdos $args"
	fsck_ok "$img"
	t "$B/fsu_put" -r "$T/src/usr.sbin" "$img" / ||
	    fail "fsu_put -r after newfs_msdos $args"
	fsck_ok "$img"
done

if command -v sfdisk >/dev/null; then
	note "FAT32 in partition 1 of an MBR disk"
	disk=$T/disk.img
	truncate -s 80M "$disk"
	printf 'label: dos\nstart=2048, type=c\n' | sfdisk -q "$disk" ||
	    fail "sfdisk"
	mkfs.fat -F 32 --offset 2048 "$disk" 77824 >/dev/null 2>&1 ||
	    fail "mkfs.fat --offset"
	t "$B/fsu_put" -r "$T/src/usr.sbin" "$disk:1" / ||
	    fail "fsu_put -r into the partition"
	t "$B/fsu_get" -r "$disk:1" /usr.sbin "$T/part" ||
	    fail "fsu_get -r from the partition"
	diff -r "$T/src/usr.sbin" "$T/part" || fail "partition copy differs"
fi

note "newfs_msdos: refusals and --help"
"$B/newfs_msdos" --help | grep -q '^usage: newfs_msdos' || fail "--help"
out=$("$B/newfs_msdos" -F 32 -s 10m "$T/small.img" 2>&1) &&
    fail "a 10 MiB FAT32 was made"
[ "$(echo "$out" | wc -l)" -eq 1 ] && echo "$out" |
    grep -q '^newfs_msdos: size: ' || fail "message: $out"
out=$("$B/newfs_msdos" -S 300 -s 1m "$T/bad.img" 2>&1) &&
    fail "sector size 300 accepted"
echo "$out" | grep -q '^newfs_msdos: sector size: 300: ' ||
    fail "message: $out"
out=$("$B/newfs_msdos" -L 'BAD:LABEL' -s 1m "$T/bad.img" 2>&1) &&
    fail "label with ':' accepted"

note "rump_msdos: FUSE"
if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
	echo "no FUSE here: the rump_msdos part is skipped"
	exit 0
fi
img=$T/fuse.img
mkfs.fat -C -F 32 "$img" 300000 >/dev/null || fail "mkfs.fat"
t mcopy -s -i "$img" "$T/src" ::/ || fail "mcopy -s into the image"
mkdir "$T/m"
env --default-signal=INT "$B/rump_msdos" -f "$img" "$T/m" &
pid=$!
PIDS="$pid"
i=0
until grep -q " $T/m " /proc/mounts; do
	i=$((i + 1))
	[ $i -gt 600 ] && fail "rump_msdos did not mount"
	kill -0 $pid 2>/dev/null || { echo "rump_msdos cannot mount here:" \
	    "the FUSE part is skipped"; exit 0; }
	sleep 0.1
done
diff -r "$T/src" "$T/m/src" || fail "the FUSE mount differs from the tree"
cp -r "$T/src/usr.sbin" "$T/m/copy" || fail "cp -r into the FUSE mount"
diff -r "$T/src/usr.sbin" "$T/m/copy" || fail "the copy differs"
ln -s x "$T/m/l" 2>/dev/null && fail "a symlink on FAT"
t fusermount3 -u "$T/m" || fail "fusermount3 -u"
wait $pid || fail "rump_msdos exit status"
PIDS=""
fsck_ok "$img"
mkdir "$T/back"
t mcopy -s -n -i "$img" ::/copy "$T/back/" || fail "mcopy back"
diff -r "$T/src/usr.sbin" "$T/back/copy" || fail "mcopy of the copy differs"
echo "ok"
