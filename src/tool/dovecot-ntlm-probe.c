/* dovecot-ntlm-probe: the operator's side of dovecot-ntlm.

     dovecot-ntlm-probe [--pop3|--imap|--smtp] [--starttls|--tls]
                        HOST[:PORT] --user U [--domain D] ...
         log in with NTLM and report every step ([MS-OXPOP3] 3.1)
     dovecot-ntlm-probe decode BASE64|-
         pretty-print any NTLM message
     dovecot-ntlm-probe selftest
         check the crypto against [MS-NLMP] 4.2
     dovecot-ntlm-probe hash
         read a password, print its {NTLM} value

   Built only on the NTLM core (ntlm_client_*, ntlm_decode_*): there is no
   second NTLM implementation. The probe prints the server's CHALLENGE
   decoded but never a password, a hash or a response it sends; only
   their lengths. */

#include "dovecot-ntlm-config.h"

#include "ntlm-avpair.h"
#include "ntlm-client.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-reader.h"
#include "ntlm-selftest.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "probe-binding.h"

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

/* Longest server line accepted: a CHALLENGE of NTLM_MAX_MESSAGE_SIZE in
   base64 plus the protocol's prefix. */
#define PROBE_LINE_MAX (NTLM_MAX_MESSAGE_SIZE / 3 * 4 + 64)
#define PROBE_B64_MAX (NTLM_MAX_MESSAGE_SIZE / 3 * 4 + 8)
#define PROBE_PASSWORD_MAX 1024
#define PROBE_DEFAULT_TIMEOUT 10

#define PROBE_UNUSED __attribute__((unused))
#define ATTR_FORMAT_PROBE(a, b) __attribute__((format(printf, a, b)))

/* channel binding and target name over TLS (probe-binding.c) */
static struct probe_binding probe_cb;

static void usage(FILE *out)
{
	fprintf(out,
"usage: dovecot-ntlm-probe [--pop3|--imap|--smtp] [--starttls|--tls]\n"
"                          HOST[:PORT] --user USER [--domain DOMAIN]\n"
"                          [--workstation NAME] [--variant v2|lmv2|ess|v1]\n"
"                          [--no-mic] [--password-file FILE]\n"
"                          [--cafile FILE] [--insecure] [--source ADDR]\n"
"                          [--timeout SECS] [--no-channel-binding]\n"
"                          [--target-name SPN]\n"
"       dovecot-ntlm-probe decode BASE64|-\n"
"       dovecot-ntlm-probe selftest\n"
"       dovecot-ntlm-probe hash [--password-file FILE]\n"
"\n"
"The password is read from FILE, from the environment variable\n"
"NTLM_PASSWORD, or from a prompt; never from the command line.\n"
"Exit status of a login: 0 logged in, 1 credentials refused, 2 NTLM not\n"
"offered, 3 protocol error, 4 connection or TLS error, 64 usage.\n"
"See dovecot-ntlm-probe(1).\n");
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

/* Length of the well-formed UTF-8 sequence at text[0] (RFC 3629: no
   overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_sequence_len(const unsigned char *text, size_t len)
{
	size_t need, i;

	if (text[0] >= 0xc2 && text[0] <= 0xdf)
		need = 2;
	else if (text[0] >= 0xe0 && text[0] <= 0xef)
		need = 3;
	else if (text[0] >= 0xf0 && text[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((text[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((text[0] == 0xe0 && text[1] < 0xa0) ||
	    (text[0] == 0xed && text[1] > 0x9f) ||
	    (text[0] == 0xf0 && text[1] < 0x90) ||
	    (text[0] == 0xf4 && text[1] > 0x8f))
		return 0;
	return need;
}

/* Print text from the network so that a server cannot drive the
   operator's terminal: C0 controls and DEL are escaped as \xNN, the C1
   controls U+0080..U+009F (CSI among them) as \uNNNN, and bytes that are
   not well-formed UTF-8 (a raw 0x9b is CSI on an 8-bit terminal) as
   \xNN. */
static void print_sanitized(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			printf("\\x%02x", p[i]);
			i++;
		} else if (p[i] < 0x80) {
			putchar(p[i]);
			i++;
		} else if ((n = utf8_sequence_len(p + i, len - i)) == 0) {
			printf("\\x%02x", p[i]);
			i++;
		} else if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			printf("\\u%04x", p[i + 1]);
			i += 2;
		} else {
			fwrite(p + i, 1, n, stdout);
			i += n;
		}
	}
}

static void print_line(const char *prefix, const char *text)
{
	fputs(prefix, stdout);
	print_sanitized(text, strlen(text));
	putchar('\n');
}

static void print_hex(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", data[i]);
}


static const char b64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64_encode(const uint8_t *data, size_t len, char *out)
{
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < len; i += 3) {
		v = ((uint32_t)data[i] << 16) | ((uint32_t)data[i + 1] << 8) |
			data[i + 2];
		*out++ = b64_chars[(v >> 18) & 63];
		*out++ = b64_chars[(v >> 12) & 63];
		*out++ = b64_chars[(v >> 6) & 63];
		*out++ = b64_chars[v & 63];
	}
	if (i < len) {
		v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		*out++ = b64_chars[(v >> 18) & 63];
		*out++ = b64_chars[(v >> 12) & 63];
		*out++ = i + 1 < len ? b64_chars[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

static int base64_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(b64_chars, c);
	return p == NULL ? -1 : (int)(p - b64_chars);
}

/* Strict base64: whitespace is skipped; otherwise only the alphabet,
   with "=" padding at the very end and a length that is a multiple of
   four. */
static int base64_decode(const char *in, uint8_t *out, size_t out_size,
			 size_t *len_r, char *error, size_t error_size)
{
	uint32_t acc = 0;
	size_t i, n = 0, olen = 0, pad = 0;
	int v;

	for (i = 0; in[i] != '\0'; i++) {
		char c = in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			if (++pad > 2 || n % 4 < 2) {
				snprintf(error, error_size, "misplaced '=' "
					 "padding at offset %zu", i);
				return -1;
			}
			n++;
			continue;
		}
		v = base64_value(c);
		if (v < 0 || pad > 0) {
			if (v < 0) {
				snprintf(error, error_size,
					 "invalid base64 character 0x%02x "
					 "at offset %zu",
					 (unsigned char)c, i);
			} else {
				snprintf(error, error_size, "data after '=' "
					 "padding at offset %zu", i);
			}
			return -1;
		}
		acc = (acc << 6) | (uint32_t)v;
		n++;
		if (n % 4 == 0) {
			if (olen + 3 > out_size)
				goto too_long;
			out[olen++] = (uint8_t)(acc >> 16);
			out[olen++] = (uint8_t)(acc >> 8);
			out[olen++] = (uint8_t)acc;
			acc = 0;
		}
	}
	if (n % 4 != 0) {
		snprintf(error, error_size, "base64 is truncated (%zu "
			 "characters, not a multiple of 4)", n);
		return -1;
	}
	if (pad > 0) {
		/* the padded quantum: n%4 characters before the padding */
		size_t keep = pad == 1 ? 2 : 1;

		acc <<= 6 * pad;
		if (olen + keep > out_size)
			goto too_long;
		out[olen++] = (uint8_t)(acc >> 16);
		if (keep == 2)
			out[olen++] = (uint8_t)(acc >> 8);
	}
	*len_r = olen;
	return 0;
too_long:
	snprintf(error, error_size, "message longer than %zu bytes",
		 out_size);
	return -1;
}

