/* Known answers for the primitives in ntlm-crypto.c: MD4 (RFC 1320),
   MD5 (RFC 1321), HMAC-MD5 (RFC 2202), DES with a 7-byte key (the LM
   hash halves of [MS-NLMP] 4.2.2.1.1), and the helpers. */

#include "test-common.h"
#include "ntlm-crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct digest_case {
	const char *input;
	const char *digest;
};

/* RFC 1320 A.5 */
static const struct digest_case md4_cases[] = {
	{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
	{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
	{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
	{ "message digest", "d9130a8164549fe818874806e1c7014b" },
	{ "abcdefghijklmnopqrstuvwxyz",
	  "d79e1c308aa5bbcdeea8ed63df412da9" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "043f8582f241db351ce627e153e7f0e4" },
	{ "1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567890",
	  "e33b4ddc9c38f2199c3e7b164fcc0536" },
};

/* RFC 1321 A.5 */
static const struct digest_case md5_cases[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz",
	  "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
};

/* RFC 2202 section 2. Keys and data are hex; cases 6 and 7 use a key
   longer than the block (80 bytes), which the API does not take: RFC 2104
   replaces such a key with its MD5, so the test passes MD5(0xaa x 80)
   and must get the same MAC. */
struct hmac_case {
	const char *name;
	const char *key;
	bool hash_key;
	const char *data;
	const char *mac;
};

#define HEX_AA_80 \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HEX_DD_50 \
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd" \
	"dddddddddddddddddddddddddddddddddddd"
#define HEX_CD_50 \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd" \
	"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"

static const struct hmac_case hmac_cases[] = {
	{ "RFC 2202 case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", false,
	  "4869205468657265" /* "Hi There" */,
	  "9294727a3638bb1c13f48ef8158bfc9d" },
	{ "RFC 2202 case 2", "4a656665" /* "Jefe" */, false,
	  /* "what do ya want for nothing?" */
	  "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
	  "750c783e6ab0b503eaa86e310a5db738" },
	{ "RFC 2202 case 3", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false,
	  HEX_DD_50, "56be34521d144c88dbb8c733f0e8b3f6" },
	{ "RFC 2202 case 4",
	  "0102030405060708090a0b0c0d0e0f10111213141516171819", false,
	  HEX_CD_50, "697eaf0aca3a3aea3a75164746ffaa79" },
	{ "RFC 2202 case 5", "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", false,
	  /* "Test With Truncation" */
	  "546573742057697468205472756e636174696f6e",
	  "56461ef2342edc00f9bab995690efd4c" },
	{ "RFC 2202 case 6 (pre-hashed 80-byte key)", HEX_AA_80, true,
	  /* "Test Using Larger Than Block-Size Key - Hash Key First" */
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53"
	  "697a65204b6579202d2048617368204b6579204669727374",
	  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
	{ "RFC 2202 case 7 (pre-hashed 80-byte key)", HEX_AA_80, true,
	  /* "Test Using Larger Than Block-Size Key and Larger Than One
	     Block-Size Data" */
	  "54657374205573696e67204c6172676572205468616e20426c6f636b2d53"
	  "697a65204b657920616e64204c6172676572205468616e204f6e6520426c"
	  "6f636b2d53697a652044617461",
	  "6f630fad67cda0ee1fb1f562db3aa53e" },
};

/* DES(K, D) of MS-NLMP 6 with a 7-byte key: the two halves of LMOWFv1
   ("PASSWOR" and "D" + Z(6) over "KGS!@#$%", [MS-NLMP] 4.2.2.1.1), and
   the well-known half of the empty LM hash (Z(7)). */
struct des_case {
	const char *key7;
	const char *in;
	const char *out;
};

static const struct des_case des_cases[] = {
	{ "50415353574f52", "4b47532140232425", "e52cac67419a9a22" },
	{ "44000000000000", "4b47532140232425", "4a3b108f3fa6cb6d" },
	{ "00000000000000", "4b47532140232425", "aad3b435b51404ee" },
	/* [MS-NLMP] 4.2.2.2.1: the first block of the NTLMv1 response,
	   DES(NTOWFv1[0..7], ServerChallenge). */
	{ "a4f49c406510bd", "0123456789abcdef", "67c43011f30298a2" },
};

static void test_crypto_legacy_available(void)
{
	/* The tests below need MD4 and DES; on the supported platforms
	   (OpenSSL 3 with the legacy provider) they are there. */
	CU_ASSERT_PTR_NULL(ntlm_crypto_legacy_error());
}

static void test_crypto_md4(void)
{
	unsigned int i;
	const char *error = NULL;

	for (i = 0; i < sizeof(md4_cases) / sizeof(md4_cases[0]); i++) {
		const struct digest_case *c = &md4_cases[i];
		uint8_t digest[16];

		memset(digest, 0, sizeof(digest));
		CU_ASSERT_EQUAL_FATAL(ntlm_md4(c->input, strlen(c->input),
					       digest, &error), 0);
		TEST_ASSERT_HEX(digest, sizeof(digest), c->digest);
	}
}

static void test_crypto_md5(void)
{
	unsigned int i;
	const char *error = NULL;

	for (i = 0; i < sizeof(md5_cases) / sizeof(md5_cases[0]); i++) {
		const struct digest_case *c = &md5_cases[i];
		uint8_t digest[16];

		memset(digest, 0, sizeof(digest));
		CU_ASSERT_EQUAL_FATAL(ntlm_md5(c->input, strlen(c->input),
					       digest, &error), 0);
		TEST_ASSERT_HEX(digest, sizeof(digest), c->digest);
	}
}

static void test_crypto_hmac_md5(void)
{
	unsigned int i;
	const char *error = NULL;

	for (i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]); i++) {
		const struct hmac_case *c = &hmac_cases[i];
		uint8_t key[128], data[128], mac[16];
		size_t key_len, data_len;
		struct ntlm_slice part;

		key_len = test_hex(c->key, key, sizeof(key));
		data_len = test_hex(c->data, data, sizeof(data));
		if (c->hash_key) {
			uint8_t digest[16];

			CU_ASSERT_EQUAL_FATAL(ntlm_md5(key, key_len, digest,
						       &error), 0);
			memcpy(key, digest, sizeof(digest));
			key_len = sizeof(digest);
		}
		part.data = data;
		part.len = data_len;
		memset(mac, 0, sizeof(mac));
		CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5(key, key_len, &part, 1,
						    mac, &error), 0);
		if (!test_equal_hex(mac, sizeof(mac), c->mac))
			CU_FAIL(c->name);
	}
}

static void test_crypto_hmac_md5_parts(void)
{
	/* RFC 2202 case 2 split three ways, with an empty part in the
	   middle and one at the end: same MAC as in one piece. */
	static const char data[] = "what do ya want for nothing?";
	struct ntlm_slice parts[5];
	uint8_t whole[16], split[16];
	unsigned int cut1, cut2;
	const char *error = NULL;

	parts[0].data = (const uint8_t *)data;
	parts[0].len = sizeof(data) - 1;
	CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5((const uint8_t *)"Jefe", 4,
					    parts, 1, whole, &error), 0);
	TEST_ASSERT_HEX(whole, sizeof(whole),
			"750c783e6ab0b503eaa86e310a5db738");

	for (cut1 = 0; cut1 <= sizeof(data) - 1; cut1 += 3) {
		for (cut2 = cut1; cut2 <= sizeof(data) - 1; cut2 += 5) {
			parts[0].data = (const uint8_t *)data;
			parts[0].len = cut1;
			parts[1].data = (const uint8_t *)data + cut1;
			parts[1].len = 0;
			parts[2].data = (const uint8_t *)data + cut1;
			parts[2].len = cut2 - cut1;
			parts[3].data = (const uint8_t *)data + cut2;
			parts[3].len = sizeof(data) - 1 - cut2;
			parts[4].data = NULL;
			parts[4].len = 0;
			memset(split, 0, sizeof(split));
			CU_ASSERT_EQUAL_FATAL(
				ntlm_hmac_md5((const uint8_t *)"Jefe", 4,
					      parts, 5, split, &error), 0);
			CU_ASSERT_EQUAL(memcmp(split, whole, 16), 0);
		}
	}

	/* No parts at all: HMAC-MD5 of the empty message. */
	CU_ASSERT_EQUAL_FATAL(ntlm_hmac_md5((const uint8_t *)"Jefe", 4,
					    parts, 0, split, &error), 0);
	TEST_ASSERT_HEX(split, sizeof(split),
			"60b57da4237ed7c91b475eddf0e798d3");
}

