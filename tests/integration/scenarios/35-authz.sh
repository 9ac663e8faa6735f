# Authorisation where Dovecot's flows meet ours (issue 9): for every login
# path, whose password was verified, and whose mailbox and identity does
# the session get? Each case is driven by an attacker's client.
#   1. an NTLM (or CRAM-MD5) login with "user*master" must not borrow the
#      master's identity: the ACL plugin grants by master_user;
#   2. a passdb listed before the delegate passdb must not skip the map;
#   3. ntlm_allow_lm: an LM response is checked with the LM hash only;
#   4. ntlm_allow_anonymous logs in as auth_anonymous_username.
# Sourced by run.sh (scenario_run): the helpers of lib.sh are in scope.

# authz_hostile pop3|imap USER PASSWORD CASE...
authz_hostile() {
	hostile_here "$1" run --user "$2" --password "$3" "${@:4}"
}

# curl_cram pop3|imap USER:PASS: CRAM-MD5, a credentials mechanism of
# Dovecot's own.
curl_cram() {
	local url
	if [ "$1" = pop3 ]; then
		url="pop3://127.0.0.1:$DV_POP3/1"
	else
		url="imap://127.0.0.1:$DV_IMAP/INBOX/;UID=1"
	fi
	curl -sS --max-time 10 --interface "$CLIENT_IP" -u "$2" \
		--login-options AUTH=CRAM-MD5 "$url"
}

authz_users() {
	DV_USERS="alice:{PLAIN}alice-pw
bob:{PLAIN}bob-pw
mallory:{PLAIN}mallory-pw
ntonly:$(ntlm_hash ntonly-pw)"
}

# authz_mail: INBOXes, and in bob's mailbox a folder only alice may read.
authz_mail() {
	local user secret
	for user in alice bob mallory; do
		add_mail "$user" "hello $user"
	done
	secret=$DV_DIR/home/bob/Maildir/.Secret
	mkdir -p "$secret/new" "$secret/cur" "$secret/tmp"
	printf 'Subject: secret\r\n\r\nfor alice only\r\n' \
		> "$secret/new/1.secret"
	# the owner has rights without an entry: take them away
	printf -- '-owner lrwstipekxa\nuser=alice lrs\n' > "$secret/dovecot-acl"
	chown -R 65534:65534 "$DV_DIR/home/bob"
}

# authz_chain FIRST MASTER: the documented delegate chain; with FIRST
# yes an ordinary (return-ok) passdb before it, with MASTER yes the
# master passdb after it.
authz_chain() {
	local first= master=
	if [ "$DV_SYNTAX" = 2.4 ]; then
		authz_chain_24 "$@"
		return
	fi
	[ "$1" = yes ] && first="passdb {
  driver = passwd-file
  args = $DV_WORK_DIR/users
}"
	[ "$2" = yes ] && master="passdb {
  driver = passwd-file
  args = $DV_WORK_DIR/users
  master = yes
  pass = yes
}"
	DV_PASSDB="$first
passdb {
  driver = delegate
  args = map=$DV_WORK_DIR/delegates domains=EXAMPLE,example.com
}
passdb {
  driver = passwd-file
  args = $DV_WORK_DIR/users
  result_success = continue-ok
}
$master"
}

# The same chain in 2.4 syntax: named passdbs, the delegate passdb's
# settings in its block, result_success = continue for the master passdb
# (2.4 has no pass = yes).
authz_chain_24() {
	local first= master=
	[ "$1" = yes ] && first="passdb first {
  driver = passwd-file
  passwd_file_path = $DV_WORK_DIR/users
}"
	[ "$2" = yes ] && master="passdb masters {
  driver = passwd-file
  passwd_file_path = $DV_WORK_DIR/users
  master = yes
  result_success = continue
}"
	DV_PASSDB="$first
passdb delegate {
  map = $DV_WORK_DIR/delegates
  domains = EXAMPLE,example.com
}
passdb users {
  driver = passwd-file
  passwd_file_path = $DV_WORK_DIR/users
  result_success = continue-ok
}
$master"
}

