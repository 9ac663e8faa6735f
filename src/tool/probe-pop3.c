/* dovecot-ntlm-probe: POP3 ([MS-OXPOP3] 3.1, RFC 1734, RFC 2449). */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int pop3_greeting(struct probe *p)
{
	int ret;

	if ((ret = probe_read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->in.line, "+OK", 3) != 0)
		return probe_fail_protocol(p, "the greeting is not +OK");
	return 0;
}

/* A multi-line reply after +OK, up to ".". line_cb sees each line. */
static int pop3_multiline(struct probe *p, const char *cmd,
			  bool *supported_r, void (*line_cb)(struct probe *))
{
	int ret;

	if ((ret = probe_send_line(p, cmd, NULL)) != 0 ||
	    (ret = probe_read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->in.line, "+OK", 3) != 0) {
		*supported_r = false;
		return 0;
	}
	*supported_r = true;
	for (;;) {
		if ((ret = probe_read_line(p, false)) != 0)
			return ret;
		if (strcmp(p->in.line, ".") == 0)
			return 0;
		line_cb(p);
	}
}

static void pop3_capa_line(struct probe *p)
{
	if (strncasecmp(p->in.line, "SASL ", 5) == 0 &&
	    probe_has_word(p->in.line + 5, "NTLM"))
		p->listed_ntlm = true;
	if (strcasecmp(p->in.line, "STLS") == 0)
		p->starttls_offered = true;
}

static void pop3_auth_line(struct probe *p)
{
	if (strcasecmp(p->in.line, "NTLM") == 0)
		p->listed_ntlm = true;
}

static int pop3_capabilities(struct probe *p)
{
	bool capa, auth;
	int ret;

	p->listed_ntlm = false;
	p->starttls_offered = false;
	if ((ret = pop3_multiline(p, "CAPA", &capa, pop3_capa_line)) != 0)
		return ret;
	printf("  CAPA: %s\n", !capa ? "not supported" : p->listed_ntlm ?
	       "SASL lists NTLM" : "SASL does not list NTLM");
	if (p->set->tls == PROBE_TLS_STARTTLS && !probe_conn_is_tls(p))
		return 0;
	/* [MS-OXPOP3] 1.7: AUTH with no argument lists the mechanisms. */
	p->capa_known = capa;
	capa = p->listed_ntlm;
	p->listed_ntlm = false;
	if ((ret = pop3_multiline(p, "AUTH", &auth, pop3_auth_line)) != 0)
		return ret;
	printf("  AUTH: %s\n", !auth ? "not supported" : p->listed_ntlm ?
	       "lists NTLM" : "does not list NTLM");
	p->capa_known = p->capa_known || auth;
	p->listed_ntlm = p->listed_ntlm || capa;
	return 0;
}

static int pop3_starttls(struct probe *p)
{
	int ret;

	if ((ret = probe_send_line(p, "STLS", NULL)) != 0 ||
	    (ret = probe_read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->in.line, "+OK", 3) != 0)
		return probe_fail_connect(p, "STLS", "refused by the server");
	return 0;
}

static int pop3_auth_start(struct probe *p)
{
	return probe_send_line(p, "AUTH NTLM", NULL);
}

static enum probe_auth_reply pop3_classify(struct probe *p, const char **data_r)
{
	*data_r = "";
	if (strncmp(p->in.line, "+OK", 3) == 0)
		return PROBE_AUTH_OK;
	if (strncmp(p->in.line, "-ERR", 4) == 0)
		return PROBE_AUTH_NO;
	if (p->in.line[0] == '+' &&
	    (p->in.line[1] == ' ' || p->in.line[1] == '\0')) {
		*data_r = p->in.line[1] == '\0' ? "" : p->in.line + 2;
		return PROBE_AUTH_CONTINUE;
	}
	return PROBE_AUTH_BAD;
}

static void pop3_after_login(struct probe *p)
{
	if (probe_send_line(p, "STAT", NULL) == 0)
		(void)probe_read_line(p, false);
}

static void pop3_quit(struct probe *p)
{
	if (probe_send_line(p, "QUIT", NULL) == 0)
		(void)probe_read_line(p, false);
}

static int pop3_auth_read(struct probe *p)
{
	return probe_read_line(p, true);
}

const struct probe_proto_ops probe_pop3_ops = {
	.name = "POP3",
	.port = "110",
	.tls_port = "995",
	.spn_service = "pop",
	.greeting = pop3_greeting,
	.capabilities = pop3_capabilities,
	.starttls = pop3_starttls,
	.auth_start = pop3_auth_start,
	.auth_read = pop3_auth_read,
	.classify = pop3_classify,
	.cancel_rest = NULL,
	.after_login = pop3_after_login,
	.quit = pop3_quit,
};