static void test_crypto_des7(void)
{
	unsigned int i;
	const char *error = NULL;

	for (i = 0; i < sizeof(des_cases) / sizeof(des_cases[0]); i++) {
		const struct des_case *c = &des_cases[i];
		uint8_t key[7], in[8], out[8];

		CU_ASSERT_EQUAL_FATAL(test_hex(c->key7, key, sizeof(key)), 7);
		CU_ASSERT_EQUAL_FATAL(test_hex(c->in, in, sizeof(in)), 8);
		memset(out, 0, sizeof(out));
		CU_ASSERT_EQUAL_FATAL(ntlm_des7(key, in, out, &error), 0);
		TEST_ASSERT_HEX(out, sizeof(out), c->out);
	}
}

/* RC4 with a 128-bit key: RFC 6229 section 2, key 0x0102...10, the key
   stream at offset 0 (RC4 of zeros). RC4 is its own inverse. */
static void test_crypto_rc4(void)
{
	uint8_t key[16], zero[16], out[16], back[16];
	unsigned int i;
	const char *error = NULL;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)(i + 1);
	memset(zero, 0, sizeof(zero));
	CU_ASSERT_EQUAL_FATAL(ntlm_rc4_16(key, zero, out, &error), 0);
	TEST_ASSERT_HEX(out, 16, "9ac7cc9a609d1ef7b2932899cde41b97");
	CU_ASSERT_EQUAL_FATAL(ntlm_rc4_16(key, out, back, &error), 0);
	CU_ASSERT_EQUAL(memcmp(back, zero, 16), 0);
	/* a fresh key schedule every call: the same input, the same
	   output */
	CU_ASSERT_EQUAL_FATAL(ntlm_rc4_16(key, zero, back, &error), 0);
	CU_ASSERT_EQUAL(memcmp(back, out, 16), 0);
}

