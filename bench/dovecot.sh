#!/bin/bash
# End-to-end benchmark: NTLM against PLAIN (USER/PASS, LOGIN) inside a
# private Dovecot on 127.0.0.1 ("make bench-dovecot" runs this through
# tests/integration/with-modules.sh, so Dovecot sees the modules of the
# build tree; nothing is installed).
#
# usage: bench/dovecot.sh BENCH_DOVECOT_BINARY
#        bench/dovecot.sh --table RESULTS   (the table again, from the
#                                            RESULT lines of a run)
# Environment:
#   PORT_BASE      first TCP port (default 17000, below the ephemeral port range; uses PORT_BASE..+11)
#   BENCH_QUICK=1  a tenth of the counts (about 30 s instead of minutes)
#   BENCH_SCALE=N  divide the counts by N (BENCH_QUICK sets 10)
#   BENCH_OUT      keep the raw RESULT lines in this file
#   DV_CHROOT      run the Dovecot installed in this chroot
#                  (tests/integration/run-chroot.sh --bench sets it up)
#
# The Dovecot instances are those of the integration suite: its
# tests/integration/lib.sh writes the configuration in the syntax of the
# Dovecot it finds (2.3 or 2.4), and this script adds only what the
# benchmark needs (bench_settings: quiet auth logs, an auth-client
# socket, high-performance login processes).
#
# Every measurement interleaves what it compares: PLAIN and NTLM batches
# (and the three map sizes) alternate in rounds within one run, so a
# busy neighbour on a shared machine slows both sides alike. The table
# gives ratios first; the absolute figures are context.

set -u

bench=${1:?usage: dovecot.sh BENCH_DOVECOT_BINARY}
PORT_BASE=${PORT_BASE:-17000}
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	scale=${BENCH_SCALE:-10}
else
	scale=${BENCH_SCALE:-1}
fi

