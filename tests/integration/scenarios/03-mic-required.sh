# ntlm_require_mic = yes: NTLMv2 with a MIC only.

echo "== MIC required"
DV_NTLM_CONF="ntlm_require_mic = yes"
dv_start_standard mic
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
