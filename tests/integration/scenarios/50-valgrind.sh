# The real auth process, with our modules loaded, under valgrind: good
# and bad logins of every client, then the hostile cases; when Dovecot
# stops, valgrind must report no invalid access and no definite leak.
echo "== auth process under valgrind"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
vg_dir=$WORK/valgrind-logs
mkdir -p "$vg_dir"
DV_EXTRA="service auth {
  executable = /usr/bin/valgrind --leak-check=full --show-leak-kinds=definite --log-file=$vg_dir/auth.%p.log /usr/lib/dovecot/auth
}"
if ! command -v valgrind >/dev/null; then
	fail "valgrind: not installed"
elif dv_start valgrind; then
	standard_mail
	for p in pop3 imap; do
		run curl_ntlm $p 'EXAMPLE\alice:secret'
		expect "valgrind $p: curl NTLMv2 login" ok "hello alice"
		run curl_ntlm $p 'EXAMPLE\alice:wrong'
		expect "valgrind $p: curl wrong password" fail
		run py_ntlm $p secret --user alice --domain EXAMPLE
		expect "valgrind $p: NTLMv2 with MIC" ok "hello alice" \
			"MIC verified"
		run cyrus $p secret alice yes
		expect "valgrind $p: Cyrus LMv2" ok "RESULT: OK"
		run cyrus $p secret alice no
		expect "valgrind $p: Cyrus NTLMv1 refused" 1 "AUTH-FAILED"
	done
	port=$DV_POP3
	run env OPENSSL_CONF="$OPENSSL_LEGACY_CONF" $PY "$HERE/hostile.py" \
		run --pop3 "$port" --ip-base 127.200.0.1
	expect "valgrind: the hostile cases over POP3" ok "^hostile: [0-9]+ passed, 0 failed"
	dv_stop
	# valgrind writes its summary when the auth process exits
	vg_logs=$(grep -l "ERROR SUMMARY" "$vg_dir"/auth.*.log 2>/dev/null)
	if [ -z "$vg_logs" ]; then
		fail "valgrind: no summary from the auth process"
	else
		bad=$(grep -hE "ERROR SUMMARY: [1-9]|definitely lost: [1-9]" \
			$vg_logs)
		if [ -n "$bad" ]; then
			fail "valgrind: auth process reports errors or leaks"
			grep -hE "Invalid|uninitialised|definitely|ERROR SUMMARY" \
				$vg_logs | head -n 20 | sed 's/^/    | /'
		else
			pass "valgrind: auth process: 0 errors, 0 bytes definitely lost"
			grep -hE "ERROR SUMMARY|definitely lost" $vg_logs |
				sed 's/^/    /'
		fi
	fi
fi
