#!/bin/bash
# Integration suite: real Dovecot instances on 127.0.0.1 with the
# installed dovecot-ntlm modules, driven by real, independently written
# clients: curl, fetchmail, Cyrus SASL (libsasl2, via sasl-client) and
# python3-ntlm-auth (via ntlm-client.py).
#
# Needs root (Dovecot drops privileges to the mail user) and the modules
# installed into Dovecot's module directory ("make install"). Set
# SASL_CLIENT to the built tests/integration/sasl-client and PROBE to the
# built src/tool/dovecot-ntlm-probe.
#
# Prints PASS/FAIL per check and ends with "N passed, N failed".

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
SASL_CLIENT=${SASL_CLIENT:-}
PROBE=${PROBE:-}

if [ "$(id -u)" -ne 0 ]; then
	echo "integration tests need root (Dovecot must switch users)" >&2
	exit 77
fi
for bin in dovecot doveadm curl fetchmail; do
	if ! command -v "$bin" >/dev/null; then
		echo "missing $bin: run the README's test command" >&2
		exit 1
	fi
done
if [ -z "$SASL_CLIENT" ] || [ ! -x "$SASL_CLIENT" ]; then
	echo "SASL_CLIENT does not name the built sasl-client" >&2
	exit 1
fi
if [ -z "$PROBE" ] || [ ! -x "$PROBE" ]; then
	echo "PROBE does not name the built dovecot-ntlm-probe" >&2
	exit 1
fi
if ! $PY -c 'import ntlm_auth' 2>/dev/null; then
	echo "python3-ntlm-auth is not installed" >&2
	exit 1
fi
trap 'dv_stop' EXIT

# Every scenario is a file scenarios/NN-name.sh, run in a subshell of its
# own from a clean slate (scenario_run): SCENARIO=word runs only
# scenarios/*word*.sh.
for scenario in "$HERE"/scenarios/*${SCENARIO:-}*.sh; do
	[ -e "$scenario" ] || continue
	scenario_run "$scenario"
done

echo
if [ "$FAILED" -gt 0 ]; then
	echo "failed checks:$FAILED_NAMES"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
