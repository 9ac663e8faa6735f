/* ntlm-server.c, the AUTHENTICATE's flags against what the CHALLENGE granted
   (table), key exchange and the MIC under the ExportedSessionKey, the [MS-
   NLMP] 4.2.4.3 AUTHENTICATE and Outlook's flags. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t get_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
		((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Re-encode the client's AUTHENTICATE with an EncryptedRandomSessionKey
   of len bytes (the real one first, then 0x42), keeping its flags. */
static void rewrite_session_key(size_t len)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE], key[32];

	CU_ASSERT_FATAL(len <= sizeof(key));
	authenticate_decode_copy(&msg, copy);
	memset(key, 0x42, sizeof(key));
	if (msg.encrypted_session_key.len > 0)
		memcpy(key, msg.encrypted_session_key.data,
		       msg.encrypted_session_key.len < len ?
		       msg.encrypted_session_key.len : len);
	msg.encrypted_session_key.data = key;
	msg.encrypted_session_key.len = len;
	authenticate_store(&msg);
}

enum auth_flag_edit {
	AF_OR,		/* the client's flags | value */
	AF_AND_NOT,	/* the client's flags & ~value */
	AF_SET,		/* value */
};

static const struct auth_flag_case {
	const char *name;
	/* the client: extra NEGOTIATE flags, key exchange, anonymous */
	uint32_t request;
	bool key_exchange;
	bool anonymous;
	/* the edit: EncryptedRandomSessionKey length (-1 as built), then
	   the flags */
	int key_len;
	enum auth_flag_edit edit;
	uint32_t value;
	bool ok;
	/* the server sends no VERSION (ntlm_send_version = no) */
	bool no_version;
} auth_flag_cases[] = {
	{ .name = "as built", .key_len = -1, .edit = AF_OR, .value = 0,
	  .ok = true },
	{ .name = "0xffffffff", .key_len = -1, .edit = AF_SET,
	  .value = 0xffffffffU, .ok = false },
	{ .name = "0xffffffff after sign/seal/key exchange were granted",
	  .request = NTLM_FL_SIGN | NTLM_FL_SEAL, .key_exchange = true,
	  .key_len = -1, .edit = AF_SET, .value = 0xffffffffU, .ok = false },
	{ .name = "UNICODE and OEM together", .key_len = -1, .edit = AF_OR,
	  .value = NTLM_FL_OEM, .ok = false },
	{ .name = "ANONYMOUS with a user name and real responses",
	  .key_len = -1, .edit = AF_OR, .value = NTLM_FL_ANONYMOUS,
	  .ok = false },
	{ .name = "DATAGRAM (never offered)", .key_len = -1, .edit = AF_OR,
	  .value = NTLM_FL_DATAGRAM, .ok = false },
	{ .name = "LM_KEY (not offered with ESS)", .request = NTLM_FL_LM_KEY,
	  .key_len = -1, .edit = AF_OR, .value = NTLM_FL_LM_KEY, .ok = false },
	{ .name = "SIGN that was not asked for", .key_len = -1, .edit = AF_OR,
	  .value = NTLM_FL_SIGN, .ok = false },
	{ .name = "SEAL that was not asked for", .request = NTLM_FL_SIGN,
	  .key_len = -1, .edit = AF_OR, .value = NTLM_FL_SEAL, .ok = false },
	{ .name = "KEY_EXCH that was not asked for, 16-byte key",
	  .key_len = 16, .edit = AF_OR, .value = NTLM_FL_KEY_EXCH,
	  .ok = false },
	{ .name = "REQUEST_NON_NT_SESSION_KEY", .key_len = -1, .edit = AF_OR,
	  .value = NTLM_FL_REQUEST_NON_NT_SESSION_KEY, .ok = false },
	{ .name = "TARGET_TYPE_SERVER (the CHALLENGE said domain)",
	  .key_len = -1, .edit = AF_OR, .value = NTLM_FL_TARGET_TYPE_SERVER,
	  .ok = false },
	{ .name = "IDENTIFY that was not asked for", .key_len = -1,
	  .edit = AF_OR, .value = NTLM_FL_IDENTIFY, .ok = false },
	{ .name = "VERSION and OEM_*_SUPPLIED describe the message",
	  .key_len = -1, .edit = AF_OR,
	  .value = NTLM_FL_VERSION | NTLM_FL_OEM_DOMAIN_SUPPLIED |
	    NTLM_FL_OEM_WORKSTATION_SUPPLIED, .ok = true },
	{ .name = "VERSION although the CHALLENGE had none", .key_len = -1,
	  .edit = AF_OR, .value = NTLM_FL_VERSION, .ok = true,
	  .no_version = true },
	{ .name = "granted flags dropped",
	  .request = NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_IDENTIFY,
	  .key_len = -1, .edit = AF_AND_NOT,
	  .value = NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_IDENTIFY |
	    NTLM_FL_128 | NTLM_FL_56 | NTLM_FL_ALWAYS_SIGN |
	    NTLM_FL_TARGET_INFO, .ok = true },
	{ .name = "no character set: the CHALLENGE's applies", .key_len = -1,
	  .edit = AF_AND_NOT, .value = NTLM_FL_UNICODE, .ok = true },
	{ .name = "sign, seal, key exchange granted and used",
	  .request = NTLM_FL_SIGN | NTLM_FL_SEAL, .key_exchange = true,
	  .key_len = -1, .edit = AF_OR, .value = 0, .ok = true },
	{ .name = "flags 0: the CHALLENGE's apply", .key_len = -1,
	  .edit = AF_SET, .value = 0, .ok = true },
	{ .name = "flags 0, KEY_EXCH granted, no key: no key exchange",
	  .request = NTLM_FL_KEY_EXCH, .key_len = -1, .edit = AF_SET,
	  .value = 0, .ok = true },
	{ .name = "flags 0, KEY_EXCH granted, 16-byte key",
	  .request = NTLM_FL_SIGN, .key_exchange = true, .key_len = -1,
	  .edit = AF_SET, .value = 0, .ok = true },
	{ .name = "flags 0, KEY_EXCH granted, 8-byte key",
	  .request = NTLM_FL_SIGN, .key_exchange = true, .key_len = 8,
	  .edit = AF_SET, .value = 0, .ok = false },
	{ .name = "KEY_EXCH without a key", .request = NTLM_FL_KEY_EXCH,
	  .key_len = 0, .edit = AF_OR, .value = NTLM_FL_KEY_EXCH,
	  .ok = false },
	{ .name = "KEY_EXCH with a 15-byte key", .key_exchange = true,
	  .key_len = 15, .edit = AF_OR, .value = 0, .ok = false },
	{ .name = "KEY_EXCH with a 17-byte key", .key_exchange = true,
	  .key_len = 17, .edit = AF_OR, .value = 0, .ok = false },
	{ .name = "KEY_EXCH with a 32-byte key", .key_exchange = true,
	  .key_len = 32, .edit = AF_OR, .value = 0, .ok = false },
	{ .name = "a key without KEY_EXCH is not used", .key_len = 16,
	  .edit = AF_OR, .value = 0, .ok = true },
	{ .name = "ANONYMOUS with anonymous responses", .anonymous = true,
	  .key_len = -1, .edit = AF_OR, .value = NTLM_FL_ANONYMOUS,
	  .ok = true },
	{ .name = "anonymous, 0xffffffff", .anonymous = true, .key_len = -1,
	  .edit = AF_SET, .value = 0xffffffffU, .ok = false },
};

