# Non-ASCII user names over NTLMv2, POP3 and IMAP (issue 10 part 3).
#
# NTOWFv2 hashes the upper-cased user name, so client and server must
# upper-case it the same way. The server follows Windows' table
# (src/core/gen-unicode-upper.py: Windows 8's). Three independent NTLM
# clients, driven by the script below:
#   - python3-ntlm-auth: Python's str.upper(), Unicode's full mapping in
#     Python's Unicode version (ntlm-client.py cannot be used: see the
#     script's note on the NEGOTIATE's Unicode flag);
#   - gss-ntlmssp through python3-gssapi: libunistring's u8_toupper(),
#     the same full mapping (needs the CHALLENGE to grant SIGN);
#   - Samba's NTLMSSP client (python3-samba): Samba's table, which Samba
#     took from Windows NT/2000.
# All three agree with Windows 8 on Vietnamese (Latin Extended
# Additional), Latin Extended-B (ǆ, whose capital is Ǆ, not titlecase ǅ),
# Armenian and Tajik (Cyrillic beyond Russian, U+0460..U+04FF): these
# names must log in with each. Where a client disagrees with Windows 8,
# its login must fail, and the scenario says so:
#   - Komi ԁ (Cyrillic Supplement, a Unicode 3.2 pair): Windows 8, Python
#     and libunistring map it; Samba's older table does not;
#   - Georgian Mkhedruli: Python and libunistring upper-case it to
#     Mtavruli (Unicode 11), Windows and Samba do not.
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
"""unicode-ntlm-client.py CLIENT --pop3|--imap PORT DOMAIN USER

An NTLMv2 login with a UTF-8 user name, the password from $NTLM_PASSWORD,
from $CLIENT_IP, through one of three independent NTLM implementations (CLIENT):
  ntlm-auth    python3-ntlm-auth; NTOWFv2 upper-cases with str.upper();
  gss-ntlmssp  gss-ntlmssp through python3-gssapi; libunistring's
               u8_toupper();
  samba        Samba's NTLMSSP client (python3-samba, gensec); Samba's
               upper-case table, taken from Windows NT/2000.
python3-ntlm-auth 1.4.0 drops NTLMSSP_NEGOTIATE_UNICODE from the flags its
NEGOTIATE sends and then writes the AUTHENTICATE strings as ASCII unless
the CHALLENGE says Unicode; a server that answers an OEM-only NEGOTIATE
with OEM, as MS-NLMP 3.2.5.1.1 has it, never gets a non-ASCII name from
it. The driver puts the flag its NtlmContext asked for back into the
NEGOTIATE before it is sent (so the MIC covers what was sent), and works
around the library's flag arithmetic on a Unicode-only CHALLENGE (see
Challenge below); the hashing and the upper-casing stay the library's.
Prints the server's replies (never an NTLM message) and the first message
of the mailbox; exit 0 logged in, 1 refused, 2 any other error."""
import base64
import os
import socket
import struct
import sys

UNICODE = 0x00000001
OEM = 0x00000002


class NtlmAuthClient:
    def __init__(self, domain, user, password):
        import ntlm_auth.ntlm
        from ntlm_auth.messages import ChallengeMessage
        from ntlm_auth.ntlm import NtlmContext

        class Challenge(ChallengeMessage):
            # AuthenticateMessage "removes" OEM by subtracting it, which
            # sets it (and clears the bit above) when the CHALLENGE
            # granted Unicode alone, as MS-NLMP 3.2.5.1.1 has it. Seen
            # as set, the subtraction clears it. The CHALLENGE's bytes,
            # which the MIC covers, are not touched.
            def __init__(self, data):
                super().__init__(data)
                self.negotiate_flags |= OEM

        ntlm_auth.ntlm.ChallengeMessage = Challenge
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


class SambaClient:
    def __init__(self, domain, user, password):
        from samba import credentials, gensec
        from samba.param import LoadParm
        lp = LoadParm()
        lp.load("/dev/null")
        creds = credentials.Credentials()
        creds.guess(lp)
        creds.set_username(user)
        creds.set_password(password)
        creds.set_domain(domain)
        creds.set_workstation("SAMBACLIENT")
        self.ctx = gensec.Security.start_client(
            {"lp_ctx": lp, "target_hostname": "localhost"})
        self.ctx.set_credentials(creds)
        self.ctx.start_mech_by_name("ntlmssp")

    def first(self):
        return self.ctx.update(b"")[1]

    def second(self, challenge):
        return self.ctx.update(challenge)[1]


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
    elif lib == "samba":
        client = SambaClient(domain, user, password)
    elif lib == "gss-ntlmssp":
        client = GssClient(domain, user, password,
                           "pop" if pop3 else "imap")
    else:
        raise SystemExit(__doc__)
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

