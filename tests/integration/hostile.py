#!/usr/bin/python3
"""Hostile NTLM client for the integration suite.

Independent of the project's own NTLM code: messages are built here with
struct, the NTLMv2 arithmetic with hashlib/hmac, and the replay and
tampering checks drive python3-ntlm-auth.

  hostile.py list
      Print the names of the cases, one a line, with their group.

  hostile.py run --pop3|--imap PORT [options] [CASE...]
      Run the named cases (default: every case of the "hostile" group).
      Every hostile case must end with -ERR (POP3) or NO/BAD (IMAP) within
      10 s; the "integrity" cases do the same through replay, tampering,
      a stale timestamp and NTLMv1; "control" cases must log in. Prints
      "PASS: name" or "FAIL: name (why)" per case and ends with
      "hostile: N passed, M failed". Exit 0 if nothing failed.

  hostile.py login --pop3|--imap PORT [options]
      One correct NTLMv2 login (with a MIC). Prints the server's last
      reply as "S: ..."; exit 0 logged in, 1 refused, 2 protocol error.

  hostile.py killmid --pop3|--imap PORT --auth-pid PID [options]
      Send a NEGOTIATE, read the CHALLENGE, kill -9 PID, then send a
      correct AUTHENTICATE. Exit 0 if the client got an error reply.

  hostile.py soak --pop3 PORT --imap PORT [options]
      --logins N (20000) --concurrency C (32) --time-limit S (900)
      --users u1:pw1,u2:pw2,...   NTLMv2 logins alternating between POP3
      and IMAP from C threads; stops after N logins or S seconds. Prints
      "soak: logins=N ok=N failed=N elapsed=S rate=R/s"; exit 0 if every
      login of the N succeeded.

Options: --verbose yes (print each connection's source address)
  --user U (alice) --password P (secret) --domain D (EXAMPLE)
  --ip-base A.B.C.D: source addresses, one per connection, counted up from
  this loopback address (127.10.0.1), so that Dovecot's per-address
  penalty after a failed login never delays the next case.
"""

import base64
import hashlib
import hmac
import os
import socket
import struct
import sys
import threading
import time

TIMEOUT = 10

SIG = b"NTLMSSP\x00"
FL_UNICODE = 0x00000001
FL_OEM = 0x00000002
FL_REQUEST_TARGET = 0x00000004
FL_SIGN = 0x00000010
FL_SEAL = 0x00000020
FL_DATAGRAM = 0x00000040
FL_NTLM = 0x00000200
FL_ANONYMOUS = 0x00000800
FL_OEM_DOMAIN = 0x00001000
FL_OEM_WORKSTATION = 0x00002000
FL_ALWAYS_SIGN = 0x00008000
FL_TARGET_TYPE_SERVER = 0x00020000
FL_ESS = 0x00080000
FL_TARGET_INFO = 0x00800000
FL_VERSION = 0x02000000
FL_128 = 0x20000000
FL_KEY_EXCH = 0x40000000
FL_56 = 0x80000000

AV_EOL = 0
AV_NB_COMPUTER = 1
AV_NB_DOMAIN = 2
AV_FLAGS = 6
AV_TIMESTAMP = 7
AV_SINGLE_HOST = 8
AV_CHANNEL_BINDINGS = 10
AV_FLAG_MIC = 0x2

FILETIME_UNIX = 11644473600
# NT hashes of the passwords the suite uses, so that nothing here needs MD4
# when OpenSSL's legacy provider is not loaded.
KNOWN_NT_HASHES = {
    "secret": "878d8014606cda29677a44efa1353fc7",
}

AUTH_DESC = {"lm": 12, "nt": 20, "domain": 28, "user": 36, "ws": 44,
             "key": 52}


class Fail(Exception):
    pass


# --- NTLM arithmetic and messages ---------------------------------------

def utf16(text):
    return text.encode("utf-16-le")


def nt_hash(password):
    if password in KNOWN_NT_HASHES:
        return bytes.fromhex(KNOWN_NT_HASHES[password])
    try:
        return hashlib.new("md4", utf16(password)).digest()
    except ValueError:
        raise SystemExit("MD4 unavailable: set OPENSSL_CONF to a config "
                         "that loads the legacy provider")


def hmac_md5(key, data):
    return hmac.new(key, data, hashlib.md5).digest()


def filetime(unix=None):
    if unix is None:
        unix = time.time()
    return int((unix + FILETIME_UNIX) * 10000000)


def rc4(key, data):
    """RC4K (MS-NLMP 6), for the session key exchange."""
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) & 0xff
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) & 0xff
        j = (j + box[i]) & 0xff
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) & 0xff])
    return bytes(out)


def version_bytes():
    return struct.pack("<BBHBBBB", 10, 0, 19041, 0, 0, 0, 15)


def negotiate(flags=None, version=True):
    if flags is None:
        flags = (FL_UNICODE | FL_OEM | FL_REQUEST_TARGET | FL_NTLM |
                 FL_ALWAYS_SIGN | FL_ESS | FL_TARGET_INFO | FL_128 | FL_56 |
                 (FL_VERSION if version else 0))
    msg = SIG + struct.pack("<II", 1, flags)
    header = 40 if version else 32
    msg += struct.pack("<HHI", 0, 0, header) * 2
    if version:
        msg += version_bytes()
    return msg


def av_pairs(pairs, eol=True):
    out = b""
    for av_id, value in pairs:
        out += struct.pack("<HH", av_id, len(value)) + value
    if eol:
        out += struct.pack("<HH", AV_EOL, 0)
    return out


def parse_av(raw):
    pairs, pos = [], 0
    while pos + 4 <= len(raw):
        av_id, length = struct.unpack_from("<HH", raw, pos)
        pos += 4
        if av_id == AV_EOL:
            break
        pairs.append((av_id, raw[pos:pos + length]))
        pos += length
    return pairs


class Challenge:
    def __init__(self, data):
        if len(data) < 48 or data[:8] != SIG or \
                struct.unpack_from("<I", data, 8)[0] != 2:
            raise Fail("server sent no valid CHALLENGE")
        self.raw = data
        self.flags = struct.unpack_from("<I", data, 20)[0]
        self.server_challenge = data[24:32]
        length, _, offset = struct.unpack_from("<HHI", data, 40)
        self.target_info = parse_av(data[offset:offset + length])
        self.timestamp = None
        for av_id, value in self.target_info:
            if av_id == AV_TIMESTAMP:
                self.timestamp = struct.unpack("<Q", value)[0]


class Creds:
    def __init__(self, user, password, domain):
        self.user = user
        self.password = password
        self.domain = domain
        self.nt_hash = nt_hash(password)

    def ntowfv2(self):
        return hmac_md5(self.nt_hash, utf16(self.user.upper() + self.domain))


