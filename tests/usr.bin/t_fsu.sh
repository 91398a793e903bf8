#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# The fsu_* image tools against images made by tools nobody here wrote
# (mke2fs -d, makefs, sfdisk, sgdisk) from a known tree: exact output
# compared with coreutils on the source tree, exact messages and exit
# codes for bad input, partitioned disks, and (where the kernel can
# write the file system) the writing tools checked by e2fsck.
#
# Usage: t_fsu.sh BINDIR [CASE...]
. "$(dirname "$0")/h_fsu.sh"

# expect STATUS STDOUT-FILE STDERR-TEXT COMMAND...: run, compare all three.
expect() {
	want_st=$1 want_out=$2 want_err=$3
	shift 3
	"$@" >out.txt 2>err.txt
	st=$?
	[ "$st" = "$want_st" ] || fail "$*: exit $st, expected $want_st"
	if [ "$want_out" != - ] && ! cmp -s out.txt "$want_out"; then
		fail "$*: output differs:"
		diff "$want_out" out.txt | head -20
	fi
	if [ "$want_err" != - ] && [ "$(cat err.txt)" != "$want_err" ]; then
		fail "$*: stderr '$(cat err.txt)', expected '$want_err'"
	fi
}

# The source tree: every kind of entry the tools show.  Times are fixed.
mktree() {
	rm -rf "$1"
	mkdir -p "$1/sub/deeper" "$1/dir two"
	printf 'hello\n' > "$1/a.txt"
	: > "$1/empty"
	printf 'deep\n' > "$1/sub/b"
	printf 'deeper\n' > "$1/sub/deeper/c"
	printf 'hidden\n' > "$1/.hidden"
	printf 'space\n' > "$1/dir two/f g"
	awk 'BEGIN { for (i = 0; i < 40000; i++) printf "line %06d\n", i }' \
	    > "$1/big"
	ln -s a.txt "$1/link"
	ln -s /nowhere/at/all "$1/dangling"
	ln "$1/sub/b" "$1/hard"
	chmod 0600 "$1/sub/b"
	chmod 0750 "$1/sub"
	chmod 4755 "$1/a.txt"
	find "$1" -exec touch -h -d '2020-01-02 03:04:05' {} +
}

setup() {
	mktree tree
	mke2fs -q -F -t ext2 -b 1024 -d tree ext2.img 8M >/dev/null 2>&1 ||
	    { echo "t_fsu: mke2fs failed"; exit 1; }
	if have makefs; then
		makefs -t ffs -s 8m ffs.img tree >/dev/null 2>&1 ||
		    { echo "t_fsu: makefs failed"; exit 1; }
	fi
}

images() {
	echo ext2.img
	[ -f ffs.img ] && echo ffs.img
}

# ls -l fields of the source tree: mode, links, owner, group, size
# (not of directories: their sizes are the file system's), date, name.
lsfields() {
	awk '$1 != "total" && $NF != "lost+found" {
		size = substr($1, 1, 1) == "d" ? "-" : $5
		$5 = size; print }'
}

case_ls_plain() {
	for img in $(images); do
		ls -A1 tree > want
		[ "$img" = ext2.img ] && { ls -A1 tree; echo lost+found; } |
		    sort > want
		"$bin/fsu_ls" -a "$img" / | grep -v '^\.\.\?$' > out.txt
		cmp -s out.txt want || { fail "$img: fsu_ls -a"; diff want out.txt; }
		ls -1 tree/sub > want
		expect 0 want "" "$bin/fsu_ls" "$img" sub
	done
}

case_ls_long() {
	for img in $(images); do
		ls -l tree | lsfields > want
		"$bin/fsu_ls" -l "$img" / | lsfields > got
		cmp -s got want || { fail "$img: fsu_ls -l"; diff want got; }
		ls -la tree/sub | lsfields | grep -v ' \.\.$' > want
		"$bin/fsu_ls" -la "$img" /sub | lsfields | grep -v ' \.\.$' > got
		cmp -s got want || { fail "$img: fsu_ls -la sub"; diff want got; }
		ls -ld tree/sub | lsfields | sed 's|tree/sub$|/sub|' > want
		"$bin/fsu_ls" -ld "$img" /sub | lsfields > got
		cmp -s got want || { fail "$img: fsu_ls -ld"; diff want got; }
		ls -lh tree/big | lsfields | sed 's|tree/big$|big|' > want
		"$bin/fsu_ls" -lh "$img" big | lsfields > got
		cmp -s got want || { fail "$img: fsu_ls -lh"; diff want got; }
	done
}

