/* dovecot-ntlm-probe: the connection layer. A TCP socket, optionally
   under TLS, read a line at a time (probe-line.c) and written a line at
   a time, every line shown as it crosses. The only file that speaks to
   OpenSSL's SSL API: what needs the TLS session (channel binding) hooks
   in here through p->conn.ssl. */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char *tls_error_string(void)
{
	static char buf[256];
	unsigned long err = ERR_get_error();

	if (err == 0)
		return "unknown TLS error";
	ERR_error_string_n(err, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

/* The line reader's source: the TLS session once there is one, else
   the socket. */
static ssize_t conn_read(void *context, void *buf, size_t size,
			 const char **error_r)
{
	struct probe_conn *conn = context;
	static char error[300];
	ssize_t n;
	int ret, err;

	if (conn->ssl != NULL) {
		ret = SSL_read(conn->ssl, buf, (int)size);
		if (ret > 0)
			return ret;
		err = SSL_get_error(conn->ssl, ret);
		if (err == SSL_ERROR_ZERO_RETURN ||
		    (err == SSL_ERROR_SYSCALL && errno == 0))
			return 0;
		if (err == SSL_ERROR_SYSCALL &&
		    (errno == EAGAIN || errno == EWOULDBLOCK))
			*error_r = "timed out waiting for the server";
		else {
			snprintf(error, sizeof(error), "TLS read failed: %s",
				 tls_error_string());
			*error_r = error;
		}
		return -1;
	}
	do {
		n = read(conn->fd, buf, size);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		*error_r = errno == EAGAIN || errno == EWOULDBLOCK ?
			"timed out waiting for the server" : strerror(errno);
	}
	return n;
}

int probe_conn_connect(struct probe *p)
{
	const struct probe_settings *set = p->set;
	struct addrinfo hints, *ai, *res, *src = NULL;
	struct timeval tv;
	char addr[INET6_ADDRSTRLEN], what[512];
	int ret, fd = -1, last_errno = 0;

	snprintf(what, sizeof(what), "connect to %s port %s", set->host,
		 set->port);
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	ret = getaddrinfo(set->host, set->port, &hints, &res);
	if (ret != 0)
		return probe_fail_connect(p, what, gai_strerror(ret));
	if (set->source != NULL) {
		hints.ai_flags = AI_NUMERICHOST;
		ret = getaddrinfo(set->source, NULL, &hints, &src);
		if (ret != 0) {
			freeaddrinfo(res);
			return probe_fail_connect(p, "--source",
						  gai_strerror(ret));
		}
	}
	tv.tv_sec = set->timeout;
	tv.tv_usec = 0;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (src != NULL && src->ai_family != ai->ai_family)
			continue;
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			last_errno = errno;
			continue;
		}
		/* Linux applies SO_SNDTIMEO to connect() too. */
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if ((src == NULL ||
		     bind(fd, src->ai_addr, src->ai_addrlen) == 0) &&
		    connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		last_errno = errno;
		close(fd);
		fd = -1;
	}
	if (fd < 0) {
		freeaddrinfo(res);
		if (src != NULL)
			freeaddrinfo(src);
		return probe_fail_connect(p, what,
					  last_errno == EINPROGRESS ||
					  last_errno == EAGAIN ? "timed out" :
					  last_errno == 0 ?
					  "no usable address" :
					  strerror(last_errno));
	}
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr),
			NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(addr, sizeof(addr), "?");
	printf("connected to %s port %s (%s)\n", set->host, set->port, addr);
	freeaddrinfo(res);
	if (src != NULL)
		freeaddrinfo(src);
	p->conn.fd = fd;
	probe_line_reader_init(&p->in, conn_read, &p->conn);
	return 0;
}

static void print_x509_name(const char *label, X509_NAME *name)
{
	char buf[512];

	if (name == NULL ||
	    X509_NAME_oneline(name, buf, sizeof(buf)) == NULL)
		snprintf(buf, sizeof(buf), "?");
	printf("  %s: ", label);
	probe_fput_sanitized(stdout, buf, strlen(buf));
	putchar('\n');
}

/* The relay defence: the server certificate as DER, for the channel
   binding and the target name probe-binding.c sends. */
static void tls_binding(struct probe *p)
{
	unsigned char *der = NULL;
	X509 *cert;
	int len;

	cert = SSL_get1_peer_certificate(p->conn.ssl);
	len = cert == NULL ? -1 : i2d_X509(cert, &der);
	X509_free(cert);
	p->binding.no_binding = p->set->no_channel_binding;
	p->binding.target_name = p->set->target_name;
	probe_binding_tls(&p->binding, len > 0 ? der : NULL,
			  len > 0 ? (size_t)len : 0,
			  probe_proto_ops(p->set->proto)->spn_service,
			  p->set->host);
	OPENSSL_free(der);
}

