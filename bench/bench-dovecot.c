/* End-to-end benchmark client for a private Dovecot (bench/dovecot.sh).
   The NTLM responses are real: the project's own core client
   (ntlm-client.c) computes NTLMv2 with a MIC against each CHALLENGE.
   Loopback only, every loop bounded by its count, every read by a
   timeout.

   usage:
     bench-dovecot auth SOCKET AUTHPID USER PASSWORD INFLIGHT COUNT ROUNDS
         Dovecot's auth-client protocol on SOCKET, one connection with
         INFLIGHT requests pipelined; ROUNDS rounds of COUNT/ROUNDS PLAIN
         logins followed by as many NTLM handshakes. Auth-process CPU
         from /proc/AUTHPID/stat (utime + stime) around each batch.
     bench-dovecot login pop3|imap PORT USER PASSWORD CONC COUNT ROUNDS
                   MECH[,MECH...]
         CONC client threads; per round and MECH, COUNT/ROUNDS logins
         over new TCP connections, each logged out at once. MECH: user
         (USER/PASS, IMAP LOGIN), ntlm (AUTH NTLM, NEGOTIATE after
         "+"), ntlm-ir (NEGOTIATE as initial response).
     bench-dovecot wait SOCKET AUTHPID USER PASSWORD N [NTLM|LOGIN]
         N NTLM handshakes left waiting after the CHALLENGE (or, for
         comparison, N of Dovecot's own LOGIN mechanism waiting for the
         user name); auth RSS before and with them waiting.
     bench-dovecot memory SOCKET AUTHPID USER PASSWORD N
         auth RSS after a warm-up and after N more NTLM logins (8 in
         flight).

   Every measurement prints one line:
     RESULT key=value ...
   and the process exits non-zero if any login failed. */

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ntlm-common.h"
#include "ntlm-crypto.h"
#include "ntlm-verify.h"
#include "ntlm-client.h"

#define IO_TIMEOUT_MS 20000
#define LINE_MAX_LEN 16384
#define MAX_INFLIGHT 64

static const char *bench_user, *bench_password;
static uint8_t bench_nt_hash[16];
/* The core's crypto reuses one OpenSSL context per process (it is made
   for Dovecot's single-threaded auth process): the login threads take
   turns for every call into it. */
static pthread_mutex_t ntlm_lock = PTHREAD_MUTEX_INITIALIZER;

static void die(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	fputs("bench-dovecot: ", stderr);
	vfprintf(stderr, fmt, args);
	fputc('\n', stderr);
	va_end(args);
	exit(2);
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long parse_ulong(const char *str, const char *what)
{
	char *end;
	unsigned long value;

	errno = 0;
	value = strtoul(str, &end, 10);
	if (errno != 0 || *end != '\0' || end == str)
		die("%s: not a number: %s", what, str);
	return value;
}

/* ------------------------------------------------------------------ */
/* /proc */

/* utime + stime of pid in microseconds. */
static double proc_cpu_us(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long utime, stime;
	long ticks = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* the command name is in parentheses and may contain spaces */
	p = strrchr(buf, ')');
	if (p == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
		   &utime, &stime) != 2)
		die("%s: unexpected format", path);
	return (double)(utime + stime) * 1e6 / (double)ticks;
}

/* CPU time of this process in microseconds. */
static double self_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		die("getrusage: %s", strerror(errno));
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* VmRSS of pid in KiB. */
static long proc_rss_kib(long pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	f = fopen(path, "r");
	if (f == NULL)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	}
	fclose(f);
	if (kib < 0)
		die("%s: no VmRSS", path);
	return kib;
}

/* ------------------------------------------------------------------ */
/* base64 (OpenSSL's block coder) */

static size_t b64_encode(const uint8_t *data, size_t len, char *out,
			 size_t out_size)
{
	if ((len + 2) / 3 * 4 + 1 > out_size)
		die("base64 output too long");
	return (size_t)EVP_EncodeBlock((unsigned char *)out, data, (int)len);
}

static int b64_decode(const char *in, size_t len, uint8_t *out,
		      size_t out_size, size_t *len_r)
{
	int ret;
	size_t pad = 0;

	if (len % 4 != 0 || len / 4 * 3 > out_size)
		return -1;
	ret = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
	if (ret < 0)
		return -1;
	if (len > 0 && in[len - 1] == '=')
		pad++;
	if (len > 1 && in[len - 2] == '=')
		pad++;
	*len_r = (size_t)ret - pad;
	return 0;
}

