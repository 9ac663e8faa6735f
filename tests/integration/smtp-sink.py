#!/usr/bin/python3
"""A minimal SMTP server for the integration suite: Dovecot's submission
service relays to it (submission_relay_host), and every message it gets is
appended to a file, so a check can see that a submission after AUTH NTLM
really went through.

  smtp-sink.py PORT MAILFILE

Prints "ready" once listening; serves sessions (each in a thread) until
killed. Speaks just enough ESMTP for Dovecot's relay client: EHLO/HELO,
MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

import socket
import sys
import threading


def serve(conn, mailfile, lock):
    f = conn.makefile("rb")

    def put(text):
        conn.sendall(text.encode() + b"\r\n")

    put("220 sink ESMTP")
    rcpts = []
    while True:
        raw = f.readline()
        if not raw:
            return
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        cmd = line.split(" ", 1)[0].upper()
        if cmd == "EHLO":
            put("250-sink")
            put("250-8BITMIME")
            put("250 PIPELINING")
        elif cmd == "HELO":
            put("250 sink")
        elif cmd == "MAIL":
            rcpts = []
            put("250 2.1.0 Ok")
        elif cmd == "RCPT":
            rcpts.append(line[8:].strip())
            put("250 2.1.5 Ok")
        elif cmd == "DATA":
            put("354 End data with <CR><LF>.<CR><LF>")
            body = []
            while True:
                raw = f.readline()
                if not raw or raw in (b".\r\n", b".\n"):
                    break
                body.append(raw.decode("utf-8", "replace").rstrip("\r\n"))
            with lock, open(mailfile, "a") as out:
                out.write("RCPT " + " ".join(rcpts) + "\n")
                out.write("\n".join(body) + "\n.\n")
            put("250 2.0.0 Ok: queued")
        elif cmd in ("RSET", "NOOP"):
            put("250 2.0.0 Ok")
        elif cmd == "QUIT":
            put("221 2.0.0 Bye")
            return
        else:
            put("502 5.5.2 Unknown command")


def main():
    port, mailfile = int(sys.argv[1]), sys.argv[2]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    print("ready", flush=True)
    lock = threading.Lock()

    def session(conn):
        conn.settimeout(60)
        try:
            serve(conn, mailfile, lock)
        except (OSError, UnicodeError):
            pass
        conn.close()

    while True:
        conn, _ = srv.accept()
        threading.Thread(target=session, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
