# The LM retry (ntlm_allow_lm) against an LDAP passdb. The retry is a
# second credentials lookup in the same Dovecot request: passdb ldap
# (which runs in the auth process, not in a worker) must get the LM
# question as a fresh lookup. Found in the review of issue 9: Dovecot
# 2.3.19 kept the first lookup's wiped password in the request, the LDAP
# passdb read it back as "" and the auth process died on an assertion,
# from one unauthenticated AUTHENTICATE with an LM response.
# Sourced by run.sh; helpers in stores/stores.sh.

. "$HERE/stores/stores.sh"
trap 'stores_stop' EXIT


echo "== LDAP passdb and the LM retry (ntlm_allow_lm)"
if slapd_start ldaplm "$(ldap_user_ldif bob 1002 "$(nt_hex ldap-bob-pw)")"; then
	ldap_passdb ldaplm
	DV_USERS=
	DV_NTLM_CONF="ntlm_allow_lm = yes"
	DV_EXTRA=
	if dv_start ldaplm; then
		add_mail bob "hello bob"
		run py_ntlm pop3 ldap-bob-pw --user bob --domain EXAMPLE
		expect "ldap: control: NTLMv2 logs in" ok "hello bob"
		pid=$(auth_pid)
		for p in pop3 imap; do
			run hostile_here $p run --user bob --password ldap-bob-pw \
				lm-genuine-response-refused
			expect "ldap $p: allow_lm: LM response for an {NTLM}-only LDAP account refused, log says why" \
				ok "PASS" "neither a \{LANMAN\} hash nor a plaintext password"
			[ -n "$pid" ] && [ "$(auth_pid)" = "$pid" ] &&
			   ! new_log | grep -q 'service(auth): child .* killed' &&
				pass "ldap $p: the auth process survived the LM retry" ||
				fail "ldap $p: the auth process died during the LM retry"
		done
		if grep -Eq 'Panic:|Multiple password values' "$DV_DIR/dovecot.log"; then
			fail "ldap: the LM retry saw the first lookup's password (Panic or 'Multiple password values' in the log)"
			grep -E 'Panic:|Multiple password values' "$DV_DIR/dovecot.log" |
				head -n 3 | sed 's/^/    log| /'
		else
			pass "ldap: no stale password in the LM retry"
		fi
		run py_ntlm imap ldap-bob-pw --user bob --domain EXAMPLE
		expect "ldap: control: NTLMv2 still logs in" ok "hello bob"
	fi
	dv_stop
fi
