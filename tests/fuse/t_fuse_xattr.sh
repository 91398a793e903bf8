#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Extended attributes, POSIX ACLs, fallocate and SEEK_DATA/SEEK_HOLE
# through the FUSE daemons, with the host's tools: on rump_tmpfs,
# rump_ext2fs (ext4 and ext2 images) and rump_ffs (UFS2 and UFS1), each
# mounted -o allow_other,default_permissions.
#  - h_fuse_xattr.py: the four calls with their exact errno (ENODATA,
#    ERANGE, EEXIST, EPERM, EACCES), as root and as uid 1000, kept
#    across a remount; 4 processes setting, reading and removing at
#    once on shared files; EOPNOTSUPP for each where the file system has
#    none (a UFS1 FFS; newfs makes UFS2, which has them).
#  - setfacl/getfacl: the same script on the mount and in a host
#    directory ($T, ext4, and /dev/shm, tmpfs) must give the same
#    transcript: getfacl -n text, modes, and which of uids 1000 and 1001
#    the host lets read or write (the host enforces the ACLs we keep:
#    FUSE_CAP_POSIX_ACL), default ACLs inherited with the umask ignored.
#  - fallocate(1) modes: the same sequence on the mount and on a host
#    ext4 file must leave the same sizes, bytes and SEEK_DATA/SEEK_HOLE
#    map (tmpfs: its own map); what the host's FUSE does not pass
#    (collapse, insert) is EOPNOTSUPP; ext2 block maps on their own.
# Images pass e2fsck -fn / fsck_ffs -n after.
#
# usage: t_fuse_xattr.sh bindir
# Exit 77 (skipped) when FUSE cannot be used here, not as root (other
# users are needed), or without setfacl, getfattr or python3.
set -u
B=$1
H=$(cd "$(dirname "$0")" && pwd)/h_fuse_xattr.py
T=$(mktemp -d "${TMPDIR:-/tmp}/t_fuse_xattr.XXXXXX")
chmod 755 "$T"
SHM=""
PID=""

cleanup() {
	grep -q " $T/m " /proc/mounts && fusermount3 -uz "$T/m" 2>/dev/null
	[ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null
	rm -rf "$T"
	[ -n "$SHM" ] && rm -rf "$SHM"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $*"; }
t() { timeout 300 "$@"; }

[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null || skip "no fusermount3 (package fuse3)"
[ "$(id -u)" = 0 ] || skip "not root: other users are needed"
for p in setfacl getfacl setfattr getfattr fallocate python3 setpriv; do
	command -v $p >/dev/null || skip "no $p (packages acl, attr, python3)"
done
mkdir "$T/m" "$T/h"
SHM=$(mktemp -d /dev/shm/t_fuse_xattr.XXXXXX) || fail "mktemp in /dev/shm"
chmod 755 "$SHM"

mountfs() {
	env --default-signal=INT "$B/$1" -f \
	    -o allow_other,default_permissions ${2:+"$2"} "$T/m" \
	    2>"$T/daemon.err" &
	PID=$!
	i=0
	until grep -q " $T/m " /proc/mounts; do
		kill -0 "$PID" 2>/dev/null ||
		    fail "$1 did not start: $(cat "$T/daemon.err")"
		i=$((i + 1))
		[ $i -gt 3000 ] && fail "$1 did not mount"
		sleep 0.02
	done
}

umountfs() {
	t fusermount3 -u "$T/m" || fail "fusermount3 -u"
	t sh -c "while kill -0 $PID 2>/dev/null; do sleep 0.05; done"
	wait "$PID"
	rc=$?
	PID=""
	[ "$rc" = 0 ] || fail "daemon exit status $rc: $(cat "$T/daemon.err")"
}

fsck() {
	case $1 in
	*.ffs) t "$B/fsck_ffs" -n "$1" >"$T/fsck.out" 2>&1 ||
		    fail "fsck_ffs: $(tail -n 8 "$T/fsck.out")" ;;
	?*) t e2fsck -fn "$1" >"$T/fsck.out" 2>&1 ||
		    fail "e2fsck: $(tail -n 8 "$T/fsck.out")" ;;
	esac
}

# as uid cmd...: run cmd as uid (its own group, no others).
as() {
	u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
}

# may uid op file: "uid op ok" or "uid op denied" into the transcript.
may() {
	case $2 in
	r) as "$1" cat "$3" >/dev/null 2>&1 && r=ok || r=denied ;;
	w) as "$1" sh -c ": >>'$3'" 2>/dev/null && r=ok || r=denied ;;
	x) as "$1" ls "$3" >/dev/null 2>&1 && r=ok || r=denied ;;
	esac
	echo "$1 $2 $(basename "$3") $r"
}

acl() { (cd "${1%/*}" && getfacl -n --omit-header "${1##*/}" 2>&1); }

