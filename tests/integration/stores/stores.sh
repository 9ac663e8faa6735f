# Helpers for the credential-store scenarios (scenarios/7x-*.sh): a
# private OpenLDAP slapd, SQLite databases, and the passdb blocks that
# serve NTLM from them, in Dovecot 2.3 or 2.4 syntax (DV_SYNTAX).
# Sourced by the scenarios, after run.sh's helpers.

STORES=$HERE/stores
DV_SYNTAX=${DV_SYNTAX:-2.3}
# PLAIN with the NT hash typed as the password: a mismatch on 2.3; on 2.4
# the stored {NTLM} value is a weak scheme, refused before any compare
# (auth_allow_weak_schemes = no)
# Dovecot's own log lines of an SQL lookup: 2.3 prefixes them
# "sql(USER,IP)", 2.4 "auth-worker(USER,IP)<PID><SESSION>: request [N]:"
# and the passdb's name
# An LDAP entry without sambaNTPassword: 2.3 returns the user without a
# password and NTLM says so; 2.4 fails expanding %{ldap:sambaNTPassword}
# ("No such attribute"), a temporary failure whose reason is Dovecot's
# own error line (the login is refused either way).
if [ "$DV_SYNTAX" = 2.4 ]; then
	LDAP_NOHASH_LOG="ldap: .*No such attribute 'sambantpassword'"
	LDAP_NOHASH_DOVECOT_LOG="auth\(nohash,.*No such attribute 'sambantpassword'"
else
	LDAP_NOHASH_LOG="NTLM login refused: the passdb has neither an \{NTLM\} hash nor a plaintext password for this user \(it returned no password; fix: store an \{NTLM\} value"
	LDAP_NOHASH_DOVECOT_LOG="ldap\(nohash,.*No password returned"
fi
if [ "$DV_SYNTAX" = 2.4 ]; then
	NT_AS_PLAIN_REFUSED="Weak password scheme 'NTLM' used and refused"
	SQL_NO_PASSWORD_LOG="auth-worker\(nullpw,.*No password returned"
	SQL_WORKER_LOG="auth-worker\(alice,[^)]*\)<[0-9]+>.*sql"
else
	NT_AS_PLAIN_REFUSED="[Pp]assword mismatch"
	SQL_NO_PASSWORD_LOG="sql\(nullpw,.*No password returned"
	SQL_WORKER_LOG="auth-worker\([0-9]+\): .*sql\(alice,"
fi

# ldap-utils: read neither /etc/ldap/ldap.conf nor ~/.ldaprc
export LDAPNOINIT=1

LDAP_SUFFIX=dc=example,dc=com
LDAP_PEOPLE=ou=people,$LDAP_SUFFIX
LDAP_ADMIN_DN=cn=admin,$LDAP_SUFFIX
LDAP_ADMIN_PW=test-admin-pw
# Dovecot binds as this DN, which alone may read the hash attributes
LDAP_BIND_DN=cn=dovecot,$LDAP_SUFFIX
LDAP_BIND_PW=test-dovecot-pw
SLAPD_PID=
SLAPD_DIR=
SLAPD_URI=

# stores_need COMMAND...: fail (not skip) when a store's tools are
# missing, so that a machine without them cannot pass by running less.
stores_need() {
	local cmd missing=
	for cmd in "$@"; do
		command -v "$cmd" > /dev/null || missing="$missing $cmd"
	done
	[ -z "$missing" ] && return 0
	fail "missing$missing: run scripts/install-deps.sh"
	return 1
}

# nt_hex PASSWORD: the NT hash as Samba stores it in sambaNTPassword,
# 32 upper-case hex digits (from doveadm, which loads our scheme).
nt_hex() {
	ntlm_hash "$1" | sed 's/^{NTLM}//' | tr a-f A-F
}

# stores_stop: everything the store scenarios started (for traps too).
stores_stop() {
	dv_stop
	slapd_stop
}

# ldap_user_ldif UID RID [NT-HEX]: a Samba account entry; without
# NT-HEX it has no sambaNTPassword.
ldap_user_ldif() {
	printf 'dn: uid=%s,%s\nobjectClass: inetOrgPerson\nobjectClass: sambaSamAccount\nuid: %s\ncn: %s\nsn: %s\nsambaSID: S-1-5-21-1004336348-1177238915-682003330-%s\nsambaAcctFlags: [U          ]\n' \
		"$1" "$LDAP_PEOPLE" "$1" "$1" "$1" "$2"
	[ -n "${3:-}" ] && printf 'sambaNTPassword: %s\n' "$3"
	echo
}

