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
#   PORT_BASE      first TCP port (default 37000; uses PORT_BASE..+11)
#   BENCH_QUICK=1  a tenth of the counts (about 30 s instead of minutes)
#   BENCH_SCALE=N  divide the counts by N (BENCH_QUICK sets 10)
#   DOVECOT        dovecot binary (default: dovecot in PATH)
#   DOVEADM        doveadm binary (default: doveadm in PATH)
#   DOVECOT_AUTH   the auth binary, to find the auth process by its
#                  executable (default /usr/lib/dovecot/auth)
#   BENCH_OUT      keep the raw RESULT lines in this file
#
# The configuration written is Dovecot 2.3 syntax; other versions need
# their own dv_conf() (see the README's Performance section).
#
# Every measurement interleaves what it compares: PLAIN and NTLM batches
# (and the three map sizes) alternate in rounds within one run, so a
# busy neighbour on a shared machine slows both sides alike. The table
# gives ratios first; the absolute figures are context.

set -u

bench=${1:?usage: dovecot.sh BENCH_DOVECOT_BINARY}
DOVECOT=${DOVECOT:-dovecot}
DOVEADM=${DOVEADM:-doveadm}
DOVECOT_AUTH=${DOVECOT_AUTH:-/usr/lib/dovecot/auth}
PORT_BASE=${PORT_BASE:-37000}
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
chmod 0755 "$WORK"
RESULTS=${BENCH_OUT:-$WORK/results}
: > "$RESULTS"
started=

