# NTLMv1 and NTLMv1-ESS allowed (ntlm_allow_ntlmv1, ntlm_allow_ntlmv1_ess):
# fetchmail, Cyrus SASL and python3-ntlm-auth with the old variants.

echo "== NTLMv1 and ESS enabled"
DV_NTLM_CONF="ntlm_allow_ntlmv1 = yes
ntlm_allow_ntlmv1_ess = yes"
dv_start_standard v1
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
