/* sasl-client: an NTLM (or other SASL mechanism) client for the
   integration tests, built only on Cyrus SASL's client library. It is
   deliberately independent of the code under test in src/.

   Usage: sasl-client --pop3|--imap --host HOST --port N --user USER
		      [--authzid ID] [--mech MECH] [--ntlm-v2 yes|no]
		      [--no-ir]

   The password is read from the environment variable SASL_PASSWORD.
   Every protocol line is printed with a "C: " or "S: " prefix; base64
   payloads are replaced by their length. The last line is one of

	RESULT: OK				(exit 0)
	RESULT: AUTH-FAILED <server line>	(exit 1)
	RESULT: ERROR <reason>			(exit 2)
*/

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <sasl/sasl.h>
#include <sasl/saslutil.h>

#define IO_TIMEOUT_SECS 10
#define MAX_LINE_LEN 65536
#define SERVER_FQDN "localhost"

#define EXIT_AUTH_OK 0
#define EXIT_AUTH_FAILED 1
#define EXIT_ERROR 2

enum protocol {
	PROTO_NONE,
	PROTO_POP3,
	PROTO_IMAP
};

struct client_options {
	enum protocol proto;
	const char *host;
	const char *port;
	const char *user;
	const char *authzid;
	const char *mech;
	const char *ntlm_v2;
	int no_ir;
};

struct connection {
	int fd;
	char buf[MAX_LINE_LEN + 1];
	size_t buf_used;
	char line[MAX_LINE_LEN + 1];
};

struct auth_state {
	sasl_conn_t *sasl;
	/* initial response held back until the server asks for it */
	char *pending;
	unsigned int pending_len;
	int have_pending;
	/* sasl_client_start/step returned SASL_OK */
	int sasl_done;
};

static struct client_options opts;
static sasl_secret_t *password_secret;

/* --- result reporting ------------------------------------------------ */

static void print_sanitized(const char *prefix, const char *str)
{
	const unsigned char *p;

	fputs(prefix, stdout);
	for (p = (const unsigned char *)str; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			putchar('?');
		else
			putchar(*p);
	}
	putchar('\n');
}

static void __attribute__((noreturn, format(printf, 1, 2)))
result_error(const char *fmt, ...)
{
	char reason[1024];
	va_list args;

	va_start(args, fmt);
	vsnprintf(reason, sizeof(reason), fmt, args);
	va_end(args);
	print_sanitized("RESULT: ERROR ", reason);
	fflush(stdout);
	exit(EXIT_ERROR);
}

/* --- network I/O ----------------------------------------------------- */

/* $SASL_SOURCE_IP: the IPv4 address to connect from. The test suite gives
   each check its own loopback address, so that Dovecot's per-address
   penalty after a failed login does not delay the next check. */
static int bind_source(int fd, int family)
{
	const char *source = getenv("SASL_SOURCE_IP");
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
	} addr;

	if (source == NULL || *source == '\0' || family != AF_INET)
		return 0;
	memset(&addr, 0, sizeof(addr));
	addr.sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, source, &addr.sin.sin_addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	return bind(fd, &addr.sa, sizeof(addr.sin));
}

static void conn_connect(struct connection *conn, const char *host,
			 const char *port)
{
	struct addrinfo hints, *res, *ai;
	struct timeval tv;
	int fd = -1, ret, saved_errno = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	ret = getaddrinfo(host, port, &hints, &res);
	if (ret != 0) {
		result_error("getaddrinfo(%s, %s) failed: %s",
			     host, port, gai_strerror(ret));
	}

	memset(&tv, 0, sizeof(tv));
	tv.tv_sec = IO_TIMEOUT_SECS;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			saved_errno = errno;
			continue;
		}
		/* SO_SNDTIMEO also limits connect() on Linux */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO,
			       &tv, sizeof(tv)) < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO,
			       &tv, sizeof(tv)) < 0) {
			saved_errno = errno;
			close(fd);
			fd = -1;
			continue;
		}
		if (bind_source(fd, ai->ai_family) < 0) {
			saved_errno = errno;
			close(fd);
			fd = -1;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		saved_errno = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		result_error("connect(%s:%s) failed: %s",
			     host, port, strerror(saved_errno));
	}
	conn->fd = fd;
	conn->buf_used = 0;
}

