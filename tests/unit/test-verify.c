/* ntlm-verify.c against the [MS-NLMP] 4.2 known answers, the Chromium
   end-to-end MIC vector, the policy table and FILETIME conversions. */

#include "test-common.h"
#include "vectors.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-selftest.h"
#include "ntlm-verify.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ASCII to UTF-16LE, for names in the tests. */
static void nlmp_challenges(uint8_t server[8], uint8_t client[8])
{
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_SERVER_CHALLENGE, server, 8), 8);
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_CLIENT_CHALLENGE, client, 8), 8);
}

static void test_verify_ntowfv1(void)
{
	const char *error;
	uint8_t hash[16];

	CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(NLMP_PASSWD, strlen(NLMP_PASSWD),
					   hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, NLMP_NTOWFV1);
	/* The empty password: MD4 of nothing. */
	CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("", 0, hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");
	/* len is honoured: only "Password" of "Password!". */
	CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("Password!", 8, hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, NLMP_NTOWFV1);
}

static void test_verify_lmowfv1(void)
{
	const char *error;
	uint8_t hash[16];

	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash(NLMP_PASSWD, strlen(NLMP_PASSWD),
					   hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, NLMP_LMOWFV1);
	/* The password is upper-cased first. */
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("PASSWORD", 8, hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, NLMP_LMOWFV1);
	/* The empty LM hash is the well-known aad3b435b51404ee twice. */
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("", 0, hash, &error), 0);
	TEST_ASSERT_HEX(hash, 16, "aad3b435b51404eeaad3b435b51404ee");
}

static void test_verify_ntlmv1_response(void)
{
	uint8_t server[8], client[8], hash[16], resp[24];
	const char *error = NULL;

	nlmp_challenges(server, client);
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV1, hash, 16), 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_desl(hash, server, resp, &error), 0);
	TEST_ASSERT_HEX(resp, 24, NLMP_NTLMV1_RESPONSE);

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_LMOWFV1, hash, 16), 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_desl(hash, server, resp, &error), 0);
	TEST_ASSERT_HEX(resp, 24, NLMP_LMV1_RESPONSE);
}

static void test_verify_ess_response(void)
{
	uint8_t server[8], client[8], chal[8], hash[16], resp[24];
	uint8_t digest[16], buf[16];
	const char *error = NULL;

	nlmp_challenges(server, client);
	CU_ASSERT_EQUAL_FATAL(ntlm_ess_challenge(server, client, chal,
						 &error), 0);
	/* MD5(ServerChallenge || ClientChallenge)[0..8] */
	memcpy(buf, server, 8);
	memcpy(buf + 8, client, 8);
	CU_ASSERT_EQUAL_FATAL(ntlm_md5(buf, 16, digest, &error), 0);
	CU_ASSERT_EQUAL(memcmp(chal, digest, 8), 0);

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV1, hash, 16), 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_desl(hash, chal, resp, &error), 0);
	TEST_ASSERT_HEX(resp, 24, NLMP_ESS_NT_RESPONSE);
}

static void test_verify_ntowfv2(void)
{
	static const struct {
		const char *user;
		const char *domain;
		const char *key;
	} cases[] = {
		{ NLMP_USER, NLMP_USER_DOM, NLMP_NTOWFV2 },
		/* the user name is upper-cased inside */
		{ "USER", NLMP_USER_DOM, NLMP_NTOWFV2 },
		{ "uSeR", NLMP_USER_DOM, NLMP_NTOWFV2 },
		/* the domain is not */
		{ NLMP_USER, "DOMAIN", NLMP_NTOWFV2_UPPER_DOMAIN },
		{ NLMP_USER, "", NLMP_NTOWFV2_EMPTY_DOMAIN },
	};
	uint8_t nt[16], key[16], user[64], domain[64];
	struct ntlm_slice user_s, domain_s;
	unsigned int i;
	const char *error = NULL;

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV1, nt, 16), 16);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		user_s.data = user;
		user_s.len = test_ascii_utf16(cases[i].user, user, sizeof(user));
		domain_s.data = domain;
		domain_s.len = test_ascii_utf16(cases[i].domain, domain,
					   sizeof(domain));
		memset(key, 0, sizeof(key));
		CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt, &user_s, &domain_s,
						   key, &error), 0);
		TEST_ASSERT_HEX(key, 16, cases[i].key);
		/* The caller's user buffer is not upper-cased in place. */
		CU_ASSERT_EQUAL(user[2], (uint8_t)cases[i].user[1]);
	}
}