static void format_filetime(uint64_t filetime, char *buf, size_t size)
{
	uint64_t secs = filetime / 10000000;
	unsigned int msecs = (unsigned int)(filetime % 10000000 / 10000);
	struct tm tm;
	time_t t;

	if (secs < NTLM_FILETIME_UNIX_OFFSET ||
	    secs - NTLM_FILETIME_UNIX_OFFSET > (uint64_t)0x7fffffff * 4) {
		snprintf(buf, size, "FILETIME %llu",
			 (unsigned long long)filetime);
		return;
	}
	t = (time_t)(secs - NTLM_FILETIME_UNIX_OFFSET);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		snprintf(buf, size, "FILETIME %llu",
			 (unsigned long long)filetime);
		return;
	}
	snprintf(buf + strlen(buf), size - strlen(buf), ".%03u UTC", msecs);
}

/* ------------------------------------------------------------------ */
/* Dumping NTLM messages (decode, and the CHALLENGE in a probe)        */

static void dump_hex_block(const uint8_t *data, size_t len)
{
	size_t i, j;

	for (i = 0; i < len; i += 16) {
		printf("  %08zx:", i);
		for (j = i; j < i + 16; j++) {
			if (j < len)
				printf(" %02x", data[j]);
			else
				printf("   ");
		}
		printf("  ");
		for (j = i; j < i + 16 && j < len; j++) {
			putchar(data[j] >= 0x20 && data[j] < 0x7f ?
				data[j] : '.');
		}
		putchar('\n');
	}
}

static void dump_flags(const char *indent, uint32_t flags)
{
	unsigned int bit;
	const char *name;

	printf("%sNegotiateFlags: 0x%08x\n", indent, flags);
	for (bit = 0; bit < 32; bit++) {
		uint32_t flag = (uint32_t)1 << bit;

		if ((flags & flag) == 0)
			continue;
		name = ntlm_flag_name(flag);
		if (name != NULL)
			printf("%s  %s\n", indent, name);
		else
			printf("%s  unknown bit 0x%08x\n", indent, flag);
	}
}

static void dump_version(const char *indent, bool have,
			 const struct ntlm_version *version)
{
	if (!have) {
		printf("%sVersion: none\n", indent);
		return;
	}
	printf("%sVersion: %u.%u build %u, NTLMSSP revision %u\n", indent,
	       version->major, version->minor, version->build,
	       version->revision);
}

/* A name as text: UTF-16LE or OEM (read as Latin-1). */
static void dump_name(const char *indent, const char *label,
		      const struct ntlm_slice *value, bool unicode)
{
	char text[NTLM_MAX_MESSAGE_SIZE * 2];
	const char *error;
	size_t len;
	int ret;

	if (unicode) {
		ret = ntlm_utf16le_to_utf8(value->data, value->len, text,
					   sizeof(text), &len, &error);
	} else {
		ret = ntlm_latin1_to_utf8(value->data, value->len, text,
					  sizeof(text), &len, &error);
	}
	printf("%s%s: ", indent, label);
	if (ret < 0) {
		printf("%zu bytes, not valid %s (%s): ", value->len,
		       unicode ? "UTF-16LE" : "OEM text", error);
		print_hex(value->data, value->len);
		putchar('\n');
		return;
	}
	putchar('"');
	print_sanitized(text, len);
	printf("\"%s\n", unicode ? "" : " (OEM)");
}

static void dump_av_flags(uint32_t flags)
{
	printf("0x%08x", flags);
	if ((flags & NTLM_AV_FLAG_CONSTRAINED) != 0)
		printf(" CONSTRAINED");
	if ((flags & NTLM_AV_FLAG_MIC_PRESENT) != 0)
		printf(" MIC_PRESENT");
	if ((flags & NTLM_AV_FLAG_UNTRUSTED_SPN) != 0)
		printf(" UNTRUSTED_SPN");
}

/* MsvAvTimestamp; with show_skew compared with this host's clock. */
static void dump_timestamp(uint64_t ts, bool show_skew)
{
	uint64_t now;
	char when[64];
	double skew;

	format_filetime(ts, when, sizeof(when));
	printf("%s", when);
	if (show_skew) {
		now = ntlm_filetime_now();
		skew = ts >= now ? (double)(ts - now) / 1e7 :
			-(double)(now - ts) / 1e7;
		printf(" (server clock %.1f s %s this host's)",
		       skew < 0 ? -skew : skew,
		       skew < 0 ? "behind" : "ahead of");
	}
	putchar('\n');
}

/* Every pair of an AV_PAIR list. With show_skew, the MsvAvTimestamp is
   compared with this host's clock. Returns -1 on a malformed list. */
static int dump_av_list(const char *indent, const struct ntlm_slice *list,
			bool show_skew)
{
	char label[32];
	struct ntlm_slice value;
	struct ntlm_reader vr;
	const char *error, *name;
	size_t pos = 0;
	uint64_t u64;
	uint32_t u32;
	uint16_t id;
	int ret;

	while ((ret = ntlm_av_next(list, &pos, &id, &value, &error)) > 0) {
		name = ntlm_av_id_name(id);
		if (name == NULL) {
			snprintf(label, sizeof(label), "unknown AV pair 0x%04x",
				 id);
			name = label;
		}
		switch (id) {
		case NTLM_AV_NB_COMPUTER_NAME:
		case NTLM_AV_NB_DOMAIN_NAME:
		case NTLM_AV_DNS_COMPUTER_NAME:
		case NTLM_AV_DNS_DOMAIN_NAME:
		case NTLM_AV_DNS_TREE_NAME:
		case NTLM_AV_TARGET_NAME:
			dump_name(indent, name, &value, true);
			continue;
		}
		printf("%s%s: ", indent, name);
		switch (id) {
		case NTLM_AV_FLAGS:
			/* values are read through the core's reader */
			ntlm_reader_init_slice(&vr, &value);
			if (value.len == 4 && ntlm_reader_u32(&vr, &u32)) {
				dump_av_flags(u32);
				putchar('\n');
				continue;
			}
			break;
		case NTLM_AV_TIMESTAMP:
			ntlm_reader_init_slice(&vr, &value);
			if (value.len == 8 && ntlm_reader_u64(&vr, &u64)) {
				dump_timestamp(u64, show_skew);
				continue;
			}
			break;
		}
		printf("%zu bytes: ", value.len);
		print_hex(value.data, value.len);
		putchar('\n');
	}
	if (ret < 0) {
		printf("%sAV pair list is malformed: %s\n", indent, error);
		return -1;
	}
	printf("%sMsvAvEOL\n", indent);
	return 0;
}

static void dump_challenge(const char *indent,
			   const struct ntlm_challenge *msg, bool show_skew)
{
	bool unicode = (msg->flags & NTLM_FL_UNICODE) != 0;
	char sub[32];

	snprintf(sub, sizeof(sub), "%s  ", indent);
	dump_flags(indent, msg->flags);
	printf("%sServerChallenge: ", indent);
	print_hex(msg->server_challenge, 8);
	putchar('\n');
	dump_name(indent, "TargetName", &msg->target_name, unicode);
	if (msg->target_info.len == 0) {
		printf("%sTargetInfo: none (NTLMv2 is impossible)\n", indent);
	} else {
		printf("%sTargetInfo: %zu bytes\n", indent,
		       msg->target_info.len);
		(void)dump_av_list(sub, &msg->target_info, show_skew);
	}
	dump_version(indent, msg->have_version, &msg->version);
}

static void dump_negotiate(const struct ntlm_negotiate *msg)
{
	dump_flags("  ", msg->flags);
	if ((msg->flags & NTLM_FL_OEM_DOMAIN_SUPPLIED) != 0)
		dump_name("  ", "DomainName", &msg->domain, false);
	if ((msg->flags & NTLM_FL_OEM_WORKSTATION_SUPPLIED) != 0)
		dump_name("  ", "Workstation", &msg->workstation, false);
	dump_version("  ", msg->have_version, &msg->version);
}

