/* ntlm-binding.c: the tls-server-end-point channel binding (RFC 5929,
   MS-NLMP) and the MsvAvTargetName list check. The expected values were
   computed outside this project: the certificate hashes with openssl and
   Python's hashlib, the MsvAvChannelBindings with python3-ntlm-auth's
   GssChannelBindingsStruct. */

#include "test-common.h"
#include "ntlm-binding.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

/* Three self-signed P-256 certificates (valid until 2126), signed with
   ecdsa-with-SHA256, -SHA384 and -SHA1. */
static const char cert_sha256[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBfjCCASWgAwIBAgIUdVtQGvAJG299IFvtYMkrxKCjsEcwCgYIKoZIzj0EAwIw\n"
	"FDESMBAGA1UEAwwJY2Itc2hhMjU2MCAXDTI2MTIwMTEzMjk0NloYDzIxMjYxMTA3\n"
	"MTMyOTQ2WjAUMRIwEAYDVQQDDAljYi1zaGEyNTYwWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAAShmA5ERMVQtsLdzMpg7KYYNvdQjeMVrlvE3IgvQlwEN2jnLjFqP5X9\n"
	"KcAJG/KKzQ+zB63IPJ8uwctt0XHMovEzo1MwUTAdBgNVHQ4EFgQUhPFqANqgRguT\n"
	"vMOe/kACLlerrzowHwYDVR0jBBgwFoAUhPFqANqgRguTvMOe/kACLlerrzowDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBrelPi4dXRe9nACuBdz//r\n"
	"9IXkKD9RI/zEk55B6RbbxAIgNTwc65z3Cm1SU4kVUXg4pBjLDL+Nzf11kJ109Y1J\n"
	"gzc=\n"
	"-----END CERTIFICATE-----\n"
	;

static const char cert_sha384[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBgDCCASWgAwIBAgIULK4o4RCu5fOkaPrrdTBYYiQpzzgwCgYIKoZIzj0EAwMw\n"
	"FDESMBAGA1UEAwwJY2Itc2hhMzg0MCAXDTI2MTIwMTEzMjk0NloYDzIxMjYxMTA3\n"
	"MTMyOTQ2WjAUMRIwEAYDVQQDDAljYi1zaGEzODQwWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAAQg27luO7dLNJKQ9R6N7CI424moWv0mEYPrPH/SI+3iHvaauynTnEbQ\n"
	"sgIpb1QaAKXILp3Q7racaMHvHMZ/AjTlo1MwUTAdBgNVHQ4EFgQUYYJW/Yl41EP9\n"
	"J4+KeEVPhMlBGe4wHwYDVR0jBBgwFoAUYYJW/Yl41EP9J4+KeEVPhMlBGe4wDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAwNJADBGAiEA5ajxa+9WTzkhrumYSjYG\n"
	"/Sj7H6T2Khcc0m55eoUvlJoCIQDLW0ZFO3vwdSjkkwEaAjhtvgY5PRKGGpDiqMWy\n"
	"ni1csQ==\n"
	"-----END CERTIFICATE-----\n"
	;

static const char cert_sha1[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBejCCASCgAwIBAgIUSO9+GwLzSPBRXv8FxiXgzYMN1PQwCQYHKoZIzj0EATAS\n"
	"MRAwDgYDVQQDDAdjYi1zaGExMCAXDTI2MTIwMTEzMjk0NloYDzIxMjYxMTA3MTMy\n"
	"OTQ2WjASMRAwDgYDVQQDDAdjYi1zaGExMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD\n"
	"QgAE5D5Ujoo7G6PQpXziCkaQNOPBALgUFm1YKZJo52MM66VxOZysE0bflCzAoGJp\n"
	"Y7AiZWYBgTwnvmNy80K0821Zc6NTMFEwHQYDVR0OBBYEFE+IhUdqY1+i44jtHQlO\n"
	"lA6rx0WfMB8GA1UdIwQYMBaAFE+IhUdqY1+i44jtHQlOlA6rx0WfMA8GA1UdEwEB\n"
	"/wQFMAMBAf8wCQYHKoZIzj0EAQNJADBGAiEA2K0aPZ/plMz1KP7JUchbcovAgm19\n"
	"ErSAzjq9KyUMm6QCIQDbz+0THZdGrcL6m8wRWzy2UE5yGqOUTiKIPQypwa9seA==\n"
	"-----END CERTIFICATE-----\n"
	;

struct cb_vector {
	const char *name;
	const char *pem;
	const char *end_point_hash;
	const char *binding;
};

static const struct cb_vector cb_vectors[] = {
	{ "ecdsa-with-SHA256: SHA-256", cert_sha256,
	  "644e66ef9ab6d4ff6362e05e13a614a1ad96b4fc24f0d7f95f3fde03ecf35c04",
	  "8d851bd1a0b91dfd44cf5f1962094a2b" },
	{ "ecdsa-with-SHA384: SHA-384", cert_sha384,
	  "db4de65f73d4230fe3efad218d11d3641e2b0dce58b644a9"
	  "30a91f5d498de382d3dbc96489d83111df1ca98a877cd93b",
	  "97f84530b2f8d06499f6279b6c3677aa" },
	{ "ecdsa-with-SHA1: SHA-256 instead (RFC 5929 4.1)", cert_sha1,
	  "6d4f7559a1d935da5c10365308bfff43cb0dd127d994e7d89dd6cb395ac75ea2",
	  "59f8da26521f31aa5e82f41766151d58" },
};

static void test_binding_app_data(void)
{
	uint8_t app[21 + 32], binding[16], expected[16];
	unsigned int i;
	const char *error = NULL;

	memcpy(app, NTLM_CB_PREFIX, 21);
	for (i = 0; i < 32; i++)
		app[21 + i] = (uint8_t)i;
	CU_ASSERT_EQUAL(ntlm_cb_from_app_data(app, sizeof(app), binding,
					      &error), 0);
	test_hex("8f1214c9c9cab8dc3bf866da9aba57a7", expected, 16);
	CU_ASSERT_EQUAL(memcmp(binding, expected, 16), 0);

	/* sizeof(NTLM_CB_PREFIX) + 64 bytes fit (the prefix and a
	   SHA-512 hash); a byte more does not, and says so */
	{
		uint8_t big[sizeof(NTLM_CB_PREFIX) + 65];

		memset(big, 'x', sizeof(big));
		error = NULL;
		CU_ASSERT_EQUAL(ntlm_cb_from_app_data(big, sizeof(big) - 1,
						      binding, &error), 0);
		CU_ASSERT_PTR_NULL(error);
		CU_ASSERT_EQUAL(ntlm_cb_from_app_data(big, sizeof(big),
						      binding, &error), -1);
		TEST_ASSERT_REASON(error, "channel binding application data "
				   "too long");
	}
}

/* The test's own PEM decoding, with OpenSSL directly. */
static int pem_to_der(const char *pem, uint8_t *der, size_t size,
		      size_t *len_r)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)strlen(pem));
	X509 *cert = bio == NULL ? NULL :
		PEM_read_bio_X509(bio, NULL, NULL, NULL);
	unsigned char *p = der;
	int len = -1;

	BIO_free(bio);
	if (cert != NULL && i2d_X509(cert, NULL) <= (int)size)
		len = i2d_X509(cert, &p);
	X509_free(cert);
	if (len <= 0)
		return -1;
	*len_r = (size_t)len;
	return 0;
}

