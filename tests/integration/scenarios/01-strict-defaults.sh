# Strict defaults: every client against the default policy (NTLMv2 and
# LMv2 only, no NTLMv1, no MIC required), POP3 and IMAP, and the
# protocol commands that list and cancel NTLM.

echo "== strict defaults"
DV_NTLM_CONF=$STANDARD_NAMES
dv_start_standard strict
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