AUTHZ_EXTRA='auth_mechanisms = plain login ntlm cram-md5
auth_master_user_separator = *
auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/*
mail_plugins = acl
plugin {
  acl = vfile
}'
# 2.4: mail_plugins is a list, the ACL driver a setting of its own. Its
# default acl_user = %{master_user} is empty in 2.4.1's and 2.4.5's mail
# processes (measured: "acl: acl username = bob" for a master login with
# master_user=alice in the userdb reply), so the ACL would decide by the
# session's user; %{auth_user} is the master user of a master login and
# the user otherwise, which is what 2.3's default gives. The users'
# {PLAIN} passwords are not weak; ntonly's {NTLM} is used by NTLM only.
if [ "$DV_SYNTAX" = 2.4 ]; then
	AUTHZ_EXTRA='auth_mechanisms = plain login ntlm cram-md5
auth_master_user_separator = *
auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/*
mail_plugins {
  acl = yes
}
acl_driver = vfile
acl_user = %{auth_user}'
fi

# authz_start NAME: DV_WORK_DIR is the directory dv_start will use, so
# that the passdb blocks can name files in it before it exists.
authz_start() {
	DV_WORK_DIR=$WORK/$1
	mkdir -p "$DV_WORK_DIR"
	printf 'bob: alice\n' > "$DV_WORK_DIR/delegates"
	chmod 0644 "$DV_WORK_DIR/delegates"
}

# --- 1. NTLM and CRAM-MD5 with user*master --------------------------

echo "== authorisation: master-user names over credentials mechanisms"
authz_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
authz_start authz-master
authz_chain no yes
DV_EXTRA=$AUTHZ_EXTRA
if dv_start authz-master; then
	authz_mail
	run py_login imap alice-pw EXAMPLE/alice/bob --mailbox Secret
	expect "imap: control: delegate alice reads bob's Secret (ACL by master_user)" \
		ok "^S: a2 OK" "delegate access granted: master_user=alice user=bob"
	run py_ntlm imap bob-pw --user bob --domain EXAMPLE --mailbox Secret
	expect "imap: control: bob himself may not read his Secret folder" \
		ok "^S: a2 NO"
	run py_login imap alice-pw 'bob*alice' --mailbox Secret
	expect "imap: control: PLAIN bob*alice with alice's password reads Secret" \
		ok "^S: a2 OK" "delegate access granted"
	run py_login imap bob-pw 'bob*alice'
	expect "imap: PLAIN bob*alice with bob's password refused" 1 \
		"AUTH-FAILED"
	for p in pop3 imap; do
		run py_ntlm $p bob-pw --user 'bob*alice' --domain EXAMPLE \
			--mailbox Secret
		expect "$p: NTLMv2 bob*alice with bob's password refused (no master_user=alice)" \
			1 "AUTH-FAILED" \
			"user name contains the master user separator"
		run py_ntlm $p alice-pw --user 'bob*alice' --domain EXAMPLE
		expect "$p: NTLMv2 bob*alice with alice's password refused too" \
			1 "AUTH-FAILED" \
			"user name contains the master user separator"
		run curl_cram $p 'bob*alice:bob-pw'
		expect "$p: CRAM-MD5 bob*alice with bob's password refused" fail \
			"" "master logins need a plaintext mechanism"
		run curl_cram $p 'bob:bob-pw'
		expect "$p: control: CRAM-MD5 bob logs in" ok "hello bob"
	done
	run curl_ntlm imap 'EXAMPLE\alice:alice-pw'
	expect "imap: control: plain NTLM login unaffected" ok "hello alice"
fi
dv_stop

# --- 2. a passdb before the delegate passdb ---------------------------

echo "== authorisation: a passdb before the delegate passdb"
authz_users
authz_start authz-before-master
authz_chain yes yes
DV_EXTRA=$AUTHZ_EXTRA
if dv_start authz-before-master; then
	authz_mail
	# the auth process refuses to start: logins get no answer or a
	# temporary failure, never bob's mailbox
	run py_login pop3 mallory-pw EXAMPLE/mallory/bob
	expect "pop3: USER EXAMPLE/mallory/bob refused (with master passdbs auth refuses to start)" \
		fail
	grep -q "MAIL: hello bob" "$OUT" && fail "pop3: mallory got bob's mail"
	run py_login imap mallory-pw mallory --authzid bob --sasl PLAIN
	expect "imap: PLAIN authcid mallory authzid bob refused" fail
	grep -q "MAIL: hello bob" "$OUT" && fail "imap: mallory got bob's mail"
	expect_in_log "auth start refused, the log names the passdb before the delegate passdb" \
		"Fatal: passdb delegate: passdb #1 \(driver passwd-file\) is listed before the delegate passdb"
fi
dv_stop

authz_users
authz_start authz-before
authz_chain yes no
DV_EXTRA=$AUTHZ_EXTRA
if dv_start authz-before; then
	authz_mail
	run py_login pop3 mallory-pw EXAMPLE/mallory/bob
	expect "pop3: no master passdb: USER EXAMPLE/mallory/bob refused per attempt" \
		1 "AUTH-FAILED" "is listed before the delegate passdb"
	run py_login imap alice-pw EXAMPLE/alice/bob
	expect "imap: ... a granted delegate is refused as well (the map would not decide)" \
		1 "AUTH-FAILED" "passdb chain misconfigured"
	run py_login pop3 alice-pw alice
	expect "pop3: ordinary logins still work with that chain" ok \
		"MAIL: hello alice"
	expect_in_log "the chain error is logged at start" \
		"Error: passdb delegate: passdb #1 .*listed before the delegate passdb.*delegate logins are refused"
fi
dv_stop

# The same chain with the master passdb only in "protocol pop3 { }":
# Dovecot gives POP3 an auth of its own (the global passdbs, then the
# protocol's), and the map must decide there too.
# authz_pop3_masters [SETTING]: a "protocol pop3 { }" block with the
# master passdb (and SETTING), in DV_SYNTAX's syntax.
authz_pop3_masters() {
	if [ "$DV_SYNTAX" = 2.4 ]; then
		printf 'protocol pop3 {\n%s\n  passdb masters {\n    driver = passwd-file\n    passwd_file_path = %s\n    master = yes\n    result_success = continue\n  }\n}\n' \
			"${1:-}" "$DV_WORK_DIR/users"
	else
		printf 'protocol pop3 {\n%s\n  passdb {\n    driver = passwd-file\n    args = %s\n    master = yes\n    pass = yes\n  }\n}\n' \
			"${1:-}" "$DV_WORK_DIR/users"
	fi
}

authz_users
authz_start authz-before-proto
authz_chain yes no
DV_EXTRA="$AUTHZ_EXTRA
$(authz_pop3_masters)"
if dv_start authz-before-proto; then
	authz_mail
	run py_login pop3 mallory-pw mallory --authzid bob --sasl PLAIN
	expect "pop3: master passdb in protocol pop3: PLAIN authcid mallory authzid bob refused" \
		fail
	# "Logged in": the session is bob's even where the mailbox then
	# fails to open
	grep -Eq "MAIL: hello bob|Logged in" "$OUT" &&
		fail "pop3: mallory logged in as bob (protocol pop3 master passdb)"
	run py_login pop3 mallory-pw EXAMPLE/mallory/bob
	expect "pop3: master passdb in protocol pop3: USER EXAMPLE/mallory/bob refused" \
		fail
	grep -Eq "MAIL: hello bob|Logged in" "$OUT" &&
		fail "pop3: mallory logged in as bob (protocol pop3 master passdb)"
	expect_in_log "auth start refused, the log names protocol pop3's chain" \
		"Fatal: passdb delegate: .*pop3.*passdb #1 \(driver passwd-file\) is listed before the delegate passdb"
fi
dv_stop

# The documented chain (delegate passdb first) with the master passdb in
# "protocol pop3 { }": on 2.4 POP3's auth has its own instance of the
# delegate passdb, which must know itself there (before, the start-up
# check took it for a passdb listed before the delegate passdb and ended
# the auth process). The map decides in both auths. No ACL plugin here:
# the delegate is to read the principal's INBOX.
authz_users
authz_start authz-proto-ok
authz_chain no no
authz_noacl=$(printf '%s\n' "$AUTHZ_EXTRA" | head -n 3)
DV_EXTRA="$authz_noacl
$(authz_pop3_masters "  mail_max_userip_connections = 20")"
if dv_start authz-proto-ok; then
	authz_mail
	run py_login pop3 alice-pw EXAMPLE/alice/bob
	expect "pop3: protocol block: granted delegate alice opens bob's mailbox" \
		ok "MAIL: hello bob" "delegate access granted: master_user=alice user=bob"
	run py_login pop3 mallory-pw EXAMPLE/mallory/bob
	expect "pop3: protocol block: ungranted delegate mallory refused" \
		1 "AUTH-FAILED"
	grep -q "MAIL: hello bob" "$OUT" &&
		fail "pop3: protocol block: mallory got bob's mail"
	run py_login pop3 mallory-pw mallory --authzid bob --sasl PLAIN
	expect "pop3: protocol block: PLAIN authcid mallory authzid bob refused" \
		fail
	run py_login pop3 alice-pw alice
	expect "pop3: protocol block: ordinary login" ok "MAIL: hello alice"
	if grep -Eq "Fatal|passdb chain misconfigured|listed before the delegate" \
		"$DV_DIR/dovecot.log"; then
		fail "protocol block: the delegate passdb refused its own chain"
	else
		pass "protocol block: the delegate passdb accepts its chain in every auth"
	fi
fi
dv_stop

# A deny passdb, listed first as Dovecot's examples do: it sees the
# login name (EXAMPLE/alice/bob) and, after the master login, the
# principal, never the delegate. A denied user must not get in as
# anyone's delegate.
authz_deny_chain() {
	local deny="passdb {
  driver = passwd-file
  deny = yes
  args = $DV_WORK_DIR/denied
}"
	if [ "$DV_SYNTAX" = 2.4 ]; then
		authz_deny_chain_24 "$@"
		return
	fi
	authz_chain no yes
	if [ "$1" = first ]; then
		DV_PASSDB="$deny
$DV_PASSDB"
	else
		# right after the delegate passdb: it sees the delegate
		# before the users passdb verifies the delegate's password
		# (after which Dovecot restarts the chain for the principal)
		DV_PASSDB="passdb {
  driver = delegate
  args = map=$DV_WORK_DIR/delegates domains=EXAMPLE,example.com
}
$deny
passdb {
  driver = passwd-file
  args = $DV_WORK_DIR/users
  result_success = continue-ok
}
passdb {
  driver = passwd-file
  args = $DV_WORK_DIR/users
  master = yes
  pass = yes
}"
	fi
	printf 'alice\n' > "$DV_WORK_DIR/denied"
	chmod 0644 "$DV_WORK_DIR/denied"
}

# The same two chains in 2.4 syntax (named passdbs, the delegate
# passdb's settings in its block, result_success = continue for the
# master passdb).
authz_deny_chain_24() {
	local deny="passdb denied {
  driver = passwd-file
  deny = yes
  passwd_file_path = $DV_WORK_DIR/denied
}"
	authz_chain no yes
	if [ "$1" = first ]; then
		DV_PASSDB="$deny
$DV_PASSDB"
	else
		DV_PASSDB="passdb delegate {
  map = $DV_WORK_DIR/delegates
  domains = EXAMPLE,example.com
}
$deny
passdb users {
  driver = passwd-file
  passwd_file_path = $DV_WORK_DIR/users
  result_success = continue-ok
}
passdb masters {
  driver = passwd-file
  passwd_file_path = $DV_WORK_DIR/users
  master = yes
  result_success = continue
}"
	fi
	printf 'alice\n' > "$DV_WORK_DIR/denied"
	chmod 0644 "$DV_WORK_DIR/denied"
}

authz_users
authz_start authz-deny-first
authz_deny_chain first
DV_EXTRA=$AUTHZ_EXTRA
if dv_start authz-deny-first; then
	authz_mail
	run py_login pop3 alice-pw alice
	expect "pop3: control: alice is on the deny list" fail "" \
		"User found from deny passdb"
	run py_login pop3 alice-pw EXAMPLE/alice/bob
	expect "pop3: deny passdb first: denied alice refused as bob's delegate" \
		fail "" "passdb chain misconfigured"
	grep -Eq "MAIL: hello bob|Logged in" "$OUT" &&
		fail "pop3: denied alice logged in as bob (USER EXAMPLE/alice/bob)"
	run py_login pop3 alice-pw 'bob*alice'
	expect "pop3: deny passdb first: USER bob*alice refused" fail
	grep -Eq "MAIL: hello bob|Logged in" "$OUT" &&
		fail "pop3: denied alice logged in as bob (USER bob*alice)"
	run py_login imap alice-pw alice --authzid bob --sasl PLAIN
	expect "imap: deny passdb first: PLAIN authcid alice authzid bob refused" fail
	grep -Eq "MAIL: hello bob|a1 OK" "$OUT" &&
		fail "imap: denied alice logged in as bob (PLAIN authzid)"
	expect_in_log "the deny passdb before the delegate passdb is logged at start" \
		"Error: passdb delegate: passdb #1 \(driver passwd-file\) is a deny passdb listed before the delegate passdb"
fi
dv_stop

authz_users
authz_start authz-deny-after
authz_deny_chain after
DV_EXTRA=$AUTHZ_EXTRA
if dv_start authz-deny-after; then
	authz_mail
	run py_login pop3 alice-pw EXAMPLE/alice/bob
	expect "pop3: deny passdb after the delegate passdb: denied alice refused as bob's delegate" \
		fail "" "User found from deny passdb"
	grep -Eq "MAIL: hello bob|Logged in" "$OUT" &&
		fail "pop3: denied alice logged in as bob (deny passdb after)"
	run py_login pop3 bob-pw bob
	expect "pop3: deny passdb after: control: bob logs in" ok "MAIL: hello bob"
fi
dv_stop

# --- 3. LM responses ----------------------------------------------------

echo "== LM responses (ntlm_allow_lm)"
authz_users
DV_PASSDB=
DV_EXTRA=
DV_NTLM_CONF="ntlm_allow_lm = yes"
if dv_start authz-lm; then
	add_mail bob "hello bob"
	for p in pop3 imap; do
		run authz_hostile $p bob bob-pw lm-genuine-response
		expect "$p: allow_lm: genuine LM response (plaintext passdb) accepted" \
			ok "PASS" "NTLM login succeeded \(variant=LM,"
		run authz_hostile $p bob bob-pw ntlmv1-response-in-lm-field
		expect "$p: allow_lm: NTLMv1 response in the LM field refused" \
			ok "PASS" "response does not match"
		run authz_hostile $p ntonly ntonly-pw lm-genuine-response-refused
		expect "$p: allow_lm: LM response for an {NTLM}-only user refused" \
			ok "PASS" "neither a \{LANMAN\} hash nor a plaintext password"
	done
	run cyrus pop3 bob-pw bob yes
	expect "cyrus-sasl pop3: LMv2 still accepted with allow_lm" ok \
		"RESULT: OK" "variant=LMv2"
fi
dv_stop

DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE"
if dv_start authz-lm-strict; then
	run authz_hostile pop3 bob bob-pw lm-genuine-response-refused
	expect "pop3: strict: genuine LM response refused" ok "PASS" \
		"LMv2 proof does not match"
	run authz_hostile imap bob bob-pw ntlmv1-response-in-lm-field
	expect "imap: strict: NTLMv1 response in the LM field refused" ok \
		"PASS"
fi
dv_stop

# --- 4. anonymous -------------------------------------------------------

echo "== anonymous NTLM (ntlm_allow_anonymous)"
authz_users
DV_NTLM_CONF="ntlm_allow_anonymous = yes"
DV_EXTRA="auth_anonymous_username = guest"
if dv_start authz-anon; then
	add_mail guest "hello guest"
	for p in pop3 imap; do
		run authz_hostile $p x x anonymous-login
		expect "$p: allow_anonymous: anonymous logs in as auth_anonymous_username" \
			ok "PASS" "NTLM anonymous login as guest"
	done
	new_log | grep -q 'imap(guest)' && pass "imap: the session is guest's" ||
		fail "imap: the session is guest's (no imap(guest) log line)"
fi
dv_stop

DV_EXTRA="auth_anonymous_username ="
if dv_start authz-anon-empty; then
	run authz_hostile pop3 x x anonymous-login-refused
	expect "pop3: allow_anonymous with an empty auth_anonymous_username refused" \
		ok "PASS" "auth_anonymous_username is empty"
fi
dv_stop

DV_NTLM_CONF=
DV_EXTRA=
if dv_start authz-anon-default; then
	run authz_hostile imap x x anonymous-login-refused
	expect "imap: anonymous refused by default" ok "PASS" \
		"ntlm_allow_anonymous"
fi
dv_stop