static void test_server_auth_flag_table(void)
{
	unsigned int i;
	uint32_t flags;

	for (i = 0; i < N_ELEMENTS(auth_flag_cases); i++) {
		const struct auth_flag_case *c = &auth_flag_cases[i];

		exch_reset();
		/* the edits invalidate a MIC; MICs are tested below */
		ex->params.send_mic = false;
		ex->params.request_flags = c->request;
		ex->params.key_exchange = c->key_exchange;
		if (c->no_version)
			ex->config.send_version = false;
		if (c->anonymous) {
			ex->config.policy.allow_anonymous = true;
			ex->params.variant = NTLM_CLIENT_ANONYMOUS;
			ex->params.user = NULL;
			ex->params.domain = NULL;
		}
		exch_start();
		if (c->key_len >= 0)
			rewrite_session_key((size_t)c->key_len);
		flags = get_u32le(ex->wire.authenticate + 60);
		switch (c->edit) {
		case AF_OR:
			flags |= c->value;
			break;
		case AF_AND_NOT:
			flags &= ~c->value;
			break;
		case AF_SET:
			flags = c->value;
			break;
		}
		put_u32le(ex->wire.authenticate + 60, flags);
		exch_finish();
		if (c->ok) {
			ASSERT_SUCCESS(c->name);
		} else {
			ASSERT_FAILURE(c->name, NTLM_ERR_MESSAGE);
			/* refused straight from the AUTHENTICATE, before any
			   hash was asked for */
			ROW_ASSERT(c->name,
				   ex->auth_action == NTLM_SERVER_FAILURE);
			ROW_ASSERT(c->name, ex->hash_requests == 0);
			ROW_ASSERT(c->name, ex->reason != NULL &&
				   strstr(ex->reason, "MS-NLMP") != NULL);
		}
	}
}

