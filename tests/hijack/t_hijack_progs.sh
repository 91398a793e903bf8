#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Unmodified programs (coreutils, diff, find, tar, python3, dash) under
# librumphijack against an FFS image, every result compared exactly with
# the same command run on a host directory: names, types, modes, sizes,
# times, link targets, contents (SHA-256, tar archives byte for byte);
# and the attr and acl tools on kernel files.
# The test shell itself is not hijacked; each program is.
#
# usage: t_hijack_progs.sh local LIB SRCDIR BINDIR
#        t_hijack_progs.sh served LIB SRCDIR BINDIR
# local: LIB is librumphijack_local.so.  Each program boots its own
#   kernel, mounts the image and unmounts it at exit, so one program
#   after another sees the last one's work (a hijacked shell's exec
#   starts a new kernel: see rumphijack(3)).  The prefix is the image.
# served: LIB is librumphijack.so.  rump_server serves a kernel with the
#   image as /dev/disk0, h_hijack_mount mounts it on the kernel's /mnt,
#   and every program is a client of that one kernel; the prefix is the
#   kernel's root, the work is in /rump/mnt.  Skipped (77) when
#   rump_server was not built.
# HIJACK_PRELOAD_FIRST: libraries preloaded before LIB (the sanitizer
# runtime when the library is built with it).
set -u
MODE=$1
LIB=$2
SRC=$3
BIN=$4
W=$(mktemp -d /tmp/t_hijack_progs.XXXXXX)
SPID=
cleanup() {
	[ -z "$SPID" ] || kill -9 "$SPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
FAILS=0

fail() {
	echo "FAIL: $*" >&2
	FAILS=$((FAILS + 1))
}

hj() {
	LD_PRELOAD="${HIJACK_PRELOAD_FIRST:+$HIJACK_PRELOAD_FIRST }$LIB" "$@"
}

# same NAME FILE1 FILE2: exact comparison, the difference shown.
same() {
	if cmp -s "$2" "$3"; then
		echo "ok: $1"
	else
		fail "$1"
		diff -u "$2" "$3" | head -40 >&2
	fi
}

if [ "$MODE" = served ] && [ ! -x "$BIN/rump_server" ]; then
	echo "SKIP: rump_server was not built (librumpclient not in the tree)"
	exit 77
fi
for t in makefs tar python3 find diff sha256sum; do
	if ! command -v $t >/dev/null; then
		echo "SKIP: $t not installed (tools/install-deps.sh)"
		exit 77
	fi
done
mkdir "$W/empty"
makefs -t ffs -o density=4096 -s 96m "$W/img" "$W/empty" >/dev/null ||
	{ echo "FAIL: makefs"; exit 1; }
case $MODE in
local)
	export RUMPHIJACK="path=/rump,image=$W/img"
	K=/rump
	;;
served)
	export RUMP_SERVER="unix://$W/sock"
	# The components' directory named: under AddressSanitizer,
	# dlopen's caller is the sanitizer's runtime (no run path).
	LD_LIBRARY_PATH="$BIN/../lib" "$BIN/rump_server" -s -lrumpfs_ffs \
	    -d "key=/dev/disk0,hostpath=$W/img,size=host,type=blk" \
	    "$RUMP_SERVER" &
	SPID=$!
	i=0
	while [ ! -S "$W/sock" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -S "$W/sock" ] || { echo "FAIL: rump_server did not start"; exit 1; }
	"$BIN/h_hijack_mount" mount /dev/disk0 /mnt ||
		{ echo "FAIL: mounting the image in the server"; exit 1; }
	export RUMPHIJACK="path=/rump"
	K=/rump/mnt
	;;
*)
	echo "usage: t_hijack_progs.sh local|served LIB SRCDIR BINDIR" >&2
	exit 2
esac
export K

# The host tree: sizes around block edges, a megabyte of random bytes,
# odd names, modes, symbolic and hard links, a fifo, set times.
T=$W/src/tree
mkdir -p "$T/a/b/c/d" "$T/empty dir" "$T/modes"
: >"$T/zero"
printf x >"$T/one"
head -c 4095 /dev/urandom >"$T/a/4095"
head -c 4096 /dev/urandom >"$T/a/4096"
head -c 4097 /dev/urandom >"$T/a/b/4097"
head -c 1048579 /dev/urandom >"$T/a/b/c/big"
seq 1 20000 >"$T/a/b/c/d/seq"
printf 'spaces\n' >"$T/name with spaces"
printf 'utf8\n' >"$T/$(printf 'caf\303\251')"
for m in 600 640 644 700 755 444 4755; do
	printf '%s\n' "$m" >"$T/modes/m$m"
	chmod "$m" "$T/modes/m$m"