static void test_verify_ntlmv2_proof(void)
{
	uint8_t server[8], client[8], key[16], proof[16], sbk[16];
	uint8_t temp[128];
	struct ntlm_slice blob;
	const char *error = NULL;

	nlmp_challenges(server, client);
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV2, key, 16), 16);
	blob.data = temp;
	blob.len = test_hex(NLMP_V2_TEMP, temp, sizeof(temp));
	CU_ASSERT_EQUAL_FATAL(blob.len, 68);

	CU_ASSERT_EQUAL_FATAL(ntlm_v2_proof(key, server, &blob, proof,
					    &error), 0);
	TEST_ASSERT_HEX(proof, 16, NLMP_NTPROOFSTR);

	CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key, proof, sbk, &error), 0);
	TEST_ASSERT_HEX(sbk, 16, NLMP_V2_SESSION_BASE_KEY);

	CU_ASSERT_EQUAL_FATAL(ntlm_lmv2_proof(key, server, client, proof,
					      &error), 0);
	TEST_ASSERT_HEX(proof, 16, NLMP_LMV2_PROOF);

	/* One bit of the blob changes the proof. */
	temp[20] ^= 0x01;
	CU_ASSERT_EQUAL_FATAL(ntlm_v2_proof(key, server, &blob, proof,
					    &error), 0);
	CU_ASSERT_FALSE(test_equal_hex(proof, 16, NLMP_NTPROOFSTR));
}

/* Non-ASCII passwords and user names. Expected values computed here
   with an independent MD4 / HMAC-MD5 and Python's simple upper-case
   mapping (the same as Unicode's for these characters). */
static void test_verify_unicode(void)
{
	static const struct {
		const char *password;
		const char *hash;
	} passwords[] = {
		{ "P\xc3\xa4ssword", "60da32612d814e31b59f18c43e1ce783" },
		/* U+20AC: one UTF-16 unit */
		{ "\xe2\x82\xacuro", "65a07986d69e1cb33d52eacab1a9322a" },
		/* U+1F600: a surrogate pair */
		{ "\xf0\x9f\x98\x80pw", "810ecc432030df99f64e27f13f1a092f" },
	};
	/* user (UTF-16LE hex), NTOWFv2 with domain "Domain" */
	static const struct {
		const char *name;
		const char *user_utf16;
		const char *key;
	} users[] = {
		/* j o-umlaut r g -> J O-umlaut R G (Latin-1) */
		{ "j\\u00f6rg", "6a00f60072006700",
		  "c2d3b7105a068ab7acaa2058078a6590" },
		/* sharp s has no simple upper case: unchanged */
		{ "\\u00df", "df00", "c43eac5a44dcf7f759650e6bf9b09e1c" },
		/* y-diaeresis -> U+0178 (Latin Extended-A) */
		{ "\\u00ffvan", "ff00760061006e00",
		  "f283d4835115452f4f9c48ddd487d797" },
		/* Greek, with tonos: U+03AF -> U+038A */
		{ "sofia (Greek)", "c303bf03c603af03b103",
		  "e2ff5dab6c51edda8bd5a249f6c5795b" },
		/* Cyrillic */
		{ "ivan (Cyrillic)", "3804320430043d04",
		  "ef889dd5343718d588f0e98187e22f0f" },
	};
	uint8_t hash[16], nt[16], key[16], user[64], domain[64];
	struct ntlm_slice user_s, domain_s;
	const char *error;
	unsigned int i;

	for (i = 0; i < sizeof(passwords) / sizeof(passwords[0]); i++) {
		memset(hash, 0, sizeof(hash));
		CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(passwords[i].password,
			strlen(passwords[i].password), hash, &error), 0);
		TEST_ASSERT_HEX(hash, 16, passwords[i].hash);
	}
	/* invalid UTF-8 is refused, not hashed */
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_nt_hash("P\xc3", 2, hash, &error), -1);
	CU_ASSERT_STRING_EQUAL(error,
			       "password is not valid UTF-8 or too long");

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV1, nt, 16), 16);
	domain_s.data = domain;
	domain_s.len = test_ascii_utf16(NLMP_USER_DOM, domain, sizeof(domain));
	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		user_s.data = user;
		user_s.len = test_hex(users[i].user_utf16, user, sizeof(user));
		memset(key, 0, sizeof(key));
		CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt, &user_s, &domain_s,
						   key, &error), 0);
		if (!test_equal_hex(key, 16, users[i].key)) {
			fprintf(stderr, "\nNTOWFv2 for user %s\n",
				users[i].name);
			CU_FAIL("NTOWFv2 of a non-ASCII user");
		}
	}
}