case_ls_recursive() {
	for img in $(images); do
		(cd tree && ls -R) | sed -e 's|^\.:$|/:|' -e 's|^\./|/|' > want
		"$bin/fsu_ls" -R "$img" / | grep -v '^lost+found$' |
		    sed '/^\/lost+found:$/,/^$/d' > got
		cmp -s got want || { fail "$img: fsu_ls -R"; diff want got; }
	done
}

case_cat() {
	for img in $(images); do
		expect 0 tree/big "" "$bin/fsu_cat" "$img" /big
		cat tree/a.txt tree/sub/b tree/empty "tree/dir two/f g" > want
		expect 0 want "" "$bin/fsu_cat" "$img" a.txt /sub/b empty \
		    "dir two/f g"
		expect 0 tree/a.txt "" "$bin/fsu_cat" "$img" /link
		printf 'hello\n' > want
		expect 1 want "fsu_cat: /etc/nope: No such file or directory" \
		    "$bin/fsu_cat" "$img" /a.txt /etc/nope
		expect 1 /dev/null "fsu_cat: /sub: Is a directory" \
		    "$bin/fsu_cat" "$img" /sub
		expect 1 /dev/null \
		    "fsu_cat: /dangling: No such file or directory" \
		    "$bin/fsu_cat" "$img" /dangling
	done
}

case_stat() {
	u=$(id -u); un=$(id -un); g=$(id -g); gn=$(id -gn)
	for img in $(images); do
		"$bin/fsu_stat" "$img" /a.txt /link > got 2>err.txt ||
		    fail "$img: fsu_stat exit"
		cat > want <<EOT
  File: /a.txt
Access: (4755/-rwsr-xr-x)  Uid: ($(printf '%5s/%8s' "$u" "$un"))   Gid: ($(printf '%5s/%8s' "$g" "$gn"))
Modify: 2020-01-02 03:04:05.000000000 +0000
  File: /link -> a.txt
Access: (0777/lrwxrwxrwx)  Uid: ($(printf '%5s/%8s' "$u" "$un"))   Gid: ($(printf '%5s/%8s' "$g" "$gn"))
Modify: 2020-01-02 03:04:05.000000000 +0000
EOT
		grep -e File: -e '^Access: (' -e Modify: got > got2
		cmp -s got2 want || { fail "$img: fsu_stat"; diff want got2; }
		grep -q '^  Size: 6 .*regular file$' got ||
		    fail "$img: fsu_stat size line: $(grep Size: got | head -1)"
		grep -q 'symbolic link$' got || fail "$img: fsu_stat link type"
		"$bin/fsu_stat" "$img" /hard > got
		grep -q 'Links: 2$' got || fail "$img: hard link count"
	done
}

case_find() {
	for img in $(images); do
		(cd tree && find . -name '*.txt') | sed 's|^\.||' | sort > want
		"$bin/fsu_find" "$img" / -name '*.txt' > got
		cmp -s got want || { fail "$img: -name"; diff want got; }
		(cd tree && find . -type l) | sed 's|^\.||' | sort > want
		expect 0 want "" "$bin/fsu_find" "$img" -type l
		(cd tree && find . -type f -size +100k) | sed 's|^\.||' > want
		expect 0 want "" "$bin/fsu_find" "$img" / -type f -size +100k
		(cd tree && find sub -print0) > want
		"$bin/fsu_find" "$img" sub -print0 > got
		cmp -s got want || fail "$img: -print0"
		(cd tree && find sub -maxdepth 1 -type d) > want
		expect 0 want "" "$bin/fsu_find" "$img" sub -maxdepth 1 -type d
		expect 1 /dev/null "fsu_find: unknown predicate: '-bogus'" \
		    "$bin/fsu_find" "$img" / -bogus x
	done
}

case_du_df() {
	for img in $(images); do
		"$bin/fsu_du" -s "$img" / > got || fail "$img: fsu_du"
		grep -q '^[0-9][0-9]*	/$' got || fail "$img: fsu_du -s: $(cat got)"
		"$bin/fsu_du" -ab "$img" /sub > got
		printf '5\t/sub/b\n7\t/sub/deeper/c\n' > want
		grep -e '/b$' -e '/c$' got | sort > got2
		cmp -s got2 want || { fail "$img: fsu_du -ab"; diff want got2; }
		"$bin/fsu_df" "$img" > got || fail "$img: fsu_df"
		head -1 got | grep -q '^Filesystem *1K-blocks *Used *Available *Use% Mounted on$' ||
		    fail "$img: df header"
	done
	# Size as Linux's df shows it (overhead left out), within the image.
	"$bin/fsu_df" ext2.img | awk 'NR == 2 && $2 > 7000 && $2 <= 8192 &&
	    $3 + $4 <= $2 && $5 ~ /^[0-9]+%$/ && $1 == "ext2.img" &&
	    $6 == "/" { ok = 1 } END { exit !ok }' ||
	    fail "fsu_df ext2: $("$bin/fsu_df" ext2.img | tail -1)"
}

