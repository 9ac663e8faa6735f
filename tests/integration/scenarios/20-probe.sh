# dovecot-ntlm-probe, the operator's client, against real Dovecot
# instances: every verdict and its exit code, POP3 and IMAP, STARTTLS
# against a test CA; its decode subcommand on the [MS-OXPOP3] 4.1
# messages and on malformed input; and lint of the man pages.
# Sourced by run.sh, which sets PROBE to the built tool.

# probe PASSWORD ARGS...: the password through the environment, from this
# check's own loopback address.
probe() {
	local pw=$1
	shift
	NTLM_PASSWORD=$pw probe_here "$@"
}

# probe_here ARGS...: the probe from this check's own loopback address
# (CLIENT_IP is run()'s, so it is read when the check runs).
probe_here() {
	"$PROBE" --source "$CLIENT_IP" "$@"
}

# A throw-away CA and a server certificate for 127.0.0.1 and localhost.
probe_tls=$WORK/probe-tls
mkdir -p "$probe_tls"
if ! (cd "$probe_tls" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout ca.key -out ca.pem -days 2 \
		-subj "/CN=dovecot-ntlm test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" &&
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout server.key -out server.csr \
		-subj "/CN=localhost" &&
	printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		"basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" \
		> server.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		-CAcreateserial -days 2 -extfile server.ext -out server.pem
	) > "$probe_tls/openssl.log" 2>&1; then
	fail "probe: cannot make the test certificates"
	sed 's/^/    | /' "$probe_tls/openssl.log" | tail -n 8
fi

echo "== dovecot-ntlm-probe"
standard_users
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
if [ "$DV_SYNTAX" = 2.4 ]; then
	DV_EXTRA="ssl = yes
ssl_server_cert_file = $probe_tls/server.pem
ssl_server_key_file = $probe_tls/server.key"
else
	DV_EXTRA="ssl = yes
ssl_cert = <$probe_tls/server.pem
ssl_key = <$probe_tls/server.key"
fi
dv_start probe && standard_mail