def v2_blob(timestamp, client_challenge, avs, trailer=True):
    """NTLMv2_CLIENT_CHALLENGE. Clients end it with four zero bytes after
    the AV pairs, which read like one more MsvAvEOL: cases about the AV
    list itself leave them out (trailer=False)."""
    return (struct.pack("<BBHIQ", 1, 1, 0, 0, timestamp) +
            client_challenge + b"\x00" * 4 + avs +
            (b"\x00" * 4 if trailer else b""))


def auth_message(fields, flags, header=88, mic=None, version=True,
                 descs=None):
    """An AUTHENTICATE with the payload in Windows' order. fields maps
    lm/nt/domain/user/ws/key to bytes; descs may override descriptors as
    name -> (len, maxlen, offset). header is 64, 72 or 88."""
    payload, offsets = b"", {}
    for name in ("domain", "user", "ws", "lm", "nt", "key"):
        offsets[name] = header + len(payload)
        payload += fields.get(name, b"")
    msg = bytearray(SIG + struct.pack("<I", 3))
    for name in ("lm", "nt", "domain", "user", "ws", "key"):
        length = len(fields.get(name, b""))
        msg += struct.pack("<HHI", length, length, offsets[name])
    msg += struct.pack("<I", flags)
    if header >= 72:
        msg += version_bytes() if version else b"\x00" * 8
    if header >= 88:
        msg += mic if mic is not None else b"\x00" * 16
    msg += payload
    for name, (length, maxlen, offset) in (descs or {}).items():
        struct.pack_into("<HHI", msg, AUTH_DESC[name], length, maxlen,
                         offset)
    return bytes(msg)


def make_authenticate(creds, neg, chal, timestamp=None, echo_ts=True,
                      mic=True, extra_avs=(), avs=None, nt=None, lm=None,
                      flags=None, header=88, user=None, domain=None,
                      ws=None, descs=None, mic_override=None, post=None,
                      key_exchange=False, key_len=16):
    """A correct NTLMv2 AUTHENTICATE for chal (unless told otherwise).
    key_exchange: set NEGOTIATE_KEY_EXCH and send EncryptedRandomSessionKey
    = RC4K(SessionBaseKey, random key), truncated or padded to key_len
    bytes; the MIC is keyed with the random key (MS-NLMP 3.1.5.1.2)."""
    if flags is None:
        flags = chal.flags & ~(FL_TARGET_TYPE_SERVER | 0x00010000 |
                               FL_VERSION)
        flags |= FL_VERSION if header >= 72 else 0
    client_challenge = os.urandom(8)
    if timestamp is None:
        timestamp = chal.timestamp if chal.timestamp else filetime()
    key = creds.ntowfv2()
    if avs is None:
        pairs = [p for p in chal.target_info
                 if echo_ts or p[0] != AV_TIMESTAMP]
        if mic:
            pairs.append((AV_FLAGS, struct.pack("<I", AV_FLAG_MIC)))
        pairs.extend(extra_avs)
        avs = av_pairs(pairs)
    blob = v2_blob(timestamp, client_challenge, avs)
    proof = hmac_md5(key, chal.server_challenge + blob)
    if nt is None:
        nt = proof + blob
    if lm is None:
        lm = hmac_md5(key, chal.server_challenge + client_challenge) + \
            client_challenge
    fields = {
        "lm": lm, "nt": nt,
        "domain": utf16(creds.domain) if domain is None else domain,
        "user": utf16(creds.user) if user is None else user,
        "ws": utf16("HOSTILE") if ws is None else ws,
    }
    session_key = hmac_md5(key, proof)
    if key_exchange:
        exported = os.urandom(16)
        enc = rc4(session_key, exported)
        fields["key"] = (enc + os.urandom(16))[:key_len]
        flags |= FL_KEY_EXCH
        session_key = exported
    msg = auth_message(fields, flags, header=header, descs=descs)
    if mic and header >= 88:
        value = hmac_md5(session_key, neg + chal.raw + msg)
        if mic_override is not None:
            value = mic_override
        msg = msg[:72] + value + msg[88:]
    if post is not None:
        msg = post(bytearray(msg))
    return bytes(msg)


# --- connections --------------------------------------------------------

class Addresses:
    """Loopback source addresses, one per connection."""

    def __init__(self, base):
        parts = [int(x) for x in base.split(".")]
        if len(parts) != 4 or parts[0] != 127:
            raise SystemExit("--ip-base must be a 127.x.y.z address")
        self.next = struct.unpack(">I", bytes(parts))[0]
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            while self.next & 0xff in (0, 255):
                self.next += 1
            addr = self.next
            self.next += 1
        if addr >> 24 != 127:
            raise SystemExit("ran out of loopback addresses")
        return socket.inet_ntoa(struct.pack(">I", addr))


class Session:
    """One POP3 or IMAP connection doing AUTH NTLM. Replies are
    (kind, text, payload): kind is cont, ok, err, bye or closed."""

    def __init__(self, proto, port, source):
        self.proto = proto
        self.source = source
        self.tag = "a1"
        try:
            self.sock = socket.create_connection(
                ("127.0.0.1", port), TIMEOUT, source_address=(source, 0))
        except OSError as e:
            raise Fail("connect from %s: %s" % (source, e))
        self.sock.settimeout(TIMEOUT)
        self.file = self.sock.makefile("rb")
        greeting = self.readline()
        if greeting is None or not (greeting.startswith("+OK") or
                                    greeting.startswith("* OK")):
            raise Fail("no greeting: %r" % (greeting,))

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def readline(self):
        try:
            data = self.file.readline()
        except socket.timeout:
            raise Fail("no reply within %d s (hang)" % TIMEOUT)
        except OSError:
            return None
        if not data:
            return None
        return data.decode("utf-8", "replace").rstrip("\r\n")

    def send(self, line):
        if isinstance(line, str):
            line = line.encode()
        try:
            self.sock.sendall(line + b"\r\n")
        except socket.timeout:
            raise Fail("server stopped reading (send timed out)")
        except OSError:
            # The server may have answered and closed already; the reply
            # is read next.
            pass

    def reply(self):
        while True:
            text = self.readline()
            if text is None:
                return ("closed", "<connection closed>", None)
            if self.proto == "pop3":
                if text.startswith("+OK"):
                    return ("ok", text, None)
                if text.startswith("-ERR"):
                    return ("err", text, None)
            else:
                if text.startswith(self.tag + " OK"):
                    return ("ok", text, None)
                if text.startswith(self.tag + " NO") or \
                        text.startswith(self.tag + " BAD"):
                    return ("err", text, None)
                if text.startswith("* BYE"):
                    return ("bye", text, None)
                if text.startswith("* "):
                    continue
            if text == "+" or text.startswith("+ "):
                b64 = text[2:].strip()
                try:
                    payload = base64.b64decode(b64, validate=True)
                except ValueError:
                    raise Fail("server sent invalid base64")
                return ("cont", text, payload)
            return ("other", text, None)

    def start(self, initial=None):
        if initial is not None and isinstance(initial, bytes):
            initial = base64.b64encode(initial).decode() or "="
        arg = "" if initial is None else " " + initial
        if self.proto == "pop3":
            self.send("AUTH NTLM" + arg)
        else:
            self.send(self.tag + " AUTHENTICATE NTLM" + arg)
        return self.reply()

    def step(self, data):
        if isinstance(data, bytes):
            data = base64.b64encode(data)
        self.send(data)
        return self.reply()

    def quit(self):
        self.send("QUIT" if self.proto == "pop3" else "a9 LOGOUT")
        self.reply()
        self.close()


