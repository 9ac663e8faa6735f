/* dovecot-ntlm-probe: the dumper. Prints any NTLM message field by
   field (decode, and the server's CHALLENGE during a login); what the
   fields mean comes from the core's tables. */

#include "dovecot-ntlm-config.h"

#include "probe-dump.h"
#include "probe-codec.h"

#include "ntlm-avpair.h"
#include "ntlm-crypto.h"
#include "ntlm-reader.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

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

void probe_dump_hex_block(const uint8_t *data, size_t len)
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

	ret = ntlm_wire_name_to_utf8(value, unicode, text, sizeof(text), &len,
				     &error);
	printf("%s%s: ", indent, label);
	if (ret < 0) {
		printf("%zu bytes, not valid %s (%s): ", value->len,
		       unicode ? "UTF-16LE" : "OEM text", error);
		probe_print_hex(value->data, value->len);
		putchar('\n');
		return;
	}
	putchar('"');
	probe_fput_sanitized(stdout, text, len);
	printf("\"%s\n", unicode ? "" : " (OEM)");
}

static void dump_av_flags(uint32_t flags)
{
	const char *name;
	unsigned int bit;

	printf("0x%08x", flags);
	for (bit = 0; bit < 32; bit++) {
		name = ntlm_av_flag_name(flags & ((uint32_t)1 << bit));
		if (name != NULL)
			printf(" %s", name);
	}
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
		if (ntlm_av_id_is_name(id)) {
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
		probe_print_hex(value.data, value.len);
		putchar('\n');
	}
	if (ret < 0) {
		printf("%sAV pair list is malformed: %s\n", indent, error);
		return -1;
	}
	printf("%sMsvAvEOL\n", indent);
	return 0;
}

void probe_dump_challenge(const char *indent,
			   const struct ntlm_challenge *msg, bool show_skew)
{
	bool unicode = (msg->flags & NTLM_FL_UNICODE) != 0;
	char sub[32];

	snprintf(sub, sizeof(sub), "%s  ", indent);
	dump_flags(indent, msg->flags);
	printf("%sServerChallenge: ", indent);
	probe_print_hex(msg->server_challenge, 8);
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

void probe_dump_negotiate(const struct ntlm_negotiate *msg)
{
	dump_flags("  ", msg->flags);
	if ((msg->flags & NTLM_FL_OEM_DOMAIN_SUPPLIED) != 0)
		dump_name("  ", "DomainName", &msg->domain, false);
	if ((msg->flags & NTLM_FL_OEM_WORKSTATION_SUPPLIED) != 0)
		dump_name("  ", "Workstation", &msg->workstation, false);
	dump_version("  ", msg->have_version, &msg->version);
}

/* What "Response variant:" says of a response shape. */
static const char *response_variant_name(enum ntlm_variant shape)
{
	switch (shape) {
	case NTLM_VARIANT_NTLMV2:
		return "NTLMv2";
	case NTLM_VARIANT_NTLMV1_ESS:
		return "NTLMv1 with extended session security";
	case NTLM_VARIANT_NTLMV1:
		return "NTLMv1";
	case NTLM_VARIANT_LMV2:
	case NTLM_VARIANT_LM:
		return "LMv2 only (or LM)";
	case NTLM_VARIANT_ANONYMOUS:
		return "anonymous";
	case NTLM_VARIANT_NONE:
		break;
	}
	return "unknown";
}

int probe_dump_authenticate(const struct ntlm_authenticate *msg)
{
	bool unicode = (msg->flags & NTLM_FL_UNICODE) != 0;
	enum ntlm_variant shape = NTLM_VARIANT_NONE;
	struct ntlm_v2_response v2;
	const char *error, *variant;
	char when[64], unknown[96];
	int ret = 0;

	dump_flags("  ", msg->flags);
	printf("  LmChallengeResponse: %zu bytes", msg->lm_response.len);
	if (msg->lm_response.len > 0) {
		printf(": ");
		probe_print_hex(msg->lm_response.data, msg->lm_response.len);
	}
	printf("\n  NtChallengeResponse: %zu bytes", msg->nt_response.len);
	if (msg->nt_response.len == 24) {
		printf(": ");
		probe_print_hex(msg->nt_response.data, 24);
	}
	putchar('\n');
	if (ntlm_response_shape(msg, msg->flags, &shape, &error) < 0) {
		snprintf(unknown, sizeof(unknown), "unknown (%s)", error);
		variant = unknown;
		ret = -1;
	} else {
		variant = response_variant_name(shape);
	}
	if (shape == NTLM_VARIANT_NTLMV2) {
		if (ntlm_decode_v2_response(&msg->nt_response, &v2,
					    &error) < 0) {
			printf("    NTLMv2 response is malformed: %s\n", error);
			ret = -1;
		} else {
			printf("    NTProofStr: ");
			probe_print_hex(v2.nt_proof.data, v2.nt_proof.len);
			format_filetime(v2.timestamp, when, sizeof(when));
			printf("\n    Timestamp: %s\n    ClientChallenge: ",
			       when);
			probe_print_hex(v2.client_challenge, 8);
			printf("\n    AV pairs:\n");
			if (dump_av_list("      ", &v2.av_list, false) < 0)
				ret = -1;
		}
	}
	dump_name("  ", "DomainName", &msg->domain, unicode);
	dump_name("  ", "UserName", &msg->user, unicode);
	dump_name("  ", "Workstation", &msg->workstation, unicode);
	printf("  EncryptedRandomSessionKey: %zu bytes\n",
	       msg->encrypted_session_key.len);
	dump_version("  ", msg->have_version, &msg->version);
	if (msg->have_mic_field) {
		printf("  MIC field: ");
		probe_print_hex(msg->mic.data, msg->mic.len);
		putchar('\n');
	} else {
		printf("  MIC field: none (payload starts at %zu)\n",
		       msg->payload_start);
	}
	printf("  Response variant: %s\n", variant);
	return ret;
}

const char *probe_msg_type_name(int type)
{
	const char *name = ntlm_msg_type_name(type);

	return name != NULL ? name : "unknown message";
}
