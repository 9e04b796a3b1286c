#!/bin/sh
# Runs every fuzz target of the module for a set time each (not in CI).
#
#   scripts/fuzz.sh [duration]     # default 30s per target, e.g. 5m
#
# Targets are found with `go test -list`, so a new Fuzz… function is picked
# up without editing this script. New failing inputs are written by Go to
# the package's testdata/fuzz/<FuzzName>/ and then fail `go test` until
# fixed; commit them with the fix.
set -eu
cd "$(dirname "$0")/.."
fuzztime="${1:-30s}"
failed=0
total=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		total=$((total + 1))
		echo "== $pkg $target ($fuzztime)"
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"; then
			echo "!! $pkg $target FAILED"
			failed=$((failed + 1))
		fi
	done
done
echo "fuzz: $total targets, $failed failed, $fuzztime each"
[ "$failed" -eq 0 ]