static int dump_authenticate(const struct ntlm_authenticate *msg)
{
	bool unicode = (msg->flags & NTLM_FL_UNICODE) != 0;
	struct ntlm_v2_response v2;
	const char *error, *variant;
	char when[64];
	int ret = 0;

	dump_flags("  ", msg->flags);
	printf("  LmChallengeResponse: %zu bytes", msg->lm_response.len);
	if (msg->lm_response.len > 0) {
		printf(": ");
		print_hex(msg->lm_response.data, msg->lm_response.len);
	}
	printf("\n  NtChallengeResponse: %zu bytes", msg->nt_response.len);
	if (msg->nt_response.len == 24) {
		printf(": ");
		print_hex(msg->nt_response.data, 24);
	}
	putchar('\n');
	if (msg->nt_response.len > 24) {
		variant = "NTLMv2";
		if (ntlm_decode_v2_response(&msg->nt_response, &v2,
					    &error) < 0) {
			printf("    NTLMv2 response is malformed: %s\n", error);
			ret = -1;
		} else {
			printf("    NTProofStr: ");
			print_hex(v2.nt_proof.data, v2.nt_proof.len);
			format_filetime(v2.timestamp, when, sizeof(when));
			printf("\n    Timestamp: %s\n    ClientChallenge: ",
			       when);
			print_hex(v2.client_challenge, 8);
			printf("\n    AV pairs:\n");
			if (dump_av_list("      ", &v2.av_list, false) < 0)
				ret = -1;
		}
	} else if (msg->nt_response.len == 24) {
		if ((msg->flags & NTLM_FL_EXTENDED_SESSIONSECURITY) != 0)
			variant = "NTLMv1 with extended session security";
		else
			variant = "NTLMv1";
	} else if (msg->nt_response.len == 0) {
		if (msg->lm_response.len == 24)
			variant = "LMv2 only (or LM)";
		else if (msg->lm_response.len <= 1 && msg->user.len == 0)
			variant = "anonymous";
		else
			variant = "unknown";
	} else {
		variant = "unknown (NT response of an impossible length)";
		ret = -1;
	}
	dump_name("  ", "DomainName", &msg->domain, unicode);
	dump_name("  ", "UserName", &msg->user, unicode);
	dump_name("  ", "Workstation", &msg->workstation, unicode);
	printf("  EncryptedRandomSessionKey: %zu bytes\n",
	       msg->encrypted_session_key.len);
	dump_version("  ", msg->have_version, &msg->version);
	if (msg->have_mic_field) {
		printf("  MIC field: ");
		print_hex(msg->mic.data, msg->mic.len);
		putchar('\n');
	} else {
		printf("  MIC field: none (payload starts at %zu)\n",
		       msg->payload_start);
	}
	printf("  Response variant: %s\n", variant);
	return ret;
}

static const char *msg_type_name(int type)
{
	switch (type) {
	case NTLM_MSG_NEGOTIATE:
		return "NEGOTIATE_MESSAGE";
	case NTLM_MSG_CHALLENGE:
		return "CHALLENGE_MESSAGE";
	case NTLM_MSG_AUTHENTICATE:
		return "AUTHENTICATE_MESSAGE";
	}
	return "unknown message";
}

/* ------------------------------------------------------------------ */
/* decode                                                               */

static int read_all(FILE *in, char *buf, size_t size, size_t *len_r)
{
	size_t len = 0, n;

	while ((n = fread(buf + len, 1, size - 1 - len, in)) > 0) {
		len += n;
		if (len == size - 1)
			return -1;
	}
	buf[len] = '\0';
	*len_r = len;
	return ferror(in) ? -1 : 0;
}

static int cmd_decode(int argc, char **argv)
{
	static char input[PROBE_B64_MAX * 2];
	uint8_t data[NTLM_MAX_MESSAGE_SIZE + 3];
	struct ntlm_negotiate neg;
	struct ntlm_challenge chal;
	struct ntlm_authenticate auth;
	const char *text, *error;
	char b64_error[128];
	size_t len;
	int type, ret;

	if (argc != 1) {
		usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (strcmp(argv[0], "-") == 0) {
		if (read_all(stdin, input, sizeof(input), &len) < 0) {
			fprintf(stderr, "dovecot-ntlm-probe: decode: cannot "
				"read standard input (or it is too long)\n");
			return PROBE_EXIT_DATAERR;
		}
		text = input;
	} else {
		text = argv[0];
	}
	/* Accept a line pasted from a protocol trace: "+ TlRM...",
	   "334 TlRM...", "NTLM TlRM..." (HTTP). */
	text += strspn(text, " \t\r\n");
	if (strncmp(text, "+ ", 2) == 0)
		text += 2;
	else if (strncmp(text, "334 ", 4) == 0)
		text += 4;
	else if (strncasecmp(text, "NTLM ", 5) == 0)
		text += 5;
	if (text[strspn(text, " \t\r\n")] == '\0') {
		fprintf(stderr, "dovecot-ntlm-probe: decode: no input\n");
		return PROBE_EXIT_DATAERR;
	}
	if (base64_decode(text, data, sizeof(data), &len, b64_error,
			  sizeof(b64_error)) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: decode: not base64: "
			"%s\n", b64_error);
		return PROBE_EXIT_DATAERR;
	}
	type = ntlm_msg_type(data, len, &error);
	if (type < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: decode: not an NTLM "
			"message (%zu bytes): %s\n", len, error);
		return PROBE_EXIT_DATAERR;
	}
	printf("%s (MessageType %d), %zu bytes\n", msg_type_name(type),
	       type, len);
	dump_hex_block(data, len);
	switch (type) {
	case NTLM_MSG_NEGOTIATE:
		ret = ntlm_decode_negotiate(data, len, &neg, &error);
		if (ret == 0)
			dump_negotiate(&neg);
		break;
	case NTLM_MSG_CHALLENGE:
		ret = ntlm_decode_challenge(data, len, &chal, &error);
		if (ret == 0)
			dump_challenge("  ", &chal, false);
		break;
	case NTLM_MSG_AUTHENTICATE:
		ret = ntlm_decode_authenticate(data, len, &auth, &error);
		if (ret == 0 && dump_authenticate(&auth) < 0) {
			fprintf(stderr, "dovecot-ntlm-probe: decode: the "
				"AUTHENTICATE's responses are malformed\n");
			return PROBE_EXIT_DATAERR;
		}
		break;
	default:
		ret = -1;
		error = "unknown MessageType";
		break;
	}
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: decode: malformed %s: "
			"%s\n", msg_type_name(type), error);
		return PROBE_EXIT_DATAERR;
	}
	return PROBE_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* selftest and hash                                                    */

static int cmd_selftest(void)
{
	const char *error;
	bool legacy;

	if (ntlm_selftest(&legacy, &error) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: %s\n", error);
		return PROBE_EXIT_SOFTWARE;
	}
	printf("NTLMv2 known answers ([MS-NLMP] 4.2.4): ok\n");
	if (legacy)
		printf("NTLMv1/ESS known answers ([MS-NLMP] 4.2.2-4.2.3): "
		       "ok\n");
	else
		printf("NTLMv1/ESS: skipped: %s\n", ntlm_crypto_legacy_error());
	printf("self-check passed\n");
	return PROBE_EXIT_OK;
}

/* Read one line into buf without its newline; echo off on a terminal. */
static int read_password(FILE *in, const char *prompt, char *buf,
			 size_t size)
{
	struct termios old, quiet;
	bool restore = false;
	size_t len;

	if (prompt != NULL && isatty(fileno(in))) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(fileno(in), &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
		}
	}
	if (fgets(buf, (int)size, in) == NULL)
		buf[0] = '\0';
	if (restore) {
		(void)tcsetattr(fileno(in), TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == size - 1)
		return -1;
	buf[len] = '\0';
	return 0;
}