# slapd_start NAME ENTRIES-LDIF: a slapd of our own: configuration
# (slapd.conf, -f) and database under $WORK/slapd-NAME, listening only on
# ldap://127.0.0.1:SLAPD_PORT/ (SLAPD_PORT, or the next slot of
# PORT_BASE). Nothing of the system's slapd (/etc/ldap/slapd.d,
# /var/lib/ldap, its service) is read or touched; the schema files Debian's
# slapd package ships in /etc/ldap/schema are only included, read-only.
slapd_start() {
	local name=$1 port i
	stores_need slapd slaptest slapadd ldapsearch ldapmodify ldapadd ||
		return 1
	if [ ! -e /usr/lib/dovecot/modules/auth/libauthdb_ldap.so ]; then
		fail "missing Dovecot's LDAP passdb (dovecot-ldap): run scripts/install-deps.sh"
		return 1
	fi
	if [ -n "${SLAPD_PORT:-}" ]; then
		port=$SLAPD_PORT
	else
		port=$PORT_BASE
		PORT_BASE=$((PORT_BASE + 10))
	fi
	SLAPD_DIR=$WORK/slapd-$name
	SLAPD_URI=ldap://127.0.0.1:$port/
	mkdir -p "$SLAPD_DIR/db"
	cat > "$SLAPD_DIR/slapd.conf" <<EOC
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include $STORES/samba-nt.schema
pidfile $SLAPD_DIR/slapd.pid
argsfile $SLAPD_DIR/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 16777216
suffix "$LDAP_SUFFIX"
rootdn "$LDAP_ADMIN_DN"
rootpw $LDAP_ADMIN_PW
directory $SLAPD_DIR/db
index uid eq
# the hashes are password-equivalent: only Dovecot's DN reads them
access to attrs=sambaNTPassword,sambaLMPassword,userPassword
	by dn.exact="$LDAP_BIND_DN" read
	by anonymous auth
	by * none
access to * by * read
EOC
	{
		printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n' "$LDAP_SUFFIX"
		printf 'dn: %s\nobjectClass: organizationalUnit\nou: people\n\n' "$LDAP_PEOPLE"
		printf 'dn: %s\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: dovecot\nuserPassword: %s\n\n' \
			"$LDAP_BIND_DN" "$LDAP_BIND_PW"
		printf '%s\n' "$2"
	} > "$SLAPD_DIR/entries.ldif"
	if ! slaptest -Q -u -f "$SLAPD_DIR/slapd.conf" > "$SLAPD_DIR/slaptest.log" 2>&1 ||
	   ! slapadd -q -f "$SLAPD_DIR/slapd.conf" -l "$SLAPD_DIR/entries.ldif" \
		> "$SLAPD_DIR/slapadd.log" 2>&1; then
		fail "slapd $name: configuration or entries refused"
		sed 's/^/    | /' "$SLAPD_DIR/slaptest.log" "$SLAPD_DIR/slapadd.log" | tail -n 8
		return 1
	fi
	slapd_run "$name"
}

# slapd_run NAME: (re)start the slapd of slapd_start NAME, same
# configuration, database and address.
slapd_run() {
	local i
	# -d: in the foreground (its pid is ours to stop), logging
	# connections and operations ("stats") to its own file
	slapd -f "$SLAPD_DIR/slapd.conf" -h "$SLAPD_URI" -d 256 \
		>> "$SLAPD_DIR/slapd.log" 2>&1 &
	SLAPD_PID=$!
	for i in $(seq 50); do
		if ldapsearch -x -H "$SLAPD_URI" -b "$LDAP_SUFFIX" -s base \
			dn > /dev/null 2>&1; then
			return 0
		fi
		kill -0 "$SLAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "slapd $1: not answering on $SLAPD_URI"
	tail -n 5 "$SLAPD_DIR/slapd.log" | sed 's/^/    | /'
	return 1
}

slapd_stop() {
	local i
	[ -n "$SLAPD_PID" ] || return 0
	kill "$SLAPD_PID" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$SLAPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$SLAPD_PID" 2>/dev/null
	wait "$SLAPD_PID" 2>/dev/null
	SLAPD_PID=
}

# ldap_admin ldapmodify|ldapadd|ldapdelete [ARGS]: as the directory's
# administrator, LDIF on stdin.
ldap_admin() {
	local cmd=$1
	shift
	"$cmd" -x -H "$SLAPD_URI" -D "$LDAP_ADMIN_DN" -w "$LDAP_ADMIN_PW" "$@"
}

# ldap_set_nt UID NT-HEX: what a password change through Samba writes.
ldap_set_nt() {
	printf 'dn: uid=%s,%s\nchangetype: modify\nreplace: sambaNTPassword\nsambaNTPassword: %s\n' \
		"$1" "$LDAP_PEOPLE" "$2" | ldap_admin ldapmodify > /dev/null
}

# ldap_passdb NAME [EXTRA-PASSDB-LINES]: DV_PASSDB for the documented
# LDAP passdb against this slapd. The sambaNTPassword attribute becomes
# the "password" field and default_pass_scheme = NTLM makes it an {NTLM}
# credential (Dovecot's hex decoding takes upper and lower case).
ldap_passdb() {
	local conf=$WORK/$1-dovecot-ldap.conf.ext
	case $DV_SYNTAX in
	2.4)
		DV_PASSDB="ldap_uris = $SLAPD_URI
