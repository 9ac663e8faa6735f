# NTLM relay defence over TLS (issue 15): channel binding to the server
# certificate (ntlm_channel_binding, ntlm_channel_binding_certs) and the
# target-name check (ntlm_target_names), with python3-ntlm-auth sending
# the binding (cbt_data) over STARTTLS and implicit TLS against the
# suite's test CA, on POP3, IMAP and SMTP submission. Sourced by run.sh.

relay_tls=$WORK/test-tls
test_certs "$relay_tls" || fail "relay: cannot make the test certificates"

# relay_start NAME: an instance with DV_NTLM_CONF, TLS, the
# implicit-TLS listeners and submission (dv_submission_start).
relay_start() {
	dv_submission_start "$1" "$relay_tls"
}

# cb PROTO PORT-KIND ARGS...: python3-ntlm-auth as alice over PROTO on
# the plaintext port (plain), with STARTTLS (starttls) or on the
# implicit-TLS port (tls).
cb() {
	local proto=$1 kind=$2 port
	shift 2
	case $proto in
	pop3) [ "$kind" = tls ] && port=$DV_POP3S || port=$DV_POP3 ;;
	imap) [ "$kind" = tls ] && port=$DV_IMAPS || port=$DV_IMAP ;;
	smtp) port=$DV_SUB ;;
	esac
	case $kind in
	tls) set -- --tls --cafile "$relay_tls/ca.pem" "$@" ;;
	starttls) set -- --starttls --cafile "$relay_tls/ca.pem" "$@" ;;
	esac
	NTLM_PASSWORD=secret OPENSSL_CONF=$OPENSSL_LEGACY_CONF \
		$CLIENT ntlm "--$proto" "$port" --user alice --domain EXAMPLE \
		"$@"
}

echo "== relay defence: ntlm_channel_binding = required"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com
ntlm_channel_binding = required
ntlm_channel_binding_certs = $relay_tls/server.pem
ntlm_target_names = pop/localhost imap/localhost, smtp/localhost"
relay_start cb-required
run cb pop3 starttls --cbt auto
expect_in_log "required: start-up says what it binds to" \
	"ntlm_channel_binding = required, bound to 1 certificate"
for p in pop3 imap; do
	for k in starttls tls; do
		run cb $p $k --cbt auto
		expect "cb $p $k: correct binding accepted under required" ok \
			"RESULT: OK" "NTLM login succeeded.*channel binding verified"
		run cb $p $k
		expect "cb $p $k: missing binding refused" 1 "AUTH-FAILED" \
			"no channel binding in the response"
		run cb $p $k --cbt zero
		expect "cb $p $k: zero binding refused" 1 "AUTH-FAILED" \
			"no channel binding in the response"
		run cb $p $k --cbt "cert:$relay_tls/other.pem"
		expect "cb $p $k: relay (AUTHENTICATE bound to another server's certificate) refused" \
			1 "AUTH-FAILED" \
			"channel binding does not match this server's certificate"
		[ $p = pop3 ] && tn=pop/localhost || tn=imap/localhost
		run cb $p $k --cbt auto --target-name "$tn"
		expect "target $p $k: accepted target name $tn" ok "RESULT: OK" \
			"channel binding verified, target name accepted"
		run cb $p $k --cbt auto --target-name "cifs/fileserver.example.com"
		expect "target $p $k: foreign target name refused (relay from another service)" \
			1 "AUTH-FAILED" "MsvAvTargetName is not one of ntlm_target_names"
	done
	run cb $p plain
	expect "cb $p: plaintext NTLM refused under required" 1 "" \
		"NTLM refused on a connection without TLS"
	run cb $p plain --cbt "cert:$relay_tls/server.pem"
	expect "cb $p: relay of a TLS-bound exchange onto plaintext refused" 1 "" \
		"NTLM refused on a connection without TLS"
	run curl_ntlm $p 'EXAMPLE\alice:secret'
	expect "curl $p: plaintext NTLM refused under required" fail "" \
		"without TLS"
	run curl_ntlm $p 'EXAMPLE\alice:secret' --ssl-reqd \
		--cacert "$relay_tls/ca.pem"
	expect "curl $p STARTTLS: no binding (curl sends none) refused under required" \
		fail "" "no channel binding in the response"