/* The password from FILE, $NTLM_PASSWORD or a prompt; never argv. */
static int get_password(const char *file, const char *prompt, char *buf,
			size_t size)
{
	const char *env;
	FILE *in;
	int ret;

	if (file != NULL) {
		in = fopen(file, "r");
		if (in == NULL) {
			fprintf(stderr, "dovecot-ntlm-probe: %s: %s\n", file,
				strerror(errno));
			return -1;
		}
		ret = read_password(in, NULL, buf, size);
		fclose(in);
	} else if ((env = getenv("NTLM_PASSWORD")) != NULL) {
		ret = strlen(env) < size ? 0 : -1;
		if (ret == 0)
			memcpy(buf, env, strlen(env) + 1);
	} else {
		ret = read_password(stdin, prompt, buf, size);
	}
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: password too long\n");
		return -1;
	}
	return 0;
}

static int cmd_hash(int argc, char **argv)
{
	char password[PROBE_PASSWORD_MAX];
	const char *file = NULL;
	uint8_t hash[16];

	if (argc == 2 && strcmp(argv[0], "--password-file") == 0)
		file = argv[1];
	else if (argc != 0) {
		usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (get_password(file, "Password: ", password, sizeof(password)) < 0)
		return PROBE_EXIT_USAGE;
	if (ntlm_nt_hash(password, strlen(password), hash) < 0) {
		ntlm_wipe(password, sizeof(password));
		fprintf(stderr, "dovecot-ntlm-probe: cannot hash: %s\n",
			ntlm_crypto_legacy_error() != NULL ?
			ntlm_crypto_legacy_error() :
			"password is not valid UTF-8 or too long");
		return PROBE_EXIT_SOFTWARE;
	}
	ntlm_wipe(password, sizeof(password));
	printf("{NTLM}");
	print_hex(hash, sizeof(hash));
	printf("\n");
	ntlm_wipe(hash, sizeof(hash));
	return PROBE_EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The connection: a socket, optionally under TLS                      */

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
};

struct probe {
	const struct probe_settings *set;
	int fd;
	SSL_CTX *ssl_ctx;
	SSL *ssl;
	char buf[PROBE_LINE_MAX];
	size_t pos, len;
	char line[PROBE_LINE_MAX];
	unsigned int tag;
	char tagstr[16];
	/* what the capability listings said */
	bool listed_ntlm;
	bool capa_known;
	bool starttls_offered;
	struct ntlm_client client;
	bool client_started;
	/* printed last, after the session is closed */
	char verdict[1024];
};

/* Outcome of reading the server's answer to an AUTH step. */
enum auth_reply {
	AUTH_REPLY_CONTINUE,	/* "+ data" / "334 data" */
	AUTH_REPLY_OK,
	AUTH_REPLY_NO,
	AUTH_REPLY_BAD,
};

static void ATTR_FORMAT_PROBE(2, 3)
set_verdict(struct probe *p, const char *fmt, ...)
{
	size_t used = strlen(p->verdict);
	va_list args;

	va_start(args, fmt);
	vsnprintf(p->verdict + used, sizeof(p->verdict) - used, fmt, args);
	va_end(args);
}

static int fail_connect(struct probe *p, const char *what, const char *why)
{
	printf("error: %s: %s\n", what, why);
	set_verdict(p, "verdict: connection or TLS error (exit %d)\n",
		    PROBE_EXIT_CONNECT);
	return PROBE_EXIT_CONNECT;
}

static int fail_protocol(struct probe *p, const char *why)
{
	printf("error: %s\n", why);
	set_verdict(p, "verdict: protocol error (exit %d)\n",
		    PROBE_EXIT_PROTOCOL);
	return PROBE_EXIT_PROTOCOL;
}

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

/* Returns 0, or an exit code after reporting. */
static int conn_connect(struct probe *p)
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
		return fail_connect(p, what, gai_strerror(ret));
	if (set->source != NULL) {
		hints.ai_flags = AI_NUMERICHOST;
		ret = getaddrinfo(set->source, NULL, &hints, &src);
		if (ret != 0) {
			freeaddrinfo(res);
			return fail_connect(p, "--source", gai_strerror(ret));
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
		return fail_connect(p, what, last_errno == EINPROGRESS ||
				    last_errno == EAGAIN ? "timed out" :
				    last_errno == 0 ? "no usable address" :
				    strerror(last_errno));
	}
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr),
			NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(addr, sizeof(addr), "?");
	printf("connected to %s port %s (%s)\n", set->host, set->port, addr);
	freeaddrinfo(res);
	if (src != NULL)
		freeaddrinfo(src);
	p->fd = fd;
	return 0;
}

static void print_x509_name(const char *label, X509_NAME *name)
{
	char buf[512];

	if (name == NULL ||
	    X509_NAME_oneline(name, buf, sizeof(buf)) == NULL)
		snprintf(buf, sizeof(buf), "?");
	printf("  %s: ", label);
	print_sanitized(buf, strlen(buf));
	putchar('\n');
}

static int tls_start(struct probe *p)
{
	const struct probe_settings *set = p->set;
	struct in6_addr addr6;
	struct in_addr addr4;
	X509 *cert;
	long verify;
	bool is_ip;

	p->ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (p->ssl_ctx == NULL)
		return fail_connect(p, "TLS", tls_error_string());
	(void)SSL_CTX_set_min_proto_version(p->ssl_ctx, TLS1_2_VERSION);
	if (set->cafile != NULL) {
		if (SSL_CTX_load_verify_locations(p->ssl_ctx, set->cafile,
						  NULL) != 1)
			return fail_connect(p, set->cafile, tls_error_string());
	} else if (SSL_CTX_set_default_verify_paths(p->ssl_ctx) != 1) {
		return fail_connect(p, "TLS trust store", tls_error_string());
	}
	SSL_CTX_set_verify(p->ssl_ctx, set->insecure ? SSL_VERIFY_NONE :
			   SSL_VERIFY_PEER, NULL);
	p->ssl = SSL_new(p->ssl_ctx);
	if (p->ssl == NULL)
		return fail_connect(p, "TLS", tls_error_string());
	is_ip = inet_pton(AF_INET, set->host, &addr4) == 1 ||
		inet_pton(AF_INET6, set->host, &addr6) == 1;
	if (is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(p->ssl),
						  set->host) != 1)
			return fail_connect(p, "TLS", tls_error_string());
	} else {
		if (SSL_set1_host(p->ssl, set->host) != 1 ||
		    SSL_set_tlsext_host_name(p->ssl, set->host) != 1)
			return fail_connect(p, "TLS", tls_error_string());
	}
	if (SSL_set_fd(p->ssl, p->fd) != 1)
		return fail_connect(p, "TLS", tls_error_string());
	if (SSL_connect(p->ssl) != 1) {
		verify = SSL_get_verify_result(p->ssl);
		if (verify != X509_V_OK && !set->insecure) {
			char why[512];

			snprintf(why, sizeof(why), "certificate not "
				 "verified: %s (--cafile FILE names the CA; "
				 "--insecure skips the check)",
				 X509_verify_cert_error_string(verify));
			return fail_connect(p, "TLS handshake", why);
		}
		return fail_connect(p, "TLS handshake", errno == EAGAIN ?
				    "timed out" : tls_error_string());
	}
	printf("TLS: %s, %s\n", SSL_get_version(p->ssl),
	       SSL_get_cipher_name(p->ssl));
	cert = SSL_get1_peer_certificate(p->ssl);
	if (cert != NULL) {
		print_x509_name("subject", X509_get_subject_name(cert));
		print_x509_name("issuer", X509_get_issuer_name(cert));
		X509_free(cert);
	}
	verify = SSL_get_verify_result(p->ssl);
	if (set->insecure) {
		printf("  certificate NOT checked (--insecure): %s\n",
		       X509_verify_cert_error_string(verify));
	} else {
		printf("  certificate verified for %s%s%s\n", set->host,
		       set->cafile != NULL ? " against " : "",
		       set->cafile != NULL ? set->cafile : "");
	}
	probe_binding_tls(&probe_cb, p->ssl, set->proto == PROBE_IMAP ?
			  "imap" : set->proto == PROBE_SMTP ? "smtp" : "pop",
			  set->host);
	return 0;
}