# print_table RESULTS: the one table, from the RESULT lines
print_table() {
awk -v scale="$scale" '
function kv(line, key,   i, n, f, a) {
	n = split(line, f, " ")
	for (i = 1; i <= n; i++) {
		split(f[i], a, "=")
		if (a[1] == key)
			return substr(f[i], length(key) + 2)
	}
	return ""
}
function add(key, line) {
	ok[key] += kv(line, "ok"); fail[key] += kv(line, "fail")
	secs[key] += kv(line, "secs")
	cpu[key] += kv(line, "cpu_us") * kv(line, "ok")
}
function rate(key) { return secs[key] > 0 ? ok[key] / secs[key] : 0 }
function k(x) { return x >= 10000 ? sprintf("%.1fk", x / 1000) : sprintf("%.0f", x) }
function verdict(b) { return b ? "met" : "**missed**" }
function num(x) { return x + 0 }
/^RESULT/ {
	t = kv($0, "test"); m = kv($0, "mech")
	if (t == "auth") add("auth/" m "/" kv($0, "inflight"), $0)
	else if (t == "pop3" || t == "imap") add(t "/" m "/" kv($0, "conc"), $0)
	else if (t == "delegate") add("delegate/" kv($0, "grants"), $0)
	else if (t == "memory") { mem_growth = num(kv($0, "growth_kib")); mem_n = kv($0, "logins"); mem_fail = kv($0, "fail"); mem0 = kv($0, "rss0_kib"); mem1 = kv($0, "rss1_kib") }
	else if (t == "wait" && m == "LOGIN") { login_b = num(kv($0, "per_handshake_bytes")) }
	else if (t == "wait") { wait_b = num(kv($0, "per_handshake_bytes")); wait_n = kv($0, "handshakes"); wait0 = kv($0, "rss0_kib"); wait1 = kv($0, "rss1_kib") }
}
END {
	allfail = 0
	print "| measurement | shape | PLAIN / USER / LOGIN | NTLM | NTLM, initial response | NTLM ÷ PLAIN | target |"
	print "|---|---|---|---|---|---|---|"
	for (i = 1; i <= 3; i++) {
		s = i == 1 ? 1 : i == 2 ? 8 : 32
		p = "auth/plain/" s; q = "auth/ntlm/" s
		allfail += fail[p] + fail[q]
		printf "| auth socket handshakes/s | %d in flight | %s | %s | | %.2f | failures: %d |\n", s, k(rate(p)), k(rate(q)), (rate(p) > 0 ? rate(q) / rate(p) : 0), fail[p] + fail[q]
		cp = ok[p] ? cpu[p] / ok[p] : 0; cq = ok[q] ? cpu[q] / ok[q] : 0
		printf "| auth CPU per login (µs) | %d in flight | %.1f | %.1f | | %.2f | ≤ 2×PLAIN+4 = %.1f: %s |\n", s, cp, cq, (cp > 0 ? cq / cp : 0), 2 * cp + 4, verdict(cq <= 2 * cp + 4)
	}
	for (j = 1; j <= 2; j++) {
		t = j == 1 ? "pop3" : "imap"
		for (i = 1; i <= 3; i++) {
			s = i == 1 ? 1 : i == 2 ? 8 : 32
			u = t "/user/" s; a = t "/ntlm/" s; b = t "/ntlm-ir/" s
			allfail += fail[u] + fail[a] + fail[b]
			tgt = ""
			if (t == "pop3" && s == 32)
				tgt = sprintf("NTLM ≥ 95%%: %s", verdict(rate(a) >= 0.95 * rate(u) && rate(b) >= 0.95 * rate(u)))
			printf "| %s logins/s | c=%d | %s | %s | %s | %.2f / %.2f | %s%sfailures: %d |\n", toupper(t), s, k(rate(u)), k(rate(a)), k(rate(b)), (rate(u) ? rate(a) / rate(u) : 0), (rate(u) ? rate(b) / rate(u) : 0), tgt, (tgt == "" ? "" : "; "), fail[u] + fail[a] + fail[b]
		}
	}
	d0 = rate("delegate/10")
	for (i = 1; i <= 3; i++) {
		g = i == 1 ? 10 : i == 2 ? 10000 : 100000
		key = "delegate/" g
		allfail += fail[key]
		tgt = g == 100000 ? sprintf("≥ 90%% of 10 grants: %s; ", verdict(rate(key) >= 0.9 * d0)) : ""
		printf "| delegate logins/s (POP3 USER/PASS) | %s grants, c=8 | %s | | | %.2f of 10 grants | %sfailures: %d |\n", g, k(rate(key)), (d0 ? rate(key) / d0 : 0), tgt, fail[key]
	}
	allfail += mem_fail
	if (wait_n == "") { wait_verdict = "**not measured**" } else { wait_verdict = verdict(wait_b <= 4096) }
	if (mem_n == "") { mem_verdict = "**not measured**" } else { mem_verdict = verdict(mem_growth <= 100) }
	printf "| auth RSS per waiting handshake | %d waiting (NTLM after the CHALLENGE, LOGIN after its prompt) | %.0f bytes (Dovecot'"'"'s LOGIN) | %.0f bytes | | %.2f | ≤ 4096: %s; NTLM'"'"'s own share (NTLM − LOGIN): %+.0f bytes |\n", wait_n, login_b, wait_b, (login_b ? wait_b / login_b : 0), wait_verdict, wait_b - login_b
	printf "| auth RSS growth over NTLM logins | %d logins | | %d KiB | | | no growth (≤ 100 KiB): %s (RSS %d → %d KiB); failures: %d |\n", mem_n, mem_growth, mem_verdict, mem0, mem1, mem_fail
	printf "\nfailures in all measurements: %d\n", allfail
}' "$1"

}

if [ "$bench" = --table ]; then
	print_table "${2:?usage: dovecot.sh --table RESULTS}"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "dovecot.sh: needs root (run through make bench-dovecot)" >&2
	exit 1
fi

WORK=$(mktemp -d /tmp/dovecot-ntlm-bench.XXXXXX) || exit 1
HERE=$(cd "$(dirname "$0")" && pwd)
# the instances and their configuration writers (dv_start, auth_pid,
# delegate_passdbs, DV_SYNTAX, DV_CHROOT)
. "$HERE/../tests/integration/lib.sh"
RESULTS=${BENCH_OUT:-$WORK/results}
: > "$RESULTS"
started=

