#!/bin/sh
# The whole test suite, as CI runs it (.ci/run) and as README.md shows:
#   sudo ./run-tests.sh
# 1. installs the build and test dependencies from Debian when missing;
# 2. builds out of tree in ./build and runs "make check": the CUnit
#    suites and the fuzzing corpus replayed through every fuzz target;
# 3. "make distcheck", the packager's view: a tarball that builds and
#    passes its tests on its own; the suites again under ASan + UBSan,
#    and each fuzz target for $FUZZ_SECONDS seconds when that is set;
# 4. stages the modules in the build tree, shows them to Dovecot through
#    a private mount namespace (nothing is installed on the machine) and
#    runs the integration suite: real Dovecot instances on 127.0.0.1 driven by
#    curl, fetchmail, Cyrus SASL and python3-ntlm-auth (the auth process
#    also under valgrind), then once more with the ASan + UBSan build of
#    the modules loaded into the real auth process;
# 5. the same integration suite against Dovecot 2.4.1 (Debian trixie) and
#    2.4.5 (sid): scripts/dovecot-chroot.sh builds debootstrap chroots of
#    both (cached per Dovecot version under /var/cache/dovecot-ntlm-chroots,
#    DOVECOT_CHROOT_CACHE), the tree is built, unit-tested and installed
#    inside each, and the host's clients drive each chroot's Dovecot over
#    loopback (tests/integration/run-chroot.sh). A version that cannot be
#    set up counts as a failure. DOVECOT_CHROOT_SUITES="trixie sid" is
#    the default list.
# 6. scripts/check-debian.sh: the Debian package built, linted, installed
#    into a clean debootstrap chroot and its autopkgtest run there.
# Ends with one line: "total: N passed, N failed", every version counted.
set -u
top=$(cd "$(dirname "$0")" && pwd)
build=${BUILD_DIR:-$top/build}
logs=$build/logs
passed=0
failed=0

stage() {
	echo
	echo "=== $*"
}