# uni_ntlm CLIENT pop3|imap PASSWORD USER (in domain EXAMPLE)
uni_ntlm() {
	local port
	[ "$2" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	NTLM_PASSWORD=$3 OPENSSL_CONF=$OPENSSL_LEGACY_CONF LM_COMPAT_LEVEL=3 \
		$PY "$UNI_CLIENT" "$1" "--$2" "$port" EXAMPLE "$4"
}

echo "== Unicode user names (NTLMv2, Windows upper-casing)"
# gss-ntlmssp registers itself in /etc/gss/mech.d; without it, or without
# python3-gssapi or python3-samba, the checks of that client fail, and
# this says why.
if ! $PY -c 'import gssapi' 2>/dev/null ||
   ! grep -qs '^gssntlmssp' /etc/gss/mech.d/*.conf; then
	fail "unicode: python3-gssapi or gss-ntlmssp is not installed"
fi
if ! $PY -c 'import samba.gensec' 2>/dev/null; then
	fail "unicode: python3-samba is not installed"
fi

# name, password, tag for the mail. The names in the comments are what
# the clients and Windows upper-case them to.
uni_vi=nguyễn		# NGUYỄN   (U+1EC5 -> U+1EC4)
uni_lb=ǆemal		# ǄEMAL    (U+01C6 -> U+01C4)
uni_hy=աշոտ		# ԱՇՈՏ     (Armenian)
uni_tg=ҷамшед		# ҶАМШЕД   (U+04B7 -> U+04B6)
uni_kv=ԁаня		# ԀАНЯ     (U+0501 -> U+0500; Samba: ԁАНЯ)
uni_ka=ნინო		# Windows, Samba: unchanged; Python, libunistring: ᲜᲘᲜᲝ

DV_USERS="$uni_vi:$(ntlm_hash pw-vi)
$uni_lb:$(ntlm_hash pw-lb)
$uni_hy:$(ntlm_hash pw-hy)
$uni_tg:$(ntlm_hash pw-tg)
$uni_kv:$(ntlm_hash pw-kv)
$uni_ka:$(ntlm_hash pw-ka)"
DV_NTLM_CONF="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"
# Dovecot's default set, and the letters of these names
uni_chars=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@
uni_chars=$uni_chars$uni_vi$uni_lb$uni_hy$uni_tg$uni_kv$uni_ka
DV_EXTRA="auth_username_chars = $uni_chars"
if dv_start unicode; then
	add_mail "$uni_vi" "hello vietnamese"
	add_mail "$uni_lb" "hello latin-ext-b"
	add_mail "$uni_hy" "hello armenian"
	add_mail "$uni_tg" "hello tajik"
	add_mail "$uni_kv" "hello komi"
	add_mail "$uni_ka" "hello georgian"
fi

# uni_check CLIENT PROTO KEY TAG WHAT: user uni_KEY with password pw-KEY
# logs in and reads its own mail.
uni_check() {
	local user
	eval "user=\$uni_$3"
	run uni_ntlm "$1" "$2" "pw-$3" "$user"
	expect "$1 $2: $5 user $user, NTLMv2" ok "hello $4" \
		"NTLM login succeeded \(variant=NTLMv2"
}

for p in pop3 imap; do
	for c in ntlm-auth gss-ntlmssp samba; do
		uni_check $c $p vi vietnamese "Vietnamese"
		uni_check $c $p lb latin-ext-b "Latin Extended-B"
		uni_check $c $p hy armenian "Armenian"
		uni_check $c $p tg tajik "Cyrillic (Tajik)"
		run uni_ntlm $c $p wrong "$uni_vi"
		expect "$c $p: $uni_vi, wrong password" 1 "AUTH-FAILED" \
			"NTLMv2 proof does not match"
	done
	# Cyrillic Supplement (Unicode 3.2): in Windows 8's table, and in
	# the full mappings of Python and libunistring, but not in Samba's
	# Windows NT/2000 table, whose login must then fail.
	uni_check ntlm-auth $p kv komi "Cyrillic Supplement (Komi)"
	uni_check gss-ntlmssp $p kv komi "Cyrillic Supplement (Komi)"
	run uni_ntlm samba $p pw-kv "$uni_kv"
	expect "samba $p: $uni_kv, Samba's older table leaves ԁ lower-case" \
		1 "AUTH-FAILED" "NTLMv2 proof does not match"

	run uni_ntlm ntlm-auth $p pw-vi nguyen
	expect "ntlm-auth $p: the ASCII spelling nguyen is another user" 1 \
		"AUTH-FAILED" "unknown user"

	# Windows leaves Mkhedruli alone, and so does Samba's table; the
	# clients that apply Unicode 11's Mtavruli hash another name and
	# must be refused.
	uni_check samba $p ka georgian "Georgian"
	for c in ntlm-auth gss-ntlmssp; do
		run uni_ntlm $c $p pw-ka "$uni_ka"
		expect "$c $p: Georgian $uni_ka upper-cased to Mtavruli is refused" \
			1 "AUTH-FAILED" "NTLMv2 proof does not match"
	done
done
dv_stop
