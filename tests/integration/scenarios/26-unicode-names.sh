# Non-ASCII user names over NTLMv2, POP3 and IMAP (issue 10 part 3).
#
# NTOWFv2 hashes the upper-cased user name, so client and server must
# upper-case it the same way. The server follows Windows' table
# (src/core/gen-unicode-upper.py). Two independent Unicode clients, both
# driven by the script below:
#   - python3-ntlm-auth: Python's str.upper(), Unicode's full mapping in
#     Python's Unicode version (ntlm-client.py cannot be used: see the
#     script's note on the NEGOTIATE's Unicode flag);
#   - gss-ntlmssp through python3-gssapi: libunistring's u8_toupper(),
#     the same full mapping.
# They agree with Windows on the names below, which is why these are the
# names: Vietnamese (Latin Extended Additional), Latin Extended-B (ǆ,
# whose capital is Ǆ, not titlecase ǅ), Armenian, and two Cyrillic
# letters beyond Russian (Tajik ҷ in U+0460..U+04FF; Komi ԁ in the
# Cyrillic Supplement, a Unicode 3.2 pair that Windows 8's table has and
# Samba's older one lacks). Where they disagree with Windows, the login
# must fail: both clients upper-case Georgian Mkhedruli to Mtavruli
# (Unicode 11), which Windows does not apply.
#
# curl, Cyrus SASL and fetchmail are not in this scenario: they widen the
# user name byte by byte (each UTF-8 byte becomes one UTF-16 unit) and
# upper-case ASCII only, so no Windows server can verify them either.
#
# The user names are UTF-8 in the passwd-file and in the mailbox paths;
# Dovecot checks auth_username_chars byte by byte, so the letters used
# are added to its default set.

UNI_CLIENT=$WORK/unicode-ntlm-client.py
cat > "$UNI_CLIENT" <<'EOP'
"""unicode-ntlm-client.py ntlm-auth|gss --pop3|--imap PORT DOMAIN USER

An NTLMv2 login with a UTF-8 user name, the password from $NTLM_PASSWORD,
from $CLIENT_IP, through one of two independent NTLM implementations:
  ntlm-auth  python3-ntlm-auth (NTOWFv2 upper-cases with str.upper());
  gss        gss-ntlmssp through python3-gssapi (libunistring's
             u8_toupper()).
python3-ntlm-auth 1.4.0 drops NTLMSSP_NEGOTIATE_UNICODE from the flags its
NEGOTIATE sends (NegotiateMessage, "not supported in this message") and
then writes the AUTHENTICATE strings as ASCII unless the CHALLENGE says
Unicode; a server that answers an OEM-only NEGOTIATE with OEM, as
MS-NLMP 2.2.2.5 says it must, never gets a non-ASCII name from it. The
driver puts the flag its NtlmContext asked for back into the NEGOTIATE
before it is sent (so the MIC covers what was sent); the hashing and the
upper-casing stay the library's own.
Prints the server's replies (never an NTLM message) and the first message
of the mailbox; exit 0 logged in, 1 refused, 2 any other error."""
import base64
import os
import socket
import struct
import sys

UNICODE = 0x00000001


class NtlmAuthClient:
    def __init__(self, domain, user, password):
        from ntlm_auth.ntlm import NtlmContext
        self.ctx = NtlmContext(user, password, domain=domain,
                               workstation="PYCLIENT", ntlm_compatibility=3)

    def first(self):
        self.ctx.step()
        msg = self.ctx._negotiate_message
        flags = struct.unpack("<I", msg.negotiate_flags)[0]
        msg.negotiate_flags = struct.pack("<I", flags | UNICODE)
        return msg.get_data()

    def second(self, challenge):
        return self.ctx.step(challenge)


class GssClient:
    def __init__(self, domain, user, password, service):
        import gssapi
        import gssapi.raw
        mech = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")
        name = gssapi.Name(domain + "\\" + user, gssapi.NameType.user)
        creds = gssapi.raw.acquire_cred_with_password(
            name, password.encode(), usage="initiate", mechs=[mech]).creds
        self.ctx = gssapi.SecurityContext(
            name=gssapi.Name(service + "@localhost",
                             gssapi.NameType.hostbased_service),
            creds=creds, mech=mech, usage="initiate")

    def first(self):
        return self.ctx.step()

    def second(self, challenge):
        return self.ctx.step(challenge)


class Conn:
    def __init__(self, port):
        source = os.environ.get("CLIENT_IP")
        self.sock = socket.create_connection(
            ("127.0.0.1", port), 10,
            source_address=(source, 0) if source else None)
        self.file = self.sock.makefile("rb")

    def send(self, line):
        print("C: " + line)
        self.sock.sendall(line.encode() + b"\r\n")

    def token(self, data):
        print("C: <NTLM message>")
        self.sock.sendall(base64.b64encode(data) + b"\r\n")

    def recv(self):
        line = self.file.readline()
        if not line:
            raise EOFError("connection closed")
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        print("S: " + ("+ <challenge>" if text.startswith("+ T")
                       else text))
        return text


def login(conn, client, pop3):
    conn.recv()
    conn.send("AUTH NTLM" if pop3 else "a1 AUTHENTICATE NTLM")
    if not conn.recv().startswith("+"):
        return False
    conn.token(client.first())
    reply = conn.recv()
    if not reply.startswith("+ "):
        return False
    conn.token(client.second(base64.b64decode(reply[2:])))
    reply = conn.recv()
    if pop3:
        return reply.startswith("+OK")
    while not reply.startswith("a1 "):
        reply = conn.recv()
    return reply.startswith("a1 OK")


