#!/usr/bin/python3
"""Test driver for the integration suite.

  ntlm-client.py ntlm --pop3|--imap|--smtp PORT --user U [--domain D]
                 [--compat N] [--ir] [--mailbox M]
                 [--tls|--starttls] [--cafile CA]
                 [--cbt auto|zero|cert:PEM] [--target-name SPN]
      NTLM login through python3-ntlm-auth, an implementation independent
      of ours (--compat is its LmCompatibilityLevel: 3 = NTLMv2 with MIC,
      1 = NTLMv1 with extended session security, 0 = LM + NTLMv1).
      The password comes from $NTLM_PASSWORD. After a POP3 login it
      lists the mailbox and prints the first message; after an IMAP
      login it selects M (INBOX) and fetches its first message; after an
      SMTP login (EHLO, AUTH NTLM) it quits.
      --tls speaks TLS from the start, --starttls upgrades first (STLS,
      STARTTLS); the server certificate is verified against CA.
      --cbt sends a channel binding (MsvAvChannelBindings) through
      python3-ntlm-auth's cbt_data: "auto" binds to the certificate the
      server presented (RFC 5929 tls-server-end-point), "cert:PEM" to
      another certificate (what a client talking to a relay would send),
      "zero" puts sixteen zero bytes there. --target-name adds
      MsvAvTargetName (python3-ntlm-auth sends none of its own).

  ntlm-client.py login --pop3|--imap PORT --user U [--authzid Z]
                 [--sasl PLAIN|LOGIN] [--mailbox M]
      Plaintext login with the password from $LOGIN_PASSWORD: POP3
      USER/PASS or IMAP LOGIN by default, or SASL PLAIN (with the
      authorisation identity Z when given; IMAP sends it as an initial
      response) or SASL LOGIN. Prints the server's replies and then the
      first message of the mailbox that was opened, as "MAIL: " lines.

  ntlm-client.py raw --pop3|--imap PORT LINE...
      Send the lines one by one and print every reply line, for the
      protocol-level checks (AUTH with no argument, cancel with "*").

Exit status: 0 logged in (or raw finished), 1 authentication refused,
2 protocol or connection error. NTLM messages are never printed.
"""

import base64
import hashlib
import os
import socket
import ssl
import subprocess
import sys


class Conn:
    def __init__(self, port):
        # CLIENT_IP: the loopback address to connect from
        source = os.environ.get("CLIENT_IP")
        self.sock = socket.create_connection(
            ("127.0.0.1", port), 10,
            source_address=(source, 0) if source else None)
        self.sock.settimeout(10)
        self.file = self.sock.makefile("rb")

    def tls(self, cafile):
        ctx = ssl.create_default_context(cafile=cafile)
        self.sock = ctx.wrap_socket(self.sock, server_hostname="127.0.0.1")
        self.file = self.sock.makefile("rb")
        print("TLS: %s" % self.sock.version())

    def send(self, line, show=True):
        if show:
            print("C: " + line)
        self.sock.sendall(line.encode() + b"\r\n")

    def line(self, show=True):
        data = self.file.readline()
        if not data:
            raise EOFError("connection closed")
        text = data.decode("utf-8", "replace").rstrip("\r\n")
        if show:
            print("S: " + (text if not text.startswith("+ T") else
                           "+ <%d bytes of base64>" % (len(text) - 2)))
        return text


def line_until(prefix):
    """A reader of the reply line that starts with prefix (IMAP's tagged
    answer after untagged lines)."""
    def read(conn):
        while True:
            reply = conn.line()
            if reply.startswith(prefix):
                return reply
    return read


# The NTLM exchange of each protocol: the command, whether a reply is the
# empty continuation, the prefix of a continuation carrying data, and
# how the final reply is read.
NTLM_STEPS = {
    "--pop3": ("AUTH NTLM", lambda r: r.rstrip() == "+", "+ ",
               lambda conn: conn.line()),
    "--imap": ("a1 AUTHENTICATE NTLM", lambda r: r.startswith("+"), "+ ",
               line_until("a1 ")),
    "--smtp": ("AUTH NTLM", lambda r: r.startswith("334"), "334 ",
               lambda conn: conn.line()),
}