int probe_conn_tls_start(struct probe *p)
{
	const struct probe_settings *set = p->set;
	struct in6_addr addr6;
	struct in_addr addr4;
	X509 *cert;
	long verify;
	bool is_ip;

	p->conn.ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (p->conn.ssl_ctx == NULL)
		return probe_fail_connect(p, "TLS", tls_error_string());
	(void)SSL_CTX_set_min_proto_version(p->conn.ssl_ctx, TLS1_2_VERSION);
	if (set->cafile != NULL) {
		if (SSL_CTX_load_verify_locations(p->conn.ssl_ctx, set->cafile,
						  NULL) != 1)
			return probe_fail_connect(p, set->cafile,
						  tls_error_string());
	} else if (SSL_CTX_set_default_verify_paths(p->conn.ssl_ctx) != 1) {
		return probe_fail_connect(p, "TLS trust store",
					  tls_error_string());
	}
	SSL_CTX_set_verify(p->conn.ssl_ctx, set->insecure ? SSL_VERIFY_NONE :
			   SSL_VERIFY_PEER, NULL);
	p->conn.ssl = SSL_new(p->conn.ssl_ctx);
	if (p->conn.ssl == NULL)
		return probe_fail_connect(p, "TLS", tls_error_string());
	is_ip = inet_pton(AF_INET, set->host, &addr4) == 1 ||
		inet_pton(AF_INET6, set->host, &addr6) == 1;
	if (is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(p->conn.ssl),
						  set->host) != 1)
			return probe_fail_connect(p, "TLS", tls_error_string());
	} else {
		if (SSL_set1_host(p->conn.ssl, set->host) != 1 ||
		    SSL_set_tlsext_host_name(p->conn.ssl, set->host) != 1)
			return probe_fail_connect(p, "TLS", tls_error_string());
	}
	if (SSL_set_fd(p->conn.ssl, p->conn.fd) != 1)
		return probe_fail_connect(p, "TLS", tls_error_string());
	if (SSL_connect(p->conn.ssl) != 1) {
		verify = SSL_get_verify_result(p->conn.ssl);
		if (verify != X509_V_OK && !set->insecure) {
			char why[512];

			snprintf(why, sizeof(why), "certificate not "
				 "verified: %s (--cafile FILE names the CA; "
				 "--insecure skips the check)",
				 X509_verify_cert_error_string(verify));
			return probe_fail_connect(p, "TLS handshake", why);
		}
		return probe_fail_connect(p, "TLS handshake", errno == EAGAIN ?
					  "timed out" : tls_error_string());
	}
	printf("TLS: %s, %s\n", SSL_get_version(p->conn.ssl),
	       SSL_get_cipher_name(p->conn.ssl));
	cert = SSL_get1_peer_certificate(p->conn.ssl);
	if (cert != NULL) {
		print_x509_name("subject", X509_get_subject_name(cert));
		print_x509_name("issuer", X509_get_issuer_name(cert));
		X509_free(cert);
	}
	verify = SSL_get_verify_result(p->conn.ssl);
	if (set->insecure) {
		printf("  certificate NOT checked (--insecure): %s\n",
		       X509_verify_cert_error_string(verify));
	} else {
		printf("  certificate verified for %s%s%s\n", set->host,
		       set->cafile != NULL ? " against " : "",
		       set->cafile != NULL ? set->cafile : "");
	}
	tls_binding(p);
	return 0;
}

bool probe_conn_is_tls(const struct probe *p)
{
	return p->conn.ssl != NULL;
}

void probe_conn_close(struct probe *p)
{
	if (p->conn.ssl != NULL) {
		(void)SSL_shutdown(p->conn.ssl);
		SSL_free(p->conn.ssl);
		p->conn.ssl = NULL;
	}
	if (p->conn.ssl_ctx != NULL) {
		SSL_CTX_free(p->conn.ssl_ctx);
		p->conn.ssl_ctx = NULL;
	}
	if (p->conn.fd >= 0) {
		close(p->conn.fd);
		p->conn.fd = -1;
	}
}

static int conn_write(struct probe_conn *conn, const char *data,
		      size_t len, const char **error_r)
{
	ssize_t n;

	while (len > 0) {
		if (conn->ssl != NULL) {
			int ret = SSL_write(conn->ssl, data, (int)len);

			if (ret <= 0) {
				*error_r = "TLS write failed";
				return -1;
			}
			n = ret;
		} else {
			n = write(conn->fd, data, len);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				*error_r = strerror(errno);
				return -1;
			}
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int probe_send_line(struct probe *p, const char *line, const char *shown)
{
	const char *error;

	probe_print_line("C: ", shown != NULL ? shown : line);
	if (conn_write(&p->conn, line, strlen(line), &error) < 0 ||
	    conn_write(&p->conn, "\r\n", 2, &error) < 0)
		return probe_fail_connect(p, "send", error);
	return 0;
}

int probe_read_line(struct probe *p, bool hide_blob)
{
	const char *error;
	char shown[96];

	if (probe_line_read(&p->in, &error) < 0)
		return probe_fail_connect(p, "receive", error);
	/* A continuation line carrying a message ("+ TlRM...", "334
	   TlRM..."): shown by its length, the CHALLENGE is decoded. */
	if (hide_blob && (strncmp(p->in.line, "+ ", 2) == 0 ||
			  strncmp(p->in.line, "334 ", 4) == 0)) {
		const char *blob = strchr(p->in.line, ' ') + 1;
		size_t len = strlen(blob);

		if (len >= 16 &&
		    strspn(blob, probe_base64_alphabet) + 2 >= len) {
			snprintf(shown, sizeof(shown),
				 "%.*s <%zu characters of base64>",
				 (int)(blob - p->in.line - 1), p->in.line, len);
			probe_print_line("S: ", shown);
			return 0;
		}
	}
	probe_print_line("S: ", p->in.line);
	return 0;
}