cleanup() {
	local d
	for d in $started; do
		DV_DIR=$d dv_stop
	done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

n() { echo $(( $1 / scale < $2 ? $2 : $1 / scale )); }

# bench_settings: DV_EXTRA lines of every benchmark instance, in the
# syntax of the Dovecot under test: the auth-client socket, login
# processes that serve many connections each, room for the concurrent
# sessions of one user (globally, as the published runs had it); on 2.4
# the {NTLM} hash is a weak scheme that PLAIN and USER/PASS may verify
# against only when allowed.
bench_settings() {
	local reuse="service_count = 0"
	if [ "$DV_SYNTAX" = 2.4 ]; then
		reuse="restart_request_count = unlimited"
		echo "auth_allow_weak_schemes = yes"
	fi
	cat <<EOC
mail_max_userip_connections = 1000
service auth {
  unix_listener auth-bench {
    mode = 0600
  }
}
service pop3-login {
  $reuse
  process_min_avail = 2
}
service imap-login {
  $reuse
  process_min_avail = 2
}
service pop3 {
  process_limit = 200
}
service imap {
  process_limit = 200
}
EOC
}

# bench_start NAME: lib.sh's dv_start with the benchmark's settings
# (DV_PASSDB, DV_USERS and DV_EXTRA_BENCH as the caller sets them), and
# its auth-client socket ready
bench_start() {
	started="$started $WORK/$1"
	DV_AUTH_VERBOSE=no DV_AUTH_DEBUG=no \
	DV_EXTRA="$(bench_settings)
${DV_EXTRA_BENCH:-}" dv_start "$1" || {
		echo "dovecot.sh: $1: dovecot did not start" >&2
		cat "$DV_DIR/dovecot.log" >&2 2>/dev/null
		exit 1
	}
	for _ in $(seq 100); do
		[ -S "$DV_DIR/run/auth-bench" ] && return 0
		sleep 0.1
	done
	echo "dovecot.sh: $1: no auth-client socket" >&2
	exit 1
}

# measure ARGS...: one bench-dovecot measurement, its RESULT lines kept
failed=0
measure() {
	local out
	out=$("$bench" "$@") || failed=1
	printf '%s\n' "$out" | grep '^RESULT ' >> "$RESULTS"
	printf '%s\n' "$out" | grep '^RESULT ' | sed 's/^RESULT /  /' >&2
}

# ------------------------------------------------------------------
# the instances

PW=bench-password-1
hash=$(ntlm_hash "$PW") || exit 1

# 1. plain: lib.sh's one passwd-file passdb, the user with an {NTLM}
#    hash (PLAIN and USER/PASS verify against the same hash)
DV_USERS="bench:$hash" bench_start plain
P_DIR=$DV_DIR
P_SOCK=$P_DIR/run/auth-bench
P_POP3=$DV_POP3
P_IMAP=$DV_IMAP

# 2. delegate: the documented delegate chain; alice opens bob's mailbox
D_DIR=$WORK/delegate
mkdir -p "$D_DIR"
# maps of 10, 10,000 and 100,000 grants: filler principals with four
# delegates each, "bob: alice" last
mkmap() {
	awk -v n="$1" 'BEGIN {
		g = 0
		for (p = 0; g < n - 1; p++) {
			line = sprintf("principal%06d:", p)
			for (d = 0; d < 4 && g < n - 1; d++) {
				line = line sprintf(" delegate%06d", (p * 4 + d) % 99991)
				g++
			}
			print line
			printf "alias%06d = principal%06d\n", p, p
		}
		print "bob: alice"
	}' > "$2"
}
for g in 10 10000 100000; do
	mkmap "$g" "$D_DIR/map-$g"
done
cp "$D_DIR/map-10" "$D_DIR/delegates"
delegate_passdbs "$D_DIR" "domains=EXAMPLE"
DV_USERS=$(printf 'alice:%s\nbob:%s' "$hash" "$hash") \
DV_EXTRA_BENCH='auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/' \
	bench_start delegate
DV_PASSDB=
D_POP3=$DV_POP3

P_AUTH=$(DV_DIR=$P_DIR auth_pid)
[ -n "$P_AUTH" ] || { echo "dovecot.sh: no auth process" >&2; exit 1; }

