#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The FUSE daemons (rump_ext2fs, rump_ffs, rump_tmpfs) driven by real
# programs: images made here by mke2fs -d and makefs from a real tree,
# mounted through FUSE, compared with the tree (diff -r, find, stat, du),
# written through tar, cp -a, rsync -a and git where the file system can
# be written, unmounted by fusermount3 -u and by SIGTERM, then checked by
# e2fsck -fn.  Bad command lines fail with one line and a non-zero exit.
#
# usage: t_fuse.sh bindir
# Exit 77 (skipped) when FUSE cannot be used here.  Every step runs
# under timeout(1) and every mount is taken down lazily on exit, so a
# stuck daemon cannot hang the test.
set -u
B=$1
T=$(mktemp -d "${TMPDIR:-/tmp}/t_fuse.XXXXXX")
chmod 755 "$T"
STEP=600
PIDS=""

cleanup() {
	for m in "$T"/m*; do
		[ -d "$m" ] && grep -q " $m " /proc/mounts &&
		    fusermount3 -uz "$m" 2>/dev/null
	done
	for p in $PIDS; do
		kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $*"; }
t() { timeout "$STEP" "$@"; }

mounted() { grep -q " $1 " /proc/mounts; }

# Wait (bounded) for the daemon with pid $1 to exit; its status in $rc.
reap() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 6000 ] && fail "daemon $1 did not exit"
		sleep 0.1
	done
	wait "$1"
	rc=$?
}

# Wait (bounded) for mount point $1 to be served.
waitmount() {
	i=0
	until mounted "$1"; do
		i=$((i + 1))
		[ $i -gt 6000 ] && fail "$1 not mounted"
		kill -0 "$2" 2>/dev/null || fail "daemon for $1 died"
		sleep 0.1
	done
}

# start daemon args...: run in the foreground, in the background of the
# test; sets $pid.  The mount point is the last argument.
start() {
	d=$1
	shift
	for mnt; do :; done
	# A shell's background job starts with SIGINT ignored, and a daemon
	# leaves ignored signals ignored: give it the default back.
	env --default-signal=INT "$B/$d" -f "$@" &
	pid=$!
	PIDS="$PIDS $pid"
	waitmount "$mnt" "$pid"
}

[ -c /dev/fuse ] || skip "no /dev/fuse"
command -v fusermount3 >/dev/null || skip "no fusermount3 (package fuse3)"
for d in rump_ext2fs rump_ffs rump_tmpfs; do
	[ -x "$B/$d" ] || fail "no $B/$d"
done

# A probe: can this process mount through FUSE at all?
mkdir "$T/m0"
if ! t "$B/rump_tmpfs" "$T/m0" 2>"$T/probe.err"; then
	skip "FUSE mounts fail here: $(head -n 1 "$T/probe.err")"
fi
t fusermount3 -u "$T/m0" || fail "fusermount3 -u of the probe"

# The source tree: a real one (this project's kernel sources) plus what
# a real tree has: hard links, symbolic links, an empty file and
# directory, odd names, a sparse file, a deep path, modes and times.
SRC=$T/src
mkdir -p "$SRC"
SRCDIR=$(cd "$(dirname "$0")/../.." && pwd)
cp -a "$SRCDIR/sys" "$SRCDIR/tools" "$SRC/" || fail "copy the source tree"
(
	cd "$SRC" || exit 1
	echo hello >hello
	ln hello hello.link
	ln -s hello hello.sym
	ln -s ../../no/such/target dangling
	: >empty
	mkdir emptydir deep deep/a deep/a/b deep/a/b/c
	echo deep >deep/a/b/c/file
	echo spaces >"name with spaces"
	printf 'x' | dd of=sparse bs=1 seek=3000000 2>/dev/null
	chmod 640 hello
	chmod 1777 emptydir
	touch -d '2001-02-03 04:05:06' hello
) || fail "make the source tree"

# stat lines of every entry that is not a directory, sorted; times in
# whole seconds, as mke2fs -d copies them.
statlist() {
	(cd "$1" && find . -path ./lost+found -prune -o ! -type d -printf '%p %y %s %m %n %T@ %l\n' |
	    sed -E 's/ ([0-9]+)\.[0-9]+ / \1 /' | sort) >"$2" ||
	    fail "stat list of $1"
}