def sasl_ntlm(conn, proto, ctx, ir):
    """AUTH NTLM over proto (greeting, and for SMTP EHLO, already read);
    returns the server's final reply, or the first one that is not a
    continuation."""
    command, is_empty_cont, cont, final = NTLM_STEPS[proto]
    negotiate = base64.b64encode(ctx.step()).decode()
    if ir:
        conn.send(command + " " + negotiate, show=False)
        print("C: %s <initial response>" % command)
    else:
        conn.send(command)
        reply = conn.line()
        if not is_empty_cont(reply):
            return reply
        conn.send(negotiate, show=False)
    reply = conn.line()
    if not reply.startswith(cont):
        return reply
    challenge = base64.b64decode(reply[len(cont):])
    conn.send(base64.b64encode(ctx.step(challenge)).decode(), show=False)
    return final(conn)


def smtp_reply(conn):
    """The lines of one SMTP reply; returns the last."""
    while True:
        line = conn.line()
        if len(line) < 4 or line[3] != "-":
            return line


def starttls(conn, proto, cafile):
    """Greeting read by the caller; upgrade the connection."""
    if proto == "--pop3":
        conn.send("STLS")
        ok = conn.line().startswith("+OK")
    elif proto == "--imap":
        conn.send("s1 STARTTLS")
        while True:
            reply = conn.line()
            if reply.startswith("s1 "):
                break
        ok = reply.startswith("s1 OK")
    else:
        conn.send("STARTTLS")
        ok = conn.line().startswith("220")
    if not ok:
        raise ValueError("STARTTLS refused")
    conn.tls(cafile)


def end_point_hash(der):
    """RFC 5929 4.1 tls-server-end-point: the certificate's signature
    hash, SHA-256 for MD5 and SHA-1 (and when there is none)."""
    name = "sha256"
    try:
        from cryptography import x509
        alg = x509.load_der_x509_certificate(der).signature_hash_algorithm
        if alg is not None and alg.name not in ("md5", "sha1"):
            name = alg.name
    except ImportError:
        pass
    return hashlib.new(name, der).digest()


def channel_bindings(conn, spec):
    from ntlm_auth.gss_channel_bindings import GssChannelBindingsStruct

    if spec == "auto":
        if not isinstance(conn.sock, ssl.SSLSocket):
            raise ValueError("--cbt auto needs --tls or --starttls")
        der = conn.sock.getpeercert(binary_form=True)
    else:
        der = subprocess.run(["openssl", "x509", "-in", spec[5:],
                              "-outform", "der"], check=True,
                             capture_output=True).stdout
    cbt = GssChannelBindingsStruct()
    cbt[cbt.APPLICATION_DATA] = b"tls-server-end-point:" + \
        end_point_hash(der)
    return cbt


def extra_av_pairs(target_name, zero_cbt):
    """Have python3-ntlm-auth put MsvAvTargetName (and a zero binding)
    among the AV pairs of its NTLMv2 response: they are added to the
    parsed CHALLENGE's TargetInfo, which it copies into the response."""
    import ntlm_auth.ntlm
    from ntlm_auth.constants import AvId

    base = ntlm_auth.ntlm.ChallengeMessage

    class Challenge(base):
        def __init__(self, msg2):
            super().__init__(msg2)
            if self.target_info is None:
                return
            if target_name is not None:
                self.target_info[AvId.MSV_AV_TARGET_NAME] = \
                    target_name.encode("utf-16-le")
            if zero_cbt:
                self.target_info[AvId.MSV_AV_CHANNEL_BINDINGS] = b"\0" * 16

    ntlm_auth.ntlm.ChallengeMessage = Challenge