/* ------------------------------------------------------------------ */
/* a connection with line-buffered input */

struct conn {
	int fd;
	char in[LINE_MAX_LEN * 4];
	size_t in_start, in_end;
	char *out;
	size_t out_len, out_size;
};

static void conn_init(struct conn *conn, int fd)
{
	memset(conn, 0, sizeof(*conn));
	conn->fd = fd;
}

static void conn_close(struct conn *conn)
{
	if (conn->fd != -1)
		close(conn->fd);
	conn->fd = -1;
	free(conn->out);
	conn->out = NULL;
}

static void conn_queue(struct conn *conn, const char *fmt, ...)
{
	va_list args;
	int len;

	for (;;) {
		va_start(args, fmt);
		len = vsnprintf(conn->out + conn->out_len,
				conn->out_size - conn->out_len, fmt, args);
		va_end(args);
		if (len < 0)
			die("vsnprintf failed");
		if (conn->out_len + (size_t)len < conn->out_size)
			break;
		conn->out_size = conn->out_size * 2 + (size_t)len + 1024;
		conn->out = realloc(conn->out, conn->out_size);
		if (conn->out == NULL)
			die("out of memory");
	}
	conn->out_len += (size_t)len;
}

static int wait_fd(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int ret;

	do {
		ret = poll(&pfd, 1, IO_TIMEOUT_MS);
	} while (ret < 0 && errno == EINTR);
	return ret > 0 ? 0 : -1;
}

static int conn_flush(struct conn *conn)
{
	size_t pos = 0;
	ssize_t ret;

	while (pos < conn->out_len) {
		ret = write(conn->fd, conn->out + pos, conn->out_len - pos);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0 && errno == EAGAIN) {
			if (wait_fd(conn->fd, POLLOUT) < 0)
				return -1;
			continue;
		}
		if (ret <= 0)
			return -1;
		pos += (size_t)ret;
	}
	conn->out_len = 0;
	return 0;
}

/* Next line without its CR LF / LF; NULL on EOF, error or timeout. */
static char *conn_line(struct conn *conn)
{
	char *nl, *line;
	ssize_t ret;

	for (;;) {
		nl = memchr(conn->in + conn->in_start, '\n',
			    conn->in_end - conn->in_start);
		if (nl != NULL) {
			line = conn->in + conn->in_start;
			conn->in_start = (size_t)(nl - conn->in) + 1;
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			return line;
		}
		if (conn->in_start > 0) {
			memmove(conn->in, conn->in + conn->in_start,
				conn->in_end - conn->in_start);
			conn->in_end -= conn->in_start;
			conn->in_start = 0;
		}
		if (conn->in_end == sizeof(conn->in) - 1)
			return NULL;
		if (wait_fd(conn->fd, POLLIN) < 0)
			return NULL;
		ret = read(conn->fd, conn->in + conn->in_end,
			   sizeof(conn->in) - 1 - conn->in_end);
		if (ret <= 0)
			return NULL;
		conn->in_end += (size_t)ret;
	}
}

static int connect_unix(const char *path)
{
	union {
		struct sockaddr sa;
		struct sockaddr_un un;
	} addr;
	int fd;

	memset(&addr, 0, sizeof(addr));
	addr.un.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(addr.un.sun_path))
		die("socket path too long: %s", path);
	strcpy(addr.un.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, &addr.sa, sizeof(addr.un)) < 0)
		die("connect(%s): %s", path, strerror(errno));
	return fd;
}

static int connect_tcp(unsigned int port)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
	} addr;
	int fd, one = 1;

	memset(&addr, 0, sizeof(addr));
	addr.in.sin_family = AF_INET;
	addr.in.sin_port = htons((uint16_t)port);
	addr.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, &addr.sa, sizeof(addr.in)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ------------------------------------------------------------------ */
/* NTLM through the core client */

static void ntlm_start(struct ntlm_client *client)
{
	struct ntlm_client_params params;
	const char *error;

	ntlm_client_params_init(&params);
	params.user = bench_user;
	params.workstation = "BENCH";
	memcpy(params.nt_hash, bench_nt_hash, 16);
	pthread_mutex_lock(&ntlm_lock);
	if (ntlm_client_init(client, &params, &error) < 0)
		die("ntlm_client_init: %s", error);
	pthread_mutex_unlock(&ntlm_lock);
}

