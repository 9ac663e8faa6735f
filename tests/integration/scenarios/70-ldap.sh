# NTLM against OpenLDAP (issue 16): a private slapd with Samba's
# sambaSamAccount schema; sambaNTPassword holds the NT hash as Samba
# writes it (32 upper-case hex digits) and the documented passdb ldap
# turns it into an {NTLM} credential. LDAP lookups run asynchronously in
# the auth process itself: the hostile cases and 1,000 logins at 32
# concurrent connections must leave it running (same pid).
# Sourced by run.sh; helpers in stores/stores.sh.

. "$HERE/stores/stores.sh"
trap 'stores_stop' EXIT

echo "== LDAP passdb (sambaNTPassword, Dovecot $DV_SYNTAX syntax)"
ldap_entries="$(ldap_user_ldif alice 1001 "$(nt_hex secret)")

$(ldap_user_ldif bob 1002 "$(nt_hex ldap-bob-pw)")

$(ldap_user_ldif carol 1003 "$(nt_hex ldap-carol-pw)")

$(ldap_user_ldif nohash 1004)"
if slapd_start ldap "$ldap_entries"; then
	# the directory really holds what Samba would have written
	run ldapsearch -x -H "$SLAPD_URI" -D "$LDAP_BIND_DN" -w "$LDAP_BIND_PW" \
		-b "$LDAP_PEOPLE" "(uid=alice)" sambaNTPassword
	expect "ldap: sambaNTPassword is 32 upper-case hex digits" ok \
		"^sambaNTPassword: $(nt_hex secret)$"
	run ldapsearch -x -H "$SLAPD_URI" -b "$LDAP_PEOPLE" "(uid=alice)" \
		sambaNTPassword
	expect "ldap: an anonymous search does not see sambaNTPassword" ok
	if grep -q '^sambaNTPassword' "$OUT"; then
		fail "ldap: anonymous search returned the NT hash"
	fi

	ldap_passdb ldap
	DV_USERS=
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
	DV_EXTRA=
	if dv_start ldap; then
		add_mail alice "hello alice"
		add_mail bob "hello bob"
		add_mail nohash "hello nohash"
		for p in pop3 imap; do
			run curl_ntlm $p 'EXAMPLE\alice:secret'
			expect "ldap curl $p: NTLMv2, sambaNTPassword, right password" \
				ok "hello alice" "NTLM login succeeded \(variant=NTLMv2"
			run curl_ntlm $p 'EXAMPLE\alice:wrong'
			expect "ldap curl $p: wrong password refused" fail "" \
				"NTLMv2 proof does not match"
			run py_ntlm $p ldap-bob-pw --user bob --domain EXAMPLE
			expect "ldap ntlm-auth $p: NTLMv2 with MIC" ok "hello bob" \
				"MIC verified"
			run py_ntlm $p ldap-bob-pw --user bob --domain EXAMPLE --ir
			expect "ldap ntlm-auth $p: NTLMv2, initial response" ok \
				"hello bob"
			run py_ntlm $p wrong --user bob --domain EXAMPLE
			expect "ldap ntlm-auth $p: wrong password refused" 1 \
				"AUTH-FAILED" "NTLMv2 proof does not match"
			run curl_ntlm $p 'EXAMPLE\nohash:whatever'
			expect "ldap curl $p: account without sambaNTPassword refused, log says why" \
				fail "" "$LDAP_NOHASH_LOG"
			run curl_ntlm $p 'EXAMPLE\nobody:secret'
			expect "ldap curl $p: unknown user refused" fail "" \
				"unknown user"
			run curl_ntlm $p 'alice:secret' --login-options AUTH=PLAIN
			if [ "$DV_SYNTAX" = 2.3 ]; then
				# 2.4 marks NTLM weak: PLAIN against it needs
				# auth_allow_weak_schemes = yes
				expect "ldap curl $p: PLAIN against sambaNTPassword" \
					ok "hello alice"
			fi
			run curl_ntlm $p "alice:$(nt_hex secret)" --login-options AUTH=PLAIN
			expect "ldap curl $p: PLAIN with the NT hash as password refused" \
				fail "" "$NT_AS_PLAIN_REFUSED"
		done
		if grep -q 'filter="(&(objectClass=sambaSamAccount)(uid=alice))"' \
			"$SLAPD_DIR/slapd.log" &&
		   grep -q "BIND dn=\"$LDAP_BIND_DN\" method=128" "$SLAPD_DIR/slapd.log"; then
			pass "ldap: Dovecot bound as its DN and searched slapd for the accounts"
		else
			fail "ldap: slapd's log shows no bind as $LDAP_BIND_DN or no search for alice"
		fi
		expect_in_log "ldap: Dovecot's own line names the missing password" \
			"$LDAP_NOHASH_DOVECOT_LOG"

		echo "== LDAP passdb: hostile input"
		run hostile pop3 127.12.0.1 login
		expect "ldap hostile: a good login before the hostile cases" ok "^S: \+OK"
		pid_before=$(auth_pid)
		ipn=30
		for p in pop3 imap; do
			[ $p = pop3 ] && net=12 || net=13
			run hostile $p "127.$net.1.1" run
			n_pass=$(grep -c '^PASS: ' "$OUT")
			n_fail=$(grep -c '^FAIL: ' "$OUT")
			grep -E '^FAIL: |^hostile: ' "$OUT"
			if grep -q "^hostile: $n_pass passed, 0 failed" "$OUT" &&
			   [ "$n_pass" -ge 50 ]; then
				pass "ldap hostile $p: $n_pass hostile cases, none failed"
			else
				fail "ldap hostile $p: $n_fail of $((n_pass + n_fail)) cases failed (rc $RC)"
			fi
			if grep -Eq "Login: .*rip=127\.$net\.1\." "$DV_DIR/dovecot.log"; then
				fail "ldap hostile $p: a hostile case logged in"
			else
				pass "ldap hostile $p: no hostile case logged in"
			fi
			run hostile $p "127.$ipn.0.1" login
			ipn=$((ipn + 1))
			expect "ldap hostile $p: a good login afterwards" ok \
				"^S: (\+OK|a1 OK)"
		done
		expect_auth_pid "ldap hostile" "$pid_before"
		expect_no_crash "ldap: no panic, fatal error or crash in the log"
		expect_no_hash_in_log "ldap: no NT hash in Dovecot's log" \
			secret ldap-bob-pw ldap-carol-pw
		dv_stop
	fi

	echo "== LDAP passdb: 1,000 logins, 32 concurrent"
	ldap_passdb ldap-load
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
	# as in the soak of 40-robustness.sh: login processes in performance
	# mode, no auth_debug
	# (2.4 renamed service_count to restart_request_count)
	if [ "$DV_SYNTAX" = 2.4 ]; then
		ldap_reuse="restart_request_count = unlimited"
	else
		ldap_reuse="service_count = 0"
	fi
	DV_EXTRA="mail_max_userip_connections = 100
