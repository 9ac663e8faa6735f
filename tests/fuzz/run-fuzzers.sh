#!/bin/sh
# Run every libFuzzer target of a --with-fuzzer=clang build for a bounded
# time, starting from a copy of the checked-in corpus.
#
# usage: run-fuzzers.sh [-b BUILDDIR] [-t "TARGETS"] [--merge] [SECONDS]
#   -b BUILDDIR  the build directory (default: the current directory)
#   -t TARGETS   which targets (default: all seven)
#   --merge      afterwards, merge inputs that add coverage back into
#                tests/fuzz/corpus/<target>/ of the source tree (without
#                it, nothing is ever written into the source tree)
#   SECONDS      time per target (default 60)
#
# Prints the executions per target (libFuzzer's "Done N runs" line) and
# exits non-zero if a target crashed, leaked, timed out or did not run.
# Crash reproducers and logs are kept in the work directory it names.

set -u

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=.
targets="negotiate challenge authenticate avpair unicode delegate exchange
delegate-map"
merge=no
seconds=60

while [ $# -gt 0 ]; do
	case $1 in
	-b) builddir=$2; shift 2 ;;
	-t) targets=$2; shift 2 ;;
	--merge) merge=yes; shift ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	-*) echo "run-fuzzers.sh: unknown option $1" >&2; exit 2 ;;
	*) seconds=$1; shift ;;
	esac
done
case $seconds in
''|*[!0-9]*) echo "run-fuzzers.sh: SECONDS must be a number" >&2; exit 2 ;;
esac

dict=$srcdir/tests/fuzz/ntlm.dict
work=$(mktemp -d "${TMPDIR:-/tmp}/ntlm-fuzz.XXXXXX") || exit 1

# Messages are at most 8 KiB (NTLM_MAX_MESSAGE_SIZE); a little more
# reaches the size checks. An exchange holds up to three of them.
max_len() {
	case $1 in
	exchange) echo 17000 ;;
	unicode|delegate|avpair) echo 2048 ;;
	delegate-map) echo 4096 ;;
	*) echo 8300 ;;
	esac
}

failed=0
total=0
for target in $targets; do
	bin=$builddir/tests/fuzz/fuzz-$target
	if [ ! -x "$bin" ]; then
		echo "$target: $bin not found (configure --with-fuzzer=clang)"
		failed=$((failed + 1))
		continue
	fi
	corpus=$work/corpus/$target
	artifacts=$work/artifacts/$target
	mkdir -p "$corpus" "$artifacts"
	if [ -d "$srcdir/tests/fuzz/corpus/$target" ]; then
		cp "$srcdir/tests/fuzz/corpus/$target"/* "$corpus"/ 2>/dev/null
	fi
	log=$work/$target.log

	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$target")" -dict="$dict" \
		-print_final_stats=1 -artifact_prefix="$artifacts/" \
		"$corpus" >"$log" 2>&1
	rc=$?

	runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in .*/\1/p' "$log" |
		tail -n 1)
	crashes=$(find "$artifacts" -type f | wc -l)
	ninputs=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ] && [ "$crashes" -eq 0 ]; then
		printf '%-13s %12s execs in %ss, corpus %s inputs: ok\n' \
			"$target" "$runs" "$seconds" "$ninputs"
		total=$((total + runs))
	else
		printf '%-13s FAILED (exit %s, %s artifacts), see %s\n' \
			"$target" "$rc" "$crashes" "$log"
		find "$artifacts" -type f | sed 's/^/    /'
		grep -m 3 -E 'ERROR|SUMMARY|invariant' "$log" | sed 's/^/    /'
		failed=$((failed + 1))
		continue
	fi

	if [ "$merge" = yes ]; then
		dest=$srcdir/tests/fuzz/corpus/$target
		mkdir -p "$dest"
		before=$(find "$dest" -type f | wc -l)
		"$bin" -merge=1 -max_len="$(max_len "$target")" \
			"$dest" "$corpus" >"$work/$target.merge.log" 2>&1 ||
			echo "$target: merge failed:" \
				"see $work/$target.merge.log"
		after=$(find "$dest" -type f | wc -l)
		echo "$target: merged $((after - before)) new inputs into $dest"
	fi
done

echo "total: $total executions, $failed failed"
if [ "$failed" -eq 0 ]; then
	rm -rf "$work"
else
	echo "work directory kept: $work"
	exit 1
fi