static void ntlm_end(struct ntlm_client *client)
{
	pthread_mutex_lock(&ntlm_lock);
	ntlm_client_deinit(client);
	pthread_mutex_unlock(&ntlm_lock);
}

static void ntlm_negotiate_b64(struct ntlm_client *client, char *out,
			       size_t out_size)
{
	const uint8_t *data;
	size_t len;

	ntlm_client_negotiate(client, &data, &len);
	b64_encode(data, len, out, out_size);
}

/* CHALLENGE (base64) in, AUTHENTICATE (base64) out. */
static int ntlm_answer_b64(struct ntlm_client *client, const char *challenge,
			   char *out, size_t out_size)
{
	uint8_t msg[NTLM_MAX_MESSAGE_SIZE];
	const uint8_t *data;
	const char *error;
	size_t len;

	if (b64_decode(challenge, strlen(challenge), msg, sizeof(msg),
		       &len) < 0)
		return -1;
	pthread_mutex_lock(&ntlm_lock);
	if (ntlm_client_input(client, msg, len, &error) < 0) {
		pthread_mutex_unlock(&ntlm_lock);
		fprintf(stderr, "bench-dovecot: CHALLENGE refused: %s\n",
			error);
		return -1;
	}
	pthread_mutex_unlock(&ntlm_lock);
	ntlm_client_authenticate(client, &data, &len);
	b64_encode(data, len, out, out_size);
	return 0;
}

/* ------------------------------------------------------------------ */
/* the auth-client protocol */

enum mech { MECH_PLAIN, MECH_NTLM };

struct auth_slot {
	bool busy;
	unsigned int id;
	struct ntlm_client ntlm;
};

struct auth_conn {
	struct conn conn;
	unsigned int next_id;
};

static void auth_connect(struct auth_conn *ac, const char *path)
{
	const char *line;

	conn_init(&ac->conn, connect_unix(path));
	ac->next_id = 1;
	conn_queue(&ac->conn, "VERSION\t1\t2\nCPID\t%ld\n", (long)getpid());
	if (conn_flush(&ac->conn) < 0)
		die("auth: write failed");
	for (;;) {
		line = conn_line(&ac->conn);
		if (line == NULL)
			die("auth: handshake failed");
		if (strcmp(line, "DONE") == 0)
			break;
	}
}

/* "CMD\tID\trest": the id, with *rest_r after the id's tab (or ""). */
static bool auth_reply(char *line, const char *cmd, unsigned int *id_r,
		       char **rest_r)
{
	size_t len = strlen(cmd);
	char *end;

	if (strncmp(line, cmd, len) != 0 || line[len] != '\t')
		return false;
	*id_r = (unsigned int)strtoul(line + len + 1, &end, 10);
	*rest_r = *end == '\t' ? end + 1 : end;
	return true;
}

static void auth_send_start(struct auth_conn *ac, struct auth_slot *slot,
			    enum mech mech)
{
	char b64[LINE_MAX_LEN];
	uint8_t plain[512];
	size_t ulen = strlen(bench_user), plen = strlen(bench_password);

	slot->busy = true;
	slot->id = ac->next_id++;
	if (mech == MECH_PLAIN) {
		if (ulen + plen + 2 > sizeof(plain))
			die("user or password too long");
		plain[0] = '\0';
		memcpy(plain + 1, bench_user, ulen);
		plain[1 + ulen] = '\0';
		memcpy(plain + 2 + ulen, bench_password, plen);
		b64_encode(plain, ulen + plen + 2, b64, sizeof(b64));
		conn_queue(&ac->conn, "AUTH\t%u\tPLAIN\tservice=bench\t"
			   "resp=%s\n", slot->id, b64);
	} else {
		ntlm_start(&slot->ntlm);
		ntlm_negotiate_b64(&slot->ntlm, b64, sizeof(b64));
		conn_queue(&ac->conn, "AUTH\t%u\tNTLM\tservice=bench\t"
			   "resp=%s\n", slot->id, b64);
	}
}

struct auth_result {
	unsigned long ok, fail;
	double secs, cpu_us, client_us;
};

