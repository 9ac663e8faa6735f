# The complete configurations of doc/ (one per Dovecot syntax), as an
# operator would copy them: the example for the Dovecot under test is
# started with only its paths, addresses and ports moved into the test
# instance (sed below; nothing else is changed), and real clients log in
# with NTLM and as a delegate over STARTTLS, as the example requires TLS.

echo "== doc/example-dovecot-$DV_SYNTAX.conf"
example=$HERE/../../doc/example-dovecot-$DV_SYNTAX.conf
DV_DIR=$WORK/example
DV_POP3=$PORT_BASE
DV_IMAP=$((PORT_BASE + 1))
PORT_BASE=$((PORT_BASE + 10))
mkdir -p "$DV_DIR/run" "$DV_DIR/home" "$DV_DIR/private"
chown 65534:65534 "$DV_DIR/home"
if [ ! -r "$example" ]; then
	fail "example: $example missing"
elif ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-nodes -keyout "$DV_DIR/private/dovecot.key" \
	-out "$DV_DIR/private/dovecot.pem" -days 2 -subj "/CN=localhost" \
	> "$DV_DIR/openssl.log" 2>&1; then
	fail "example: cannot make a certificate"
else
	printf '%s\n' "alice:$(ntlm_hash secret)" "bob:{PLAIN}hunter2" \
		> "$DV_DIR/users"
	printf 'bob: alice\n' > "$DV_DIR/delegates"
	printf 'ntlm_netbios_domain = EXAMPLE\nntlm_dns_domain = example.com\n' \
		> "$DV_DIR/dovecot-ntlm.conf"
	sed -e "s|/etc/dovecot/|$DV_DIR/|g" \
	    -e "s|/var/vmail|$DV_DIR/home|g" \
	    -e "s|=vmail|=65534|g; s|= vmail|= 65534|g" \
	    -e "s|^listen = .*|listen = 127.0.0.1|" \
	    -e "s|^protocols = .*|protocols = imap pop3|" \
	    "$example" > "$DV_DIR/dovecot.conf"
	cat >> "$DV_DIR/dovecot.conf" <<EOC
# --- the test instance: its own directories and ports ---
base_dir = $DV_DIR/run
state_dir = $DV_DIR/state
log_path = $DV_DIR/dovecot.log
instance_name = dovecot-ntlm-example
auth_failure_delay = 0
$(dv_listeners)
EOC
	if dv_launch example; then
		add_mail alice "hello alice"
		add_mail bob "hello bob"
		for p in pop3 imap; do
			run curl_ntlm $p 'EXAMPLE\alice:secret' --ssl-reqd -k
			expect "example $p: NTLMv2 login over STARTTLS" ok \
				"hello alice"
			run curl_ntlm $p 'EXAMPLE\alice:wrong' --ssl-reqd -k
			expect "example $p: NTLM wrong password refused" fail
			run curl_ntlm $p 'EXAMPLE/alice/bob:secret' --ssl-reqd -k \
				--login-options AUTH=PLAIN
			expect "example $p: delegate EXAMPLE/alice/bob opens bob's mailbox" \
				ok "hello bob" "delegate access granted: master_user=alice user=bob"
		done
		run curl_ntlm pop3 'EXAMPLE\alice:secret'
		expect "example: no login without TLS (ssl = required)" fail
	fi
	dv_stop
fi
