#!/bin/sh
# debian-chroot.sh: clean Debian chroots for the package checks, cached.
#
#   debian-chroot.sh create RELEASE DIR   unpack a clean RELEASE chroot into DIR
#   debian-chroot.sh run DIR CMD...       run CMD as root in DIR, with /proc,
#                                         /dev and /dev/pts mounted for the
#                                         command only (always unmounted)
#
# The clean chroot is a debootstrap --variant=minbase of RELEASE from
# Debian's archive, cached as a tar.zst under $CHROOT_CACHE (default
# /var/cache/dovecot-ntlm-debian) and keyed on the release and on the
# dovecot-core version the archive offers: when the archive moves on to a
# new Dovecot, a new chroot is made. Nothing of the host is copied in but
# the name servers (for apt). Daemons are never started by package
# installs there (policy-rc.d says 101); tests start their own Dovecot.
set -eu

CHROOT_CACHE=${CHROOT_CACHE:-/var/cache/dovecot-ntlm-debian}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

die() {
	echo "debian-chroot.sh: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"

# chroot_run DIR CMD...: in a private mount namespace, so the mounts can
# never outlive the command, and unmounted by a trap as well. With
# NETNS=private also in a network namespace of its own with only a
# loopback interface: what runs there reaches nothing outside it, and
# servers it starts cannot be reached from the host. Processes the
# command leaves running inside DIR are stopped afterwards.
chroot_run() {
	dir=$(cd "$1" && pwd -P)
	shift
	netns=
	[ "${NETNS:-}" != private ] || netns=-n
	DIR=$dir unshare -m $netns --propagation private sh -c '
		set -e
		cleanup() {
			for p in /proc/[0-9]*; do
				[ "$(readlink "$p/root" 2>/dev/null)" = "$DIR" ] || continue
				[ "${p#/proc/}" = $$ ] || kill -9 "${p#/proc/}" 2>/dev/null || true
			done
			for m in dev/pts dev proc; do
				umount -l "$DIR/$m" 2>/dev/null || true
			done
		}
		trap cleanup EXIT INT TERM
		if [ -n "'"$netns"'" ]; then
			ip link set lo up
		fi
		mount -t proc proc "$DIR/proc"
		mount --bind /dev "$DIR/dev"
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$DIR/dev/pts" ||
			mount --bind /dev/pts "$DIR/dev/pts"
		chroot "$DIR" /usr/bin/env -i \
			PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive "$@"
	' chroot-run "$@"
}

# dovecot_candidate DIR: the dovecot-core version DIR's apt would install.
dovecot_candidate() {
	chroot_run "$1" apt-cache policy dovecot-core |
		sed -n 's/^ *Candidate: *//p' | tr ':' '+'
}

# bootstrap RELEASE DIR: a fresh minbase chroot with apt's lists.
bootstrap() {
	release=$1 dir=$2
	echo "debian-chroot.sh: debootstrap $release (this takes a few minutes)"
	debootstrap --variant=minbase "$release" "$dir" "$MIRROR" \
		> "$dir.debootstrap.log" 2>&1 || {
		tail -n 20 "$dir.debootstrap.log" >&2
		die "debootstrap $release failed"
	}
	# a released Debian is used with its updates and security archives
	case $release in
	sid|unstable|experimental) ;;
	*)
		cat >> "$dir/etc/apt/sources.list" <<EOS
deb $MIRROR $release-updates main
deb $SECURITY_MIRROR $release-security main
EOS
		;;
	esac
	printf '#!/bin/sh\n# package installs never start daemons here\nexit 101\n' \
		> "$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	printf 'APT::Install-Recommends "false";\n' \
		> "$dir/etc/apt/apt.conf.d/90no-recommends"
	testbed "$dir"
	chroot_run "$dir" apt-get update -qq > /dev/null
	rm -f "$dir.debootstrap.log"
}

# testbed DIR: what every Debian system has and debootstrap leaves out;
# applied to fresh and cached chroots alike.
testbed() {
	[ -s "$1/etc/hosts" ] || printf '%s\n' '127.0.0.1	localhost' \
		'::1	localhost ip6-localhost ip6-loopback' > "$1/etc/hosts"
	cp /etc/resolv.conf "$1/etc/resolv.conf" 2>/dev/null || true
}

create() {
	release=$1 dir=$2
	[ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
	mkdir -p "$CHROOT_CACHE" "$dir"
	cached=$(ls -t "$CHROOT_CACHE/$release"_*.tar.zst 2>/dev/null | head -n 1 || true)
	if [ -n "$cached" ]; then
		tar --force-local --zstd -xpf "$cached" -C "$dir"
		testbed "$dir"
		chroot_run "$dir" apt-get update -qq > /dev/null
		want=$(dovecot_candidate "$dir")
		if [ "${release}_$want.tar.zst" = "$(basename "$cached")" ]; then
			echo "debian-chroot.sh: $release from $cached"
			return 0
		fi
		echo "debian-chroot.sh: the archive now has dovecot-core $want; new chroot"
		rm -rf "$dir"
		mkdir -p "$dir"
	fi
	bootstrap "$release" "$dir"
	want=$(dovecot_candidate "$dir")
	[ -n "$want" ] || die "$release has no dovecot-core"
	tar --force-local --zstd -cpf "$CHROOT_CACHE/${release}_$want.tar.zst.tmp" -C "$dir" \
		--exclude=./var/lib/apt/lists/partial --exclude=./var/cache/apt/archives/partial .
	mv "$CHROOT_CACHE/${release}_$want.tar.zst.tmp" \
		"$CHROOT_CACHE/${release}_$want.tar.zst"
	# older keys of this release are stale
	for old in "$CHROOT_CACHE/$release"_*.tar.zst; do
		[ "$old" = "$CHROOT_CACHE/${release}_$want.tar.zst" ] || rm -f "$old"
	done
	echo "debian-chroot.sh: $release cached as ${release}_$want.tar.zst"
}

case ${1:-} in
create)
	[ $# -eq 3 ] || die "usage: debian-chroot.sh create RELEASE DIR"
	create "$2" "$3"
	;;
run)
	[ $# -ge 3 ] || die "usage: debian-chroot.sh run DIR CMD..."
	dir=$2
	shift 2
	chroot_run "$dir" "$@"
	;;
*)
	die "usage: debian-chroot.sh create RELEASE DIR | run DIR CMD..."
	;;
esac
