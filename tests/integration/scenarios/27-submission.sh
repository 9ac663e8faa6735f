# SMTP submission for real: Dovecot's own submission service (package
# dovecot-submissiond) with AUTH NTLM through this mechanism, relaying to
# a small SMTP sink (smtp-sink.py) so that a submission after the login
# is seen to arrive. Clients: curl (smtp:// and smtps://, AUTH=NTLM) and
# dovecot-ntlm-probe --smtp; in the clear, with STARTTLS and with
# implicit TLS (the suite's test CA). Sourced by run.sh.

sub_tls=$WORK/test-tls
test_certs "$sub_tls" || fail "submission: cannot make the test certificates"

# curl_smtp smtp|smtps PORT USER:PASS [curl options]: submit one message
# from alice to bob after AUTH NTLM.
curl_smtp() {
	local scheme=$1 port=$2 cred=$3
	shift 3
	printf 'From: alice@example.com\r\nTo: bob@example.com\r\nSubject: %s\r\n\r\nsubmitted by check %s\r\n' \
		"ntlm-$CHECK_N" "$CHECK_N" > "$DV_DIR/msg-$CHECK_N"
	curl -sS --max-time 10 --interface "$CLIENT_IP" -u "$cred" \
		--login-options AUTH=NTLM --mail-from alice@example.com \
		--mail-rcpt bob@example.com -T "$DV_DIR/msg-$CHECK_N" "$@" \
		"$scheme://127.0.0.1:$port/client.example.com"
}

# delivered: the message of the last check reached the sink.
delivered() {
	grep -q "^submitted by check $CHECK_N$" "$DV_DIR/sink.mail" 2>/dev/null
}

sub_probe() {
	local pw=$1
	shift
	NTLM_PASSWORD=$pw "$PROBE" --source "$CLIENT_IP" "$@"
}

echo "== SMTP submission (dovecot-submissiond)"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
if ! [ -x "$DV_CHROOT/usr/lib/dovecot/submission" ]; then
	fail "submission: dovecot-submissiond is not installed (scripts/install-deps.sh)"
elif dv_submission_start submission "$sub_tls"; then
	run curl_smtp smtp "$DV_SUB" 'EXAMPLE\alice:secret'
	expect "curl smtp: AUTH NTLM (NTLMv2), message submitted" ok "" \
		"NTLM login succeeded \(variant=NTLMv2"
	delivered || fail "curl smtp: the submitted message did not reach the relay"
	run curl_smtp smtp "$DV_SUB" 'EXAMPLE\alice:wrong'
	expect "curl smtp: wrong password refused (curl 67), nothing submitted" \
		67 "Login denied" "NTLMv2 proof does not match"
	delivered && fail "curl smtp: a message went through after a refused login"
	run curl_smtp smtp "$DV_SUB" 'EXAMPLE\nobody:secret'
	expect "curl smtp: unknown user refused" 67 "" "unknown user"
	run curl_smtp smtp "$DV_SUB" 'bob:hunter2'
	expect "curl smtp: plaintext passdb, empty domain" ok "" \
		"NTLM login succeeded"
	delivered || fail "curl smtp: bob's message did not reach the relay"
	run curl_smtp smtp "$DV_SUB" 'EXAMPLE\alice:secret' --ssl-reqd \
		--cacert "$sub_tls/ca.pem"
	expect "curl smtp: STARTTLS, then AUTH NTLM, message submitted" ok \
		"" "NTLM login succeeded"
	delivered || fail "curl smtp STARTTLS: the message did not reach the relay"
	run curl_smtp smtps "$DV_SUBS" 'EXAMPLE\alice:secret' \
		--cacert "$sub_tls/ca.pem"
	expect "curl smtps: implicit TLS, AUTH NTLM, message submitted" ok \
		"" "NTLM login succeeded"
	delivered || fail "curl smtps: the message did not reach the relay"

	run sub_probe secret --smtp "127.0.0.1:$DV_SUB" --user alice \
		--domain EXAMPLE
	expect "probe smtp: real submission service, NTLMv2 login" 0 \
		"logged in as EXAMPLE.alice with NTLMv2" \
		"NTLM login succeeded \(variant=NTLMv2.*MIC verified"
	grep -q "^  EHLO: AUTH lists NTLM" "$OUT" ||
		fail "probe smtp: EHLO listing of the real service not reported"
	run sub_probe wrong --smtp "127.0.0.1:$DV_SUB" --user alice \
		--domain EXAMPLE
	expect "probe smtp: wrong password is credentials refused" 1 \
		"^verdict: credentials refused" "NTLMv2 proof does not match"
	run sub_probe secret --smtp "127.0.0.1:$DV_SUB" --user alice \
		--domain EXAMPLE --starttls --cafile "$sub_tls/ca.pem"
	expect "probe smtp: STARTTLS, certificate verified, login" 0 \
		"certificate verified for 127\.0\.0\.1" "NTLM login succeeded"
	run sub_probe secret --smtp "127.0.0.1:$DV_SUBS" --user alice \
		--domain EXAMPLE --tls --cafile "$sub_tls/ca.pem"
	expect "probe smtp: implicit TLS (submissions), login" 0 \
		"logged in as EXAMPLE.alice" "NTLM login succeeded"
	run sub_probe secret --smtp "127.0.0.1:$DV_SUB" --user alice \
		--domain EXAMPLE --variant v1
	expect "probe smtp: NTLMv1 refused by the default policy" 1 \
		"needs ntlm_allow_ntlmv1 = yes" \
		"NTLMv1 refused \(ntlm_allow_ntlmv1 = no\)"
fi
dv_submission_stop
