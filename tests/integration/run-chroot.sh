#!/bin/sh
# run-chroot.sh [--bench] SUITE HOST-BUILDDIR [CHROOT-DIR]
#
# The integration suite against the Dovecot of a Debian SUITE (trixie:
# 2.4.1, sid: 2.4.5) in a chroot that scripts/dovecot-chroot.sh builds
# or restores from its cache:
#   1. restore the chroot into CHROOT-DIR (default HOST-BUILDDIR/chroot-SUITE);
#   2. build this source tree inside it against that Dovecot (autogen,
#      configure, make) and run make check there (the unit tests and the
#      fuzz corpus, built for that Dovecot);
#   3. make install inside the chroot: the modules go into the chroot's
#      own /usr/lib/dovecot/modules, which the chroot restore created;
#   4. run tests/integration/run.sh on the host with DV_CHROOT set: the
#      chroot's Dovecot on 127.0.0.1, driven by the host's clients (curl,
#      fetchmail, python3-ntlm-auth, the Cyrus SASL client and the probe
#      built in HOST-BUILDDIR).
# Prints the suites' PASS/FAIL lines and ends with
# "SUITE: N passed, M failed". A chroot that cannot be set up, or a build
# that fails, counts as a failure: nothing is skipped silently.
# PORT_BASE is passed on (the caller gives each suite its own range).
#
# --bench: the end-to-end benchmark instead of the suite ("make
# bench-dovecot-chroot SUITE=..."): steps 1 to 3 without make check, then
# bench/dovecot.sh on the host with DV_CHROOT set, driven by the
# bench-dovecot built in HOST-BUILDDIR (BENCH_QUICK, BENCH_SCALE and
# BENCH_OUT are passed on; the raw RESULT lines are kept in
# HOST-BUILDDIR/logs/bench-SUITE.results unless BENCH_OUT names a file).
# Prints the table; exits non-zero when a login failed.
set -u
mode=suite
if [ "${1:-}" = --bench ]; then
	mode=bench
	shift