static void test_verify_lm_limits(void)
{
	const char *error;
	uint8_t a[16], b[16];

	/* not ASCII: refused */
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_lm_hash("P\xc3\xa4ssword", 9, a, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* ntlm-verify.h: at most 14 bytes. Windows keeps no LM hash for a
	   longer password, and truncating would let its 14-character
	   prefix log in, so longer ones are refused. */
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("ABCDEFGHIJKLMN", 14, b, &error), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("ABCDEFGHIJKLM", 13, a, &error), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, 16), 0);
	/* lower case hashes like upper case */
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("abcdefghijklmn", 14, a, &error), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, 16), 0);
	memset(a, 0x5a, sizeof(a));
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_lm_hash("abcdefghijklmnopq", 17, a, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	CU_ASSERT_EQUAL(ntlm_lm_hash("ABCDEFGHIJKLMNO", 15, a, &error), -1);
}

static void test_verify_selftest(void)
{
	const char *error = NULL;
	bool legacy = false;

	if (ntlm_selftest(&legacy, &error) != 0)
		fprintf(stderr, "\nselftest: %s\n", error);
	CU_ASSERT_EQUAL(ntlm_selftest(&legacy, &error), 0);
	CU_ASSERT_TRUE(legacy);
}

/* The Chromium vector, end to end: decode the AUTHENTICATE, recompute
   the proof from the 4.2 inputs, then the session key and the MIC. */
