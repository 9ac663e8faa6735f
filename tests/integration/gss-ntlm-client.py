#!/usr/bin/python3
"""NTLM login through GSSAPI: Debian's gss-ntlmssp mechanism, driven by
python3-gssapi. An initiator independent of ours and of python3-ntlm-auth,
and one that insists on what it asks for: when the CHALLENGE does not
grant signing or sealing, gss-ntlmssp itself gives up before sending an
AUTHENTICATE ("A required Negotiate flag was not provided").

  gss-ntlm-client.py --pop3|--imap PORT --user U [--domain D]
                     [--integ] [--conf] [--mic] [--ir]

  --integ   request integrity (GSS_C_INTEG_FLAG: NTLM SIGN + KEY_EXCH)
  --conf    request confidentiality (GSS_C_CONF_FLAG: SEAL + KEY_EXCH,
            also LM_KEY and ESS)
  --mic     let gss-ntlmssp add a MIC. It adds one only when SIGN or SEAL
            was granted and its caller said it can handle one, which is
            what SPNEGO does through the GSS_SPNEGO_REQUIRE_MIC_OID
            inquiry; this driver makes that inquiry before the
            AUTHENTICATE is built, and again after it to learn whether a
            MIC went out.
  --ir      send the NEGOTIATE as the initial response

The password comes from $NTLM_PASSWORD. Prints "GSS-FLAGS:" (what
gss-ntlmssp says was established), "MIC: sent|not sent", then the
mailbox as "MAIL: " lines (POP3 RETR 1, IMAP FETCH 1). NTLM messages are
never printed.

Exit status: 0 logged in, 1 authentication refused by the server,
2 protocol or connection error, 3 the initiator gave up (GSSAPI error,
or a requested protection that was not established).
"""

import base64
import os
import socket
import sys

import gssapi
import gssapi.raw as graw

# 1.3.6.1.4.1.311.2.2.10
NTLMSSP_OID = graw.OID(elements=b"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a")
# gssapi_ntlmssp.h: GSS_NTLMSSP_BASE_OID_STRING (1.3.6.1.4.1.7165.655.1)
# followed by 2: GSS_SPNEGO_REQUIRE_MIC_OID_STRING
SPNEGO_REQUIRE_MIC_OID = graw.OID(
    elements=b"\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x02")


class GiveUp(Exception):
    pass


class GssNtlm:
    def __init__(self, user, domain, password, flags, mic, service):
        principal = "%s\\%s" % (domain, user) if domain else user
        name = graw.import_name(principal.encode(),
                                gssapi.NameType.user)
        try:
            self.creds = graw.acquire_cred_with_password(
                name, password.encode(), mechs=[NTLMSSP_OID],
                usage="initiate").creds
        except gssapi.exceptions.GSSError as e:
            raise GiveUp("acquire_cred_with_password: %s" % e)
        self.target = graw.import_name(service.encode() + b"@localhost",
                                       gssapi.NameType.hostbased_service)
        self.flags = flags
        self.mic = mic
        self.ctx = None
        self.mic_sent = None
        self.ret_flags = 0

    def step(self, token=None):
        try:
            if token is not None and self.mic:
                # SPNEGO's question, asked before the AUTHENTICATE is
                # built: from now on gss-ntlmssp may add a MIC
                graw.inquire_sec_context_by_oid(self.ctx,
                                                SPNEGO_REQUIRE_MIC_OID)
            res = graw.init_sec_context(self.target, creds=self.creds,
                                        context=self.ctx,
                                        mech=NTLMSSP_OID,
                                        flags=self.flags,
                                        input_token=token)
        except gssapi.exceptions.GSSError as e:
            raise GiveUp("init_sec_context: %s" % e)
        self.ctx = res.context
        if token is not None:
            self.ret_flags = int(res.flags)
            # asked again afterwards, the answer says whether a MIC was
            # put into the AUTHENTICATE
            try:
                answer = graw.inquire_sec_context_by_oid(
                    self.ctx, SPNEGO_REQUIRE_MIC_OID)
                self.mic_sent = bool(answer and answer[0] == b"\x01")
            except gssapi.exceptions.GSSError:
                self.mic_sent = None
        return res.token