/* count logins of mech, inflight pipelined. */
static void auth_batch(struct auth_conn *ac, long auth_pid, enum mech mech,
		       unsigned int inflight, unsigned long count,
		       struct auth_result *res)
{
	static struct auth_slot slots[MAX_INFLIGHT];
	char b64[LINE_MAX_LEN], *line, *rest;
	unsigned long started = 0, done = 0;
	unsigned int i, id;
	double t0, cpu0, self0;
	struct auth_slot *slot;

	cpu0 = proc_cpu_us(auth_pid);
	self0 = self_cpu_us();
	t0 = now_sec();
	for (i = 0; i < inflight && started < count; i++, started++)
		auth_send_start(ac, &slots[i], mech);
	while (done < count) {
		if (conn_flush(&ac->conn) < 0)
			die("auth: write failed");
		line = conn_line(&ac->conn);
		if (line == NULL)
			die("auth: connection lost or timed out");
		slot = NULL;
		if (auth_reply(line, "OK", &id, &rest) ||
		    auth_reply(line, "FAIL", &id, &rest) ||
		    auth_reply(line, "CONT", &id, &rest)) {
			for (i = 0; i < inflight; i++) {
				if (slots[i].busy && slots[i].id == id)
					slot = &slots[i];
			}
		}
		if (slot == NULL)
			die("auth: unexpected line: %.80s", line);
		if (line[0] == 'C') {
			if (mech != MECH_NTLM ||
			    ntlm_answer_b64(&slot->ntlm, rest, b64,
					    sizeof(b64)) < 0) {
				/* give up on this one */
				res->fail++;
				conn_queue(&ac->conn, "CANCEL\t%u\n", id);
				if (mech == MECH_NTLM)
					ntlm_end(&slot->ntlm);
				slot->busy = false;
				done++;
			} else {
				conn_queue(&ac->conn, "CONT\t%u\t%s\n", id,
					   b64);
				continue;
			}
		} else {
			if (line[0] == 'O')
				res->ok++;
			else {
				res->fail++;
				fprintf(stderr, "bench-dovecot: %.200s\n",
					line);
			}
			if (mech == MECH_NTLM)
				ntlm_end(&slot->ntlm);
			slot->busy = false;
			done++;
		}
		if (started < count) {
			auth_send_start(ac, slot, mech);
			started++;
		}
	}
	res->secs += now_sec() - t0;
	res->cpu_us += proc_cpu_us(auth_pid) - cpu0;
	res->client_us += self_cpu_us() - self0;
}

static void print_auth(const char *mech, unsigned int inflight,
		       const struct auth_result *r)
{
	printf("RESULT test=auth mech=%s inflight=%u ok=%lu fail=%lu "
	       "secs=%.3f rate=%.0f cpu_us=%.2f client_us=%.2f\n", mech,
	       inflight, r->ok, r->fail, r->secs,
	       r->secs > 0 ? (double)r->ok / r->secs : 0,
	       r->ok > 0 ? r->cpu_us / (double)r->ok : 0,
	       r->ok > 0 ? r->client_us / (double)r->ok : 0);
}

static int cmd_auth(char **argv)
{
	struct auth_conn ac;
	struct auth_result plain, ntlm;
	long pid = (long)parse_ulong(argv[1], "AUTHPID");
	unsigned int inflight = (unsigned int)parse_ulong(argv[4], "INFLIGHT");
	unsigned long count = parse_ulong(argv[5], "COUNT");
	unsigned long rounds = parse_ulong(argv[6], "ROUNDS"), r;

	if (inflight == 0 || inflight > MAX_INFLIGHT || rounds == 0)
		die("INFLIGHT 1..%d, ROUNDS > 0", MAX_INFLIGHT);
	memset(&plain, 0, sizeof(plain));
	memset(&ntlm, 0, sizeof(ntlm));
	auth_connect(&ac, argv[0]);
	/* warm-up, not counted */
	{
		struct auth_result warm;

		memset(&warm, 0, sizeof(warm));
		auth_batch(&ac, pid, MECH_PLAIN, inflight, 200, &warm);
		auth_batch(&ac, pid, MECH_NTLM, inflight, 200, &warm);
		if (warm.fail > 0)
			die("warm-up logins failed");
	}
	for (r = 0; r < rounds; r++) {
		auth_batch(&ac, pid, MECH_PLAIN, inflight, count / rounds,
			   &plain);
		auth_batch(&ac, pid, MECH_NTLM, inflight, count / rounds,
			   &ntlm);
	}
	conn_close(&ac.conn);
	print_auth("plain", inflight, &plain);
	print_auth("ntlm", inflight, &ntlm);
	return plain.fail + ntlm.fail > 0 ? 1 : 0;
}