# The ACL script in directory $1 (a fresh one), its transcript on stdout.
acl_script() {
	d=$1
	chmod 755 "$d"
	echo secret >"$d/g"
	chmod 600 "$d/g"
	# A grant to a user the mode leaves out.
	setfacl -m u:1000:r "$d/g" || echo "setfacl u:1000:r failed"
	stat -c "g %a" "$d/g"
	acl "$d/g"
	may 1000 r "$d/g"
	may 1001 r "$d/g"
	may 1000 w "$d/g"
	# A denial to a user the mode lets in.
	echo public >"$d/p"
	chmod 646 "$d/p"
	setfacl -m u:1001:-,g:1002:r "$d/p" || echo "setfacl u:1001:- failed"
	acl "$d/p"
	may 1000 r "$d/p"
	may 1001 r "$d/p"
	may 1000 w "$d/p"
	may 1002 r "$d/p"
	# chmod moves the mask.
	chmod 600 "$d/g"
	acl "$d/g"
	may 1000 r "$d/g"
	setfacl -m m::r "$d/g"
	stat -c "g %a" "$d/g"
	may 1000 r "$d/g"
	# Default ACLs: inherited, the umask ignored; without one, it holds.
	mkdir "$d/inh"
	setfacl -d -m u:1000:rwx,g::r-x,o::- "$d/inh" ||
	    echo "setfacl -d failed"
	acl "$d/inh"
	(umask 077 && : >"$d/inh/new" && mkdir "$d/inh/sub" &&
	    mkfifo "$d/inh/fifo")
	stat -c "%n %a" "$d/inh/new" "$d/inh/sub" "$d/inh/fifo" |
	    sed "s|$d/||"
	acl "$d/inh/new"
	acl "$d/inh/sub"
	may 1000 w "$d/inh/new"
	may 1001 r "$d/inh/new"
	(umask 027 && : >"$d/plain" && mkdir "$d/plaindir")
	stat -c "%n %a" "$d/plain" "$d/plaindir" | sed "s|$d/||"
	# Removing the ACL gives the mode back.
	setfacl -b "$d/g"
	stat -c "g %a" "$d/g"
	acl "$d/g"
	may 1000 r "$d/g"
	(cd "$d" && getfattr -d -m - -e hex p 2>&1)
}

# The fallocate sequence on file $1 (ext4 or tmpfs), transcript out.
falloc_script() {
	f=$1
	: >"$f"
	fallocate -l 1048576 "$f" || echo "fallocate mode 0 failed"
	dd if="$T/pat" of="$f" bs=65536 seek=4 conv=notrunc,fsync \
	    status=none
	fallocate -n -o 1048576 -l 524288 "$f" || echo "keep size failed"
	stat -c "size %s" "$f"
	fallocate -p -o 266240 -l 8192 "$f" || echo "punch failed"
	fallocate -z -o 2097152 -l 65536 "$f" || echo "zero range failed"
	stat -c "size %s" "$f"
	dd if="$T/pat" of="$f" bs=4096 count=1 seek=1000 conv=notrunc,fsync \
	    status=none
	fallocate -p -o 0 -l 4096 "$f" || echo "punch 2 failed"
	fallocate -z -o 4096 -l 4096 "$f" || echo "zero range 2 failed"
	fallocate -p -o 4097000 -l 100 "$f" || echo "punch 3 failed"
	python3 "$H" map "$f"
	md5sum <"$f"
}

head -c 65536 /dev/urandom >"$T/pat"

# Transcripts on the host: ext4 ($T) and tmpfs (/dev/shm).
mkdir "$T/h/acl" "$SHM/acl"
acl_script "$T/h/acl" >"$T/acl.ext4" 2>&1
acl_script "$SHM/acl" >"$T/acl.tmpfs" 2>&1
falloc_script "$T/h/falloc" >"$T/falloc.ext4" 2>&1
grep -q "1000 r g ok" "$T/acl.ext4" || fail "host: the ACL grant is not kept"

# check_acl kind: the ACL transcript on the mount against the host's.
check_acl() {
	mkdir "$T/m/acl" || fail "mkdir on the mount"
	acl_script "$T/m/acl" >"$T/acl.mnt" 2>&1
	diff -u "$T/acl.$1" "$T/acl.mnt" >"$T/acl.diff" ||
	    fail "ACLs differ from the host's $1: $(head -n 30 "$T/acl.diff")"
}

# check_falloc fs: the fallocate transcript on the mount against the
# host ext4's.  The host's tmpfs has no ZERO_RANGE and calls allocated
# pages holes; ours calls them data (as POSIX allows): its map is checked
# on its own.
check_falloc() {
	falloc_script "$T/m/falloc" >"$T/falloc.mnt" 2>&1
	if [ $1 = tmpfs ]; then
		m=$(grep "^size .* map" "$T/falloc.mnt")
		[ "$m" = "size 4100096 map [(4096, 266240), (274432, 1572864), (2097152, 2162688), (4096000, 4100096)]" ] ||
		    fail "tmpfs: SEEK_DATA/SEEK_HOLE map $m"
		grep -v "^size .* map" "$T/falloc.ext4" >"$T/falloc.ref"
		grep -v "^size .* map" "$T/falloc.mnt" >"$T/falloc.out"
	else
		cp "$T/falloc.ext4" "$T/falloc.ref"
		cp "$T/falloc.mnt" "$T/falloc.out"
	fi
	diff -u "$T/falloc.ref" "$T/falloc.out" >"$T/falloc.diff" ||
	    fail "fallocate differs from the host's: $(cat "$T/falloc.diff")"
	# What the host's FUSE does not pass.
	for mode in 0x08 0x20; do
		r=$(python3 "$H" falloc "$T/m/falloc" $mode 0 4096)
		[ "$r" = EOPNOTSUPP ] ||
		    fail "fallocate mode $mode through FUSE: $r"
	done
}

