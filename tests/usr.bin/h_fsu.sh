# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# What the fsu_* test scripts share, sourced with the tools' directory
# as $1: strict variables, the C locale, a scratch directory (the
# current one, removed on exit) and the case bookkeeping.
set -u
bin=$(cd "$1" && pwd)
shift
export LC_ALL=C TZ=UTC
unset RUMP_LOGLEVEL RUMP_VERBOSE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fails=0
skips=0
ran=0

fail() {
	echo "FAIL: $case: $*"
	fails=$((fails + 1))
	casefail=1
}

skip() {
	echo "SKIP: $case: $*"
	skips=$((skips + 1))
	casefail=2
}

have() {
	command -v "$1" >/dev/null 2>&1
}
