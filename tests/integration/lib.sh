# Helpers for the integration suite: private Dovecot instances on
# 127.0.0.1, a pass/fail tally, the clients every scenario may use, and
# scenario_run, which runs one scenarios/NN-name.sh from a clean slate.
# Sourced by run.sh; whatever two scenarios share lives here (a scenario
# runs in a subshell of its own and sees nothing another one defined).
#
# The Dovecot under test is the host's, or with DV_CHROOT=DIR the one
# installed in that chroot (scripts/dovecot-chroot.sh; run-chroot.sh sets
# it up): dovecot, doveadm and doveconf then run inside the chroot, the
# work directory is bind-mounted into it at the same path (so every path
# means the same inside and out; this needs the private mount namespace
# dovecot-chroot.sh's session gives), and the clients stay on the host,
# talking to the chroot's Dovecot over loopback.

PY=/usr/bin/python3
LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The clients of this directory.
CLIENT="$PY $LIB_DIR/ntlm-client.py"
HOSTILE="$PY $LIB_DIR/hostile.py"
GSS_CLIENT="$PY $LIB_DIR/gss-ntlm-client.py"
WORK=${WORK:-$(mktemp -d /tmp/dovecot-ntlm-it.XXXXXX)}
# Dovecot's unprivileged processes must reach the instance files.
chmod 0755 "$WORK"
DV_CHROOT=${DV_CHROOT:-}
if [ -n "$DV_CHROOT" ]; then
	mkdir -p "$DV_CHROOT$WORK"
	mount --bind "$WORK" "$DV_CHROOT$WORK" || {
		echo "cannot bind-mount $WORK into $DV_CHROOT" >&2
		exit 1
	}
	dovecot() { chroot "$DV_CHROOT" /usr/sbin/dovecot "$@"; }
	doveadm() { chroot "$DV_CHROOT" /usr/bin/doveadm "$@"; }
	doveconf() { chroot "$DV_CHROOT" /usr/bin/doveconf "$@"; }
fi
DV_VERSION=$(dovecot --version 2>/dev/null)
# The configuration syntax, from what doveconf knows (2.4 has
# dovecot_storage_version and refuses a 2.3 configuration).
if doveconf -d 2>/dev/null | grep -q '^dovecot_storage_version'; then
	DV_SYNTAX=2.4
else
	DV_SYNTAX=2.3
fi
echo "Dovecot under test: ${DV_VERSION:-unknown}${DV_CHROOT:+ (chroot $DV_CHROOT)}, configuration syntax $DV_SYNTAX"
PORT_BASE=${PORT_BASE:-24110}
# The suite takes about 1,000 ports from PORT_BASE on. Inside the
# kernel's ephemeral range an outgoing connection (Dovecot to slapd, a
# client) may hold one of them, and a later listen() then fails with
# "Address already in use" (seen in Debian's autopkgtest at 36350).
read -r eph_lo eph_hi < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null ||
	eph_lo=
if [ -n "$eph_lo" ] && [ $((PORT_BASE + 1000)) -ge "$eph_lo" ] &&
   [ "$PORT_BASE" -le "$eph_hi" ]; then
	echo "warning: PORT_BASE=$PORT_BASE overlaps the ephemeral port range $eph_lo-$eph_hi: listeners may collide with outgoing connections" >&2
fi
PASSED=0
FAILED=0
FAILED_NAMES=""
DV_DIR=
DV_POP3=
DV_IMAP=
CHECK_N=0

# Independent clients that hash with MD4 (python3-ntlm-auth) need
# OpenSSL's legacy provider, which Debian 12 does not enable by default.
OPENSSL_LEGACY_CONF=$WORK/openssl-legacy.cnf
cat > "$OPENSSL_LEGACY_CONF" <<'EOC'
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
[provider_sect]
default = default_sect
legacy = legacy_sect
[default_sect]
activate = 1
[legacy_sect]
activate = 1
EOC

pass() {
	PASSED=$((PASSED + 1))
	echo "PASS: $*"
}

fail() {
	FAILED=$((FAILED + 1))
	FAILED_NAMES="$FAILED_NAMES
  $*"
	echo "FAIL: $*"
}

# ntlm_hash PASSWORD: the {NTLM} passdb value, from Dovecot's own doveadm
# (which loads our scheme module).
ntlm_hash() {
	doveadm pw -s NTLM -p "$1"
}

