/* ntlm-client.c: the NEGOTIATE it sends, its responses to the [MS-NLMP]
   4.2 CHALLENGE messages (known answers), the MIC it computes, and full
   exchanges against ntlm-server.c for every client variant. */

#include "test-common.h"
#include "ntlm-test.h"
#include "ntlm-avpair.h"
#include "ntlm-client.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NTProofStr over the 4.2.4.1.3 temp with Chromium's client timestamp
   instead of 0 (the MIC-less message our client builds for the 4.2.4.3
   CHALLENGE). Computed here with an independent HMAC-MD5. */
#define CLIENT_V2_TEMP_TS \
	"0101 0000 00000000" \
	"800bc8fd00d4d201" \
	"aaaaaaaaaaaaaaaa" \
	"00000000" \
	NLMP_V2_TARGET_INFO \
	"00000000"
#define CLIENT_V2_PROOF_TS "141fc0a93071c89968630daf4d424f0b"
/* The same with MsvAvFlags = MIC_PRESENT added before the EOL. */
#define CLIENT_V2_TEMP_TS_MIC \
	"0101 0000 00000000" \
	"800bc8fd00d4d201" \
	"aaaaaaaaaaaaaaaa" \
	"00000000" \
	"02000c0044006f006d00610069006e00" \
	"01000c00530065007200760065007200" \
	"0600040002000000" \
	"00000000" \
	"00000000"
#define CLIENT_V2_PROOF_TS_MIC "da79dea683ba3c8e2c2dd36d8b5e6230"

struct client_ctx {
	struct ntlm_client client;
	struct ntlm_client_params params;
	struct ntlm_server_config config;
	/* the client against the core's server (tests/lib) */
	struct ntlm_test_exchange ex;
	uint8_t buf[NTLM_MAX_MESSAGE_SIZE];
};

static struct client_ctx *ctx;

static int suite_init(void)
{
	ctx = calloc(1, sizeof(*ctx));
	return ctx == NULL ? -1 : 0;
}

static int suite_cleanup(void)
{
	free(ctx);
	ctx = NULL;
	return 0;
}

static bool slice_is_utf16(const struct ntlm_slice *s, const char *str)
{
	uint8_t buf[512];
	size_t len = test_ascii_utf16(str, buf, sizeof(buf));

	return s->len == len && (len == 0 || memcmp(s->data, buf, len) == 0);
}

/* The [MS-NLMP] 4.2.1 client: "User", "Domain", "COMPUTER", password
   "Password", client challenge aa x 8, Chromium's timestamp. */
static void params_nlmp(enum ntlm_client_variant variant)
{
	ntlm_test_client_params(&ctx->params, variant);
	ctx->params.timestamp = CHROMIUM_CLIENT_TIMESTAMP;
}

/* Run the client against a CHALLENGE given in hex; decode what it
   sends back into *auth_r (pointing into the client). */
static int client_answer(const char *challenge_hex,
			 struct ntlm_authenticate *auth_r)
{
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ctx->client, &ctx->params,
					       &error), 0);
	len = test_hex(challenge_hex, ctx->buf, sizeof(ctx->buf));
	if (ntlm_client_input(&ctx->client, ctx->buf, len, &error) < 0) {
		CU_ASSERT_PTR_NOT_NULL(error);
		return -1;
	}
	ntlm_client_authenticate(&ctx->client, &data, &len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(data, len, auth_r,
						       &error), 0);
	return 0;
}

static void test_client_params_defaults(void)
{
	struct ntlm_client_params p;

	memset(&p, 0xff, sizeof(p));
	ntlm_client_params_init(&p);
	CU_ASSERT_EQUAL(p.variant, NTLM_CLIENT_V2);
	CU_ASSERT_TRUE(p.unicode);
	CU_ASSERT_TRUE(p.send_mic);
	CU_ASSERT_TRUE(p.send_version);
	CU_ASSERT_FALSE(p.have_lm_hash);
	CU_ASSERT_FALSE(p.force_timestamp);
	CU_ASSERT_EQUAL(p.timestamp, 0);
	CU_ASSERT_PTR_NULL(p.client_challenge);
	CU_ASSERT_PTR_NULL(p.user);
	CU_ASSERT_PTR_NULL(p.domain);
	CU_ASSERT_PTR_NULL(p.workstation);
}