static void test_verify_chromium_mic(void)
{
	uint8_t neg[64], chal[256], auth[512], saved[512];
	uint8_t nt[16], key[16], proof[16], sbk[16], mic[16], server[8];
	struct ntlm_slice neg_s, chal_s, auth_s;
	struct ntlm_authenticate msg;
	struct ntlm_v2_response v2;
	const char *error = NULL;
	size_t neg_len, chal_len, auth_len;
	uint8_t user[64], domain[64];
	struct ntlm_slice user_s, domain_s;

	neg_len = test_hex(CHROMIUM_NEGOTIATE, neg, sizeof(neg));
	chal_len = test_hex(NLMP_CHALLENGE_V2, chal, sizeof(chal));
	auth_len = test_hex(CHROMIUM_AUTHENTICATE, auth, sizeof(auth));
	CU_ASSERT_EQUAL_FATAL(neg_len, 32);
	CU_ASSERT_EQUAL_FATAL(auth_len, 286);
	memcpy(saved, auth, auth_len);

	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(auth, auth_len, &msg,
						       &error), 0);
	CU_ASSERT_EQUAL(msg.flags, CHROMIUM_AUTHENTICATE_FLAGS);
	CU_ASSERT_EQUAL(msg.payload_start, 88);
	CU_ASSERT_TRUE_FATAL(msg.have_mic_field);
	CU_ASSERT_EQUAL_FATAL(msg.mic.len, 16);
	CU_ASSERT_PTR_EQUAL(msg.mic.data, auth + 72);
	CU_ASSERT_EQUAL_FATAL(msg.nt_response.len,
			      CHROMIUM_AUTHENTICATE_NT_LEN);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&msg.nt_response, &v2,
						      &error), 0);
	CU_ASSERT_EQUAL(v2.timestamp, CHROMIUM_CLIENT_TIMESTAMP);
	TEST_ASSERT_HEX(v2.client_challenge, 8, NLMP_CLIENT_CHALLENGE);
	TEST_ASSERT_HEX(v2.nt_proof.data, v2.nt_proof.len, CHROMIUM_V2_PROOF);
	CU_ASSERT_EQUAL(v2.blob.len, CHROMIUM_AUTHENTICATE_NT_LEN - 16);
	CU_ASSERT_PTR_EQUAL(v2.blob.data, msg.nt_response.data + 16);
	/* 5 pairs + EOL = 90 bytes */
	CU_ASSERT_EQUAL(v2.av_list.len, 90);

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTOWFV1, nt, 16), 16);
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_SERVER_CHALLENGE, server, 8), 8);
	user_s.data = user;
	user_s.len = test_ascii_utf16(NLMP_USER, user, sizeof(user));
	domain_s.data = domain;
	domain_s.len = test_ascii_utf16(NLMP_USER_DOM, domain, sizeof(domain));
	CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt, &user_s, &domain_s, key,
					   &error), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_v2_proof(key, server, &v2.blob, proof,
					    &error), 0);
	TEST_ASSERT_HEX(proof, 16, CHROMIUM_V2_PROOF);
	CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key, proof, sbk, &error), 0);
	TEST_ASSERT_HEX(sbk, 16, CHROMIUM_V2_SESSION_BASE_KEY);

	neg_s.data = neg;
	neg_s.len = neg_len;
	chal_s.data = chal;
	chal_s.len = chal_len;
	auth_s.data = auth;
	auth_s.len = auth_len;
	memset(mic, 0, sizeof(mic));
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s, &auth_s,
					       CHROMIUM_AUTHENTICATE_MIC_OFFSET,
					       mic, &error), 0);
	TEST_ASSERT_HEX(mic, 16, CHROMIUM_MIC);
	/* The MIC bytes in the buffer were taken as zero, not changed. */
	CU_ASSERT_EQUAL(memcmp(auth, saved, auth_len), 0);

	/* With the MIC field already zeroed: the same MIC. */
	memset(auth + 72, 0, 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s, &auth_s,
					       72, mic, &error), 0);
	TEST_ASSERT_HEX(mic, 16, CHROMIUM_MIC);

	/* Any one byte of the three messages changes it. */
	neg[12] ^= 0x01;
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s, &auth_s,
					       72, mic, &error), 0);
	CU_ASSERT_FALSE(test_equal_hex(mic, 16, CHROMIUM_MIC));
	neg[12] ^= 0x01;
	chal[50] ^= 0x01;
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s, &auth_s,
					       72, mic, &error), 0);
	CU_ASSERT_FALSE(test_equal_hex(mic, 16, CHROMIUM_MIC));
	chal[50] ^= 0x01;
	auth[285] ^= 0x01;
	CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg_s, &chal_s, &auth_s,
					       72, mic, &error), 0);
	CU_ASSERT_FALSE(test_equal_hex(mic, 16, CHROMIUM_MIC));
}

/* ntlm_policy_allows() for every variant under the strict defaults and
   under each single relaxation. */
enum policy_setting {
	SET_STRICT,
	SET_NO_LMV2,
	SET_NTLMV1_ESS,
	SET_NTLMV1,
	SET_LM,
	SET_ANONYMOUS,
	SET_REQUIRE_MIC,
	SET_ALL,
	SET_COUNT
};

static const char *const setting_names[SET_COUNT] = {
	"strict", "allow_lmv2 = no", "allow_ntlmv1_ess", "allow_ntlmv1",
	"allow_lm", "allow_anonymous", "require_mic",
	"everything allowed + require_mic"
};