case_get() {
	for img in $(images); do
		rm -rf out
		expect 0 /dev/null "" "$bin/fsu_get" -r "$img" / out
		rm -rf out/lost+found
		diff -r --no-dereference tree out > got 2>&1 ||
		    { fail "$img: get -r differs"; cat got; }
		[ "$(readlink out/dangling)" = /nowhere/at/all ] ||
		    fail "$img: dangling link not kept"
		rm -rf out && mkdir out
		expect 0 /dev/null "" "$bin/fsu_get" -rp "$img" /sub /a.txt out
		(cd tree && stat -c '%a %Y %n' a.txt sub sub/b sub/deeper) > want
		(cd out && stat -c '%a %Y %n' a.txt sub sub/b sub/deeper) > got
		cmp -s got want || { fail "$img: get -rp"; diff want got; }
		expect 0 /dev/null "" "$bin/fsu_get" "$img" /a.txt out/renamed
		cmp -s out/renamed tree/a.txt || fail "$img: get to new name"
		expect 1 /dev/null \
		    "fsu_get: -r not specified; omitting directory '/sub'" \
		    "$bin/fsu_get" "$img" /sub out
		expect 1 /dev/null \
		    "fsu_get: target 'out/renamed' is not a directory" \
		    "$bin/fsu_get" "$img" /a.txt /big out/renamed
		expect 1 /dev/null \
		    "fsu_get: cannot stat '/nope': No such file or directory" \
		    "$bin/fsu_get" "$img" /nope out
	done
}

case_diff() {
	for img in $(images); do
		rm -rf copy && cp -a tree copy
		[ "$img" = ext2.img ] && mkdir copy/lost+found
		expect 0 /dev/null "" "$bin/fsu_diff" "$img" / copy
		expect 0 /dev/null "" "$bin/fsu_diff" -p "$img" /sub copy/sub
		printf 'changed\n' > copy/a.txt
		touch -d '2020-01-02 03:04:05' copy/a.txt
		rm copy/sub/deeper/c
		echo new > copy/new
		cat > want <<EOT
Files $img:/a.txt and copy/a.txt differ
Only in copy: new
Only in $img:/sub/deeper: c
EOT
		expect 1 want "" "$bin/fsu_diff" "$img" / copy
	done
}

case_bad_input() {
	mkdir -p adir
	head -c 1048576 /dev/zero > zero.img
	expect 1 /dev/null "fsu_ls: nope.img: No such file or directory" \
	    "$bin/fsu_ls" nope.img
	expect 1 /dev/null "fsu_ls: adir: Is a directory" "$bin/fsu_ls" adir
	expect 1 /dev/null \
	    "fsu_ls: zero.img: unknown file-system type (name it with -t)" \
	    "$bin/fsu_ls" zero.img
	expect 1 /dev/null "fsu_ls: ext2.img: not a valid ffs file system" \
	    "$bin/fsu_ls" -t ffs ext2.img
	expect 1 /dev/null \
	    "fsu_ls: ext2.img: file-system type 'nofs' is not supported" \
	    "$bin/fsu_ls" -t nofs ext2.img
	expect 1 /dev/null "fsu_ls: ext2.img:3: no such partition" \
	    "$bin/fsu_ls" ext2.img:3
	expect 2 /dev/null \
	    "fsu_ls: cannot access '/nope': No such file or directory" \
	    "$bin/fsu_ls" ext2.img /nope
	expect 1 /dev/null "fsu_cat: missing operand
Try 'fsu_cat --help' for more information." "$bin/fsu_cat" ext2.img
	expect 1 /dev/null "fsu_ls: invalid option -- 'Z'
Try 'fsu_ls --help' for more information." "$bin/fsu_ls" -Z ext2.img
	for t in cat chmod chown df diff du find get ln ls mkdir mv put rm \
	    rmdir stat touch write; do
		"$bin/fsu_$t" --help > got 2>&1 || fail "fsu_$t --help exit"
		head -1 got | grep -q "^Usage: fsu_$t " ||
		    fail "fsu_$t --help: $(head -1 got)"
	done
}

# A disk with an MBR: ext2 in 1, ffs in 2, an extended partition 3 with
# logical 5 (ext2) and 6 (ffs).
mkmbr() {
	rm -f "$1"
	truncate -s 64M "$1"
	sfdisk -q "$1" >/dev/null <<EOT
label: dos
start=2048, size=16384, type=83
start=18432, size=16384, type=a9
start=34816, size=90000, type=5
start=36864, size=16384, type=83
start=55296, size=16384, type=a9
EOT
	dd if=ext2.img of="$1" bs=512 seek=2048 conv=notrunc status=none
	dd if=ffs.img of="$1" bs=512 seek=18432 conv=notrunc status=none
	dd if=ext2.img of="$1" bs=512 seek=36864 conv=notrunc status=none
	dd if=ffs.img of="$1" bs=512 seek=55296 conv=notrunc status=none
}