static void test_client_negotiate(void)
{
	struct ntlm_negotiate neg;
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	/* defaults: Unicode and OEM, NTLM, REQUEST_TARGET, ESS, VERSION */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ctx->client, &ctx->params,
					       &error), 0);
	ntlm_client_negotiate(&ctx->client, &data, &len);
	CU_ASSERT_EQUAL(ntlm_msg_type(data, len, &error), NTLM_MSG_NEGOTIATE);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(data, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(len, 40);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_UNICODE, 0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_NTLM, 0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_REQUEST_TARGET, 0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_EXTENDED_SESSIONSECURITY, 0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_VERSION, 0);
	CU_ASSERT_EQUAL(neg.flags & (NTLM_FL_SIGN | NTLM_FL_SEAL |
				     NTLM_FL_KEY_EXCH), 0);
	CU_ASSERT_TRUE(neg.have_version);
	ntlm_client_deinit(&ctx->client);

	/* OEM only, no VERSION: the curl shape */
	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.unicode = false;
	ctx->params.send_version = false;
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ctx->client, &ctx->params,
					       &error), 0);
	ntlm_client_negotiate(&ctx->client, &data, &len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(data, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(len, 32);
	CU_ASSERT_EQUAL(neg.flags & NTLM_FL_UNICODE, 0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_OEM, 0);
	CU_ASSERT_EQUAL(neg.flags & NTLM_FL_VERSION, 0);
	CU_ASSERT_FALSE(neg.have_version);
	ntlm_client_deinit(&ctx->client);

	/* ESS asked for by the ESS client */
	params_nlmp(NTLM_CLIENT_ESS);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ctx->client, &ctx->params,
					       &error), 0);
	ntlm_client_negotiate(&ctx->client, &data, &len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(data, len, &neg, &error),
			      0);
	CU_ASSERT_NOT_EQUAL(neg.flags & NTLM_FL_EXTENDED_SESSIONSECURITY, 0);
	ntlm_client_deinit(&ctx->client);

	/* a user is required, except for anonymous */
	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.user = NULL;
	CU_ASSERT_EQUAL(ntlm_client_init(&ctx->client, &ctx->params, &error),
			-1);
	ctx->params.user = "";
	CU_ASSERT_EQUAL(ntlm_client_init(&ctx->client, &ctx->params, &error),
			-1);
	ctx->params.variant = NTLM_CLIENT_ANONYMOUS;
	ctx->params.user = NULL;
	CU_ASSERT_EQUAL(ntlm_client_init(&ctx->client, &ctx->params, &error),
			0);
	ntlm_client_deinit(&ctx->client);
}

/* NTLMv2 against the 4.2.4.3 CHALLENGE (no MsvAvTimestamp): the blob
   is the spec's temp with our timestamp, LM is the LMv2 response. */
static void test_client_v2_known_answer(void)
{
	struct ntlm_authenticate auth;
	const struct ntlm_challenge *chal;
	uint8_t key[16], proof[16], temp[128];
	struct ntlm_slice blob;
	const char *error = NULL;

	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.send_mic = false;
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);

	chal = ntlm_client_challenge(&ctx->client);
	CU_ASSERT_PTR_NOT_NULL_FATAL(chal);
	TEST_ASSERT_HEX(chal->server_challenge, 8, NLMP_SERVER_CHALLENGE);
	CU_ASSERT_EQUAL(chal->flags, NLMP_CHALLENGE_V2_FLAGS);

	TEST_ASSERT_HEX(auth.nt_response.data, auth.nt_response.len,
			CLIENT_V2_PROOF_TS CLIENT_V2_TEMP_TS);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_LMV2_RESPONSE);
	CU_ASSERT_TRUE(slice_is_utf16(&auth.user, NLMP_USER));
	CU_ASSERT_TRUE(slice_is_utf16(&auth.domain, NLMP_USER_DOM));
	CU_ASSERT_TRUE(slice_is_utf16(&auth.workstation, NLMP_WORKSTATION));
	CU_ASSERT_FALSE(auth.have_mic_field);
	CU_ASSERT_EQUAL(auth.payload_start, 72);

	/* the same proof through the library */
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV2, key, 16), 16);
	blob.data = temp;
	blob.len = test_hex(CLIENT_V2_TEMP_TS, temp, sizeof(temp));
	CU_ASSERT_EQUAL_FATAL(ntlm_v2_proof(key, chal->server_challenge,
					    &blob, proof, &error), 0);
	TEST_ASSERT_HEX(proof, 16, CLIENT_V2_PROOF_TS);
	ntlm_client_deinit(&ctx->client);

	/* Without a timestamp in the CHALLENGE or the params, the blob
	   carries the current time. */
	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.send_mic = false;
	ctx->params.timestamp = 0;
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);
	{
		struct ntlm_v2_response v2;
		const char *error = NULL;
		uint64_t now = ntlm_filetime_now();

		CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(
			&auth.nt_response, &v2, &error), 0);
		CU_ASSERT(v2.timestamp + 100000000ULL >= now &&
			  v2.timestamp <= now + 100000000ULL);
	}
	ntlm_client_deinit(&ctx->client);
}

