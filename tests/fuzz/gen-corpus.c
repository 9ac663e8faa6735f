/* Generator of the seed corpus in tests/fuzz/corpus/<target>/.

   The valid messages come from the core itself: its client
   (ntlm-client.h) talking to its server with the fixed challenge, clock
   and configuration of fuzz-common.h, so the exchange seeds verify in
   fuzz-exchange. Added to them: the [MS-OXPOP3] 4.1 messages, the
   [MS-NLMP] 4.2 CHALLENGE messages, and malformed variants of all of
   them (truncations, offsets that wrap, AV lists without MsvAvEOL, ...).

   It is not built by default. To rerun it, in a build directory:

     make fuzz-corpus

   The output is deterministic (fixed client challenges and times), so a
   rerun rewrites the same files; new files appear only when this
   program or the core's encoders change. Files whose names start with
   "crash-" are reproducers kept by hand and never touched here. The
   number of files written per target is printed at the end. */

#include "fuzz-common.h"
#include "ntlm-msg.h"
#include "ntlm-avpair.h"
#include "ntlm-client.h"
#include "ntlm-writer.h"
#include "ntlm-delegate.h"

#include <errno.h>
#include <sys/stat.h>

#define MAX_SEEN 512

static const char *out_dir;

/* Contents already written, per target, to skip duplicates. */
static struct {
	const char *target;
	uint64_t hash;
	size_t len;
} seen[MAX_SEEN];
static unsigned int seen_count;

static const char *const targets[] = {
	"negotiate", "challenge", "authenticate", "avpair",
	"unicode", "delegate", "exchange",
};
static unsigned int written[N_ELEMENTS(targets)];

static void die(const char *what, const char *error)
{
	fprintf(stderr, "gen-corpus: %s: %s\n", what, error);
	exit(1);
}

