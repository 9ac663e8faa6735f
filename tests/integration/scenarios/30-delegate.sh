# The "delegate" passdb: [MS-OXPOP3] 2.2.2 delegate access
# (USER domain/delegate/principal) onto Dovecot's master-user login, and
# PLAIN with an authorisation identity through the same map.

# expect_log_lacks NAME REGEX: the last run() wrote no such log line.
expect_log_lacks() {
	if new_log | grep -Eq -- "$2"; then
		fail "$1 (log has /$2/)"
		new_log | grep -E -- "$2" | sed 's/^/    log| /' | head -n 3
	else
		pass "$1"
	fi
}

DELEGATE_MAP='# principal: delegates (account names)
bob: alice
john.smith: alice carol@example.com
ghost: alice

# other names of an account (KB Q191558: the alias is not the account)
jsmith = john.smith
john.smith@example.com = john.smith
alice@example.com = alice'

delegate_users() {
	DV_USERS="alice:$(ntlm_hash secret)
bob:{PLAIN}hunter2
carol@example.com:$(ntlm_hash carol-pw)
jsmith:$(ntlm_hash smith-pw)::::::user=john.smith
john.smith:{PLAIN}john-pw
mallory:{PLAIN}mallory-pw"
}

delegate_mail() {
	add_mail alice "hello alice"
	add_mail bob "hello bob"
	add_mail carol@example.com "hello carol"
	add_mail john.smith "hello john"
	add_mail mallory "hello mallory"
}

DELEGATE_EXTRA='auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/
mail_log_prefix = "%s(%u)<auth=%{auth_user}>: "'
# 2.4: the delegates log in with USER/PASS against {NTLM} hashes, which
# 2.4 refuses as a weak scheme unless auth_allow_weak_schemes = yes (the
# scheme module marks NTLM weak; see run.sh's 2.4 settings scenario).
if [ "$DV_SYNTAX" = 2.4 ]; then
	DELEGATE_EXTRA='auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/
auth_allow_weak_schemes = yes
mail_log_prefix = "%{protocol}(%{user})<auth=%{auth_user}>: "'
fi

AUTHN_FAILED_POP3='^S: -ERR \[AUTH\] Authentication failed'
AUTHN_FAILED_IMAP='^S: a1 NO \[AUTHENTICATIONFAILED\] Authentication failed'
AUTHZ_FAILED_POP3='^S: -ERR \[AUTH\] Authorization failed'
AUTHZ_FAILED_IMAP='^S: a1 NO \[AUTHORIZATIONFAILED\] Authorization failed'

echo "== delegate passdb"
delegate_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
DV_EXTRA=$DELEGATE_EXTRA
mkdir -p "$WORK/delegate"
printf '%s\n' "$DELEGATE_MAP" > "$WORK/delegate/delegates"
delegate_passdbs "$WORK/delegate" "domains=CORP,example.com"
if dv_start delegate; then
delegate_mail