class Conn:
    def __init__(self, port):
        source = os.environ.get("CLIENT_IP")
        self.sock = socket.create_connection(
            ("127.0.0.1", port), 10,
            source_address=(source, 0) if source else None)
        self.sock.settimeout(10)
        self.file = self.sock.makefile("rb")

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


def exchange(conn, ctx, start, ir, cont_ok):
    """Run NEGOTIATE/CHALLENGE/AUTHENTICATE; return the final reply."""
    negotiate = base64.b64encode(ctx.step()).decode()
    if ir:
        conn.send(start + " " + negotiate, show=False)
        print("C: %s <initial response>" % start)
    else:
        conn.send(start)
        reply = conn.line()
        if not cont_ok(reply):
            return reply
        conn.send(negotiate, show=False)
    reply = conn.line()
    if not reply.startswith("+ "):
        return reply
    try:
        authenticate = ctx.step(base64.b64decode(reply[2:]))
    except GiveUp:
        # end the SASL exchange cleanly before reporting
        conn.send("*")
        raise
    conn.send(base64.b64encode(authenticate).decode(), show=False)
    return conn.line()


def report(ctx, want):
    print("GSS-FLAGS: integ=%d conf=%d" % (
        bool(ctx.ret_flags & graw.RequirementFlag.integrity),
        bool(ctx.ret_flags & graw.RequirementFlag.confidentiality)))
    print("MIC: " + {True: "sent", False: "not sent",
                     None: "unknown"}[ctx.mic_sent])
    missing = want & ~ctx.ret_flags
    if missing:
        raise GiveUp("requested protection not established (0x%x)" %
                     missing)


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] not in ("--pop3", "--imap"):
        print(__doc__)
        return 2
    proto, port = args.pop(0), int(args.pop(0))
    user = domain = None
    # Always an explicit set: with none, python3-gssapi asks for mutual
    # authentication and sequencing, and gss-ntlmssp turns sequencing into
    # SIGN + KEY_EXCH. Mutual authentication alone changes nothing in
    # gss-ntlmssp's NEGOTIATE.
    flags = graw.RequirementFlag.mutual_authentication
    mic = ir = False
    while args:
        arg = args.pop(0)
        if arg == "--user":
            user = args.pop(0)
        elif arg == "--domain":
            domain = args.pop(0)
        elif arg == "--integ":
            flags |= graw.RequirementFlag.integrity
        elif arg == "--conf":
            flags |= graw.RequirementFlag.confidentiality
        elif arg == "--mic":
            mic = True
        elif arg == "--ir":
            ir = True
        else:
            raise SystemExit("unknown option " + arg)
    if user is None:
        raise SystemExit("--user is required")
    want = int(flags) & ~int(graw.RequirementFlag.mutual_authentication)
    try:
        ctx = GssNtlm(user, domain, os.environ.get("NTLM_PASSWORD", ""),
                      flags, mic, "pop" if proto == "--pop3" else "imap")
        conn = Conn(port)
        conn.line()
        if proto == "--pop3":
            reply = exchange(conn, ctx, "AUTH NTLM", ir,
                             lambda r: r.rstrip() == "+")
            report(ctx, want)
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
            reply = exchange(conn, ctx, "a1 AUTHENTICATE NTLM", ir,
                             lambda r: r.startswith("+"))
            while not reply.startswith("a1 "):
                reply = conn.line()
            report(ctx, want)
            if not reply.startswith("a1 OK"):
                print("RESULT: AUTH-FAILED " + reply)
                return 1
            conn.send("a2 SELECT INBOX")
            while not conn.line().startswith("a2 "):
                pass
            conn.send("a3 FETCH 1 BODY[]")
            while True:
                line = conn.line(show=False)
                if line.startswith("a3 "):
                    break
                print("MAIL: " + line)
            conn.send("a4 LOGOUT")
            while not conn.line().startswith("a4 "):
                pass
    except GiveUp as e:
        print("RESULT: GAVE-UP %s" % e)
        return 3
    except (OSError, EOFError, ValueError) as e:
        print("RESULT: ERROR %s" % e)
        return 2
    print("RESULT: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