# The read-only checks of a mount $1 of the tree $2.
check_tree() {
	note "diff -r, find, stat and du agree with the tree"
	t diff -r --no-dereference -x lost+found "$1" "$2" >"$T/diff.out" 2>&1 ||
	    fail "diff -r: $(head -n 5 "$T/diff.out")"
	(cd "$1" && t find . | grep -v '^./lost+found' | sort) >"$T/find.mnt"
	(cd "$2" && t find . | sort) >"$T/find.src"
	cmp -s "$T/find.mnt" "$T/find.src" || fail "find lists differ"
	statlist "$1" "$T/stat.mnt"
	statlist "$2" "$T/stat.src"
	cmp -s "$T/stat.mnt" "$T/stat.src" ||
	    fail "stat differs: $(diff "$T/stat.mnt" "$T/stat.src" | head -n 4)"
	a=$(t du -s --apparent-size -b --exclude=lost+found "$1" | cut -f1)
	[ -n "$a" ] || fail "du on the mount"
	[ "$(stat -c %i "$1/hello")" = "$(stat -c %i "$1/hello.link")" ] ||
	    fail "hard links have different inode numbers"
	[ "$(stat -c %h "$1/hello")" = 2 ] || fail "link count of hello"
	[ "$(t cat "$1/deep/a/b/c/file")" = deep ] || fail "read deep/a/b/c/file"
}

# The programs that write: run in directory $1 of a mount.
write_suite() {
	w=$1
	note "tar, cp -a, rsync -a, git, find, du on $w"
	(cd "$SRC" && t tar cf - .) | (cd "$w" && mkdir untar &&
	    cd untar && t tar xf -) || fail "untar"
	t diff -r --no-dereference "$w/untar" "$SRC" || fail "diff after untar"
	t cp -a "$SRC" "$w/cp" || fail "cp -a"
	statlist "$w/cp" "$T/stat.cp"
	statlist "$SRC" "$T/stat.src"
	cmp -s "$T/stat.cp" "$T/stat.src" ||
	    fail "cp -a: $(diff "$T/stat.cp" "$T/stat.src" | head -n 4)"
	t rsync -a "$SRC/" "$w/rsync/" || fail "rsync -a"
	t diff -r --no-dereference "$w/rsync" "$SRC" || fail "diff after rsync"
	t rsync -a --delete "$SRC/tools/" "$w/rsync/sys/" ||
	    fail "rsync --delete"
	t diff -r "$w/rsync/sys" "$SRC/tools" || fail "diff after rsync --delete"
	[ "$(cd "$w/cp" && t find . | wc -l)" = "$(cd "$SRC" && find . | wc -l)" ] ||
	    fail "find count after cp -a"
	t du -s "$w" >/dev/null || fail "du"
	(
		cd "$w/cp" && t git init -q . &&
		t git add -A &&
		t git -c user.name=t -c user.email=t@t commit -q -m tree &&
		echo more >>hello && t git commit -q -a -m more \
		    --author='t <t@t>' &&
		t git fsck --strict 2>&1 &&
		[ "$(git log --oneline | wc -l)" = 2 ] &&
		t git status --porcelain | grep -q . && exit 1
		exit 0
	) >"$T/git.out" 2>&1 || fail "git: $(tail -n 5 "$T/git.out")"
	t rm -rf "$w/untar" "$w/rsync" || fail "rm -rf"
	[ ! -e "$w/untar" ] || fail "untar still there"
}

