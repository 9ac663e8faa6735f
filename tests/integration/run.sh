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
CLIENT="$PY $HERE/ntlm-client.py"
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

# --- clients --------------------------------------------------------

# curl_ntlm pop3|imap USER:PASS [curl options]: fetch message 1.
curl_ntlm() {
	local proto=$1 cred=$2 url
	shift 2
	if [ "$proto" = pop3 ]; then
		url="pop3://127.0.0.1:$DV_POP3/1"
	else
		url="imap://127.0.0.1:$DV_IMAP/INBOX/;UID=1"
	fi
	curl -sS --max-time 10 --interface "$CLIENT_IP" -u "$cred" \
		--login-options AUTH=NTLM "$@" "$url"
}

# py_ntlm pop3|imap PASSWORD ARGS...
py_ntlm() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	NTLM_PASSWORD=$2 OPENSSL_CONF=$OPENSSL_LEGACY_CONF \
		$CLIENT ntlm "--$proto" "$port" "${@:3}"
}

# cyrus pop3|imap PASSWORD USER NTLM_V2
cyrus() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	SASL_PASSWORD=$2 SASL_SOURCE_IP=$CLIENT_IP "$SASL_CLIENT" "--$proto" --host 127.0.0.1 \
		--port "$port" --user "$3" --ntlm-v2 "$4"
}

# fetchmail_ntlm pop3|imap USER PASSWORD: exit 0 = mail fetched,
# 3 = authentication failed.
fetchmail_ntlm() {
	local proto=$1 port home=$DV_DIR/fetchmail
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	mkdir -p "$home"
	cat > "$home/rc" <<EOC
set no syslog
poll 127.0.0.1 service $port protocol $proto auth ntlm timeout 10
  user "$2" password "$3" is root here
  keep fetchall sslproto ""
  mda "/bin/cat"
EOC
	chmod 600 "$home/rc"
	HOME=$home fetchmail -f "$home/rc" --nosyslog -v -i "$home/ids"
}

raw() {
	local proto=$1 port
	shift
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	$CLIENT raw "--$proto" "$port" "$@"
}

# The Outlook NEGOTIATE of [MS-OXPOP3] 4.1.
OUTLOOK_NEGOTIATE=TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAFASgKAAAADw==

standard_users() {
	DV_USERS="alice:$(ntlm_hash secret)
bob:{PLAIN}hunter2
carol@example.com:$(ntlm_hash carol-pw)
jsmith:$(ntlm_hash smith-pw)::::::user=john.smith"
}

standard_mail() {
	add_mail alice "hello alice"
	add_mail bob "hello bob"
	add_mail carol@example.com "hello carol"
	add_mail john.smith "hello john"
}

# SCENARIO=word runs only scenarios/*word*.sh (for working on one).
if [ -z "${SCENARIO:-}" ]; then
# --- scenario: strict defaults ---------------------------------------

echo "== strict defaults"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
DV_EXTRA=
dv_start strict && standard_mail
for p in pop3 imap; do
	run curl_ntlm $p 'EXAMPLE\alice:secret'
	expect "curl $p: NTLMv2, {NTLM} passdb, right password" ok \
		"hello alice" "NTLM login succeeded \(variant=NTLMv2"
	run curl_ntlm $p 'EXAMPLE\alice:secret' --sasl-ir
	expect "curl $p: NEGOTIATE as initial response" ok "hello alice"
	run curl_ntlm $p 'EXAMPLE\alice:wrong'
	expect "curl $p: wrong password" fail "" \
		"NTLMv2 proof does not match"
	run curl_ntlm $p 'EXAMPLE\nobody:secret'
	expect "curl $p: unknown user" fail "" "unknown user"
	run curl_ntlm $p 'bob:hunter2'
	expect "curl $p: plaintext passdb, empty domain" ok "hello bob"
	run curl_ntlm $p 'bob:hunter3'
	expect "curl $p: plaintext passdb, wrong password" fail
	run curl_ntlm $p 'EXAMPLE\jsmith:smith-pw'
	expect "curl $p: KB Q191558 account jsmith opens mailbox john.smith" \
		ok "hello john"

	run py_ntlm $p secret --user alice --domain EXAMPLE
	expect "ntlm-auth $p: NTLMv2 with MIC" ok "hello alice" \
		"MIC verified"
	run py_ntlm $p secret --user alice --domain EXAMPLE --ir
	expect "ntlm-auth $p: NTLMv2 with MIC, initial response" ok \
		"hello alice"
	run py_ntlm $p wrong --user alice --domain EXAMPLE
	expect "ntlm-auth $p: wrong password" 1 "AUTH-FAILED" \
		"NTLMv2 proof does not match"
	run py_ntlm $p secret --user nobody --domain EXAMPLE
	expect "ntlm-auth $p: unknown user" 1 "AUTH-FAILED"
	run py_ntlm $p carol-pw --user carol@example.com
	expect "ntlm-auth $p: user@domain in the user field, empty domain" \
		ok "hello carol"
	run py_ntlm $p secret --user 'EXAMPLE\alice'
	expect "ntlm-auth $p: DOMAIN\\user in the user field" ok \
		"hello alice"
	run py_ntlm $p secret --user alice --domain example
	expect "ntlm-auth $p: NTLMv2 with another domain spelling" ok \
		"hello alice"
	run py_ntlm $p secret --user alice --domain EXAMPLE --compat 1
	expect "ntlm-auth $p: NTLMv1-ESS refused by default" 1 \
		"AUTH-FAILED" "ntlm_allow_ntlmv1_ess = no"

	run cyrus $p secret alice yes
	expect "cyrus-sasl $p: LMv2 only (ntlm_v2=yes)" ok "RESULT: OK" \
		"NTLM login succeeded \(variant=LMv2"
	run cyrus $p wrong alice yes
	expect "cyrus-sasl $p: LMv2 wrong password" 1 "AUTH-FAILED" \
		"LMv2 proof does not match"
	run cyrus $p secret alice no
	expect "cyrus-sasl $p: NTLMv1 refused by default" 1 "AUTH-FAILED" \
		"NTLMv1 refused \(ntlm_allow_ntlmv1 = no\)"

	run fetchmail_ntlm $p alice secret
	expect "fetchmail $p: NTLMv1 refused by default" 3 "" \
		"NTLMv1 refused \(ntlm_allow_ntlmv1 = no\)"