static void test_crypto_equal_ct(void)
{
	uint8_t a[32], b[32];
	unsigned int i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (uint8_t)(i * 7 + 1);
	CU_ASSERT_TRUE(ntlm_equal_ct(a, b, sizeof(a)));
	CU_ASSERT_TRUE(ntlm_equal_ct(a, b, 0));
	/* A difference anywhere, in any single bit, is seen. */
	for (i = 0; i < sizeof(a) * 8; i++) {
		b[i / 8] ^= (uint8_t)(1 << (i % 8));
		CU_ASSERT_FALSE(ntlm_equal_ct(a, b, sizeof(a)));
		b[i / 8] ^= (uint8_t)(1 << (i % 8));
	}
	/* Only len bytes are compared. */
	b[31] ^= 0xff;
	CU_ASSERT_TRUE(ntlm_equal_ct(a, b, 31));
	CU_ASSERT_FALSE(ntlm_equal_ct(a, b, 32));
}

static void test_crypto_random(void)
{
	uint8_t a[4096], b[64];
	unsigned int i, untouched = 0, same = 0;
	const char *error = NULL;

	/* Every byte is written: with a sentinel, a filled 4 KiB buffer
	   keeps about 16 sentinel bytes by chance, never hundreds. */
	memset(a, 0x5a, sizeof(a));
	CU_ASSERT_EQUAL_FATAL(ntlm_random(a, sizeof(a), &error), 0);
	for (i = 0; i < sizeof(a); i++) {
		if (a[i] == 0x5a)
			untouched++;
	}
	CU_ASSERT(untouched < 100);
	/* The last bytes in particular. */
	for (i = sizeof(a) - 16; i < sizeof(a); i++) {
		if (a[i] == 0x5a)
			same++;
	}
	CU_ASSERT(same < 8);

	/* Two draws differ. */
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL_FATAL(ntlm_random(a, sizeof(b), &error), 0);
	CU_ASSERT_NOT_EQUAL(memcmp(a, b, sizeof(b)), 0);

	/* An empty fill is fine and writes nothing. */
	memcpy(b, a, sizeof(b));
	CU_ASSERT_EQUAL(ntlm_random(a, 0, &error), 0);
	CU_ASSERT_EQUAL(memcmp(a, b, sizeof(b)), 0);
}