done
chmod 1777 "$T/modes"
ln -s a/b/c/big "$T/symlink"
ln -s /nonexistent "$T/dangling"
ln "$T/a/4096" "$T/hardlink"
mkfifo "$T/fifo"
find "$T" -exec touch -h -d '2001-02-03 04:05:06.123456789' {} +
touch -d '1999-12-31 23:59:59' "$T/a/b/c/d/seq"

# listing DIR: a canonical listing by find(1) (directory sizes differ
# between file systems and are left out).
listing() {
	"$@" \( -type d -printf '%P d %m %n %T@\n' \) -o \
	    -printf '%P %y %m %n %s %T@ %l\n' | LC_ALL=C sort
}

# cp -a into the kernel; ls -l, find, diff -r, du, sha256sum against it.
hj cp -a "$T" $K/tree || fail "cp -a into the kernel"
listing find "$T" >"$W/l.host"
listing hj find $K/tree >"$W/l.kern"
same "cp -a in, find -printf" "$W/l.host" "$W/l.kern"
(cd "$T/a/b" && ls -l --time-style=+%s 4097 c/big c/d/seq) >"$W/ls.host"
(cd "$T/a/b" && hj ls -l --time-style=+%s $K/tree/a/b/4097 \
    $K/tree/a/b/c/big $K/tree/a/b/c/d/seq) |
    sed "s|$K/tree/a/b/||" >"$W/ls.kern"
same "ls -l" "$W/ls.host" "$W/ls.kern"
ls -l --time-style=+%s "$T/modes" | grep -v '^total' >"$W/lsm.host"
hj ls -l --time-style=+%s $K/tree/modes | grep -v '^total' >"$W/lsm.kern"
same "ls -l of modes" "$W/lsm.host" "$W/lsm.kern"
# diff reads both trees in one process; of the fifo it only says so.
hj diff -r --no-dereference "$T" $K/tree >"$W/diff" 2>&1
echo "File $T/fifo is a fifo while file $K/tree/fifo is a fifo" \
    >"$W/diff.want"
same "diff -r host tree, kernel tree (one process)" "$W/diff.want" \
    "$W/diff"
(cd "$T" && find . -type f | LC_ALL=C sort | sed 's|^\./||') >"$W/files"
(cd "$T" && xargs -d '\n' sha256sum <"$W/files") >"$W/sum.host"
sed "s|^|$K/tree/|" "$W/files" | xargs -d '\n' sh -c \
    'LD_PRELOAD="${HIJACK_PRELOAD_FIRST:+$HIJACK_PRELOAD_FIRST }'"$LIB"'" \
    sha256sum "$@"' sh | sed "s|$K/tree/||" >"$W/sum.kern"
same "sha256sum" "$W/sum.host" "$W/sum.kern"
du -abl "$T" | sed "s|$T/*||" | LC_ALL=C sort -k2 >"$W/du.all.host"
hj du -abl $K/tree | sed "s|$K/tree/*||" | LC_ALL=C sort -k2 \
    >"$W/du.all.kern"
awk 'NR == FNR { f[$0] = 1; next } ($2 in f)' "$W/files" \
    "$W/du.all.host" >"$W/du.host"
awk 'NR == FNR { f[$0] = 1; next } ($2 in f)' "$W/files" \
    "$W/du.all.kern" >"$W/du.kern"
[ -s "$W/du.host" ] || fail "du: no file lines"
same "du -abl (files)" "$W/du.host" "$W/du.kern"

# tar c of the kernel's tree is byte for byte the host's.
tar --sort=name --format=gnu -C "$W/src" -cf "$W/host.tar" tree
hj tar --sort=name --format=gnu -C "$K" -cf - tree >"$W/kern.tar" ||
	fail "tar c in the kernel"
same "tar c" "$W/host.tar" "$W/kern.tar"

# tar x into the kernel, then tar c of that: the same archive again.
hj mkdir $K/x || fail "mkdir"
hj tar -C $K/x -xpf "$W/host.tar" || fail "tar x into the kernel"
hj tar --sort=name --format=gnu -C $K/x -cf - tree >"$W/kern2.tar"
same "tar x then tar c" "$W/host.tar" "$W/kern2.tar"