mkgpt() {
	rm -f "$1"
	truncate -s 64M "$1"
	sgdisk -n 1:2048:+8M -c 1:rootfs -n 2:18432:+8M -c 2:data \
	    -n 4:40960:+8M -c 4:fourth "$1" >/dev/null
	dd if=ext2.img of="$1" bs=512 seek=2048 conv=notrunc status=none
	dd if=ffs.img of="$1" bs=512 seek=18432 conv=notrunc status=none
	dd if=ext2.img of="$1" bs=512 seek=40960 conv=notrunc status=none
}

case_partitions_mbr() {
	have sfdisk || { skip "no sfdisk"; return; }
	[ -f ffs.img ] || { skip "no makefs"; return; }
	mkmbr mbr.img
	for p in 1 2 5 6; do
		"$bin/fsu_cat" mbr.img:$p /sub/deeper/c > got ||
		    fail "mbr.img:$p"
		printf 'deeper\n' > want
		cmp -s got want || fail "mbr.img:$p: contents"
		"$bin/fsu_get" -r mbr.img:$p / out$p || fail "get mbr.img:$p"
		rm -rf out$p/lost+found
		diff -r --no-dereference tree out$p >/dev/null ||
		    fail "mbr.img:$p: tree differs"
	done
	expect 1 /dev/null "fsu_ls: mbr.img:3: no such partition" \
	    "$bin/fsu_ls" mbr.img:3
	expect 1 /dev/null "fsu_ls: mbr.img:7: no such partition" \
	    "$bin/fsu_ls" mbr.img:7
	expect 1 /dev/null \
	    "fsu_ls: mbr.img: unknown file-system type (name it with -t)" \
	    "$bin/fsu_ls" mbr.img
}

case_partitions_gpt() {
	have sgdisk || { skip "no sgdisk"; return; }
	[ -f ffs.img ] || { skip "no makefs"; return; }
	mkgpt gpt.img
	printf 'deeper\n' > want
	for p in 1 2 4 rootfs data fourth; do
		expect 0 want "" "$bin/fsu_cat" gpt.img:$p /sub/deeper/c
	done
	expect 1 /dev/null "fsu_ls: gpt.img:3: no such partition" \
	    "$bin/fsu_ls" gpt.img:3
	expect 1 /dev/null "fsu_ls: gpt.img:nolabel: no such partition" \
	    "$bin/fsu_ls" gpt.img:nolabel
	# A corrupt primary header: the backup at the last sector serves.
	cp gpt.img bad.img
	printf 'XXXX' | dd of=bad.img bs=1 seek=$((512 + 24)) conv=notrunc \
	    status=none
	expect 0 want "" "$bin/fsu_cat" bad.img:data /sub/deeper/c
	RUMP_LOGLEVEL=6 "$bin/fsu_cat" bad.img:2 /sub/deeper/c 2>err.txt \
	    >/dev/null
	grep -q "primary GPT header CRC mismatch; using the backup" err.txt ||
	    fail "no log line for the bad primary: $(cat err.txt)"
	# A corrupt primary entry array too.
	cp gpt.img bad2.img
	printf 'XXXX' | dd of=bad2.img bs=1 seek=$((1024 + 100)) \
	    conv=notrunc status=none
	expect 0 want "" "$bin/fsu_cat" bad2.img:rootfs /sub/deeper/c
	# Both copies bad: no partitions, a clear error.
	printf 'XXXX' | dd of=bad.img bs=1 \
	    seek=$(($(stat -c %s bad.img) - 512 + 24)) conv=notrunc status=none
	expect 1 /dev/null "fsu_ls: bad.img:1: corrupt partition table" \
	    "$bin/fsu_ls" bad.img:1
}

case_partitions_pastend() {
	have sfdisk || { skip "no sfdisk"; return; }
	rm -f short.img
	truncate -s 32M short.img
	sfdisk -q short.img >/dev/null <<EOT
label: dos
start=2048, size=16384, type=83
start=18432, size=40000, type=83
start=60000, size=1000, type=83
EOT
	dd if=ext2.img of=short.img bs=512 seek=18432 conv=notrunc status=none
	truncate -s 24M short.img
	# Partition 2 runs past the end: cut, and what fits still mounts.
	printf 'deeper\n' > want
	expect 0 want "" "$bin/fsu_cat" short.img:2 /sub/deeper/c
	RUMP_LOGLEVEL=6 "$bin/fsu_cat" short.img:2 /sub/deeper/c 2>err.txt \
	    >/dev/null
	grep -q "partition 2 runs past the end of the disk; cut to 30720 sectors" \
	    err.txt || fail "no clip log line: $(cat err.txt)"
	# Partition 3 starts past it: not there.
	expect 1 /dev/null "fsu_ls: short.img:3: no such partition" \
	    "$bin/fsu_ls" short.img:3
}