echo "dovecot: $DV_VERSION${DV_CHROOT:+ (chroot $DV_CHROOT)}, $DV_SYNTAX syntax (auth pid $P_AUTH), scale 1/$scale, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# ------------------------------------------------------------------
# 1. the auth socket: PLAIN and NTLM batches alternate, 4 rounds

echo "== auth socket" >&2
for k in 1 8 32; do
	measure auth "$P_SOCK" "$P_AUTH" bench "$PW" "$k" "$(n 20000 400)" 4
done

# ------------------------------------------------------------------
# 2. POP3 and IMAP: USER/PASS (LOGIN), AUTH NTLM, AUTH NTLM with IR

for proto in pop3 imap; do
	echo "== $proto" >&2
	[ "$proto" = pop3 ] && port=$P_POP3 || port=$P_IMAP
	for c in 1 8 32; do
		count=$(( $(n $((c == 1 ? 400 : c == 8 ? 800 : 1600)) 40) ))
		[ "$count" -lt $((4 * c)) ] && count=$((4 * c))
		measure login "$proto" "$port" bench "$PW" "$c" "$count" 4 \
			user,ntlm,ntlm-ir
	done
done

# ------------------------------------------------------------------
# 3. delegate logins: the three maps alternate, each moved into place
#    with mv (the cache picks it up), a few logins after each swap to
#    let it be read, then the measured batch

echo "== delegate" >&2
dcount=$(n 1200 40)
for round in 1 2 3 4; do
	for g in 10 10000 100000; do
		cp "$D_DIR/map-$g" "$D_DIR/delegates.new"
		mv "$D_DIR/delegates.new" "$D_DIR/delegates"
		# past the cache's 100 ms re-read window
		sleep 0.2
		"$bench" login pop3 "$D_POP3" EXAMPLE/alice/bob "$PW" 1 2 1 \
			user > /dev/null || failed=1
		out=$("$bench" login pop3 "$D_POP3" EXAMPLE/alice/bob "$PW" 8 \
			$((dcount / 4 < 8 ? 8 : dcount / 4)) 1 user) || failed=1
		printf '%s\n' "$out" | grep '^RESULT ' |
			sed "s/test=pop3/test=delegate grants=$g/" >> "$RESULTS"
	done
done
awk '$2 == "test=delegate" && $3 ~ /^grants=/' "$RESULTS" | sed 's/^RESULT /  /' >&2

# ------------------------------------------------------------------
# 4. memory: 100,000 logins, then 10,000 handshakes left waiting

echo "== memory" >&2
# auth_ready: the instance's auth process in P_AUTH, started by the
# master for a connection to its socket if none runs (2.4's master stops
# an auth process that sat idle, as it may during the delegate rounds)
auth_ready() {
	local was=$P_AUTH
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()' "$P_SOCK"
	for _ in $(seq 100); do
		P_AUTH=$(DV_DIR=$P_DIR auth_pid)
		if [ -n "$P_AUTH" ]; then
			[ -z "$was" ] || [ "$P_AUTH" = "$was" ] ||
				echo "  auth process $was had stopped; now $P_AUTH" >&2
			return 0
		fi
		sleep 0.05
	done
	echo "dovecot.sh: no auth process" >&2
	exit 1
}
auth_ready
measure memory "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 100000 2000)"
# each in a fresh auth process (freed memory of one would hide the
# growth of the next); Dovecot's own LOGIN mechanism waiting for the user
# name as context: what a request costs without any mechanism state
restart_auth() {
	kill "$P_AUTH"
	for _ in $(seq 100); do
		kill -0 "$P_AUTH" 2>/dev/null || break
		sleep 0.05
	done
	P_AUTH=
	# the master starts auth again for the next connection
	auth_ready
}
restart_auth
measure wait "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 10000 1000)" NTLM
restart_auth
measure wait "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 10000 1000)" LOGIN

# ------------------------------------------------------------------
# the table

print_table "$RESULTS"

if [ "$failed" != 0 ]; then
	echo "dovecot.sh: some logins failed (see above)" >&2
	exit 1
fi
exit 0