# count LOGFILE PREFIX: add the last "[PREFIX: ]N passed, M failed" line.
count() {
	line=$(grep -E "^($2: )?[0-9]+ passed, [0-9]+ failed" "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "no result line from $2" >&2
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([a-z-]+: )?([0-9]+) passed.*/\2/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
}

need_deps=no
# the one list of packages: the one install-deps.sh installs
for pkg in $("$top/scripts/install-deps.sh" --list); do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		grep -q "install ok installed" || need_deps=yes
done
if [ "$need_deps" = yes ]; then
	stage "installing dependencies"
	"$top/scripts/install-deps.sh" || exit 1
fi

stage "building"
(cd "$top" && ./autogen.sh) || exit 1
mkdir -p "$build" "$logs"
cd "$build" || exit 1
"$top/configure" --with-dovecot=/usr/lib/dovecot --enable-silent-rules \
	> "$logs/configure.log" 2>&1 || { cat "$logs/configure.log"; exit 1; }
make -j2 > "$logs/make.log" 2>&1 || { cat "$logs/make.log"; exit 1; }

stage "unit tests and fuzz corpus replay (make check)"
make -j2 check > "$logs/check.log" 2>&1
check_rc=$?
cat tests/unit/test-ntlm.log tests/unit/test-probe.log \
	tests/fuzz/run-replay.log 2>/dev/null |
	grep -E "^(  Test:.*FAILED|unit:|probe-unit:|replay|fuzz-replay:|[0-9]+ passed)|FAIL" || true
count tests/unit/test-ntlm.log unit
count tests/unit/test-probe.log probe-unit
count tests/fuzz/run-replay.log replay
if [ "$check_rc" -ne 0 ]; then
	grep -E "^(FAIL|ERROR)" "$logs/check.log"
fi

stage "unit tests and corpus replay under ASan + UBSan"
# The same suites built with -fsanitize=address,undefined; any report
# fails them. (valgrind and ASan do not mix: NOVALGRIND=1.)
mkdir -p "$build-asan"
if (cd "$build-asan" &&
    "$top/configure" --with-dovecot=/usr/lib/dovecot --enable-sanitizers \
	--enable-silent-rules > "$logs/configure-asan.log" 2>&1 &&
    NOVALGRIND=1 make -j2 check > "$logs/check-asan.log" 2>&1); then
	:
else
	grep -E "^(FAIL|ERROR)|runtime error|AddressSanitizer" \
		"$logs/check-asan.log" | head -n 20
fi
count "$build-asan/tests/unit/test-ntlm.log" unit
count "$build-asan/tests/unit/test-probe.log" probe-unit
count "$build-asan/tests/fuzz/run-replay.log" replay
grep -E "^(probe-)?unit:|^[0-9]+ passed" "$build-asan/tests/unit/test-ntlm.log" \
	"$build-asan/tests/unit/test-probe.log" \
	"$build-asan/tests/fuzz/run-replay.log" 2>/dev/null

fuzz_seconds=${FUZZ_SECONDS:-0}
if [ "$fuzz_seconds" -gt 0 ]; then
	stage "fuzzing: every libFuzzer target for $fuzz_seconds s (clang, ASan + UBSan)"
	mkdir -p "$build-fuzz"
	if (cd "$build-fuzz" &&
	    CC=clang "$top/configure" --with-dovecot=/usr/lib/dovecot \
		--with-fuzzer=clang --enable-sanitizers --enable-silent-rules \
		> "$logs/configure-fuzz.log" 2>&1 &&
	    make -j2 > "$logs/make-fuzz.log" 2>&1) &&
	   "$top/tests/fuzz/run-fuzzers.sh" -b "$build-fuzz" "$fuzz_seconds" \
		> "$logs/fuzz.log" 2>&1; then
		grep -E "runs|total:" "$logs/fuzz.log"
		echo "fuzz: 1 passed, 0 failed"
		passed=$((passed + 1))
	else
		tail -n 30 "$logs/fuzz.log" "$logs/make-fuzz.log" 2>/dev/null
		echo "fuzz: 0 passed, 1 failed"
		failed=$((failed + 1))
	fi
fi

stage "make distcheck"
# distcheck must install only under its own tree. As root it runs with
# Dovecot's live module directory made read-only in a private mount
# namespace (an install there fails the stage), and the directory's
# checksums must be the same before and after.
live_moduledir=$(sed -n 's/^dovecot_installed_moduledir = //p' Makefile)
sums() {
	(cd "$live_moduledir" && find . -type f -print0 | sort -z |
		xargs -0 sha256sum) 2>/dev/null
}
sums_before=$(sums)
if [ "$(id -u)" -eq 0 ] && [ -d "$live_moduledir" ]; then
	LIVE=$live_moduledir unshare -m --propagation private sh -c '
		mount --bind "$LIVE" "$LIVE" &&
		mount -o remount,bind,ro "$LIVE" &&
		exec make distcheck' > "$logs/distcheck.log" 2>&1
else
	make distcheck > "$logs/distcheck.log" 2>&1
fi
distcheck_rc=$?
if [ "$distcheck_rc" -eq 0 ] && [ "$(sums)" = "$sums_before" ]; then
	echo "distcheck: 1 passed, 0 failed"
	passed=$((passed + 1))
else
	tail -n 30 "$logs/distcheck.log"
	[ "$(sums)" = "$sums_before" ] ||
		echo "distcheck changed $live_moduledir"
	echo "distcheck: 0 passed, 1 failed"
	failed=$((failed + 1))
fi

stage "integration tests (real dovecot on 127.0.0.1)"
# Nothing is installed into the live module directory: with-modules.sh
# stages the build and bind-mounts it over Dovecot's module directory in
# a private mount namespace that only the suite's processes see.
if [ "$(id -u)" -ne 0 ]; then
	echo "integration: needs root to run Dovecot (and unshare -m)"
	failed=$((failed + 1))
else
	make $(printf '%s ' tests/integration/sasl-client src/tool/dovecot-ntlm-probe) \
		> "$logs/install.log" 2>&1 || { cat "$logs/install.log"; exit 1; }
	t_start=$(date +%s)
	SASL_CLIENT="$build/tests/integration/sasl-client" \
	PROBE="$build/src/tool/dovecot-ntlm-probe" \
		"$top/tests/integration/with-modules.sh" "$build" \
		"$top/tests/integration/run.sh" 2>&1 |
		tee "$logs/integration.log" | grep -E "^(Dovecot under test|PASS|FAIL|==|  )"
	echo "integration on the host's Dovecot: $(($(date +%s) - t_start)) s"
	sed -i 's/^\([0-9]* passed, [0-9]* failed\)$/integration: \1/' \
		"$logs/integration.log"
	count "$logs/integration.log" integration

	stage "auth process with the ASan + UBSan build of the modules"
	# The sanitizer build of the modules, staged the same way, in the
	# scenario that preloads the runtimes into auth.
	ASAN_MODULES=yes SCENARIO=asan \
	SASL_CLIENT="$build/tests/integration/sasl-client" \
	PROBE="$build/src/tool/dovecot-ntlm-probe" \
		"$top/tests/integration/with-modules.sh" "$build-asan" \
		"$top/tests/integration/run.sh" > "$logs/asan-auth.log" 2>&1
	grep -E "^(PASS|FAIL|==|    )" "$logs/asan-auth.log"
	sed -i 's/^\([0-9]* passed, [0-9]* failed\)$/asan-auth: \1/' \
		"$logs/asan-auth.log"
	count "$logs/asan-auth.log" asan-auth

	# Each chroot's Dovecot gets its own port range, the host's clients
	# (built above) and the suite of run.sh in that Dovecot's syntax.
	# The ASan stage above is host-only: the sanitizer runtimes it
	# preloads into auth are the host compiler's.
	for suite in ${DOVECOT_CHROOT_SUITES:-trixie sid}; do
		case $suite in
		trixie) pb=${PORT_BASE_TRIXIE:-25110} ;;
		sid) pb=${PORT_BASE_SID:-26110} ;;
		*) pb=${PORT_BASE_OTHER:-27110} ;;
		esac
		stage "integration tests against the Dovecot of Debian $suite (chroot)"
		# with SOAK=1 a shorter soak per chroot (the host's runs 20,000)
		SOAK_LOGINS=${CHROOT_SOAK_LOGINS:-5000} \
		PORT_BASE=$pb "$top/tests/integration/run-chroot.sh" "$suite" \
			"$build" > "$logs/chroot-$suite.out" 2>&1
		grep -E "^($suite|Dovecot under test|PASS|FAIL|==|  )" \
			"$logs/chroot-$suite.out"
		count "$logs/chroot-$suite.out" "$suite"
	done
fi

stage "Debian package: build, lintian, clean-chroot install, autopkgtest"
# scripts/check-debian.sh builds in a copy outside this tree and installs
# only into debootstrap chroots it makes itself (DEBIAN_RELEASES picks
# the releases; default the host's).
# shellcheck disable=SC2086
"$top/scripts/check-debian.sh" ${DEBIAN_RELEASES:-} > "$logs/debian.log" 2>&1
grep -E "^(PASS|FAIL|    lintian|debian:)" "$logs/debian.log"
count "$logs/debian.log" debian

echo
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
