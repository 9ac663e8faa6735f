/* dovecot-ntlm-probe: SMTP (RFC 4954 AUTH, RFC 3207 STARTTLS,
   [MS-SMTPNTLM]). */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Read a possibly multi-line reply; returns 0 with *code_r, or an exit
   code. EHLO keywords are looked at. */
static int smtp_reply(struct probe *p, bool hide_blob, int *code_r)
{
	const char *text;
	int ret;

	for (;;) {
		if ((ret = probe_read_line(p, hide_blob)) != 0)
			return ret;
		if (strlen(p->in.line) < 3 || p->in.line[0] < '1' ||
		    p->in.line[0] > '5' ||
		    strspn(p->in.line, "0123456789") < 3 ||
		    (p->in.line[3] != '\0' && p->in.line[3] != ' ' &&
		     p->in.line[3] != '-'))
			return probe_fail_protocol(p, "malformed SMTP reply");
		text = p->in.line[3] == '\0' ? "" : p->in.line + 4;
		if (strncasecmp(text, "AUTH ", 5) == 0 ||
		    strncasecmp(text, "AUTH=", 5) == 0) {
			p->capa_known = true;
			if (probe_has_word(text + 5, "NTLM"))
				p->listed_ntlm = true;
		} else if (strcasecmp(text, "STARTTLS") == 0) {
			p->starttls_offered = true;
		}
		if (p->in.line[3] != '-') {
			*code_r = (p->in.line[0] - '0') * 100 +
				(p->in.line[1] - '0') * 10 +
				(p->in.line[2] - '0');
			return 0;
		}
	}
}

static int smtp_greeting(struct probe *p)
{
	int ret, code;

	if ((ret = smtp_reply(p, false, &code)) != 0)
		return ret;
	if (code != 220)
		return probe_fail_protocol(p, "the greeting is not 220");
	return 0;
}

static int smtp_capabilities(struct probe *p)
{
	char cmd[300], host[256];
	int ret, code;

	p->listed_ntlm = false;
	p->starttls_offered = false;
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0' ||
	    strchr(host, ' ') != NULL)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(cmd, sizeof(cmd), "EHLO %s", host);
	if ((ret = probe_send_line(p, cmd, NULL)) != 0 ||
	    (ret = smtp_reply(p, false, &code)) != 0)
		return ret;
	if (code != 250)
		return probe_fail_protocol(p, "EHLO was refused");
	printf("  EHLO: %s\n", !p->capa_known ? "no AUTH offered" :
	       p->listed_ntlm ? "AUTH lists NTLM" :
	       "AUTH does not list NTLM");
	return 0;
}

static int smtp_starttls(struct probe *p)
{
	int ret, code;

	if ((ret = probe_send_line(p, "STARTTLS", NULL)) != 0 ||
	    (ret = smtp_reply(p, false, &code)) != 0)
		return ret;
	if (code != 220)
		return probe_fail_connect(p, "STARTTLS",
					  "refused by the server");
	return 0;
}

static int smtp_auth_start(struct probe *p)
{
	return probe_send_line(p, "AUTH NTLM", NULL);
}

static enum probe_auth_reply smtp_classify(struct probe *p, const char **data_r)
{
	*data_r = "";
	if (strncmp(p->in.line, "334", 3) == 0) {
		*data_r = p->in.line[3] == ' ' ? p->in.line + 4 : "";
		return PROBE_AUTH_CONTINUE;
	}
	if (strncmp(p->in.line, "235", 3) == 0)
		return PROBE_AUTH_OK;
	if (p->in.line[0] == '5' || p->in.line[0] == '4')
		return PROBE_AUTH_NO;
	return PROBE_AUTH_BAD;
}

static void smtp_after_login(struct probe *p PROBE_UNUSED)
{
}

static void smtp_quit(struct probe *p)
{
	int code;

	if (probe_send_line(p, "QUIT", NULL) == 0)
		(void)smtp_reply(p, false, &code);
}

static int smtp_auth_read(struct probe *p)
{
	int code;

	return smtp_reply(p, true, &code);
}

const struct probe_proto_ops probe_smtp_ops = {
	.name = "SMTP",
	.port = "587",
	.tls_port = "465",
	.spn_service = "smtp",
	.greeting = smtp_greeting,
	.capabilities = smtp_capabilities,
	.starttls = smtp_starttls,
	.auth_start = smtp_auth_start,
	.auth_read = smtp_auth_read,
	.classify = smtp_classify,
	.cancel_rest = NULL,
	.after_login = smtp_after_login,
	.quit = smtp_quit,
};
