# auth_use_winbind = yes hands NTLM to Dovecot's winbind mechanism; the
# operator must be told that dovecot-ntlm is then not the one in use.
echo "== auth_use_winbind = yes"
DV_EXTRA="auth_use_winbind = yes"
dv_start_standard winbind
run curl_ntlm pop3 'bob:hunter2' --login-options AUTH=PLAIN
expect "auth_use_winbind = yes: other mechanisms still work" ok "hello bob"
expect_in_log "auth_use_winbind = yes: the log warns that winbind takes NTLM" \
	"Warning: NTLM: auth_use_winbind = yes, so Dovecot's winbind NTLM"
