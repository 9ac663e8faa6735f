#!/bin/sh
# check-debian.sh [RELEASE...]: the Debian package, built and proven.
#
# For each RELEASE (default: the host's release, bookworm):
#   1. build: dpkg-buildpackage -us -uc -b in a copy of the tree outside
#      the source tree (which stays clean). The host's own release is
#      built on the host; any other release in a clean chroot of that
#      release with the Build-Depends installed;
#      and with the nocheck build profile in a clean chroot without the
#      <!nocheck> Build-Depends (no CUnit);
#   2. lintian --fail-on error,warning on the build (the release's own
#      lintian); only documented false positives are overridden, in
#      debian/*.lintian-overrides, each with its reason;
#   3. install: the .deb into a CLEAN chroot of the release made by
#      debian-chroot.sh (debootstrap, cached), with apt resolving its
#      dependencies from Debian's archive;
#   4. autopkgtest: every test of debian/tests/control, in the order
#      listed, with its Depends installed (@ = the built package,
#      @builddeps@ = the Build-Depends), run as root in that chroot from a
#      copy of the source tree. The tests run in a private network
#      namespace with only a loopback interface, so the Dovecot they
#      configure and start can reach nothing, and nothing can reach it;
#      its ports are PORT_BASE (default 16000) and up;
#   5. purge: the package is purged and its ucf-managed snippet must be
#      gone.
# autopkgtest's own runner is not used: its chroot backend
# (autopkgtest-virt-chroot) lacks the revert-full-system capability, so
# it skips tests marked breaks-testbed (all of ours) unless told
# --ignore-restrictions=breaks-testbed, and it would run them with the
# host's network and without /proc mounted. The tests are run here the
# way it runs them (cwd = the source tree, AUTOPKGTEST_TMP set, stderr
# allowed, the exit status decides), one testbed for all, in the order
# of debian/tests/control.
#
# Prints PASS/FAIL per step and ends with "debian: N passed, N failed".
# Needs root. Work files go to $DEB_WORK (/var/tmp/dovecot-ntlm-deb).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
chroot_sh=$top/scripts/debian-chroot.sh
work=${DEB_WORK:-/var/tmp/dovecot-ntlm-deb}
export PORT_BASE=${PORT_BASE:-16000}
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() {
	echo "debian: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
now() { date +%s; }

if [ ! -f "$top/debian/control" ]; then
	# the release tarball (make dist) does not ship debian/
	echo "check-debian.sh: no debian/ in $top: nothing to check"
	finish
fi
if [ "$(id -u)" -ne 0 ]; then
	fail "check-debian.sh needs root (chroots)"
	finish
fi
. /etc/os-release
host_release=${VERSION_CODENAME:-}
[ $# -gt 0 ] || set -- "$host_release"

src_name=$(sed -n 's/^Source: *//p' "$top/debian/control")
version=$(cd "$top" && dpkg-parsechangelog -S Version)
upstream=${version%-*}

# copy_tree DEST: the source tree's files (tracked or new, not ignored;
# with no git, all but build trees) copied to DEST.
copy_tree() {
	mkdir -p "$1"
	if git -C "$top" rev-parse --git-dir > /dev/null 2>&1; then
		(cd "$top" && git ls-files -z -co --exclude-standard |
			xargs -0 cp -a --parents -t "$1")
	else
		(cd "$top" && tar -cf - --exclude='./build*' --exclude=./.git .) |
			tar -xf - -C "$1"
	fi
}

# build_deps [nocheck]: Build-Depends as a plain apt package list
# (versions dropped); with nocheck without those marked <!nocheck>.
build_deps() {
	awk '/^Build-Depends:/ { on = 1; sub(/^Build-Depends:/, ""); }
	     on && /^[^ ]/ && !/^Build-Depends:/ { if (started) on = 0 }
	     on { started = 1; print }' "$top/debian/control" |
		tr ',' '\n' |
		if [ "${1:-}" = nocheck ]; then grep -v '<!nocheck>'; else cat; fi |
		sed -e 's/[(<\[].*//' -e 's/ //g' | grep -v '^$' |
		sed 's/^debhelper-compat$/debhelper/'
}

# test_field N FIELD: FIELD of the Nth paragraph of debian/tests/control.
test_field() {
	awk -v n="$1" -v f="$2" '
		BEGIN { RS = ""; FS = "\n" }
		{ gsub(/\n#[^\n]*/, ""); sub(/^#[^\n]*\n/, "") }
		NR == n {
			v = ""; on = 0
			for (i = 1; i <= NF; i++) {
				if ($i ~ "^" f ":") { on = 1; v = substr($i, length(f) + 2); continue }
				if (on && $i ~ /^[ \t]/) { v = v " " $i; continue }
				on = 0
			}
			print v
		}' "$top/debian/tests/control"
}
n_tests=$(awk 'BEGIN { RS = "" } /(^|\n)Tests:/ { n++ } END { print n + 0 }' \
	"$top/debian/tests/control")

in_chroot() { "$chroot_sh" run "$@"; }

for release in "$@"; do
	echo "== $release"
	rdir=$work/$release
	rm -rf "$rdir"
	mkdir -p "$rdir"
	log=$rdir/log
	mkdir -p "$log"
	bchroot=
	t0=$(now)

	# --- 1. build ----------------------------------------------------
	tree=$rdir/build/$src_name-$upstream
	copy_tree "$tree"
	if [ "$release" = "$host_release" ]; then
		(cd "$tree" && dpkg-buildpackage -us -uc -b) > "$log/build.log" 2>&1
		rc=$?
		lint() { lintian $1 --display-info \
			"$rdir/build/${src_name}_${version}_$(dpkg --print-architecture).changes"; }
	else
		bchroot=$rdir/build-chroot
		"$chroot_sh" create "$release" "$bchroot" > "$log/build-chroot.log" 2>&1 &&
		mkdir -p "$bchroot/build" && cp -a "$tree" "$bchroot/build/" &&
		in_chroot "$bchroot" apt-get install -y -q build-essential lintian \
			$(build_deps) > "$log/build-deps.log" 2>&1 &&
		in_chroot "$bchroot" sh -c "cd /build/$src_name-$upstream && dpkg-buildpackage -us -uc -b" \
			> "$log/build.log" 2>&1
		rc=$?
		cp "$bchroot"/build/*.deb "$bchroot"/build/*.changes \
			"$bchroot"/build/*.buildinfo "$rdir/build/" 2>/dev/null
		lint() { in_chroot "$bchroot" sh -c "cd /build && lintian $1 --display-info *.changes"; }
	fi
	deb=$(ls "$rdir/build/${src_name}_${version}_"*.deb 2>/dev/null | head -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$deb" ]; then
		pass "$release: dpkg-buildpackage -us -uc -b ($(($(now) - t0)) s)"
		grep -E "^(# (TOTAL|PASS|FAIL)|PASS:|FAIL:)" "$log/build.log" | sed 's/^/    /'
	else
		fail "$release: dpkg-buildpackage -us -uc -b"
		tail -n 30 "$log/build.log" "$log/build-deps.log" "$log/build-chroot.log" 2>/dev/null
		continue
	fi
	[ -d "$top/debian/.debhelper" ] && fail "$release: the build wrote into the source tree"
	dpkg-deb -c "$deb" | awk '{ print "    " $1, $6 }'

	# --- 1b. the nocheck build profile, in a chroot without CUnit ------
	t4=$(now)
	nc=$rdir/nocheck-chroot
	if "$chroot_sh" create "$release" "$nc" > "$log/nocheck-chroot.log" 2>&1 &&
	   copy_tree "$nc/build/$src_name-$upstream" &&
	   in_chroot "$nc" apt-get install -y -q build-essential \
		$(build_deps nocheck) > "$log/nocheck-deps.log" 2>&1 &&
	   ! in_chroot "$nc" dpkg-query -W -f='${Status}\n' libcunit1-dev 2>/dev/null |
		grep -q "install ok installed" &&
	   in_chroot "$nc" env DEB_BUILD_PROFILES=nocheck DEB_BUILD_OPTIONS=nocheck \
		sh -c "cd /build/$src_name-$upstream && dpkg-buildpackage -us -uc -b" \
		> "$log/nocheck-build.log" 2>&1 &&
	   grep -q "unit tests: *no" "$log/nocheck-build.log" &&
	   ls "$nc/build/${src_name}_${version}_"*.deb > /dev/null 2>&1; then
		pass "$release: nocheck profile builds without libcunit1-dev ($(($(now) - t4)) s)"
	else
		fail "$release: nocheck profile builds without libcunit1-dev"
		tail -n 20 "$log/nocheck-chroot.log" "$log/nocheck-deps.log" \
			"$log/nocheck-build.log" 2>/dev/null
	fi
	rm -rf "$nc"

	# --- 2. lintian --------------------------------------------------
	t1=$(now)
	# (with --show-overrides, lintian counts the overridden tags towards
	# --fail-on: the verdict comes from a run without it)
	if lint "--fail-on error,warning" > "$log/lintian.log" 2>&1; then
		pass "$release: lintian --fail-on error,warning ($(($(now) - t1)) s)"
	else
		fail "$release: lintian --fail-on error,warning"
	fi
	lint --show-overrides > "$log/lintian-overrides.log" 2>&1
	grep -v '^running with root privileges' "$log/lintian-overrides.log" |
		sed 's/^/    lintian: /'
	[ -z "$bchroot" ] || rm -rf "$bchroot"

	# --- 3. install into a clean chroot --------------------------------
	t2=$(now)
	clean=$rdir/clean
	if ! "$chroot_sh" create "$release" "$clean" > "$log/chroot.log" 2>&1; then
		fail "$release: clean chroot"
		tail -n 20 "$log/chroot.log"
		continue
	fi
	mkdir -p "$clean/tmp/debs"
	cp "$deb" "$clean/tmp/debs/"
	debname=$(basename "$deb")
	if in_chroot "$clean" apt-get install -y -q "/tmp/debs/$debname" \
		> "$log/install.log" 2>&1 &&
	   in_chroot "$clean" dpkg-query -W -f='${Status}\n' "$src_name" |
		grep -q "install ok installed"; then
		pass "$release: apt-get install $debname into a clean chroot ($(($(now) - t2)) s)"
		grep -E "^(Setting up|Unpacking) (dovecot|ucf)" "$log/install.log" | sed 's/^/    /'
	else
		fail "$release: apt-get install $debname into a clean chroot"
		tail -n 30 "$log/install.log"
		rm -rf "$clean"
		continue
	fi

	# --- 4. autopkgtest ------------------------------------------------
	rm -rf "$clean/tmp/src"
	copy_tree "$clean/tmp/src"
	i=1
	while [ "$i" -le "$n_tests" ]; do
		names=$(test_field "$i" Tests)
		deps=$(test_field "$i" Depends | tr ',' '\n' | sed 's/^[ \t]*//; s/[( \t].*//' |
			sed "s/^@\$/$src_name/" | grep -v '^$')
		case $deps in
		*@builddeps@*)
			deps=$(echo "$deps" | grep -v '^@builddeps@$'; echo build-essential; build_deps)
			;;
		esac
		i=$((i + 1))
		[ -n "$names" ] || continue
		# shellcheck disable=SC2086
		if ! in_chroot "$clean" apt-get install -y -q $deps \
			> "$log/deps-$(echo $names | tr ' ' '+').log" 2>&1; then
			fail "$release: autopkgtest $names: Depends do not install"
			tail -n 20 "$log/deps-$(echo $names | tr ' ' '+').log"
			continue
		fi
		for t in $names; do
			t3=$(now)
			NETNS=private in_chroot "$clean" env PORT_BASE="$PORT_BASE" \
				AUTOPKGTEST_TMP=/tmp/autopkgtest-$t sh -c \
				"rm -rf \$AUTOPKGTEST_TMP && mkdir -p \$AUTOPKGTEST_TMP && cd /tmp/src && exec debian/tests/$t" \
				> "$log/test-$t.log" 2>&1
			rc=$?
			grep -E "^(PASS|FAIL|[0-9]+ passed, [0-9]+ failed)" "$log/test-$t.log" |
				sed 's/^/    /'
			if [ "$rc" -eq 0 ]; then
				pass "$release: autopkgtest $t ($(($(now) - t3)) s)"
			else
				fail "$release: autopkgtest $t (exit $rc)"
				grep -Ev "^(PASS|    )" "$log/test-$t.log" | tail -n 30
			fi
		done
	done

	# --- 5. purge ------------------------------------------------------
	if in_chroot "$clean" apt-get purge -y -q "$src_name" > "$log/purge.log" 2>&1 &&
	   [ ! -e "$clean/etc/dovecot/conf.d/95-ntlm.conf" ] &&
	   [ -z "$(in_chroot "$clean" ucfq -w "$src_name" 2>/dev/null)" ]; then
		pass "$release: purge removes the package and its ucf-managed snippet"
	else
		fail "$release: purge removes the package and its ucf-managed snippet"
		tail -n 20 "$log/purge.log"
	fi
	rm -rf "$clean"
	echo "    $release: $(($(now) - t0)) s in all; logs in $log"
done
finish
