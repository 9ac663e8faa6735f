# Passdbs that cannot serve NTLM (issue 16): PAM (no credential lookups
# at all) and a crypt-only password (a scheme NTLM cannot use). The NTLM
# login is refused with a log line naming the cause and the fix, the
# other mechanisms keep working, and Dovecot starts without a fatal
# error as long as one passdb can serve NTLM. With PAM alone, Dovecot
# itself refuses the NTLM mechanism at start.
# Sourced by run.sh; helpers in stores/stores.sh.

. "$HERE/stores/stores.sh"

# no_ntlm_passdbs DIR: PAM first (system accounts), then a passwd-file
# that holds only the listed virtual users.
no_ntlm_passdbs() {
	case $DV_SYNTAX in
	2.4)
		DV_PASSDB="passdb pam {
}
passdb passwd-file {
  passwd_file_path = $1/users
  username_filter = alice carol
}"
		;;
	*)
		DV_PASSDB="passdb {
  driver = pam
}
passdb {
  driver = passwd-file
  args = $1/users
  username_filter = alice carol
}"
		;;
	esac
}

# a name no system account has, for a user only PAM could know
PAM_USER=pamonly-ntlm-test

# db_log DRIVER USER: a regex for a passdb's own log line about USER:
# 2.3 prefixes it "DRIVER(USER,IP)", 2.4 "auth[-worker](USER,IP)...: "
# and the passdb's name (here the driver's) after it
db_log() {
	if [ "$DV_SYNTAX" = 2.4 ]; then
		echo "\\($2,[^)]*\\).* $1: "
	else
		echo "$1\\($2,"
	fi
}

echo "== passdbs that cannot serve NTLM: PAM and a crypt-only password"
DV_USERS="alice:$(ntlm_hash nn-alice-pw)
carol:$(doveadm pw -s SHA512-CRYPT -p nn-carol-pw)"
no_ntlm_passdbs "$WORK/nontlm"
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
DV_EXTRA=
# 2.4: alice's LOGIN below is against her {NTLM} value, a weak scheme
[ "$DV_SYNTAX" = 2.4 ] && DV_EXTRA="auth_allow_weak_schemes = yes"
if getent passwd "$PAM_USER" > /dev/null; then
	fail "no-ntlm: a system account $PAM_USER exists; the test needs a name PAM does not know"
elif dv_start nontlm; then
	add_mail alice "hello alice"
	add_mail carol "hello carol"
	for p in pop3 imap; do
		run curl_ntlm $p 'EXAMPLE\alice:nn-alice-pw'
		expect "no-ntlm $p: NTLM works for a user of the passdb that can serve it" \
			ok "hello alice" "NTLM login succeeded"
		run curl_ntlm $p "EXAMPLE\\$PAM_USER:whatever"
		expect "no-ntlm $p: NTLM for a PAM user refused, the log names cause and fix" \
			fail "" "NTLM login refused: passdb pam cannot hand out credentials, which NTLM needs \(fix: serve NTLM users from a passdb with \{NTLM\} hashes or plaintext passwords"
		run py_ntlm $p nn-carol-pw --user carol --domain EXAMPLE
		expect "no-ntlm $p: NTLM for a crypt-only password refused, the log names cause and fix" \
			1 "AUTH-FAILED" "NTLM login refused: the passdb has neither an \{NTLM\} hash nor a plaintext password for this user \(it has none, or one in a scheme NTLM cannot use, such as a crypt hash; fix: store an \{NTLM\} value"
		if new_log | grep -q 'Requested NTLM scheme, but we have only SHA512-CRYPT'; then
			pass "no-ntlm $p: Dovecot's line names the stored scheme (SHA512-CRYPT)"
		else
			fail "no-ntlm $p: no log line names SHA512-CRYPT"
		fi
		run curl_ntlm $p 'carol:nn-carol-pw' --login-options AUTH=PLAIN
		expect "no-ntlm $p: PLAIN still works for the crypt-only user" ok \
			"hello carol"
		run curl_ntlm $p 'alice:nn-alice-pw' --login-options AUTH=LOGIN
		expect "no-ntlm $p: LOGIN still works" ok "hello alice"
		run curl_ntlm $p "$PAM_USER:whatever" --login-options AUTH=PLAIN
		expect "no-ntlm $p: PLAIN goes to PAM (and PAM refuses an unknown account)" \
			fail "" "$(db_log pam "$PAM_USER")"
	done
	if grep -Eq "Fatal|can't be supported" "$DV_DIR/dovecot.log"; then
		fail "no-ntlm: a fatal error although passwd-file can serve NTLM"
		grep -E "Fatal|can't be supported" "$DV_DIR/dovecot.log" | head -n 3 |
			sed 's/^/    log| /'
	else
		pass "no-ntlm: no fatal error at start: one passdb can serve NTLM"
	fi
	expect_no_hash_in_log "no-ntlm: no NT hash in Dovecot's log" nn-alice-pw
	dv_stop
fi

echo "== PAM kept away from NTLM (the documented configuration)"
case $DV_SYNTAX in
2.4) DV_PASSDB="passdb pam {
  mechanisms_filter = plain login
}
passdb passwd-file {
  passwd_file_path = $WORK/pamfiltered/users
}" ;;
*) DV_PASSDB="passdb {
  driver = pam
  mechanisms = plain login
}
passdb {
  driver = passwd-file
  args = $WORK/pamfiltered/users
}" ;;
esac
DV_USERS="alice:$(ntlm_hash nn-alice-pw)"
if dv_start pamfiltered; then
	add_mail alice "hello alice"
	run curl_ntlm pop3 'EXAMPLE\alice:nn-alice-pw'
	expect "pam filtered: NTLM served by the passwd-file" ok "hello alice" \
		"skipping passdb: mechanism filtered"
	run curl_ntlm imap 'alice:nn-alice-pw' --login-options AUTH=PLAIN
	expect "pam filtered: PLAIN asks PAM first, then the passwd-file" ok \
		"hello alice" "$(db_log pam alice)"
	run curl_ntlm pop3 "EXAMPLE\\$PAM_USER:whatever"
	expect "pam filtered: NTLM for a user only PAM could know: unknown user, PAM not asked" \
		fail "" "$(db_log passwd-file "$PAM_USER").*unknown user"
	if new_log | grep -q "cannot hand out credentials"; then
		fail "pam filtered: NTLM still reached the PAM passdb"
	else
		pass "pam filtered: NTLM never reached the PAM passdb"
	fi
	dv_stop
fi

echo "== PAM as the only passdb"
case $DV_SYNTAX in
2.4) DV_PASSDB="passdb pam {
}" ;;
*) DV_PASSDB="passdb {
  driver = pam
}" ;;
esac
DV_USERS=
if dv_start pamonly; then
	run curl_ntlm pop3 "EXAMPLE\\$PAM_USER:whatever"
	expect "pam only: NTLM login fails" fail
	# the auth process starts on the first connection and refuses then
	for i in $(seq 30); do
		grep -q "can't be supported" "$DV_DIR/dovecot.log" && break
		sleep 0.1
	done
	expect_in_log "pam only: Dovecot refuses the NTLM mechanism, naming it" \
		"Fatal: .*NTLM mechanism can't be supported with given passdbs"
	dv_stop
fi