/* With NEGOTIATE_KEY_EXCH the MIC is keyed with the client's random
   ExportedSessionKey, not the SessionBaseKey (MS-NLMP 3.2.5.1.2). */
static void test_server_key_exchange_mic(void)
{
	static const struct {
		const char *name;
		bool key_exchange;
		bool send_mic;
		bool require_mic;
	} cases[] = {
		{ .name = "key exchange, MIC", .key_exchange = true,
		  .send_mic = true, .require_mic = false },
		{ .name = "key exchange, MIC, require_mic",
		  .key_exchange = true, .send_mic = true,
		  .require_mic = true },
		{ .name = "key exchange, no MIC", .key_exchange = true,
		  .send_mic = false, .require_mic = false },
		{ .name = "no key exchange, MIC, require_mic",
		  .key_exchange = false, .send_mic = true,
		  .require_mic = true },
	};
	uint8_t random_key[16], sbk[16], key[16], mic[16];
	uint8_t user[32], dom[32];
	struct ntlm_authenticate msg;
	struct ntlm_v2_response v2;
	struct ntlm_slice neg, chal, auth, u, d;
	const char *error = NULL;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_RANDOM_SESSION_KEY, random_key,
				       16), 16);
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		exch_reset();
		ex->config.policy.require_mic = cases[i].require_mic;
		ex->params.request_flags = NTLM_FL_SIGN | NTLM_FL_SEAL;
		ex->params.key_exchange = cases[i].key_exchange;
		ex->params.random_session_key = random_key;
		ex->params.send_mic = cases[i].send_mic;
		exch_start();

		/* the client did what the row says */
		CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(
				ex->wire.authenticate,
				ex->wire.authenticate_len, &msg, &error), 0);
		ROW_ASSERT(cases[i].name, ((msg.flags & NTLM_FL_KEY_EXCH) != 0)
			   == cases[i].key_exchange);
		ROW_ASSERT(cases[i].name, (msg.flags & NTLM_FL_SIGN) != 0);
		ROW_ASSERT(cases[i].name, (msg.flags & NTLM_FL_SEAL) != 0);
		ROW_ASSERT(cases[i].name, msg.encrypted_session_key.len ==
			   (cases[i].key_exchange ? 16U : 0U));
		if (cases[i].key_exchange && cases[i].send_mic) {
			/* recompute both candidate MICs here: the message
			   carries the one keyed with the random key */
			CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(
					&msg.nt_response, &v2, &error), 0);
			u.data = user;
			u.len = test_ascii_utf16(NLMP_USER, user,
						 sizeof(user));
			d.data = dom;
			d.len = test_ascii_utf16(NLMP_USER_DOM, dom,
						 sizeof(dom));
			CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(ex->nt_hash, &u, &d,
							   key, &error), 0);
			CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key,
					v2.nt_proof.data, sbk, &error), 0);
			neg.data = ex->wire.negotiate;
			neg.len = ex->wire.negotiate_len;
			chal.data = ex->wire.challenge;
			chal.len = ex->wire.challenge_len;
			auth.data = ex->wire.authenticate;
			auth.len = ex->wire.authenticate_len;
			CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(random_key,
					&neg, &chal, &auth,
					NTLM_AUTH_MIC_OFFSET, mic, &error),
					0);
			CU_ASSERT_EQUAL(memcmp(mic, msg.mic.data, 16), 0);
			CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg, &chal,
					&auth, NTLM_AUTH_MIC_OFFSET, mic,
					&error), 0);
			CU_ASSERT_NOT_EQUAL(memcmp(mic, msg.mic.data, 16), 0);
			/* and the key travels as RC4K(SessionBaseKey) */
			CU_ASSERT_EQUAL_FATAL(ntlm_exported_session_key(sbk,
					msg.encrypted_session_key.data, key,
					&error), 0);
			CU_ASSERT_EQUAL(memcmp(key, random_key, 16), 0);
		}

		exch_finish();
		ASSERT_SUCCESS(cases[i].name);
		ROW_ASSERT(cases[i].name,
			   ex->id.mic_verified == cases[i].send_mic);
		ROW_ASSERT(cases[i].name, ex->id.key_exchanged ==
			   (cases[i].key_exchange && cases[i].send_mic));
	}

	/* A different EncryptedRandomSessionKey of the right length gives
	   another ExportedSessionKey: the MIC no longer matches. */
	exch_reset();
	ex->params.request_flags = NTLM_FL_SIGN;
	ex->params.key_exchange = true;
	ex->params.random_session_key = random_key;
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(ex->wire.authenticate,
			ex->wire.authenticate_len, &msg, &error), 0);
	CU_ASSERT_EQUAL_FATAL(msg.encrypted_session_key.len, 16);
	ex->wire.authenticate[msg.encrypted_session_key.data -
			 ex->wire.authenticate] ^= 0x01;
	exch_finish();
	ASSERT_FAILURE("EncryptedRandomSessionKey changed", NTLM_ERR_INTEGRITY);
	CU_ASSERT_EQUAL(ex->hash_requests, 1);
	CU_ASSERT_FALSE(ex->id.mic_verified);
}