def short(text, limit=100):
    return text if len(text) <= limit else text[:limit] + "..."


# --- the cases ----------------------------------------------------------

class Ctx:
    def __init__(self, proto, port, addresses, creds):
        self.proto = proto
        self.port = port
        self.addresses = addresses
        self.creds = creds
        self.verbose = False

    def session(self):
        source = self.addresses.take()
        if self.verbose:
            print("  connect from %s" % source)
        return Session(self.proto, self.port, source)


CASES = []


def case(name, group="hostile"):
    def register(func):
        CASES.append((name, group, func))
        return func
    return register


ERR_KINDS = ("err",)
# Dovecot's login process (not the mechanism) drops a SASL response longer
# than 8192 base64 characters (LOGIN_MAX_AUTH_BUF_SIZE): it logs
# "Authentication response too large" and closes the connection without a
# reply. For those cases a prompt close is the refusal.
TOO_LONG_KINDS = ("err", "closed")


def refused(ctx, steps, initial=None, accept=ERR_KINDS):
    """Start AUTH NTLM (with an initial response if given), then send each
    step after a continuation. A step is bytes (sent base64-encoded), a
    str (sent as it is) or a function of the last CHALLENGE (or of the
    empty first continuation) returning either. Every step must get a
    continuation and the last must get an error reply."""
    s = ctx.session()
    try:
        kind, text, payload = s.start(initial)
        state = {"neg": initial if isinstance(initial, bytes) else None}
        for i, step in enumerate(steps):
            if kind != "cont":
                raise Fail("expected a continuation before step %d, got %s"
                           % (i + 1, short(text)))
            data = step(payload, state) if callable(step) else step
            if isinstance(data, bytes) and data[:8] == SIG and \
                    data[8:12] == b"\x01\x00\x00\x00":
                state["neg"] = data
            kind, text, payload = s.step(data)
        if kind not in accept:
            raise Fail("expected %s, got %s" % ("/".join(accept),
                                                short(text)))
        return text
    finally:
        s.close()


def at_authenticate(ctx, build, neg=None, initial_neg=False, **kw):
    """A good NEGOTIATE, then the AUTHENTICATE build(chal, neg) returns."""
    neg = negotiate() if neg is None else neg

    def third(payload, state):
        return build(Challenge(payload), neg)

    if initial_neg:
        return refused(ctx, [third], initial=neg, **kw)
    return refused(ctx, [neg, third], **kw)


def auth_with(**kw):
    """A builder for at_authenticate: make_authenticate with changes."""
    def build_fn(ctx):
        return lambda chal, neg: make_authenticate(ctx.creds, neg, chal,
                                                   **kw)
    return build_fn


def patch_u32(offset, value):
    def post(msg):
        struct.pack_into("<I", msg, offset, value)
        return msg
    return post


def patch_bytes(offset, value):
    def post(msg):
        msg[offset:offset + len(value)] = value
        return msg
    return post


def desc(msg, name):
    return struct.unpack_from("<HHI", msg, AUTH_DESC[name])


def set_desc(name, length=None, offset=None, maxlen=None):
    def post(msg):
        old_len, old_max, old_off = desc(msg, name)
        struct.pack_into("<HHI", msg, AUTH_DESC[name],
                         old_len if length is None else length,
                         old_max if maxlen is None else maxlen,
                         old_off if offset is None else offset)
        return msg
    return post


def good_v2_parts(ctx, chal, neg, avs):
    """NT response with a correct proof over an arbitrary AV part, which
    ends the blob (no trailing zero bytes)."""
    key = ctx.creds.ntowfv2()
    blob = v2_blob(chal.timestamp or filetime(), os.urandom(8), avs,
                   trailer=False)
    return hmac_md5(key, chal.server_challenge + blob) + blob


def hostile_auth(name, **kw):
    """Register a case: a correct NEGOTIATE, then a broken AUTHENTICATE."""
    @case(name)
    def run(ctx):
        at_authenticate(ctx, auth_with(**kw)(ctx))
    return run


def hostile_avs(name, avs_fn, proof=True):
    """Register a case whose NTLMv2 blob carries the given AV bytes,
    with a correct NTProofStr so only the AV parsing can refuse it."""
    @case(name)
    def run(ctx):
        def build(chal, neg):
            avs = avs_fn(chal)
            nt = good_v2_parts(ctx, chal, neg, avs)
            if not proof:
                nt = b"\x00" * 16 + nt[16:]
            return make_authenticate(ctx.creds, neg, chal, nt=nt, mic=False)
        at_authenticate(ctx, build)
    return run


def hostile_negotiate(name, msg):
    @case(name)
    def run(ctx):
        refused(ctx, [msg])
    return run


# NEGOTIATE stage: framing
NEG = negotiate()
hostile_negotiate("negotiate-empty", "")
hostile_negotiate("negotiate-truncated-signature", NEG[:7])
hostile_negotiate("negotiate-truncated-type", NEG[:11])
hostile_negotiate("negotiate-truncated-flags", NEG[:14])
hostile_negotiate("negotiate-truncated-descriptors", NEG[:22])
hostile_negotiate("negotiate-wrong-signature", b"NTLMSSQ\x00" + NEG[8:])
hostile_negotiate("negotiate-signature-without-nul", b"NTLMSSPX" + NEG[8:])
hostile_negotiate("negotiate-lowercase-signature", b"ntlmssp\x00" + NEG[8:])
hostile_negotiate("negotiate-type-0", NEG[:8] + struct.pack("<I", 0) + NEG[12:])
hostile_negotiate("negotiate-type-challenge", NEG[:8] + struct.pack("<I", 2) +
                  NEG[12:])
hostile_negotiate("negotiate-type-4", NEG[:8] + struct.pack("<I", 4) + NEG[12:])
hostile_negotiate("negotiate-type-ffffffff", NEG[:8] + b"\xff" * 4 + NEG[12:])
hostile_negotiate("negotiate-over-1024-bytes", NEG + b"\x00" * (1025 -
                                                                 len(NEG)))
hostile_negotiate("negotiate-4096-bytes", NEG + b"A" * (4096 - len(NEG)))
hostile_negotiate("negotiate-neither-unicode-nor-oem",
                  negotiate(flags=FL_NTLM | FL_TARGET_INFO | FL_VERSION))
hostile_negotiate("negotiate-domain-outside-message",
                  NEG[:12] + struct.pack("<I", struct.unpack_from(
                      "<I", NEG, 12)[0] | FL_OEM_DOMAIN) +
                  struct.pack("<HHI", 8, 8, 0x1000) + NEG[24:])