# Errors a program sees: the kernel's errno, unchanged.
errno_suite() {
	w=$1
	note "errors through the mount on $w"
	mkdir "$w/e" || fail "mkdir"
	out=$(mkdir "$w/e" 2>&1) && fail "mkdir of an existing directory"
	case $out in *"File exists"*) ;; *) fail "mkdir: $out" ;; esac
	touch "$w/e/f"
	out=$(rmdir "$w/e" 2>&1) && fail "rmdir of a full directory"
	case $out in *"not empty"*) ;; *) fail "rmdir: $out" ;; esac
	out=$(cat "$w/e/nope" 2>&1) && fail "cat of a missing file"
	case $out in *"No such file"*) ;; *) fail "cat: $out" ;; esac
	out=$(ls "$w/e/f/x" 2>&1) && fail "ls through a file"
	case $out in *"Not a directory"*) ;; *) fail "ls: $out" ;; esac
	mv "$w/e/f" "$w/e/g" && [ -f "$w/e/g" ] && [ ! -e "$w/e/f" ] ||
	    fail "mv"
	printf abc >"$w/e/g" && printf def >>"$w/e/g" &&
	    [ "$(cat "$w/e/g")" = abcdef ] || fail "append"
	truncate -s 2 "$w/e/g" && [ "$(cat "$w/e/g")" = ab ] || fail "truncate"
	touch -h -d '2002-03-04 05:06:07.123456789' "$w/e/g" &&
	    [ "$(stat -c %y "$w/e/g")" = "2002-03-04 05:06:07.123456789 +0000" ] ||
	    fail "utimens: $(stat -c %y "$w/e/g")"
	ln "$w/e/g" "$w/e/h" && [ "$(stat -c %h "$w/e/g")" = 2 ] ||
	    fail "link count after ln"
	rm -r "$w/e" || fail "rm -r"
}

# Credentials: a request runs as its user (mounted with allow_other).
cred_suite() {
	w=$1
	command -v setpriv >/dev/null || { note "no setpriv: creds skipped"; return; }
	[ "$(id -u)" = 0 ] || { note "not root: creds skipped"; return; }
	note "requests run as the requesting user on $w"
	mkdir -m 1777 "$w/pub" && mkdir -m 755 "$w/priv" || fail "mkdir"
	t setpriv --reuid=65534 --regid=65534 --clear-groups \
	    touch "$w/pub/mine" || fail "nobody cannot create in 1777"
	[ "$(stat -c %u:%g "$w/pub/mine")" = 65534:65534 ] ||
	    fail "owner of nobody's file: $(stat -c %u:%g "$w/pub/mine")"
	out=$(t setpriv --reuid=65534 --regid=65534 --clear-groups \
	    touch "$w/priv/x" 2>&1) && fail "nobody created in a 755 dir"
	case $out in *"Permission denied"*) ;; *) fail "touch: $out" ;; esac
	out=$(t setpriv --reuid=65534 --regid=65534 --clear-groups \
	    chown 0 "$w/pub/mine" 2>&1) && fail "nobody gave a file away"
	case $out in *"not permitted"*) ;; *) fail "chown: $out" ;; esac
	t setpriv --reuid=65534 --regid=65534 --clear-groups \
	    test -w "$w/priv" && fail "access(W_OK) of a 755 dir by nobody"
	rm -rf "$w/pub" "$w/priv"
}

# --- bad command lines: one line, "rump_ext2fs: ...", exit non-zero
note "bad command lines"
mkdir "$T/m1"
badline() {
	t "$@" >"$T/bad.out" 2>&1 && fail "$* succeeded"
	[ "$(wc -l <"$T/bad.out")" = 1 ] || fail "$*: $(cat "$T/bad.out")"
	grep -q "^${1##*/}: " "$T/bad.out" || fail "$*: $(cat "$T/bad.out")"
}
# A bad image: the kernel's log line may come first; ours is the last.
badfs() {
	t "$@" >"$T/bad.out" 2>&1 && fail "$* succeeded"
	tail -n 1 "$T/bad.out" | grep -q "^${1##*/}: .*cannot mount as" ||
	    fail "$*: $(cat "$T/bad.out")"
}
badline "$B/rump_ext2fs" "$T/no.img" "$T/m1"
badline "$B/rump_ext2fs" "$SRC" "$T/m1"
badline "$B/rump_ffs" "$T/no.img" "$T/m1"
head -c 1048576 /dev/zero >"$T/zero.img"
badfs "$B/rump_ext2fs" -o ro "$T/zero.img" "$T/m1"
badfs "$B/rump_ext2fs" -f -o ro "$T/zero.img" "$T/m1"
badfs "$B/rump_ffs" -o ro "$T/zero.img" "$T/m1"
badline "$B/rump_ext2fs" "$T/zero.img" "$T/nodir"
badline "$B/rump_ext2fs" "$T/zero.img" "$T/zero.img"
t "$B/rump_ext2fs" >/dev/null 2>&1 && fail "no arguments succeeded"
t "$B/rump_ext2fs" --help | grep -q "^usage: rump_ext2fs" || fail "--help"
mounted "$T/m1" && fail "a failed start left a mount"