default_process_limit = 200
default_client_limit = 2000
service pop3-login {
  $ldap_reuse
  process_min_avail = 2
}
service imap-login {
  $ldap_reuse
  process_min_avail = 2
}"
	DV_AUTH_DEBUG=no
	if dv_start ldap-load; then
		run hostile pop3 127.14.0.1 login
		expect "ldap load: first login" ok "^S: \+OK"
		pid=$(auth_pid)
		srch_before=$(grep -c 'SRCH base=' "$SLAPD_DIR/slapd.log")
		run env OPENSSL_CONF="$OPENSSL_LEGACY_CONF" $PY "$HERE/hostile.py" soak \
			--pop3 "$DV_POP3" --imap "$DV_IMAP" --concurrency 32 \
			--users alice:secret,bob:ldap-bob-pw,carol:ldap-carol-pw \
			--logins 1000 --time-limit 300 --ip-base 127.72.0.1
		cat "$OUT"
		expect "ldap load: 1000 NTLM logins against LDAP, 32 concurrent, none failed" \
			ok "logins=1000 ok=1000 failed=0"
		srch=$(( $(grep -c 'SRCH base=' "$SLAPD_DIR/slapd.log") - srch_before ))
		if [ "$srch" -ge 1000 ]; then
			pass "ldap load: every login searched slapd ($srch searches)"
		else
			fail "ldap load: only $srch LDAP searches for 1000 logins"
		fi
		expect_auth_pid "ldap load" "$pid"
		expect_no_crash "ldap load: no panic, fatal error or crash in the log"
		dv_stop
	fi
	unset DV_AUTH_DEBUG
	DV_EXTRA=

	echo "== LDAP passdb: directory unreachable"
	ldap_passdb ldap-down
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
	if dv_start ldap-down; then
		add_mail alice "hello alice"
		run curl_ntlm pop3 'EXAMPLE\alice:secret'
		expect "ldap down: login works while slapd runs" ok "hello alice"
		pid=$(auth_pid)
		slapd_stop
		run hostile pop3 127.15.0.1 login
		expect "ldap down: slapd stopped: a temporary failure, not a crash" \
			1 "^S: -ERR \[SYS/TEMP\]"
		slapd_run ldap
		run curl_ntlm pop3 'EXAMPLE\alice:secret'
		expect "ldap down: slapd back: the next login succeeds" ok "hello alice"
		expect_auth_pid "ldap down" "$pid"
		dv_stop
	fi
fi
slapd_stop
trap 'dv_stop' EXIT