done
run cb smtp starttls --cbt auto --target-name smtp/localhost
expect "cb smtp starttls: correct binding and target name accepted" ok \
	"RESULT: OK" "channel binding verified, target name accepted"
run cb smtp starttls
expect "cb smtp starttls: missing binding refused" 1 "AUTH-FAILED" \
	"no channel binding in the response"
run cb smtp starttls --cbt "cert:$relay_tls/other.pem"
expect "cb smtp starttls: relay (another certificate) refused" 1 \
	"AUTH-FAILED" "does not match this server's certificate"
run cb smtp plain
expect "cb smtp: plaintext NTLM refused under required" 1 "" \
	"without TLS"

# dovecot-ntlm-probe binds to the certificate it got and names the
# service (pop/HOST, imap/HOST, smtp/HOST) whenever it speaks TLS
relay_probe() {
	NTLM_PASSWORD=secret "$PROBE" --source "$CLIENT_IP" --user alice \
		--domain EXAMPLE --cafile "$relay_tls/ca.pem" "$@"
}
run relay_probe --pop3 "localhost:$DV_POP3" --starttls
expect "probe pop3 starttls: binding and target name pop/localhost accepted" \
	0 "channel binding: tls-server-end-point" \
	"channel binding verified, target name accepted"
grep -q 'target name (MsvAvTargetName): "pop/localhost"' "$OUT" ||
	fail "probe pop3 starttls: the target name sent is not reported"
run relay_probe --imap "localhost:$DV_IMAPS" --tls
expect "probe imap tls: binding and target name imap/localhost accepted" \
	0 "logged in as" "channel binding verified, target name accepted"
run relay_probe --smtp "localhost:$DV_SUB" --starttls
expect "probe smtp starttls: binding and target name smtp/localhost accepted" \
	0 "logged in as" "channel binding verified, target name accepted"
run relay_probe --imap "localhost:$DV_IMAP" --starttls --no-channel-binding
expect "probe imap starttls --no-channel-binding: refused, and says why it may be" \
	1 "No channel binding was sent: a server with ntlm_channel_binding = required" \
	"no channel binding in the response"
run relay_probe --pop3 "localhost:$DV_POP3S" --tls \
	--target-name cifs/fileserver.example.com
expect "probe pop3 tls --target-name foreign: refused" 1 \
	"not listing the target name \(ntlm_target_names\)" \
	"MsvAvTargetName is not one of"
run sh -c 'NTLM_PASSWORD=secret "$1" --source "$2" --user alice \
	--domain EXAMPLE --pop3 "localhost:$3"' sh "$PROBE" "$CLIENT_IP" "$DV_POP3"
expect "probe pop3 plaintext: refused under required, and says TLS is needed" \
	fail "ntlm_channel_binding = required refuses NTLM" "without TLS"
dv_submission_stop

echo "== relay defence: ntlm_channel_binding = when-present"
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com
ntlm_channel_binding = when-present
ntlm_channel_binding_certs = $relay_tls/other.pem $relay_tls/server.pem"
relay_start cb-when-present
run cb imap plain
expect "when-present imap: plaintext without binding accepted" ok "RESULT: OK"
run curl_ntlm pop3 'EXAMPLE\alice:secret' --ssl-reqd \
	--cacert "$relay_tls/ca.pem"
expect "when-present curl pop3 STARTTLS: no binding accepted" ok \
	"hello alice"
for k in starttls tls; do
	run cb imap $k --cbt auto
	expect "when-present imap $k: correct binding verified" ok \
		"RESULT: OK" "channel binding verified"
	run cb imap $k --cbt zero
	expect "when-present imap $k: zero binding is no binding, accepted" \
		ok "RESULT: OK"
