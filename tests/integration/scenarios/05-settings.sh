# Bad settings: on 2.3 an invalid dovecot-ntlm.conf fails the login and
# the log names the line; on 2.4 the ntlm_* settings are Dovecot's own
# and doveconf/dovecot refuse a bad one before anything starts.

if [ "$DV_SYNTAX" = 2.3 ]; then
echo "== invalid settings file"
standard_users
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
fi
