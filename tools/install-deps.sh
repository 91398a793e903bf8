#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Install the Debian packages the build (install-deps.sh build), the
# build and the tests (install-deps.sh test), or those and the peers the
# benchmarks measure against (install-deps.sh bench) need.  As root, only what is
# missing is installed; otherwise the apt-get line is printed.
set -eu
BUILD_PKGS="build-essential cmake pkg-config binutils e2fsprogs libfuse3-dev"
TEST_PKGS="$BUILD_PKGS clang libc6-dev makefs fdisk gdisk fuse3 rsync git tshark
    tcpdump iproute2 iputils-ping curl python3 python3-scapy dnsmasq-base dosfstools mtools
    xorriso genisoimage iperf3 netcat-openbsd"
BENCH_PKGS="$TEST_PKGS fuse2fs liblwip-dev 7zip fuseiso fusefat"
case "${1:-build}" in
build) PKGS=$BUILD_PKGS ;;
test) PKGS=$TEST_PKGS ;;
bench) PKGS=$BENCH_PKGS ;;
*) echo "usage: install-deps.sh [build|test|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing" >&2
	echo "install-deps: run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