for p in pop3 imap; do
	[ $p = pop3 ] && authn=$AUTHN_FAILED_POP3 || authn=$AUTHN_FAILED_IMAP
	[ $p = pop3 ] && authz=$AUTHZ_FAILED_POP3 || authz=$AUTHZ_FAILED_IMAP

	# the four forms, alias and UPN of the same person, one mailbox
	run py_login $p secret 'CORP/alice/jsmith'
	expect "$p: domain/delegatealias/principalalias opens the principal's mailbox" \
		ok "^MAIL: hello john" \
		"delegate access granted: master_user=alice user=john.smith"
	run py_login $p secret 'CORP/alice/john.smith@example.com'
	expect "$p: domain/delegatealias/principalupn" ok "^MAIL: hello john" \
		"Master user logging in as john.smith"
	run py_login $p secret 'alice@example.com/jsmith'
	expect "$p: delegateupn/principalalias" ok "^MAIL: hello john" \
		"delegate access granted: master_user=alice user=john.smith"
	run py_login $p secret 'alice@example.com/john.smith@example.com'
	expect "$p: delegateupn/principalupn" ok "^MAIL: hello john" \
		"delegate access granted: master_user=alice user=john.smith"
	run py_login $p secret 'CORP/alice/bob'
	expect "$p: alice opens bob's mailbox, not her own" ok "^MAIL: hello bob"
	grep -q 'hello alice' "$OUT" && fail "$p: alice's own mail was shown"
	run py_login $p secret 'corp/Alice/BOB'
	expect "$p: names are case-insensitive" ok "^MAIL: hello bob"
	run py_login $p carol-pw 'carol@example.com/jsmith'
	expect "$p: a second delegate of the same principal" ok \
		"^MAIL: hello john" \
		"master_user=carol@example.com user=john.smith"

	# SASL mechanisms with a delegate login name
	run py_login $p secret 'CORP/alice/bob' --sasl LOGIN
	expect "$p: SASL LOGIN with a delegate login" ok "^MAIL: hello bob"
	run py_login $p secret 'alice@example.com/bob' --sasl PLAIN
	expect "$p: SASL PLAIN with a delegate login" ok "^MAIL: hello bob"

	# PLAIN with an authorisation identity: the same map decides
	run py_login $p secret alice --authzid bob
	expect "$p: PLAIN authzid=bob authcid=alice" ok "^MAIL: hello bob" \
		"delegate access granted: master_user=alice user=bob"
	run py_login $p secret alice --authzid jsmith
	expect "$p: PLAIN authzid alias resolves to the account" ok \
		"^MAIL: hello john" "master_user=alice user=john.smith"
	run py_login $p mallory-pw mallory --authzid bob
	expect "$p: PLAIN authzid, not a listed delegate" 1 "$authz" \
		"mallory is not a listed delegate of bob"
	run py_login $p wrong alice --authzid bob
	expect "$p: PLAIN authzid, wrong password" 1 "$authn"
	expect_log_lacks "$p: PLAIN authzid, wrong password: no authorisation check" \
		"delegate (access|login refused)"

	# refusals after the password check
	run py_login $p mallory-pw 'CORP/mallory/bob'
	expect "$p: delegate not listed" 1 "$authz" \
		"delegate login refused: mallory is not a listed delegate of bob"
	run py_login $p carol-pw 'carol@example.com/bob'
	expect "$p: delegate of someone else" 1 "$authz" \
		"carol@example.com is not a listed delegate of bob"
	run py_login $p secret 'CORP/alice/nobody'
	expect "$p: principal that does not exist (not in the map)" 1 \
		"$authz" "alice is not a listed delegate of nobody"
	run py_login $p secret 'CORP/alice/ghost'
	expect "$p: principal in the map without an account" 1 "$authz" \
		"unknown user"

	# refusals before the password check
	run py_login $p wrong 'CORP/alice/bob'
	expect "$p: wrong delegate password" 1 "$authn" "[Pp]assword mismatch"
	expect_log_lacks "$p: wrong password: the map is not consulted" \
		"delegate (access|login refused)"
	run py_login $p wrong 'CORP/mallory/bob'
	expect "$p: unlisted delegate, wrong password: like any wrong password" \
		1 "$authn"
	expect_log_lacks "$p: no oracle: authorisation is not checked without the password" \
		"not a listed delegate"
	run py_login $p secret 'CORP//bob'
	expect "$p: malformed: empty part" 1 "$authn" \
		"delegate login refused: delegate login has an empty part"
	run py_login $p secret '/alice/bob'
	expect "$p: malformed: empty domain" 1 "$authn" \
		"delegate login has an empty part"
	run py_login $p secret 'CORP/alice/bob/carol'
	expect "$p: malformed: too many parts" 1 "$authn" \
		"more than three parts"
	run py_login $p secret 'alice/bob'
	expect "$p: malformed: two parts without a delegate UPN" 1 "$authn" \
		"needs a delegate UPN"
	run py_login $p secret 'alice@/bob'
	expect "$p: malformed: delegate UPN without a domain" 1 "$authn" \
		"needs a delegate UPN"
	run py_login $p secret 'CORP/alice/bob@'
	expect "$p: malformed: principal UPN without a domain" 1 "$authn" \
		"malformed principal UPN"
	run py_login $p secret "CORP/alice/$(printf 'b%.0s' $(seq 600))"
	expect "$p: malformed: over-long login" 1 "$authn" \
		"delegate login too long"
	run py_login $p secret 'EVIL/alice/bob'
	expect "$p: domain not configured" 1 "$authn" "domain not accepted"
	run py_login $p secret 'alice@evil.example/bob'
	expect "$p: delegate UPN in a domain not configured" 1 "$authn" \
		"UPN domain not accepted"
	run py_login $p secret 'CORP/alice/bob@evil.example'
	expect "$p: principal UPN in a domain not configured" 1 "$authn" \
		"UPN domain not accepted"

	# ordinary logins are untouched by the driver being first
	run py_login $p hunter2 bob
	expect "$p: ordinary USER/PASS or LOGIN" ok "^MAIL: hello bob" \
		"not a delegate login"
	run py_login $p hunter3 bob
	expect "$p: ordinary login, wrong password" 1 "$authn"
	run py_login $p secret alice --sasl PLAIN
	expect "$p: ordinary PLAIN against an {NTLM} passdb entry" ok \
		"^MAIL: hello alice"
	run py_login $p secret alice --authzid alice
	expect "$p: PLAIN with authzid = authcid is an ordinary login" ok \
		"^MAIL: hello alice"
	run curl_ntlm $p 'EXAMPLE\alice:secret'
	expect "$p: ordinary NTLM login" ok "hello alice" \
		"NTLM login succeeded \(variant=NTLMv2"
	run curl_ntlm $p 'EXAMPLE\jsmith:smith-pw'
	expect "$p: NTLM, KB Q191558 rename still applies" ok "hello john"
	run py_ntlm $p secret --user alice --domain EXAMPLE
	expect "$p: NTLM with MIC (python3-ntlm-auth)" ok "hello alice"
	run curl_ntlm $p 'EXAMPLE\alice:wrong'
	expect "$p: NTLM wrong password still refused" fail "" \
		"NTLMv2 proof does not match"