/* NTLMv2 with MIC against the same CHALLENGE: MsvAvFlags added to the
   blob, a MIC over NEGOTIATE || CHALLENGE || AUTHENTICATE at 72. */
static void test_client_v2_mic(void)
{
	struct ntlm_authenticate auth;
	struct ntlm_v2_response v2;
	struct ntlm_av_info info;
	struct ntlm_slice neg_s, chal_s;
	uint8_t key[16], sbk[16], mic[16], chal[256];
	const uint8_t *neg;
	const char *error = NULL;
	size_t neg_len;

	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);
	CU_ASSERT_TRUE_FATAL(auth.have_mic_field);
	CU_ASSERT_EQUAL(auth.payload_start, 88);
	TEST_ASSERT_HEX(auth.nt_response.data, auth.nt_response.len,
			CLIENT_V2_PROOF_TS_MIC CLIENT_V2_TEMP_TS_MIC);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&auth.nt_response, &v2,
						      &error), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(v2.av_list.data, v2.av_list.len,
					    &info, &error), 0);
	CU_ASSERT_TRUE(info.have_flags);
	CU_ASSERT_EQUAL(info.flags, NTLM_AV_FLAG_MIC_PRESENT);

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV2, key, 16), 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key, v2.nt_proof.data, sbk,
						  &error), 0);
	ntlm_client_negotiate(&ctx->client, &neg, &neg_len);
	neg_s.data = neg;
	neg_s.len = neg_len;
	chal_s.data = chal;
	chal_s.len = test_hex(NLMP_CHALLENGE_V2, chal, sizeof(chal));
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s,
					       &auth.raw, NTLM_AUTH_MIC_OFFSET,
					       mic, &error), 0);
	CU_ASSERT_EQUAL(memcmp(mic, auth.mic.data, 16), 0);
	ntlm_client_deinit(&ctx->client);
}

/* A CHALLENGE with MsvAvTimestamp: the blob takes the server's time and
   the LM response is Z(24), as Windows does; force_timestamp overrides
   both. */
static void test_client_v2_server_timestamp(void)
{
	static const uint64_t server_time = 130000000000000000ULL;
	struct ntlm_authenticate auth;
	struct ntlm_v2_response v2;
	uint8_t info[128], chal[256], name[32], srv[8];
	struct ntlm_slice info_s, name_s;
	const char *error = NULL;
	size_t len, i;
	char hex[2 * sizeof(chal) + 1];

	/* the 4.2.4.3 TargetInfo plus MsvAvTimestamp */
	info_s.len = test_hex("02000c0044006f006d00610069006e00"
			      "01000c00530065007200760065007200"
			      "07000800", info, sizeof(info));
	for (i = 0; i < 8; i++)
		info[info_s.len + i] = (uint8_t)(server_time >> (8 * i));
	info_s.len += 8;
	memset(info + info_s.len, 0, 4);
	info_s.len += 4;
	info_s.data = info;
	name_s.data = name;
	name_s.len = test_ascii_utf16(NLMP_SERVER_NAME, name, sizeof(name));
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_SERVER_CHALLENGE, srv, 8), 8);
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_challenge(NLMP_CHALLENGE_V2_FLAGS,
			srv, &name_s, &info_s, NULL, chal, sizeof(chal),
			&len, &error), 0);
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", chal[i]);

	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL_FATAL(client_answer(hex, &auth), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&auth.nt_response, &v2,
						      &error), 0);
	CU_ASSERT_EQUAL(v2.timestamp, server_time);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			"000000000000000000000000000000000000000000000000");
	ntlm_client_deinit(&ctx->client);

	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.force_timestamp = true;
	CU_ASSERT_EQUAL_FATAL(client_answer(hex, &auth), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&auth.nt_response, &v2,
						      &error), 0);
	CU_ASSERT_EQUAL(v2.timestamp, CHROMIUM_CLIENT_TIMESTAMP);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_LMV2_RESPONSE);
	ntlm_client_deinit(&ctx->client);
}