fi
if [ $# -lt 2 ]; then
	echo "usage: run-chroot.sh [--bench] SUITE HOST-BUILDDIR [CHROOT-DIR]" >&2
	exit 64
fi
suite=$1
hbuild=$(cd "$2" && pwd)
root=${3:-$hbuild/chroot-$suite}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
chroot_sh=$top/scripts/dovecot-chroot.sh
logs=$hbuild/logs
mkdir -p "$logs"

setup_failed() {
	echo "FAIL: $suite: $*"
	echo "$suite: 0 passed, 1 failed"
	exit 1
}

t0=$(date +%s)
if [ "$(id -u)" -ne 0 ]; then
	setup_failed "needs root (debootstrap, mount, chroot)"
fi
version=$("$chroot_sh" restore "$suite" "$root" 2> "$logs/chroot-$suite.log") ||
	{ tail -n 20 "$logs/chroot-$suite.log"; setup_failed "chroot not set up (log: $logs/chroot-$suite.log)"; }
t1=$(date +%s)
echo "$suite: Dovecot package $version, chroot ready in $((t1 - t0)) s"

# the source tree as git has it (tracked and new files, not the builds)
rm -rf "$root/src"
mkdir -p "$root/src"
if git -C "$top" rev-parse --git-dir > /dev/null 2>&1; then
	(cd "$top" && git ls-files -co --exclude-standard -z |
		grep -zv '^build' | tar --null -T - -cf - ;
	 git ls-files -co --exclude-standard -z -- build-aux/run-test.sh.in |
		tar --null -T - -cf - ) | tar -C "$root/src" -xif -
else
	# a release tarball: the same, everything but the build trees
	# and build-aux (autogen.sh makes it again) except the one source
	# file there
	(cd "$top" && find . -mindepth 1 -maxdepth 1 ! -name 'build*' \
		-printf '%P\0' | tar --null -T - -cf - ;
	 tar -cf - build-aux/run-test.sh.in) | tar -C "$root/src" -xif -
fi
[ -f "$root/src/configure.ac" ] || setup_failed "source not copied into the chroot"

# build, unit tests (not for --bench), install, all inside the chroot
[ "$mode" = suite ] && run_check=yes || run_check=no
if ! RUN_CHECK=$run_check "$chroot_sh" run "$root" sh -c '
	set -e
	cd /src
	./autogen.sh
	mkdir -p b && cd b
	../configure --with-dovecot=/usr/lib/dovecot --enable-silent-rules
	make -j2
	if [ "$RUN_CHECK" = yes ]; then
		make -j2 check || { cat tests/unit/test-ntlm.log tests/unit/test-probe.log tests/fuzz/run-replay.log; exit 1; }
	fi
	make install
	' > "$logs/chroot-$suite-build.log" 2>&1; then
	tail -n 30 "$logs/chroot-$suite-build.log"
	grep -E "^(unit|probe-unit|replay|fuzz-replay): " \
		"$root/src/b/tests/unit/test-ntlm.log" \
		"$root/src/b/tests/unit/test-probe.log" \
		"$root/src/b/tests/fuzz/run-replay.log" 2>/dev/null
	setup_failed "build or make check inside the chroot failed (log: $logs/chroot-$suite-build.log)"
fi
grep -E "mechanism API|settings:|API flags" "$logs/chroot-$suite-build.log" |
	sed "s/^ */$suite: /"
if [ "$mode" = bench ]; then
	t2=$(date +%s)
	echo "$suite: build and install in $((t2 - t1)) s"
	BENCH_OUT=${BENCH_OUT:-$logs/bench-$suite.results}
	export BENCH_OUT
	echo "$suite: load before the benchmark:$(uptime | sed 's/.*load average//')"
	DV_CHROOT=$root "$chroot_sh" session "$root" \
		bash "$top/bench/dovecot.sh" "$hbuild/bench/bench-dovecot" \
		> "$logs/bench-$suite.log" 2>&1
	rc=$?
	t3=$(date +%s)
	grep -E "^(Dovecot under test|dovecot:|dovecot.sh:|FAIL|\||failures)" "$logs/bench-$suite.log"
	echo "$suite: load after the benchmark:$(uptime | sed 's/.*load average//')"
	echo "$suite: benchmark $((t3 - t2)) s (log: $logs/bench-$suite.log, RESULT lines: $BENCH_OUT)"
	exit $rc
fi
unit=$(grep -hE "^([a-z-]+: )?[0-9]+ passed, [0-9]+ failed" \
	"$root/src/b/tests/unit/test-ntlm.log" \
	"$root/src/b/tests/unit/test-probe.log" \
	"$root/src/b/tests/fuzz/run-replay.log" 2>/dev/null)
echo "$unit" | sed "s/^/$suite make check: /"
t2=$(date +%s)
echo "$suite: build, make check and install in $((t2 - t1)) s"

# the integration suite, host-side clients, the chroot's Dovecot
SASL_CLIENT=${SASL_CLIENT:-$hbuild/tests/integration/sasl-client}
PROBE=${PROBE:-$hbuild/src/tool/dovecot-ntlm-probe}
export SASL_CLIENT PROBE
DV_CHROOT=$root "$chroot_sh" session "$root" \
	bash "$here/run.sh" > "$logs/integration-$suite.log" 2>&1
rc=$?
t3=$(date +%s)
grep -E "^(Dovecot under test|PASS|FAIL|N/A|==|  )" "$logs/integration-$suite.log"
res=$(grep -E "^[0-9]+ passed, [0-9]+ failed" "$logs/integration-$suite.log" | tail -n 1)
if [ -z "$res" ]; then
	tail -n 20 "$logs/integration-$suite.log"
	setup_failed "the integration suite ended without a result line (rc $rc)"
fi
# the unit results of this Dovecot's build count too
p=$(echo "$res" | sed -E 's/^([0-9]+) passed.*/\1/')
f=$(echo "$res" | sed -E 's/.* ([0-9]+) failed.*/\1/')
up=$(echo "$unit" | sed -nE 's/^([a-z-]+: )?([0-9]+) passed.*/\2/p' |
	awk '{ n += $1 } END { print n + 0 }')
uf=$(echo "$unit" | sed -nE 's/.* ([0-9]+) failed.*/\1/p' |
	awk '{ n += $1 } END { print n + 0 }')
echo "$suite: integration $((t3 - t2)) s, total $((t3 - t0)) s"
echo "$suite: $((p + ${up:-0})) passed, $((f + ${uf:-0})) failed"
[ $((f + ${uf:-0})) -eq 0 ] && [ "$rc" -eq 0 ]