/* N handshakes left after the CHALLENGE. */
static int cmd_wait(char **argv)
{
	struct auth_conn ac;
	struct ntlm_client client;
	char b64[LINE_MAX_LEN], *line, *rest;
	long pid = (long)parse_ulong(argv[1], "AUTHPID");
	unsigned long n = parse_ulong(argv[4], "N"), i, got = 0;
	const char *mech = argv[5] != NULL ? argv[5] : "NTLM";
	unsigned int id;
	long rss0, rss1;

	if (strcmp(mech, "NTLM") != 0 && strcmp(mech, "LOGIN") != 0)
		die("wait: NTLM or LOGIN");
	auth_connect(&ac, argv[0]);
	usleep(200000);
	rss0 = proc_rss_kib(pid);
	ntlm_start(&client);
	ntlm_negotiate_b64(&client, b64, sizeof(b64));
	for (i = 0; i < n; i++) {
		if (mech[0] == 'N') {
			conn_queue(&ac.conn, "AUTH\t%u\tNTLM\tservice=bench\t"
				   "resp=%s\n", ac.next_id++, b64);
		} else {
			/* Dovecot's LOGIN waits for the user name */
			conn_queue(&ac.conn, "AUTH\t%u\tLOGIN\tservice=bench\n",
				   ac.next_id++);
		}
		/* keep the pipe moving: read what has arrived */
		if ((i + 1) % 100 == 0 || i + 1 == n) {
			if (conn_flush(&ac.conn) < 0)
				die("auth: write failed");
		}
		while (got < i + 1 && (i + 1) % 100 == 0) {
			line = conn_line(&ac.conn);
			if (line == NULL || !auth_reply(line, "CONT", &id,
							&rest))
				die("wait: expected CONT, got %.80s",
				    line == NULL ? "(nothing)" : line);
			got++;
		}
	}
	while (got < n) {
		line = conn_line(&ac.conn);
		if (line == NULL || !auth_reply(line, "CONT", &id, &rest))
			die("wait: expected CONT, got %.80s",
			    line == NULL ? "(nothing)" : line);
		got++;
	}
	ntlm_end(&client);
	usleep(200000);
	rss1 = proc_rss_kib(pid);
	printf("RESULT test=wait mech=%s handshakes=%lu rss0_kib=%ld rss1_kib=%ld "
	       "per_handshake_bytes=%.0f\n", mech, n, rss0, rss1,
	       (double)(rss1 - rss0) * 1024.0 / (double)n);
	conn_close(&ac.conn);
	return 0;
}

static int cmd_memory(char **argv)
{
	struct auth_conn ac;
	struct auth_result res;
	long pid = (long)parse_ulong(argv[1], "AUTHPID");
	unsigned long n = parse_ulong(argv[4], "N");
	long rss0, rss1;

	memset(&res, 0, sizeof(res));
	auth_connect(&ac, argv[0]);
	auth_batch(&ac, pid, MECH_NTLM, 8, n / 10 + 1, &res);
	rss0 = proc_rss_kib(pid);
	memset(&res, 0, sizeof(res));
	auth_batch(&ac, pid, MECH_NTLM, 8, n, &res);
	rss1 = proc_rss_kib(pid);
	conn_close(&ac.conn);
	printf("RESULT test=memory logins=%lu ok=%lu fail=%lu rss0_kib=%ld "
	       "rss1_kib=%ld growth_kib=%ld\n", n, res.ok, res.fail, rss0,
	       rss1, rss1 - rss0);
	return res.fail > 0 ? 1 : 0;
}

/* ------------------------------------------------------------------ */
/* POP3 and IMAP */

enum login_mech { LOGIN_USER, LOGIN_NTLM, LOGIN_NTLM_IR };
static const char *const login_mech_names[] = { "user", "ntlm", "ntlm-ir" };

struct login_job {
	bool imap;
	unsigned int port;
	enum login_mech mech;
	unsigned long count;
	unsigned long ok, fail;
	pthread_t thread;
};

static bool starts(const char *line, const char *prefix)
{
	return line != NULL && strncmp(line, prefix, strlen(prefix)) == 0;
}