hostile_negotiate("negotiate-domain-offset-overflow",
                  NEG[:12] + struct.pack("<I", struct.unpack_from(
                      "<I", NEG, 12)[0] | FL_OEM_DOMAIN) +
                  struct.pack("<HHI", 0xffff, 0xffff, 0xfffffff0) + NEG[24:])
hostile_negotiate("negotiate-workstation-overlaps-header",
                  NEG[:12] + struct.pack("<I", struct.unpack_from(
                      "<I", NEG, 12)[0] | FL_OEM_WORKSTATION) + NEG[16:24] +
                  struct.pack("<HHI", 8, 8, 4) + NEG[32:])
hostile_negotiate("negotiate-workstation-runs-past-end",
                  NEG[:12] + struct.pack("<I", struct.unpack_from(
                      "<I", NEG, 12)[0] | FL_OEM_WORKSTATION) + NEG[16:24] +
                  struct.pack("<HHI", 64, 64, 40) + NEG[32:] + b"WS")
hostile_negotiate("negotiate-random-bytes", bytes(range(7, 250, 3)))


@case("authenticate-without-negotiate")
def _(ctx):
    def build(chal_unused, state):
        fake = Challenge(SIG + struct.pack("<I", 2) + b"\x00" * 8 +
                         struct.pack("<I", FL_UNICODE | FL_NTLM) +
                         os.urandom(8) + b"\x00" * 16)
        return make_authenticate(ctx.creds, NEG, fake)
    refused(ctx, [build])


@case("authenticate-as-initial-response")
def _(ctx):
    fake = Challenge(SIG + struct.pack("<I", 2) + b"\x00" * 8 +
                     struct.pack("<I", FL_UNICODE | FL_NTLM) +
                     os.urandom(8) + b"\x00" * 16)
    refused(ctx, [], initial=make_authenticate(ctx.creds, NEG, fake))


# AUTHENTICATE stage: framing
@case("authenticate-empty")
def _(ctx):
    refused(ctx, [NEG, ""])


@case("authenticate-truncated-to-12-bytes")
def _(ctx):
    at_authenticate(ctx, lambda c, n: make_authenticate(ctx.creds, n, c)[:12])


@case("authenticate-truncated-in-header")
def _(ctx):
    at_authenticate(ctx, lambda c, n: make_authenticate(ctx.creds, n, c)[:50])


@case("authenticate-truncated-in-payload")
def _(ctx):
    at_authenticate(ctx, lambda c, n: make_authenticate(ctx.creds, n, c)[:-9])


hostile_auth("authenticate-wrong-signature",
             post=patch_bytes(0, b"NTLMSSP!"))
hostile_auth("authenticate-type-1-second-negotiate", post=patch_u32(8, 1))
hostile_auth("authenticate-type-2", post=patch_u32(8, 2))
hostile_auth("authenticate-type-7", post=patch_u32(8, 7))


@case("authenticate-4500-bytes-padding-outside-mic")
def _(ctx):
    # Framed correctly and large (still under Dovecot's line limit), but
    # the padding was appended after the MIC was computed.
    at_authenticate(ctx, lambda c, n: make_authenticate(
        ctx.creds, n, c) + b"\x00" * 4500)


@case("authenticate-over-8192-bytes")
def _(ctx):
    at_authenticate(ctx, lambda c, n: make_authenticate(
        ctx.creds, n, c) + b"\x00" * 8200, accept=TOO_LONG_KINDS)


hostile_auth("authenticate-nt-offset-outside-message",
             post=set_desc("nt", offset=0x4000))
hostile_auth("authenticate-lm-length-past-end",
             post=set_desc("lm", length=0x2000))
hostile_auth("authenticate-user-offset-overflow",
             post=set_desc("user", offset=0xfffffffe))
hostile_auth("authenticate-nt-len-plus-offset-wraps",
             post=set_desc("nt", length=0xffff, offset=0xffff0010))
hostile_auth("authenticate-domain-overlaps-header",
             post=set_desc("domain", offset=20))
hostile_auth("authenticate-user-points-at-signature",
             post=set_desc("user", offset=0))
hostile_auth("authenticate-user-overlaps-mic-field",
             post=set_desc("user", offset=40))
hostile_auth("authenticate-session-key-outside",
             post=set_desc("key", length=16, offset=0x7fffffff))
hostile_auth("authenticate-maxlen-lies-len-past-end",
             post=set_desc("ws", length=0x1000, maxlen=2))

# AUTHENTICATE stage: names
hostile_auth("user-odd-length-utf16", user=utf16("alice")[:-1])
hostile_auth("user-unpaired-high-surrogate",
             user=utf16("al") + b"\x00\xd8" + utf16("ce"))
hostile_auth("user-unpaired-low-surrogate",
             user=utf16("al") + b"\x00\xdc" + utf16("ce"))
hostile_auth("user-high-surrogate-at-end", user=utf16("alice") + b"\x3d\xd8")
hostile_auth("user-embedded-nul", user=utf16("ali") + b"\x00\x00" +
             utf16("ce"))
hostile_auth("user-300-code-units", user=utf16("a" * 300))
hostile_auth("user-empty-with-response", user=b"")
hostile_auth("domain-odd-length-utf16", domain=utf16("EXAMPLE") + b"E")
hostile_auth("domain-unpaired-surrogate", domain=b"\x01\xd8" + utf16("X"))
hostile_auth("workstation-odd-length", ws=utf16("HOST") + b"\x41")
hostile_auth("workstation-reversed-surrogates",
             ws=b"\x00\xdc\x00\xd8")
hostile_auth("oem-user-with-nul",
             flags=FL_OEM | FL_NTLM | FL_ESS, header=64, mic=False,
             user=b"ali\x00ce", domain=b"EXAMPLE", ws=b"HOST")

# AUTHENTICATE stage: responses
hostile_auth("no-responses-at-all", nt=b"", lm=b"")
hostile_auth("anonymous-refused-by-default", nt=b"", lm=b"", user=b"",
             domain=b"", mic=False)
hostile_auth("nt-response-1-byte", nt=b"\x01")
hostile_auth("nt-response-23-bytes", nt=b"\x01" * 23)
hostile_auth("ntlmv2-response-25-bytes", nt=b"\x01" * 16 + b"\x01\x01" +
             b"\x00" * 7)
hostile_auth("ntlmv2-response-43-bytes-header-cut",
             nt=b"\x02" * 16 + v2_blob(filetime(), b"c" * 8, b"")[:27])
hostile_auth("ntlmv2-response-47-bytes-eol-cut",
             nt=b"\x02" * 16 + v2_blob(filetime(), b"c" * 8, b"")[:28] +
             b"\x00\x00\x00")