static void policy_for(enum policy_setting setting, struct ntlm_policy *p)
{
	ntlm_policy_init_strict(p);
	switch (setting) {
	case SET_STRICT:
		break;
	case SET_NO_LMV2:
		p->allow_lmv2 = false;
		break;
	case SET_NTLMV1_ESS:
		p->allow_ntlmv1_ess = true;
		break;
	case SET_NTLMV1:
		p->allow_ntlmv1 = true;
		break;
	case SET_LM:
		p->allow_lm = true;
		break;
	case SET_ANONYMOUS:
		p->allow_anonymous = true;
		break;
	case SET_REQUIRE_MIC:
		p->require_mic = true;
		break;
	case SET_ALL:
		p->allow_ntlmv1_ess = true;
		p->allow_ntlmv1 = true;
		p->allow_lm = true;
		p->allow_anonymous = true;
		p->require_mic = true;
		break;
	case SET_COUNT:
		break;
	}
}

#define VARIANT_COUNT 7
static const enum ntlm_variant policy_variants[VARIANT_COUNT] = {
	NTLM_VARIANT_NTLMV2, NTLM_VARIANT_LMV2, NTLM_VARIANT_NTLMV1_ESS,
	NTLM_VARIANT_NTLMV1, NTLM_VARIANT_LM, NTLM_VARIANT_ANONYMOUS,
	NTLM_VARIANT_NONE,
};
/* The setting a refusal must name, per variant (NONE: no setting). */
static const char *const variant_setting[VARIANT_COUNT] = {
	NULL, "allow_lmv2", "allow_ntlmv1_ess", "allow_ntlmv1", "allow_lm",
	"allow_anonymous", NULL,
};

/* expected[setting][variant]: 1 = allowed */
static const bool policy_expected[SET_COUNT][VARIANT_COUNT] = {
	/*                 v2 lmv2 ess v1 lm anon none */
	[SET_STRICT]      = { 1, 1, 0, 0, 0, 0, 0 },
	[SET_NO_LMV2]     = { 1, 0, 0, 0, 0, 0, 0 },
	[SET_NTLMV1_ESS]  = { 1, 1, 1, 0, 0, 0, 0 },
	[SET_NTLMV1]      = { 1, 1, 0, 1, 0, 0, 0 },
	[SET_LM]          = { 1, 1, 0, 0, 1, 0, 0 },
	[SET_ANONYMOUS]   = { 1, 1, 0, 0, 0, 1, 0 },
	/* LMv2 cannot carry a MIC (CVE-2019-1338) */
	[SET_REQUIRE_MIC] = { 1, 0, 0, 0, 0, 0, 0 },
	[SET_ALL]         = { 1, 0, 1, 1, 1, 1, 0 },
};

/* MS-NLMP 4.2.2.2.3 and 4.2.4.2.3: EncryptedRandomSessionKey =
   RC4K(KeyExchangeKey, RandomSessionKey), and the server's way back. */
