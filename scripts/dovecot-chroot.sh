#!/bin/sh
# dovecot-chroot.sh: Debian chroots with another Dovecot, for building and
# testing dovecot-ntlm against Dovecot versions the host does not have.
#
#   dovecot-chroot.sh build SUITE        debootstrap SUITE, install Dovecot and
#                                        the build deps, cache it as a tarball
#   dovecot-chroot.sh restore SUITE DIR  unpack the cached tarball of SUITE
#                                        into DIR (building it first if there
#                                        is none); prints the Dovecot version
#   dovecot-chroot.sh session DIR CMD... run CMD on the host while DIR has
#                                        /proc, /dev and /dev/pts mounted; the
#                                        mounts are private to CMD and always
#                                        undone, processes left running inside
#                                        DIR are stopped first
#   dovecot-chroot.sh run DIR CMD...     session DIR chroot DIR CMD...
#   dovecot-chroot.sh cached SUITE       print the cached tarball's path
#
# SUITE is a Debian suite: trixie (Dovecot 2.4.1), sid (2.4.5), ...
# The cache holds one SUITE-dovecot-VERSION-pkHASH.tar.zst per Dovecot
# package version and package list (HASH is of CHROOT_PACKAGES below, so
# a chroot that lacks a package the tests now need is rebuilt), without
# .debs and apt lists. Environment:
#   DOVECOT_CHROOT_CACHE   cache directory (/var/cache/dovecot-ntlm-chroots)
#   DOVECOT_CHROOT_MIRROR  Debian mirror (the first one the host's apt names)
#   DOVECOT_CHROOT_REFRESH=1  on restore, check the archive for a newer
#                          Dovecot and rebuild when there is one
# Needs root (debootstrap, mount, chroot) and debootstrap + zstd
# (scripts/install-deps.sh installs both).
set -eu

CACHE=${DOVECOT_CHROOT_CACHE:-/var/cache/dovecot-ntlm-chroots}
# what the chroot must have: the Dovecot under test, and what building and
# running dovecot-ntlm's suites inside it takes
CHROOT_PACKAGES="dovecot-core dovecot-pop3d dovecot-imapd dovecot-submissiond dovecot-dev
	dovecot-ldap dovecot-sqlite
	build-essential autoconf automake libtool pkg-config
	libssl-dev libcunit1-dev valgrind procps"
PKG_KEY=pk$(echo $CHROOT_PACKAGES | md5sum | cut -c1-8)

me=dovecot-chroot.sh
die() { echo "$me: $*" >&2; exit 1; }
note() { echo "$me: $*" >&2; }
now() { date +%s; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot)"
}

mirror() {
	if [ -n "${DOVECOT_CHROOT_MIRROR:-}" ]; then
		echo "$DOVECOT_CHROOT_MIRROR"
		return
	fi
	m=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
		2>/dev/null | awk '
		/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }
		/^deb / && $2 ~ /\/debian\/?$/ { print $2; exit }
		/^deb / && $3 ~ /\/debian\/?$/ { print $3; exit }')
	echo "${m:-http://deb.debian.org/debian}"
}

# the cached tarball for SUITE with today's package list (newest if
# several Dovecot versions are cached)
cached() {
	ls -t "$CACHE/$1"-dovecot-*-"$PKG_KEY".tar.zst 2>/dev/null | head -n 1
}

mount_all() {
	r=$1
	mountpoint -q "$r/proc" || mount -t proc proc "$r/proc"
	mountpoint -q "$r/dev" || mount --bind /dev "$r/dev"
	mountpoint -q "$r/dev/pts" || mount --bind /dev/pts "$r/dev/pts"
}

# stop what still runs with DIR as its root (a Dovecot a test left behind),
# waiting up to 5 s, so that the unmounts are not "busy"
stop_inside() {
	r=$(cd "$1" && pwd -P)
	pids=
	for p in /proc/[0-9]*; do
		root=$(readlink "$p/root" 2>/dev/null) || continue
		[ "$root" = "$r" ] && pids="$pids ${p#/proc/}"
	done
	[ -n "$pids" ] || return 0
	note "stopping processes left in $r:$pids"
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null || true
	i=0
	while [ $i -lt 25 ]; do
		alive=
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && alive="$alive $p"
		done
		[ -n "$alive" ] || return 0
		sleep 0.2
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	kill -9 $alive 2>/dev/null || true
	sleep 0.2
}

umount_all() {
	r=$1
	stop_inside "$r"
	for m in dev/pts dev proc; do
		if mountpoint -q "$r/$m"; then
			umount "$r/$m" || umount -l "$r/$m" ||
				note "could not unmount $r/$m"
		fi
	done
}