static void test_client_v1_known_answers(void)
{
	struct ntlm_authenticate auth;

	/* 4.2.2: NTLMv1 with the LM response */
	params_nlmp(NTLM_CLIENT_V1);
	ctx->params.have_lm_hash = true;
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V1, &auth), 0);
	TEST_ASSERT_HEX(auth.nt_response.data, auth.nt_response.len,
			NLMP_NTLMV1_RESPONSE);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_LMV1_RESPONSE);
	CU_ASSERT_EQUAL(auth.flags & NTLM_FL_EXTENDED_SESSIONSECURITY, 0);
	CU_ASSERT_TRUE(slice_is_utf16(&auth.user, NLMP_USER));
	ntlm_client_deinit(&ctx->client);

	/* no LM hash: the NT response repeated (Thunderbird's v1) */
	params_nlmp(NTLM_CLIENT_V1);
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V1, &auth), 0);
	TEST_ASSERT_HEX(auth.nt_response.data, auth.nt_response.len,
			NLMP_NTLMV1_RESPONSE);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_NTLMV1_RESPONSE);
	ntlm_client_deinit(&ctx->client);

	/* 4.2.3: ESS */
	params_nlmp(NTLM_CLIENT_ESS);
	CU_ASSERT_EQUAL_FATAL(client_answer(CHROMIUM_CHALLENGE_ESS, &auth), 0);
	TEST_ASSERT_HEX(auth.nt_response.data, auth.nt_response.len,
			NLMP_ESS_NT_RESPONSE);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_ESS_LM_RESPONSE);
	CU_ASSERT_NOT_EQUAL(auth.flags & NTLM_FL_EXTENDED_SESSIONSECURITY, 0);
	ntlm_client_deinit(&ctx->client);

	/* ESS is impossible when the server does not offer it */
	params_nlmp(NTLM_CLIENT_ESS);
	CU_ASSERT_EQUAL(client_answer(NLMP_CHALLENGE_V1, &auth), -1);
	ntlm_client_deinit(&ctx->client);

	/* 4.2.4.2.1: LMv2 alone, empty NT response */
	params_nlmp(NTLM_CLIENT_LMV2);
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);
	CU_ASSERT_EQUAL(auth.nt_response.len, 0);
	TEST_ASSERT_HEX(auth.lm_response.data, auth.lm_response.len,
			NLMP_LMV2_RESPONSE);
	ntlm_client_deinit(&ctx->client);
}

/* Whatever the CHALLENGE offers, the AUTHENTICATE must not claim
   KEY_EXCH without an EncryptedRandomSessionKey (MS-NLMP 3.1.5.1.2: with
   KEY_EXCH the client MUST send one), nor SIGN/SEAL it cannot do. The
   4.2 CHALLENGE messages offer all three. */
static void test_client_flags_consistent(void)
{
	static const struct {
		enum ntlm_client_variant variant;
		const char *challenge;
	} cases[] = {
		{ NTLM_CLIENT_V2, NLMP_CHALLENGE_V2 },
		{ NTLM_CLIENT_LMV2, NLMP_CHALLENGE_V2 },
		{ NTLM_CLIENT_V1, NLMP_CHALLENGE_V1 },
		{ NTLM_CLIENT_ESS, CHROMIUM_CHALLENGE_ESS },
	};
	struct ntlm_authenticate auth;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		params_nlmp(cases[i].variant);
		CU_ASSERT_EQUAL_FATAL(client_answer(cases[i].challenge,
						    &auth), 0);
		if ((auth.flags & NTLM_FL_KEY_EXCH) != 0 &&
		    auth.encrypted_session_key.len != 16) {
			fprintf(stderr, "\nclient variant %d: flags 0x%08x "
				"with a %zu-byte session key\n",
				cases[i].variant, auth.flags,
				auth.encrypted_session_key.len);
			CU_FAIL("KEY_EXCH claimed without a session key");
		}
		CU_ASSERT_EQUAL(auth.flags & (NTLM_FL_SIGN | NTLM_FL_SEAL),
				0);
		ntlm_client_deinit(&ctx->client);
	}
}