# cp -a back out; the host's own tools compare.
hj cp -a $K/tree "$W/back" || fail "cp -a out of the kernel"
listing find "$W/back" >"$W/l.back"
same "cp -a out, find -printf" "$W/l.host" "$W/l.back"
diff -r --no-dereference "$T" "$W/back" >"$W/diff" 2>&1
echo "File $T/fifo is a fifo while file $W/back/fifo is a fifo" \
    >"$W/diff.want"
same "diff -r of the copy out (host alone)" "$W/diff.want" "$W/diff"

# mv inside the kernel (rename) and across (copy and unlink).
hj mv $K/x/tree/a $K/x/tree/a.moved || fail "mv in the kernel"
hj mv $K/x/tree/a.moved/b/c/big "$W/big.out" ||
	fail "mv kernel to host"
cmp -s "$W/big.out" "$T/a/b/c/big" || fail "mv kernel to host: contents"
hj mv "$W/big.out" $K/x/tree/big.in || fail "mv host to kernel"
[ ! -e "$W/big.out" ] || fail "mv host to kernel left the source"
hj ls $K/x/tree >"$W/mv.kern"
printf '%s\n' a.moved big.in "$(printf 'caf\303\251')" dangling \
    'empty dir' fifo hardlink modes 'name with spaces' one symlink zero |
    LC_ALL=C sort >"$W/mv.want"
LC_ALL=C sort "$W/mv.kern" >"$W/mv.got"
same "mv: the directory after" "$W/mv.want" "$W/mv.got"
hj cmp $K/x/tree/big.in "$T/a/b/c/big" || fail "mv back: contents"
if hj ls $K/x/tree/a 2>"$W/err"; then
	fail "ls of a moved directory succeeded"
else
	same "ls of a moved name: the error" "$W/err" /dev/stdin <<EOF2
ls: cannot access '$K/x/tree/a': No such file or directory
EOF2
fi

# rm -r; what remains.
hj rm -r $K/x/tree || fail "rm -r"
hj rm -rf $K/tree || fail "rm -rf"
echo x >"$W/want"
hj ls -A "$K" >"$W/got"
same "rm -r: what remains" "$W/want" "$W/got"
hj ls -A $K/x >"$W/got"
same "rm -r: an empty directory" /dev/null "$W/got"

# python3 walking and writing, on the host and in the kernel.
mkdir "$W/pyhost"
python3 "$SRC/h_hijack_walk.py" "$W/pyhost" >"$W/py.host" ||
	fail "python3 on the host"
hj python3 "$SRC/h_hijack_walk.py" "$K" >"$W/py.kern" ||
	fail "python3 in the kernel"
same "python3 walk and write" "$W/py.host" "$W/py.kern"

# A hijacked shell: redirections and builtins in the shell's kernel,
# commands it forks and execs in theirs (locally, the shell lets the
# image go at each fork, its next redirection mounts it again).
hj sh -c 'echo from the shell >$K/sh.txt; read l <$K/sh.txt;
    echo "$l" >>$K/sh.txt; cat $K/sh.txt; echo after >>$K/sh.txt;
    cat $K/sh.txt' >"$W/got" || fail "sh redirections and commands"
printf 'from the shell\nfrom the shell\n' >"$W/want"
printf 'from the shell\nfrom the shell\nafter\n' >>"$W/want"
same "sh: redirections, builtins, forked cats" "$W/want" "$W/got"

# git: the same commit made in the kernel and on the host has the same
# hash (contents, modes, links, the dates fixed).  Locally git's helper
# processes (fsck's) would start kernels of their own on an image this
# one has mounted: they are left out there.
if command -v git >/dev/null; then
	export HOME="$W" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=hijack \
	    GIT_AUTHOR_EMAIL=h@example.org GIT_COMMITTER_NAME=hijack \
	    GIT_COMMITTER_EMAIL=h@example.org \
	    GIT_AUTHOR_DATE=2001-02-03T04:05:06Z \
	    GIT_COMMITTER_DATE=2001-02-03T04:05:06Z
	G="git -c gc.auto=0 -c maintenance.auto=false -c init.defaultBranch=m"
	$G init -q "$W/githost" && cp -a "$T/a" "$T/modes" "$T/symlink" \
	    "$W/githost/" && $G -C "$W/githost" add -A &&
	    $G -C "$W/githost" commit -qm "a commit" ||
		fail "git on the host"
	hj $G init -q "$K/git" || fail "git init in the kernel"
	hj cp -a "$T/a" "$T/modes" "$T/symlink" "$K/git/" || fail "cp for git"
	hj $G -C "$K/git" add -A || fail "git add in the kernel"
	hj $G -C "$K/git" commit -qm "a commit" ||
		fail "git commit in the kernel"
	$G -C "$W/githost" rev-parse HEAD >"$W/want"
	hj $G -C "$K/git" rev-parse HEAD >"$W/got"
	same "git init, add, commit: the same commit" "$W/want" "$W/got"
	hj $G -C "$K/git" cat-file -p HEAD:a/b/c/d/seq | cmp -s - \
	    "$T/a/b/c/d/seq" || fail "git cat-file of a kernel repository"
	if [ "$MODE" = served ]; then
		hj $G -C "$K/git" fsck --strict --no-progress >"$W/fsck.git" ||
			fail "git fsck in the kernel"
	fi