# add_mail USER TEXT: one message in USER's INBOX.
add_mail() {
	local dir="$DV_DIR/home/$1/Maildir"
	mkdir -p "$dir/new" "$dir/cur" "$dir/tmp"
	printf 'From: test@example.com\r\nSubject: %s\r\n\r\n%s\r\n' \
		"$2" "$2" > "$dir/new/1.$(date +%s).$1"
	chown -R 65534:65534 "$DV_DIR/home/$1"
}

# dv_listeners: this instance's POP3 and IMAP listeners on DV_POP3 and
# DV_IMAP (the TLS-only ones off), the same in both config syntaxes.
dv_listeners() {
	cat <<EOC
service pop3-login {
  inet_listener pop3 {
    port = $DV_POP3
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  inet_listener imap {
    port = $DV_IMAP
  }
  inet_listener imaps {
    port = 0
  }
}
EOC
}

# dv_config NAME: write $WORK/NAME/dovecot.conf in the syntax of the
# Dovecot under test (DV_SYNTAX), from:
#   DV_NTLM_CONF  the ntlm_* settings: 2.3 writes them to the instance's
#                 dovecot-ntlm.conf, 2.4 into dovecot.conf itself
#   DV_NTLM_FILE  "no": 2.3 passes no settings file to the auth process
#   DV_USERS      contents of its passwd-file
#   DV_EXTRA      extra dovecot.conf lines (in DV_SYNTAX's syntax)
#   DV_PASSDB     passdb blocks instead of the one passwd-file passdb
#   DV_AUTH_VERBOSE, DV_AUTH_DEBUG  "no" for quiet auth logs (the
#                 benchmark; default yes)
dv_config() {
	local name=$1
	DV_DIR=$WORK/$name
	DV_POP3=$PORT_BASE
	DV_IMAP=$((PORT_BASE + 1))
	PORT_BASE=$((PORT_BASE + 10))
	mkdir -p "$DV_DIR/run" "$DV_DIR/home"
	chown 65534:65534 "$DV_DIR/home"
	printf '%s\n' "${DV_NTLM_CONF:-}" > "$DV_DIR/dovecot-ntlm.conf"
	printf '%s\n' "${DV_USERS:-}" > "$DV_DIR/users"
	if [ "$DV_SYNTAX" = 2.4 ]; then
		dv_config_24 "$name"
	else
		dv_config_23 "$name"
	fi
}

dv_config_23() {
	local name=$1 env
	if [ "${DV_NTLM_FILE:-yes}" = no ]; then
		env="import_environment = TZ"
	else
		env="import_environment = TZ DOVECOT_NTLM_CONFIG=$DV_DIR/dovecot-ntlm.conf"
	fi
	cat > "$DV_DIR/dovecot.conf" <<EOC
base_dir = $DV_DIR/run
state_dir = $DV_DIR/state
log_path = $DV_DIR/dovecot.log
instance_name = dovecot-ntlm-$name
protocols = pop3 imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login ntlm
auth_failure_delay = 0
auth_verbose = ${DV_AUTH_VERBOSE:-yes}
auth_debug = ${DV_AUTH_DEBUG:-yes}
$env
${DV_PASSDB:-passdb {
  driver = passwd-file
  args = $DV_DIR/users
\}}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$DV_DIR/home/%u
}
mail_location = maildir:~/Maildir
$(dv_listeners)
${DV_EXTRA:-}
EOC
}

# Dovecot 2.4: dovecot_config_version first (pinned to 2.4.0 so that one
# file means the same on 2.4.1 and 2.4.5), named passdb/userdb blocks,
# mail_driver/mail_path, %{user}, and the ntlm_* settings are Dovecot
# settings (the settings module declares them).
dv_config_24() {
	local name=$1
	cat > "$DV_DIR/dovecot.conf" <<EOC
dovecot_config_version = 2.4.0
dovecot_storage_version = 2.4.0
base_dir = $DV_DIR/run
state_dir = $DV_DIR/state
log_path = $DV_DIR/dovecot.log
instance_name = dovecot-ntlm-$name
protocols = pop3 imap
listen = 127.0.0.1
ssl = no
auth_allow_cleartext = yes
auth_mechanisms = plain login ntlm
auth_failure_delay = 0
auth_verbose = ${DV_AUTH_VERBOSE:-yes}
auth_debug = ${DV_AUTH_DEBUG:-yes}
${DV_NTLM_CONF:-}
${DV_PASSDB:-passdb passwd-file {
  passwd_file_path = $DV_DIR/users
\}}
userdb static {
  fields {
    uid = 65534
    gid = 65534
    home = $DV_DIR/home/%{user}
  }
}
mail_driver = maildir
mail_path = ~/Maildir
$(dv_listeners)
${DV_EXTRA:-}
EOC
}