static void test_client_anonymous(void)
{
	struct ntlm_authenticate auth;

	params_nlmp(NTLM_CLIENT_ANONYMOUS);
	ctx->params.user = NULL;
	ctx->params.domain = NULL;
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);
	CU_ASSERT_EQUAL(auth.user.len, 0);
	CU_ASSERT_EQUAL(auth.domain.len, 0);
	CU_ASSERT_EQUAL(auth.nt_response.len, 0);
	/* MS-NLMP 3.1.5.1.2: LmChallengeResponse Z(1) or empty */
	CU_ASSERT(auth.lm_response.len <= 1);
	if (auth.lm_response.len == 1)
		CU_ASSERT_EQUAL(auth.lm_response.data[0], 0);
	CU_ASSERT_NOT_EQUAL(auth.flags & NTLM_FL_ANONYMOUS, 0);
	ntlm_client_deinit(&ctx->client);
}

static void test_client_bad_challenge(void)
{
	struct ntlm_authenticate auth;
	const char *error = NULL;
	uint8_t big[NTLM_MAX_MESSAGE_SIZE + 1];

	/* NTLMv2 needs TargetInfo (Thunderbird's rule) */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL(client_answer(NLMP_CHALLENGE_V1, &auth), -1);
	ntlm_client_deinit(&ctx->client);

	/* a NEGOTIATE instead of a CHALLENGE */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL(client_answer(CHROMIUM_NEGOTIATE, &auth), -1);
	ntlm_client_deinit(&ctx->client);

	/* TargetInfo without EOL (Len cut by 4) */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL(client_answer(
		"4e544c4d53535000 02000000 0c000c0038000000 33828ae2"
		"0123456789abcdef 0000000000000000 2000240044000000"
		"060070170000000f"
		"530065007200760065007200" NLMP_V2_TARGET_INFO, &auth), -1);
	ntlm_client_deinit(&ctx->client);

	/* truncated */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL(client_answer("4e544c4d53535000 02000000 0c000c00",
				      &auth), -1);
	ntlm_client_deinit(&ctx->client);

	/* oversized */
	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ctx->client, &ctx->params,
					       &error), 0);
	memset(big, 0, sizeof(big));
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_CHALLENGE_V2, big, sizeof(big)),
			      104);
	CU_ASSERT_EQUAL(ntlm_client_input(&ctx->client, big, sizeof(big),
					  &error), -1);
	ntlm_client_deinit(&ctx->client);
}

/* An OEM-only CHALLENGE (UNICODE cleared from 4.2.4.3): names go out as
   Latin-1; a name outside Latin-1 cannot be sent. */
static void test_client_oem(void)
{
	static const char oem_challenge[] =
		"4e544c4d53535000 02000000 0c000c0038000000 32828ae2"
		"0123456789abcdef 0000000000000000 2400240044000000"
		"060070170000000f"
		"530065007200760065007200" NLMP_V2_TARGET_INFO;
	struct ntlm_authenticate auth;

	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.unicode = false;
	ctx->params.user = "J\xc3\xb6rg";
	CU_ASSERT_EQUAL_FATAL(client_answer(oem_challenge, &auth), 0);
	CU_ASSERT_EQUAL_FATAL(auth.user.len, 4);
	CU_ASSERT_EQUAL(memcmp(auth.user.data, "J\xf6rg", 4), 0);
	CU_ASSERT_EQUAL_FATAL(auth.domain.len, 6);
	CU_ASSERT_EQUAL(memcmp(auth.domain.data, "Domain", 6), 0);
	CU_ASSERT_EQUAL_FATAL(auth.workstation.len, 8);
	CU_ASSERT_EQUAL(memcmp(auth.workstation.data, "COMPUTER", 8), 0);
	ntlm_client_deinit(&ctx->client);

	params_nlmp(NTLM_CLIENT_V2);
	ctx->params.unicode = false;
	ctx->params.user = "\xce\xa9mega";	/* U+03A9 */
	CU_ASSERT_EQUAL(client_answer(oem_challenge, &auth), -1);
	ntlm_client_deinit(&ctx->client);
}

