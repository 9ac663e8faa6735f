/* dovecot-ntlm-probe: IMAP (RFC 3501 AUTHENTICATE, [MS-OXIMAP4]). */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *next_tag(struct probe *p)
{
	snprintf(p->tagstr, sizeof(p->tagstr), "p%u", ++p->tag);
	return p->tagstr;
}

static int imap_greeting(struct probe *p)
{
	int ret;

	if ((ret = probe_read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->in.line, "* PREAUTH", 9) == 0)
		return probe_fail_protocol(p, "the server pre-authenticated "
					   "the connection: nothing to test");
	if (strncmp(p->in.line, "* OK", 4) != 0)
		return probe_fail_protocol(p, "the greeting is not * OK");
	return 0;
}

/* Read until the tagged reply of the current tag. Untagged lines are
   shown (and CAPABILITY lines looked at). Returns 0 with p->in.line the
   tagged line, or an exit code. */
static int imap_tagged(struct probe *p)
{
	size_t tlen = strlen(p->tagstr);
	const char *caps;
	int ret;

	for (;;) {
		if ((ret = probe_read_line(p, true)) != 0)
			return ret;
		if (strncmp(p->in.line, p->tagstr, tlen) == 0 &&
		    p->in.line[tlen] == ' ')
			return 0;
		if (strncasecmp(p->in.line, "* CAPABILITY ", 13) == 0) {
			caps = p->in.line + 13;
			p->capa_known = true;
			if (probe_has_word(caps, "AUTH=NTLM"))
				p->listed_ntlm = true;
			if (probe_has_word(caps, "STARTTLS"))
				p->starttls_offered = true;
		} else if (p->in.line[0] != '*') {
			return 0;
		}
	}
}

static bool imap_tagged_ok(struct probe *p)
{
	size_t tlen = strlen(p->tagstr);

	return strncmp(p->in.line, p->tagstr, tlen) == 0 &&
		strncasecmp(p->in.line + tlen, " OK", 3) == 0;
}

static int imap_capabilities(struct probe *p)
{
	char cmd[32];
	int ret;

	p->listed_ntlm = false;
	p->starttls_offered = false;
	snprintf(cmd, sizeof(cmd), "%s CAPABILITY", next_tag(p));
	if ((ret = probe_send_line(p, cmd, NULL)) != 0 ||
	    (ret = imap_tagged(p)) != 0)
		return ret;
	printf("  CAPABILITY: %s\n", !p->capa_known ? "none received" :
	       p->listed_ntlm ? "lists AUTH=NTLM" :
	       "does not list AUTH=NTLM");
	return 0;
}

static int imap_starttls(struct probe *p)
{
	char cmd[32];
	int ret;

	snprintf(cmd, sizeof(cmd), "%s STARTTLS", next_tag(p));
	if ((ret = probe_send_line(p, cmd, NULL)) != 0 ||
	    (ret = imap_tagged(p)) != 0)
		return ret;
	if (!imap_tagged_ok(p))
		return probe_fail_connect(p, "STARTTLS",
					  "refused by the server");
	return 0;
}

static int imap_auth_start(struct probe *p)
{
	char cmd[48];

	snprintf(cmd, sizeof(cmd), "%s AUTHENTICATE NTLM", next_tag(p));
	return probe_send_line(p, cmd, NULL);
}

static enum probe_auth_reply imap_classify(struct probe *p, const char **data_r)
{
	size_t tlen = strlen(p->tagstr);

	*data_r = "";
	if (p->in.line[0] == '+' &&
	    (p->in.line[1] == ' ' || p->in.line[1] == '\0')) {
		*data_r = p->in.line[1] == '\0' ? "" : p->in.line + 2;
		return PROBE_AUTH_CONTINUE;
	}
	if (strncmp(p->in.line, p->tagstr, tlen) != 0)
		return PROBE_AUTH_BAD;
	if (strncasecmp(p->in.line + tlen, " OK", 3) == 0)
		return PROBE_AUTH_OK;
	if (strncasecmp(p->in.line + tlen, " NO", 3) == 0)
		return PROBE_AUTH_NO;
	return PROBE_AUTH_BAD;
}

static void imap_after_login(struct probe *p PROBE_UNUSED)
{
}

static void imap_quit(struct probe *p)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "%s LOGOUT", next_tag(p));
	if (probe_send_line(p, cmd, NULL) == 0)
		(void)imap_tagged(p);
}

/* Untagged lines before the reply are skipped. */
static int imap_auth_read(struct probe *p)
{
	int ret;

	for (;;) {
		if ((ret = probe_read_line(p, true)) != 0)
			return ret;
		if (p->in.line[0] != '*' || p->in.line[1] != ' ')
			return 0;
	}
}

/* IMAP may send untagged lines before the tagged reply. */
static void imap_cancel_rest(struct probe *p)
{
	if (strncmp(p->in.line, "* ", 2) == 0)
		(void)imap_tagged(p);
}

const struct probe_proto_ops probe_imap_ops = {
	.name = "IMAP",
	.port = "143",
	.tls_port = "993",
	.spn_service = "imap",
	.greeting = imap_greeting,
	.capabilities = imap_capabilities,
	.starttls = imap_starttls,
	.auth_start = imap_auth_start,
	.auth_read = imap_auth_read,
	.classify = imap_classify,
	.cancel_rest = imap_cancel_rest,
	.after_login = imap_after_login,
	.quit = imap_quit,
};