for p in pop3 imap; do
	[ $p = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	run probe secret --$p "127.0.0.1:$port" --user alice --domain EXAMPLE
	expect "probe $p: NTLMv2 login, exit 0" 0 \
		"^verdict: logged in as EXAMPLE.alice with NTLMv2 \(exit 0\)" \
		"NTLM login succeeded \(variant=NTLMv2.*MIC verified"
	if [ $p = pop3 ]; then
		grep -q "^  AUTH: lists NTLM" "$OUT" &&
			grep -q "^  CAPA: SASL lists NTLM" "$OUT" ||
			fail "probe pop3: CAPA and AUTH listings not reported"
	else
		grep -q "^  CAPABILITY: lists AUTH=NTLM" "$OUT" ||
			fail "probe imap: CAPABILITY listing not reported"
	fi
	# the decoded CHALLENGE: flags by name, every AV pair, the clock
	# skew, the VERSION; what was sent only by its length
	for re in "NEGOTIATE_EXTENDED_SESSIONSECURITY" \
		'TargetName: "EXAMPLE"' 'MsvAvNbDomainName: "EXAMPLE"' \
		'MsvAvDnsDomainName: "example.com"' \
		"MsvAvTimestamp: .* UTC \(server clock [0-9.]+ s" \
		"Version: 6\.1 build 0, NTLMSSP revision 15" \
		"^C: <AUTHENTICATE: [0-9]+ bytes .*NTLMv2; NT response"; do
		grep -Eq -- "$re" "$OUT" ||
			fail "probe $p: the account lacks /$re/"
	done
	if grep -Eq "secret|$(ntlm_hash secret | sed 's/{NTLM}//')|TlRMTVNT" \
		"$OUT"; then
		fail "probe $p: password, hash or an NTLM message printed"
	fi

	run probe wrong --$p "127.0.0.1:$port" --user alice --domain EXAMPLE
	expect "probe $p: wrong password, exit 1" 1 \
		"^verdict: credentials refused \(exit 1\)" \
		"NTLMv2 proof does not match"

	run probe secret --$p "127.0.0.1:$port" --user alice \
		--domain EXAMPLE --variant v1
	expect "probe $p: --variant v1 refused by the default policy" 1 \
		"needs ntlm_allow_ntlmv1 = yes" \
		"NTLMv1 refused \(ntlm_allow_ntlmv1 = no\)"

	run probe secret --$p "127.0.0.1:$port" --user alice \
		--domain EXAMPLE --starttls --cafile "$probe_tls/ca.pem"
	expect "probe $p: STARTTLS, certificate verified with --cafile" 0 \
		"certificate verified for 127\.0\.0\.1" \
		"NTLM login succeeded"
	grep -Eq "^TLS: TLSv1\.[23], " "$OUT" ||
		fail "probe $p: STARTTLS: TLS version not reported"
	grep -q "^note: no TLS" "$OUT" &&
		fail "probe $p: STARTTLS: still says there is no TLS"
done

run probe secret --pop3 "127.0.0.1:$DV_POP3" --user alice \
	--domain EXAMPLE --variant ess
expect "probe pop3: --variant ess refused by the default policy" 1 \
	"needs ntlm_allow_ntlmv1_ess = yes" "ntlm_allow_ntlmv1_ess = no"
run probe secret --pop3 "127.0.0.1:$DV_POP3" --user alice \
	--domain EXAMPLE --variant lmv2
expect "probe pop3: --variant lmv2 accepted by the default policy" 0 \
	"logged in as EXAMPLE.alice with LMv2" "variant=LMv2"
run probe hunter2 --pop3 "127.0.0.1:$DV_POP3" --user bob --no-mic
expect "probe pop3: NTLMv2 without MIC, plaintext passdb, no domain" 0 \
	"logged in as bob with NTLMv2" "variant=NTLMv2"
run probe smith-pw --imap "127.0.0.1:$DV_IMAP" --user jsmith \
	--domain EXAMPLE
expect "probe imap: KB Q191558 account jsmith (passdb user=)" 0 \
	"logged in as EXAMPLE.jsmith" "NTLM login succeeded"

printf 'secret\n' > "$DV_DIR/probe-password"
run probe_here --pop3 "127.0.0.1:$DV_POP3" \
	--user alice --domain EXAMPLE --password-file "$DV_DIR/probe-password"
expect "probe: --password-file" 0 "logged in as EXAMPLE.alice"
run "$PROBE" --pop3 "127.0.0.1:$DV_POP3" --user alice --password secret
expect "probe: a password on the command line is refused (exit 64)" 64 \
	"no password on the command line"

run probe secret --pop3 "127.0.0.1:$DV_POP3" --user alice \
	--domain EXAMPLE --starttls
expect "probe pop3: STARTTLS with an unknown CA fails (exit 4)" 4 \
	"certificate not verified"
run probe secret --imap "localhost:$DV_IMAP" --user alice \
	--domain EXAMPLE --starttls --cafile "$probe_tls/ca.pem"
expect "probe imap: STARTTLS, host name localhost verified" 0 \
	"certificate verified for localhost"
run probe secret --pop3 "127.0.0.1:$DV_POP3" --user alice \
	--domain EXAMPLE --starttls --insecure
expect "probe pop3: --insecure logs in but says it did not check" 0 \
	"certificate NOT checked \(--insecure\)"
run probe secret --pop3 "127.0.0.1:$DV_POP3" --user alice --tls
expect "probe pop3: --tls against a plaintext port (exit 4)" 4 \
	"TLS handshake"
run probe secret --pop3 "127.0.0.1:$((DV_POP3 + 9))" --user alice
expect "probe: nothing listening (exit 4)" 4 \
	"verdict: connection or TLS error \(exit 4\)"

# SMTP: a small relay turns the probe's SMTP AUTH into POP3 AUTH against
# this Dovecot (the suite has no submission service), so the SMTP side
# of the probe meets the real mechanism.
probe_smtp_port=$((DV_POP3 + 8))
$PY - "$probe_smtp_port" "$DV_POP3" > "$DV_DIR/smtp-relay.log" 2>&1 <<'EOP' &
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(4)
srv.settimeout(60)
print("ready", flush=True)
def serve(c, ntlm):
    f = c.makefile("rb")
    def put(s):
        c.sendall(s.encode() + b"\r\n")
    put("220 relay ESMTP")
    pop = None
    while True:
        line = f.readline().decode().rstrip("\r\n")
        if not line:
            return
        cmd = line.upper()
        if cmd.startswith("EHLO"):
            put("250-relay")
            put("250-AUTH PLAIN NTLM" if ntlm else "250-AUTH PLAIN")
            put("250 8BITMIME")
        elif cmd == "AUTH NTLM" and ntlm:
            pop = socket.create_connection(("127.0.0.1", int(sys.argv[2])))
            pf = pop.makefile("rb")
            pf.readline()
            pop.sendall(b"AUTH NTLM\r\n")
            while True:
                r = pf.readline().decode().rstrip("\r\n")
                if r.startswith("+OK"):
                    put("235 2.7.0 Authentication successful")
                    break
                if r.startswith("-ERR"):
                    put("535 5.7.8 Authentication credentials invalid")
                    break
                put("334 " + r[2:])
                pop.sendall(f.readline())
            pop.close()
        elif cmd.startswith("AUTH"):
            put("504 5.5.4 Unrecognized authentication type")
        elif cmd == "QUIT":
            put("221 2.0.0 Bye")
            return
        else:
            put("502 5.5.2 Unknown command")
for ntlm in (True, True, False):
    c, _ = srv.accept()
    serve(c, ntlm)
    c.close()
EOP
probe_smtp_pid=$!
for i in $(seq 50); do
	grep -q ready "$DV_DIR/smtp-relay.log" && break
	sleep 0.1
done
run probe secret --smtp "127.0.0.1:$probe_smtp_port" --user alice \
	--domain EXAMPLE
expect "probe smtp: EHLO, AUTH NTLM / 334, 235 (via POP3 relay)" 0 \
	"logged in as EXAMPLE.alice" "NTLM login succeeded"
grep -q "^  EHLO: AUTH lists NTLM" "$OUT" ||
	fail "probe smtp: EHLO listing not reported"
run probe wrong --smtp "127.0.0.1:$probe_smtp_port" --user alice \
	--domain EXAMPLE
expect "probe smtp: 535 is credentials refused" 1 \
	"^verdict: credentials refused"
run probe secret --smtp "127.0.0.1:$probe_smtp_port" --user alice
expect "probe smtp: 504 is NTLM not offered" 2 \
	"^verdict: NTLM not offered"
kill "$probe_smtp_pid" 2>/dev/null
wait "$probe_smtp_pid" 2>/dev/null
dv_stop

echo "== dovecot-ntlm-probe: NTLM not offered"
standard_users
DV_NTLM_CONF=
DV_EXTRA="auth_mechanisms = plain login"
dv_start probe-nontlm
for p in pop3 imap; do
	[ $p = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	run probe secret --$p "127.0.0.1:$port" --user alice --domain EXAMPLE
	expect "probe $p: NTLM not offered, exit 2" 2 \
		"^verdict: NTLM not offered: the server refused AUTH NTLM"
done
grep -q "AUTH: does not list NTLM" "$OUT" ||
	grep -q "CAPABILITY: does not list AUTH=NTLM" "$OUT" ||
	fail "probe: the listing without NTLM is not reported"
dv_stop
DV_EXTRA=

# --- decode: the [MS-OXPOP3] 4.1 messages and malformed input ----------

echo "== dovecot-ntlm-probe decode"
DV_DIR=$WORK/probe-decode
mkdir -p "$DV_DIR"
: > "$DV_DIR/dovecot.log"
oxpop3_challenge="TlRMTVNTUAACAAAAFAAUADgAAAAFgoqinziKqGYjdlEAAAAAAAAAAGQAZABM
AAAABQLODgAAAA9UAEUAUwBUAFMARQBSAFYARQBSAAIAFABUAEUAUwBUAFMA
RQBSAFYARQBSAAEAFABUAEUAUwBUAFMARQBSAFYARQBSAAQAFABUAGUAcwB0
AFMAZQByAHYAZQByAAMAFABUAGUAcwB0AFMAZQByAHYAZQByAAAAAAA="
oxpop3_authenticate="TlRMTVNTUAADAAAAGAAYAGIAAAAYABgAegAAAAAAAABIAAAACAAIAEgA
AAASABIAUAAAAAAAAACSAAAABYKIogUBKAoAAAAPdQBzAGUAcgBOAEYA
LQBDAEwASQBFAE4AVABKMiQ4djhcSgAAAAAAAAAAAAAAAAAAAAC7zUSg
B0Auy98bRi6h3mwHMJfbKNtxmmo="

run "$PROBE" decode "$OUTLOOK_NEGOTIATE"
expect "decode: [MS-OXPOP3] 4.1 NEGOTIATE" 0 \
	"Version: 5\.1 build 2600, NTLMSSP revision 15"
grep -q "^  NegotiateFlags: 0xa2088207" "$OUT" &&
	grep -q "^    NEGOTIATE_OEM$" "$OUT" ||
	fail "decode: NEGOTIATE flags not named"
run "$PROBE" decode "+ $oxpop3_challenge"
expect "decode: [MS-OXPOP3] 4.1 CHALLENGE (pasted with '+ ')" 0 \
	"ServerChallenge: 9f388aa866237651"
for re in '^  00000000: 4e 54 4c 4d 53 53 50 00 02 00 00 00 14 00 14 00' \
	'TARGET_TYPE_SERVER' 'TargetName: "TESTSERVER"' \
	'MsvAvNbComputerName: "TESTSERVER"' \
	'MsvAvDnsDomainName: "TestServer"' 'MsvAvEOL' \
	'Version: 5\.2 build 3790'; do
	grep -Eq -- "$re" "$OUT" || fail "decode: CHALLENGE lacks /$re/"
done
run sh -c 'printf "%s\n" "$1" | "$2" decode -' sh "$oxpop3_authenticate" \
	"$PROBE"
expect "decode: [MS-OXPOP3] 4.1 AUTHENTICATE from stdin" 0 \
	"Response variant: NTLMv1 with extended session security"
for re in 'UserName: "user"' 'Workstation: "NF-CLIENT"' \
	'LmChallengeResponse: 24 bytes: 4a32243876385c4a0{32}$' \
	'MIC field: none'; do
	grep -Eq -- "$re" "$OUT" || fail "decode: AUTHENTICATE lacks /$re/"
done

# malformed: every one a clear error and exit 65, never a crash
# the 4.1 CHALLENGE cut off inside its TargetName
run "$PROBE" decode "$(printf '%s' "$oxpop3_challenge" | tr -d ' \n' |
	cut -c1-100)"
expect "decode: truncated CHALLENGE (TargetInfo past the end)" 65 \
	"malformed CHALLENGE_MESSAGE: .*outside"
run "$PROBE" decode "$(printf '%s' "$oxpop3_authenticate" | tr -d ' \n' |
	cut -c1-68)"
