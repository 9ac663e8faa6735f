# Robustness (issue 6): hostile input, replay and downgrade, faults, and
# a bounded soak behind SOAK=1. Sourced by run.sh, so the harness's
# helpers (dv_start, run, expect, auth_pid, hostile...) are in scope.

# auth_rss: VmRSS of the auth process in KiB.
auth_rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null
}

# wait_auth_pid: the auth process's pid, once there is one (the master
# starts a new one when a login process connects after a crash).
wait_auth_pid() {
	local i pid
	for i in $(seq 100); do
		pid=$(auth_pid)
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.1
	done
	return 1
}

robust_users() {
	DV_USERS="alice:$(ntlm_hash secret)
bob:{PLAIN}hunter2"
}

echo "== robustness: hostile input"
robust_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
DV_EXTRA=
if dv_start robust; then
	add_mail alice "hello alice"
	# The auth process starts with the first login.
	run hostile pop3 127.9.0.1 login
	expect "robustness: a good login before the hostile cases" ok "^S: \+OK"
	pid_before=$(auth_pid)
	# source addresses: hostile cases over POP3 from 127.10.*, over IMAP
	# from 127.11.*, every later check from its own 127.N.0.* (N >= 20)
	ipn=20
	for p in pop3 imap; do
		[ $p = pop3 ] && hostile_net=10 || hostile_net=11
		run hostile $p "127.$hostile_net.0.1" run
		n_pass=$(grep -c '^PASS: ' "$OUT")
		tally_output "$OUT" hostile
		if ! grep -q "^hostile: $n_pass passed, 0 failed" "$OUT"; then
			fail "hostile $p: did not finish or a case failed (rc $RC)"
			tail -n 5 "$OUT" | sed 's/^/    | /'
		elif [ "$n_pass" -lt 50 ]; then
			fail "hostile $p: only $n_pass cases ran, at least 50 expected"
		fi
		if grep -Eq "Login: .*rip=127\.$hostile_net\." "$DV_DIR/dovecot.log"; then
			fail "hostile $p: a hostile case logged in"
			grep -E "Login: .*rip=127\.$hostile_net\." "$DV_DIR/dovecot.log" |
				head -n 3 | sed 's/^/    log| /'
		else
			pass "hostile $p: no hostile case logged in"
		fi
		expect_auth_pid "hostile $p" "$pid_before"
		run hostile $p "127.$ipn.0.1" login
		ipn=$((ipn + 1))
		expect "hostile $p: a good login succeeds after the hostile cases" \
			ok "^S: (\+OK|a1 OK)"
	done
	# Lines over 8192 characters never reach the mechanism: Dovecot's
	# login process drops the connection (the too-long cases accept that).
	expect_in_log "hostile: over-long lines are dropped by the login process" \
		"Authentication response too large"
	expect_no_crash "hostile: no panic, fatal error or crash in the log"

	echo "== robustness: replay and downgrade"
	# one_case NAME PROTO LOG-REGEX
	one_case() {
		run hostile "$2" "127.$ipn.0.1" run "$1"
		ipn=$((ipn + 1))
		expect "$2: $1" ok "^PASS: " "$3"
	}
	for p in pop3 imap; do
		one_case replay-on-new-connection $p \
			"NTLMv2 proof does not match"
		one_case replay-with-fresh-challenge-mic $p \
			"NTLMv2 proof does not match"
		one_case tampered-negotiate-flag-under-mic $p \
			"MIC does not match the messages"
		# the client echoes the tampered CHALLENGE flag, so the flag
		# rule refuses it before the MIC (or any hash) is looked at
		one_case tampered-challenge-flag-under-mic $p \
			"claim what the CHALLENGE did not grant"
		one_case stale-timestamp-2h-no-echo $p \
			"NTLM login refused: refused by policy: NTLMv2 timestamp outside the allowed clock skew"
		one_case future-timestamp-2h-no-echo $p "clock skew"
		one_case ntlmv1-refused-by-policy $p \
			"NTLMv1 refused \(ntlm_allow_ntlmv1 = no\)"
		one_case ntlmv1-ess-refused-by-policy $p \
			"ntlm_allow_ntlmv1_ess = no"
		# the control: the same builder, timestamp fresh, not echoed
		one_case good-login-fresh-timestamp-no-echo $p \
			"NTLM login succeeded \(variant=NTLMv2"
	done

	expect_auth_pid "replay and downgrade" "$pid_before"

	echo "== robustness: faults"
	users_file=$DV_DIR/users
	chmod 000 "$users_file"
	# passwd-file re-reads the file when its mtime changes, checking at
	# most once a second
	touch -d '+2 seconds' "$users_file"
	sleep 1.1
	for p in pop3 imap; do
		run hostile $p "127.$ipn.0.1" login
		ipn=$((ipn + 1))
		expect "$p: passdb unreadable: temporary failure, not a crash" 1 \
			"SYS/TEMP|UNAVAILABLE|Temporary"
	done
	chmod 644 "$users_file"
	touch -d '+4 seconds' "$users_file"
	sleep 1.1
	expect_auth_pid "passdb unreadable" "$pid_before"
	run hostile pop3 "127.$ipn.0.1" login
	ipn=$((ipn + 1))
	expect "passdb readable again: login succeeds" ok "^S: \+OK"

	for p in pop3 imap; do
		pid=$(wait_auth_pid)
		run hostile $p "127.$ipn.0.1" killmid --auth-pid "$pid"
		ipn=$((ipn + 1))
		expect "$p: auth process killed mid-handshake: the client gets an error" \
			ok "^S: (-ERR|a1 NO|a1 BAD|\* BYE)"
		run hostile $p "127.$ipn.0.1" login
		ipn=$((ipn + 1))
		expect "$p: the next login after the auth crash succeeds" \
			ok "^S: (\+OK|a1 OK)"
		new_pid=$(auth_pid)
		if [ -n "$new_pid" ] && [ "$new_pid" != "$pid" ]; then
			pass "$p: a new auth process ($new_pid) replaced the killed one ($pid)"
		else
			fail "$p: no new auth process after the kill ('$pid' -> '$new_pid')"
		fi
	done
	dv_stop