xattrs() {
	mkdir "$T/m/xa" || fail "mkdir xa"
	t python3 "$H" xattr "$T/m/xa" || fail "xattr checks on $1"
	mkdir "$T/m/xs" || fail "mkdir xs"
	t python3 "$H" stress "$T/m/xs" 4 250 ||
	    fail "4 processes at once on $1"
}

for fs in ${FSLIST:-tmpfs ext4 ext2 ffs ufs1}; do
	img=""
	case $fs in
	ext4) img=$T/img.ext4
		t mke2fs -q -F -t ext4 -b 4096 "$img" 64M >/dev/null ||
		    fail mke2fs ;;
	ext2) img=$T/img.ext2
		t mke2fs -q -F -t ext2 -b 4096 "$img" 64M >/dev/null ||
		    fail mke2fs ;;
	ffs) img=$T/img.ffs
		t "$B/newfs" -s 64m "$img" >/dev/null || fail newfs ;;
	ufs1) img=$T/img1.ffs
		t "$B/newfs" -O 1 -s 64m "$img" >/dev/null || fail newfs ;;
	esac
	daemon=rump_$fs
	case $fs in ext*) daemon=rump_ext2fs ;; ufs1) daemon=rump_ffs ;; esac
	note "$daemon ($fs): extended attributes"
	mountfs "$daemon" "$img"
	# FFS: UFS1 has no attributes (EOPNOTSUPP); UFS2 as the others.
	xa=yes
	if [ $fs = ufs1 ]; then
		: >"$T/m/probe"
		if ! setfattr -n user.p -v 1 "$T/m/probe" 2>"$T/probe.err"
		then
			grep -q "Operation not supported" "$T/probe.err" &&
			    xa=no
		fi
		rm -f "$T/m/probe"
	fi
	if [ $xa = no ]; then
		t python3 "$H" noxattr "$T/m" || fail "xattr calls on $fs"
		setfacl -m u:1000:r "$T/m/f" 2>"$T/setfacl.err" &&
		    fail "setfacl on $fs succeeded"
		grep -q "Operation not supported" "$T/setfacl.err" ||
		    fail "setfacl on $fs: $(cat "$T/setfacl.err")"
		[ "$(acl "$T/m/f" | tr '\n' ' ')" = \
		    "user::rw- group::r-- other::r--  " ] ||
		    fail "getfacl on $fs: $(acl "$T/m/f")"
		# The host checks the mode alone: 644 lets uid 1000 read.
		[ "$(may 1000 r "$T/m/f")" = "1000 r f ok" ] ||
		    fail "uid 1000 may not read a 644 file on $fs"
	else
		xattrs "$fs"
		note "$daemon ($fs): POSIX ACLs against the host's"
		check_acl $([ $fs = tmpfs ] && echo tmpfs || echo ext4)
	fi
	case $fs in
	ext4|tmpfs)
		note "$daemon ($fs): fallocate and SEEK_DATA/SEEK_HOLE"
		check_falloc $fs ;;
	ext2)
		note "$daemon (ext2): fallocate on block maps"
		f=$T/m/falloc
		: >"$f"
		fallocate -l 1048576 "$f" || fail "ext2: fallocate mode 0"
		fallocate -n -o 0 -l 1052672 "$f" ||
		    fail "ext2: fallocate keep size"
		fallocate -p -o 266240 -l 8192 "$f" || fail "ext2: punch"
		r=$(python3 "$H" falloc "$f" 0x10 0 4096)
		[ "$r" = EOPNOTSUPP ] || fail "ext2: zero range: $r"
		m=$(python3 "$H" map "$f")
		[ "$m" = "size 1048576 map [(0, 266240), (274432, 1048576)]" ] ||
		    fail "ext2: map $m"
		[ "$(stat -c %b "$f")" = $(((1048576 - 8192) / 512 + 8)) ] ||
		    fail "ext2: blocks $(stat -c %b "$f")" ;;
	esac
	umountfs
	fsck "$img"
	if [ $xa = yes ] && [ -n "$img" ]; then
		note "$daemon ($fs): attributes after a remount"
		mountfs "$daemon" "$img"
		t python3 "$H" again "$T/m/xa" || fail "after remount on $fs"
		acl "$T/m/acl/p" >"$T/p.acl"
		grep -q "^user:1001:---" "$T/p.acl" ||
		    fail "ACL after remount: $(cat "$T/p.acl")"
		umountfs
		fsck "$img"
	fi
done
echo PASS