static void conn_close(struct probe *p)
{
	if (p->ssl != NULL) {
		(void)SSL_shutdown(p->ssl);
		SSL_free(p->ssl);
		p->ssl = NULL;
	}
	if (p->ssl_ctx != NULL) {
		SSL_CTX_free(p->ssl_ctx);
		p->ssl_ctx = NULL;
	}
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
}

/* Read one line (CRLF or LF stripped) into p->line. Returns 0, or -1
   with *error_r set. */
static int conn_read_line(struct probe *p, const char **error_r)
{
	static char error[300];
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(p->buf + p->pos, '\n', p->len - p->pos);
		if (nl != NULL) {
			size_t len = (size_t)(nl - (p->buf + p->pos));

			memcpy(p->line, p->buf + p->pos, len);
			if (len > 0 && p->line[len - 1] == '\r')
				len--;
			p->line[len] = '\0';
			if (strlen(p->line) != len) {
				*error_r = "server sent a NUL byte";
				return -1;
			}
			p->pos += (size_t)(nl - (p->buf + p->pos)) + 1;
			return 0;
		}
		if (p->pos > 0) {
			memmove(p->buf, p->buf + p->pos, p->len - p->pos);
			p->len -= p->pos;
			p->pos = 0;
		}
		if (p->len == sizeof(p->buf)) {
			*error_r = "server sent an overlong line";
			return -1;
		}
		if (p->ssl != NULL) {
			int ret = SSL_read(p->ssl, p->buf + p->len,
					   (int)(sizeof(p->buf) - p->len));

			if (ret <= 0) {
				int err = SSL_get_error(p->ssl, ret);

				if (err == SSL_ERROR_ZERO_RETURN ||
				    (err == SSL_ERROR_SYSCALL && errno == 0))
					*error_r = "server closed the "
						"connection";
				else if (err == SSL_ERROR_SYSCALL &&
					 (errno == EAGAIN ||
					  errno == EWOULDBLOCK))
					*error_r = "timed out waiting for "
						"the server";
				else {
					snprintf(error, sizeof(error),
						 "TLS read failed: %s",
						 tls_error_string());
					*error_r = error;
				}
				return -1;
			}
			n = ret;
		} else {
			n = read(p->fd, p->buf + p->len,
				 sizeof(p->buf) - p->len);
			if (n == 0) {
				*error_r = "server closed the connection";
				return -1;
			}
			if (n < 0) {
				if (errno == EINTR)
					continue;
				*error_r = errno == EAGAIN ||
					errno == EWOULDBLOCK ?
					"timed out waiting for the server" :
					strerror(errno);
				return -1;
			}
		}
		p->len += (size_t)n;
	}
}

