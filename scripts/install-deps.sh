#!/bin/sh
# install-deps.sh [--list]
# Install everything dovecot-ntlm needs on Debian 12, from Debian's own
# archive: the build (Dovecot headers, OpenSSL, CUnit, autotools), a
# Dovecot to run it in, and the independent clients the tests drive.
set -eu

PACKAGES="
	build-essential autoconf automake libtool pkg-config
	dovecot-dev dovecot-core dovecot-pop3d dovecot-imapd
	libssl-dev libcunit1-dev
	libsasl2-dev libsasl2-modules
	curl fetchmail python3 python3-ntlm-auth
	mandoc man-db
	clang valgrind procps
"

if [ "${1:-}" = --list ]; then
	echo $PACKAGES
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps.sh: run as root (apt-get install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PACKAGES
