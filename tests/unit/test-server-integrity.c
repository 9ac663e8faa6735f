/* ntlm-server.c, tampering in flight (MIC, the blob), the echoed timestamp,
   clock skew, and AUTHENTICATE messages the server cannot use. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tamper_negotiate_flag(uint8_t *buf, size_t *len)
{
	(void)len;
	/* NEGOTIATE_IDENTIFY: a flag the server ignores, so only the MIC
	   can tell. */
	buf[14] ^= (uint8_t)(NTLM_FL_IDENTIFY >> 16);
}

static void tamper_challenge_version(uint8_t *buf, size_t *len)
{
	(void)len;
	/* VERSION build number of the CHALLENGE (offset 48 + 2) */
	buf[50] ^= 0x01;
}

static void tamper_mic(uint8_t *buf, size_t *len)
{
	(void)len;
	buf[NTLM_AUTH_MIC_OFFSET + 5] ^= 0x80;
}

/* Clear MsvAvFlags' MIC_PRESENT inside the NTLMv2 blob (drop-the-MIC,
   CVE-2019-1040): the proof covers the blob, so it no longer
   verifies. */
static void tamper_strip_mic_flag(uint8_t *buf, size_t *len)
{
	static const uint8_t pair[] = { 0x06, 0x00, 0x04, 0x00,
					0x02, 0x00, 0x00, 0x00 };
	size_t i;

	for (i = 0; i + sizeof(pair) <= *len; i++) {
		if (memcmp(buf + i, pair, sizeof(pair)) == 0) {
			buf[i + 4] = 0;
			return;
		}
	}
	CU_FAIL_FATAL("no MsvAvFlags pair in the AUTHENTICATE");
}

static void test_server_integrity(void)
{
	static const struct {
		const char *name;
		tamper_func *negotiate, *challenge, *authenticate;
		enum ntlm_error error;
	} cases[] = {
		{ .name = "NEGOTIATE flag changed in flight",
		  .negotiate = tamper_negotiate_flag,
		  .error = NTLM_ERR_INTEGRITY },
		{ .name = "CHALLENGE byte changed in flight",
		  .challenge = tamper_challenge_version,
		  .error = NTLM_ERR_INTEGRITY },
		{ .name = "MIC byte flipped", .authenticate = tamper_mic,
		  .error = NTLM_ERR_INTEGRITY },
		{ .name = "MIC_PRESENT cleared in the blob",
		  .authenticate = tamper_strip_mic_flag,
		  .error = NTLM_ERR_MISMATCH },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->wire.tamper_negotiate = cases[i].negotiate;
		ex->wire.tamper_challenge = cases[i].challenge;
		ex->wire.tamper_authenticate = cases[i].authenticate;
		exch_run();
		/* the proof itself is checked first: the hash was asked */
		CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
		ASSERT_FAILURE(cases[i].name, cases[i].error);
		CU_ASSERT_FALSE(ex->id.mic_verified);
	}
}

/* The CHALLENGE's MsvAvTimestamp changed in flight: the client echoes
   the changed value (and its proof is valid), the server notices. */
static void tamper_challenge_timestamp(uint8_t *buf, size_t *len)
{
	uint8_t pair[12];
	size_t i;

	pair[0] = NTLM_AV_TIMESTAMP;
	pair[1] = 0;
	pair[2] = 8;
	pair[3] = 0;
	for (i = 0; i < 8; i++)
		pair[4 + i] = (uint8_t)(TEST_NOW >> (8 * i));
	for (i = 0; i + sizeof(pair) <= *len; i++) {
		if (memcmp(buf + i, pair, sizeof(pair)) == 0) {
			/* one second later */
			buf[i + 4] ^= 0x80;
			return;
		}
	}
	CU_FAIL_FATAL("no MsvAvTimestamp in the CHALLENGE");
}

