#!/usr/bin/python3
"""Test driver for the integration suite.

  ntlm-client.py ntlm --pop3|--imap PORT --user U [--domain D]
                 [--compat N] [--ir] [--mailbox M]
      NTLM login through python3-ntlm-auth, an implementation independent
      of ours (--compat is its LmCompatibilityLevel: 3 = NTLMv2 with MIC,
      1 = NTLMv1 with extended session security, 0 = LM + NTLMv1).
      The password comes from $NTLM_PASSWORD. After a POP3 login it
      lists the mailbox and prints the first message; after an IMAP
      login it selects M (INBOX) and fetches its first message.

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
import os
import socket
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


def pop3_ntlm(conn, ctx, ir):
    conn.line()
    negotiate = base64.b64encode(ctx.step()).decode()
    if ir:
        conn.send("AUTH NTLM " + negotiate, show=False)
        print("C: AUTH NTLM <initial response>")
    else:
        conn.send("AUTH NTLM")
        reply = conn.line()
        if reply.rstrip() != "+":
            return reply
        conn.send(negotiate, show=False)
    reply = conn.line()
    if not reply.startswith("+ "):
        return reply
    challenge = base64.b64decode(reply[2:])
    conn.send(base64.b64encode(ctx.step(challenge)).decode(), show=False)
    return conn.line()


def imap_ntlm(conn, ctx, ir):
    conn.line()
    negotiate = base64.b64encode(ctx.step()).decode()
    if ir:
        conn.send("a1 AUTHENTICATE NTLM " + negotiate, show=False)
        print("C: a1 AUTHENTICATE NTLM <initial response>")
    else:
        conn.send("a1 AUTHENTICATE NTLM")
        reply = conn.line()
        if not reply.startswith("+"):
            return reply
        conn.send(negotiate, show=False)
    reply = conn.line()
    if not reply.startswith("+ "):
        return reply
    challenge = base64.b64decode(reply[2:])
    conn.send(base64.b64encode(ctx.step(challenge)).decode(), show=False)
    while True:
        reply = conn.line()
        if reply.startswith("a1 "):
            return reply


def cmd_ntlm(args):
    from ntlm_auth.ntlm import NtlmContext

    proto, port = args.pop(0), int(args.pop(0))
    opts = {"--user": None, "--domain": None, "--compat": "3",
            "--mailbox": "INBOX"}
    ir = False
    while args:
        arg = args.pop(0)
        if arg == "--ir":
            ir = True
        elif arg in opts:
            opts[arg] = args.pop(0)
        else:
            raise SystemExit("unknown option " + arg)
    ctx = NtlmContext(opts["--user"], os.environ.get("NTLM_PASSWORD", ""),
                      domain=opts["--domain"] or "",
                      workstation="PYCLIENT",
                      ntlm_compatibility=int(opts["--compat"]))
    conn = Conn(port)
    if proto == "--pop3":
        reply = pop3_ntlm(conn, ctx, ir)
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
        reply = imap_ntlm(conn, ctx, ir)
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
    except (OSError, EOFError, ValueError) as e:
        print("RESULT: ERROR %s" % e)
        return 2
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