done

run raw pop3 AUTH
expect "pop3: AUTH with no argument lists NTLM" ok "^S: NTLM$"
run raw pop3 CAPA
expect "pop3: CAPA SASL lists NTLM" ok "^S: SASL .*NTLM"
run raw pop3 "AUTH NTLM" "*"
expect "pop3: AUTH NTLM answers '+ ' and '*' cancels with -ERR" ok \
	"^S: \+ $" 
grep -q '^S: -ERR' "$OUT" || fail "pop3: cancel did not give -ERR"
run raw pop3 "AUTH NTLM" "$OUTLOOK_NEGOTIATE" "*"
expect "pop3: [MS-OXPOP3] 4.1 NEGOTIATE gets a CHALLENGE, '*' cancels" \
	ok "^S: \+ <[0-9]+ bytes of base64>"
grep -q '^S: -ERR' "$OUT" || fail "pop3: cancel after CHALLENGE did not give -ERR"
run raw imap "a0 CAPABILITY"
expect "imap: CAPABILITY lists AUTH=NTLM" ok "AUTH=NTLM"
run raw imap "a1 AUTHENTICATE NTLM" "*"
expect "imap: '*' cancels AUTHENTICATE NTLM" ok "^S: a1 (BAD|NO)"
run raw pop3 "AUTH NTLM" "TlRMTVNTUAADAAAA"
expect "pop3: AUTHENTICATE without NEGOTIATE is refused" ok "^S: -ERR" \
	"AUTHENTICATE without NEGOTIATE"
dv_stop

# --- scenario: NTLMv1 allowed ----------------------------------------

echo "== NTLMv1 and ESS enabled"
standard_users
DV_NTLM_CONF="ntlm_allow_ntlmv1 = yes
ntlm_allow_ntlmv1_ess = yes"
dv_start v1 && standard_mail
for p in pop3 imap; do
	run fetchmail_ntlm $p alice secret
	expect "fetchmail $p: NTLMv1 accepted when enabled" ok "" \
		"NTLM login succeeded \(variant=NTLMv1,"
	run fetchmail_ntlm $p alice wrong
	expect "fetchmail $p: NTLMv1 wrong password" 3 "" \
		"response does not match"
	run cyrus $p secret alice no
	expect "cyrus-sasl $p: NTLMv1 accepted when enabled" ok \
		"RESULT: OK" "variant=NTLMv1,"
	run py_ntlm $p secret --user alice --domain EXAMPLE --compat 1
	expect "ntlm-auth $p: NTLMv1-ESS accepted when enabled" ok \
		"hello alice" "variant=NTLMv1-ESS"
	run py_ntlm $p wrong --user alice --domain EXAMPLE --compat 1
	expect "ntlm-auth $p: NTLMv1-ESS wrong password" 1 "AUTH-FAILED"
	run curl_ntlm $p 'bob:hunter2'
	expect "curl $p: NTLMv2 still accepted" ok "hello bob"
done
dv_stop

# --- scenario: MIC required ------------------------------------------

echo "== MIC required"
standard_users
DV_NTLM_CONF="ntlm_require_mic = yes"
dv_start mic && standard_mail
run py_ntlm pop3 secret --user alice --domain EXAMPLE
expect "ntlm-auth pop3: NTLMv2 with MIC accepted" ok "hello alice" \
	"MIC verified"