static void test_binding_certificates(void)
{
	uint8_t binding[16], expected[16], hash[64], want[64], der[2048];
	const char *error = NULL;
	unsigned int i;
	size_t hash_len, want_len, der_len;

	for (i = 0; i < N_ELEMENTS(cb_vectors); i++) {
		const struct cb_vector *v = &cb_vectors[i];

		CU_ASSERT_EQUAL(ntlm_cb_from_pem(v->pem, strlen(v->pem),
						 binding, &error), 0);
		test_hex(v->binding, expected, 16);
		if (memcmp(binding, expected, 16) != 0)
			fprintf(stderr, "\n%s: binding differs\n", v->name);
		CU_ASSERT_EQUAL(memcmp(binding, expected, 16), 0);
		want_len = test_hex(v->end_point_hash, want, sizeof(want));
		CU_ASSERT(want_len == 32 || want_len == 48);
		der_len = 0;
		CU_ASSERT_EQUAL_FATAL(pem_to_der(v->pem, der, sizeof(der),
						 &der_len), 0);
		CU_ASSERT_EQUAL(ntlm_cb_end_point_hash(der, der_len, hash,
						       &hash_len, &error), 0);
		CU_ASSERT_EQUAL(hash_len, want_len);
		CU_ASSERT_EQUAL(memcmp(hash, want, want_len), 0);
		/* the DER path gives the same binding */
		CU_ASSERT_EQUAL(ntlm_cb_from_der(der, der_len, binding,
						 &error), 0);
		CU_ASSERT_EQUAL(memcmp(binding, expected, 16), 0);
		/* one byte off is another certificate */
		der[der_len / 2] ^= 1;
		if (ntlm_cb_from_der(der, der_len, binding, &error) == 0)
			CU_ASSERT_NOT_EQUAL(memcmp(binding, expected, 16), 0);
	}
}