# Writing: only where the kernel writes the file system; otherwise the
# refusal must be clean and leave the image as it was.
writable() {
	cp "$1" probe.img
	"$bin/fsu_mkdir" probe.img /probe >/dev/null 2>&1
}

# ext4 with quota is read, never written: every writing tool is refused
# and the image stays byte for byte as it was.
case_write_refused() {
	mke2fs -q -F -t ext4 -O quota -d tree ext4.img 8M >/dev/null 2>&1 ||
	    { fail "mke2fs ext4"; return; }
	sum=$(md5sum < ext4.img)
	expect 1 /dev/null \
	    "fsu_mkdir: ext4.img: cannot open for writing: Read-only file system" \
	    "$bin/fsu_mkdir" ext4.img /x
	echo data | "$bin/fsu_write" ext4.img /w 2>/dev/null &&
	    fail "ext4.img: fsu_write succeeded"
	"$bin/fsu_put" tree ext4.img /t 2>/dev/null &&
	    fail "ext4.img: fsu_put succeeded"
	[ "$(md5sum < ext4.img)" = "$sum" ] || fail "ext4.img: changed"
	expect 0 /dev/null "" "$bin/fsu_diff" -p ext4.img /sub tree/sub
}

fsck_img() {
	case $1 in
	ext2*) e2fsck -fn "$1" >fsck.txt 2>&1 ||
		{ fail "e2fsck $1"; cat fsck.txt; } ;;
	ffs*) "$bin/fsck_ffs" -n "$1" >fsck.txt 2>&1 ||
		{ fail "fsck_ffs $1"; cat fsck.txt; } ;;
	esac
}

case_write() {
	for img in $(images); do
		if ! writable "$img"; then
			skip "$img: the kernel does not write it yet"
			continue
		fi
		w=${img%.img}-w.img
		cp "$img" "$w"
		expect 0 /dev/null "" "$bin/fsu_mkdir" -p "$w" /n/e/w
		expect 1 /dev/null \
		    "fsu_mkdir: cannot create directory '/n': File exists" \
		    "$bin/fsu_mkdir" "$w" /n
		printf 'written\n' | "$bin/fsu_write" "$w" /n/file ||
		    fail "$img: fsu_write"
		printf 'written\n' > want
		expect 0 want "" "$bin/fsu_cat" "$w" /n/file
		expect 0 /dev/null "" "$bin/fsu_mv" "$w" /n/file /n/moved
		expect 0 /dev/null "" "$bin/fsu_ln" -s "$w" moved /n/sym
		expect 0 want "" "$bin/fsu_cat" "$w" /n/sym
		expect 0 /dev/null "" "$bin/fsu_ln" "$w" /n/moved /n/hard
		expect 0 /dev/null "" "$bin/fsu_chmod" "$w" 0640 /n/moved
		expect 0 /dev/null "" "$bin/fsu_chown" "$w" 123:456 /n/moved
		expect 0 /dev/null "" "$bin/fsu_touch" -d @1600000000 "$w" \
		    /n/moved /n/new
		"$bin/fsu_stat" "$w" /n/moved > got
		grep -q '^Access: (0640/-rw-r-----)  Uid: (  123/     123)   Gid: (  456/     456)$' got ||
		    fail "$img: chmod/chown: $(grep Uid got)"
		grep -q '^Modify: 2020-09-13 12:26:40.000000000 +0000$' got ||
		    fail "$img: touch"
		grep -q 'Links: 2$' got || fail "$img: hard link"
		expect 0 /dev/null "" "$bin/fsu_put" -rp tree "$w" /n
		expect 0 /dev/null "" "$bin/fsu_diff" -p "$w" /n/tree tree
		fsck_img "$w"
		expect 0 /dev/null "" "$bin/fsu_rm" "$w" /n/hard
		expect 1 /dev/null "fsu_rm: cannot remove '/n': Is a directory" \
		    "$bin/fsu_rm" "$w" /n
		expect 1 /dev/null \
		    "fsu_rmdir: failed to remove '/n': Directory not empty" \
		    "$bin/fsu_rmdir" "$w" /n
		expect 0 /dev/null "" "$bin/fsu_rm" -r "$w" /n/tree
		expect 0 /dev/null "" "$bin/fsu_rm" -rf "$w" /n /nothing
		fsck_img "$w"
	done
}