def cmd_ntlm(args):
    from ntlm_auth.ntlm import NtlmContext

    proto, port = args.pop(0), int(args.pop(0))
    opts = {"--user": None, "--domain": None, "--compat": "3",
            "--mailbox": "INBOX", "--cafile": None, "--cbt": None,
            "--target-name": None}
    ir = tls = stls = False
    while args:
        arg = args.pop(0)
        if arg == "--ir":
            ir = True
        elif arg == "--tls":
            tls = True
        elif arg == "--starttls":
            stls = True
        elif arg in opts:
            opts[arg] = args.pop(0)
        else:
            raise SystemExit("unknown option " + arg)
    cbt_spec = opts["--cbt"]
    if cbt_spec not in (None, "auto", "zero") and \
            not cbt_spec.startswith("cert:"):
        raise SystemExit("--cbt must be auto, zero or cert:PEM")
    conn = Conn(port)
    if tls:
        conn.tls(opts["--cafile"])
    conn.line()  # the greeting
    if proto == "--smtp":
        conn.send("EHLO client.example.com")
        smtp_reply(conn)
    if stls:
        starttls(conn, proto, opts["--cafile"])
        if proto == "--smtp":
            conn.send("EHLO client.example.com")
            smtp_reply(conn)
    cbt = None
    if cbt_spec is not None and cbt_spec != "zero":
        cbt = channel_bindings(conn, cbt_spec)
    if opts["--target-name"] is not None or cbt_spec == "zero":
        extra_av_pairs(opts["--target-name"], cbt_spec == "zero")
    ctx = NtlmContext(opts["--user"], os.environ.get("NTLM_PASSWORD", ""),
                      domain=opts["--domain"] or "",
                      workstation="PYCLIENT", cbt_data=cbt,
                      ntlm_compatibility=int(opts["--compat"]))
    if proto == "--smtp":
        reply = sasl_ntlm(conn, "--smtp", ctx, ir)
        if not reply.startswith("235"):
            print("RESULT: AUTH-FAILED " + reply)
            return 1
        conn.send("QUIT")
        conn.line()
    elif proto == "--pop3":
        reply = sasl_ntlm(conn, "--pop3", ctx, ir)
        if not reply.startswith("+OK"):
            print("RESULT: AUTH-FAILED " + reply)
            return 1
        conn.send("LIST")
        while conn.line() != ".":
            pass
        conn.send("RETR 1")
        if conn.line().startswith("+OK"):
            while conn.line() != ".":
                pass
        conn.send("QUIT")
        conn.line()
    else:
        reply = sasl_ntlm(conn, "--imap", ctx, ir)
        if not reply.startswith("a1 OK"):
            print("RESULT: AUTH-FAILED " + reply)
            return 1
        conn.send("a2 SELECT " + imap_quote(opts["--mailbox"]))
        while not conn.line().startswith("a2 "):
            pass
        conn.send("a3 FETCH 1 BODY[]")
        while not conn.line().startswith("a3 "):
            pass
        conn.send("a4 LOGOUT")
        while not conn.line().startswith("a4 "):
            pass
    print("RESULT: OK")
    return 0


def imap_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def b64(text):
    return base64.b64encode(text.encode()).decode()


def login_pop3(conn, user, password, authzid, sasl):
    conn.line()
    if sasl is None and authzid is None:
        conn.send("USER " + user)
        reply = conn.line()
        if not reply.startswith("+OK"):
            return reply
        conn.send("PASS " + password, show=False)
        print("C: PASS <password>")
        return conn.line()
    if sasl == "LOGIN":
        conn.send("AUTH LOGIN")
        for value in (user, password):
            reply = conn.line()
            if not reply.startswith("+ "):
                return reply
            conn.send(b64(value), show=False)
            print("C: <base64>")
        return conn.line()
    conn.send("AUTH PLAIN " + b64("%s\0%s\0%s" % (authzid or "", user,
                                                   password)), show=False)
    print("C: AUTH PLAIN <authzid=%s authcid=%s>" % (authzid or "", user))
    return conn.line()