/* Read one line without its CRLF (or LF) into conn->line. Exits with
   RESULT: ERROR on EOF, timeout or an overlong line. */
static const char *conn_read_line(struct connection *conn)
{
	char *lf;
	size_t len;
	ssize_t ret;

	for (;;) {
		lf = memchr(conn->buf, '\n', conn->buf_used);
		if (lf != NULL)
			break;
		if (conn->buf_used >= MAX_LINE_LEN)
			result_error("server sent a line longer than %d bytes",
				     MAX_LINE_LEN);
		ret = read(conn->fd, conn->buf + conn->buf_used,
			   MAX_LINE_LEN - conn->buf_used);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				result_error("timeout: no reply from server "
					     "within %d seconds",
					     IO_TIMEOUT_SECS);
			}
			result_error("read() failed: %s", strerror(errno));
		}
		if (ret == 0) {
			if (conn->buf_used > 0) {
				result_error("connection closed by server "
					     "in the middle of a line");
			}
			result_error("connection closed by server");
		}
		conn->buf_used += ret;
	}

	len = lf - conn->buf;
	memcpy(conn->line, conn->buf, len);
	if (len > 0 && conn->line[len - 1] == '\r')
		len--;
	conn->line[len] = '\0';
	if (memchr(conn->line, '\0', len) != NULL)
		result_error("server sent a line containing NUL");

	len = lf - conn->buf + 1;
	memmove(conn->buf, conn->buf + len, conn->buf_used - len);
	conn->buf_used -= len;
	return conn->line;
}

static void conn_write_all(struct connection *conn, const char *data,
			   size_t size)
{
	ssize_t ret;

	while (size > 0) {
		ret = write(conn->fd, data, size);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				result_error("timeout writing to server");
			}
			result_error("write() failed: %s", strerror(errno));
		}
		data += ret;
		size -= ret;
	}
}

/* Send "prefix" + "payload" + CRLF. The line is printed with the
   payload replaced by its length, so that NTLM responses never end up
   in the output. A NULL payload means the line is only the prefix. */
static void conn_send(struct connection *conn, const char *prefix,
		      const char *payload)
{
	size_t prefix_len = strlen(prefix);
	size_t payload_len = payload == NULL ? 0 : strlen(payload);
	char *line;

	if (payload == NULL) {
		print_sanitized("C: ", prefix);
	} else {
		printf("C: %s<base64 %zu chars>\n", prefix, payload_len);
	}
	/* one write() per line */
	line = malloc(prefix_len + payload_len + 2);
	if (line == NULL)
		result_error("out of memory");
	memcpy(line, prefix, prefix_len);
	if (payload != NULL)
		memcpy(line + prefix_len, payload, payload_len);
	memcpy(line + prefix_len + payload_len, "\r\n", 2);
	conn_write_all(conn, line, prefix_len + payload_len + 2);
	free(line);
}

/* Print a server line; continuation payloads only by their length. */
static void print_server_line(const char *line)
{
	if (line[0] == '+' && line[1] == ' ' && line[2] != '\0')
		printf("S: + <base64 %zu chars>\n", strlen(line + 2));
	else
		print_sanitized("S: ", line);
}

static int is_continuation(const char *line)
{
	return line[0] == '+' && (line[1] == '\0' || line[1] == ' ');
}

/* --- base64 ---------------------------------------------------------- */

static char *b64_encode(const char *data, unsigned int size)
{
	unsigned int outmax = (size + 2) / 3 * 4 + 1, outlen;
	char *out;
	int ret;

	out = malloc(outmax);
	if (out == NULL)
		result_error("out of memory");
	if (size == 0) {
		out[0] = '\0';
		return out;
	}
	ret = sasl_encode64(data, size, out, outmax, &outlen);
	if (ret != SASL_OK) {
		result_error("sasl_encode64() failed: %s",
			     sasl_errstring(ret, NULL, NULL));
	}
	out[outlen] = '\0';
	return out;
}