case_write_full() {
	img=ext2.img
	writable "$img" || { skip "ext2 is not written yet"; return; }
	mke2fs -q -F -t ext2 -b 1024 small.img 1M >/dev/null 2>&1
	head -c 4194304 /dev/urandom > bigfile
	"$bin/fsu_put" bigfile small.img /bigfile 2>err.txt &&
	    fail "a 4 MiB file fit in a 1 MiB image"
	grep -q "^fsu_put: error writing '/bigfile': No space left on device$" \
	    err.txt || fail "full image message: $(cat err.txt)"
	fsck_img small.img
}

case_sigterm() {
	img=ext2.img
	writable "$img" || { skip "ext2 is not written yet"; return; }
	mke2fs -q -F -t ext2 -b 4096 sig.img 256M >/dev/null 2>&1
	head -c 200000000 /dev/zero > zeros
	"$bin/fsu_put" zeros sig.img /zeros 2>err.txt &
	pid=$!
	sleep 0.3
	kill -TERM $pid
	wait $pid
	st=$?
	# 143: it died of the signal after unmounting (0: it was done first).
	[ $st = 143 ] || [ $st = 0 ] || fail "fsu_put after SIGTERM: exit $st"
	fsck_img sig.img
}

# Writing into a logical partition changes that partition only.
case_write_partition() {
	have sfdisk || { skip "no sfdisk"; return; }
	[ -f ffs.img ] || { skip "no makefs"; return; }
	writable ext2.img || { skip "ext2 is not written yet"; return; }
	mkmbr mbr.img
	region() {      # md5 of sectors [$1, $1 + $2)
		dd if=mbr.img bs=512 skip="$1" count="$2" status=none | md5sum
	}
	before1=$(region 0 36864)
	before6=$(region 53248 18432)
	expect 0 /dev/null "" "$bin/fsu_put" -rp tree mbr.img:5 /copy
	expect 0 /dev/null "" "$bin/fsu_diff" -p mbr.img:5 /copy tree
	[ "$(region 0 36864)" = "$before1" ] ||
	    fail "sectors before partition 5 changed"
	[ "$(region 53248 18432)" = "$before6" ] ||
	    fail "sectors after partition 5 changed"
	dd if=mbr.img of=p5.img bs=512 skip=36864 count=16384 status=none
	e2fsck -fn p5.img >fsck.txt 2>&1 || { fail "e2fsck of partition 5"; cat fsck.txt; }
}

# A reader's SIGTERM while blocked on its output: it unmounts and dies
# of the signal.
case_sigterm_reader() {
	rm -f fifo
	mkfifo fifo
	exec 3<>fifo
	"$bin/fsu_cat" ext2.img /big >fifo 2>err.txt &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid
	st=$?
	exec 3<&-
	[ $st = 143 ] || fail "fsu_cat after SIGTERM: exit $st, $(cat err.txt)"
}

# Hostile images.  patchname IMAGE PATTERN SKIP BYTES: write BYTES at
# SKIP past the one match of the grep -P PATTERN (a directory record's
# name length and type, then its name).
patchname() {
	offs=$(grep -obUaP "$2" "$1" | cut -d: -f1)
	if [ "$(echo $offs | wc -w)" != 1 ]; then
		fail "$1: '$2' found at '$offs', not once"
		return 1
	fi
	printf "$4" | dd of="$1" bs=1 seek=$((offs + $3)) conv=notrunc \
	    status=none
}

# Names no directory may hold: a second '..' or '.' (libfsu refuses to
# join them), '../../x' (the kernel's directory check: EIO).  fsu_get -r
# must write nothing outside its target.
case_bad_names() {
	rm -rf names gw && mkdir -p names/d names/e names/f gw
	printf '1\n' > names/x
	printf '2\n' > names/d/Qz
	printf '3\n' > names/d/keep
	printf '4\n' > names/e/Q
	printf '5\n' > names/f/aaaaaaa
	mke2fs -q -F -t ext2 -b 1024 -d names names.img 2M >/dev/null 2>&1 ||
	    { fail "mke2fs"; return; }
	patchname names.img '\x02\x01Qz' 2 '..' || return
	patchname names.img '\x01\x01Q' 2 '.' || return
	patchname names.img '\x07\x01aaaaaaa' 2 '../../x' || return
	(cd gw && "$bin/fsu_get" -r ../names.img / out) >out.txt 2>err.txt
	st=$?
	[ $st = 1 ] || fail "fsu_get -r: exit $st"
	cat > want <<EOT
fsu_get: /d: invalid file name in image: '..'
fsu_get: /e: invalid file name in image: '.'
fsu_get: cannot access '/f': Input/output error
EOT
	cmp -s err.txt want || { fail "fsu_get -r messages"; diff want err.txt; }
	[ "$(ls -A gw)" = out ] || fail "fsu_get -r wrote beside out: $(ls -A gw)"
	(cd gw && find . | sort) > got
	printf '%s\n' . ./out ./out/d ./out/d/keep ./out/e ./out/f \
	    ./out/lost+found ./out/x > want
	cmp -s got want || { fail "fsu_get -r tree"; diff want got; }
	printf '/\n/d\n/d/keep\n/e\n/f\n/lost+found\n/x\n' > want
	expect 1 want "fsu_find: /d: invalid file name in image: '..'
fsu_find: /e: invalid file name in image: '.'
fsu_find: /f: Input/output error" "$bin/fsu_find" names.img
	printf '.\n..\nkeep\n' > want
	expect 1 want "fsu_ls: /d: invalid file name in image: '..'" \
	    "$bin/fsu_ls" -a names.img /d
	expect 1 /dev/null \
	    "fsu_ls: reading directory '/f': Input/output error" \
	    "$bin/fsu_ls" names.img /f
}

