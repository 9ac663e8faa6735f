#!/bin/bash
# Set up dovecot-ntlm on a fresh Debian 12 machine and start a demo:
#   sudo ./demo.sh
# Installs the build dependencies from Debian, builds, installs the
# modules into Dovecot's module directory, and starts a private Dovecot
# on 127.0.0.1 (POP3 10110, IMAP 10111) with NTLM and one demo user.
# Run it again to rebuild and restart; "sudo ./demo.sh stop" stops it.
set -eu
top=$(cd "$(dirname "$0")" && pwd)
WORK=/var/tmp/dovecot-ntlm-demo
PORT_BASE=10110
DEMO_USER=demo
DEMO_PASSWORD=ntlm-demo-password

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh: run as root (it installs packages and modules)" >&2
	exit 1
fi

stop_demo() {
	pid=$(cat "$WORK/demo/run/master.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || return 0
	while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

if [ "${1:-}" = stop ]; then
	stop_demo
	echo "demo stopped"
	exit 0
fi

"$top/scripts/install-deps.sh"

(cd "$top" && ./autogen.sh)
mkdir -p "$top/build"
cd "$top/build"
"$top/configure" --with-dovecot=/usr/lib/dovecot --enable-silent-rules -q
make -j2
make install
ldconfig || true
echo
./src/tool/dovecot-ntlm-probe selftest

stop_demo
rm -rf "$WORK"
mkdir -p "$WORK"
# The same instance set-up the integration suite uses, quieter.
DV_AUTH_DEBUG=no
. "$top/tests/integration/lib.sh"
DV_NTLM_CONF="ntlm_netbios_domain = DEMO
ntlm_dns_domain = demo.example"
DV_USERS="$DEMO_USER:$(ntlm_hash "$DEMO_PASSWORD")"
DV_EXTRA=
dv_start demo
add_mail "$DEMO_USER" "Welcome to dovecot-ntlm"

if curl -sS --max-time 10 -u "DEMO\\$DEMO_USER:$DEMO_PASSWORD" \
	--login-options AUTH=NTLM "pop3://127.0.0.1:$DV_POP3/" >/dev/null; then
	result="an NTLM login as $DEMO_USER works"
else
	result="NTLM login FAILED: see $DV_DIR/dovecot.log"
fi
cat <<EOM

Demo Dovecot with NTLM is running on 127.0.0.1 ($result).
  POP3 port $DV_POP3, IMAP port $DV_IMAP
  user $DEMO_USER, domain DEMO, password $DEMO_PASSWORD
  config $DV_DIR/dovecot.conf, log $DV_DIR/dovecot.log

List the mailbox over POP3 with NTLM:
  curl -u 'DEMO\\$DEMO_USER:$DEMO_PASSWORD' --login-options AUTH=NTLM pop3://127.0.0.1:$DV_POP3/
Read the message over IMAP:
  curl -u 'DEMO\\$DEMO_USER:$DEMO_PASSWORD' --login-options AUTH=NTLM 'imap://127.0.0.1:$DV_IMAP/INBOX/;UID=1'
Watch the NTLM exchange step by step (asks for the password):
  dovecot-ntlm-probe --pop3 127.0.0.1:$DV_POP3 --user $DEMO_USER --domain DEMO
Stop it:
  sudo ./demo.sh stop
EOM