static int conn_write(struct probe *p, const char *data, size_t len,
		      const char **error_r)
{
	ssize_t n;

	while (len > 0) {
		if (p->ssl != NULL) {
			int ret = SSL_write(p->ssl, data, (int)len);

			if (ret <= 0) {
				*error_r = "TLS write failed";
				return -1;
			}
			n = ret;
		} else {
			n = write(p->fd, data, len);
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

/* Send a line; shown as "C: shown" (or the line itself when shown is
   NULL). Returns 0 or an exit code. */
static int send_line(struct probe *p, const char *line, const char *shown)
{
	const char *error;

	print_line("C: ", shown != NULL ? shown : line);
	if (conn_write(p, line, strlen(line), &error) < 0 ||
	    conn_write(p, "\r\n", 2, &error) < 0)
		return fail_connect(p, "send", error);
	return 0;
}

/* Read and show a server line. With hide_blob, a "+ base64" line is
   shown by its length only. Returns 0 or an exit code. */
static int read_line(struct probe *p, bool hide_blob)
{
	const char *error;
	char shown[96];

	if (conn_read_line(p, &error) < 0)
		return fail_connect(p, "receive", error);
	/* A continuation line carrying a message ("+ TlRM...", "334
	   TlRM..."): shown by its length, the CHALLENGE is decoded. */
	if (hide_blob && (strncmp(p->line, "+ ", 2) == 0 ||
			  strncmp(p->line, "334 ", 4) == 0)) {
		const char *blob = strchr(p->line, ' ') + 1;
		size_t len = strlen(blob);

		if (len >= 16 && strspn(blob, b64_chars) + 2 >= len) {
			snprintf(shown, sizeof(shown),
				 "%.*s <%zu characters of base64>",
				 (int)(blob - p->line - 1), p->line, len);
			print_line("S: ", shown);
			return 0;
		}
	}
	print_line("S: ", p->line);
	return 0;
}

/* Whether the space-separated list in text has word (case-insensitive). */
static bool has_word(const char *text, const char *word)
{
	size_t wlen = strlen(word), n;

	while (*text != '\0') {
		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (n == wlen && strncasecmp(text, word, n) == 0)
			return true;
		text += n;
	}
	return false;
}

static const char *next_tag(struct probe *p)
{
	snprintf(p->tagstr, sizeof(p->tagstr), "p%u", ++p->tag);
	return p->tagstr;
}

/* ------------------------------------------------------------------ */
/* POP3 ([MS-OXPOP3] 3.1, RFC 1734, RFC 2449)                          */

static int pop3_greeting(struct probe *p)
{
	int ret;

	if ((ret = read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->line, "+OK", 3) != 0)
		return fail_protocol(p, "the greeting is not +OK");
	return 0;
}

/* A multi-line reply after +OK, up to ".". line_cb sees each line. */
static int pop3_multiline(struct probe *p, const char *cmd,
			  bool *supported_r, void (*line_cb)(struct probe *))
{
	int ret;

	if ((ret = send_line(p, cmd, NULL)) != 0 ||
	    (ret = read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->line, "+OK", 3) != 0) {
		*supported_r = false;
		return 0;
	}
	*supported_r = true;
	for (;;) {
		if ((ret = read_line(p, false)) != 0)
			return ret;
		if (strcmp(p->line, ".") == 0)
			return 0;
		line_cb(p);
	}
}

static void pop3_capa_line(struct probe *p)
{
	if (strncasecmp(p->line, "SASL ", 5) == 0 &&
	    has_word(p->line + 5, "NTLM"))
		p->listed_ntlm = true;
	if (strcasecmp(p->line, "STLS") == 0)
		p->starttls_offered = true;
}

static void pop3_auth_line(struct probe *p)
{
	if (strcasecmp(p->line, "NTLM") == 0)
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
	if (p->set->tls == PROBE_TLS_STARTTLS && p->ssl == NULL)
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

	if ((ret = send_line(p, "STLS", NULL)) != 0 ||
	    (ret = read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->line, "+OK", 3) != 0)
		return fail_connect(p, "STLS", "refused by the server");
	return 0;
}

static int pop3_auth_start(struct probe *p)
{
	return send_line(p, "AUTH NTLM", NULL);
}

static enum auth_reply pop3_classify(struct probe *p, const char **data_r)
{
	*data_r = "";
	if (strncmp(p->line, "+OK", 3) == 0)
		return AUTH_REPLY_OK;
	if (strncmp(p->line, "-ERR", 4) == 0)
		return AUTH_REPLY_NO;
	if (p->line[0] == '+' && (p->line[1] == ' ' || p->line[1] == '\0')) {
		*data_r = p->line[1] == '\0' ? "" : p->line + 2;
		return AUTH_REPLY_CONTINUE;
	}
	return AUTH_REPLY_BAD;
}

static void pop3_after_login(struct probe *p)
{
	if (send_line(p, "STAT", NULL) == 0)
		(void)read_line(p, false);
}

static void pop3_quit(struct probe *p)
{
	if (send_line(p, "QUIT", NULL) == 0)
		(void)read_line(p, false);
}

/* ------------------------------------------------------------------ */
/* IMAP (RFC 3501 AUTHENTICATE)                                         */

static int imap_greeting(struct probe *p)
{
	int ret;

	if ((ret = read_line(p, false)) != 0)
		return ret;
	if (strncmp(p->line, "* PREAUTH", 9) == 0)
		return fail_protocol(p, "the server pre-authenticated the "
				     "connection: nothing to test");
	if (strncmp(p->line, "* OK", 4) != 0)
		return fail_protocol(p, "the greeting is not * OK");
	return 0;
}

/* Read until the tagged reply of the current tag. Untagged lines are
   shown (and CAPABILITY lines looked at). Returns 0 with p->line the
   tagged line, or an exit code. */
static int imap_tagged(struct probe *p)
{
	size_t tlen = strlen(p->tagstr);
	const char *caps;
	int ret;

	for (;;) {
		if ((ret = read_line(p, true)) != 0)
			return ret;
		if (strncmp(p->line, p->tagstr, tlen) == 0 &&
		    p->line[tlen] == ' ')
			return 0;
		if (strncasecmp(p->line, "* CAPABILITY ", 13) == 0) {
			caps = p->line + 13;
			p->capa_known = true;
			if (has_word(caps, "AUTH=NTLM"))
				p->listed_ntlm = true;
			if (has_word(caps, "STARTTLS"))
				p->starttls_offered = true;
		} else if (p->line[0] != '*') {
			return 0;
		}
	}
}

static bool imap_tagged_ok(struct probe *p)
{
	size_t tlen = strlen(p->tagstr);

	return strncmp(p->line, p->tagstr, tlen) == 0 &&
		strncasecmp(p->line + tlen, " OK", 3) == 0;
}

static int imap_capabilities(struct probe *p)
{
	char cmd[32];
	int ret;

	p->listed_ntlm = false;
	p->starttls_offered = false;
	snprintf(cmd, sizeof(cmd), "%s CAPABILITY", next_tag(p));
	if ((ret = send_line(p, cmd, NULL)) != 0 ||
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
	if ((ret = send_line(p, cmd, NULL)) != 0 ||
	    (ret = imap_tagged(p)) != 0)
		return ret;
	if (!imap_tagged_ok(p))
		return fail_connect(p, "STARTTLS", "refused by the server");
	return 0;
}

static int imap_auth_start(struct probe *p)
{
	char cmd[48];

	snprintf(cmd, sizeof(cmd), "%s AUTHENTICATE NTLM", next_tag(p));
	return send_line(p, cmd, NULL);
}

static enum auth_reply imap_classify(struct probe *p, const char **data_r)
{
	size_t tlen = strlen(p->tagstr);

	*data_r = "";
	if (p->line[0] == '+' && (p->line[1] == ' ' || p->line[1] == '\0')) {
		*data_r = p->line[1] == '\0' ? "" : p->line + 2;
		return AUTH_REPLY_CONTINUE;
	}
	if (strncmp(p->line, p->tagstr, tlen) != 0)
		return AUTH_REPLY_BAD;
	if (strncasecmp(p->line + tlen, " OK", 3) == 0)
		return AUTH_REPLY_OK;
	if (strncasecmp(p->line + tlen, " NO", 3) == 0)
		return AUTH_REPLY_NO;
	return AUTH_REPLY_BAD;
}

static void imap_after_login(struct probe *p PROBE_UNUSED)
{
}

static void imap_quit(struct probe *p)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "%s LOGOUT", next_tag(p));
	if (send_line(p, cmd, NULL) == 0)
		(void)imap_tagged(p);
}

/* ------------------------------------------------------------------ */
/* SMTP (RFC 4954 AUTH, RFC 3207 STARTTLS)                              */

/* Read a possibly multi-line reply; returns 0 with *code_r, or an exit
   code. EHLO keywords are looked at. */
static int smtp_reply(struct probe *p, bool hide_blob, int *code_r)
{
	const char *text;
	int ret;

	for (;;) {
		if ((ret = read_line(p, hide_blob)) != 0)
			return ret;
		if (strlen(p->line) < 3 || p->line[0] < '1' ||
		    p->line[0] > '5' ||
		    strspn(p->line, "0123456789") < 3 ||
		    (p->line[3] != '\0' && p->line[3] != ' ' &&
		     p->line[3] != '-'))
			return fail_protocol(p, "malformed SMTP reply");
		text = p->line[3] == '\0' ? "" : p->line + 4;
		if (strncasecmp(text, "AUTH ", 5) == 0 ||
		    strncasecmp(text, "AUTH=", 5) == 0) {
			p->capa_known = true;
			if (has_word(text + 5, "NTLM"))
				p->listed_ntlm = true;
		} else if (strcasecmp(text, "STARTTLS") == 0) {
			p->starttls_offered = true;
		}
		if (p->line[3] != '-') {
			*code_r = (p->line[0] - '0') * 100 +
				(p->line[1] - '0') * 10 + (p->line[2] - '0');
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
		return fail_protocol(p, "the greeting is not 220");
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
	if ((ret = send_line(p, cmd, NULL)) != 0 ||
	    (ret = smtp_reply(p, false, &code)) != 0)
		return ret;
	if (code != 250)
		return fail_protocol(p, "EHLO was refused");
	printf("  EHLO: %s\n", !p->capa_known ? "no AUTH offered" :
	       p->listed_ntlm ? "AUTH lists NTLM" :
	       "AUTH does not list NTLM");
	return 0;
}

static int smtp_starttls(struct probe *p)
{
	int ret, code;

	if ((ret = send_line(p, "STARTTLS", NULL)) != 0 ||
	    (ret = smtp_reply(p, false, &code)) != 0)
		return ret;
	if (code != 220)
		return fail_connect(p, "STARTTLS", "refused by the server");
	return 0;
}

static int smtp_auth_start(struct probe *p)
{
	return send_line(p, "AUTH NTLM", NULL);
}

static enum auth_reply smtp_classify(struct probe *p, const char **data_r)
{
	*data_r = "";
	if (strncmp(p->line, "334", 3) == 0) {
		*data_r = p->line[3] == ' ' ? p->line + 4 : "";
		return AUTH_REPLY_CONTINUE;
	}
	if (strncmp(p->line, "235", 3) == 0)
		return AUTH_REPLY_OK;
	if (p->line[0] == '5' || p->line[0] == '4')
		return AUTH_REPLY_NO;
	return AUTH_REPLY_BAD;
}

static void smtp_after_login(struct probe *p PROBE_UNUSED)
{
}

static void smtp_quit(struct probe *p)
{
	int code;

	if (send_line(p, "QUIT", NULL) == 0)
		(void)smtp_reply(p, false, &code);
}

/* ------------------------------------------------------------------ */
/* The exchange                                                         */

struct probe_proto_ops {
	const char *name;
	const char *port, *tls_port;
	int (*greeting)(struct probe *p);
	int (*capabilities)(struct probe *p);
	int (*starttls)(struct probe *p);
	int (*auth_start)(struct probe *p);
	enum auth_reply (*classify)(struct probe *p, const char **data_r);
	void (*after_login)(struct probe *p);
	void (*quit)(struct probe *p);
};

static const struct probe_proto_ops proto_ops[] = {
	[PROBE_POP3] = { "POP3", "110", "995", pop3_greeting,
			 pop3_capabilities, pop3_starttls, pop3_auth_start,
			 pop3_classify, pop3_after_login, pop3_quit },
	[PROBE_IMAP] = { "IMAP", "143", "993", imap_greeting,
			 imap_capabilities, imap_starttls, imap_auth_start,
			 imap_classify, imap_after_login, imap_quit },
	[PROBE_SMTP] = { "SMTP", "587", "465", smtp_greeting,
			 smtp_capabilities, smtp_starttls, smtp_auth_start,
			 smtp_classify, smtp_after_login, smtp_quit },
};

static const char *variant_option(enum ntlm_client_variant variant)
{
	switch (variant) {
	case NTLM_CLIENT_V2:
		return "v2";
	case NTLM_CLIENT_LMV2:
		return "lmv2";
	case NTLM_CLIENT_ESS:
		return "ess";
	case NTLM_CLIENT_V1:
		return "v1";
	case NTLM_CLIENT_ANONYMOUS:
		break;
	}
	return "anonymous";
}

/* The setting a default server needs to accept the variant. */
static const char *variant_setting(enum ntlm_client_variant variant)
{
	switch (variant) {
	case NTLM_CLIENT_LMV2:
		return "ntlm_allow_lmv2 = yes (the default)";
	case NTLM_CLIENT_ESS:
		return "ntlm_allow_ntlmv1_ess = yes";
	case NTLM_CLIENT_V1:
		return "ntlm_allow_ntlmv1 = yes";
	case NTLM_CLIENT_V2:
	case NTLM_CLIENT_ANONYMOUS:
		break;
	}
	return NULL;
}

static void cancel_auth(struct probe *p)
{
	if (send_line(p, "*", NULL) != 0 || read_line(p, true) != 0)
		return;
	/* IMAP may send untagged lines before the tagged reply */
	if (p->set->proto == PROBE_IMAP && strncmp(p->line, "* ", 2) == 0)
		(void)imap_tagged(p);
}

/* Read one reply to an AUTH step (skipping IMAP's untagged lines).
   Returns 0 with *reply_r, or an exit code. */
static int auth_read(struct probe *p, enum auth_reply *reply_r,
		     const char **data_r)
{
	const struct probe_proto_ops *ops = &proto_ops[p->set->proto];
	int ret, code;

	for (;;) {
		if (p->set->proto == PROBE_SMTP)
			ret = smtp_reply(p, true, &code);
		else
			ret = read_line(p, true);
		if (ret != 0)
			return ret;
		if (p->set->proto == PROBE_IMAP && p->line[0] == '*' &&
		    p->line[1] == ' ')
			continue;
		*reply_r = ops->classify(p, data_r);
		return 0;
	}
}

static int send_blob(struct probe *p, const char *what, const uint8_t *data,
		     size_t len, const char *detail)
{
	char b64[PROBE_B64_MAX], shown[512];

	base64_encode(data, len, b64);
	snprintf(shown, sizeof(shown), "<%s: %zu bytes as %zu characters "
		 "of base64%s%s>", what, len, strlen(b64),
		 detail[0] != '\0' ? "; " : "", detail);
	return send_line(p, b64, shown);
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
	const struct probe_proto_ops *ops = &proto_ops[set->proto];
	struct ntlm_client_params params;
	struct ntlm_challenge chal;
	enum auth_reply reply;
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
	if (reply != AUTH_REPLY_CONTINUE) {
		set_verdict(p, "verdict: NTLM not offered: the server "
			    "refused AUTH NTLM%s (exit %d)\n",
			    p->listed_ntlm ? " although it lists NTLM" : "",
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
	probe_binding_apply(&probe_cb, &params);
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
	if (reply != AUTH_REPLY_CONTINUE) {
		ret = fail_protocol(p, "the server did not answer the "
				    "NEGOTIATE with a CHALLENGE");
		if (reply == AUTH_REPLY_NO)
			set_verdict(p, "  It refused the NEGOTIATE.\n%s",
				    probe_binding_hint(&probe_cb, true));
		return ret;
	}
	if (base64_decode(payload, challenge, sizeof(challenge), &len,
			  b64_error, sizeof(b64_error)) < 0) {
		printf("error: the CHALLENGE is not base64: %s\n", b64_error);
		cancel_auth(p);
		return fail_protocol(p, "malformed CHALLENGE");
	}
	printf("CHALLENGE, %zu bytes:\n", len);
	if (ntlm_decode_challenge(challenge, len, &chal, &error) < 0) {
		printf("error: malformed CHALLENGE: %s\n", error);
		cancel_auth(p);
		return fail_protocol(p, "malformed CHALLENGE");
	}
	dump_challenge("  ", &chal, true);

	if (ntlm_client_input(&p->client, challenge, len, &error) < 0) {
		printf("error: cannot answer this CHALLENGE with --variant "
		       "%s: %s\n", variant_option(set->variant), error);
		cancel_auth(p);
		return fail_protocol(p, "cannot answer the CHALLENGE");
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
	case AUTH_REPLY_OK:
		set_verdict(p, "verdict: logged in as %s%s%s with %s "
			    "(exit %d)\n",
			    set->domain != NULL ? set->domain : "",
			    set->domain != NULL ? "\\" : "", set->user,
			    ntlm_variant_name(sent), PROBE_EXIT_OK);
		ops->after_login(p);
		return PROBE_EXIT_OK;
	case AUTH_REPLY_NO:
		set_verdict(p, "verdict: credentials refused (exit %d)\n"
			    "  The server does not say why; its log does "
			    "(auth_verbose = yes).\n", PROBE_EXIT_REFUSED);
		setting = variant_setting(set->variant);
		if (setting != NULL) {
			set_verdict(p, "  Either the password is wrong or "
				    "the server's policy refuses %s:\n"
				    "  a default dovecot-ntlm server needs "
				    "%s.\n", ntlm_variant_name(sent),
				    setting);
		} else if (!set->send_mic) {
			set_verdict(p, "  Wrong user or password, or the "
				    "server requires a MIC "
				    "(ntlm_require_mic = yes).\n");
		} else {
			set_verdict(p, "  Wrong user, domain or "
				    "password.\n");
		}
		set_verdict(p, "%s", probe_binding_hint(&probe_cb, false));
		return PROBE_EXIT_REFUSED;
	case AUTH_REPLY_CONTINUE:
		cancel_auth(p);
		return fail_protocol(p, "the server wants more after the "
				     "AUTHENTICATE");
	case AUTH_REPLY_BAD:
		break;
	}
	return fail_protocol(p, "unexpected reply to the AUTHENTICATE");
}

static int run_probe(const struct probe_settings *set)
{
	const struct probe_proto_ops *ops = &proto_ops[set->proto];
	char password[PROBE_PASSWORD_MAX], prompt[600];
	uint8_t nt_hash[16];
	struct probe *p;
	int ret;

	snprintf(prompt, sizeof(prompt), "Password for %s%s%s: ",
		 set->domain != NULL ? set->domain : "",
		 set->domain != NULL ? "\\" : "", set->user);
	if (get_password(set->password_file, prompt, password,
			 sizeof(password)) < 0)
		return PROBE_EXIT_USAGE;
	ret = ntlm_nt_hash(password, strlen(password), nt_hash);
	ntlm_wipe(password, sizeof(password));
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: cannot hash the "
			"password: %s\n", ntlm_crypto_legacy_error() != NULL ?
			ntlm_crypto_legacy_error() :
			"not valid UTF-8 or too long");
		return PROBE_EXIT_SOFTWARE;
	}

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		ntlm_wipe(nt_hash, sizeof(nt_hash));
		return PROBE_EXIT_SOFTWARE;
	}
	p->set = set;
	p->fd = -1;
	printf("dovecot-ntlm-probe %s: %s%s on %s port %s, user \"%s\", "
	       "domain \"%s\", --variant %s%s\n", PACKAGE_VERSION, ops->name,
	       set->tls == PROBE_TLS_IMPLICIT ? " over TLS" :
	       set->tls == PROBE_TLS_STARTTLS ? " with STARTTLS" : "",
	       set->host, set->port, set->user,
	       set->domain != NULL ? set->domain : "",
	       variant_option(set->variant), set->send_mic ? "" :
	       " (no MIC)");
	if ((ret = conn_connect(p)) != 0)
		goto out;
	if (set->tls == PROBE_TLS_IMPLICIT && (ret = tls_start(p)) != 0)
		goto out;
	if ((ret = ops->greeting(p)) != 0 ||
	    (ret = ops->capabilities(p)) != 0)
		goto out;
	if (set->tls == PROBE_TLS_STARTTLS) {
		if (!p->starttls_offered) {
			ret = fail_connect(p, "STARTTLS", "not offered by the "
					   "server");
			goto out;
		}
		if ((ret = ops->starttls(p)) != 0)
			goto out;
		if (p->pos != p->len) {
			/* Plaintext queued after the STARTTLS reply would
			   be taken for TLS-protected input. */
			ret = fail_protocol(p, "the server sent data after its "
					    "STARTTLS reply");
			goto out;
		}
		if ((ret = tls_start(p)) != 0 ||
		    (ret = ops->capabilities(p)) != 0)
			goto out;
	}
	if (p->ssl == NULL) {
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
	conn_close(p);
	free(p);
	return ret;
}

/* HOST, HOST:PORT, [V6]:PORT or a bare IPv6 address. */
static int parse_target(struct probe_settings *set, const char *arg)
{
	const char *colon, *host = arg, *port = NULL;
	size_t hlen;

	if (arg[0] == '[') {
		colon = strchr(arg, ']');
		if (colon == NULL || (colon[1] != '\0' && colon[1] != ':'))
			return -1;
		host = arg + 1;
		hlen = (size_t)(colon - host);
		if (colon[1] == ':')
			port = colon + 2;
	} else if ((colon = strchr(arg, ':')) != NULL &&
		   strchr(colon + 1, ':') == NULL) {
		hlen = (size_t)(colon - arg);
		port = colon + 1;
	} else {
		hlen = strlen(arg);
	}
	if (hlen == 0 || hlen >= sizeof(set->host) ||
	    (port != NULL && (port[0] == '\0' ||
			      strlen(port) >= sizeof(set->port))))
		return -1;
	memcpy(set->host, host, hlen);
	set->host[hlen] = '\0';
	if (port != NULL)
		snprintf(set->port, sizeof(set->port), "%s", port);
	return 0;
}

static int parse_variant(const char *arg, enum ntlm_client_variant *v_r)
{
	if (strcmp(arg, "v2") == 0)
		*v_r = NTLM_CLIENT_V2;
	else if (strcmp(arg, "lmv2") == 0)
		*v_r = NTLM_CLIENT_LMV2;
	else if (strcmp(arg, "ess") == 0)
		*v_r = NTLM_CLIENT_ESS;
	else if (strcmp(arg, "v1") == 0)
		*v_r = NTLM_CLIENT_V1;
	else
		return -1;
	return 0;
}

static int cmd_probe(int argc, char **argv)
{
	struct probe_settings set;
	const char *target = NULL, *arg, *value;
	char *end;
	unsigned long n;
	int i, taken;

	memset(&set, 0, sizeof(set));
	set.proto = PROBE_POP3;
	set.variant = NTLM_CLIENT_V2;
	set.send_mic = true;
	set.timeout = PROBE_DEFAULT_TIMEOUT;
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--pop3") == 0)
			set.proto = PROBE_POP3;
		else if (strcmp(arg, "--imap") == 0)
			set.proto = PROBE_IMAP;
		else if (strcmp(arg, "--smtp") == 0)
			set.proto = PROBE_SMTP;
		else if (strcmp(arg, "--starttls") == 0)
			set.tls = PROBE_TLS_STARTTLS;
		else if (strcmp(arg, "--tls") == 0)
			set.tls = PROBE_TLS_IMPLICIT;
		else if (strcmp(arg, "--insecure") == 0)
			set.insecure = true;
		else if (strcmp(arg, "--no-mic") == 0)
			set.send_mic = false;
		else if ((taken = probe_binding_option(&probe_cb, argc, argv,
						       i)) != 0) {
			if (taken < 0) {
				fprintf(stderr, "dovecot-ntlm-probe: %s needs "
					"a value\n", arg);
				return PROBE_EXIT_USAGE;
			}
			i += taken - 1;
		}
		else if (strcmp(arg, "--password") == 0) {
			fprintf(stderr, "dovecot-ntlm-probe: no password on "
				"the command line (other users can read it): "
				"use --password-file, NTLM_PASSWORD or the "
				"prompt\n");
			return PROBE_EXIT_USAGE;
		} else if (arg[0] == '-' && arg[1] == '-') {
			if (i + 1 == argc) {
				fprintf(stderr, "dovecot-ntlm-probe: %s needs "
					"a value\n", arg);
				return PROBE_EXIT_USAGE;
			}
			value = argv[++i];
			if (strcmp(arg, "--user") == 0)
				set.user = value;
			else if (strcmp(arg, "--domain") == 0)
				set.domain = value;
			else if (strcmp(arg, "--workstation") == 0)
				set.workstation = value;
			else if (strcmp(arg, "--password-file") == 0)
				set.password_file = value;
			else if (strcmp(arg, "--cafile") == 0)
				set.cafile = value;
			else if (strcmp(arg, "--source") == 0)
				set.source = value;
			else if (strcmp(arg, "--variant") == 0) {
				if (parse_variant(value, &set.variant) < 0) {
					fprintf(stderr, "dovecot-ntlm-probe: "
						"--variant is v2, lmv2, ess "
						"or v1\n");
					return PROBE_EXIT_USAGE;
				}
			} else if (strcmp(arg, "--timeout") == 0) {
				n = strtoul(value, &end, 10);
				if (*end != '\0' || n == 0 || n > 3600) {
					fprintf(stderr, "dovecot-ntlm-probe: "
						"bad --timeout\n");
					return PROBE_EXIT_USAGE;
				}
				set.timeout = (unsigned int)n;
			} else {
				fprintf(stderr, "dovecot-ntlm-probe: unknown "
					"option %s\n", arg);
				usage(stderr);
				return PROBE_EXIT_USAGE;
			}
		} else if (target == NULL && arg[0] != '-') {
			target = arg;
		} else {
			usage(stderr);
			return PROBE_EXIT_USAGE;
		}
	}
	if (target == NULL || set.user == NULL || set.user[0] == '\0') {
		fprintf(stderr, "dovecot-ntlm-probe: HOST[:PORT] and --user "
			"are required\n");
		usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (set.domain != NULL && set.domain[0] == '\0')
		set.domain = NULL;
	snprintf(set.port, sizeof(set.port), "%s",
		 set.tls == PROBE_TLS_IMPLICIT ? proto_ops[set.proto].tls_port :
		 proto_ops[set.proto].port);
	if (parse_target(&set, target) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: bad HOST[:PORT]: %s\n",
			target);
		return PROBE_EXIT_USAGE;
	}
	if ((set.cafile != NULL || set.insecure) &&
	    set.tls == PROBE_TLS_NONE) {
		fprintf(stderr, "dovecot-ntlm-probe: --cafile and --insecure "
			"need --starttls or --tls\n");
		return PROBE_EXIT_USAGE;
	}
	return run_probe(&set);
}

int main(int argc, char **argv)
{
	const char *error;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return PROBE_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("dovecot-ntlm-probe %s\n", PACKAGE_VERSION);
		return PROBE_EXIT_OK;
	}
	/* Every line at once, in order, even into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	(void)signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "decode") == 0)
		return cmd_decode(argc - 2, argv + 2);
	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: %s\n", error);
		return PROBE_EXIT_SOFTWARE;
	}
	if (strcmp(argv[1], "selftest") == 0 && argc == 2)
		ret = cmd_selftest();
	else if (strcmp(argv[1], "hash") == 0)
		ret = cmd_hash(argc - 2, argv + 2);
	else
		ret = cmd_probe(argc - 1, argv + 1);
	ntlm_crypto_deinit();
	return ret;
}