/* Every client variant against the server, with a policy that allows
   it; the server names the variant the client says it sent. */
static void test_client_exchanges(void)
{
	static const struct {
		const char *name;
		enum ntlm_client_variant client;
		bool unicode;
		bool mic;
		enum ntlm_variant variant;
	} cases[] = {
		{ .name = "NTLMv2, Unicode, MIC", .client = NTLM_CLIENT_V2,
		  .unicode = true, .mic = true,
		  .variant = NTLM_VARIANT_NTLMV2 },
		{ .name = "NTLMv2, Unicode", .client = NTLM_CLIENT_V2,
		  .unicode = true, .variant = NTLM_VARIANT_NTLMV2 },
		{ .name = "NTLMv2, OEM, MIC", .client = NTLM_CLIENT_V2,
		  .mic = true, .variant = NTLM_VARIANT_NTLMV2 },
		{ .name = "LMv2, Unicode", .client = NTLM_CLIENT_LMV2,
		  .unicode = true, .variant = NTLM_VARIANT_LMV2 },
		{ .name = "LMv2, OEM", .client = NTLM_CLIENT_LMV2,
		  .variant = NTLM_VARIANT_LMV2 },
		{ .name = "NTLMv1-ESS, Unicode", .client = NTLM_CLIENT_ESS,
		  .unicode = true, .variant = NTLM_VARIANT_NTLMV1_ESS },
		{ .name = "NTLMv1-ESS, OEM", .client = NTLM_CLIENT_ESS,
		  .variant = NTLM_VARIANT_NTLMV1_ESS },
		{ .name = "NTLMv1, Unicode", .client = NTLM_CLIENT_V1,
		  .unicode = true, .variant = NTLM_VARIANT_NTLMV1 },
		{ .name = "NTLMv1, OEM", .client = NTLM_CLIENT_V1,
		  .variant = NTLM_VARIANT_NTLMV1 },
		{ .name = "anonymous", .client = NTLM_CLIENT_ANONYMOUS,
		  .unicode = true, .variant = NTLM_VARIANT_ANONYMOUS },
	};
	static const struct ntlm_server_names names = {
		.nb_computer = "SERVER", .nb_domain = "DOMAIN",
	};
	struct ntlm_test_exchange *ex = &ctx->ex;
	struct ntlm_identity id;
	const char *error = NULL;
	enum ntlm_server_action action;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL_FATAL(ntlm_server_config_init(&ctx->config,
							      &names, &error),
				      0);
		ctx->config.policy.allow_ntlmv1 = true;
		ctx->config.policy.allow_ntlmv1_ess = true;
		ctx->config.policy.allow_anonymous = true;

		params_nlmp(cases[i].client);
		/* the real clock: no forced timestamp */
		ctx->params.timestamp = 0;
		ctx->params.client_challenge = NULL;
		ctx->params.unicode = cases[i].unicode;
		ctx->params.send_mic = cases[i].mic;
		if (cases[i].client == NTLM_CLIENT_ANONYMOUS) {
			ctx->params.user = NULL;
			ctx->params.domain = NULL;
		}
		ret = ntlm_test_exchange_start(ex, &ctx->params, &ctx->config,
					       ntlm_test_server_challenge,
					       ntlm_filetime_now(), &error);
		if (ret < 0)
			fprintf(stderr, "\n%s: %s\n", cases[i].name, error);
		CU_ASSERT_EQUAL_FATAL(ret, 0);
		action = ntlm_server_input(&ex->server, ex->authenticate,
					   ex->authenticate_len);
		if (action == NTLM_SERVER_NEED_HASH) {
			CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->server),
					NTLM_HASH_NT);
			action = ntlm_server_verify(&ex->server, NTLM_HASH_NT,
						    ctx->params.nt_hash);
		}
		if (action != NTLM_SERVER_SUCCESS) {
			const char *reason = "";

			(void)ntlm_server_error(&ex->server, &reason);
			fprintf(stderr, "\n%s: %s\n", cases[i].name, reason);
		}
		ROW_ASSERT(cases[i].name, action == NTLM_SERVER_SUCCESS);
		ntlm_server_get_identity(&ex->server, &id);
		ROW_ASSERT(cases[i].name, id.variant == cases[i].variant);
		ROW_ASSERT(cases[i].name, id.mic_verified == cases[i].mic);
		ROW_ASSERT(cases[i].name, id.unicode == cases[i].unicode);
		if (cases[i].client != NTLM_CLIENT_ANONYMOUS) {
			CU_ASSERT_STRING_EQUAL(id.user, NLMP_USER);
			CU_ASSERT_STRING_EQUAL(id.domain, NLMP_USER_DOM);
			CU_ASSERT_STRING_EQUAL(id.workstation,
					       NLMP_WORKSTATION);
		}
		ntlm_test_exchange_deinit(ex);
	}
}

