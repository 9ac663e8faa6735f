# Negotiation (issue 10, parts 1 and 2): the CHALLENGE grants SIGN, SEAL,
# KEY_EXCH, 128 and 56 when the NEGOTIATE asks for them; with key
# exchange the MIC is verified under the ExportedSessionKey; an
# AUTHENTICATE whose flags contradict the negotiation, or whose key
# exchange is malformed, is refused with its reason before any passdb
# lookup.
#
# The independent initiator is Debian's gss-ntlmssp driven by
# python3-gssapi (gss-ntlm-client.py). It insists on what it asks for:
# without SIGN/SEAL in the CHALLENGE it gives up before sending an
# AUTHENTICATE. It adds a MIC only when asked (--mic, the SPNEGO
# inquiry). python3-ntlm-auth asks for sign, seal and key exchange too,
# and hostile.py builds the contradicting messages with correct proofs.
# Sourced by run.sh.


# gss pop3|imap PASSWORD ARGS...
gss() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	NTLM_PASSWORD=$2 OPENSSL_CONF=$OPENSSL_LEGACY_CONF \
		$GSS_CLIENT "--$proto" "$port" "${@:3}"
}


# no_lookup NAME: the log lines of the last check show no passdb lookup.
no_lookup() {
	if new_log | grep -Eq "passwd-file\(|Performing passdb lookup"; then
		fail "$1: a passdb lookup was made"
		new_log | grep -E "passwd-file\(|Performing passdb lookup" |
			sed 's/^/    log| /' | head -n 3
	else
		pass "$1: refused before any passdb lookup"
	fi
}

if ! $PY -c 'import gssapi' 2>/dev/null; then
	fail "negotiate: python3-gssapi is not installed (scripts/install-deps.sh)"