/* IMAP: read until the tagged reply; true if it is OK. */
static bool imap_tagged(struct conn *conn, const char *tag, char **line_r)
{
	size_t len = strlen(tag);
	char *line;

	for (;;) {
		line = conn_line(conn);
		*line_r = line;
		if (line == NULL)
			return false;
		if (strncmp(line, tag, len) == 0 && line[len] == ' ')
			return starts(line + len + 1, "OK");
		if (line[0] == '+')
			return false;
	}
}

static int login_once(struct login_job *job)
{
	struct ntlm_client client;
	struct conn conn;
	char b64[LINE_MAX_LEN], *line;
	bool ntlm = job->mech != LOGIN_USER, ok = false;
	int fd;

	fd = connect_tcp(job->port);
	if (fd < 0)
		return -1;
	conn_init(&conn, fd);
	line = conn_line(&conn);
	if (!starts(line, job->imap ? "* OK" : "+OK"))
		goto out;
	if (ntlm) {
		ntlm_start(&client);
		ntlm_negotiate_b64(&client, b64, sizeof(b64));
	}
	if (job->imap) {
		if (!ntlm) {
			conn_queue(&conn, "a LOGIN \"%s\" \"%s\"\r\n",
				   bench_user, bench_password);
		} else if (job->mech == LOGIN_NTLM_IR) {
			conn_queue(&conn, "a AUTHENTICATE NTLM %s\r\n", b64);
		} else {
			conn_queue(&conn, "a AUTHENTICATE NTLM\r\n");
		}
	} else {
		if (!ntlm)
			conn_queue(&conn, "USER %s\r\n", bench_user);
		else if (job->mech == LOGIN_NTLM_IR)
			conn_queue(&conn, "AUTH NTLM %s\r\n", b64);
		else
			conn_queue(&conn, "AUTH NTLM\r\n");
	}
	if (conn_flush(&conn) < 0)
		goto out_ntlm;
	if (!ntlm && !job->imap) {
		if (!starts(conn_line(&conn), "+OK"))
			goto out_ntlm;
		conn_queue(&conn, "PASS %s\r\n", bench_password);
		if (conn_flush(&conn) < 0)
			goto out_ntlm;
	}
	if (job->mech == LOGIN_NTLM) {
		/* the empty "+" first */
		if (!starts(conn_line(&conn), "+"))
			goto out_ntlm;
		conn_queue(&conn, "%s\r\n", b64);
		if (conn_flush(&conn) < 0)
			goto out_ntlm;
	}
	if (ntlm) {
		line = conn_line(&conn);
		if (!starts(line, "+ ") ||
		    ntlm_answer_b64(&client, line + 2, b64, sizeof(b64)) < 0)
			goto out_ntlm;
		conn_queue(&conn, "%s\r\n", b64);
		if (conn_flush(&conn) < 0)
			goto out_ntlm;
	}
	if (job->imap) {
		if (!imap_tagged(&conn, "a", &line))
			goto out_ntlm;
		conn_queue(&conn, "b LOGOUT\r\n");
		if (conn_flush(&conn) < 0 || !imap_tagged(&conn, "b", &line))
			goto out_ntlm;
	} else {
		line = conn_line(&conn);
		if (!starts(line, "+OK"))
			goto out_ntlm;
		conn_queue(&conn, "QUIT\r\n");
		if (conn_flush(&conn) < 0 || !starts(conn_line(&conn), "+OK"))
			goto out_ntlm;
	}
	ok = true;
out_ntlm:
	if (!ok && line != NULL)
		fprintf(stderr, "bench-dovecot: %s %s: %.120s\n",
			job->imap ? "imap" : "pop3",
			login_mech_names[job->mech], line);
	if (ntlm)
		ntlm_end(&client);
out:
	conn_close(&conn);
	return ok ? 0 : -1;
}

static void *login_thread(void *context)
{
	struct login_job *job = context;
	unsigned long i;

	for (i = 0; i < job->count; i++) {
		if (login_once(job) == 0)
			job->ok++;
		else
			job->fail++;
	}
	return NULL;
}