static void test_crypto_wipe(void)
{
	uint8_t buf[40];
	unsigned int i;

	memset(buf, 0xa5, sizeof(buf));
	ntlm_wipe(buf + 4, 32);
	CU_ASSERT_EQUAL(buf[0], 0xa5);
	CU_ASSERT_EQUAL(buf[3], 0xa5);
	for (i = 4; i < 36; i++)
		CU_ASSERT_EQUAL(buf[i], 0);
	CU_ASSERT_EQUAL(buf[36], 0xa5);
	CU_ASSERT_EQUAL(buf[39], 0xa5);
}

static void test_crypto_init_refcount(void)
{
	const char *error = NULL;
	uint8_t digest[16];

	/* A second init/deinit pair (the runner holds the first) leaves
	   the primitives usable. */
	CU_ASSERT_EQUAL_FATAL(ntlm_crypto_init(&error), 0);
	ntlm_crypto_deinit();
	CU_ASSERT_EQUAL(ntlm_md5("abc", 3, digest, &error), 0);
	TEST_ASSERT_HEX(digest, 16, "900150983cd24fb0d6963f7d28e17f72");
	CU_ASSERT_EQUAL(ntlm_md4("abc", 3, digest, &error), 0);
	TEST_ASSERT_HEX(digest, 16, "a448017aaf21d8525fc10ae87aa6729d");
}

bool test_crypto_drop_legacy(void)
{
	const char *old, *error = NULL;
	char *saved = NULL;
	int ret;

	/* the runner holds the only reference */
	ntlm_crypto_deinit();
	old = getenv("OPENSSL_MODULES");
	if (old != NULL) {
		saved = strdup(old);
		if (saved == NULL)
			abort();
	}
	/* the providers are loaded by init only */
	if (setenv("OPENSSL_MODULES", "/nonexistent/dovecot-ntlm-test", 1) < 0)
		abort();
	ret = ntlm_crypto_init(&error);
	if (saved != NULL) {
		if (setenv("OPENSSL_MODULES", saved, 1) < 0)
			abort();
		free(saved);
	} else {
		(void)unsetenv("OPENSSL_MODULES");
	}
	if (ret < 0) {
		fprintf(stderr, "\ncrypto init without legacy: %s", error);
		CU_FAIL("ntlm_crypto_init() without the legacy provider");
		return false;
	}
	CU_ASSERT_PTR_NOT_NULL(ntlm_crypto_legacy_error());
	return ntlm_crypto_legacy_error() != NULL;
}

void test_crypto_restore_legacy(void)
{
	const char *error = NULL;

	ntlm_crypto_deinit();
	if (ntlm_crypto_init(&error) < 0) {
		/* every later test would fail for this one */
		fprintf(stderr, "crypto init failed: %s\n", error);
		abort();
	}
	CU_ASSERT_PTR_NULL(ntlm_crypto_legacy_error());
}

/* Arguments over the limits are refused with their own reason; the
   limits themselves are accepted. */
static void test_crypto_hmac_limits(void)
{
	struct ntlm_slice parts[9];
	uint8_t key[65], mac[16];
	const char *error;
	unsigned int i;

	memset(key, 0x0b, sizeof(key));
	for (i = 0; i < N_ELEMENTS(parts); i++) {
		parts[i].data = key;
		parts[i].len = 1;
	}
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_hmac_md5(key, 64, parts, 8, mac, &error), 0);
	CU_ASSERT_PTR_NULL(error);
	CU_ASSERT_EQUAL(ntlm_hmac_md5(key, 65, parts, 1, mac, &error), -1);
	TEST_ASSERT_REASON(error, "HMAC-MD5 key longer than 64 bytes");
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_hmac_md5(key, 16, parts, 9, mac, &error), -1);
	TEST_ASSERT_REASON(error, "HMAC-MD5 over more than 8 parts");
}