@case("ntlmv2-response-every-bad-size")
def _(ctx):
    # Every NT response length from 1 to 47 except 24 (NTLMv1), each
    # shaped like the start of a real NTLMv2 response.
    # Eight connections at a time: each refusal takes Dovecot about
    # half a second to flush.
    bad = []

    def one(size):
        def build(chal, neg):
            nt = good_v2_parts(ctx, chal, neg, av_pairs([]))[:size]
            return make_authenticate(ctx.creds, neg, chal, nt=nt, mic=False)
        try:
            at_authenticate(ctx, build)
        except Fail as e:
            bad.append("%d: %s" % (size, e))
    sizes = list(range(1, 24)) + list(range(25, 48))
    while sizes:
        batch = [threading.Thread(target=one, args=(size,))
                 for size in sizes[:8]]
        del sizes[:8]
        for t in batch:
            t.start()
        for t in batch:
            t.join()
    if bad:
        raise Fail("; ".join(sorted(bad)[:3]))


@case("ntlmv2-resptype-2")
def _(ctx):
    def build(chal, neg):
        nt = bytearray(good_v2_parts(ctx, chal, neg, av_pairs([])))
        nt[16] = 2
        return make_authenticate(ctx.creds, neg, chal, nt=bytes(nt),
                                 mic=False)
    at_authenticate(ctx, build)


@case("ntlmv2-hiresptype-0")
def _(ctx):
    def build(chal, neg):
        nt = bytearray(good_v2_parts(ctx, chal, neg, av_pairs([])))
        nt[17] = 0
        return make_authenticate(ctx.creds, neg, chal, nt=bytes(nt),
                                 mic=False)
    at_authenticate(ctx, build)


def echo(chal, extra=(), eol=True):
    return av_pairs(chal.target_info + list(extra), eol=eol)


hostile_avs("av-list-without-eol", lambda c: echo(c, eol=False))
hostile_avs("av-list-empty", lambda c: b"")
hostile_avs("av-list-cut-in-pair-header",
            lambda c: echo(c, eol=False) + b"\x07\x00")
hostile_avs("av-length-runs-past-end",
            lambda c: echo(c, eol=False) + struct.pack("<HH", 2, 0x400) +
            utf16("EXAMPLE"))
hostile_avs("av-length-ffff",
            lambda c: struct.pack("<HH", 1, 0xffff) + utf16("SRV") +
            av_pairs([]))
hostile_avs("av-eol-with-nonzero-length",
            lambda c: echo(c, eol=False) + struct.pack("<HH", 0, 4) +
            b"\x00" * 4)
hostile_avs("av-flags-3-bytes",
            lambda c: echo(c, [(AV_FLAGS, b"\x02\x00\x00")]))
hostile_avs("av-flags-8-bytes",
            lambda c: echo(c, [(AV_FLAGS, b"\x02" + b"\x00" * 7)]))
hostile_avs("av-timestamp-7-bytes",
            lambda c: av_pairs([p for p in c.target_info
                                if p[0] != AV_TIMESTAMP] +
                               [(AV_TIMESTAMP, b"\x01" * 7)]))
hostile_avs("av-channel-bindings-15-bytes",
            lambda c: echo(c, [(AV_CHANNEL_BINDINGS, b"\x00" * 15)]))
hostile_avs("av-single-host-too-short",
            lambda c: echo(c, [(AV_SINGLE_HOST, b"\x30" + b"\x00" * 20)]))
hostile_avs("av-timestamp-twice",
            lambda c: echo(c, [(AV_TIMESTAMP, struct.pack(
                "<Q", c.timestamp or 0))]))
hostile_avs("av-flags-twice",
            lambda c: echo(c, [(AV_FLAGS, b"\x00" * 4),
                               (AV_FLAGS, b"\x00" * 4)]))
hostile_avs("av-33-pairs",
            lambda c: av_pairs([(0x20 + i, b"") for i in range(33)]))
hostile_avs("av-name-odd-length",
            lambda c: echo(c, [(9, utf16("cifs/x") + b"y")]))
hostile_avs("av-garbage-without-proof",
            lambda c: b"\xff" * 37, proof=False)

# AUTHENTICATE stage: integrity after a correct proof
hostile_auth("wrong-password-proof",
             nt=b"\x00" * 16 + v2_blob(filetime(), b"c" * 8, av_pairs([])))
hostile_auth("mic-zeroed", mic_override=b"\x00" * 16)
hostile_auth("mic-announced-header-without-room", header=72)
hostile_auth("mic-flipped-bit", post=lambda m: m[:72] +
             bytes([m[72] ^ 1]) + m[73:])
hostile_auth("authenticate-flags-tampered-under-mic",
             post=lambda m: m[:60] + struct.pack(
                 "<I", struct.unpack_from("<I", m, 60)[0] ^ FL_SEAL) + m[64:])


@case("echoed-timestamp-differs")
def _(ctx):
    def build(chal, neg):
        pairs = [(i, v) if i != AV_TIMESTAMP else
                 (i, struct.pack("<Q", chal.timestamp - 10000000))
                 for i, v in chal.target_info]
        avs = av_pairs(pairs)
        return make_authenticate(ctx.creds, neg, chal, avs=avs, mic=False)
    at_authenticate(ctx, build)


hostile_auth("lm-only-garbage", nt=b"", lm=b"\x11" * 24, mic=False)
hostile_auth("lm-response-23-bytes-only", nt=b"", lm=b"\x11" * 23,
             mic=False)

# SASL and line level


@case("invalid-base64-negotiate")
def _(ctx):
    refused(ctx, ["!!!!not base64!!!!"])


@case("invalid-base64-authenticate")
def _(ctx):
    refused(ctx, [NEG, lambda c, s: "TlRMTVNTUAADAAAA@@@@"])


@case("base64-bad-padding")
def _(ctx):
    refused(ctx, [base64.b64encode(NEG).decode().rstrip("=") + "="])


@case("base64-embedded-space")
def _(ctx):
    b64 = base64.b64encode(NEG).decode()
    refused(ctx, [b64[:10] + " " + b64[10:]])


@case("invalid-base64-initial-response")
def _(ctx):
    refused(ctx, [], initial="%%%%")


@case("empty-initial-response")
def _(ctx):
    refused(ctx, [], initial="=")


@case("cancel-before-negotiate")
def _(ctx):
    refused(ctx, ["*"])


@case("cancel-after-challenge")
def _(ctx):
    refused(ctx, [NEG, "*"])


@case("cancel-after-initial-negotiate")
def _(ctx):
    refused(ctx, ["*"], initial=NEG)


@case("cancel-as-initial-response")
def _(ctx):
    refused(ctx, [], initial="*")


@case("extra-round-after-refusal")
def _(ctx):
    # Refused, then one more base64 line on the same connection: it is no
    # longer part of any exchange and must be refused as a command.
    s = ctx.session()
    try:
        kind, text, _ = s.start(NEG)
        if kind != "cont":
            raise Fail("no CHALLENGE: %s" % short(text))
        kind, text, _ = s.step(b"NTLMSSP")
        if kind != "err":
            raise Fail("expected err, got %s" % short(text))
        s.tag = "a2" if s.proto == "imap" else s.tag
        line = base64.b64encode(NEG).decode()
        kind, text, _ = s.step(("a2 " if s.proto == "imap" else "") + line)
        if kind != "err":
            raise Fail("expected err for the extra line, got %s"
                       % short(text))
    finally:
        s.close()