static void test_verify_session_key_exchange(void)
{
	static const struct {
		const char *name;
		const char *kxkey;
		const char *encrypted;
	} rows[] = {
		{ "4.2.2.2.3 NTLMv1, KXKEY = SessionBaseKey",
		  NLMP_V1_SESSION_BASE_KEY, NLMP_V1_ENC_SESSION_KEY },
		{ "4.2.2.2.3 NTLMv1, NON_NT_SESSION_KEY",
		  NLMP_V1_KXKEY_NON_NT, NLMP_V1_ENC_SESSION_KEY_NON_NT },
		{ "4.2.2.2.3 NTLMv1, LM_KEY",
		  NLMP_V1_KXKEY_LM_KEY, NLMP_V1_ENC_SESSION_KEY_LM_KEY },
		{ "4.2.4.2.3 NTLMv2, KXKEY = SessionBaseKey",
		  NLMP_V2_SESSION_BASE_KEY, NLMP_V2_ENC_SESSION_KEY },
	};
	uint8_t kxkey[16], random_key[16], enc[16], out[16];
	const char *error;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_RANDOM_SESSION_KEY, random_key,
				       16), 16);
	for (i = 0; i < N_ELEMENTS(rows); i++) {
		CU_ASSERT_EQUAL_FATAL(test_hex(rows[i].kxkey, kxkey, 16), 16);
		CU_ASSERT_EQUAL_FATAL(test_hex(rows[i].encrypted, enc, 16),
				      16);
		memset(out, 0, sizeof(out));
		ROW_ASSERT(rows[i].name,
			   ntlm_encrypt_session_key(kxkey, random_key,
						    out, &error) == 0);
		ROW_ASSERT(rows[i].name, memcmp(out, enc, 16) == 0);
		memset(out, 0, sizeof(out));
		ROW_ASSERT(rows[i].name,
			   ntlm_exported_session_key(kxkey, enc, out,
						     &error) == 0);
		ROW_ASSERT(rows[i].name, memcmp(out, random_key, 16) == 0);
	}

	/* The whole NTLMv2 chain of 4.2.4: NTOWFv2 -> NTProofStr ->
	   SessionBaseKey -> ExportedSessionKey from the encrypted key. */
	{
		uint8_t nt_hash[16], key[16], server[8], client[8];
		uint8_t temp[128], proof[16], sbk[16];
		uint8_t user[32], dom[32];
		struct ntlm_slice u, d, blob;

		nlmp_challenges(server, client);
		CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(NLMP_PASSWD,
				strlen(NLMP_PASSWD), nt_hash, &error), 0);
		u.data = user;
		u.len = test_ascii_utf16(NLMP_USER, user, sizeof(user));
		d.data = dom;
		d.len = test_ascii_utf16(NLMP_USER_DOM, dom, sizeof(dom));
		CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(nt_hash, &u, &d, key,
						   &error), 0);
		blob.data = temp;
		blob.len = test_hex(NLMP_V2_TEMP, temp, sizeof(temp));
		CU_ASSERT_EQUAL_FATAL(ntlm_v2_proof(key, server, &blob,
						    proof, &error), 0);
		CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key, proof, sbk,
							  &error), 0);
		TEST_ASSERT_HEX(sbk, 16, NLMP_V2_SESSION_BASE_KEY);
		CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_V2_ENC_SESSION_KEY, enc,
					       16), 16);
		CU_ASSERT_EQUAL_FATAL(ntlm_exported_session_key(sbk, enc, out,
								&error), 0);
		TEST_ASSERT_HEX(out, 16, NLMP_RANDOM_SESSION_KEY);
	}
}

static void test_verify_policy_defaults(void)
{
	struct ntlm_policy p;

	memset(&p, 0xff, sizeof(p));
	ntlm_policy_init_strict(&p);
	CU_ASSERT_TRUE(p.allow_lmv2);
	CU_ASSERT_FALSE(p.allow_ntlmv1_ess);
	CU_ASSERT_FALSE(p.allow_ntlmv1);
	CU_ASSERT_FALSE(p.allow_lm);
	CU_ASSERT_FALSE(p.allow_anonymous);
	CU_ASSERT_FALSE(p.require_mic);
	CU_ASSERT_EQUAL(p.max_clock_skew_secs, 3600);
}

static void test_verify_policy_table(void)
{
	unsigned int s, v;

	for (s = 0; s < SET_COUNT; s++) {
		struct ntlm_policy p;

		policy_for(s, &p);
		for (v = 0; v < VARIANT_COUNT; v++) {
			const char *reason = NULL;
			bool allowed;

			allowed = ntlm_policy_allows(&p, policy_variants[v],
						     &reason);
			if (allowed != policy_expected[s][v]) {
				CU_FAIL("policy table mismatch");
				fprintf(stderr, "\npolicy %s, %s: %s\n",
					setting_names[s],
					ntlm_variant_name(policy_variants[v]),
					allowed ? "allowed" : "refused");
				continue;
			}
			if (allowed)
				continue;
			CU_ASSERT_PTR_NOT_NULL_FATAL(reason);
			CU_ASSERT(reason[0] != '\0');
			if (s == SET_REQUIRE_MIC || s == SET_ALL) {
				if (policy_variants[v] == NTLM_VARIANT_LMV2) {
					CU_ASSERT_PTR_NOT_NULL(
						strstr(reason, "require_mic"));
					continue;
				}
			}
			if (variant_setting[v] != NULL) {
				CU_ASSERT_PTR_NOT_NULL(
					strstr(reason, variant_setting[v]));
			}
		}
	}
}

