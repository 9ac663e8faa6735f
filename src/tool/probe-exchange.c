/* dovecot-ntlm-probe: the exchange. Drives one protocol's steps
   (probe_proto_ops) through connect, STARTTLS and the NTLM AUTH, and
   writes the verdict the exit code stands for. */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"
#include "probe-dump.h"

#include "ntlm-client.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void probe_set_verdict(struct probe *p, const char *fmt, ...)
{
	size_t used = strlen(p->verdict);
	va_list args;

	va_start(args, fmt);
	vsnprintf(p->verdict + used, sizeof(p->verdict) - used, fmt, args);
	va_end(args);
}

int probe_fail_connect(struct probe *p, const char *what, const char *why)
{
	printf("error: %s: %s\n", what, why);
	probe_set_verdict(p, "verdict: connection or TLS error (exit %d)\n",
			  PROBE_EXIT_CONNECT);
	return PROBE_EXIT_CONNECT;
}

int probe_fail_protocol(struct probe *p, const char *why)
{
	printf("error: %s\n", why);
	probe_set_verdict(p, "verdict: protocol error (exit %d)\n",
			  PROBE_EXIT_PROTOCOL);
	return PROBE_EXIT_PROTOCOL;
}

const struct probe_proto_ops *probe_proto_ops(enum probe_proto proto)
{
	switch (proto) {
	case PROBE_POP3:
		break;
	case PROBE_IMAP:
		return &probe_imap_ops;
	case PROBE_SMTP:
		return &probe_smtp_ops;
	}
	return &probe_pop3_ops;
}

/* The --variant values: the option, and the setting a default server
   needs to accept the variant (NULL: none). */
static const struct probe_variant_row {
	enum ntlm_client_variant variant;
	const char *option;
	const char *setting;
} variant_rows[] = {
	{ NTLM_CLIENT_V2, "v2", NULL },
	{ NTLM_CLIENT_LMV2, "lmv2", "ntlm_allow_lmv2 = yes (the default)" },
	{ NTLM_CLIENT_ESS, "ess", "ntlm_allow_ntlmv1_ess = yes" },
	{ NTLM_CLIENT_V1, "v1", "ntlm_allow_ntlmv1 = yes" },
};

static const struct probe_variant_row *
variant_row(enum ntlm_client_variant variant)
{
	unsigned int i;

	for (i = 0; i < NTLM_N_ELEMENTS(variant_rows); i++) {
		if (variant_rows[i].variant == variant)
			return &variant_rows[i];
	}
	return NULL;
}

int probe_variant_parse(const char *arg, enum ntlm_client_variant *v_r)
{
	unsigned int i;

	for (i = 0; i < NTLM_N_ELEMENTS(variant_rows); i++) {
		if (strcmp(variant_rows[i].option, arg) == 0) {
			*v_r = variant_rows[i].variant;
			return 0;
		}
	}
	return -1;
}

const char *probe_variant_option(enum ntlm_client_variant variant)
{
	const struct probe_variant_row *row = variant_row(variant);

	return row != NULL ? row->option : "anonymous";
}

static const char *variant_setting(enum ntlm_client_variant variant)
{
	const struct probe_variant_row *row = variant_row(variant);

	return row != NULL ? row->setting : NULL;
}

static void cancel_auth(struct probe *p)
{
	const struct probe_proto_ops *ops = probe_proto_ops(p->set->proto);

	if (probe_send_line(p, "*", NULL) != 0 ||
	    probe_read_line(p, true) != 0)
		return;
	if (ops->cancel_rest != NULL)
		ops->cancel_rest(p);
}

/* Read one reply to an AUTH step. Returns 0 with *reply_r, or an exit
   code. */
static int auth_read(struct probe *p, enum probe_auth_reply *reply_r,
		     const char **data_r)
{
	const struct probe_proto_ops *ops = probe_proto_ops(p->set->proto);
	int ret;

	if ((ret = ops->auth_read(p)) != 0)
		return ret;
	*reply_r = ops->classify(p, data_r);
	return 0;
}

static int send_blob(struct probe *p, const char *what, const uint8_t *data,
		     size_t len, const char *detail)
{
	char b64[PROBE_B64_MAX], shown[512];

	probe_base64_encode(data, len, b64);
	snprintf(shown, sizeof(shown), "<%s: %zu bytes as %zu characters "
		 "of base64%s%s>", what, len, strlen(b64),
		 detail[0] != '\0' ? "; " : "", detail);
	return probe_send_line(p, b64, shown);
}