# delegate_passdbs DIR DRIVER-ARGS: DV_PASSDB for the documented delegate
# chain (map DIR/delegates, passwd-file DIR/users), in the syntax of the
# Dovecot under test (scenario 30-delegate and bench/dovecot.sh). DRIVER-ARGS are 2.3's args
# ("domains=CORP upn=local"); on 2.4 each becomes a setting of the
# "passdb delegate { }" block (passdb_delegate_domains, ...), and the
# master passdb lets the chain go on with result_success = continue
# (2.4 has no pass = yes).
delegate_passdbs() {
	local a settings=
	if [ "$DV_SYNTAX" = 2.4 ]; then
		for a in $2; do
			settings="$settings
  ${a%%=*} = ${a#*=}"
		done
		DV_PASSDB="passdb delegate {
  map = $1/delegates$settings
}
passdb users {
  driver = passwd-file
  passwd_file_path = $1/users
  result_success = continue-ok
}
passdb masters {
  driver = passwd-file
  passwd_file_path = $1/users
  master = yes
  result_success = continue
}"
		return
	fi
	DV_PASSDB="passdb {
  driver = delegate
  args = map=$1/delegates $2
}
passdb {
  driver = passwd-file
  args = $1/users
  result_success = continue-ok
}
passdb {
  driver = passwd-file
  args = $1/users
  master = yes
  pass = yes
}"
}

# dv_start NAME: write the configuration (dv_config) and start Dovecot.
dv_start() {
	dv_config "$1"
	dv_launch "$1"
}

# dv_launch NAME: start the Dovecot of $DV_DIR/dovecot.conf and wait until
# it listens on DV_POP3 and DV_IMAP.
dv_launch() {
	local name=$1 i
	if ! dovecot -c "$DV_DIR/dovecot.conf" 2> "$DV_DIR/start.err"; then
		fail "$name: dovecot did not start"
		sed 's/^/    | /' "$DV_DIR/start.err" | tail -n 5
		return 1
	fi
	for i in $(seq 50); do
		if $PY - "$DV_POP3" "$DV_IMAP" <<'EOP' 2>/dev/null; then
import socket, sys
for port in sys.argv[1:]:
    socket.create_connection(("127.0.0.1", int(port)), 1).close()
EOP
			return 0
		fi
		sleep 0.1
	done
	fail "$name: dovecot is not listening"
	return 1
}

dv_stop() {
	local pid i
	pid=$(cat "$DV_DIR/run/master.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
}

# auth_pid: pid of this instance's auth process.
auth_pid() {
	local master pid
	master=$(cat "$DV_DIR/run/master.pid" 2>/dev/null) || return 0
	# the child of this instance's master that runs the auth binary,
	# not an auth-worker (by executable, so it also works when auth is
	# started through env(1) with sanitizer runtimes preloaded)
	for pid in $(pgrep -P "$master"); do
		if [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = \
		     "$DV_CHROOT/usr/lib/dovecot/auth" ] &&
		   ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null |
			grep -q -- 'auth-worker\| -w'; then
			echo "$pid"
			return 0
		fi
	done
}

# expect_auth_pid NAME PID: the instance's auth process is still PID (it
# neither crashed nor was restarted); an empty PID (none was found
# before) fails too.
expect_auth_pid() {
	local now
	now=$(auth_pid)
	if [ -n "$2" ] && [ "$2" = "$now" ]; then
		pass "$1: the auth process kept its pid ($2)"
	else
		fail "$1: auth pid changed ('$2' -> '$now')"
	fi
}

# expect_no_crash NAME: no panic, fatal error or crash in the instance's
# log.
expect_no_crash() {
	if grep -Eq 'Panic|Fatal|segfault|killed with signal' \
		"$DV_DIR/dovecot.log"; then
		fail "$1"
		grep -E 'Panic|Fatal|segfault|killed with signal' \
			"$DV_DIR/dovecot.log" | head -n 5 | sed 's/^/    log| /'
	else
		pass "$1"
	fi
}

# Run a command; its output goes to a file per check for the assertions.
# OUT is that file afterwards.
#
# Each check connects from its own loopback address (CLIENT_IP): Dovecot
# delays further logins from an address that just failed one (its auth
# penalty, up to 15 s), and many checks fail on purpose. fetchmail cannot
# choose its address and stays on 127.0.0.1.
run() {
	CHECK_N=$((CHECK_N + 1))
	CLIENT_IP=127.0.$((CHECK_N / 250)).$((2 + CHECK_N % 250))
	export CLIENT_IP
	OUT=$DV_DIR/check-$CHECK_N.out
	LOGMARK=$(wc -l < "$DV_DIR/dovecot.log" 2>/dev/null || echo 0)
	"$@" > "$OUT" 2>&1
	RC=$?
	# give the auth process a moment to flush its log line
	sleep 0.05
}

# Log lines written since the last run().
new_log() {
	tail -n +"$((LOGMARK + 1))" "$DV_DIR/dovecot.log"
}

# expect NAME RC-TEST [OUTPUT-REGEX] [LOG-REGEX]
#   RC-TEST is "ok" (exit 0), "fail" (non-zero) or a number.
expect() {
	local name=$1 want=$2 out_re=${3:-} log_re=${4:-} why=
	case $want in
	ok) [ "$RC" -eq 0 ] || why="exit $RC, expected 0" ;;
	fail) [ "$RC" -ne 0 ] || why="exit 0, expected failure" ;;
	*) [ "$RC" -eq "$want" ] || why="exit $RC, expected $want" ;;
	esac
	if [ -z "$why" ] && [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$OUT"; then
		why="output lacks /$out_re/"
	fi
	if [ -z "$why" ] && [ -n "$log_re" ] && ! new_log | grep -Eq -- "$log_re"; then
		why="auth log lacks /$log_re/"
	fi
	if [ -n "$why" ]; then
		fail "$name ($why)"
		sed 's/^/    | /' "$OUT" | tail -n 8
		new_log | sed 's/^/    log| /' | tail -n 6
	else
		pass "$name"
	fi
}