ldap_auth_dn = $LDAP_BIND_DN
ldap_auth_dn_password = $LDAP_BIND_PW
ldap_base = $LDAP_PEOPLE
ldap_scope = subtree
passdb ldap {
  ldap_filter = (&(objectClass=sambaSamAccount)(uid=%{user}))
  default_password_scheme = NTLM
  fields {
    user = %{ldap:uid}
    password = %{ldap:sambaNTPassword}
  }
${2:-}
}"
		;;
	*)
		cat > "$conf" <<EOC
uris = $SLAPD_URI
dn = $LDAP_BIND_DN
dnpass = $LDAP_BIND_PW
base = $LDAP_PEOPLE
scope = subtree
pass_filter = (&(objectClass=sambaSamAccount)(uid=%u))
pass_attrs = uid=user, sambaNTPassword=password
default_pass_scheme = NTLM
EOC
		chmod 0644 "$conf"
		DV_PASSDB="passdb {
  driver = ldap
  args = $conf
${2:-}
}"
		;;
	esac
}

# --- SQLite ------------------------------------------------------------

# sql_db NAME: an SQLite database with the two tables the SQL passdbs
# read: ntlm_users (account, {NTLM} value as 32 hex digits, mailbox: the
# Dovecot user the account logs in as, KB Q191558) and plain_users
# (plaintext). SQL_DB names the file; sql_exec runs SQL on it.
sql_db() {
	stores_need sqlite3 || return 1
	if [ ! -e /usr/lib/dovecot/modules/auth/libdriver_sqlite.so ] &&
	   [ ! -e /usr/lib/dovecot/modules/libdriver_sqlite.so ]; then
		fail "missing Dovecot's SQLite driver (dovecot-sqlite): run scripts/install-deps.sh"
		return 1
	fi
	SQL_DB=$WORK/$1.sqlite
	rm -f "$SQL_DB"
	sql_exec "CREATE TABLE ntlm_users (account TEXT PRIMARY KEY,
		mailbox TEXT NOT NULL, nt_hash TEXT);
		CREATE TABLE plain_users (account TEXT PRIMARY KEY,
		password TEXT NOT NULL);"
	chmod 0644 "$SQL_DB"
}

sql_exec() {
	sqlite3 -batch -bail "$SQL_DB" "$1"
}

# sql_passdbs NAME [EXTRA-PASSDB-LINES]: DV_PASSDB for the documented
# SQL passdbs: {NTLM} values first, then plaintext.
sql_passdbs() {
	local ntlm=$WORK/$1-sql-ntlm.conf.ext plain=$WORK/$1-sql-plain.conf.ext
	case $DV_SYNTAX in
	2.4)
		DV_PASSDB="sql_driver = sqlite
sqlite_path = $SQL_DB
passdb sql-ntlm {
  driver = sql
  default_password_scheme = NTLM
  sql_query = SELECT mailbox AS user, nt_hash AS password FROM ntlm_users WHERE account = '%{user}'
${2:-}
}
passdb sql-plain {
  driver = sql
  default_password_scheme = PLAIN
  sql_query = SELECT account AS user, password FROM plain_users WHERE account = '%{user}'
${2:-}
}"
		;;
	*)
		cat > "$ntlm" <<EOC
driver = sqlite
connect = $SQL_DB
default_pass_scheme = NTLM
password_query = SELECT mailbox AS user, nt_hash AS password \\
  FROM ntlm_users WHERE account = '%u'
EOC
		cat > "$plain" <<EOC
driver = sqlite
connect = $SQL_DB
default_pass_scheme = PLAIN
password_query = SELECT account AS user, password \\
  FROM plain_users WHERE account = '%u'
EOC
		chmod 0644 "$ntlm" "$plain"
		DV_PASSDB="passdb {
  driver = sql
  args = $ntlm
${2:-}
}
passdb {
  driver = sql
  args = $plain
${2:-}
}"
		;;
	esac
}

# cache_settings TTL NEGATIVE-TTL: the auth cache (same names in 2.3 and
# 2.4).
cache_settings() {
	printf 'auth_cache_size = 1M\nauth_cache_ttl = %s secs\nauth_cache_negative_ttl = %s secs\n' \
		"$1" "$2"
}

# cache_flush: what an operator runs after changing a password.
cache_flush() {
	doveadm -c "$DV_DIR/dovecot.conf" auth cache flush
}

# --- checks shared by the store scenarios ---------------------------------

# expect_no_hash_in_log NAME PASSWORD...: the NT hashes of the
# passwords (password-equivalent) appear nowhere in the instance's log,
# in either case.
expect_no_hash_in_log() {
	local name=$1 pw found=
	shift
	for pw in "$@"; do
		if grep -qiF -e "$(nt_hex "$pw")" "$DV_DIR/dovecot.log"; then
			found="$found $pw"
		fi
	done
	if [ -n "$found" ]; then
		fail "$name (the log shows the NT hash of:$found)"
	else
		pass "$name"
	fi
}