/* Summary of our own AUTHENTICATE: lengths only, never content. */
static void describe_authenticate(struct probe *p, char *buf, size_t size)
{
	struct ntlm_authenticate msg;
	const uint8_t *data;
	const char *error;
	size_t len;

	ntlm_client_authenticate(&p->client, &data, &len);
	if (ntlm_decode_authenticate(data, len, &msg, &error) < 0) {
		snprintf(buf, size, "undecodable: %s", error);
		return;
	}
	snprintf(buf, size, "%s; NT response %zu bytes, LM response %zu "
		 "bytes%s", ntlm_variant_name(ntlm_client_sent_variant(
			&p->client)), msg.nt_response.len,
		 msg.lm_response.len,
		 p->set->send_mic && ntlm_client_sent_variant(&p->client) ==
		 NTLM_VARIANT_NTLMV2 ? ", MIC" : "");
}

static int run_exchange(struct probe *p, const uint8_t nt_hash[16])
{
	const struct probe_settings *set = p->set;
	const struct probe_proto_ops *ops = probe_proto_ops(set->proto);
	struct ntlm_client_params params;
	struct ntlm_challenge chal;
	enum probe_auth_reply reply;
	uint8_t challenge[NTLM_MAX_MESSAGE_SIZE + 3];
	char detail[256], b64_error[128];
	enum ntlm_variant sent;
	const uint8_t *data;
	const char *error, *payload, *setting;
	size_t len;
	int ret;

	if ((ret = ops->auth_start(p)) != 0 ||
	    (ret = auth_read(p, &reply, &payload)) != 0)
		return ret;
	if (reply != PROBE_AUTH_CONTINUE) {
		probe_set_verdict(p, "verdict: NTLM not offered: the server "
				  "refused AUTH NTLM%s (exit %d)\n",
				  p->listed_ntlm ?
				  " although it lists NTLM" : "",
				  PROBE_EXIT_NOT_OFFERED);
		return PROBE_EXIT_NOT_OFFERED;
	}
	if (!p->listed_ntlm && p->capa_known)
		printf("warning: the server accepts AUTH NTLM but does not "
		       "list it\n");

	ntlm_client_params_init(&params);
	params.variant = set->variant;
	params.user = set->user;
	params.domain = set->domain;
	params.workstation = set->workstation;
	params.send_mic = set->send_mic;
	memcpy(params.nt_hash, nt_hash, 16);
	probe_binding_apply(&p->binding, &params);
	ret = ntlm_client_init(&p->client, &params, &error);
	ntlm_wipe(&params, sizeof(params));
	if (ret < 0) {
		printf("error: %s\n", error);
		return PROBE_EXIT_USAGE;
	}
	p->client_started = true;
	ntlm_client_negotiate(&p->client, &data, &len);
	if ((ret = send_blob(p, "NEGOTIATE", data, len, "")) != 0 ||
	    (ret = auth_read(p, &reply, &payload)) != 0)
		return ret;
	if (reply != PROBE_AUTH_CONTINUE) {
		ret = probe_fail_protocol(p, "the server did not answer the "
					  "NEGOTIATE with a CHALLENGE");
		if (reply == PROBE_AUTH_NO)
			probe_set_verdict(p, "  It refused the NEGOTIATE.\n%s",
					  probe_binding_hint(&p->binding,
							     true));
		return ret;
	}
	if (probe_base64_decode(payload, challenge, sizeof(challenge), &len,
				b64_error, sizeof(b64_error)) < 0) {
		printf("error: the CHALLENGE is not base64: %s\n", b64_error);
		cancel_auth(p);
		return probe_fail_protocol(p, "malformed CHALLENGE");
	}
	printf("CHALLENGE, %zu bytes:\n", len);
	if (ntlm_decode_challenge(challenge, len, &chal, &error) < 0) {
		printf("error: malformed CHALLENGE: %s\n", error);
		cancel_auth(p);
		return probe_fail_protocol(p, "malformed CHALLENGE");
	}
	probe_dump_challenge("  ", &chal, true);

	if (ntlm_client_input(&p->client, challenge, len, &error) < 0) {
		printf("error: cannot answer this CHALLENGE with --variant "
		       "%s: %s\n", probe_variant_option(set->variant), error);
		cancel_auth(p);
		return probe_fail_protocol(p, "cannot answer the CHALLENGE");
	}
	describe_authenticate(p, detail, sizeof(detail));
	printf("sending %s as user \"%s\", domain \"%s\"\n",
	       ntlm_variant_name(ntlm_client_sent_variant(&p->client)),
	       set->user, set->domain != NULL ? set->domain : "");
	ntlm_client_authenticate(&p->client, &data, &len);
	if ((ret = send_blob(p, "AUTHENTICATE", data, len, detail)) != 0 ||
	    (ret = auth_read(p, &reply, &payload)) != 0)
		return ret;
	sent = ntlm_client_sent_variant(&p->client);
	switch (reply) {
	case PROBE_AUTH_OK:
		probe_set_verdict(p, "verdict: logged in as %s%s%s with %s "
				  "(exit %d)\n",
				  set->domain != NULL ? set->domain : "",
				  set->domain != NULL ? "\\" : "", set->user,
				  ntlm_variant_name(sent), PROBE_EXIT_OK);
		ops->after_login(p);
		return PROBE_EXIT_OK;
	case PROBE_AUTH_NO:
		probe_set_verdict(p, "verdict: credentials refused (exit %d)\n"
				  "  The server does not say why; its log does "
				  "(auth_verbose = yes).\n",
				  PROBE_EXIT_REFUSED);
		setting = variant_setting(set->variant);
		if (setting != NULL) {
			probe_set_verdict(p, "  Either the password is wrong "
					  "or the server's policy refuses "
					  "%s:\n  a default dovecot-ntlm "
					  "server needs %s.\n",
					  ntlm_variant_name(sent), setting);
		} else if (!set->send_mic) {
			probe_set_verdict(p, "  Wrong user or password, or the "
					  "server requires a MIC "
					  "(ntlm_require_mic = yes).\n");
		} else {
			probe_set_verdict(p, "  Wrong user, domain or "
					  "password.\n");
		}
		probe_set_verdict(p, "%s", probe_binding_hint(&p->binding,
							      false));
		return PROBE_EXIT_REFUSED;
	case PROBE_AUTH_CONTINUE:
		cancel_auth(p);
		return probe_fail_protocol(p, "the server wants more after the "
					   "AUTHENTICATE");
	case PROBE_AUTH_BAD:
		break;
	}
	return probe_fail_protocol(p, "unexpected reply to the AUTHENTICATE");
}