static void test_verify_variant_names(void)
{
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_NTLMV2),
			       "NTLMv2");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_LMV2), "LMv2");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_NTLMV1_ESS),
			       "NTLMv1-ESS");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_NTLMV1),
			       "NTLMv1");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_LM), "LM");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_ANONYMOUS),
			       "anonymous");
	CU_ASSERT_STRING_EQUAL(ntlm_variant_name(NTLM_VARIANT_NONE), "none");
}

static void test_verify_filetime(void)
{
	uint64_t now, expected;

	CU_ASSERT_EQUAL(ntlm_filetime_from_unix(0),
			NTLM_FILETIME_UNIX_OFFSET * 10000000ULL);
	CU_ASSERT_EQUAL(ntlm_filetime_from_unix(0), 116444736000000000ULL);
	/* Chromium's kClientTimestamp: Tue, 23 May 2017 20:13:07 +0000 */
	CU_ASSERT_EQUAL(ntlm_filetime_from_unix(1495570387ULL),
			CHROMIUM_CLIENT_TIMESTAMP);
	CU_ASSERT_EQUAL(ntlm_filetime_from_unix(1), 116444736010000000ULL);

	expected = ntlm_filetime_from_unix((uint64_t)time(NULL));
	now = ntlm_filetime_now();
	/* within 5 seconds, either way */
	CU_ASSERT(now + 50000000ULL >= expected);
	CU_ASSERT(now <= expected + 50000000ULL);
}

/* The arguments the verify layer refuses, each with its reason. */
static void test_verify_argument_reasons(void)
{
	uint8_t nt[16], key[16], mic[16], user[NTLM_MAX_NAME_UTF16 + 2];
	uint8_t auth[NTLM_AUTH_MIC_OFFSET + 16];
	struct ntlm_slice user_s, domain_s = { NULL, 0 };
	struct ntlm_slice empty = { NULL, 0 }, auth_s;
	const char *error;

	memset(nt, 0x11, sizeof(nt));
	memset(user, 'u', sizeof(user));
	user_s.data = user;
	/* the longest name a message can carry is hashed */
	user_s.len = NTLM_MAX_NAME_UTF16;
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_ntowfv2(nt, &user_s, &domain_s, key, &error), 0);
	CU_ASSERT_PTR_NULL(error);
	user_s.len = NTLM_MAX_NAME_UTF16 + 2;
	CU_ASSERT_EQUAL(ntlm_ntowfv2(nt, &user_s, &domain_s, key, &error),
			-1);
	TEST_ASSERT_REASON(error, "NTOWFv2: user name too long");
	error = NULL;
	user_s.len = 7;
	CU_ASSERT_EQUAL(ntlm_ntowfv2(nt, &user_s, &domain_s, key, &error),
			-1);
	TEST_ASSERT_REASON(error,
			   "NTOWFv2: user name of odd length is not UTF-16LE");

	/* a MIC needs 16 bytes at its offset */
	memset(auth, 0, sizeof(auth));
	auth_s.data = auth;
	auth_s.len = sizeof(auth);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_compute_mic(key, &empty, &empty, &auth_s,
					 NTLM_AUTH_MIC_OFFSET, mic, &error), 0);
	CU_ASSERT_PTR_NULL(error);
	auth_s.len = sizeof(auth) - 1;
	CU_ASSERT_EQUAL(ntlm_compute_mic(key, &empty, &empty, &auth_s,
					 NTLM_AUTH_MIC_OFFSET, mic, &error),
			-1);
	TEST_ASSERT_REASON(error, "MIC: the AUTHENTICATE has no 16 bytes at "
			   "the MIC offset");
	error = NULL;
	auth_s.len = sizeof(auth);
	CU_ASSERT_EQUAL(ntlm_compute_mic(key, &empty, &empty, &auth_s,
					 sizeof(auth) + 1, mic, &error), -1);
	TEST_ASSERT_REASON(error, "MIC: the AUTHENTICATE has no 16 bytes at "
			   "the MIC offset");
}