build() {
	suite=$1
	need_root
	command -v debootstrap >/dev/null || die "debootstrap missing (scripts/install-deps.sh)"
	command -v zstd >/dev/null || die "zstd missing (scripts/install-deps.sh)"
	mkdir -p "$CACHE"
	work=$CACHE/build-$suite.$$
	rm -rf "$work"
	trap 'umount_all "$work" 2>/dev/null; rm -rf "$work"' EXIT
	trap 'exit 130' INT TERM
	t0=$(now)
	note "debootstrap $suite from $(mirror)"
	debootstrap --variant=minbase "$suite" "$work" "$(mirror)" \
		> "$CACHE/build-$suite.log" 2>&1 || {
		tail -n 20 "$CACHE/build-$suite.log" >&2
		die "debootstrap $suite failed (log: $CACHE/build-$suite.log)"
	}
	t1=$(now)
	# no service starts inside the chroot while packages are installed
	printf '#!/bin/sh\nexit 101\n' > "$work/usr/sbin/policy-rc.d"
	chmod 755 "$work/usr/sbin/policy-rc.d"
	# a frozen mirror serves sid's Release past its Valid-Until
	echo 'Acquire::Check-Valid-Until "false";' \
		> "$work/etc/apt/apt.conf.d/99dovecot-ntlm"
	cp /etc/resolv.conf "$work/etc/resolv.conf" 2>/dev/null || true
	mount_all "$work"
	# shellcheck disable=SC2086
	chroot "$work" sh -c "apt-get update -q &&
		DEBIAN_FRONTEND=noninteractive apt-get install -yq \
			--no-install-recommends $(echo $CHROOT_PACKAGES)" \
		>> "$CACHE/build-$suite.log" 2>&1 || {
		tail -n 20 "$CACHE/build-$suite.log" >&2
		die "apt-get install in $suite failed (log: $CACHE/build-$suite.log)"
	}
	umount_all "$work"
	t2=$(now)
	ver=$(chroot "$work" dpkg-query -W -f '${Version}' dovecot-core) ||
		die "no dovecot-core in the $suite chroot"
	key=$(echo "$ver" | tr ':/' '__')
	rm -f "$work"/var/cache/apt/archives/*.deb
	rm -rf "$work"/var/lib/apt/lists/* "$work"/tmp/* "$work"/var/tmp/*
	mkdir -p "$work/var/lib/apt/lists/partial"
	tarball=$CACHE/$suite-dovecot-$key-$PKG_KEY.tar.zst
	tar --zstd --numeric-owner -C "$work" -cf "$tarball.tmp" . ||
		die "tar of the $suite chroot failed"
	mv "$tarball.tmp" "$tarball"
	t3=$(now)
	note "$suite: Dovecot $ver; debootstrap $((t1 - t0)) s, apt $((t2 - t1)) s, tar $((t3 - t2)) s -> $tarball"
	umount_all "$work"
	rm -rf "$work"
	trap - EXIT INT TERM
	echo "$tarball"
}

# build SUITE unless a tarball is cached; one builder per suite at a time
ensure() {
	suite=$1
	mkdir -p "$CACHE"
	exec 9> "$CACHE/$suite.lock"
	flock 9
	t=$(cached "$suite")
	if [ -n "$t" ] && [ "${DOVECOT_CHROOT_REFRESH:-0}" = 1 ]; then
		if ! up_to_date "$suite" "$t"; then
			note "$suite: the archive has a newer Dovecot, rebuilding"
			t=
		fi
	fi
	[ -n "$t" ] || t=$(build "$suite")
	flock -u 9
	echo "$t"
}

# compare the cached chroot's Dovecot with the archive's candidate
up_to_date() {
	suite=$1 t=$2
	tmp=$(mktemp -d "$CACHE/check-$suite.XXXXXX")
	tar --zstd -C "$tmp" -xf "$t" || { rm -rf "$tmp"; return 0; }
	cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
	cand=$(chroot "$tmp" sh -c 'apt-get update -q >/dev/null 2>&1 &&
		apt-cache policy dovecot-core' | sed -n 's/^ *Candidate: //p')
	inst=$(chroot "$tmp" dpkg-query -W -f '${Version}' dovecot-core)
	rm -rf "$tmp"
	[ -z "$cand" ] || [ "$cand" = "$inst" ]
}

restore() {
	suite=$1 dir=$2
	need_root
	t=$(ensure "$suite")
	[ -n "$t" ] && [ -f "$t" ] || die "no chroot tarball for $suite"
	if [ -d "$dir" ]; then
		umount_all "$dir"
		rm -rf "$dir"
	fi
	mkdir -p "$dir"
	tar --zstd -C "$dir" -xf "$t" || die "unpacking $t failed"
	chroot "$dir" dpkg-query -W -f '${Version}\n' dovecot-core
}

session() {
	dir=$1
	shift
	need_root
	[ -x "$dir/bin/sh" ] || die "$dir is not a chroot (restore it first)"
	dir=$(cd "$dir" && pwd -P)
	# a private mount namespace: the mounts are gone when CMD's namespace
	# ends, even if this script is killed; the trap also undoes them
	# (after stopping whatever CMD left running inside the chroot)
	DOVECOT_CHROOT_DIR=$dir exec unshare -m --propagation private sh -c '
		dir=$DOVECOT_CHROOT_DIR
		DOVECOT_CHROOT_SOURCED=1 . "$0"
		trap "umount_all \"\$dir\"" EXIT
		trap "exit 130" INT TERM
		mount_all "$dir"
		"$@"' "$0" "$@"
}

# sourced by session's inner shell: the functions only
if [ "${DOVECOT_CHROOT_SOURCED:-}" = 1 ]; then
	unset DOVECOT_CHROOT_SOURCED
	return 0
fi

case "${1:-}" in
build)
	[ $# -eq 2 ] || die "usage: $me build SUITE"
	build "$2" ;;
restore)
	[ $# -eq 3 ] || die "usage: $me restore SUITE DIR"
	restore "$2" "$3" ;;
session)
	[ $# -ge 3 ] || die "usage: $me session DIR CMD..."
	shift
	session "$@" ;;
run)
	[ $# -ge 3 ] || die "usage: $me run DIR CMD..."
	d=$2
	shift 2
	session "$d" chroot "$d" "$@" ;;
cached)
	[ $# -eq 2 ] || die "usage: $me cached SUITE"
	cached "$2" ;;
*)
	sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
	exit 64 ;;
esac