# Symbolic links and device nodes of an image stay in the image: an
# absolute target resolves from the image's root, ".." stops there (as
# under chroot), and a device node does not open (the mount is nodev).
# 240:0 is the etfs block device ukfs registers the image as: without
# nodev, the node would read and write the raw image.
case_confined() {
	rm -rf conf && mkdir -p conf/etc conf/dir
	printf 'image motd\n' > conf/etc/motd
	ln -s /etc/motd conf/abs
	ln -s ../../../../etc/motd conf/dir/rel
	ln -s ../../../../dev/anything conf/dir/esc
	ln -s ../../../../dev/ukfs/0 conf/dir/raw
	ln -s /../../ukfs.0 conf/dir/mnt
	nodes=1
	{ mknod conf/blk b 240 0 && mknod conf/chr c 240 0; } 2>/dev/null ||
	    nodes=0
	mke2fs -q -F -t ext2 -b 1024 -d conf conf.img 2M >/dev/null 2>&1 ||
	    { fail "mke2fs"; return; }
	printf 'image motd\n' > want
	expect 0 want "" "$bin/fsu_cat" conf.img /abs
	expect 0 want "" "$bin/fsu_cat" conf.img /dir/rel
	for l in esc raw mnt; do
		expect 1 /dev/null \
		    "fsu_cat: /dir/$l: No such file or directory" \
		    "$bin/fsu_cat" conf.img /dir/$l
	done
	boot=$(head -c 1024 conf.img | md5sum)
	printf 'x' | "$bin/fsu_write" conf.img /dir/raw 2>err.txt &&
	    fail "fsu_write through /dir/raw succeeded"
	[ "$(cat err.txt)" = "fsu_write: /dir/raw: No such file or directory" ] ||
	    fail "fsu_write /dir/raw: $(cat err.txt)"
	if [ $nodes = 0 ]; then
		skip "mknod failed: device nodes not checked"
		return
	fi
	for n in blk chr; do
		expect 1 /dev/null "fsu_cat: /$n: Permission denied" \
		    "$bin/fsu_cat" conf.img /$n
		printf 'x' | "$bin/fsu_write" conf.img /$n 2>err.txt &&
		    fail "fsu_write to /$n succeeded"
		[ "$(cat err.txt)" = "fsu_write: /$n: Permission denied" ] ||
		    fail "fsu_write /$n: $(cat err.txt)"
	done
	[ "$(head -c 1024 conf.img | md5sum)" = "$boot" ] ||
	    fail "the image's first block changed"
	fsck_img conf.img
}

# A directory linked under itself and under its child (debugfs ln does
# no checks): every walk reports the loop, skips it, ends and fails.
case_loop() {
	rm -rf loop out && mkdir -p loop/a/b
	printf 'f\n' > loop/a/b/f
	mke2fs -q -F -t ext2 -b 1024 -d loop loop.img 2M >/dev/null 2>&1 ||
	    { fail "mke2fs"; return; }
	debugfs -w -R "ln /a /a/b2" loop.img >/dev/null 2>&1 &&
	    debugfs -w -R "ln /a /a/b/up" loop.img >/dev/null 2>&1 ||
	    { fail "debugfs ln"; return; }
	m="File system loop detected; '/a/b/up' is part of the same file system loop as '/a'."
	m2="File system loop detected; '/a/b2' is part of the same file system loop as '/a'."
	# One endless walk is enough to know (and its messages are huge).
	timeout 60 "$bin/fsu_find" loop.img >/dev/null 2>err.txt
	[ $? = 124 ] &&
	    { fail "fsu_find did not end: $(head -c 200 err.txt)"; return; }
	printf '/\n/a\n/a/b\n/a/b/f\n/lost+found\n' > want
	expect 1 want "fsu_find: $m
fsu_find: $m2" timeout 60 "$bin/fsu_find" loop.img
	expect 1 - "fsu_du: $m
fsu_du: $m2" timeout 60 "$bin/fsu_du" loop.img
	grep -q '	/$' out.txt || fail "fsu_du: no total: $(cat out.txt)"
	printf '/:\na\nlost+found\n\n/a:\nb\nb2\n\n/a/b:\nf\nup\n\n/lost+found:\n' > want
	expect 2 want "fsu_ls: /a/b/up: not listing already-listed directory
fsu_ls: /a/b2: not listing already-listed directory" \
	    timeout 60 "$bin/fsu_ls" -R loop.img
	expect 1 /dev/null "fsu_get: $m
fsu_get: $m2" timeout 60 "$bin/fsu_get" -r loop.img / out
	find out | sort > got
	printf '%s\n' out out/a out/a/b out/a/b/f out/lost+found > want
	cmp -s got want || { fail "fsu_get -r tree"; diff want got; }
	cp loop.img loopw.img
	expect 1 /dev/null "fsu_chmod: $m
fsu_chmod: $m2" timeout 60 "$bin/fsu_chmod" -R loopw.img 0700 /
}