def main():
    lib, proto, port, domain, user = sys.argv[1:6]
    password = os.environ["NTLM_PASSWORD"]
    pop3 = proto == "--pop3"
    if lib == "ntlm-auth":
        client = NtlmAuthClient(domain, user, password)
    else:
        client = GssClient(domain, user, password,
                           "pop" if pop3 else "imap")
    conn = Conn(int(port))
    if not login(conn, client, pop3):
        print("RESULT: AUTH-FAILED")
        return 1
    if pop3:
        conn.send("RETR 1")
        if conn.recv().startswith("+OK"):
            while conn.recv() != ".":
                pass
        conn.send("QUIT")
        conn.recv()
    else:
        for tag, cmd in (("a2", "SELECT INBOX"), ("a3", "FETCH 1 BODY[]"),
                         ("a4", "LOGOUT")):
            conn.send(tag + " " + cmd)
            while not conn.recv().startswith(tag + " "):
                pass
    print("RESULT: OK")
    return 0


try:
    sys.exit(main())
except Exception as e:  # a client library refusing is an error, not a login
    print("RESULT: ERROR %s: %s" % (type(e).__name__, e))
    sys.exit(2)
EOP

# uni_ntlm ntlm-auth|gss pop3|imap PASSWORD USER (domain EXAMPLE)
uni_ntlm() {
	local port
	[ "$2" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	NTLM_PASSWORD=$3 OPENSSL_CONF=$OPENSSL_LEGACY_CONF LM_COMPAT_LEVEL=3 \
		$PY "$UNI_CLIENT" "$1" "--$2" "$port" EXAMPLE "$4"
}

echo "== Unicode user names (NTLMv2, Windows upper-casing)"
# gss-ntlmssp registers itself in /etc/gss/mech.d; without it (or without
# python3-gssapi) every gss-ntlmssp check below fails, and this says why.
if ! $PY -c 'import gssapi' 2>/dev/null ||
   ! grep -qs '^gssntlmssp' /etc/gss/mech.d/*.conf; then
	fail "unicode: python3-gssapi or gss-ntlmssp is not installed"
fi

# name, password, tag for the mail. The names in the comments are what
# the clients and Windows upper-case them to.
uni_vi=nguyễn		# NGUYỄN   (U+1EC5 -> U+1EC4)
uni_lb=ǆemal		# ǄEMAL    (U+01C6 -> U+01C4)
uni_hy=աշոտ		# ԱՇՈՏ     (Armenian)
uni_tg=ҷамшед		# ҶАМШЕД   (U+04B7 -> U+04B6)
uni_kv=ԁаня		# ԀАНЯ     (U+0501 -> U+0500)
uni_ka=ნინო		# Windows: unchanged; both clients: ᲜᲘᲜᲝ (Mtavruli)

DV_USERS="$uni_vi:$(ntlm_hash pw-vi)
$uni_lb:$(ntlm_hash pw-lb)
$uni_hy:$(ntlm_hash pw-hy)
$uni_tg:$(ntlm_hash pw-tg)
$uni_kv:$(ntlm_hash pw-kv)
$uni_ka:$(ntlm_hash pw-ka)"
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
DV_EXTRA="auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@$uni_vi$uni_lb$uni_hy$uni_tg$uni_kv$uni_ka"
if dv_start unicode; then
	add_mail "$uni_vi" "hello vietnamese"
	add_mail "$uni_lb" "hello latin-ext-b"
	add_mail "$uni_hy" "hello armenian"
	add_mail "$uni_tg" "hello tajik"
	add_mail "$uni_kv" "hello komi"
	add_mail "$uni_ka" "hello georgian"
fi

for p in pop3 imap; do
	for row in "vi:vietnamese:Vietnamese" "lb:latin-ext-b:Latin Extended-B" \
		   "hy:armenian:Armenian" "tg:tajik:Cyrillic (Tajik)" \
		   "kv:komi:Cyrillic Supplement (Komi)"; do
		key=${row%%:*}
		rest=${row#*:}
		tag=${rest%%:*}
		what=${rest#*:}
		eval "user=\$uni_$key"
		run uni_ntlm ntlm-auth $p "pw-$key" "$user"
		expect "ntlm-auth $p: $what user $user, NTLMv2" ok \
			"hello $tag" "NTLM login succeeded \(variant=NTLMv2"
		run uni_ntlm gss $p "pw-$key" "$user"
		expect "gss-ntlmssp $p: $what user $user, NTLMv2" ok \
			"hello $tag" "NTLM login succeeded \(variant=NTLMv2"
	done

	run uni_ntlm ntlm-auth $p wrong "$uni_vi"
	expect "ntlm-auth $p: $uni_vi, wrong password" 1 "AUTH-FAILED" \
		"NTLMv2 proof does not match"
	run uni_ntlm gss $p wrong "$uni_hy"
	expect "gss-ntlmssp $p: $uni_hy, wrong password" 1 "AUTH-FAILED" \
		"NTLMv2 proof does not match"
	run uni_ntlm ntlm-auth $p pw-vi nguyen
	expect "ntlm-auth $p: the ASCII spelling nguyen is another user" 1 \
		"AUTH-FAILED" "unknown user"

	# Windows leaves Mkhedruli alone; clients that apply Unicode 11's
	# Mtavruli hash another name and must be refused.
	run uni_ntlm ntlm-auth $p pw-ka "$uni_ka"
	expect "ntlm-auth $p: Georgian $uni_ka upper-cased to Mtavruli is refused" \
		1 "AUTH-FAILED" "NTLMv2 proof does not match"
	run uni_ntlm gss $p pw-ka "$uni_ka"
	expect "gss-ntlmssp $p: Georgian $uni_ka upper-cased to Mtavruli is refused" \
		1 "AUTH-FAILED" "NTLMv2 proof does not match"
done
dv_stop
DV_EXTRA=