done
# both files are ours (an SNI setup): a binding to either matches
run cb pop3 tls --cbt "cert:$relay_tls/other.pem"
expect "when-present pop3 tls: binding to the second configured certificate accepted" \
	ok "RESULT: OK" "channel binding verified"
run cb pop3 plain --cbt "cert:$relay_tls/server.pem"
expect "when-present pop3: TLS binding relayed onto plaintext refused" 1 \
	"AUTH-FAILED" "channel binding sent on a connection without TLS"
dv_submission_stop

echo "== relay defence: only our certificate, when-present"
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_channel_binding = when-present
ntlm_channel_binding_certs = $relay_tls/server.pem"
relay_start cb-when-present-one
run cb pop3 starttls --cbt "cert:$relay_tls/other.pem"
expect "when-present pop3 starttls: relay (another certificate) refused" \
	1 "AUTH-FAILED" "does not match this server's certificate"
run cb imap tls --cbt auto
expect "when-present imap tls: correct binding accepted" ok "RESULT: OK" \
	"channel binding verified"
dv_submission_stop

echo "== relay defence: ntlm_target_names alone (no TLS needed)"
# gss-ntlmssp names the GSS target (pop@localhost, imap@localhost) in
# MsvAvTargetName: an initiator independent of ours sending a target name
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com
ntlm_target_names = imap/localhost"
relay_start target-only
run sh -c 'NTLM_PASSWORD=secret $1 $2 --imap "$3" --user alice --domain EXAMPLE' \
	sh "$PY" "$HERE/gss-ntlm-client.py" "$DV_IMAP"
expect "gss-ntlmssp imap: its target name imap/localhost accepted" ok \
	"MAIL: " "target name accepted"
run sh -c 'NTLM_PASSWORD=secret $1 $2 --pop3 "$3" --user alice --domain EXAMPLE' \
	sh "$PY" "$HERE/gss-ntlm-client.py" "$DV_POP3"
expect "gss-ntlmssp pop3: target name pop/localhost not listed, refused" 1 \
	"" "MsvAvTargetName is not one of ntlm_target_names"
run cb pop3 plain
expect "target names: a client that names no target is accepted" ok \
	"RESULT: OK"
run cb pop3 plain --target-name "HTTP/intranet.example.com"
expect "target names: relay from a web server's SPN refused" 1 \
	"AUTH-FAILED" "MsvAvTargetName is not one of ntlm_target_names"
dv_submission_stop

echo "== relay defence: configuration errors"
DV_NTLM_CONF="ntlm_channel_binding = required
ntlm_channel_binding_certs = $relay_tls/missing.pem"
relay_start cb-unreadable
run cb pop3 starttls --cbt auto
expect "unreadable ntlm_channel_binding_certs: no login" fail ""
expect_in_log "unreadable ntlm_channel_binding_certs: the error names the file" \
	"ntlm_channel_binding_certs: open\(.*missing\.pem\) failed"
dv_submission_stop
DV_NTLM_CONF="ntlm_channel_binding = required"
relay_start cb-no-certs
run cb pop3 starttls --cbt auto
expect "required without certificates: no login" fail ""
expect_in_log "required without certificates: the error says what is missing" \
	"ntlm_channel_binding = required needs ntlm_channel_binding_certs"
dv_submission_stop
printf 'not a certificate\n' > "$WORK/not-a-cert.pem"
DV_NTLM_CONF="ntlm_channel_binding = when-present
ntlm_channel_binding_certs = $WORK/not-a-cert.pem"
relay_start cb-not-pem
run cb pop3 starttls --cbt auto
expect "a file without a certificate: no login" fail ""
expect_in_log "a file without a certificate: the error names the file" \
	"not-a-cert\.pem: no PEM certificate"
dv_submission_stop
DV_NTLM_CONF=
