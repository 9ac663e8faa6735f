# No settings file at all (2.3: no DOVECOT_NTLM_CONFIG): the strict
# defaults.

echo "== no settings file (strict defaults)"
DV_NTLM_FILE=no
dv_start_standard nofile
run curl_ntlm pop3 'bob:hunter2'
expect "curl pop3: works with no settings file at all" ok "hello bob"
run cyrus pop3 secret alice no
expect "cyrus-sasl pop3: NTLMv1 refused with no settings file" 1 \
	"AUTH-FAILED"
dv_stop