static char *b64_decode(const char *str, unsigned int *size_r)
{
	unsigned int len = strlen(str), outlen = 0;
	char *out;
	int ret;

	out = malloc(len + 1);
	if (out == NULL)
		result_error("out of memory");
	if (len > 0) {
		ret = sasl_decode64(str, len, out, len + 1, &outlen);
		if (ret != SASL_OK) {
			result_error("server sent invalid base64 (%s)",
				     sasl_errstring(ret, NULL, NULL));
		}
	}
	*size_r = outlen;
	return out;
}

/* --- SASL callbacks -------------------------------------------------- */

static int cb_getopt(void *context __attribute__((unused)),
		     const char *plugin_name, const char *option,
		     const char **result, unsigned *len)
{
	if (opts.ntlm_v2 != NULL && strcmp(option, "ntlm_v2") == 0 &&
	    (plugin_name == NULL || strcasecmp(plugin_name, "NTLM") == 0)) {
		*result = opts.ntlm_v2;
		if (len != NULL)
			*len = strlen(opts.ntlm_v2);
		return SASL_OK;
	}
	return SASL_FAIL;
}

static int cb_log(void *context __attribute__((unused)), int level,
		  const char *message)
{
	if (level <= SASL_LOG_ERR && message != NULL)
		fprintf(stderr, "sasl: %s\n", message);
	return SASL_OK;
}

static int cb_simple(void *context __attribute__((unused)), int id,
		     const char **result, unsigned *len)
{
	const char *value;

	switch (id) {
	case SASL_CB_AUTHNAME:
		value = opts.user;
		break;
	case SASL_CB_USER:
		value = opts.authzid != NULL ? opts.authzid : "";
		break;
	default:
		return SASL_BADPARAM;
	}
	*result = value;
	if (len != NULL)
		*len = strlen(value);
	return SASL_OK;
}

static int cb_pass(sasl_conn_t *conn __attribute__((unused)),
		   void *context __attribute__((unused)), int id,
		   sasl_secret_t **psecret)
{
	if (id != SASL_CB_PASS || password_secret == NULL)
		return SASL_BADPARAM;
	*psecret = password_secret;
	return SASL_OK;
}

/* sasl_callback_t stores every callback as int (*)(void); going through
   void (*)(void) keeps gcc's -Wcast-function-type quiet. */
typedef int callback_func_t(void);
#define CALLBACK_FUNC(func) \
	((callback_func_t *)(void (*)(void))(func))

static sasl_callback_t global_callbacks[] = {
	{ SASL_CB_GETOPT, CALLBACK_FUNC(cb_getopt), NULL },
	{ SASL_CB_LOG, CALLBACK_FUNC(cb_log), NULL },
	{ SASL_CB_LIST_END, NULL, NULL }
};

static sasl_callback_t conn_callbacks[] = {
	{ SASL_CB_GETOPT, CALLBACK_FUNC(cb_getopt), NULL },
	{ SASL_CB_LOG, CALLBACK_FUNC(cb_log), NULL },
	{ SASL_CB_AUTHNAME, CALLBACK_FUNC(cb_simple), NULL },
	{ SASL_CB_USER, CALLBACK_FUNC(cb_simple), NULL },
	{ SASL_CB_PASS, CALLBACK_FUNC(cb_pass), NULL },
	{ SASL_CB_LIST_END, NULL, NULL }
};

static void set_password(const char *password)
{
	size_t len = strlen(password);

	password_secret = malloc(sizeof(*password_secret) + len);
	if (password_secret == NULL)
		result_error("out of memory");
	password_secret->len = len;
	memcpy(password_secret->data, password, len + 1);
}

static const char *sasl_failure(sasl_conn_t *sasl, int ret)
{
	const char *detail;

	detail = sasl == NULL ? NULL : sasl_errdetail(sasl);
	return detail != NULL ? detail : sasl_errstring(ret, NULL, NULL);
}

/* Start the SASL exchange. Returns the selected mechanism name and
   leaves the initial response (if the mechanism has one) in
   state->pending. */