run curl_ntlm pop3 'EXAMPLE\alice:secret'
expect "curl pop3: NTLMv2 without MIC refused" fail "" \
	"ntlm_require_mic = yes"
run cyrus pop3 secret alice yes
expect "cyrus-sasl pop3: LMv2 refused (cannot carry a MIC)" 1 \
	"AUTH-FAILED" "cannot carry a MIC"
dv_stop

# --- scenario: no settings file ----------------------------------------

echo "== no settings file (strict defaults)"
standard_users
DV_NTLM_CONF=
DV_NTLM_FILE=no
dv_start nofile && standard_mail
run curl_ntlm pop3 'bob:hunter2'
expect "curl pop3: works with no settings file at all" ok "hello bob"
run cyrus pop3 secret alice no
expect "cyrus-sasl pop3: NTLMv1 refused with no settings file" 1 \
	"AUTH-FAILED"
dv_stop
unset DV_NTLM_FILE

# --- scenario: broken settings ---------------------------------------

if [ "$DV_SYNTAX" = 2.3 ]; then
echo "== invalid settings file"
DV_NTLM_CONF="ntlm_allow_everything = yes"
dv_start badconf
run curl_ntlm pop3 'bob:hunter2'
expect "invalid settings: login fails and the log names the line" fail \
	"" "dovecot-ntlm.conf line 1: unknown setting"
dv_stop
else
# 2.4: the ntlm_* settings are Dovecot's own (the settings module
# declares them), so doveconf and Dovecot refuse a bad one before
# anything starts, naming it.
echo "== ntlm_* settings in dovecot.conf"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_allow_ntlmv1 = yes"
dv_config settings24
run doveconf -c "$DV_DIR/dovecot.conf" -n
expect "doveconf -n shows the ntlm_* settings that differ from the default" \
	ok "^ntlm_allow_ntlmv1 = yes" ""
grep -q '^ntlm_netbios_domain = EXAMPLE' "$OUT" ||
	fail "doveconf -n does not show ntlm_netbios_domain"
run doveconf -c "$DV_DIR/dovecot.conf" -h ntlm_allow_lmv2
expect "doveconf -h ntlm_allow_lmv2 shows the default yes" ok "^yes$"
run doveconf -c "$DV_DIR/dovecot.conf" -h ntlm_max_clock_skew
expect "doveconf -h ntlm_max_clock_skew shows the default 3600" ok "^3600$"
for bad in "ntlm_allow_everything = yes:Unknown setting" \
	   "ntlm_allow_ntlmv1 = maybe:Invalid boolean" \
	   "ntlm_target_type = forest:Invalid value" \
	   "ntlm_version = 6.1:version must be major.minor.build" \
	   "ntlm_max_clock_skew = 400000000:number too large"; do
	badn=$((${badn:-0} + 1))
	DV_NTLM_CONF=${bad%%:*}
	dv_config "badconf-$badn"
	run dovecot -c "$DV_DIR/dovecot.conf"
	expect "2.4: '${bad%%:*}' stops Dovecot: ${bad#*:}" fail "${bad#*:}"
	dv_stop
done

# The NTLM and LANMAN schemes are weak on 2.4: a plaintext login against
# a stored {NTLM} value is refused unless auth_allow_weak_schemes = yes;
# NTLM itself (a credentials lookup) is not affected.
echo "== 2.4: {NTLM} is a weak scheme"
standard_users
DV_NTLM_CONF=
for weak in no yes; do
	DV_EXTRA="auth_allow_weak_schemes = $weak"
	if dv_start "weak-$weak"; then
		standard_mail
		run curl -sS --max-time 10 --interface "$CLIENT_IP" \
			-u alice:secret --login-options AUTH=PLAIN \
			"pop3://127.0.0.1:$DV_POP3/1"
		if [ $weak = no ]; then
			expect "auth_allow_weak_schemes = no: PLAIN against {NTLM} refused" \
				fail "" "Weak password scheme 'NTLM' used and refused"
		else
			expect "auth_allow_weak_schemes = yes: PLAIN against {NTLM} accepted" \
				ok "hello alice"
		fi
		run curl_ntlm pop3 'EXAMPLE\alice:secret'
		expect "auth_allow_weak_schemes = $weak: NTLM login unaffected" \
			ok "hello alice"
	fi
	dv_stop
done
DV_EXTRA=
fi

fi

# More scenarios, each starting its own instance: scenarios/NN-name.sh.
for scenario in "$HERE"/scenarios/*${SCENARIO:-}*.sh; do
	[ -e "$scenario" ] || continue
	. "$scenario"
	dv_stop
done

echo
if [ "$FAILED" -gt 0 ]; then
	echo "failed checks:$FAILED_NAMES"
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
