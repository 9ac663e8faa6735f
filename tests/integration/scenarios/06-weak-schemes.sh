# Dovecot 2.4: {NTLM} is a weak scheme. A plaintext login against a
# stored {NTLM} value is refused unless auth_allow_weak_schemes = yes;
# NTLM itself (a credentials lookup) is not affected. 2.3 has no such
# setting: nothing to check there.

if [ "$DV_SYNTAX" = 2.4 ]; then
echo "== 2.4: {NTLM} is a weak scheme"
standard_users
DV_NTLM_CONF=
for weak in no yes; do
	DV_EXTRA="auth_allow_weak_schemes = $weak"
	if dv_start "weak-$weak"; then
		standard_mail
		# curl_ntlm with PLAIN instead (curl takes the last
		# --login-options)
		run curl_ntlm pop3 alice:secret --login-options AUTH=PLAIN
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
fi
