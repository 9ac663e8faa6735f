#ifndef PROBE_H
#define PROBE_H

/* dovecot-ntlm-probe: what its files share. probe-main.c says which
   file does what. */

#include "ntlm-client.h"
#include "probe-line.h"
#include "probe-binding.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in dovecot-ntlm-probe(1). */
enum probe_exit {
	PROBE_EXIT_OK = 0,
	PROBE_EXIT_REFUSED = 1,
	PROBE_EXIT_NOT_OFFERED = 2,
	PROBE_EXIT_PROTOCOL = 3,
	PROBE_EXIT_CONNECT = 4,
	PROBE_EXIT_USAGE = 64,
	PROBE_EXIT_DATAERR = 65,
	PROBE_EXIT_SOFTWARE = 70,
};

/* A message in base64, with room for the protocol's framing. */
#define PROBE_B64_MAX (NTLM_MAX_MESSAGE_SIZE / 3 * 4 + 8)
#define PROBE_PASSWORD_MAX 1024
#define PROBE_DEFAULT_TIMEOUT 10

#define PROBE_UNUSED __attribute__((unused))
#define ATTR_FORMAT_PROBE(a, b) __attribute__((format(printf, a, b)))

enum probe_proto {
	PROBE_POP3,
	PROBE_IMAP,
	PROBE_SMTP,
};

enum probe_tls {
	PROBE_TLS_NONE,
	PROBE_TLS_STARTTLS,
	PROBE_TLS_IMPLICIT,
};

struct probe_settings {
	enum probe_proto proto;
	enum probe_tls tls;
	char host[256];
	char port[16];
	const char *user;
	const char *domain;
	const char *workstation;
	enum ntlm_client_variant variant;
	bool send_mic;
	const char *password_file;
	const char *cafile;
	bool insecure;
	const char *source;
	unsigned int timeout;
	/* over TLS: --no-channel-binding, --target-name SPN */
	bool no_channel_binding;
	const char *target_name;
};

/* The socket and its TLS session (probe-conn.c). The OpenSSL types are
   only named here; probe-conn.c is the file that uses them. */
struct probe_conn {
	int fd;
	struct ssl_ctx_st *ssl_ctx;
	struct ssl_st *ssl;
};

struct probe {
	const struct probe_settings *set;
	struct probe_conn conn;
	/* what the server sent; in.line is the last line */
	struct probe_line_reader in;
	/* IMAP's command tags */
	unsigned int tag;
	char tagstr[16];
	/* what the capability listings said */
	bool listed_ntlm;
	bool capa_known;
	bool starttls_offered;
	struct ntlm_client client;
	bool client_started;
	/* the relay defence's side of the exchange (probe-binding.c) */
	struct probe_binding binding;
	/* printed last, after the session is closed */
	char verdict[1024];
};

/* Outcome of reading the server's answer to an AUTH step. */
enum probe_auth_reply {
	PROBE_AUTH_CONTINUE,	/* "+ data" / "334 data" */
	PROBE_AUTH_OK,
	PROBE_AUTH_NO,
	PROBE_AUTH_BAD,
};

/* One protocol's steps (probe-pop3.c, probe-imap.c, probe-smtp.c).
   Those returning int return 0 or an exit code, after reporting. */
struct probe_proto_ops {
	const char *name;
	const char *port, *tls_port;
	/* the service class of its SPN (MsvAvTargetName), "imap/HOST" */
	const char *spn_service;
	int (*greeting)(struct probe *p);
	/* Look at the capability listing: listed_ntlm, capa_known,
	   starttls_offered. */
	int (*capabilities)(struct probe *p);
	int (*starttls)(struct probe *p);
	int (*auth_start)(struct probe *p);
	/* Read the reply to an AUTH step into p->in.line (skipping what
	   does not answer it), and classify it. */
	int (*auth_read)(struct probe *p);
	enum probe_auth_reply (*classify)(struct probe *p,
					  const char **data_r);
	/* After the cancelling "*" and its first reply line: read the
	   rest of the reply (NULL: there is none). */
	void (*cancel_rest)(struct probe *p);
	void (*after_login)(struct probe *p);
	void (*quit)(struct probe *p);
};

extern const struct probe_proto_ops probe_pop3_ops;
extern const struct probe_proto_ops probe_imap_ops;
extern const struct probe_proto_ops probe_smtp_ops;
/* The ops of a protocol. */
const struct probe_proto_ops *probe_proto_ops(enum probe_proto proto);

/* probe-conn.c: connect to set->host and set->port (from set->source);
   start TLS; close. Those returning int return 0 or an exit code. */
int probe_conn_connect(struct probe *p);
int probe_conn_tls_start(struct probe *p);
bool probe_conn_is_tls(const struct probe *p);
void probe_conn_close(struct probe *p);
/* Send a line; shown as "C: shown" (or the line itself when shown is
   NULL). Returns 0 or an exit code. */
int probe_send_line(struct probe *p, const char *line, const char *shown);
/* Read and show a server line (p->in.line). With hide_blob, a
   "+ base64" line is shown by its length only. Returns 0 or an exit
   code. */
int probe_read_line(struct probe *p, bool hide_blob);

/* probe-exchange.c: the verdict, printed after the session ends. */
void ATTR_FORMAT_PROBE(2, 3)
probe_set_verdict(struct probe *p, const char *fmt, ...);
/* Report a connection (TLS) or protocol error; return its exit code. */
int probe_fail_connect(struct probe *p, const char *what, const char *why);
int probe_fail_protocol(struct probe *p, const char *why);
/* The --variant names. */
int probe_variant_parse(const char *arg, enum ntlm_client_variant *v_r);
const char *probe_variant_option(enum ntlm_client_variant variant);
/* A whole login; returns its exit code. */
int probe_run(const struct probe_settings *set);

/* probe-password.c: the NT hash of the password from file,
   $NTLM_PASSWORD or a prompt (never argv); the password itself is
   wiped. Returns 0, or an exit code after reporting. */
int probe_password_hash(const char *file, const char *prompt,
			uint8_t hash_r[16]);

/* probe-commands.c: the subcommands that need no server; argv
   after the subcommand's name. Return an exit code. */
int probe_cmd_decode(int argc, char **argv);
int probe_cmd_selftest(void);
int probe_cmd_hash(int argc, char **argv);

/* probe-main.c */
void probe_usage(FILE *out);

#endif
