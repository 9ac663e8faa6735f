# The real auth process with our modules built with AddressSanitizer and
# UndefinedBehaviorSanitizer, the sanitizer runtimes preloaded into it.
# Runs only when run-tests.sh has installed the sanitizer build of the
# modules and says so with ASAN_MODULES=yes (the modules would not load
# into an auth process without the runtimes, nor into doveadm, so the
# hashes below are fixed values instead of doveadm pw output).
if [ "${ASAN_MODULES:-}" = yes ]; then
	echo "== auth process with ASan + UBSan modules"
	asan_dir=$WORK/asan-logs
	mkdir -p "$asan_dir"
	chmod 0777 "$asan_dir"
	asan_rt=$(ls /usr/lib/x86_64-linux-gnu/libasan.so.[0-9]* 2>/dev/null | head -n 1)
	ubsan_rt=$(ls /usr/lib/x86_64-linux-gnu/libubsan.so.[0-9]* 2>/dev/null | head -n 1)
	# secret and carol-pw, as doveadm pw -s NTLM gives them
	DV_USERS="alice:{NTLM}878d8014606cda29677a44efa1353fc7
bob:{PLAIN}hunter2
carol@example.com:{NTLM}163ef071f9bfeaf4272007b29e4eae32"
	DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
	# Dovecot's own allocations are not ours to judge: leaks are left
	# to the valgrind scenario; any ASan or UBSan report aborts auth.
	# ASan reserves terabytes of address space: lift Dovecot's vsz_limit.
	DV_EXTRA="service auth {
  vsz_limit = 0
  executable = /usr/bin/env LD_PRELOAD=$asan_rt:$ubsan_rt ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:log_path=$asan_dir/asan UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$asan_dir/ubsan /usr/lib/dovecot/auth
}"
	if dv_start asan; then
		add_mail alice "hello alice"
		add_mail bob "hello bob"
		pid_before=
		# Without a working auth process every case would wait for
		# its timeout: check one login first.
		run curl_ntlm pop3 'EXAMPLE\alice:secret'
		expect "asan: the sanitized auth process starts and logs in" ok \
			"hello alice"
		[ "$RC" -eq 0 ] && asan_protos="pop3 imap" || asan_protos=
		for p in $asan_protos; do
			run curl_ntlm $p 'EXAMPLE\alice:secret'
			expect "asan $p: curl NTLMv2 login" ok "hello alice"
			[ -n "$pid_before" ] || pid_before=$(auth_pid)
			run curl_ntlm $p 'bob:hunter2'
			expect "asan $p: plaintext passdb" ok "hello bob"
			run py_ntlm $p secret --user alice --domain EXAMPLE
			expect "asan $p: NTLMv2 with MIC" ok "hello alice"
			run cyrus $p secret alice yes
			expect "asan $p: Cyrus LMv2" ok "RESULT: OK"
			run env OPENSSL_CONF="$OPENSSL_LEGACY_CONF" \
				$PY "$HERE/hostile.py" run "--$p" \
				"$( [ $p = pop3 ] && echo $DV_POP3 || echo $DV_IMAP)" \
				--ip-base "127.$( [ $p = pop3 ] && echo 210 || echo 211).0.1"
			expect "asan $p: the hostile cases" ok \
				"^hostile: [0-9]+ passed, 0 failed"
		done
		expect_auth_pid "asan" "$pid_before"
		dv_stop
		if ls "$asan_dir"/* >/dev/null 2>&1; then
			fail "asan: sanitizer reports from the auth process"
			head -n 30 "$asan_dir"/* | sed 's/^/    | /'
		else
			pass "asan: no ASan or UBSan report from the auth process"
		fi
	fi
	DV_EXTRA=
fi