# --- tmpfs: every writing program, errno, credentials
note "rump_tmpfs"
start rump_tmpfs -o allow_other "$T/m1"
write_suite "$T/m1"
errno_suite "$T/m1"
cred_suite "$T/m1"
note "4 writers at once; a directory of 3000 entries listed and removed"
for i in 1 2 3 4; do
	(mkdir "$T/m1/par$i" && (cd "$SRC" && tar cf - sys) |
	    (cd "$T/m1/par$i" && t tar xf -) &&
	    t diff -r "$T/m1/par$i/sys" "$SRC/sys") >"$T/par$i.out" 2>&1 &
	writers="${writers:-} $!"
done
for w in $writers; do
	wait "$w"
done
for i in 1 2 3 4; do
	[ -s "$T/par$i.out" ] && fail "writer $i: $(head -n 3 "$T/par$i.out")"
	t diff -r "$T/m1/par$i/sys" "$SRC/sys" >/dev/null || fail "writer $i"
done
mkdir "$T/m1/big" && (cd "$T/m1/big" && t seq 1 3000 | t xargs touch) ||
    fail "3000 files"
[ "$(ls "$T/m1/big" | wc -l)" = 3000 ] || fail "ls of 3000 entries"
[ "$(ls -f "$T/m1/big" | sort -u | wc -l)" = 3002 ] ||
    fail "readdir repeats or loses entries"
t rm -rf "$T/m1/big" "$T/m1"/par* || fail "rm -rf while listing"
[ "$(ls "$T/m1")" = cp ] || fail "left after rm -rf: $(ls "$T/m1")"
kill -TERM "$pid"
reap "$pid"
[ "$rc" = 0 ] || fail "rump_tmpfs exit status $rc after SIGTERM"
mounted "$T/m1" && fail "SIGTERM left the mount"

note "rump_tmpfs -s (one thread), SIGINT with a file open"
start rump_tmpfs -s "$T/m1"
echo data >"$T/m1/f" && [ "$(cat "$T/m1/f")" = data ] || fail "-s write"
exec 3<"$T/m1/f"
kill -INT "$pid"
reap "$pid"
exec 3<&-
[ "$rc" = 0 ] || fail "rump_tmpfs -s exit status $rc after SIGINT"
mounted "$T/m1" && fail "SIGINT left the mount"

# Wait (bounded) for the daemon serving image $1 to exit, after an
# unmount: it writes the image back before it exits.
waitgone() {
	i=0
	while pgrep -f "rump_[a-z0-9]* .*$1 " >/dev/null; do
		i=$((i + 1))
		[ $i -gt 6000 ] && fail "daemon of $1 did not exit"
		sleep 0.1
	done
}

fsck_img() {
	case $1 in
	*.ext?) t e2fsck -fn "$1" >"$T/fsck.out" 2>&1 ||
		    fail "e2fsck $2: $(tail -n 5 "$T/fsck.out")" ;;
	*.ffs) t "$B/fsck_ffs" -n "$1" >"$T/fsck.out" 2>&1 ||
		    fail "fsck_ffs $2: $(tail -n 5 "$T/fsck.out")" ;;
	esac
}

# --- ext2 and FFS images: read the tree, write it if the kernel can.
# makefs sizes the inode table to the tree it copies; density gives the
# write suite inodes to create its copies with.
t mke2fs -q -F -t ext4 -d "$SRC" "$T/ro.ext4" 64M >/dev/null || fail "mke2fs ext4"
t mke2fs -q -F -t ext2 -d "$SRC" "$T/rw.ext2" 64M >/dev/null || fail "mke2fs ext2"
t makefs -t ffs -o version=2,density=4096 -s 64m "$T/ufs2.ffs" "$SRC" >/dev/null ||
    fail "makefs"