@case("extra-round-second-negotiate")
def _(ctx):
    refused(ctx, [NEG, NEG])


@case("extra-round-negotiate-after-initial")
def _(ctx):
    refused(ctx, [NEG], initial=NEG)


@case("extra-round-challenge-echoed-back")
def _(ctx):
    refused(ctx, [NEG, lambda c, s: c])


@case("long-line-negotiate-64k")
def _(ctx):
    refused(ctx, [b"A" * 65536], accept=TOO_LONG_KINDS)


@case("long-line-authenticate-1m")
def _(ctx):
    refused(ctx, [NEG, lambda c, s: "QUFB" * 262144], accept=TOO_LONG_KINDS)


@case("long-line-initial-response-20k")
def _(ctx):
    refused(ctx, [], initial="QUFB" * 5000, accept=TOO_LONG_KINDS)


@case("long-line-8000-in-slow-pieces")
def _(ctx):
    # 8000 characters of base64 ("AAA...", no NTLMSSP signature) in eight
    # writes with pauses, then the end of the line.
    s = ctx.session()
    try:
        kind, text, _ = s.start()
        if kind != "cont":
            raise Fail("no continuation: %s" % short(text))
        for _ in range(8):
            s.sock.sendall(b"QUFB" * 250)
            time.sleep(0.05)
        s.send("")
        kind, text, _ = s.reply()
        if kind != "err":
            raise Fail("expected err, got %s" % short(text))
    finally:
        s.close()


# --- integrity cases (run by name; the scenario checks their log lines)

@case("replay-on-new-connection", "integrity")
def _(ctx):
    from ntlm_auth.ntlm import NtlmContext
    c = ctx.creds
    client = NtlmContext(c.user, c.password, domain=c.domain,
                         workstation="REPLAY", ntlm_compatibility=3)
    captured = {}

    def third(payload, state):
        captured["auth"] = client.step(payload)
        return captured["auth"]
    s = ctx.session()
    try:
        kind, text, _ = s.start()
        kind, text, payload = s.step(client.step())
        if kind != "cont":
            raise Fail("no CHALLENGE: %s" % short(text))
        kind, text, _ = s.step(third(payload, None))
        if kind != "ok":
            raise Fail("the login to capture failed: %s" % short(text))
    finally:
        s.close()
    # A fresh NEGOTIATE from the same client, then the old AUTHENTICATE.
    refused(ctx, [client._negotiate_message.get_data(),
                  lambda ch, st: captured["auth"]])


@case("replay-with-fresh-challenge-mic", "integrity")
def _(ctx):
    # The captured AUTHENTICATE sent on a second connection whose
    # NEGOTIATE is byte-identical: only the server challenge differs.
    from ntlm_auth.ntlm import NtlmContext
    c = ctx.creds
    client = NtlmContext(c.user, c.password, domain=c.domain,
                         workstation="REPLAY", ntlm_compatibility=3)
    neg = client.step()
    s1, s2 = ctx.session(), ctx.session()
    try:
        kind, text, _ = s1.start()
        kind, text, payload1 = s1.step(neg)
        kind2, text2, _ = s2.start()
        kind2, text2, payload2 = s2.step(neg)
        if kind != "cont" or kind2 != "cont":
            raise Fail("no CHALLENGE")
        auth = client.step(payload1)
        kind2, text2, _ = s2.step(auth)
        if kind2 != "err":
            raise Fail("replay accepted: %s" % short(text2))
        kind, text, _ = s1.step(auth)
        if kind != "ok":
            raise Fail("the original login failed: %s" % short(text))
    finally:
        s1.close()
        s2.close()


@case("tampered-negotiate-flag-under-mic", "integrity")
def _(ctx):
    from ntlm_auth.ntlm import NtlmContext
    c = ctx.creds
    client = NtlmContext(c.user, c.password, domain=c.domain,
                         workstation="TAMPER", ntlm_compatibility=3)
    neg = bytearray(client.step())
    # A man in the middle strips NEGOTIATE_SEAL; the server then does not
    # grant it, the client's AUTHENTICATE agrees with that CHALLENGE, so
    # only the MIC over the NEGOTIATE can notice.
    struct.pack_into("<I", neg, 12,
                     struct.unpack_from("<I", neg, 12)[0] ^ FL_SEAL)
    refused(ctx, [bytes(neg), lambda ch, st: client.step(ch)])


@case("tampered-challenge-flag-under-mic", "integrity")
def _(ctx):
    from ntlm_auth.ntlm import NtlmContext
    c = ctx.creds
    client = NtlmContext(c.user, c.password, domain=c.domain,
                         workstation="TAMPER", ntlm_compatibility=3)

    # The client echoes the tampered flags in its AUTHENTICATE, so the
    # server refuses it for claiming what the CHALLENGE did not grant,
    # before the MIC (or any hash) is looked at.
    def third(chal, state):
        chal = bytearray(chal)
        struct.pack_into("<I", chal, 20, struct.unpack_from(
            "<I", chal, 20)[0] ^ FL_TARGET_TYPE_SERVER)
        return client.step(bytes(chal))
    refused(ctx, [client.step(), third])


@case("stale-timestamp-2h-no-echo", "integrity")
def _(ctx):
    at_authenticate(ctx, lambda chal, neg: make_authenticate(
        ctx.creds, neg, chal, timestamp=filetime(time.time() - 7200),
        echo_ts=False))


@case("future-timestamp-2h-no-echo", "integrity")
def _(ctx):
    at_authenticate(ctx, lambda chal, neg: make_authenticate(
        ctx.creds, neg, chal, timestamp=filetime(time.time() + 7200),
        echo_ts=False))


@case("ntlmv1-refused-by-policy", "integrity")
def _(ctx):
    # NTLMv1 without extended session security: a 24-byte NT response.
    # The policy refuses it before any hash is looked up, so the response
    # bytes do not matter.
    at_authenticate(ctx, lambda chal, neg: auth_message(
        {"lm": os.urandom(24), "nt": os.urandom(24),
         "domain": utf16(ctx.creds.domain), "user": utf16(ctx.creds.user),
         "ws": utf16("OLDBOX")}, FL_UNICODE | FL_NTLM, header=64),
        neg=negotiate(flags=FL_UNICODE | FL_NTLM | FL_REQUEST_TARGET,
                      version=False))


@case("ntlmv1-ess-refused-by-policy", "integrity")
def _(ctx):
    from ntlm_auth.ntlm import NtlmContext
    c = ctx.creds
    client = NtlmContext(c.user, c.password, domain=c.domain,
                         workstation="V1ESS", ntlm_compatibility=1)
    refused(ctx, [client.step(), lambda ch, st: client.step(ch)])