static const char *auth_start(struct auth_state *state)
{
	const char *mech = NULL, *out = NULL;
	unsigned int outlen = 0;
	int ret;

	ret = sasl_client_start(state->sasl, opts.mech, NULL,
				&out, &outlen, &mech);
	if (ret != SASL_OK && ret != SASL_CONTINUE) {
		result_error("sasl_client_start(%s) failed: %s",
			     opts.mech, sasl_failure(state->sasl, ret));
	}
	state->sasl_done = ret == SASL_OK;
	if (out != NULL) {
		state->pending = malloc(outlen + 1);
		if (state->pending == NULL)
			result_error("out of memory");
		memcpy(state->pending, out, outlen);
		state->pending[outlen] = '\0';
		state->pending_len = outlen;
		state->have_pending = 1;
	}
	return mech;
}

/* Take the initial response as base64 for sending it with the
   authentication command. Returns NULL if there is none. */
static char *auth_take_initial_response(struct auth_state *state)
{
	char *b64;

	if (!state->have_pending)
		return NULL;
	b64 = b64_encode(state->pending, state->pending_len);
	free(state->pending);
	state->pending = NULL;
	state->have_pending = 0;
	return b64;
}

/* Handle a "+ ..." continuation line: returns the base64 response. */
static char *auth_continue(struct auth_state *state, const char *line)
{
	const char *challenge_b64, *out = NULL;
	char *challenge, *response;
	unsigned int challenge_len, outlen = 0;
	int ret;

	challenge_b64 = line[1] == '\0' ? "" : line + 2;
	if (state->have_pending) {
		/* the initial response wasn't sent with the command */
		if (challenge_b64[0] != '\0') {
			result_error("server sent a non-empty challenge "
				     "before the initial response");
		}
		return auth_take_initial_response(state);
	}
	if (state->sasl_done) {
		result_error("server sent a challenge after the SASL "
			     "exchange was complete");
	}

	challenge = b64_decode(challenge_b64, &challenge_len);
	ret = sasl_client_step(state->sasl, challenge, challenge_len, NULL,
			       &out, &outlen);
	free(challenge);
	if (ret != SASL_OK && ret != SASL_CONTINUE) {
		result_error("sasl_client_step() failed: %s",
			     sasl_failure(state->sasl, ret));
	}
	state->sasl_done = ret == SASL_OK;
	response = b64_encode(out == NULL ? "" : out, outlen);
	return response;
}

static void auth_check_done(const struct auth_state *state)
{
	if (state->have_pending || !state->sasl_done) {
		result_error("server reported success before the SASL "
			     "exchange was complete");
	}
}

/* --- protocols ------------------------------------------------------- */

static int run_pop3(struct connection *conn, struct auth_state *state)
{
	const char *line, *mech;
	char cmd[256], *ir = NULL, *response;
	char failure[MAX_LINE_LEN + 1];
	int authenticated = 0;

	line = conn_read_line(conn);
	print_server_line(line);
	if (strncmp(line, "+OK", 3) != 0)
		result_error("unexpected POP3 greeting");

	mech = auth_start(state);
	snprintf(cmd, sizeof(cmd), "AUTH %s", mech);
	if (!opts.no_ir)
		ir = auth_take_initial_response(state);
	if (ir == NULL) {
		conn_send(conn, cmd, NULL);
	} else {
		strcat(cmd, " ");
		/* RFC 5034: an empty initial response is sent as "=" */
		conn_send(conn, cmd, ir[0] == '\0' ? "=" : ir);
		free(ir);
	}

	for (;;) {
		line = conn_read_line(conn);
		print_server_line(line);
		if (is_continuation(line)) {
			response = auth_continue(state, line);
			conn_send(conn, "", response);
			free(response);
		} else if (strncmp(line, "+OK", 3) == 0) {
			auth_check_done(state);
			authenticated = 1;
			break;
		} else if (strncmp(line, "-ERR", 4) == 0) {
			break;
		} else {
			result_error("unexpected POP3 reply during AUTH");
		}
	}
	if (!authenticated)
		snprintf(failure, sizeof(failure), "%s", line);

	conn_send(conn, "QUIT", NULL);
	line = conn_read_line(conn);
	print_server_line(line);

	if (!authenticated) {
		print_sanitized("RESULT: AUTH-FAILED ", failure);
		return EXIT_AUTH_FAILED;
	}
	printf("RESULT: OK\n");
	return EXIT_AUTH_OK;
}

/* Does the space-separated capability list contain cap? The list ends
   at NUL or ']'. */