static void test_binding_bad_pem(void)
{
	static const char junk[] = "-----BEGIN CERTIFICATE-----\nAAAA\n"
		"-----END CERTIFICATE-----\n";
	static const uint8_t not_der[4] = { 0x30, 0x03, 0x01, 0x01 };
	uint8_t binding[16], hash[64];
	const char *error = NULL;
	size_t len;

	CU_ASSERT_EQUAL(ntlm_cb_from_pem("", 0, binding, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_cb_from_pem(junk, strlen(junk), binding,
					 &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_cb_end_point_hash(not_der, sizeof(not_der), hash,
					       &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	/* a private key is not a certificate */
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_cb_from_pem("-----BEGIN PRIVATE KEY-----\n"
					 "-----END PRIVATE KEY-----\n", 54,
					 binding, &error), -1);
}

static void test_binding_present_matches(void)
{
	uint8_t zero[16], one[16], bindings[2][16];
	struct ntlm_slice s;

	memset(zero, 0, sizeof(zero));
	memset(one, 0, sizeof(one));
	one[15] = 1;
	memset(bindings[0], 0xaa, 16);
	memcpy(bindings[1], one, 16);

	s.data = zero;
	s.len = 16;
	CU_ASSERT_FALSE(ntlm_cb_present(&s));
	CU_ASSERT_FALSE(ntlm_cb_matches(&s, (const uint8_t (*)[16])bindings, 2));
	s.data = one;
	CU_ASSERT_TRUE(ntlm_cb_present(&s));
	CU_ASSERT_TRUE(ntlm_cb_matches(&s, (const uint8_t (*)[16])bindings, 2));
	CU_ASSERT_FALSE(ntlm_cb_matches(&s, (const uint8_t (*)[16])bindings, 1));
	CU_ASSERT_FALSE(ntlm_cb_matches(&s, (const uint8_t (*)[16])bindings, 0));
	s.len = 15;
	CU_ASSERT_FALSE(ntlm_cb_present(&s));
	CU_ASSERT_FALSE(ntlm_cb_matches(&s, (const uint8_t (*)[16])bindings, 2));
	s.len = 0;
	CU_ASSERT_FALSE(ntlm_cb_present(&s));
}

static int target_check(const char *list, const char *name)
{
	uint8_t utf16[256];
	struct ntlm_slice s;
	const char *error = NULL;

	s.data = utf16;
	s.len = test_ascii_utf16(name, utf16, sizeof(utf16));
	return ntlm_target_name_check(list, &s, &error);
}

static void test_binding_target_names(void)
{
	static const uint8_t lone_surrogate[2] = { 0x00, 0xd8 };
	const char *list = "imap/mail.example.com, pop/mail.example.com "
		"smtp/mail.example.com";
	struct ntlm_slice s;
	const char *error = NULL;

	CU_ASSERT_EQUAL(target_check(list, "imap/mail.example.com"), 1);
	CU_ASSERT_EQUAL(target_check(list, "IMAP/Mail.Example.COM"), 1);
	CU_ASSERT_EQUAL(target_check(list, "smtp/mail.example.com"), 1);
	CU_ASSERT_EQUAL(target_check(list, "http/mail.example.com"), 0);
	CU_ASSERT_EQUAL(target_check(list, "imap/mail.example.co"), 0);
	CU_ASSERT_EQUAL(target_check(list, "imap/mail.example.com."), 0);
	CU_ASSERT_EQUAL(target_check(list, "cifs/fileserver"), 0);
	/* none sent: accepted; an empty list accepts any */
	CU_ASSERT_EQUAL(target_check(list, ""), 1);
	CU_ASSERT_EQUAL(target_check("", "cifs/fileserver"), 1);
	CU_ASSERT_EQUAL(target_check(" , ", "cifs/fileserver"), 1);
	s.data = lone_surrogate;
	s.len = sizeof(lone_surrogate);
	CU_ASSERT_EQUAL(ntlm_target_name_check(list, &s, &error), -1);
}

static void test_binding_mode_names(void)
{
	CU_ASSERT_STRING_EQUAL(ntlm_cb_mode_name(NTLM_CB_NEVER), "never");
	CU_ASSERT_STRING_EQUAL(ntlm_cb_mode_name(NTLM_CB_WHEN_PRESENT),
			       "when-present");
	CU_ASSERT_STRING_EQUAL(ntlm_cb_mode_name(NTLM_CB_REQUIRED),
			       "required");
}

static const struct test_case binding_tests[] = {
	{ "gss_channel_bindings_struct MD5", test_binding_app_data },
	{ "tls-server-end-point of certificates", test_binding_certificates },
	{ "not a certificate", test_binding_bad_pem },
	{ "zero binding and matching", test_binding_present_matches },
	{ "target name list", test_binding_target_names },
	{ "mode names", test_binding_mode_names },
};

int test_binding_register(void)
{
	return test_register_suite("binding", NULL, NULL, binding_tests,
				   N_ELEMENTS(binding_tests));
}
