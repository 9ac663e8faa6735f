/* dovecot-ntlm-probe: the subcommands that need no server: decode,
   selftest and hash. */

#include "dovecot-ntlm-config.h"

#include "probe.h"
#include "probe-codec.h"
#include "probe-dump.h"

#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-selftest.h"
#include "ntlm-verify.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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

int probe_cmd_decode(int argc, char **argv)
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
		probe_usage(stderr);
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
	if (probe_base64_decode(text, data, sizeof(data), &len, b64_error,
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
	printf("%s (MessageType %d), %zu bytes\n", probe_msg_type_name(type),
	       type, len);
	probe_dump_hex_block(data, len);
	switch (type) {
	case NTLM_MSG_NEGOTIATE:
		ret = ntlm_decode_negotiate(data, len, &neg, &error);
		if (ret == 0)
			probe_dump_negotiate(&neg);
		break;
	case NTLM_MSG_CHALLENGE:
		ret = ntlm_decode_challenge(data, len, &chal, &error);
		if (ret == 0)
			probe_dump_challenge("  ", &chal, false);
		break;
	case NTLM_MSG_AUTHENTICATE:
		ret = ntlm_decode_authenticate(data, len, &auth, &error);
		if (ret == 0 && probe_dump_authenticate(&auth) < 0) {
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
			"%s\n", probe_msg_type_name(type), error);
		return PROBE_EXIT_DATAERR;
	}
	return PROBE_EXIT_OK;
}

int probe_cmd_selftest(void)
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

int probe_cmd_hash(int argc, char **argv)
{
	const char *file = NULL;
	uint8_t hash[16];
	int ret;

	if (argc == 2 && strcmp(argv[0], "--password-file") == 0)
		file = argv[1];
	else if (argc != 0) {
		probe_usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if ((ret = probe_password_hash(file, "Password: ", hash)) != 0)
		return ret;
	printf("{NTLM}");
	probe_print_hex(hash, sizeof(hash));
	printf("\n");
	ntlm_wipe(hash, sizeof(hash));
	return PROBE_EXIT_OK;
}