static void test_server_echoed_timestamp(void)
{
	static const bool mic[] = { true, false };
	unsigned int i;

	for (i = 0; i < sizeof(mic) / sizeof(mic[0]); i++) {
		exch_reset();
		ex->params.send_mic = mic[i];
		ex->wire.tamper_challenge = tamper_challenge_timestamp;
		exch_run();
		CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
		ASSERT_FAILURE("echoed timestamp changed", NTLM_ERR_INTEGRITY);
	}
}

/* AUTHENTICATE messages that are well-framed but unusable. Each is the
   client's message re-encoded with one change; all are refused as
   NTLM_ERR_MESSAGE before any hash is asked for. */
enum auth_edit {
	EDIT_USER_UNPAIRED_SURROGATE,
	EDIT_USER_EMBEDDED_NUL,
	EDIT_USER_TOO_LONG,
	EDIT_USER_EMPTY,
	EDIT_DOMAIN_ODD_LENGTH,
	EDIT_NT_30_BYTES,
	EDIT_NT_47_BYTES,
	EDIT_NT_16_BYTES,
	EDIT_ESS_LM_TOO_SHORT,
	EDIT_NO_RESPONSES,
};

static const struct {
	const char *name;
	enum ntlm_client_variant client;
	enum auth_edit edit;
} bad_auth_cases[] = {
	{ .name = "user name with an unpaired surrogate",
	  .client = NTLM_CLIENT_V2, .edit = EDIT_USER_UNPAIRED_SURROGATE },
	{ .name = "user name with an embedded NUL", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_USER_EMBEDDED_NUL },
	{ .name = "user name of 257 units", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_USER_TOO_LONG },
	{ .name = "empty user name with an NTLMv2 response",
	  .client = NTLM_CLIENT_V2, .edit = EDIT_USER_EMPTY },
	{ .name = "domain of odd length (Unicode)", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_DOMAIN_ODD_LENGTH },
	{ .name = "NT response of 30 bytes", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_NT_30_BYTES },
	{ .name = "NT response of 47 bytes", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_NT_47_BYTES },
	{ .name = "NT response of 16 bytes", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_NT_16_BYTES },
	{ .name = "ESS response with a 4-byte LM field",
	  .client = NTLM_CLIENT_ESS, .edit = EDIT_ESS_LM_TOO_SHORT },
	{ .name = "user but no responses at all", .client = NTLM_CLIENT_V2,
	  .edit = EDIT_NO_RESPONSES },
};

static void edit_authenticate(enum auth_edit edit)
{
	static uint8_t name[NTLM_MAX_NAME_UTF16 + 16];
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE];
	size_t i;

	authenticate_decode_copy(&msg, copy);
	switch (edit) {
	case EDIT_USER_UNPAIRED_SURROGATE:
		/* "U" D800 "r" */
		memcpy(name, "U\0\x00\xd8r\0", 6);
		msg.user.data = name;
		msg.user.len = 6;
		break;
	case EDIT_USER_EMBEDDED_NUL:
		memcpy(name, "U\0\0\0r\0", 6);
		msg.user.data = name;
		msg.user.len = 6;
		break;
	case EDIT_USER_TOO_LONG:
		for (i = 0; i < NTLM_MAX_NAME_UNITS + 1; i++) {
			name[2 * i] = 'a';
			name[2 * i + 1] = 0;
		}
		msg.user.data = name;
		msg.user.len = 2 * (NTLM_MAX_NAME_UNITS + 1);
		break;
	case EDIT_USER_EMPTY:
		msg.user.len = 0;
		break;
	case EDIT_DOMAIN_ODD_LENGTH:
		CU_ASSERT_FATAL(msg.domain.len > 1);
		msg.domain.len--;
		break;
	case EDIT_NT_30_BYTES:
		msg.nt_response.len = 30;
		break;
	case EDIT_NT_47_BYTES:
		msg.nt_response.len = 47;
		break;
	case EDIT_NT_16_BYTES:
		msg.nt_response.len = 16;
		break;
	case EDIT_ESS_LM_TOO_SHORT:
		msg.lm_response.len = 4;
		break;
	case EDIT_NO_RESPONSES:
		msg.lm_response.len = 0;
		msg.nt_response.len = 0;
		break;
	}
	authenticate_store(&msg);
}