# Holes stay holes: out of an image (fsu_get, fsu_cat to a file), into
# one (fsu_put), zeros only into a pipe; a hostile size claim costs the
# host nothing.
case_sparse() {
	rm -rf sp && mkdir sp
	g=268435456
	truncate -s $((g + 8192)) sp/f
	printf 'head' | dd of=sp/f conv=notrunc status=none
	printf 'middle' | dd of=sp/f bs=1 seek=$((g / 2)) conv=notrunc \
	    status=none
	printf 'tail' | dd of=sp/f bs=1 seek=$((g + 8188)) conv=notrunc \
	    status=none
	sum=$(md5sum < sp/f)
	mke2fs -q -F -t ext2 -b 4096 -d sp sp.img 16M >/dev/null 2>&1 ||
	    { fail "mke2fs -d of a sparse file"; return; }
	small() {       # file, what: at most 64 KiB allocated
		k=$(du -k "$1" | cut -f1)
		[ "$k" -le 64 ] || fail "$2: $k KiB allocated, holes lost"
	}
	rm -f got && expect 0 /dev/null "" "$bin/fsu_get" sp.img /f got
	[ "$(md5sum < got)" = "$sum" ] || fail "fsu_get: contents differ"
	small got "fsu_get"
	"$bin/fsu_cat" sp.img /f > got2 || fail "fsu_cat to a file"
	[ "$(md5sum < got2)" = "$sum" ] || fail "fsu_cat: contents differ"
	small got2 "fsu_cat to a file"
	[ "$("$bin/fsu_cat" sp.img /f | md5sum)" = "$sum" ] ||
	    fail "fsu_cat to a pipe: contents differ"
	printf 'x' > got3
	"$bin/fsu_cat" sp.img /f >> got3 || fail "fsu_cat >>"
	[ "$(tail -c +2 got3 | md5sum)" = "$sum" ] ||
	    fail "fsu_cat to an O_APPEND file: contents differ"
	for img in $(images); do
		writable "$img" || continue
		w=${img%.img}-sp.img
		cp "$img" "$w"
		expect 0 /dev/null "" "$bin/fsu_put" sp/f "$w" /f
		[ "$("$bin/fsu_cat" "$w" /f | md5sum)" = "$sum" ] ||
		    fail "$img: fsu_put: contents differ"
		b=$("$bin/fsu_stat" "$w" /f | sed -n 's/.*Blocks: \([0-9]*\).*/\1/p')
		[ -n "$b" ] && [ "$b" -le 128 ] ||
		    fail "$img: fsu_put wrote '$b' blocks"
		fsck_img "$w"
	done
	# A corrupt size: 68 TiB with three blocks of data.
	cp sp.img huge.img
	debugfs -w -R "sif /f size 74766790688768" huge.img >/dev/null 2>&1
	rm -f got
	timeout 60 "$bin/fsu_get" huge.img /f got 2>err.txt
	st=$?
	[ $st -ne 124 ] || fail "fsu_get of a 68 TiB claim did not finish"
	if [ $st -eq 0 ]; then
		small got "68 TiB claim"
	else
		[ "$(wc -l < err.txt)" -eq 1 ] && grep -q '^fsu_get: ' err.txt ||
		    fail "68 TiB claim: $(cat err.txt)"
		[ ! -f got ] || small got "68 TiB claim (failed)"
	fi
	rm -f got got2 got3 sp/f
}

cases="ls_plain ls_long ls_recursive cat stat find du_df get diff bad_input
partitions_mbr partitions_gpt partitions_pastend write_refused write
write_full write_partition sigterm sigterm_reader bad_names confined loop
sparse"
[ $# -gt 0 ] && cases=$*
run_cases t_fsu $cases