/* Outlook's messages of [MS-OXPOP3] 4.1 against this server: its
   AUTHENTICATE's flags (0xa2888205) keep the rule for the CHALLENGE its
   NEGOTIATE gets here, so the hash is asked for (the response, NTLMv1
   with ESS, was made for Exchange's challenge and does not verify). */
static void test_server_outlook_flags(void)
{
	uint8_t neg[64], auth[512];
	size_t neg_len, auth_len;

	exch_reset();
	ex->config.policy.allow_ntlmv1_ess = true;
	neg_len = test_base64(OXPOP3_NEGOTIATE_B64, neg, sizeof(neg));
	auth_len = test_base64(OXPOP3_AUTHENTICATE_B64, auth, sizeof(auth));
	ntlm_server_init_fixed(&ex->wire.server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->wire.server, neg, neg_len),
			      NTLM_SERVER_SEND);
	CU_ASSERT_EQUAL(get_u32le(auth + 60), OXPOP3_AUTHENTICATE_FLAGS);
	ex->auth_action = ntlm_server_input(&ex->wire.server, auth, auth_len);
	ex->error = ntlm_server_error(&ex->wire.server, &ex->reason);
	if (ex->auth_action != NTLM_SERVER_NEED_HASH)
		fprintf(stderr, "\nOutlook AUTHENTICATE: %s: %s\n",
			ntlm_error_name(ex->error), ex->reason);
	CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
	ntlm_server_get_identity(&ex->wire.server, &ex->id);
	CU_ASSERT_EQUAL(ex->id.flags, OXPOP3_AUTHENTICATE_FLAGS);
	ntlm_server_user_unknown(&ex->wire.server);
}