/* Before ntlm_crypto_init() (here: after the runner's reference is
   released) every primitive fails, saying so. */
static void test_crypto_uninitialised(void)
{
	static const char *const uninit =
		"NTLM crypto not initialised (ntlm_crypto_init() not called)";
	const char *errors[6], *legacy, *error = NULL;
	uint8_t buf[16], out[16];
	struct ntlm_slice part = { buf, sizeof(buf) };
	int rets[6];
	unsigned int i;

	memset(buf, 0, sizeof(buf));
	memset(errors, 0, sizeof(errors));
	ntlm_crypto_deinit();
	legacy = ntlm_crypto_legacy_error();
	rets[0] = ntlm_md4(buf, sizeof(buf), out, &errors[0]);
	rets[1] = ntlm_md5(buf, sizeof(buf), out, &errors[1]);
	rets[2] = ntlm_hmac_md5(buf, 16, &part, 1, out, &errors[2]);
	rets[3] = ntlm_des7(buf, buf, out, &errors[3]);
	rets[4] = ntlm_rc4_16(buf, buf, out, &errors[4]);
	rets[5] = ntlm_random(out, sizeof(out), &errors[5]);
	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "crypto init failed: %s\n", error);
		abort();
	}
	TEST_ASSERT_REASON(legacy, uninit);
	for (i = 0; i < N_ELEMENTS(rets); i++) {
		CU_ASSERT_EQUAL(rets[i], -1);
		TEST_ASSERT_REASON(errors[i], uninit);
	}
}

/* Without the legacy provider MD4, DES and RC4 fail with the text of
   ntlm_crypto_legacy_error() (which says how to fix it); MD5, HMAC-MD5
   and the CSPRNG go on working. */
static void test_crypto_without_legacy(void)
{
	uint8_t buf[16], out[16];
	struct ntlm_slice part = { buf, sizeof(buf) };
	const char *legacy, *error;

	memset(buf, 0, sizeof(buf));
	if (test_crypto_drop_legacy()) {
		legacy = ntlm_crypto_legacy_error();
		CU_ASSERT_PTR_NOT_NULL(strstr(legacy, "legacy provider"));
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_md4(buf, sizeof(buf), out, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_des7(buf, buf, out, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);
		error = NULL;
		memset(out, 0xff, sizeof(out));
		CU_ASSERT_EQUAL(ntlm_rc4_16(buf, buf, out, &error), -1);
		CU_ASSERT_PTR_EQUAL(error, legacy);

		error = NULL;
		CU_ASSERT_EQUAL(ntlm_md5("abc", 3, out, &error), 0);
		TEST_ASSERT_HEX(out, 16, "900150983cd24fb0d6963f7d28e17f72");
		CU_ASSERT_EQUAL(ntlm_hmac_md5(buf, 16, &part, 1, out, &error),
				0);
		CU_ASSERT_EQUAL(ntlm_random(out, sizeof(out), &error), 0);
		CU_ASSERT_PTR_NULL(error);
	}
	test_crypto_restore_legacy();
}

static const struct test_case crypto_tests[] = {
	{ "legacy provider available", test_crypto_legacy_available },
	{ "MD4 RFC 1320", test_crypto_md4 },
	{ "MD5 RFC 1321", test_crypto_md5 },
	{ "HMAC-MD5 RFC 2202", test_crypto_hmac_md5 },
	{ "HMAC-MD5 multi-part equals single-part",
	  test_crypto_hmac_md5_parts },
	{ "DES with 7-byte key", test_crypto_des7 },
	{ "RC4 RFC 6229", test_crypto_rc4 },
	{ "constant-time equality", test_crypto_equal_ct },
	{ "random fills", test_crypto_random },
	{ "wipe", test_crypto_wipe },
	{ "init is reference counted", test_crypto_init_refcount },
	{ "HMAC-MD5 limits and their reasons", test_crypto_hmac_limits },
	{ "reasons before init", test_crypto_uninitialised },
	{ "reasons without the legacy provider",
	  test_crypto_without_legacy },
};

int test_crypto_register(void)
{
	return test_register_suite("crypto", NULL, NULL, crypto_tests,
				   N_ELEMENTS(crypto_tests));
}
