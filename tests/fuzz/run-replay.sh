#!/bin/sh
# Replay the checked-in fuzzing corpus through every target, linked with
# fuzz-replay.c instead of libFuzzer (the "make check" test).
#
# Environment (set by Makefile.am's AM_TESTS_ENVIRONMENT):
#   top_srcdir    where tests/fuzz/corpus/<target>/ is
#   top_builddir  where tests/fuzz/replay-<target> was built
#   FUZZ_TARGETS  the target names
# Prints one line per target and a final "<N> passed, <M> failed"; exits
# non-zero if a target failed, crashed or had no inputs.

srcdir_default=$(dirname "$0")/../..
: "${top_srcdir:=$srcdir_default}"
: "${top_builddir:=.}"
: "${FUZZ_TARGETS:=negotiate challenge authenticate avpair unicode delegate
exchange delegate-map}"

passed=0
failed=0
log=$(mktemp "${TMPDIR:-/tmp}/run-replay.XXXXXX") || exit 99
trap 'rm -f "$log"' EXIT

for target in $FUZZ_TARGETS; do
	bin=$top_builddir/tests/fuzz/replay-$target
	corpus=$top_srcdir/tests/fuzz/corpus/$target
	if [ ! -x "$bin" ]; then
		echo "FAIL: $target: $bin not built"
		failed=$((failed + 1))
		continue
	fi
	if [ ! -d "$corpus" ]; then
		echo "FAIL: $target: no corpus directory $corpus"
		failed=$((failed + 1))
		continue
	fi
	"$bin" "$corpus" >"$log" 2>&1
	rc=$?
	count=$(sed -n 's/^fuzz-replay: \([0-9][0-9]*\) inputs from .*/\1/p' \
		"$log" | tail -n 1)
	: "${count:=0}"
	if [ "$rc" -eq 0 ] && [ "$count" -gt 0 ]; then
		echo "PASS: $target: $count inputs"
		passed=$((passed + 1))
	else
		echo "FAIL: $target: exit status $rc, $count inputs"
		sed 's/^/    /' "$log"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