/* The [MS-NLMP] 4.2.4.3 AUTHENTICATE, rebuilt from its 4.2.4.2 parts:
   flags 0xe2888235 (KEY_EXCH, SIGN, SEAL, ...) and the 4.2.4.2.3
   EncryptedRandomSessionKey, against a server whose CHALLENGE used the
   spec's server challenge and granted those flags. */
static void test_server_nlmp_key_exchange(void)
{
	static const struct ntlm_version spec_version = {
		.major = 6, .minor = 0, .build = 6000, .revision = 15,
	};
	struct ntlm_authenticate msg;
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	uint8_t lm[24], nt[16 + 128], key[16], user[32], dom[32];
	uint8_t ws[32];
	const char *error = NULL;
	size_t len;
	unsigned int key_len;

	for (key_len = 14; key_len <= 16; key_len++) {
		exch_reset();
		/* the blob's Time is 0 */
		ex->config.policy.max_clock_skew_secs = 0;
		CU_ASSERT_EQUAL_FATAL(
			exch_negotiate_flags(NLMP_AUTHENTICATE_V2_FLAGS),
			NTLM_SERVER_SEND);
		decode_server_challenge(&chal, &info);
		CU_ASSERT_EQUAL(chal.flags & NLMP_AUTHENTICATE_V2_FLAGS,
				NLMP_AUTHENTICATE_V2_FLAGS);

		memset(&msg, 0, sizeof(msg));
		msg.flags = NLMP_AUTHENTICATE_V2_FLAGS;
		msg.lm_response.data = lm;
		msg.lm_response.len = test_hex(NLMP_LMV2_RESPONSE, lm,
					       sizeof(lm));
		CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTPROOFSTR, nt, 16), 16);
		msg.nt_response.data = nt;
		msg.nt_response.len = 16 + test_hex(NLMP_V2_TEMP, nt + 16,
						    sizeof(nt) - 16);
		msg.domain.data = dom;
		msg.domain.len = test_ascii_utf16(NLMP_USER_DOM, dom,
						  sizeof(dom));
		msg.user.data = user;
		msg.user.len = test_ascii_utf16(NLMP_USER, user, sizeof(user));
		msg.workstation.data = ws;
		msg.workstation.len = test_ascii_utf16(NLMP_WORKSTATION, ws,
						       sizeof(ws));
		CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_V2_ENC_SESSION_KEY, key,
					       16), 16);
		msg.encrypted_session_key.data = key;
		msg.encrypted_session_key.len = key_len;
		CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
				&spec_version, false, ex->wire.authenticate,
				sizeof(ex->wire.authenticate), &len, NULL,
				&error), 0);
		ex->wire.authenticate_len = len;
		exch_finish();
		if (key_len == 16) {
			ASSERT_SUCCESS("MS-NLMP 4.2.4.3 AUTHENTICATE");
			CU_ASSERT_EQUAL(ex->id.variant, NTLM_VARIANT_NTLMV2);
			CU_ASSERT_EQUAL(ex->id.flags,
					NLMP_AUTHENTICATE_V2_FLAGS);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain_form);
			CU_ASSERT_STRING_EQUAL(ex->id.domain_form, "as sent");
		} else {
			ASSERT_FAILURE("MS-NLMP 4.2.4.3 AUTHENTICATE, short "
				       "key", NTLM_ERR_MESSAGE);
			CU_ASSERT_EQUAL(ex->hash_requests, 0);
		}
	}
}

static const struct test_case server_flags_tests[] = {
	{ "AUTHENTICATE flags against the negotiation (table)",
	  test_server_auth_flag_table },
	{ "key exchange: the MIC under the ExportedSessionKey",
	  test_server_key_exchange_mic },
	{ "MS-NLMP 4.2.4.3 AUTHENTICATE with key exchange",
	  test_server_nlmp_key_exchange },
	{ "Outlook's AUTHENTICATE flags keep the rule",
	  test_server_outlook_flags },
};

int test_server_flags_register(void)
{
	return test_server_register_suite("server: AUTHENTICATE flags",
					  server_flags_tests,
					  N_ELEMENTS(server_flags_tests));
}