fi

if [ "${SOAK:-0}" = 1 ]; then
	echo "== robustness: soak"
	DV_USERS="alice:$(ntlm_hash secret)
bob:{PLAIN}hunter2
carol:$(ntlm_hash secret)
dave:$(ntlm_hash secret)"
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
	# Up to 32 concurrent sessions of one user (each from its own address
	# anyway), and login processes in Dovecot's performance mode: forking
	# one per connection would make the soak measure fork(), not NTLM.
	# No auth_debug: logging every exchange only slows the soak down.
	# (2.4 renamed service_count to restart_request_count)
	if [ "$DV_SYNTAX" = 2.4 ]; then
		soak_reuse="restart_request_count = unlimited"
	else
		soak_reuse="service_count = 0"
	fi
	DV_EXTRA="mail_max_userip_connections = 100
default_process_limit = 200
default_client_limit = 2000
service pop3-login {
  $soak_reuse
  process_min_avail = 2
}
service imap-login {
  $soak_reuse
  process_min_avail = 2
}"
	DV_AUTH_DEBUG=no
	if dv_start soak; then
		soak_users=alice:secret,bob:hunter2,carol:secret,dave:secret
		soak() {
			OPENSSL_CONF=$OPENSSL_LEGACY_CONF $HOSTILE soak \
				--pop3 "$DV_POP3" --imap "$DV_IMAP" \
				--users "$soak_users" --concurrency 32 "$@"
		}
		run soak --logins 1000 --time-limit 120 --ip-base 127.64.0.1
		cat "$OUT"
		expect "soak: warm-up of 1000 logins" ok "failed=0"
		pid=$(auth_pid)
		rss_warm=$(auth_rss "$pid")
		soak_logins=${SOAK_LOGINS:-20000}
		run soak --logins "$soak_logins" --time-limit "${SOAK_SECONDS:-1200}" \
			--ip-base 127.128.0.1
		cat "$OUT"
		expect "soak: $soak_logins NTLM logins, 32 concurrent, none failed" \
			ok "failed=0"
		pid2=$(auth_pid)
		rss_after=$(auth_rss "$pid2")
		echo "soak: auth pid $pid -> $pid2, VmRSS after warm-up ${rss_warm} KiB, after soak ${rss_after} KiB"
		if [ "$pid" != "$pid2" ]; then
			fail "soak: the auth process was restarted"
		elif [ -z "$rss_warm" ] || [ -z "$rss_after" ]; then
			fail "soak: could not read the auth process's VmRSS"
		elif [ $((rss_after - rss_warm)) -gt 2048 ]; then
			fail "soak: auth VmRSS grew by $((rss_after - rss_warm)) KiB (limit 2048)"
		else
			pass "soak: auth VmRSS grew by $((rss_after - rss_warm)) KiB (limit 2048)"
		fi
		dv_stop
	fi
	unset DV_AUTH_DEBUG
	DV_EXTRA=
fi