cleanup() {
	local d pid
	for d in $started; do
		pid=$(cat "$d/run/master.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null
	done
	for d in $started; do
		pid=$(cat "$d/run/master.pid" 2>/dev/null) || continue
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	done
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

n() { echo $(( $1 / scale < $2 ? $2 : $1 / scale )); }

# dv_conf DIR POP3 IMAP PASSDB-BLOCKS EXTRA: Dovecot 2.3 configuration
dv_conf() {
	cat <<EOC
base_dir = $1/run
state_dir = $1/state
log_path = $1/dovecot.log
instance_name = dovecot-ntlm-bench-$(basename "$1")
protocols = pop3 imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login ntlm
auth_failure_delay = 0
auth_verbose = no
auth_debug = no
import_environment = TZ DOVECOT_NTLM_CONFIG=$1/dovecot-ntlm.conf
$4
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$1/home/%u
}
mail_location = maildir:~/Maildir
protocol pop3 {
  mail_max_userip_connections = 1000
}
protocol imap {
  mail_max_userip_connections = 1000
}
service auth {
  unix_listener auth-bench {
    mode = 0600
  }
}
# high-performance login processes
service pop3-login {
  service_count = 0
  process_min_avail = 2
  inet_listener pop3 {
    port = $2
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  service_count = 0
  process_min_avail = 2
  inet_listener imap {
    port = $3
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3 {
  process_limit = 200
}
service imap {
  process_limit = 200
}
$5
EOC
}

# dv_start NAME POP3 IMAP PASSDB-BLOCKS EXTRA (users in $WORK/NAME/users)
dv_start() {
	local dir=$WORK/$1
	mkdir -p "$dir/run" "$dir/home"
	chown 65534:65534 "$dir/home"
	: > "$dir/dovecot-ntlm.conf"
	dv_conf "$dir" "$2" "$3" "$4" "${5:-}" > "$dir/dovecot.conf"
	if ! "$DOVECOT" -c "$dir/dovecot.conf"; then
		echo "dovecot.sh: $1: dovecot did not start" >&2
		cat "$dir/dovecot.log" >&2 2>/dev/null
		exit 1
	fi
	started="$started $dir"
	for _ in $(seq 100); do
		if [ -S "$dir/run/auth-bench" ] && python3 - "$2" "$3" <<'EOP' 2>/dev/null
import socket, sys
for port in sys.argv[1:]:
    socket.create_connection(("127.0.0.1", int(port)), 1).close()
EOP
		then
			return 0
		fi
		sleep 0.1
	done
	echo "dovecot.sh: $1: not listening" >&2
	exit 1
}

# auth_pid DIR: the instance's auth process (not an auth worker)
auth_pid() {
	local master pid
	master=$(cat "$1/run/master.pid") || return 1
	for pid in $(pgrep -P "$master"); do
		if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$DOVECOT_AUTH" ] &&
		   ! tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- 'auth-worker\| -w'
		then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

# run ARGS...: one bench-dovecot measurement, its RESULT lines kept
failed=0
run() {
	local out
	out=$("$bench" "$@") || failed=1
	printf '%s\n' "$out" | grep '^RESULT ' >> "$RESULTS"
	printf '%s\n' "$out" | grep '^RESULT ' | sed 's/^RESULT /  /' >&2
}

# ------------------------------------------------------------------
# the instances

PW=bench-password-1
hash=$("$DOVEADM" pw -s NTLM -p "$PW") || exit 1

# 1. plain: one passwd-file passdb, the user with an {NTLM} hash (PLAIN
#    and USER/PASS verify against the same hash)
mkdir -p "$WORK/plain"
echo "bench:$hash" > "$WORK/plain/users"
dv_start plain "$PORT_BASE" "$((PORT_BASE + 1))" "passdb {
  driver = passwd-file
  args = $WORK/plain/users
}"
P_DIR=$WORK/plain
P_SOCK=$P_DIR/run/auth-bench
P_POP3=$PORT_BASE
P_IMAP=$((PORT_BASE + 1))

# 2. delegate: the documented delegate chain; alice opens bob's mailbox
mkdir -p "$WORK/delegate"
D_DIR=$WORK/delegate
printf 'alice:%s\nbob:%s\n' "$hash" "$hash" > "$D_DIR/users"
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
dv_start delegate "$((PORT_BASE + 10))" "$((PORT_BASE + 11))" "passdb {
  driver = delegate
  args = map=$D_DIR/delegates domains=EXAMPLE
}
passdb {
  driver = passwd-file
  args = $D_DIR/users
  result_success = continue-ok
}
passdb {
  driver = passwd-file
  args = $D_DIR/users
  master = yes
  pass = yes
}" 'auth_username_chars = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@/'
D_POP3=$((PORT_BASE + 10))

P_AUTH=$(auth_pid "$P_DIR") || { echo "dovecot.sh: no auth process" >&2; exit 1; }

echo "dovecot: $("$DOVECOT" --version) (auth pid $P_AUTH), scale 1/$scale, $(nproc) cores" >&2

# ------------------------------------------------------------------
# 1. the auth socket: PLAIN and NTLM batches alternate, 4 rounds

echo "== auth socket" >&2
for k in 1 8 32; do
	run auth "$P_SOCK" "$P_AUTH" bench "$PW" "$k" "$(n 20000 400)" 4
done

# ------------------------------------------------------------------
# 2. POP3 and IMAP: USER/PASS (LOGIN), AUTH NTLM, AUTH NTLM with IR

for proto in pop3 imap; do
	echo "== $proto" >&2
	[ "$proto" = pop3 ] && port=$P_POP3 || port=$P_IMAP
	for c in 1 8 32; do
		count=$(( $(n $((c == 1 ? 400 : c == 8 ? 800 : 1600)) 40) ))
		[ "$count" -lt $((4 * c)) ] && count=$((4 * c))
		run login "$proto" "$port" bench "$PW" "$c" "$count" 4 \
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
run memory "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 100000 2000)"
# each in a fresh auth process (freed memory of one would hide the
# growth of the next); Dovecot's own LOGIN mechanism waiting for the user
# name as context: what a request costs without any mechanism state
restart_auth() {
	kill "$P_AUTH"
	for _ in $(seq 100); do
		kill -0 "$P_AUTH" 2>/dev/null || break
		sleep 0.05
	done
	# the master starts auth again for the next connection
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.close()' "$P_SOCK"
	for _ in $(seq 100); do
		P_AUTH=$(auth_pid "$P_DIR") && [ -n "$P_AUTH" ] && return 0
		sleep 0.05
	done
	echo "dovecot.sh: auth did not restart" >&2
	exit 1
}
restart_auth
run wait "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 10000 1000)" NTLM
restart_auth
run wait "$P_SOCK" "$P_AUTH" bench "$PW" "$(n 10000 1000)" LOGIN

# ------------------------------------------------------------------
# the table

print_table "$RESULTS"

if [ "$failed" != 0 ]; then
	echo "dovecot.sh: some logins failed (see above)" >&2
	exit 1
fi
exit 0