done

run curl_ntlm pop3 'alice:secret' --sasl-authzid bob \
	--login-options AUTH=PLAIN
expect "curl pop3: PLAIN --sasl-authzid bob" ok "hello bob" \
	"master_user=alice user=bob"
run py_ntlm pop3 secret --user 'CORP/alice/bob'
expect "pop3: NTLM with a delegate login name is refused" fail "" \
	"delegate logins need a plaintext mechanism"

run doveadm -c "$DV_DIR/dovecot.conf" auth test -x service=pop3 \
	'CORP/alice/bob' secret
expect "doveadm auth test with a delegate login (the README's check)" ok \
	"auth_user=alice" "delegate access granted: master_user=alice user=bob"
grep -q '^ *user=bob$' "$OUT" || fail "doveadm auth test: user is not bob"

# grant and revoke take effect at the next login
printf 'bob:\n' > "$WORK/delegate/delegates.new"
mv "$WORK/delegate/delegates.new" "$WORK/delegate/delegates"
run py_login pop3 secret 'CORP/alice/bob'
expect "pop3: revoked (name removed from the map) is refused at once" 1 \
	"$AUTHZ_FAILED_POP3" "alice is not a listed delegate of bob"
run py_login pop3 secret alice --authzid bob
expect "pop3: revoked also for PLAIN authzid" 1 "$AUTHZ_FAILED_POP3"
printf 'bob: alice\n' > "$WORK/delegate/delegates"
run py_login pop3 secret 'CORP/alice/bob'
expect "pop3: granted again (name added) works at once" ok "^MAIL: hello bob"
printf 'bob: alice\nbroken line\n' > "$WORK/delegate/delegates"
run py_login pop3 secret 'CORP/alice/bob'
expect "pop3: a map with a syntax error grants nothing" 1 "" \
	"delegates line 2: expected"
printf '%s\n' "$DELEGATE_MAP" > "$WORK/delegate/delegates"

# master_user reaches the mail processes: %{auth_user} in mail_log_prefix
# above is the master user of a master login
sleep 0.5
expect_in_log "pop3 session runs as the principal, authenticated as the delegate" \
	'pop3\(john\.smith\)<auth=alice>'
expect_in_log "imap session runs as the principal, authenticated as the delegate" \
	'imap\(bob\)<auth=alice>'
expect_in_log "ordinary sessions authenticate as themselves" \
	'pop3\(bob\)<auth=bob>'
fi
dv_stop

echo "== delegate passdb: domain_check=no upn=local"
mkdir -p "$WORK/delegate-nodomain"
printf '%s\n' "$DELEGATE_MAP" > "$WORK/delegate-nodomain/delegates"
delegate_passdbs "$WORK/delegate-nodomain" "domain_check=no upn=local"
if dv_start delegate-nodomain; then
delegate_mail
run py_login pop3 secret 'EVIL/alice/bob'
expect "pop3: domain_check=no ignores the domain" ok "^MAIL: hello bob"
run py_login imap secret 'alice@anywhere.example/bob@elsewhere.example'
expect "imap: upn=local resolves UPN local parts" ok "^MAIL: hello bob"
run py_login pop3 secret 'x@y.example/jsmith@z.example'
expect "pop3: upn=local: an unknown delegate is still refused" 1 \
	"$AUTHN_FAILED_POP3"
fi
dv_stop

echo "== delegate passdb: password passdb without result_success = continue-ok"
mkdir -p "$WORK/delegate-misconf"
printf '%s\n' "$DELEGATE_MAP" > "$WORK/delegate-misconf/delegates"
delegate_passdbs "$WORK/delegate-misconf" "domains=CORP"
# (2.3: drop continue-ok and pass = yes; 2.4: both result_success lines)
DV_PASSDB=$(printf '%s\n' "$DV_PASSDB" |
	grep -v 'result_success = continue\|pass = yes')
if dv_start delegate-misconf; then
delegate_mail
run py_login pop3 secret 'CORP/alice/bob'
expect "pop3: a chain that would skip the map refuses delegate logins" 1 \
	"$AUTHN_FAILED_POP3" "returns on success: delegate logins need"
grep -q 'hello bob' "$OUT" && fail "pop3: misconfigured chain opened bob's mailbox"
run py_login pop3 hunter2 bob
expect "pop3: ordinary logins still work there" ok "^MAIL: hello bob"
expect_in_log "a master passdb without pass = yes is warned about" \
	"Warning: passdb delegate: master passdb passwd-file without pass = yes"
fi
dv_stop