for case in ext2fs:ro.ext4:rw.ext2 ffs:ufs2.ffs:ufs2.ffs; do
	fs=${case%%:*}
	img=$T/$(echo "$case" | cut -d: -f2)
	rwimg=$T/${case##*:}

	note "rump_$fs -o ro ${img##*/} (daemon), fusermount3 -u"
	t "$B/rump_$fs" -o ro "$img" "$T/m1" || fail "rump_$fs -o ro"
	mounted "$T/m1" || fail "not mounted after rump_$fs returned"
	check_tree "$T/m1" "$SRC"
	out=$(touch "$T/m1/new" 2>&1) && fail "created on a ro mount"
	case $out in *"Read-only"*) ;; *) fail "touch on ro: $out" ;; esac
	t fusermount3 -u "$T/m1" || fail "fusermount3 -u"
	waitgone "$img"
	fsck_img "$img" "after a read-only mount"

	note "rump_$fs ${rwimg##*/} read-write, SIGTERM"
	"$B/rump_$fs" -f "$rwimg" "$T/m1" 2>"$T/rw.err" &
	pid=$!
	PIDS="$PIDS $pid"
	i=0
	while ! mounted "$T/m1" && kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 6000 ] && fail "rw mount"; sleep 0.1
	done
	if ! mounted "$T/m1"; then
		wait "$pid"
		grep -q "Read-only file system" "$T/rw.err" ||
		    fail "rw mount: $(cat "$T/rw.err")"
		note "SKIP: $fs cannot be written yet: $(cat "$T/rw.err")"
		continue
	fi
	check_tree "$T/m1" "$SRC"
	write_suite "$T/m1"
	errno_suite "$T/m1"
	kill -TERM "$pid"
	reap "$pid"
	[ "$rc" = 0 ] || fail "rump_$fs exit status $rc after SIGTERM"
	mounted "$T/m1" && fail "SIGTERM left the mount"
	fsck_img "$rwimg" "after writing"

	note "the written tree reads back after a remount"
	t "$B/rump_$fs" -o ro "$rwimg" "$T/m1" || fail "remount"
	t diff -r --no-dereference "$T/m1/rsync" "$SRC" >/dev/null 2>&1 &&
	    fail "rsync tree still there after rm -rf"
	[ "$(t git -C "$T/m1/cp" log --oneline | wc -l)" = 2 ] ||
	    fail "git history lost"
	t git -C "$T/m1/cp" fsck --strict >/dev/null 2>&1 || fail "git fsck"
	t fusermount3 -u "$T/m1" || fail "fusermount3 -u"
	waitgone "$rwimg"
	fsck_img "$rwimg" "after the remount"
done

# --- a partitioned disk: ext2 in partition 1, FFS in partition 2 (MBR)
if command -v sfdisk >/dev/null; then
	note "disk.img:1 (ext2) and disk.img:2 (FFS)"
	D=$T/disk.img
	t mke2fs -q -F -t ext2 -d "$SRC/tools" "$T/p1" 8M >/dev/null ||
	    fail "mke2fs p1"
	t makefs -t ffs -s 8m "$T/p2" "$SRC/tools" >/dev/null || fail "makefs p2"
	truncate -s 20M "$D"
	printf 'label: dos\nstart=2048, size=16384, type=83\nstart=18432, size=16384, type=a9\n' |
	    t sfdisk -q "$D" || fail "sfdisk"
	dd if="$T/p1" of="$D" bs=512 seek=2048 conv=notrunc 2>/dev/null
	dd if="$T/p2" of="$D" bs=512 seek=18432 conv=notrunc 2>/dev/null
	for p in ext2fs:1 ffs:2; do
		t "$B/rump_${p%:*}" -o ro "$D:${p#*:}" "$T/m1" ||
		    fail "rump_${p%:*} $D:${p#*:}"
		t diff -r -x lost+found "$T/m1" "$SRC/tools" || fail "diff -r $p"
		t fusermount3 -u "$T/m1" || fail "fusermount3 -u"
		waitgone "$D:${p#*:}"
	done
	badline "$B/rump_ext2fs" -o ro "$D:9" "$T/m1"
	grep -q "^rump_ext2fs: $D:9: " "$T/bad.out" || fail "$(cat "$T/bad.out")"
	dd if="$D" of="$T/p1.back" bs=512 skip=2048 count=16384 2>/dev/null
	cmp -s "$T/p1" "$T/p1.back" || fail "a read-only mount changed partition 1"
else
	note "SKIP: no sfdisk (package fdisk): partitioned disk not tested"
fi

echo "PASS"