def login_imap(conn, user, password, authzid, sasl):
    conn.line()
    if sasl is None and authzid is None:
        conn.send("a1 LOGIN %s %s" % (imap_quote(user),
                                      imap_quote(password)), show=False)
        print("C: a1 LOGIN %s <password>" % imap_quote(user))
    elif sasl == "LOGIN":
        conn.send("a1 AUTHENTICATE LOGIN")
        for value in (user, password):
            reply = conn.line()
            if not reply.startswith("+"):
                return reply
            conn.send(b64(value), show=False)
            print("C: <base64>")
    else:
        conn.send("a1 AUTHENTICATE PLAIN " +
                  b64("%s\0%s\0%s" % (authzid or "", user, password)),
                  show=False)
        print("C: a1 AUTHENTICATE PLAIN <authzid=%s authcid=%s>" %
              (authzid or "", user))
    while True:
        reply = conn.line()
        if reply.startswith("a1 "):
            return reply


def cmd_login(args):
    proto, port = args.pop(0), int(args.pop(0))
    opts = {"--user": None, "--authzid": None, "--sasl": None,
            "--mailbox": "INBOX"}
    while args:
        arg = args.pop(0)
        if arg in opts:
            opts[arg] = args.pop(0)
        else:
            raise SystemExit("unknown option " + arg)
    if opts["--sasl"] not in (None, "PLAIN", "LOGIN"):
        raise SystemExit("--sasl must be PLAIN or LOGIN")
    if opts["--authzid"] is not None and opts["--sasl"] == "LOGIN":
        raise SystemExit("LOGIN has no authorisation identity")
    password = os.environ.get("LOGIN_PASSWORD", "")
    conn = Conn(port)
    if proto == "--pop3":
        reply = login_pop3(conn, opts["--user"], password,
                           opts["--authzid"], opts["--sasl"])
        if not reply.startswith("+OK"):
            print("RESULT: AUTH-FAILED " + reply)
            return 1
        conn.send("RETR 1")
        if conn.line().startswith("+OK"):
            while True:
                line = conn.line(show=False)
                if line == ".":
                    break
                print("MAIL: " + line)
        conn.send("QUIT")
        conn.line()
    else:
        reply = login_imap(conn, opts["--user"], password,
                           opts["--authzid"], opts["--sasl"])
        if not reply.startswith("a1 OK"):
            print("RESULT: AUTH-FAILED " + reply)
            return 1
        conn.send("a2 SELECT " + imap_quote(opts["--mailbox"]))
        while not conn.line().startswith("a2 "):
            pass
        conn.send("a3 FETCH 1 BODY[]")
        while True:
            line = conn.line(show=False)
            if line.startswith("a3 "):
                print("S: " + line)
                break
            print("MAIL: " + line)
        conn.send("a4 LOGOUT")
        while not conn.line().startswith("a4 "):
            pass
    print("RESULT: OK")
    return 0


def cmd_raw(args):
    proto, port = args.pop(0), int(args.pop(0))
    conn = Conn(port)
    conn.line()
    for line in args:
        conn.send(line)
        reply = conn.line()
        # multi-line POP3 replies end with "."
        if proto == "--pop3" and reply.startswith("+OK") and \
                line.upper() in ("AUTH", "CAPA"):
            while conn.line() != ".":
                pass
        if proto == "--imap" and line[:1] != "*" and " " in line:
            tag = line.split(" ", 1)[0]
            while not reply.startswith(tag + " ") and \
                    not reply.startswith("+"):
                reply = conn.line()
    return 0


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    try:
        if args[0] == "ntlm":
            return cmd_ntlm(args[1:])
        if args[0] == "login":
            return cmd_login(args[1:])
        if args[0] == "raw":
            return cmd_raw(args[1:])
    except (OSError, EOFError, ValueError,
            subprocess.CalledProcessError) as e:
        print("RESULT: ERROR %s" % e)
        return 2
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