int probe_run(const struct probe_settings *set)
{
	const struct probe_proto_ops *ops = probe_proto_ops(set->proto);
	char prompt[600];
	uint8_t nt_hash[16];
	struct probe *p;
	int ret;

	snprintf(prompt, sizeof(prompt), "Password for %s%s%s: ",
		 set->domain != NULL ? set->domain : "",
		 set->domain != NULL ? "\\" : "", set->user);
	if ((ret = probe_password_hash(set->password_file, prompt,
				       nt_hash)) != 0)
		return ret;

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		ntlm_wipe(nt_hash, sizeof(nt_hash));
		return PROBE_EXIT_SOFTWARE;
	}
	p->set = set;
	p->conn.fd = -1;
	printf("dovecot-ntlm-probe %s: %s%s on %s port %s, user \"%s\", "
	       "domain \"%s\", --variant %s%s\n", PACKAGE_VERSION, ops->name,
	       set->tls == PROBE_TLS_IMPLICIT ? " over TLS" :
	       set->tls == PROBE_TLS_STARTTLS ? " with STARTTLS" : "",
	       set->host, set->port, set->user,
	       set->domain != NULL ? set->domain : "",
	       probe_variant_option(set->variant), set->send_mic ? "" :
	       " (no MIC)");
	if ((ret = probe_conn_connect(p)) != 0)
		goto out;
	if (set->tls == PROBE_TLS_IMPLICIT &&
	    (ret = probe_conn_tls_start(p)) != 0)
		goto out;
	if ((ret = ops->greeting(p)) != 0 ||
	    (ret = ops->capabilities(p)) != 0)
		goto out;
	if (set->tls == PROBE_TLS_STARTTLS) {
		if (!p->starttls_offered) {
			ret = probe_fail_connect(p, "STARTTLS",
						 "not offered by the server");
			goto out;
		}
		if ((ret = ops->starttls(p)) != 0)
			goto out;
		if (probe_line_pending(&p->in) > 0) {
			/* Plaintext queued after the STARTTLS reply would
			   be taken for TLS-protected input. */
			ret = probe_fail_protocol(p, "the server sent data "
						  "after its STARTTLS reply");
			goto out;
		}
		if ((ret = probe_conn_tls_start(p)) != 0 ||
		    (ret = ops->capabilities(p)) != 0)
			goto out;
	}
	if (!probe_conn_is_tls(p)) {
		printf("note: no TLS: the exchange crosses the network in "
		       "the clear (--starttls or --tls)\n");
	}
	ret = run_exchange(p, nt_hash);
	if (ret != PROBE_EXIT_CONNECT)
		ops->quit(p);
out:
	fputs(p->verdict, stdout);
	ntlm_wipe(nt_hash, sizeof(nt_hash));
	if (p->client_started)
		ntlm_client_deinit(&p->client);
	probe_conn_close(p);
	free(p);
	return ret;
}