# AUTHENTICATE flags that contradict the negotiation, each with a correct
# NTLMv2 proof and MIC: only the flag rule can refuse them (issue 10).
NEG_KEY_EXCH = negotiate(
    flags=FL_UNICODE | FL_OEM | FL_REQUEST_TARGET | FL_NTLM | FL_SIGN |
    FL_SEAL | FL_ALWAYS_SIGN | FL_ESS | FL_TARGET_INFO | FL_128 |
    FL_KEY_EXCH | FL_56 | FL_VERSION)


def flags_case(name, neg=None, or_flags=0, set_flags=None, **kw):
    @case(name)
    def run(ctx):
        def build(chal, neg_msg):
            flags = chal.flags & ~(FL_TARGET_TYPE_SERVER | 0x00010000)
            flags = (flags | or_flags) if set_flags is None else set_flags
            return make_authenticate(ctx.creds, neg_msg, chal,
                                     flags=flags, **kw)
        at_authenticate(ctx, build, neg=neg)
    return run


flags_case("authenticate-flags-all-ones", set_flags=0xffffffff)
flags_case("authenticate-flags-all-ones-key-exch", neg=NEG_KEY_EXCH,
           set_flags=0xffffffff, key_exchange=True)
flags_case("authenticate-anonymous-with-responses", or_flags=FL_ANONYMOUS)
flags_case("authenticate-unicode-and-oem", or_flags=FL_OEM)
flags_case("authenticate-datagram-not-offered", or_flags=FL_DATAGRAM)
flags_case("authenticate-seal-not-offered", or_flags=FL_SEAL)
flags_case("authenticate-key-exch-not-offered", key_exchange=True)
flags_case("authenticate-key-exch-15-byte-key", neg=NEG_KEY_EXCH,
           key_exchange=True, key_len=15)
flags_case("authenticate-key-exch-17-byte-key", neg=NEG_KEY_EXCH,
           key_exchange=True, key_len=17)
flags_case("authenticate-key-exch-no-key", neg=NEG_KEY_EXCH,
           or_flags=FL_KEY_EXCH)


# --- controls ----------------------------------------------------------

def good_login(ctx, initial=False, echo_ts=True, mic=True, session=None,
               flags=None):
    s = session or ctx.session()
    try:
        neg = NEG
        if initial:
            kind, text, payload = s.start(neg)
        else:
            kind, text, payload = s.start()
            if kind != "cont":
                return kind, text
            kind, text, payload = s.step(neg)
        if kind != "cont":
            return kind, text
        chal = Challenge(payload)
        kind, text, _ = s.step(make_authenticate(ctx.creds, neg, chal,
                                                 echo_ts=echo_ts, mic=mic,
                                                 flags=flags))
        if kind == "ok":
            s.quit()
        return kind, text
    finally:
        s.close()


@case("good-login-ntlmv2-mic", "control")
def _(ctx):
    kind, text = good_login(ctx)
    if kind != "ok":
        raise Fail("login refused: %s" % short(text))


@case("good-login-fresh-timestamp-no-echo", "control")
def _(ctx):
    kind, text = good_login(ctx, echo_ts=False, mic=False)
    if kind != "ok":
        raise Fail("login refused: %s" % short(text))


@case("good-login-key-exchange-mic", "control")
def _(ctx):
    # sign, seal and key exchange asked for and granted; the MIC keyed
    # with the exchanged key
    s = ctx.session()
    try:
        kind, text, payload = s.start()
        if kind == "cont":
            kind, text, payload = s.step(NEG_KEY_EXCH)
        if kind == "cont":
            chal = Challenge(payload)
            want = FL_SIGN | FL_SEAL | FL_KEY_EXCH | FL_128 | FL_56
            if chal.flags & want != want:
                raise Fail("CHALLENGE flags 0x%08x lack 0x%08x" %
                           (chal.flags, want & ~chal.flags))
            kind, text, _ = s.step(make_authenticate(
                ctx.creds, NEG_KEY_EXCH, chal, key_exchange=True))
        if kind != "ok":
            raise Fail("login refused: %s" % short(text))
        s.quit()
    finally:
        s.close()


@case("good-login-flags-zero", "control")
def _(ctx):
    # NegotiateFlags 0 in the AUTHENTICATE: the CHALLENGE's flags apply
    # (MS-NLMP 3.2.5.1.2); the MIC covers the zero
    kind, text = good_login(ctx, flags=0)
    if kind != "ok":
        raise Fail("login refused: %s" % short(text))


@case("good-login-initial-response", "control")
def _(ctx):
    kind, text = good_login(ctx, initial=True)
    if kind != "ok":
        raise Fail("login refused: %s" % short(text))


# --- LM responses and anonymous (issue 9) ----------------------------------
# A genuine LM response must be checked against the LM hash (and only with
# ntlm_allow_lm); an NTLMv1 response placed in the LM field must never pass
# as one. DES comes from python3-ntlm-auth, MD4 from hashlib.

V1_NEG = negotiate(flags=FL_UNICODE | FL_NTLM | FL_REQUEST_TARGET,
                   version=False)


def exchange(ctx, build, neg=V1_NEG):
    """NEGOTIATE neg, then the AUTHENTICATE build(chal) returns; gives the
    last reply as (kind, text)."""
    s = ctx.session()
    try:
        kind, text, payload = s.start()
        if kind != "cont":
            return kind, text
        kind, text, payload = s.step(neg)
        if kind != "cont":
            return kind, text
        kind, text, _ = s.step(build(Challenge(payload)))
        if kind == "ok":
            s.quit()
        return kind, text
    finally:
        s.close()


def lm_field_only(ctx, lm):
    c = ctx.creds
    return auth_message({"lm": lm, "nt": b"", "domain": utf16(c.domain),
                         "user": utf16(c.user), "ws": utf16("OLDBOX")},
                        FL_UNICODE | FL_NTLM, header=64)


def des_response(key16, chal):
    from ntlm_auth.compute_response import ComputeResponse
    return ComputeResponse._calc_resp(key16, chal.server_challenge)


def lm_owf(password):
    from ntlm_auth import compute_hash
    return compute_hash._lmowfv1(password)


def outcome_case(name, group, want, build, neg=V1_NEG):
    """Register a case whose exchange must end with a reply of kind want
    ("ok" or "err"); build(ctx, chal) makes the AUTHENTICATE."""
    @case(name, group)
    def run(ctx):
        kind, text = exchange(ctx, lambda chal: build(ctx, chal), neg=neg)
        if kind != want:
            raise Fail("expected %s, got %s" % (want, short(text)))
    return run


def genuine_lm(ctx, chal):
    return lm_field_only(ctx, des_response(lm_owf(ctx.creds.password), chal))


def ntlmv1_in_lm(ctx, chal):
    # DESL under the NT hash is an NTLMv1 response: in the LM field it
    # must not be taken for an LM response.
    return lm_field_only(ctx, des_response(ctx.creds.nt_hash, chal))


def anonymous_authenticate(ctx, chal):
    return auth_message({"lm": b"\x00", "nt": b"", "domain": b"",
                         "user": b"", "ws": utf16("KIOSK")},
                        FL_UNICODE | FL_NTLM | FL_ANONYMOUS, header=64)