static int imap_has_capability(const char *list, const char *cap)
{
	size_t cap_len = strlen(cap), len;

	while (*list != '\0' && *list != ']') {
		len = strcspn(list, " ]");
		if (len == cap_len && strncasecmp(list, cap, len) == 0)
			return 1;
		list += len;
		while (*list == ' ')
			list++;
	}
	return 0;
}

/* Returns the capability list in an untagged OK greeting's
   [CAPABILITY ...] response code, or NULL. */
static const char *imap_greeting_capability(const char *line)
{
	static const char prefix[] = "* OK [CAPABILITY ";

	if (strncasecmp(line, prefix, sizeof(prefix) - 1) != 0)
		return NULL;
	return line + sizeof(prefix) - 1;
}

static int imap_tagged(const char *line, const char *tag,
		       const char *status)
{
	size_t tag_len = strlen(tag), status_len = strlen(status);

	return strncmp(line, tag, tag_len) == 0 && line[tag_len] == ' ' &&
		strncasecmp(line + tag_len + 1, status, status_len) == 0 &&
		(line[tag_len + 1 + status_len] == ' ' ||
		 line[tag_len + 1 + status_len] == '\0');
}

static int imap_is_tag(const char *line, const char *tag)
{
	size_t tag_len = strlen(tag);

	return strncmp(line, tag, tag_len) == 0 && line[tag_len] == ' ';
}

static int run_imap(struct connection *conn, struct auth_state *state)
{
	static const char untagged_cap[] = "* CAPABILITY ";
	const char *line, *caps, *mech;
	char cmd[256], *ir = NULL, *response;
	char failure[MAX_LINE_LEN + 1];
	int sasl_ir = 0, authenticated = 0;

	line = conn_read_line(conn);
	print_server_line(line);
	if (strncasecmp(line, "* OK", 4) != 0)
		result_error("unexpected IMAP greeting");

	caps = imap_greeting_capability(line);
	if (caps != NULL) {
		sasl_ir = imap_has_capability(caps, "SASL-IR");
	} else {
		conn_send(conn, "a0 CAPABILITY", NULL);
		for (;;) {
			line = conn_read_line(conn);
			print_server_line(line);
			if (strncasecmp(line, untagged_cap,
					sizeof(untagged_cap) - 1) == 0) {
				caps = line + sizeof(untagged_cap) - 1;
				if (imap_has_capability(caps, "SASL-IR"))
					sasl_ir = 1;
			} else if (imap_tagged(line, "a0", "OK")) {
				break;
			} else if (imap_is_tag(line, "a0")) {
				result_error("CAPABILITY command failed");
			} else if (line[0] != '*') {
				result_error("unexpected IMAP reply to "
					     "CAPABILITY");
			}
		}
	}

	mech = auth_start(state);
	snprintf(cmd, sizeof(cmd), "a1 AUTHENTICATE %s", mech);
	if (sasl_ir && !opts.no_ir)
		ir = auth_take_initial_response(state);
	if (ir == NULL) {
		conn_send(conn, cmd, NULL);
	} else {
		strcat(cmd, " ");
		/* RFC 4959: an empty initial response is sent as "=" */
		conn_send(conn, cmd, ir[0] == '\0' ? "=" : ir);
		free(ir);
	}

	for (;;) {
		line = conn_read_line(conn);
		print_server_line(line);
		if (is_continuation(line)) {
			response = auth_continue(state, line);
			conn_send(conn, "", response);
			free(response);
		} else if (imap_tagged(line, "a1", "OK")) {
			auth_check_done(state);
			authenticated = 1;
			break;
		} else if (imap_tagged(line, "a1", "NO")) {
			break;
		} else if (imap_is_tag(line, "a1")) {
			result_error("AUTHENTICATE rejected: %s", line);
		} else if (line[0] == '*' && line[1] == ' ') {
			if (strncasecmp(line, "* BYE", 5) == 0)
				result_error("server closed the session: %s",
					     line);
		} else {
			result_error("unexpected IMAP reply during "
				     "AUTHENTICATE");
		}
	}
	if (!authenticated)
		snprintf(failure, sizeof(failure), "%s", line);

	conn_send(conn, "a2 LOGOUT", NULL);
	do {
		line = conn_read_line(conn);
		print_server_line(line);
	} while (!imap_is_tag(line, "a2"));

	if (!authenticated) {
		print_sanitized("RESULT: AUTH-FAILED ", failure);
		return EXIT_AUTH_FAILED;
	}
	printf("RESULT: OK\n");
	return EXIT_AUTH_OK;
}

