#!/bin/sh
# Run the NTLM benchmark ("make bench" calls this).
#
# usage: bench/run.sh [BENCH_BINARY]   (default: ./bench/bench-ntlm)
# Environment: BENCH_SECONDS (time mode, default 5), BENCH_N (callgrind
# iterations, default 2000; a run of BENCH_N/10 is subtracted to remove
# start-up cost).
#
# 1. bench-ntlm time: handshakes/s and crypto checks/s on one core.
# 2. valgrind --tool=callgrind on bench-ntlm count: instructions per
#    handshake, per crypto check, and their ratio (skipped with a note if
#    valgrind is not installed).

set -u

bin=${1:-./bench/bench-ntlm}
seconds=${BENCH_SECONDS:-5}
n=${BENCH_N:-2000}
n0=$((n / 10))

if [ ! -x "$bin" ]; then
	echo "bench/run.sh: $bin not found (run \"make bench\")" >&2
	exit 1
fi

echo "== time: server side of one NTLMv2 handshake with MIC, one core"
"$bin" time "$seconds" || exit 1

if ! command -v valgrind >/dev/null 2>&1; then
	echo "== callgrind: valgrind not installed, instruction counts skipped"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ntlm-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

# Total instructions (Ir) of "bench-ntlm count N KIND".
instructions() {
	out=$work/callgrind.$2.$1
	if ! valgrind --tool=callgrind --callgrind-out-file="$out" \
		"$bin" count "$1" "$2" >"$work/log" 2>&1; then
		echo "bench/run.sh: callgrind run failed:" >&2
		cat "$work/log" >&2
		exit 1
	fi
	sed -n 's/^summary: *\([0-9][0-9]*\).*/\1/p' "$out" | head -n 1
}

echo "== callgrind: instructions per iteration ($n - $n0 iterations)"
hs_n=$(instructions "$n" handshake) || exit 1
hs_n0=$(instructions "$n0" handshake) || exit 1
cr_n=$(instructions "$n" crypto) || exit 1
cr_n0=$(instructions "$n0" crypto) || exit 1
if [ -z "$hs_n" ] || [ -z "$hs_n0" ] || [ -z "$cr_n" ] || [ -z "$cr_n0" ]
then
	echo "bench/run.sh: no instruction totals in callgrind output" >&2
	exit 1
fi

awk -v hs="$hs_n" -v hs0="$hs_n0" -v cr="$cr_n" -v cr0="$cr_n0" \
    -v n="$n" -v n0="$n0" 'BEGIN {
	h = (hs - hs0) / (n - n0)
	c = (cr - cr0) / (n - n0)
	printf "instructions/handshake:    %10.0f\n", h
	printf "instructions/crypto-check: %10.0f\n", c
	printf "ratio handshake/crypto:    %10.2f\n", h / c
	printf "start-up (not counted):    %10.0f\n", hs0 - n0 * h
}'
