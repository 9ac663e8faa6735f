# Shared by the autopkgtests: start and stop the installed Dovecot, count
# checks. On a testbed booted with systemd the service is restarted the
# Debian way; in a chroot (no init) the test starts Dovecot itself.

PASSED=0
FAILED=0

pass() {
	PASSED=$((PASSED + 1))
	echo "PASS: $*"
}

fail() {
	FAILED=$((FAILED + 1))
	echo "FAIL: $*"
}

# check NAME CMD...: pass when CMD exits 0.
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

dovecot_stop() {
	if [ -d /run/systemd/system ]; then
		systemctl stop dovecot.service dovecot.socket 2>/dev/null || true
	elif [ -f /run/dovecot/master.pid ]; then
		doveadm stop 2>/dev/null || kill "$(cat /run/dovecot/master.pid)" || true
		for _i in $(seq 50); do
			[ -f /run/dovecot/master.pid ] || break
			sleep 0.1
		done
	fi
}

# dovecot_restart PORT...: (re)start the installed Dovecot with its
# configuration in /etc/dovecot and wait until it listens on the ports.
dovecot_restart() {
	if [ -d /run/systemd/system ]; then
		systemctl restart dovecot.service || return 1
	else
		dovecot_stop
		dovecot || return 1
	fi
	for port in "$@"; do
		for _i in $(seq 100); do
			if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				continue 2
			fi
			sleep 0.1
		done
		echo "dovecot does not listen on 127.0.0.1:$port" >&2
		return 1
	done
}

# dovecot_24: the installed Dovecot is 2.4 or later, whose configuration
# syntax differs (trixie on).
dovecot_24() {
	case $(dovecot --version) in
	2.[0-3].*) return 1 ;;
	esac
}

# listeners_conf POP3 IMAP: the listeners on 127.0.0.1 only (the same
# syntax in 2.3 and 2.4).
listeners_conf() {
	cat <<EOC
listen = 127.0.0.1
service pop3-login {
  inet_listener pop3 {
    port = $1
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  inet_listener imap {
    port = $2
  }
  inet_listener imaps {
    port = 0
  }
}
EOC
}

summary() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
}