# expect_in_log NAME REGEX: anywhere in the instance's log (for lines
# written at start-up, before any check ran).
expect_in_log() {
	if grep -Eq -- "$2" "$DV_DIR/dovecot.log"; then
		pass "$1"
	else
		fail "$1 (log lacks /$2/)"
	fi
}

# test_certs DIR: a throw-away CA (DIR/ca.pem) and two server
# certificates it signed, both for 127.0.0.1 and localhost: DIR/server.pem
# (+ .key) the one a Dovecot under test presents, DIR/other.pem (+ .key)
# another server's, for the channel-binding relay checks. Made once per
# DIR; returns non-zero (with the openssl log on stdout) on failure.
test_certs() {
	local dir=$1 n
	[ -f "$dir/other.pem" ] && return 0
	mkdir -p "$dir"
	(
	cd "$dir" &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		-nodes -keyout ca.key -out ca.pem -days 2 \
		-subj "/CN=dovecot-ntlm test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" &&
	printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		"basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" \
		> server.ext &&
	for n in server other; do
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
			-nodes -keyout $n.key -out $n.csr -subj "/CN=localhost" &&
		openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key \
			-CAcreateserial -days 2 -extfile server.ext \
			-out $n.pem || exit 1
	done
	) > "$dir/openssl.log" 2>&1 || {
		sed 's/^/    | /' "$dir/openssl.log" | tail -n 8
		return 1
	}
	# Dovecot's unprivileged login processes read nothing here, but
	# the config parser (root) does; keep the keys private
	chmod 600 "$dir"/*.key
}

# dv_tls_conf DIR: the dovecot.conf lines for TLS with DIR/server.pem, in
# DV_SYNTAX's syntax.
dv_tls_conf() {
	if [ "$DV_SYNTAX" = 2.4 ]; then
		printf '%s\n' "ssl = yes" \
			"ssl_server_cert_file = $1/server.pem" \
			"ssl_server_key_file = $1/server.key"
	else
		printf '%s\n' "ssl = yes" "ssl_cert = <$1/server.pem" \
			"ssl_key = <$1/server.key"
	fi
}

# --- TLS listeners and SMTP submission ------------------------------

# dv_submission_start NAME TLSDIR: an instance (dv_config NAME with the
# caller's DV_* settings) with TLS from TLSDIR/server.pem (test_certs),
# implicit-TLS listeners next to the plaintext/STARTTLS ones (DV_POP3S,
# DV_IMAPS, DV_SUBS) and Dovecot's submission service (STARTTLS) on
# DV_SUB, relaying to smtp-sink.py on DV_SINK, which appends what it
# receives to $DV_DIR/sink.mail. Starts the sink, then Dovecot and the
# standard mail; fails as dv_launch does.
dv_submission_start() {
	local i
	dv_config "$1"
	DV_SUB=$((DV_POP3 + 2))
	DV_SUBS=$((DV_POP3 + 3))
	DV_SINK=$((DV_POP3 + 4))
	DV_POP3S=$((DV_POP3 + 5))
	DV_IMAPS=$((DV_POP3 + 6))
	cat >> "$DV_DIR/dovecot.conf" <<EOC
protocols = pop3 imap submission
hostname = mail.example.com
submission_relay_host = 127.0.0.1
submission_relay_port = $DV_SINK
submission_relay_trusted = yes
$(dv_tls_conf "$2")
service pop3-login {
  inet_listener pop3s {
    port = $DV_POP3S
    ssl = yes
  }
}
service imap-login {
  inet_listener imaps {
    port = $DV_IMAPS
    ssl = yes
  }
}
service submission-login {
  inet_listener submission {
    port = $DV_SUB
  }
  inet_listener submissions {
    port = $DV_SUBS
    ssl = yes
  }
}
EOC
	: > "$DV_DIR/sink.mail"
	$PY "$HERE/smtp-sink.py" "$DV_SINK" "$DV_DIR/sink.mail" \
		> "$DV_DIR/sink.log" 2>&1 &
	DV_SINK_PID=$!
	for i in $(seq 50); do
		grep -q ready "$DV_DIR/sink.log" && break
		sleep 0.1
	done
	dv_launch "$1" || return 1
	standard_mail
	# the submission service starts after the POP3 and IMAP listeners
	for i in $(seq 50); do
		$PY -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
			"$DV_SUB" 2>/dev/null && return 0
		sleep 0.1
	done
}

# dv_submission_stop: the sink and the instance.
dv_submission_stop() {
	[ -n "${DV_SINK_PID:-}" ] && kill "$DV_SINK_PID" 2>/dev/null
	[ -n "${DV_SINK_PID:-}" ] && wait "$DV_SINK_PID" 2>/dev/null
	DV_SINK_PID=
	dv_stop
}

# --- clients --------------------------------------------------------

# curl_ntlm pop3|imap USER:PASS [curl options]: fetch message 1 with
# AUTH=NTLM (a --login-options AUTH=MECH among the options picks another
# mechanism: curl takes the last one), from this check's own address.
curl_ntlm() {
	local proto=$1 cred=$2 url
	shift 2
	if [ "$proto" = pop3 ]; then
		url="pop3://127.0.0.1:$DV_POP3/1"
	else
		url="imap://127.0.0.1:$DV_IMAP/INBOX/;UID=1"
	fi
	curl -sS --max-time 10 --interface "$CLIENT_IP" -u "$cred" \
		--login-options AUTH=NTLM "$@" "$url"
}

# py_ntlm pop3|imap PASSWORD ARGS...
py_ntlm() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	NTLM_PASSWORD=$2 OPENSSL_CONF=$OPENSSL_LEGACY_CONF \
		$CLIENT ntlm "--$proto" "$port" "${@:3}"
}

# py_login pop3|imap PASSWORD USER [ntlm-client.py login options]: a
# plaintext login (USER/PASS or LOGIN by default); prints the opened
# mailbox as "MAIL:".
py_login() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	LOGIN_PASSWORD=$2 $CLIENT login "--$proto" "$port" --user "$3" "${@:4}"
}

# cyrus pop3|imap PASSWORD USER NTLM_V2
cyrus() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	SASL_PASSWORD=$2 SASL_SOURCE_IP=$CLIENT_IP "$SASL_CLIENT" "--$proto" --host 127.0.0.1 \
		--port "$port" --user "$3" --ntlm-v2 "$4"
}

# fetchmail_ntlm pop3|imap USER PASSWORD: exit 0 = mail fetched,
# 3 = authentication failed.
fetchmail_ntlm() {
	local proto=$1 port home=$DV_DIR/fetchmail
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	mkdir -p "$home"
	cat > "$home/rc" <<EOC
set no syslog
poll 127.0.0.1 service $port protocol $proto auth ntlm timeout 10
  user "$2" password "$3" is root here
  keep fetchall sslproto ""
  mda "/bin/cat"
EOC
	chmod 600 "$home/rc"
	# as root fetchmail locks /var/run/fetchmail.pid: one run at a time on
	# the machine; its own pid file lets two suites run side by side
	HOME=$home fetchmail -f "$home/rc" --pidfile "$home/pid" --nosyslog \
		-v -i "$home/ids"
}

# raw pop3|imap LINE...: ntlm-client.py sends the lines as they are and
# prints the dialogue ("C:"/"S:").
raw() {
	local proto=$1 port
	shift
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	$CLIENT raw "--$proto" "$port" "$@"
}

# The Outlook NEGOTIATE of [MS-OXPOP3] 4.1.
OUTLOOK_NEGOTIATE=TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAFASgKAAAADw==

# standard_users: DV_USERS of the standard accounts: alice ({NTLM} hash of
# "secret"), bob ({PLAIN} hunter2), carol@example.com, and jsmith whose
# passdb user= maps the login to the mailbox john.smith.
standard_users() {
	DV_USERS="alice:$(ntlm_hash secret)
bob:{PLAIN}hunter2
carol@example.com:$(ntlm_hash carol-pw)
jsmith:$(ntlm_hash smith-pw)::::::user=john.smith"
}

# The names most scenarios give the server (NetBIOS domain EXAMPLE, DNS
# domain example.com), as DV_NTLM_CONF lines.
STANDARD_NAMES="ntlm_netbios_domain = EXAMPLE
ntlm_dns_domain = example.com"

# dv_start_standard NAME: the standard users (standard_users), then
# dv_start with the caller's DV_* settings and, once it runs, the standard
# mail (standard_mail). Fails as dv_start does.
dv_start_standard() {
	standard_users
	dv_start "$1" && standard_mail
}

# standard_mail: one message in each standard account's INBOX.
standard_mail() {
	add_mail alice "hello alice"
	add_mail bob "hello bob"
	add_mail carol@example.com "hello carol"
	add_mail john.smith "hello john"
}

# hostile pop3|imap IP-BASE ARGS...: hostile.py (ARGS: its subcommand,
# cases and options) against this instance, with the legacy provider so
# that python3-ntlm-auth has MD4.
hostile() {
	local proto=$1 port
	[ "$proto" = pop3 ] && port=$DV_POP3 || port=$DV_IMAP
	OPENSSL_CONF=$OPENSSL_LEGACY_CONF $HOSTILE "${@:3}" "--$proto" "$port" \
		--ip-base "$2"
}

# hostile_here pop3|imap ARGS...: hostile from this check's own loopback
# address (CLIENT_IP, which run() sets just before it runs the command).
hostile_here() {
	hostile "$1" "$CLIENT_IP" "${@:2}"
}

# tally_output FILE PREFIX: add the "PASS: "/"FAIL: " lines of a client
# that keeps its own tally (hostile.py) to this suite's, the failed ones
# named with PREFIX. Prints them.
tally_output() {
	local n_pass n_fail line
	n_pass=$(grep -c '^PASS: ' "$1")
	n_fail=$(grep -c '^FAIL: ' "$1")
	grep -E '^(PASS|FAIL): |^hostile: ' "$1"
	PASSED=$((PASSED + n_pass))
	FAILED=$((FAILED + n_fail))
	while IFS= read -r line; do
		FAILED_NAMES="$FAILED_NAMES
  $2 ${line#FAIL: }"
	done < <(grep '^FAIL: ' "$1")
}

# --- scenarios --------------------------------------------------------

# dv_reset: a clean slate for the next scenario: no instance settings
# (DV_*) left over, only what lib.sh found out about the Dovecot under
# test.
dv_reset() {
	local v
	for v in $(compgen -v DV_); do
		case $v in
		DV_CHROOT|DV_VERSION|DV_SYNTAX) ;;
		*) unset "$v" ;;
		esac
	done
	DV_DIR=
	DV_POP3=
	DV_IMAP=
}

# scenario_run FILE: run one scenario file in a subshell, so that nothing
# it defines (variables, helpers, traps) reaches the next one, and carry
# back only the tally and the port and address counters.
scenario_run() {
	local scenario_tally=$WORK/tally
	rm -f "$scenario_tally"
	(
		dv_reset
		trap 'dv_stop' EXIT
		. "$1"
		dv_stop
		printf 'PASSED=%q\nFAILED=%q\nFAILED_NAMES=%q\nCHECK_N=%q\nPORT_BASE=%q\n' \
			"$PASSED" "$FAILED" "$FAILED_NAMES" "$CHECK_N" \
			"$PORT_BASE" > "$scenario_tally"
	)
	if [ -s "$scenario_tally" ]; then
		. "$scenario_tally"
	else
		fail "$(basename "$1"): the scenario did not finish"
	fi
}