expect "decode: truncated AUTHENTICATE" 65 \
	"malformed AUTHENTICATE_MESSAGE: .*truncated"
run "$PROBE" decode "TlRMTVNTUAACAAA"
expect "decode: truncated base64" 65 "not base64: .*truncated"
run "$PROBE" decode "TlRM!TVNTUAAB"
expect "decode: bad base64 character" 65 \
	"not base64: invalid base64 character 0x21 at offset 4"
run "$PROBE" decode "SGVsbG8sIHRoaXMgaXMgbm90IE5UTE0gYXQgYWxs"
expect "decode: wrong signature" 65 "not an NTLM message .*signature"
run "$PROBE" decode "TlRMTVNTUAAEAAAAAAAAAAAAAAAAAAAA"
expect "decode: unknown MessageType" 65 "not an NTLM message"
run sh -c ': | "$1" decode -' sh "$PROBE"
expect "decode: empty input" 65 "no input"
# AV pair whose length runs past the list (TargetInfo 8 bytes, a pair
# claiming 0x20 bytes)
bad_av=$($PY -c '
import base64, struct
info = struct.pack("<HH", 2, 0x20) + b"A\0B\0"
msg = b"NTLMSSP\0" + struct.pack("<I", 2) + struct.pack("<HHI", 0, 0, 48)
msg += struct.pack("<I", 0x00800201) + b"\x11" * 8 + b"\0" * 8
msg += struct.pack("<HHI", len(info), len(info), 48) + info
print(base64.b64encode(msg).decode())')
run "$PROBE" decode "$bad_av"
expect "decode: malformed AV pair list" 65 "malformed CHALLENGE_MESSAGE"
# C1 controls in a name (U+009B is CSI): escaped like C0, never written
# raw to the terminal
c1_user=$($PY -c '
import base64, struct
user = "ev\u009b[2Jil\u0085x".encode("utf-16-le")
fields, desc, payload = [b"", b"", b"", user, b"", b""], b"", b""
for f in fields:
    desc += struct.pack("<HHI", len(f), len(f), 64 + len(payload))
    payload += f
msg = b"NTLMSSP\0" + struct.pack("<I", 3) + desc
msg += struct.pack("<I", 0x00000201) + payload
print(base64.b64encode(msg).decode())')
run sh -c '"$1" decode "$2" && ! "$1" decode "$2" | LC_ALL=C grep -q "$(printf "\302[\200-\237]")"' \
	sh "$PROBE" "$c1_user"
expect "decode: C1 control characters in a name are escaped" 0 \
	'UserName: "ev\\u009b\[2Jil\\u0085x"'

# every file of the fuzzing corpus: a verdict (0 or 65), never a crash
run sh -c 'bad=0
	for f in "$1"/*/*; do
		base64 -w0 "$f" | "$2" decode - >/dev/null 2>&1
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 65 ]; then
			echo "exit $rc on $f"
			bad=1
		fi
	done
	exit $bad' sh "$HERE/../fuzz/corpus" "$PROBE"
expect "decode: the whole fuzzing corpus, exit 0 or 65 only" 0

# --- man pages ------------------------------------------------------

echo "== man pages"
probe_doc=$HERE/../../doc
# quiet: run CMD... and fail when it exits non-zero or prints anything.
quiet() {
	local out rc
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ "$rc" -eq 0 ] && [ -z "$out" ]
}
for page in dovecot-ntlm.7 dovecot-ntlm-probe.1; do
	if command -v mandoc >/dev/null; then
		run quiet mandoc -T lint -W style "$probe_doc/$page"
		expect "mandoc -T lint -W style: $page has no message" 0
	else
		fail "mandoc is not installed (scripts/install-deps.sh)"
	fi
	run quiet sh -c 'LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings \
		-E UTF-8 -l "$1" >/dev/null' sh "$probe_doc/$page"
	expect "man --warnings: $page renders without a warning" 0
	run sh -c 'MANWIDTH=80 man -E ascii -l "$1" -P cat 2>/dev/null |
		awk "length > 80 { n++ } END { exit n > 0 }"' sh \
		"$probe_doc/$page"
	expect "man: $page fits 80 columns" 0
done
