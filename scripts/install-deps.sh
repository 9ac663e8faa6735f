#!/bin/sh
# install-deps.sh [--list | --preseed]
# Install everything dovecot-ntlm needs on Debian 12, from Debian's own
# archive: the build (Dovecot headers, OpenSSL, CUnit, autotools), a
# Dovecot to run it in, and the independent clients the tests drive;
# and what scripts/check-debian.sh takes to build the Debian package,
# lint it and try it in clean debootstrap chroots.
set -eu

PACKAGES="
	build-essential autoconf automake libtool pkg-config
	dovecot-dev dovecot-core dovecot-pop3d dovecot-imapd dovecot-submissiond
	libssl-dev libcunit1-dev
	libsasl2-dev libsasl2-modules
	curl fetchmail python3 python3-ntlm-auth
	mandoc man-db
	clang valgrind procps
	slapd ldap-utils dovecot-ldap dovecot-sqlite sqlite3
	python3-samba
	gss-ntlmssp python3-gssapi
	debhelper dpkg-dev fakeroot lintian debootstrap zstd iproute2
"

# The suite runs a private slapd of its own; Debian's slapd package must
# not create (or start) a system directory: no /etc/ldap/slapd.d, no
# /var/lib/ldap database.
preseed() {
	echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
}

if [ "${1:-}" = --list ]; then
	echo $PACKAGES
	exit 0
fi
if [ "${1:-}" = --preseed ]; then
	preseed
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
preseed
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PACKAGES