ANON_NEG = negotiate(flags=FL_UNICODE | FL_NTLM | FL_REQUEST_TARGET |
                     FL_ANONYMOUS, version=False)

outcome_case("lm-genuine-response", "lm-accept", "ok", genuine_lm)
outcome_case("lm-genuine-response-refused", "lm-refuse", "err", genuine_lm)
outcome_case("ntlmv1-response-in-lm-field", "lm-refuse", "err",
             ntlmv1_in_lm)
outcome_case("anonymous-login", "anonymous-accept", "ok",
             anonymous_authenticate, neg=ANON_NEG)
outcome_case("anonymous-login-refused", "anonymous-refuse", "err",
             anonymous_authenticate, neg=ANON_NEG)


# --- commands ----------------------------------------------------------

def parse_opts(args, extra=()):
    opts = {"--user": "alice", "--password": "secret", "--domain": "EXAMPLE",
            "--ip-base": "127.10.0.1", "--pop3": None, "--imap": None,
            "--verbose": "no"}
    for name in extra:
        opts.setdefault(name, None)
    rest = []
    while args:
        arg = args.pop(0)
        if arg in opts:
            if not args:
                raise SystemExit("%s needs a value" % arg)
            opts[arg] = args.pop(0)
        elif arg.startswith("--"):
            raise SystemExit("unknown option " + arg)
        else:
            rest.append(arg)
    return opts, rest


def make_ctx(opts):
    if opts["--pop3"]:
        proto, port = "pop3", int(opts["--pop3"])
    elif opts["--imap"]:
        proto, port = "imap", int(opts["--imap"])
    else:
        raise SystemExit("--pop3 PORT or --imap PORT is required")
    creds = Creds(opts["--user"], opts["--password"], opts["--domain"])
    return Ctx(proto, port, Addresses(opts["--ip-base"]), creds)


def cmd_run(args):
    opts, names = parse_opts(args)
    ctx = make_ctx(opts)
    ctx.verbose = opts["--verbose"] == "yes"
    known = {name: (group, func) for name, group, func in CASES}
    if not names:
        names = [name for name, group, _ in CASES if group == "hostile"]
    passed = failed = 0
    for name in names:
        if name not in known:
            print("FAIL: %s (no such case)" % name)
            failed += 1
            continue
        started = time.monotonic()
        try:
            known[name][1](ctx)
        except Fail as e:
            print("FAIL: %s %s (%s)" % (ctx.proto, name, e))
            failed += 1
        except Exception as e:  # a bug here must not hide the others
            print("FAIL: %s %s (client error %s: %s)" %
                  (ctx.proto, name, type(e).__name__, e))
            failed += 1
        else:
            print("PASS: %s %s" % (ctx.proto, name))
            passed += 1
        elapsed = time.monotonic() - started
        if elapsed > 5:
            print("  (%s took %.1f s)" % (name, elapsed))
        sys.stdout.flush()
    print("hostile: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


def cmd_list(args):
    for name, group, _ in CASES:
        print("%s %s" % (group, name))
    return 0


def cmd_login(args):
    opts, _ = parse_opts(args)
    ctx = make_ctx(opts)
    try:
        kind, text = good_login(ctx)
    except Fail as e:
        print("ERROR: %s" % e)
        return 2
    print("S: " + text)
    if kind == "ok":
        return 0
    return 1 if kind in ("err", "bye") else 2


def cmd_killmid(args):
    opts, _ = parse_opts(args, ("--auth-pid",))
    ctx = make_ctx(opts)
    pid = int(opts["--auth-pid"] or 0)
    if pid <= 0:
        raise SystemExit("--auth-pid PID is required")
    s = ctx.session()
    try:
        kind, text, _ = s.start()
        kind, text, payload = s.step(NEG)
        if kind != "cont":
            print("ERROR: no CHALLENGE: %s" % text)
            return 2
        chal = Challenge(payload)
        os.kill(pid, 9)
        for _ in range(100):
            if not os.path.exists("/proc/%d" % pid):
                break
            try:
                with open("/proc/%d/stat" % pid) as f:
                    if f.read().split(") ", 1)[1].startswith("Z"):
                        break
            except OSError:
                break
            time.sleep(0.05)
        print("killed auth process %d between CHALLENGE and AUTHENTICATE"
              % pid)
        kind, text, _ = s.step(make_authenticate(ctx.creds, NEG, chal))
        print("S: " + text)
        return 0 if kind in ("err", "bye") else 1
    except Fail as e:
        print("ERROR: %s" % e)
        return 2
    finally:
        s.close()


def cmd_soak(args):
    opts, _ = parse_opts(args, ("--logins", "--concurrency", "--time-limit",
                                "--users"))
    logins = int(opts["--logins"] or 20000)
    threads = int(opts["--concurrency"] or 32)
    limit = float(opts["--time-limit"] or 900)
    ports = []
    if opts["--pop3"]:
        ports.append(("pop3", int(opts["--pop3"])))
    if opts["--imap"]:
        ports.append(("imap", int(opts["--imap"])))
    if not ports:
        raise SystemExit("--pop3 PORT and/or --imap PORT is required")
    users = []
    for item in (opts["--users"] or "%s:%s" % (opts["--user"],
                                               opts["--password"])).split(","):
        user, password = item.split(":", 1)
        users.append(Creds(user, password, opts["--domain"]))
    addresses = Addresses(opts["--ip-base"])
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "failed": 0, "reasons": []}
    deadline = time.monotonic() + limit

    def worker():
        while True:
            with lock:
                n = state["next"]
                if n >= logins or time.monotonic() > deadline:
                    return
                state["next"] += 1
            proto, port = ports[n % len(ports)]
            ctx = Ctx(proto, port, addresses, users[n % len(users)])
            try:
                kind, text = good_login(ctx)
                why = None if kind == "ok" else text
            except Fail as e:
                why = str(e)
            except OSError as e:
                why = "%s: %s" % (type(e).__name__, e)
            with lock:
                if why is None:
                    state["ok"] += 1
                else:
                    state["failed"] += 1
                    if len(state["reasons"]) < 5:
                        state["reasons"].append("%s login %d: %s" %
                                                (proto, n, why))

    started = time.monotonic()
    pool = [threading.Thread(target=worker, daemon=True)
            for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - started
    done = state["ok"] + state["failed"]
    for reason in state["reasons"]:
        print("  failure: " + reason)
    print("soak: logins=%d ok=%d failed=%d elapsed=%.1fs rate=%.0f/s "
          "concurrency=%d%s" % (done, state["ok"], state["failed"], elapsed,
                                done / elapsed if elapsed else 0, threads,
                                "" if done >= logins else
                                " (stopped by the time limit)"))
    return 0 if state["failed"] == 0 and done >= logins else 1


def main():
    args = sys.argv[1:]
    commands = {"run": cmd_run, "list": cmd_list, "login": cmd_login,
                "killmid": cmd_killmid, "soak": cmd_soak}
    if not args or args[0] not in commands:
        print(__doc__)
        return 2
    return commands[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
