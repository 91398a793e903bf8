#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The image tools and the FUSE daemon on ISO 9660 images made by xorriso
# and makefs: the type is found without -t, a tree copied out with
# fsu_get -r equals its source (bytes, symlinks, modes), fsu_cat and
# fsu_ls read, a writing tool fails with "Read-only file system" and
# leaves the image byte for byte as it was, and rump_cd9660 serves the
# same tree through FUSE (skipped where FUSE is not there).
# usage: t_fsu_cd9660.sh bindir
. "$(dirname "$0")/h_fsu.sh"

setup() {
	mkdir -p src/dir/sub src/"name with spaces" &&
	printf 'hello\n' >src/hello.txt &&
	head -c 100000 /dev/urandom >src/dir/random.bin &&
	printf 'deep\n' >src/dir/sub/deep.txt &&
	ln -s dir/sub/deep.txt src/link &&
	ln -s /etc/absolute src/abslink &&
	chmod 0750 src/dir && chmod 0604 src/hello.txt || exit 1
	if have xorriso; then
		xorriso -as mkisofs -quiet -R -J -o x.iso src 2>/dev/null ||
		    exit 1
	fi
	if have makefs; then
		makefs -t cd9660 -o rockridge m.iso src >/dev/null || exit 1
	fi
}

# fsu_get -r of an image's root equals the source tree.
getcheck() {
	rm -rf out
	"$bin/fsu_get" -rp "$1" / out || { fail "fsu_get $1"; return; }
	diff -r --no-dereference src out >/dev/null ||
	    fail "$1: the tree differs: $(diff -r --no-dereference src out)"
	a=$(cd src && find . -printf '%p %M\n' | sort)
	b=$(cd out && find . -printf '%p %M\n' | sort)
	[ "$a" = "$b" ] || fail "$1: modes differ"
}

case_xorriso_get() {
	have xorriso || { skip "no xorriso"; return; }
	getcheck x.iso
}

case_makefs_get() {
	have makefs || { skip "no makefs"; return; }
	getcheck m.iso
}

case_cat_ls() {
	have xorriso || { skip "no xorriso"; return; }
	[ "$("$bin/fsu_cat" x.iso /dir/sub/deep.txt)" = deep ] ||
	    fail "fsu_cat"
	got=$("$bin/fsu_ls" x.iso / | tr '\n' ' ')
	[ "$got" = "abslink dir hello.txt link name with spaces " ] ||
	    fail "fsu_ls: $got"
	out=$("$bin/fsu_cat" x.iso /nope 2>&1)
	[ $? = 1 ] && [ "$out" = "fsu_cat: /nope: No such file or directory" ] ||
	    fail "fsu_cat of a missing file: $out"
}

case_write_refused() {
	have xorriso || { skip "no xorriso"; return; }
	cp x.iso before.iso
	out=$("$bin/fsu_mkdir" x.iso /newdir 2>&1)
	[ $? = 1 ] || fail "fsu_mkdir succeeded"
	case $out in
	*"Read-only file system"*) ;;
	*) fail "fsu_mkdir said: $out" ;;
	esac
	echo x | "$bin/fsu_write" x.iso /hello.txt 2>/dev/null &&
	    fail "fsu_write succeeded"
	cmp -s before.iso x.iso || fail "the image changed"
}

case_fuse() {
	have xorriso || { skip "no xorriso"; return; }
	{ [ -c /dev/fuse ] && have fusermount3; } ||
	    { skip "no FUSE here"; return; }
	mkdir -p mnt
	"$bin/rump_cd9660" x.iso mnt 2>err || {
		if grep -q -i "fuse" err; then
			skip "cannot mount through FUSE: $(cat err)"
		else
			fail "rump_cd9660: $(cat err)"
		fi
		return
	}
	diff -r --no-dereference src mnt >/dev/null ||
	    fail "the tree differs through FUSE"
	touch mnt/new 2>/dev/null && fail "touch succeeded"
	fusermount3 -u mnt || fail "fusermount3 -u"
}

run_cases t_fsu_cd9660 xorriso_get makefs_get cat_ls write_refused fuse
