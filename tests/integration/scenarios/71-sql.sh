# NTLM against SQL (issue 16): two SQLite passdbs, one holding {NTLM}
# values (32 hex digits, default_pass_scheme = NTLM), one holding
# plaintext. SQL lookups run in auth worker processes, so the
# credentials callback arrives later, relayed from another process.
# The KB Q191558 alias case: the SQL "user" field turns the account
# jsmith into the mailbox john.smith.
# Sourced by run.sh; helpers in stores/stores.sh.

. "$HERE/stores/stores.sh"
trap 'stores_stop' EXIT

echo "== SQL passdbs (SQLite, Dovecot $DV_SYNTAX syntax)"
if sql_db sql; then
	sql_exec "INSERT INTO ntlm_users VALUES
		('alice', 'alice', '$(nt_hex sql-alice-pw)'),
		('carol', 'carol', lower('$(nt_hex sql-carol-pw)')),
		('jsmith', 'john.smith', '$(nt_hex smith-pw)'),
		('nullpw', 'nullpw', NULL);
		INSERT INTO plain_users VALUES ('bob', 'sql-bob-pw');"
	sql_passdbs sql
	DV_USERS=
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
	DV_EXTRA=
	if dv_start sql; then
		add_mail alice "hello alice"
		add_mail bob "hello bob"
		add_mail carol "hello carol"
		add_mail john.smith "hello john"
		add_mail jsmith "wrong mailbox jsmith"
		for p in pop3 imap; do
			run curl_ntlm $p 'EXAMPLE\alice:sql-alice-pw'
			expect "sql curl $p: NTLMv2, {NTLM} value in SQL" ok "hello alice" \
				"NTLM login succeeded \(variant=NTLMv2"
			run curl_ntlm $p 'EXAMPLE\alice:wrong'
			expect "sql curl $p: wrong password refused" fail "" \
				"NTLMv2 proof does not match"
			run py_ntlm $p sql-alice-pw --user alice --domain EXAMPLE
			expect "sql ntlm-auth $p: NTLMv2 with MIC" ok "hello alice" \
				"MIC verified"
			run py_ntlm $p sql-carol-pw --user carol --domain EXAMPLE
			expect "sql ntlm-auth $p: {NTLM} value in lower case" ok \
				"hello carol"
			run curl_ntlm $p 'EXAMPLE\bob:sql-bob-pw'
			expect "sql curl $p: NTLMv2, plaintext SQL passdb" ok "hello bob" \
				"NTLM login succeeded \(variant=NTLMv2"
			run py_ntlm $p sql-bob-pw --user bob --domain EXAMPLE --ir
			expect "sql ntlm-auth $p: plaintext SQL passdb, MIC, initial response" \
				ok "hello bob" "MIC verified"
			run py_ntlm $p wrong --user bob --domain EXAMPLE
			expect "sql ntlm-auth $p: plaintext SQL passdb, wrong password" 1 \
				"AUTH-FAILED" "NTLMv2 proof does not match"
			run curl_ntlm $p 'EXAMPLE\jsmith:smith-pw'
			expect "sql curl $p: KB Q191558 account jsmith opens mailbox john.smith (SQL user field)" \
				ok "hello john" "(Login|Logged in): user=<john\.smith>"
			run py_ntlm $p smith-pw --user jsmith --domain EXAMPLE
			expect "sql ntlm-auth $p: KB Q191558 alias with MIC" ok "hello john"
			run py_ntlm $p wrong --user jsmith --domain EXAMPLE
			expect "sql ntlm-auth $p: KB Q191558 alias, wrong password" 1 \
				"AUTH-FAILED"
			run curl_ntlm $p 'EXAMPLE\nullpw:whatever'
			# the plaintext passdb comes next and does not know nullpw, so
			# the chain ends in "unknown user"; the line saying why is the
			# SQL passdb's
			expect "sql curl $p: NULL password refused, log says why" fail "" \
				"$SQL_NO_PASSWORD_LOG"
			run curl_ntlm $p 'EXAMPLE\nobody:sql-alice-pw'
			expect "sql curl $p: unknown user refused" fail "" "unknown user"
			if [ "$DV_SYNTAX" = 2.3 ]; then
				run curl_ntlm $p 'alice:sql-alice-pw' --login-options AUTH=PLAIN
				expect "sql curl $p: PLAIN against the {NTLM} value" ok \
					"hello alice"
			fi
			run curl_ntlm $p "alice:$(nt_hex sql-alice-pw)" --login-options AUTH=PLAIN
			expect "sql curl $p: PLAIN with the NT hash as password refused" \
				fail "" "$NT_AS_PLAIN_REFUSED"
			run curl_ntlm $p 'bob:sql-bob-pw' --login-options AUTH=PLAIN
			expect "sql curl $p: PLAIN against the plaintext passdb" ok \
				"hello bob"
		done
		expect_in_log "sql: the lookups ran in auth worker processes" \
			"$SQL_WORKER_LOG"

		echo "== SQL passdbs: 300 logins, 32 concurrent, through auth workers"
		pid=$(auth_pid)
		run env OPENSSL_CONF="$OPENSSL_LEGACY_CONF" $PY "$HERE/hostile.py" soak \
			--pop3 "$DV_POP3" --imap "$DV_IMAP" --concurrency 32 \
			--users alice:sql-alice-pw,bob:sql-bob-pw,jsmith:smith-pw \
			--logins 300 --time-limit 300 --ip-base 127.74.0.1
		cat "$OUT"
		expect "sql load: 300 NTLM logins through auth workers, none failed" \
			ok "logins=300 ok=300 failed=0"
		expect_auth_pid "sql load" "$pid"
		expect_no_crash "sql: no panic, fatal error or crash in the log"
		expect_no_hash_in_log "sql: no NT hash in Dovecot's log" \
			sql-alice-pw sql-carol-pw smith-pw sql-bob-pw
		dv_stop
	fi
fi
trap 'dv_stop' EXIT