static int cmd_login(char **argv)
{
	static struct login_job jobs[MAX_INFLIGHT];
	bool imap = strcmp(argv[0], "imap") == 0;
	unsigned int port = (unsigned int)parse_ulong(argv[1], "PORT");
	unsigned int conc = (unsigned int)parse_ulong(argv[4], "CONC");
	unsigned long count = parse_ulong(argv[5], "COUNT");
	unsigned long rounds = parse_ulong(argv[6], "ROUNDS"), r;
	enum login_mech mechs[3];
	unsigned long ok[3] = { 0, 0, 0 }, fail[3] = { 0, 0, 0 };
	double secs[3] = { 0, 0, 0 }, t0;
	unsigned int n_mechs = 0, m, i;
	char *list = strdup(argv[7]), *tok, *save = NULL;
	int ret = 0;

	if (!imap && strcmp(argv[0], "pop3") != 0)
		die("login: pop3 or imap");
	if (conc == 0 || conc > MAX_INFLIGHT || rounds == 0 ||
	    count < rounds * conc)
		die("CONC 1..%d, ROUNDS > 0, COUNT >= ROUNDS * CONC",
		    MAX_INFLIGHT);
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (m = 0; m < 3; m++) {
			if (strcmp(tok, login_mech_names[m]) == 0)
				break;
		}
		if (m == 3 || n_mechs == 3)
			die("unknown or repeated MECH: %s", tok);
		mechs[n_mechs++] = (enum login_mech)m;
	}
	free(list);
	for (r = 0; r < rounds; r++) {
		for (m = 0; m < n_mechs; m++) {
			t0 = now_sec();
			for (i = 0; i < conc; i++) {
				memset(&jobs[i], 0, sizeof(jobs[i]));
				jobs[i].imap = imap;
				jobs[i].port = port;
				jobs[i].mech = mechs[m];
				jobs[i].count = count / rounds / conc;
				if (pthread_create(&jobs[i].thread, NULL,
						   login_thread, &jobs[i]) != 0)
					die("pthread_create failed");
			}
			for (i = 0; i < conc; i++) {
				pthread_join(jobs[i].thread, NULL);
				ok[m] += jobs[i].ok;
				fail[m] += jobs[i].fail;
			}
			secs[m] += now_sec() - t0;
		}
	}
	for (m = 0; m < n_mechs; m++) {
		printf("RESULT test=%s mech=%s conc=%u ok=%lu fail=%lu "
		       "secs=%.3f rate=%.0f\n", argv[0],
		       login_mech_names[mechs[m]], conc, ok[m], fail[m],
		       secs[m], secs[m] > 0 ? (double)ok[m] / secs[m] : 0);
		if (fail[m] > 0)
			ret = 1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *error;
	char **args = argv + 2;
	int ret;

	if (argc < 2)
		goto usage;
	if (ntlm_crypto_init(&error) < 0)
		die("crypto: %s", error);
	if (strcmp(argv[1], "auth") == 0 && argc == 9) {
		bench_user = args[2];
		bench_password = args[3];
	} else if ((strcmp(argv[1], "wait") == 0 && (argc == 7 || argc == 8)) ||
		   (strcmp(argv[1], "memory") == 0 && argc == 7)) {
		bench_user = args[2];
		bench_password = args[3];
	} else if (strcmp(argv[1], "login") == 0 && argc == 10) {
		bench_user = args[2];
		bench_password = args[3];
	} else {
		goto usage;
	}
	if (ntlm_nt_hash(bench_password, strlen(bench_password),
			 bench_nt_hash, &error) < 0)
		die("NT hash: %s", error);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[1], "auth") == 0)
		ret = cmd_auth(args);
	else if (strcmp(argv[1], "wait") == 0)
		ret = cmd_wait(args);
	else if (strcmp(argv[1], "memory") == 0)
		ret = cmd_memory(args);
	else
		ret = cmd_login(args);
	ntlm_wipe(bench_nt_hash, sizeof(bench_nt_hash));
	ntlm_crypto_deinit();
	return ret;
usage:
	fprintf(stderr, "usage: bench-dovecot auth SOCKET AUTHPID USER "
		"PASSWORD INFLIGHT COUNT ROUNDS\n"
		"       bench-dovecot login pop3|imap PORT USER PASSWORD "
		"CONC COUNT ROUNDS MECH[,MECH...]\n"
		"       bench-dovecot wait SOCKET AUTHPID USER PASSWORD N "
		"[NTLM|LOGIN]\n"
		"       bench-dovecot memory SOCKET AUTHPID USER PASSWORD N\n");
	return 64;
}