static void test_server_bad_authenticate(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_auth_cases) / sizeof(bad_auth_cases[0]);
	     i++) {
		exch_reset();
		ex->config.policy.allow_ntlmv1_ess = true;
		ex->params.variant = bad_auth_cases[i].client;
		ex->params.send_mic = false;
		exch_start();
		edit_authenticate(bad_auth_cases[i].edit);
		exch_finish();
		ASSERT_FAILURE(bad_auth_cases[i].name, NTLM_ERR_MESSAGE);
		CU_ASSERT_EQUAL(ex->hash_requests, 0);
	}

	/* A blob announcing a MIC in a message with no room for one (the
	   MIC field dropped from the header, the flag kept): refused. */
	exch_reset();
	exch_start();
	rewrite_domain(NLMP_USER_DOM);	/* re-encoded without MIC field */
	exch_finish();
	/* The proof verifies (the blob is the client's), then the missing
	   field is a malformed message: never an integrity failure, and
	   never a success without the MIC. */
	ASSERT_FAILURE("MIC flag without MIC field", NTLM_ERR_MESSAGE);
	CU_ASSERT_EQUAL(ex->hash_requests, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->reason);
	CU_ASSERT_PTR_NOT_NULL(strstr(ex->reason, "MIC announced but the "
				      "header has no room for it"));
	CU_ASSERT_FALSE(ex->id.mic_verified);

	/* Outlook's AUTHENTICATE cut short, after a valid NEGOTIATE. */
	exch_reset();
	exch_start();
	{
		uint8_t buf[256];
		size_t len = test_base64(OXPOP3_AUTHENTICATE_B64, buf,
					 sizeof(buf));

		exch_finish_with(buf, len - 1);
		ASSERT_FAILURE("truncated AUTHENTICATE", NTLM_ERR_MESSAGE);
	}
}

static void test_server_clock_skew(void)
{
	static const struct {
		const char *name;
		int64_t offset_secs;
		unsigned int max_skew;
		bool ok;
	} cases[] = {
		{ .name = "2 h old, skew 3600", .offset_secs = -7200,
		  .max_skew = 3600, .ok = false },
		{ .name = "2 h ahead, skew 3600", .offset_secs = 7200,
		  .max_skew = 3600, .ok = false },
		{ .name = "30 min old, skew 3600", .offset_secs = -1800,
		  .max_skew = 3600, .ok = true },
		{ .name = "exactly at the limit", .offset_secs = -3600,
		  .max_skew = 3600, .ok = true },
		{ .name = "2 h old, check off (skew 0)", .offset_secs = -7200,
		  .max_skew = 0, .ok = true },
		{ .name = "10 years old, check off (skew 0)",
		  .offset_secs = -10LL * 365 * 86400, .max_skew = 0,
		  .ok = true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->config.policy.max_clock_skew_secs = cases[i].max_skew;
		ex->params.force_timestamp = true;
		ex->params.timestamp = (uint64_t)((int64_t)TEST_NOW +
			cases[i].offset_secs * (int64_t)TICKS_PER_SEC);
		exch_run();
		if (cases[i].ok) {
			ASSERT_SUCCESS(cases[i].name);
		} else {
			ASSERT_FAILURE(cases[i].name, NTLM_ERR_POLICY);
		}
	}
}

static const struct test_case server_integrity_tests[] = {
	{ "tampering gives INTEGRITY", test_server_integrity },
	{ "timestamp skew", test_server_clock_skew },
	{ "echoed MsvAvTimestamp changed", test_server_echoed_timestamp },
	{ "unusable AUTHENTICATE messages", test_server_bad_authenticate },
};

int test_server_integrity_register(void)
{
	return test_server_register_suite("server: integrity",
					  server_integrity_tests,
					  N_ELEMENTS(server_integrity_tests));
}