elif ! grep -qs "1.3.6.1.4.1.311.2.2.10" /etc/gss/mech.d/*.conf /etc/gss/mech 2>/dev/null; then
	fail "negotiate: gss-ntlmssp is not installed (scripts/install-deps.sh)"
else

echo "== negotiate: sign, seal, key exchange (gss-ntlmssp)"
DV_NTLM_CONF=$STANDARD_NAMES
dv_start_standard negotiate

for p in pop3 imap; do
	run gss $p secret --user alice --domain EXAMPLE --integ --conf --mic
	expect "gss-ntlmssp $p: sign+seal+key exchange, MIC: right password" \
		ok "^MAIL: hello alice" \
		"NTLM login succeeded \(variant=NTLMv2.*MIC verified.*session key exchanged\)"
	grep -q "^GSS-FLAGS: integ=1 conf=1" "$OUT" ||
		fail "gss-ntlmssp $p: integrity/confidentiality not established"
	grep -q "^MIC: sent" "$OUT" ||
		fail "gss-ntlmssp $p: gss-ntlmssp did not send the MIC"

	run gss $p secret --user alice --domain EXAMPLE --integ --conf
	expect "gss-ntlmssp $p: sign+seal+key exchange, no MIC: right password" \
		ok "^MAIL: hello alice" \
		"NTLM login succeeded \(variant=NTLMv2.*MIC absent.*session key exchanged, unused\)"
	grep -q "^MIC: not sent" "$OUT" ||
		fail "gss-ntlmssp $p: a MIC was sent although not asked for"

	run gss $p secret --user alice --domain EXAMPLE --integ --mic --ir
	expect "gss-ntlmssp $p: sign only, MIC, initial response" ok \
		"^MAIL: hello alice" "MIC verified.*session key exchanged\)"

	run gss $p wrong --user alice --domain EXAMPLE --integ --conf --mic
	expect "gss-ntlmssp $p: sign+seal, MIC: wrong password" 1 \
		"AUTH-FAILED" "NTLMv2 proof does not match"
	run gss $p wrong --user alice --domain EXAMPLE --integ --conf
	expect "gss-ntlmssp $p: sign+seal, no MIC: wrong password" 1 \
		"AUTH-FAILED" "NTLMv2 proof does not match"
	run gss $p secret --user nobody --domain EXAMPLE --integ --conf --mic
	expect "gss-ntlmssp $p: sign+seal, MIC: unknown user" 1 \
		"AUTH-FAILED" "unknown user"
	run gss $p secret --user nobody --domain EXAMPLE --integ --conf
	expect "gss-ntlmssp $p: sign+seal, no MIC: unknown user" 1 \
		"AUTH-FAILED" "unknown user"

	# no protection asked for: no key exchange, no MIC from gss-ntlmssp
	run gss $p secret --user alice --domain EXAMPLE
	expect "gss-ntlmssp $p: nothing asked for" ok "^MAIL: hello alice" \
		"MIC absent.*session key not exchanged\)"

	# python3-ntlm-auth asks for sign, seal and key exchange as well
	run py_ntlm $p secret --user alice --domain EXAMPLE
	expect "ntlm-auth $p: key exchange, MIC under the exchanged key" ok \
		"hello alice" "MIC verified.*session key exchanged\)"
done

echo "== negotiate: AUTHENTICATE flags against the negotiation"
# each case carries a correct NTLMv2 proof (and MIC): only the flag rule
# can refuse it, and it must do so before the passdb is asked
neg_case() {
	run hostile_here "$2" run "$1"
	expect "$2: $1" ok "^PASS: " "NTLM login refused: malformed message: .*$3"
	no_lookup "$2: $1"
}
for p in pop3 imap; do
	neg_case authenticate-flags-all-ones $p \
		"AUTHENTICATE flags set both NEGOTIATE_UNICODE and NEGOTIATE_OEM"
	neg_case authenticate-flags-all-ones-key-exch $p "NEGOTIATE_UNICODE and NEGOTIATE_OEM"
	neg_case authenticate-unicode-and-oem $p "NEGOTIATE_UNICODE and NEGOTIATE_OEM"
	neg_case authenticate-anonymous-with-responses $p \
		"NEGOTIATE_ANONYMOUS but the message carries a user name"
	neg_case authenticate-datagram-not-offered $p \
		"claim what the CHALLENGE did not grant"
	neg_case authenticate-seal-not-offered $p \
		"claim what the CHALLENGE did not grant"
	neg_case authenticate-key-exch-not-offered $p \
		"claim what the CHALLENGE did not grant"
	neg_case authenticate-key-exch-15-byte-key $p \
		"EncryptedRandomSessionKey that is not 16 bytes"
	neg_case authenticate-key-exch-17-byte-key $p \
		"EncryptedRandomSessionKey that is not 16 bytes"
	neg_case authenticate-key-exch-no-key $p \
		"EncryptedRandomSessionKey that is not 16 bytes"
	run hostile_here $p run good-login-flags-zero
	expect "$p: NegotiateFlags 0 falls back to the CHALLENGE's" ok \
		"^PASS: " "NTLM login succeeded \(variant=NTLMv2.*MIC verified"
	run hostile_here $p run good-login-key-exchange-mic
	expect "$p: hostile.py's own key exchange with MIC logs in" ok \
		"^PASS: " "MIC verified.*session key exchanged\)"
done
dv_stop

echo "== negotiate: ntlm_require_mic = yes"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_require_mic = yes"
dv_start negotiate-mic && standard_mail
for p in pop3 imap; do
	run gss $p secret --user alice --domain EXAMPLE --integ --conf --mic
	expect "require_mic, gss-ntlmssp $p: key exchange with MIC logs in" \
		ok "^MAIL: hello alice" \
		"MIC verified.*session key exchanged\)"
	run gss $p secret --user alice --domain EXAMPLE --integ --conf
	expect "require_mic, gss-ntlmssp $p: no MIC refused" 1 \
		"AUTH-FAILED" "ntlm_require_mic = yes"
	run gss $p wrong --user alice --domain EXAMPLE --integ --conf --mic
	expect "require_mic, gss-ntlmssp $p: wrong password" 1 \
		"AUTH-FAILED" "NTLMv2 proof does not match"
	run gss $p secret --user nobody --domain EXAMPLE --integ --conf --mic
	expect "require_mic, gss-ntlmssp $p: unknown user" 1 \
		"AUTH-FAILED" "unknown user"
	run py_ntlm $p secret --user alice --domain EXAMPLE
	expect "require_mic, ntlm-auth $p: key exchange with MIC logs in" ok \
		"hello alice" "MIC verified.*session key exchanged\)"
done
dv_stop

fi