/* Without the legacy provider the functions built on MD4, DES or RC4
   fail with ntlm_crypto_legacy_error(), those on MD5 work, and the
   self-test passes without its MD4/DES part. */
static void test_verify_without_legacy(void)
{
	uint8_t a[8], b[8], key[16], out[24];
	struct ntlm_slice empty = { NULL, 0 };
	const char *legacy, *error;
	bool with_legacy = true;

	memset(a, 0x01, sizeof(a));
	memset(b, 0x02, sizeof(b));
	memset(key, 0x03, sizeof(key));
	if (test_crypto_drop_legacy()) {
		legacy = ntlm_crypto_legacy_error();
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_nt_hash("Password", 8, key, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_lm_hash("Password", 8, key, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_desl(key, a, out, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_exported_session_key(key, key, out,
							  &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_encrypt_session_key(key, key, out,
							 &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);

		error = NULL;
		CU_ASSERT_EQUAL(ntlm_ess_challenge(a, b, out, &error), 0);
		CU_ASSERT_EQUAL(ntlm_ntowfv2(key, &empty, &empty, out,
					     &error), 0);
		CU_ASSERT_EQUAL(ntlm_v2_proof(key, a, &empty, out, &error), 0);
		CU_ASSERT_EQUAL(ntlm_lmv2_proof(key, a, b, out, &error), 0);
		CU_ASSERT_EQUAL(ntlm_v2_session_key(key, key, out, &error), 0);
		CU_ASSERT_PTR_NULL(error);
		CU_ASSERT_EQUAL(ntlm_selftest(&with_legacy, &error), 0);
		CU_ASSERT_FALSE(with_legacy);
		CU_ASSERT_PTR_NULL(error);
	}
	test_crypto_restore_legacy();
}

static const struct test_case verify_tests[] = {
	{ "NTOWFv1 (4.2.2.1.2)", test_verify_ntowfv1 },
	{ "LMOWFv1 (4.2.2.1.1)", test_verify_lmowfv1 },
	{ "NTLMv1 and LMv1 responses (4.2.2.2)", test_verify_ntlmv1_response },
	{ "ESS NT response (4.2.3.2.2)", test_verify_ess_response },
	{ "NTOWFv2 and domain forms (4.2.4.1.1)", test_verify_ntowfv2 },
	{ "NTProofStr, LMv2, SessionBaseKey (4.2.4)",
	  test_verify_ntlmv2_proof },
	{ "non-ASCII passwords and user names", test_verify_unicode },
	{ "LMOWFv1 limits", test_verify_lm_limits },
	{ "start-up self-test", test_verify_selftest },
	{ "argument reasons", test_verify_argument_reasons },
	{ "reasons without the legacy provider",
	  test_verify_without_legacy },
	{ "Chromium end-to-end MIC vector", test_verify_chromium_mic },
	{ "session key exchange (4.2.2.2.3, 4.2.4.2.3)",
	  test_verify_session_key_exchange },
	{ "strict policy defaults", test_verify_policy_defaults },
	{ "policy: every variant x setting", test_verify_policy_table },
	{ "variant names", test_verify_variant_names },
	{ "FILETIME conversions", test_verify_filetime },
};

int test_verify_register(void)
{
	return test_register_suite("verify", NULL, NULL, verify_tests,
				   N_ELEMENTS(verify_tests));
}
