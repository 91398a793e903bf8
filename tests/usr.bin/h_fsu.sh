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

# run_cases NAME CASE...: setup, then case_CASE of each; the summary,
# and the status: failed if any case did.
run_cases() {
	name=$1
	shift
	setup
	for case in "$@"; do
		casefail=0
		if command -v "case_$case" >/dev/null; then
			"case_$case"
		else
			fail "no such case"
		fi
		ran=$((ran + 1))
		[ $casefail = 0 ] && echo "ok: $case"
	done
	echo "$name: $ran cases, $fails failures, $skips skipped"
	[ $fails = 0 ]
}