static void test_client_deinit_wipes(void)
{
	struct ntlm_authenticate auth;
	const uint8_t *p;
	size_t i;
	bool zero = true;

	params_nlmp(NTLM_CLIENT_V2);
	CU_ASSERT_EQUAL_FATAL(client_answer(NLMP_CHALLENGE_V2, &auth), 0);
	ntlm_client_deinit(&ctx->client);
	p = (const uint8_t *)&ctx->client;
	for (i = 0; i < sizeof(ctx->client); i++) {
		if (p[i] != 0)
			zero = false;
	}
	/* the NT hash, the responses, the AUTHENTICATE: all gone */
	CU_ASSERT_TRUE(zero);
}

/* The client's answer to a CHALLENGE given in hex: NULL when it built
   an AUTHENTICATE, else its reason. */
static const char *client_refusal(const char *challenge_hex)
{
	const char *error = NULL;
	size_t len;
	int ret;

	if (ntlm_client_init(&ctx->client, &ctx->params, &error) < 0)
		return "ntlm_client_init() failed";
	len = test_hex(challenge_hex, ctx->buf, sizeof(ctx->buf));
	ret = ntlm_client_input(&ctx->client, ctx->buf, len, &error);
	ntlm_client_deinit(&ctx->client);
	return ret < 0 ? error : NULL;
}

/* Without the legacy provider the variants that need DES, and the key
   exchange (RC4), fail with ntlm_crypto_legacy_error(); NTLMv2 with a
   MIC needs only MD5. */
static void test_client_without_legacy(void)
{
	const char *legacy;

	if (test_crypto_drop_legacy()) {
		legacy = ntlm_crypto_legacy_error();
		params_nlmp(NTLM_CLIENT_V1);
		CU_ASSERT_PTR_EQUAL(client_refusal(NLMP_CHALLENGE_V1), legacy);
		params_nlmp(NTLM_CLIENT_ESS);
		CU_ASSERT_PTR_EQUAL(client_refusal(CHROMIUM_CHALLENGE_ESS),
				    legacy);
		params_nlmp(NTLM_CLIENT_V2);
		ctx->params.key_exchange = true;
		CU_ASSERT_PTR_EQUAL(client_refusal(NLMP_CHALLENGE_V2), legacy);
		params_nlmp(NTLM_CLIENT_V2);
		CU_ASSERT_PTR_NULL(client_refusal(NLMP_CHALLENGE_V2));
		params_nlmp(NTLM_CLIENT_LMV2);
		CU_ASSERT_PTR_NULL(client_refusal(NLMP_CHALLENGE_V2));
	}
	test_crypto_restore_legacy();
}

static const struct test_case client_tests[] = {
	{ "params defaults", test_client_params_defaults },
	{ "NEGOTIATE", test_client_negotiate },
	{ "NTLMv2 known answer (4.2.4 inputs)", test_client_v2_known_answer },
	{ "NTLMv2 with MIC", test_client_v2_mic },
	{ "NTLMv2 with a server timestamp", test_client_v2_server_timestamp },
	{ "NTLMv1, ESS, LMv2 known answers", test_client_v1_known_answers },
	{ "AUTHENTICATE flags match its fields",
	  test_client_flags_consistent },
	{ "anonymous", test_client_anonymous },
	{ "bad CHALLENGE", test_client_bad_challenge },
	{ "OEM names", test_client_oem },
	{ "exchanges with the server, every variant",
	  test_client_exchanges },
	{ "deinit wipes", test_client_deinit_wipes },
	{ "reasons without the legacy provider",
	  test_client_without_legacy },
};

int test_client_register(void)
{
	return test_register_suite("client", suite_init, suite_cleanup, client_tests,
				   N_ELEMENTS(client_tests));
}