static uint64_t fnv1a(const uint8_t *data, size_t len)
{
	uint64_t hash = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		hash ^= data[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

/* Write one seed file, unless the same bytes were already written for
   this target. */
static void put(const char *target, const char *name,
		const uint8_t *data, size_t len)
{
	char path[1024];
	uint64_t hash = fnv1a(data, len);
	unsigned int i;
	FILE *f;

	for (i = 0; i < seen_count; i++) {
		if (strcmp(seen[i].target, target) == 0 &&
		    seen[i].hash == hash && seen[i].len == len)
			return;
	}
	if (seen_count == MAX_SEEN)
		die(name, "too many seeds");
	seen[seen_count].target = target;
	seen[seen_count].hash = hash;
	seen[seen_count].len = len;
	seen_count++;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	f = fopen(path, "wb");
	if (f == NULL)
		die(path, strerror(errno));
	if ((len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		die(path, "write failed");
	for (i = 0; i < N_ELEMENTS(targets); i++) {
		if (strcmp(targets[i], target) == 0)
			written[i]++;
	}
}

static void put_str(const char *target, const char *name, const char *str)
{
	put(target, name, (const uint8_t *)str, strlen(str));
}

static size_t hex(const char *str, uint8_t *buf, size_t size)
{
	size_t len = 0;
	unsigned int value;

	for (; *str != '\0'; str++) {
		if (*str == ' ' || *str == '\n')
			continue;
		if (len == size || sscanf(str, "%2x", &value) != 1)
			die(str, "bad hex");
		buf[len++] = (uint8_t)value;
		str++;
	}
	return len;
}

static int b64_value(char c)
{
	const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(alphabet, c);

	return c == '\0' || p == NULL ? -1 : (int)(p - alphabet);
}

static size_t b64(const char *str, uint8_t *buf, size_t size)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t len = 0;
	int value;

	for (; *str != '\0' && *str != '='; str++) {
		value = b64_value(*str);
		if (value < 0)
			die(str, "bad base64");
		acc = (acc << 6) | (uint32_t)value;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (len == size)
				die(str, "base64 too long");
			buf[len++] = (uint8_t)(acc >> bits);
		}
	}
	return len;
}

static void le16(uint8_t *p, uint16_t value)
{
	p[0] = value & 0xff;
	p[1] = value >> 8;
}

static void le32(uint8_t *p, uint32_t value)
{
	le16(p, value & 0xffff);
	le16(p + 2, value >> 16);
}

/* Truncations of a message at the given lengths (when shorter). */
static void
put_truncations(const char *target, const char *prefix,
		const uint8_t *data, size_t len,
		const size_t *cuts, unsigned int count)
{
	char name[128];
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (cuts[i] >= len)
			continue;
		snprintf(name, sizeof(name), "%s-trunc%zu", prefix, cuts[i]);
		put(target, name, data, cuts[i]);
	}
	snprintf(name, sizeof(name), "%s-trunc-last", prefix);
	put(target, name, data, len - 1);
}

/* A copy of a message with the field descriptor at desc_pos changed. */
static void
put_field(const char *target, const char *name, const uint8_t *data,
	  size_t len, size_t desc_pos, uint16_t field_len, uint32_t offset)
{
	uint8_t buf[NTLM_MAX_MESSAGE_SIZE];

	memcpy(buf, data, len);
	le16(buf + desc_pos, field_len);
	le16(buf + desc_pos + 2, field_len);
	le32(buf + desc_pos + 4, offset);
	put(target, name, buf, len);
}

/* --------------------------------------------------------------------
   Exchanges between the core's client and server
   -------------------------------------------------------------------- */

/* The core's client (the [MS-NLMP] 4.2.1 client of tests/lib) of
   variant, timestamps at the fuzz clock. */
static void
client_params(struct ntlm_client_params *params,
	      enum ntlm_client_variant variant)
{
	ntlm_test_client_params(params, variant);
	params->timestamp = FUZZ_FILETIME;
}

/* Run the client against a server with config (the fixed challenge and
   clock of fuzz-exchange); records the messages in *ex. */
static void
run_exchange(const struct ntlm_client_params *params,
	     const struct ntlm_server_config *config,
	     struct ntlm_test_exchange *ex)
{
	const char *error;

	memset(ex, 0, sizeof(*ex));
	if (ntlm_test_exchange_start(ex, params, config,
				     ntlm_test_server_challenge,
				     FUZZ_FILETIME, &error) < 0)
		die("the exchange", error);
	ntlm_test_exchange_deinit(ex);
}

/* An exchange seed: control byte, then the tokens. */
static void
put_exchange(const char *name, uint8_t ctrl,
	     const uint8_t *tok1, size_t len1,
	     const uint8_t *tok2, size_t len2,
	     const uint8_t *tok3, size_t len3)
{
	uint8_t buf[3 * (NTLM_MAX_MESSAGE_SIZE + 2) + 1];
	const uint8_t *toks[3] = { tok1, tok2, tok3 };
	size_t lens[3] = { len1, len2, len3 };
	size_t pos = 0;
	unsigned int i;

	buf[pos++] = ctrl;
	for (i = 0; i < 3; i++) {
		if (toks[i] == NULL)
			continue;
		le16(buf + pos, (uint16_t)lens[i]);
		memcpy(buf + pos + 2, toks[i], lens[i]);
		pos += 2 + lens[i];
	}
	put("exchange", name, buf, pos);
}

static void
put_exchange2(const char *name, uint8_t ctrl, const struct ntlm_test_exchange *ex,
	      const uint8_t *auth, size_t auth_len)
{
	put_exchange(name, ctrl, ex->negotiate, ex->negotiate_len,
		     auth, auth_len, NULL, 0);
}

/* Re-encode a decoded AUTHENTICATE after changing it (no MIC: any
   change breaks it anyway). */
static size_t
reencode_auth(const struct ntlm_authenticate *msg, bool with_mic,
	      uint8_t *buf, size_t size)
{
	static const struct ntlm_version version = {
		.major = 6, .minor = 1, .build = 7601, .revision = 15,
	};
	const char *error;
	size_t len;

	if (ntlm_encode_authenticate(msg, &version, with_mic, buf, size,
				     &len, NULL, &error) < 0)
		die("ntlm_encode_authenticate", error);
	return len;
}

static void decode_auth(const struct ntlm_test_exchange *ex,
			struct ntlm_authenticate *msg)
{
	const char *error;

	if (ntlm_decode_authenticate(ex->authenticate, ex->authenticate_len,
				     msg, &error) < 0)
		die("ntlm_decode_authenticate", error);
}

struct variant_case {
	const char *name;
	enum ntlm_client_variant variant;
	bool unicode, send_mic, send_version, lm_hash;
	const char *user, *domain;
};

static const struct variant_case variant_cases[] = {
	{ "v2-mic", NTLM_CLIENT_V2, true, true, true, false, NULL, NULL },
	{ "v2-nomic", NTLM_CLIENT_V2, true, false, true, false, NULL, NULL },
	{ "v2-nover", NTLM_CLIENT_V2, true, false, false, false, NULL, NULL },
	{ "v2-mic-nover", NTLM_CLIENT_V2, true, true, false, false,
	  NULL, NULL },
	{ "v2-oem", NTLM_CLIENT_V2, false, false, true, false, NULL, NULL },
	{ "v2-oem-mic", NTLM_CLIENT_V2, false, true, false, false,
	  NULL, NULL },
	{ "v2-nodomain", NTLM_CLIENT_V2, true, true, true, false,
	  NULL, "" },
	{ "v2-backslash", NTLM_CLIENT_V2, true, false, true, false,
	  "DOMAIN\\User", "" },
	{ "v2-upn", NTLM_CLIENT_V2, true, false, true, false,
	  "user@domain.example", "" },
	{ "v2-delegate", NTLM_CLIENT_V2, true, false, true, false,
	  "DOMAIN/delegate/principal@domain.example", "" },
	{ "v2-nonascii", NTLM_CLIENT_V2, true, true, true, false,
	  "J\xc3\xbcrgen-\xce\xb1\xce\xb2\xd0\xb6-\xf0\x9f\x98\x80",
	  "D\xc3\xb6main" },
	{ "v2-oem-latin1", NTLM_CLIENT_V2, false, false, true, false,
	  "J\xc3\xbcrgen", "D\xc3\xb6main" },
	{ "lmv2", NTLM_CLIENT_LMV2, true, false, true, false, NULL, NULL },
	{ "lmv2-oem", NTLM_CLIENT_LMV2, false, false, false, false,
	  NULL, NULL },
	{ "ess", NTLM_CLIENT_ESS, true, false, true, false, NULL, NULL },
	{ "ess-oem", NTLM_CLIENT_ESS, false, false, false, false,
	  NULL, NULL },
	{ "v1", NTLM_CLIENT_V1, true, false, true, false, NULL, NULL },
	{ "v1-lm", NTLM_CLIENT_V1, true, false, true, true, NULL, NULL },
	{ "v1-oem-lm", NTLM_CLIENT_V1, false, false, false, true,
	  NULL, NULL },
	{ "anonymous", NTLM_CLIENT_ANONYMOUS, true, false, true, false,
	  "", "" },
	{ "anonymous-oem", NTLM_CLIENT_ANONYMOUS, false, false, false, false,
	  "", "" },
};

static void
variant_params(const struct variant_case *vc,
	       struct ntlm_client_params *params)
{
	client_params(params, vc->variant);
	params->unicode = vc->unicode;
	params->send_mic = vc->send_mic;
	params->send_version = vc->send_version;
	params->have_lm_hash = vc->lm_hash;
	if (vc->user != NULL)
		params->user = vc->user;
	if (vc->domain != NULL)
		params->domain = vc->domain;
}

/* The core's own messages, every variant, against the permissive server
   (the CHALLENGE is the same from all fuzzed servers). */
static void gen_exchanges(void)
{
	uint8_t random_session_key[16];
	const struct ntlm_server_config *config =
		fuzz_server_config_permissive();
	struct ntlm_client_params params;
	struct ntlm_authenticate msg;
	struct ntlm_v2_response v2;
	struct ntlm_test_exchange ex;
	uint8_t buf[NTLM_MAX_MESSAGE_SIZE];
	char name[128];
	const char *error;
	unsigned int i;
	size_t len;

	for (i = 0; i < N_ELEMENTS(variant_cases); i++) {
		const struct variant_case *vc = &variant_cases[i];

		variant_params(vc, &params);
		run_exchange(&params, config, &ex);

		snprintf(name, sizeof(name), "client-%s", vc->name);
		put("negotiate", name, ex.negotiate, ex.negotiate_len);
		put("challenge", name, ex.challenge, ex.challenge_len);
		put("authenticate", name, ex.authenticate,
		    ex.authenticate_len);
		put_exchange2(name, 0, &ex, ex.authenticate,
			      ex.authenticate_len);

		decode_auth(&ex, &msg);
		if (msg.nt_response.len > 24 &&
		    ntlm_decode_v2_response(&msg.nt_response, &v2,
					    &error) == 0) {
			snprintf(name, sizeof(name), "blob-%s", vc->name);
			put("avpair", name, v2.av_list.data,
			    v2.av_list.len);
		}
	}

	/* The same AUTHENTICATE, with the user unknown. */
	client_params(&params, NTLM_CLIENT_V2);
	run_exchange(&params, config, &ex);
	put_exchange2("v2-user-unknown", FUZZ_CTRL_UNKNOWN_FIRST, &ex,
		      ex.authenticate, ex.authenticate_len);
	/* Extra tokens after the end, a repeated NEGOTIATE, AUTHENTICATE
	   first, an empty token, a CHALLENGE sent to the server. */
	put_exchange("v2-extra-token", 0, ex.negotiate, ex.negotiate_len,
		     ex.authenticate, ex.authenticate_len,
		     ex.negotiate, ex.negotiate_len);
	put_exchange("negotiate-twice", 0, ex.negotiate, ex.negotiate_len,
		     ex.negotiate, ex.negotiate_len, NULL, 0);
	put_exchange("authenticate-first", 0, ex.authenticate,
		     ex.authenticate_len, NULL, 0, NULL, 0);
	put_exchange("empty-token", 0, ex.negotiate, ex.negotiate_len,
		     buf, 0, NULL, 0);
	put_exchange("challenge-to-server", 0, ex.negotiate,
		     ex.negotiate_len, ex.challenge, ex.challenge_len,
		     NULL, 0);
	put_exchange("negotiate-only", 0, ex.negotiate, ex.negotiate_len,
		     NULL, 0, NULL, 0);

	/* MIC tampered with; NTProofStr tampered with. */
	memcpy(buf, ex.authenticate, ex.authenticate_len);
	buf[NTLM_AUTH_MIC_OFFSET] ^= 0x01;
	put_exchange2("v2-bad-mic", 0, &ex, buf, ex.authenticate_len);
	decode_auth(&ex, &msg);
	memcpy(buf, ex.authenticate, ex.authenticate_len);
	buf[msg.nt_response.data - ex.authenticate] ^= 0x01;
	put_exchange2("v2-bad-proof", 0, &ex, buf, ex.authenticate_len);
	/* MIC announced, header without room for it. */
	len = reencode_auth(&msg, false, buf, sizeof(buf));
	put_exchange2("v2-mic-no-field", 0, &ex, buf, len);
	put("authenticate", "v2-mic-no-field", buf, len);

	/* Sign, seal and key exchange asked for and granted; the MIC keyed
	   with the exchanged key. Then the same with the
	   EncryptedRandomSessionKey changed (MIC mismatch), and with flags
	   that contradict the negotiation (refused before the hash). */
	client_params(&params, NTLM_CLIENT_V2);
	params.request_flags = NTLM_FL_SIGN | NTLM_FL_SEAL;
	params.key_exchange = true;
	/* fixed, so the corpus is the same on every run ([MS-NLMP] 4.2.1
	   RandomSessionKey) */
	memset(random_session_key, 0x55, sizeof(random_session_key));
	params.random_session_key = random_session_key;
	run_exchange(&params, config, &ex);
	put("negotiate", "sign-seal-key-exch", ex.negotiate,
	    ex.negotiate_len);
	put("challenge", "sign-seal-key-exch", ex.challenge,
	    ex.challenge_len);
	put("authenticate", "v2-key-exch-mic", ex.authenticate,
	    ex.authenticate_len);
	put_exchange2("v2-key-exch-mic", 0, &ex, ex.authenticate,
		      ex.authenticate_len);
	decode_auth(&ex, &msg);
	memcpy(buf, ex.authenticate, ex.authenticate_len);
	buf[msg.encrypted_session_key.data - ex.authenticate] ^= 0x01;
	put_exchange2("v2-key-exch-bad-key", 0, &ex, buf,
		      ex.authenticate_len);
	memcpy(buf, ex.authenticate, ex.authenticate_len);
	memset(buf + 60, 0xff, 4);
	put_exchange2("v2-flags-all-ones", 0, &ex, buf, ex.authenticate_len);
	memcpy(buf, ex.authenticate, ex.authenticate_len);
	memset(buf + 60, 0, 4);
	put_exchange2("v2-key-exch-flags-zero", 0, &ex, buf,
		      ex.authenticate_len);
	msg.encrypted_session_key.len = 15;
	len = reencode_auth(&msg, true, buf, sizeof(buf));
	put_exchange2("v2-key-exch-15-byte-key", 0, &ex, buf, len);

	/* Wrong password. */
	client_params(&params, NTLM_CLIENT_V2);
	memset(params.nt_hash, 0x11, 16);
	run_exchange(&params, config, &ex);
	put_exchange2("v2-wrong-password", 0, &ex, ex.authenticate,
		      ex.authenticate_len);
	client_params(&params, NTLM_CLIENT_LMV2);
	memset(params.nt_hash, 0x11, 16);
	run_exchange(&params, config, &ex);
	/* LMv2 fails, then the LM retry: answered, or user unknown. */
	put_exchange2("lmv2-wrong-password", 0, &ex, ex.authenticate,
		      ex.authenticate_len);
	put_exchange2("lmv2-wrong-unknown-retry", FUZZ_CTRL_UNKNOWN_RETRY,
		      &ex, ex.authenticate, ex.authenticate_len);
	client_params(&params, NTLM_CLIENT_ESS);
	memset(params.nt_hash, 0x11, 16);
	run_exchange(&params, config, &ex);
	put_exchange2("ess-wrong-password", 0, &ex, ex.authenticate,
		      ex.authenticate_len);

	/* A blob timestamp two hours off the server's clock (the client
	   is forced to use it): refused by the strict clock check. */
	client_params(&params, NTLM_CLIENT_V2);
	params.send_mic = false;
	params.force_timestamp = true;
	params.timestamp = FUZZ_FILETIME + 7200ULL * 10000000ULL;
	run_exchange(&params, config, &ex);
	put_exchange2("v2-clock-skew", 0, &ex, ex.authenticate,
		      ex.authenticate_len);

	/* LM alone: the NTLMv1 client with an LM hash, NT response
	   removed. Permissive: LMv2 fails, the LM retry succeeds. */
	client_params(&params, NTLM_CLIENT_V1);
	params.have_lm_hash = true;
	params.send_mic = false;
	run_exchange(&params, config, &ex);
	decode_auth(&ex, &msg);
	msg.nt_response.len = 0;
	len = reencode_auth(&msg, false, buf, sizeof(buf));
	put_exchange2("lm-only", 0, &ex, buf, len);
	put("authenticate", "lm-only", buf, len);

	/* NTLMv2 hashed over an empty or upper-cased domain, sent with
	   "Domain": the server's retries with other domain forms. */
	client_params(&params, NTLM_CLIENT_V2);
	params.send_mic = false;
	params.domain = "";
	run_exchange(&params, config, &ex);
	decode_auth(&ex, &msg);
	msg.domain.data = (const uint8_t *)"D\0o\0m\0a\0i\0n\0";
	msg.domain.len = 12;
	len = reencode_auth(&msg, false, buf, sizeof(buf));
	put_exchange2("v2-domain-empty-form", 0, &ex, buf, len);
	client_params(&params, NTLM_CLIENT_V2);
	params.send_mic = false;
	params.domain = "DOMAIN";
	run_exchange(&params, config, &ex);
	decode_auth(&ex, &msg);
	msg.domain.data = (const uint8_t *)"D\0o\0m\0a\0i\0n\0";
	msg.domain.len = 12;
	len = reencode_auth(&msg, false, buf, sizeof(buf));
	put_exchange2("v2-domain-upper-form", 0, &ex, buf, len);

	/* AUTHENTICATE with flags 0 (the CHALLENGE's apply). */
	client_params(&params, NTLM_CLIENT_V2);
	params.send_mic = false;
	run_exchange(&params, config, &ex);
	decode_auth(&ex, &msg);
	msg.flags = 0;
	len = reencode_auth(&msg, false, buf, sizeof(buf));
	put_exchange2("v2-flags-zero", 0, &ex, buf, len);
	put("authenticate", "v2-flags-zero", buf, len);
}

/* --------------------------------------------------------------------
   Spec messages
   -------------------------------------------------------------------- */

/* [MS-OXPOP3] 4.1 (Outlook against Exchange) and the [MS-NLMP] 4.2.2.3
   and 4.2.4.3 CHALLENGE messages, from tests/lib/vectors.h. */
static const char oxpop3_negotiate[] = OXPOP3_NEGOTIATE_B64;
static const char oxpop3_challenge[] = OXPOP3_CHALLENGE_B64;
static const char oxpop3_authenticate[] = OXPOP3_AUTHENTICATE_B64;
static const char nlmp_challenge_v1[] = NLMP_CHALLENGE_V1;
static const char nlmp_challenge_v2[] = NLMP_CHALLENGE_V2;

static void gen_negotiate(void)
{
	static const size_t cuts[] = { 0, 7, 8, 11, 12, 15, 16, 24, 31 };
	uint8_t msg[NTLM_MAX_MESSAGE_SIZE + 16], buf[64];
	struct ntlm_slice domain, workstation;
	struct ntlm_version version = { 10, 0, 19041, 15 };
	const char *error;
	size_t len;

	len = b64(oxpop3_negotiate, msg, sizeof(msg));
	put("negotiate", "oxpop3-4.1", msg, len);
	put_exchange("oxpop3-4.1", 0, msg, len, NULL, 0, NULL, 0);

	/* Chromium/Windows style 32-byte NEGOTIATE, flags 0x00088207. */
	if (ntlm_encode_negotiate(0x00088207, NULL, NULL, NULL, msg,
				  sizeof(msg), &len, &error) < 0)
		die("ntlm_encode_negotiate", error);
	put("negotiate", "flags-00088207", msg, len);
	/* curl: OEM only, no Unicode. */
	if (ntlm_encode_negotiate(0xa208b206, NULL, NULL, NULL, msg,
				  sizeof(msg), &len, &error) < 0)
		die("ntlm_encode_negotiate", error);
	put("negotiate", "curl-oem", msg, len);
	/* fetchmail/libntlm, flags 0xb207. */
	if (ntlm_encode_negotiate(0x0000b207, NULL, NULL, NULL, msg,
				  sizeof(msg), &len, &error) < 0)
		die("ntlm_encode_negotiate", error);
	put("negotiate", "libntlm-b207", msg, len);
	/* Neither Unicode nor OEM. */
	if (ntlm_encode_negotiate(0x00000204, NULL, NULL, NULL, msg,
				  sizeof(msg), &len, &error) < 0)
		die("ntlm_encode_negotiate", error);
	put("negotiate", "no-charset", msg, len);
	put_exchange("no-charset", 0, msg, len, NULL, 0, NULL, 0);

	/* With OEM domain and workstation supplied, and a VERSION. */
	domain.data = (const uint8_t *)"DOMAIN";
	domain.len = 6;
	workstation.data = (const uint8_t *)"COMPUTER";
	workstation.len = 8;
	if (ntlm_encode_negotiate(0xe20882b7 | NTLM_FL_OEM_DOMAIN_SUPPLIED |
				  NTLM_FL_OEM_WORKSTATION_SUPPLIED,
				  &domain, &workstation, &version, msg,
				  sizeof(msg), &len, &error) < 0)
		die("ntlm_encode_negotiate", error);
	put("negotiate", "supplied-version", msg, len);
	put_truncations("negotiate", "supplied-version", msg, len,
			cuts, N_ELEMENTS(cuts));
	/* Domain offset that wraps, past the end, inside the header. */
	put_field("negotiate", "domain-offset-wrap", msg, len, 16, 6,
		  0xfffffffc);
	put_field("negotiate", "domain-len-past-end", msg, len, 16, 200, 40);
	put_field("negotiate", "domain-in-header", msg, len, 16, 6, 8);
	put_field("negotiate", "workstation-offset-wrap", msg, len, 24, 8,
		  0xffffffff);
	put_field("negotiate", "workstation-maxlen", msg, len, 24, 0xffff,
		  46);
	/* Strings present but the flags say not supplied. */
	memcpy(buf, msg, len);
	le32(buf + 12, 0xe20882b7);
	put("negotiate", "strings-without-flags", buf, len);

	/* Bad signature, wrong type. */
	memcpy(buf, msg, len);
	buf[7] = 'X';
	put("negotiate", "bad-signature", buf, len);
	memcpy(buf, msg, len);
	buf[8] = 2;
	put("negotiate", "type-2", buf, len);
	buf[8] = 3;
	put("negotiate", "type-3", buf, len);

	/* Over the NEGOTIATE limit (server), and over the message limit. */
	memset(msg + len, 'A', sizeof(msg) - len);
	put("negotiate", "size-1025", msg, NTLM_MAX_NEGOTIATE_SIZE + 1);
	put_exchange("negotiate-1025", 0, msg, NTLM_MAX_NEGOTIATE_SIZE + 1,
		     NULL, 0, NULL, 0);
	put("negotiate", "size-8193", msg, NTLM_MAX_MESSAGE_SIZE + 1);
}

static void gen_challenge(void)
{
	static const size_t cuts[] = { 0, 8, 12, 20, 24, 32, 40, 47, 48, 55,
				       56 };
	uint8_t msg[NTLM_MAX_MESSAGE_SIZE], buf[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_server_config config;
	struct ntlm_client_params params;
	struct ntlm_test_exchange ex;
	size_t len, info_off;

	len = b64(oxpop3_challenge, msg, sizeof(msg));
	put("challenge", "oxpop3-4.1", msg, len);
	len = hex(nlmp_challenge_v1, msg, sizeof(msg));
	put("challenge", "nlmp-4.2.2.3-v1", msg, len);
	len = hex(nlmp_challenge_v2, msg, sizeof(msg));
	put("challenge", "nlmp-4.2.4.3-v2", msg, len);
	put("avpair", "nlmp-4.2.4.3", msg + 0x44, 0x24);

	put_truncations("challenge", "nlmp-v2", msg, len, cuts,
			N_ELEMENTS(cuts));
	/* TargetInfo at 0x44, 0x24 bytes: descriptor at 40. */
	put_field("challenge", "target-info-offset-wrap", msg, len, 40,
		  0x24, 0xfffffff0);
	put_field("challenge", "target-info-len-past-end", msg, len, 40,
		  0x25, 0x44);
	put_field("challenge", "target-info-in-header", msg, len, 40,
		  0x24, 16);
	put_field("challenge", "target-name-offset-wrap", msg, len, 12,
		  12, 0xffffffff);
	put_field("challenge", "target-info-overlaps-name", msg, len, 40,
		  0x24, 0x38);
	/* AV list without MsvAvEOL: the descriptor stops before it. */
	put_field("challenge", "target-info-no-eol", msg, len, 40,
		  0x20, 0x44);
	/* EOL with a length, and the same with the length byte past the
	   end. */
	memcpy(buf, msg, len);
	buf[len - 2] = 4;
	put("challenge", "target-info-eol-len", buf, len);
	/* An unknown AV id in place of EOL. */
	memcpy(buf, msg, len);
	buf[len - 4] = 0x42;
	put("challenge", "target-info-unknown-last", buf, len);
	/* Duplicate NB domain (NbComputer renamed to NbDomain). */
	memcpy(buf, msg, len);
	buf[0x44 + 16] = NTLM_AV_NB_DOMAIN_NAME;
	put("challenge", "target-info-duplicate", buf, len);
	/* Odd name length. */
	memcpy(buf, msg, len);
	buf[0x44 + 2] = 11;
	put("challenge", "target-info-odd-name", buf, len);

	/* The servers' own CHALLENGEs: Unicode and OEM, server and domain
	   target, with and without VERSION. */
	config = *fuzz_server_config_permissive();
	config.target_is_domain = false;
	config.send_version = false;
	client_params(&params, NTLM_CLIENT_V2);
	run_exchange(&params, &config, &ex);
	put("challenge", "server-target-server", ex.challenge,
	    ex.challenge_len);
	params.unicode = false;
	run_exchange(&params, &config, &ex);
	put("challenge", "server-oem-target-server", ex.challenge,
	    ex.challenge_len);

	/* The server's own TargetInfo, its truncations, no EOL. */
	client_params(&params, NTLM_CLIENT_V2);
	run_exchange(&params, fuzz_server_config_permissive(), &ex);
	memcpy(msg, ex.challenge, ex.challenge_len);
	len = ex.challenge_len;
	info_off = msg[44] | (msg[45] << 8);
	put("avpair", "server-target-info", msg + info_off,
	    msg[40] | (msg[41] << 8));
	put("avpair", "server-target-info-no-eol", msg + info_off,
	    (msg[40] | (msg[41] << 8)) - 4);
	put("avpair", "server-target-info-cut", msg + info_off,
	    (msg[40] | (msg[41] << 8)) - 7);
	put_truncations("challenge", "server", msg, len, cuts,
			N_ELEMENTS(cuts));
	put_field("challenge", "server-target-info-no-eol", msg, len, 40,
		  (msg[40] | (msg[41] << 8)) - 4, info_off);
}

static void gen_authenticate(void)
{
	static const size_t cuts[] = { 0, 12, 63, 64, 71, 72, 87, 88, 100 };
	uint8_t msg[NTLM_MAX_MESSAGE_SIZE], buf[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_client_params params;
	struct ntlm_authenticate auth;
	struct ntlm_test_exchange ex;
	size_t len, nt_off, nt_len, av_end;

	len = b64(oxpop3_authenticate, msg, sizeof(msg));
	put("authenticate", "oxpop3-4.1", msg, len);
	b64(oxpop3_negotiate, buf, sizeof(buf));
	put_exchange("oxpop3-4.1-full", 0, buf, 40, msg, len, NULL, 0);

	client_params(&params, NTLM_CLIENT_V2);
	run_exchange(&params, fuzz_server_config_permissive(), &ex);
	memcpy(msg, ex.authenticate, ex.authenticate_len);
	len = ex.authenticate_len;
	decode_auth(&ex, &auth);
	nt_off = auth.nt_response.data - ex.authenticate;
	nt_len = auth.nt_response.len;

	put_truncations("authenticate", "v2", msg, len, cuts,
			N_ELEMENTS(cuts));
	/* NT response descriptor at 20. */
	put_field("authenticate", "nt-offset-wrap", msg, len, 20,
		  (uint16_t)nt_len, 0xffffffff);
	put_field("authenticate", "nt-offset-wrap2", msg, len, 20,
		  (uint16_t)nt_len, 0xffffff00);
	put_field("authenticate", "nt-len-past-end", msg, len, 20,
		  (uint16_t)(nt_len + 1), nt_off);
	put_field("authenticate", "nt-in-header", msg, len, 20,
		  (uint16_t)nt_len, 8);
	put_field("authenticate", "nt-len-25", msg, len, 20, 25, nt_off);
	put_field("authenticate", "nt-len-47", msg, len, 20, 47, nt_off);
	put_field("authenticate", "nt-len-48", msg, len, 20, 48, nt_off);
	/* User descriptor at 36; an odd length, and one past the end. */
	put_field("authenticate", "user-odd", msg, len, 36, 7,
		  auth.user.data - ex.authenticate);
	put_field("authenticate", "user-offset-wrap", msg, len, 36, 8,
		  0xfffffffe);
	/* Payload starting at 64 (no VERSION, no MIC) and at 72. */
	put_field("authenticate", "lm-at-64", msg, len, 12, 8, 64);
	put_field("authenticate", "lm-at-72", msg, len, 12, 8, 72);
	/* The blob's AV list without EOL: the NT response ends before
	   it. */
	av_end = nt_len;
	put_field("authenticate", "blob-no-eol", msg, len, 20,
		  (uint16_t)(av_end - 4), nt_off);
	/* Blob with a bad RespType, and with an AV EOL of length 4. */
	memcpy(buf, msg, len);
	buf[nt_off + 16] = 2;
	put("authenticate", "blob-resptype-2", buf, len);
	put_exchange("blob-resptype-2", 0, ex.negotiate, ex.negotiate_len,
		     buf, len, NULL, 0);
	/* Message type 3 with a NEGOTIATE's length. */
	put("authenticate", "short-type-3", msg, 40);
	/* Over the message limit. */
	memset(buf, 0, sizeof(buf));
	memcpy(buf, msg, len);
	put("authenticate", "size-8192", buf, NTLM_MAX_MESSAGE_SIZE);
}

static void gen_avpair(void)
{
	uint8_t buf[512];
	size_t len = 0;
	unsigned int i;

	put("avpair", "empty", (const uint8_t *)"", 0);
	put("avpair", "eol", (const uint8_t *)"\0\0\0\0", 4);
	put("avpair", "eol-len", (const uint8_t *)"\0\0\4\0\0\0\0\0", 8);
	put("avpair", "eol-trailing", (const uint8_t *)"\0\0\0\0xyz", 7);
	put("avpair", "eol-short", (const uint8_t *)"\0\0\0", 3);
	put("avpair", "flags-mic", (const uint8_t *)
	    "\6\0\4\0\2\0\0\0\0\0\0\0", 12);
	put("avpair", "flags-3", (const uint8_t *)"\6\0\3\0\2\0\0\0\0\0\0",
	    11);
	put("avpair", "timestamp-4", (const uint8_t *)
	    "\7\0\4\0\1\2\3\4\0\0\0\0", 12);
	put("avpair", "timestamp", (const uint8_t *)
	    "\7\0\10\0\1\2\3\4\5\6\7\10\0\0\0\0", 16);
	put("avpair", "name-odd", (const uint8_t *)"\1\0\3\0abc\0\0\0\0", 11);
	put("avpair", "name-dup", (const uint8_t *)
	    "\2\0\2\0a\0\2\0\2\0b\0\0\0\0\0", 16);
	put("avpair", "unknown-dup", (const uint8_t *)
	    "\x42\0\1\0a\x42\0\1\0b\0\0\0\0", 14);
	put("avpair", "value-past-end", (const uint8_t *)"\1\0\xff\xff\0\0",
	    6);
	put("avpair", "id-max", (const uint8_t *)"\xff\xff\0\0\0\0\0\0", 8);

	/* Channel bindings of 15 and 16 bytes; SingleHost of 47 and 48. */
	memset(buf, 0, sizeof(buf));
	buf[0] = NTLM_AV_CHANNEL_BINDINGS;
	buf[2] = 16;
	put("avpair", "cb-16", buf, 4 + 16 + 4);
	buf[2] = 15;
	put("avpair", "cb-15", buf, 4 + 15 + 4);
	memset(buf, 0, sizeof(buf));
	buf[0] = NTLM_AV_SINGLE_HOST;
	buf[2] = 48;
	buf[4] = 48;
	put("avpair", "single-host-48", buf, 4 + 48 + 4);
	buf[2] = 47;
	put("avpair", "single-host-47", buf, 4 + 47 + 4);

	/* 31 unknown pairs + EOL = 32 pairs; and 33. */
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < 32; i++) {
		le16(buf + len, 0x100 + i);
		le16(buf + len + 2, 0);
		len += 4;
	}
	le32(buf + 31 * 4, 0);
	put("avpair", "pairs-32", buf, 32 * 4);
	le16(buf + 31 * 4, 0x11f);
	le32(buf + 32 * 4, 0);
	put("avpair", "pairs-33", buf, 33 * 4);
}

struct string_seed {
	const char *name;
	const char *data;
	size_t len;
};

#define SEED(name, str) { name, str, sizeof(str) - 1 }

static const struct string_seed unicode_seeds[] = {
	SEED("empty", ""),
	SEED("ascii", "User"),
	SEED("ascii-lower", "user@domain.example"),
	SEED("utf16-user", "U\0s\0e\0r\0"),
	SEED("utf16-domain-lower", "d\0o\0m\0a\0i\0n\0"),
	SEED("utf8-latin1", "J\xc3\xbcrgen \xc3\xbf\xc3\xa9\xc3\x9f\xc2\xb5"),
	SEED("latin1", "J\xfcrgen \xff\xe9\xdf\xb5"),
	SEED("utf8-greek", "\xce\xb1\xce\xb2\xce\xb3\xcf\x82\xce\xac\xcf\x8e"),
	SEED("utf16-greek", "\xb1\x03\xb2\x03\xc2\x03\xac\x03\xce\x03"),
	SEED("utf8-cyrillic",
	     "\xd0\xb6\xd1\x91\xd1\x8f\xd0\x96\xd1\x9f\xd2\x91"),
	SEED("utf16-cyrillic", "\x36\x04\x51\x04\x4f\x04\x16\x04\x5f\x04"),
	SEED("utf16-latin-ext-a", "\x01\x01\x31\x01\x3a\x01\x7e\x01\x7f\x01"
	     "\x30\x01\x49\x01\xff\x00"),
	SEED("utf8-emoji", "\xf0\x9f\x98\x80"),
	SEED("utf16-emoji", "\x3d\xd8\x00\xde"),
	SEED("utf16-lone-high", "A\0\x3d\xd8" "B\0"),
	SEED("utf16-lone-high-end", "A\0\x3d\xd8"),
	SEED("utf16-lone-low", "A\0\x00\xde" "B\0"),
	SEED("utf16-swapped-pair", "\x00\xde\x3d\xd8"),
	SEED("utf16-nul", "A\0\0\0B\0"),
	SEED("utf16-odd", "U\0s\0e"),
	SEED("utf16-bom", "\xff\xfeU\0"),
	SEED("utf16-max", "\xff\xdb\xff\xdf\xff\xff"),
	SEED("utf8-overlong-nul", "A\xc0\x80" "B"),
	SEED("utf8-overlong-3", "\xe0\x80\xaf"),
	SEED("utf8-overlong-4", "\xf0\x80\x80\xaf"),
	SEED("utf8-surrogate", "\xed\xa0\x80"),
	SEED("utf8-cesu-pair", "\xed\xa0\xbd\xed\xb8\x80"),
	SEED("utf8-max", "\xf4\x8f\xbf\xbf"),
	SEED("utf8-above-max", "\xf4\x90\x80\x80"),
	SEED("utf8-f5", "\xf5\x80\x80\x80"),
	SEED("utf8-truncated", "ab\xe2\x82"),
	SEED("utf8-lone-cont", "a\x80" "b"),
	SEED("utf8-nul", "a\0b"),
	SEED("utf8-bom", "\xef\xbb\xbfUser"),
	SEED("utf8-u0100", "\xc4\x80\xc3\xbf"),
};

static void gen_unicode(void)
{
	uint8_t buf[512];
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(unicode_seeds); i++) {
		put("unicode", unicode_seeds[i].name,
		    (const uint8_t *)unicode_seeds[i].data,
		    unicode_seeds[i].len);
	}
	/* Every Latin-1 byte but NUL. */
	for (i = 1; i < 256; i++)
		buf[i - 1] = (uint8_t)i;
	put("unicode", "latin1-all", buf, 255);
	/* Every code unit 0x0080..0x017f as UTF-16LE. */
	for (i = 0; i < 256; i++)
		le16(buf + 2 * i, 0x80 + i);
	put("unicode", "utf16-0080-017f", buf, 512);
	for (i = 0; i < 256; i++)
		le16(buf + 2 * i, 0x380 + i);
	put("unicode", "utf16-0380-047f", buf, 512);
}

static const struct string_seed delegate_seeds[] = {
	SEED("domain-alias-alias", "DOMAIN/delegate/principal"),
	SEED("domain-alias-upn", "DOMAIN/delegate/principal@example.com"),
	SEED("upn-alias", "delegate@example.com/principal"),
	SEED("upn-upn", "delegate@example.com/principal@example.com"),
	SEED("plain", "user"),
	SEED("plain-upn", "user@example.com"),
	SEED("plain-backslash", "DOMAIN\\user"),
	SEED("slash-only", "/"),
	SEED("empty-middle", "a//b"),
	SEED("empty-first", "/a/b"),
	SEED("empty-last", "DOMAIN/alias/"),
	SEED("four-parts", "a/b/c/d"),
	SEED("alias-alias", "alias/principal"),
	SEED("upn-two-at", "a@b@c/d"),
	SEED("upn-empty-local", "@example.com/principal"),
	SEED("upn-empty-domain", "delegate@/principal"),
	SEED("principal-bad-upn", "delegate@example.com/p@"),
	SEED("domain-with-at", "DOM@IN/delegate/principal"),
	SEED("alias-with-at", "DOMAIN/dele@gate/principal"),
	SEED("backslash", "DOMAIN\\x/delegate/principal"),
	SEED("control", "DOMAIN/dele\tgate/principal"),
	SEED("del", "DOMAIN/delegate/princ\x7fipal"),
	SEED("nul", "DOMAIN/dele\0gate/principal"),
	SEED("utf8", "DOM\xc3\x84IN/d\xc3\xa9l\xc3\xa9gu\xc3\xa9/principal"),
};

static void gen_delegate(void)
{
	char buf[NTLM_DELEGATE_MAX_LEN + 2];
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(delegate_seeds); i++) {
		put("delegate", delegate_seeds[i].name,
		    (const uint8_t *)delegate_seeds[i].data,
		    delegate_seeds[i].len);
	}
	/* 512 bytes (the limit) and 513. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "DOMAIN/delegate/", 16);
	put("delegate", "len-512", (const uint8_t *)buf,
	    NTLM_DELEGATE_MAX_LEN);
	put("delegate", "len-513", (const uint8_t *)buf,
	    NTLM_DELEGATE_MAX_LEN + 1);
	put_str("delegate", "spaces", "DOMAIN/dele gate/prin cipal");
}

int main(int argc, char *argv[])
{
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <corpus directory>\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) < 0 && errno != EEXIST)
		die(out_dir, strerror(errno));
	fuzz_crypto_init();

	gen_exchanges();
	gen_negotiate();
	gen_challenge();
	gen_authenticate();
	gen_avpair();
	gen_unicode();
	gen_delegate();

	for (i = 0; i < N_ELEMENTS(targets); i++)
		printf("%-13s %u files\n", targets[i], written[i]);
	return 0;
}