fi

# df: statvfs of the image, about 96 MiB.
blocks=$(hj df -k --output=size "$K" | tail -1 | tr -d ' ')
if [ "$blocks" -gt 80000 ] && [ "$blocks" -le 98304 ]; then
	echo "ok: df ($blocks KiB)"
else
	fail "df: $blocks KiB for a 96 MiB image"
fi

# Extended attributes: UFS1 FFS (makefs's default) keeps none
# (EOPNOTSUPP); the served kernel's root file system does, and setfattr,
# getfattr, setfacl and getfacl (libacl) see them through the calls.
if command -v setfattr >/dev/null && command -v getfacl >/dev/null; then
	hj touch $K/xa || fail "touch in the kernel"
	if hj setfattr -n user.x -v y $K/xa 2>"$W/xa.err"; then
		fail "setfattr on FFS succeeded"
	elif grep -q 'Operation not supported' "$W/xa.err"; then
		echo "ok: setfattr on FFS: EOPNOTSUPP"
	else
		fail "setfattr on FFS: $(cat "$W/xa.err")"
	fi
	if [ "$MODE" = served ]; then
		hj touch /rump/xa && hj chmod 0644 /rump/xa &&
		    hj setfattr -n user.color -v blue /rump/xa &&
		    hj setfacl -m u:1000:rw- /rump/xa ||
			fail "setfattr/setfacl in the kernel"
		hj getfattr -d -m - -e hex /rump/xa 2>&1 >"$W/xa.kern" |
		    grep -v 'Removing leading' >&2
		printf '%s\n' '# file: rump/xa' \
		    'system.posix_acl_access=0x0200000001000600ffffffff0200060'\
'0e803000004000400ffffffff10000600ffffffff20000400ffffffff' \
		    'user.color=0x626c7565' '' >"$W/xa.want"
		same "getfattr of a kernel file" "$W/xa.want" "$W/xa.kern"
		hj getfacl -n --omit-header /rump/xa >"$W/acl.kern" 2>/dev/null
		printf '%s\n' 'user::rw-' 'user:1000:rw-' 'group::r--' \
		    'mask::rw-' 'other::r--' '' >"$W/acl.want"
		same "getfacl of a kernel file" "$W/acl.want" "$W/acl.kern"
	fi
fi

if [ "$MODE" = served ]; then
	# RUMPHIJACK_RETRYCONNECT: the original's values; another, one line.
	RUMPHIJACK_RETRYCONNECT=inftime hj ls $K/ >/dev/null 2>"$W/rc.err" &&
	    [ ! -s "$W/rc.err" ] || fail "RUMPHIJACK_RETRYCONNECT=inftime"
	RUMPHIJACK_RETRYCONNECT=sometimes hj ls $K/ >/dev/null 2>"$W/rc.err"
	if [ "$(cat "$W/rc.err")" = "rumphijack: RUMPHIJACK_RETRYCONNECT: sometimes: not inftime, once, die or a number of seconds" ]; then
		echo "ok: RUMPHIJACK_RETRYCONNECT"
	else
		fail "RUMPHIJACK_RETRYCONNECT=sometimes: $(cat "$W/rc.err")"
	fi
	"$BIN/h_hijack_mount" unmount /mnt || fail "unmounting in the server"
	kill "$SPID"
	wait "$SPID"
	SPID=
fi

# The image is clean after all of it (every program unmounted it).
if [ -x "$BIN/fsck_ffs" ]; then
	if "$BIN/fsck_ffs" -n "$W/img" >"$W/fsck" 2>&1; then
		echo "ok: fsck_ffs -n"
	else
		fail "fsck_ffs"
		tail -5 "$W/fsck" >&2
	fi
fi

[ $FAILS -eq 0 ] || { echo "$FAILS failed"; exit 1; }
echo "all passed"