/* --- main ------------------------------------------------------------ */

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"Usage: sasl-client --pop3|--imap --host HOST --port N "
		"--user USER\n"
		"                   [--authzid ID] [--mech MECH] "
		"[--ntlm-v2 yes|no] [--no-ir]\n"
		"The password is taken from $SASL_PASSWORD.\n");
	printf("RESULT: ERROR invalid command line\n");
	exit(EXIT_ERROR);
}

static void parse_args(int argc, char *argv[])
{
	enum {
		OPT_POP3 = 256, OPT_IMAP, OPT_HOST, OPT_PORT, OPT_USER,
		OPT_AUTHZID, OPT_MECH, OPT_NTLM_V2, OPT_NO_IR, OPT_HELP
	};
	static const struct option long_opts[] = {
		{ "pop3", no_argument, NULL, OPT_POP3 },
		{ "imap", no_argument, NULL, OPT_IMAP },
		{ "host", required_argument, NULL, OPT_HOST },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "user", required_argument, NULL, OPT_USER },
		{ "authzid", required_argument, NULL, OPT_AUTHZID },
		{ "mech", required_argument, NULL, OPT_MECH },
		{ "ntlm-v2", required_argument, NULL, OPT_NTLM_V2 },
		{ "no-ir", no_argument, NULL, OPT_NO_IR },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opts.mech = "NTLM";
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case OPT_POP3:
			opts.proto = PROTO_POP3;
			break;
		case OPT_IMAP:
			opts.proto = PROTO_IMAP;
			break;
		case OPT_HOST:
			opts.host = optarg;
			break;
		case OPT_PORT:
			opts.port = optarg;
			break;
		case OPT_USER:
			opts.user = optarg;
			break;
		case OPT_AUTHZID:
			opts.authzid = optarg;
			break;
		case OPT_MECH:
			opts.mech = optarg;
			break;
		case OPT_NTLM_V2:
			if (strcmp(optarg, "yes") != 0 &&
			    strcmp(optarg, "no") != 0) {
				fprintf(stderr, "--ntlm-v2 takes yes or no\n");
				usage();
			}
			opts.ntlm_v2 = optarg;
			break;
		case OPT_NO_IR:
			opts.no_ir = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || opts.proto == PROTO_NONE ||
	    opts.host == NULL || opts.port == NULL || opts.user == NULL ||
	    opts.mech[0] == '\0' || strlen(opts.mech) > 100)
		usage();
}

int main(int argc, char *argv[])
{
	struct connection *conn;
	struct auth_state state;
	const char *password;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	parse_args(argc, argv);

	password = getenv("SASL_PASSWORD");
	if (password == NULL)
		result_error("SASL_PASSWORD is not set");
	set_password(password);

	ret = sasl_client_init(global_callbacks);
	if (ret != SASL_OK) {
		result_error("sasl_client_init() failed: %s",
			     sasl_errstring(ret, NULL, NULL));
	}
	memset(&state, 0, sizeof(state));
	ret = sasl_client_new(opts.proto == PROTO_POP3 ? "pop" : "imap",
			      SERVER_FQDN, NULL, NULL, conn_callbacks, 0,
			      &state.sasl);
	if (ret != SASL_OK) {
		result_error("sasl_client_new() failed: %s",
			     sasl_failure(NULL, ret));
	}

	conn = calloc(1, sizeof(*conn));
	if (conn == NULL)
		result_error("out of memory");
	conn_connect(conn, opts.host, opts.port);

	if (opts.proto == PROTO_POP3)
		ret = run_pop3(conn, &state);
	else
		ret = run_imap(conn, &state);

	close(conn->fd);
	free(conn);
	free(state.pending);
	sasl_dispose(&state.sasl);
	sasl_client_done();
	memset(password_secret->data, 0, password_secret->len);
	free(password_secret);
	return ret;
}
