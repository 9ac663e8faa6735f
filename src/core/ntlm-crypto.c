#include "ntlm-crypto.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#define HMAC_BLOCK 64
/* parts ntlm_hmac_md5() takes at most */
#define HMAC_MAX_PARTS 8

static unsigned int crypto_refcount = 0;
static OSSL_LIB_CTX *crypto_libctx = NULL;
static OSSL_PROVIDER *crypto_default = NULL;
static OSSL_PROVIDER *crypto_legacy = NULL;
static EVP_MD *crypto_md5 = NULL;
static EVP_MD *crypto_md4 = NULL;
static EVP_CIPHER *crypto_des = NULL;
static EVP_CIPHER *crypto_rc4 = NULL;
/* Reused for every digest: no allocation per operation. The auth
   process is single-threaded; see the header. */
static EVP_MD_CTX *crypto_mdctx = NULL;
static EVP_CIPHER_CTX *crypto_cipherctx = NULL;
static const char *crypto_legacy_error = NULL;

static const char *const crypto_uninitialised =
	"NTLM crypto not initialised (ntlm_crypto_init() not called)";

static const char *const legacy_missing =
	"OpenSSL legacy provider (MD4, DES, RC4) could not be loaded: "
	"NTLMv1, LM, NTLM hashes of plaintext passwords and the MIC of "
	"clients using key exchange will fail; install "
	"the provider (Debian: libssl3, ossl-modules/legacy.so) or set "
	"OPENSSL_MODULES to its directory";

static void crypto_free_all(void)
{
	EVP_MD_CTX_free(crypto_mdctx);
	crypto_mdctx = NULL;
	EVP_CIPHER_CTX_free(crypto_cipherctx);
	crypto_cipherctx = NULL;
	EVP_MD_free(crypto_md5);
	crypto_md5 = NULL;
	EVP_MD_free(crypto_md4);
	crypto_md4 = NULL;
	EVP_CIPHER_free(crypto_des);
	crypto_des = NULL;
	EVP_CIPHER_free(crypto_rc4);
	crypto_rc4 = NULL;
	if (crypto_legacy != NULL)
		(void)OSSL_PROVIDER_unload(crypto_legacy);
	crypto_legacy = NULL;
	if (crypto_default != NULL)
		(void)OSSL_PROVIDER_unload(crypto_default);
	crypto_default = NULL;
	OSSL_LIB_CTX_free(crypto_libctx);
	crypto_libctx = NULL;
	crypto_legacy_error = NULL;
}

int ntlm_crypto_init(const char **error_r)
{
	if (crypto_refcount > 0) {
		crypto_refcount++;
		return 0;
	}
	crypto_libctx = OSSL_LIB_CTX_new();
	if (crypto_libctx == NULL) {
		*error_r = "OSSL_LIB_CTX_new() failed";
		return -1;
	}
	crypto_default = OSSL_PROVIDER_load(crypto_libctx, "default");
	if (crypto_default == NULL) {
		*error_r = "OpenSSL default provider could not be loaded";
		crypto_free_all();
		return -1;
	}
	crypto_md5 = EVP_MD_fetch(crypto_libctx, "MD5", NULL);
	crypto_mdctx = EVP_MD_CTX_new();
	crypto_cipherctx = EVP_CIPHER_CTX_new();
	if (crypto_md5 == NULL || crypto_mdctx == NULL ||
	    crypto_cipherctx == NULL) {
		*error_r = "OpenSSL MD5 is not available";
		crypto_free_all();
		return -1;
	}

	crypto_legacy = OSSL_PROVIDER_load(crypto_libctx, "legacy");
	if (crypto_legacy != NULL) {
		crypto_md4 = EVP_MD_fetch(crypto_libctx, "MD4", NULL);
		crypto_des = EVP_CIPHER_fetch(crypto_libctx, "DES-ECB", NULL);
		crypto_rc4 = EVP_CIPHER_fetch(crypto_libctx, "RC4", NULL);
	}
	if (crypto_md4 == NULL || crypto_des == NULL || crypto_rc4 == NULL)
		crypto_legacy_error = legacy_missing;
	crypto_refcount = 1;
	return 0;
}

void ntlm_crypto_deinit(void)
{
	if (crypto_refcount == 0)
		return;
	if (--crypto_refcount > 0)
		return;
	crypto_free_all();
}

const char *ntlm_crypto_legacy_error(void)
{
	if (crypto_refcount == 0)
		return crypto_uninitialised;
	return crypto_legacy_error;
}

/* Why a legacy algorithm (MD4, DES, RC4) is missing: not initialised,
   or the provider's error. fallback is for an algorithm missing while
   the others were fetched, which init does not allow. */
static const char *legacy_unavailable(const char *fallback)
{
	const char *error = ntlm_crypto_legacy_error();

	return error != NULL ? error : fallback;
}

static int digest_parts(const EVP_MD *md, const struct ntlm_slice *parts,
			unsigned int count, uint8_t digest_r[16],
			const char *failed, const char **error_r)
{
	unsigned int i, len = 16;
	int ret = 0;

	if (EVP_DigestInit_ex2(crypto_mdctx, md, NULL) != 1)
		ret = -1;
	for (i = 0; i < count && ret == 0; i++) {
		if (parts[i].len > 0 &&
		    EVP_DigestUpdate(crypto_mdctx, parts[i].data,
				     parts[i].len) != 1)
			ret = -1;
	}
	if (ret == 0 &&
	    (EVP_DigestFinal_ex(crypto_mdctx, digest_r, &len) != 1 ||
	     len != 16))
		ret = -1;
	/* The finished state equals the digest, which may be a key or a
	   proof: start over so it does not linger in the shared context. */
	(void)EVP_DigestInit_ex2(crypto_mdctx, md, NULL);
	if (ret < 0)
		*error_r = failed;
	return ret;
}

int ntlm_md4(const void *data, size_t len, uint8_t digest_r[16],
	     const char **error_r)
{
	struct ntlm_slice part = { data, len };

	if (crypto_md4 == NULL || crypto_mdctx == NULL) {
		*error_r = legacy_unavailable("MD4 unavailable");
		return -1;
	}
	return digest_parts(crypto_md4, &part, 1, digest_r,
			    "MD4 digest failed in OpenSSL", error_r);
}

int ntlm_md5(const void *data, size_t len, uint8_t digest_r[16],
	     const char **error_r)
{
	struct ntlm_slice part = { data, len };

	if (crypto_md5 == NULL || crypto_mdctx == NULL) {
		*error_r = crypto_uninitialised;
		return -1;
	}
	return digest_parts(crypto_md5, &part, 1, digest_r,
			    "MD5 digest failed in OpenSSL", error_r);
}

int ntlm_hmac_md5(const uint8_t *key, size_t key_len,
		  const struct ntlm_slice *parts, unsigned int count,
		  uint8_t mac_r[16], const char **error_r)
{
	static const char *const failed = "HMAC-MD5 failed in OpenSSL's MD5";
	struct ntlm_slice outer[2];
	struct ntlm_slice inner[1 + HMAC_MAX_PARTS];
	uint8_t ipad[HMAC_BLOCK], opad[HMAC_BLOCK], inner_digest[16];
	unsigned int i;
	int ret;

	if (key_len > HMAC_BLOCK) {
		*error_r = "HMAC-MD5 key longer than 64 bytes";
		return -1;
	}
	if (count > HMAC_MAX_PARTS) {
		*error_r = "HMAC-MD5 over more than 8 parts";
		return -1;
	}
	if (crypto_md5 == NULL || crypto_mdctx == NULL) {
		*error_r = crypto_uninitialised;
		return -1;
	}
	memset(ipad, 0x36, sizeof(ipad));
	memset(opad, 0x5c, sizeof(opad));
	for (i = 0; i < key_len; i++) {
		ipad[i] ^= key[i];
		opad[i] ^= key[i];
	}
	inner[0].data = ipad;
	inner[0].len = sizeof(ipad);
	for (i = 0; i < count; i++)
		inner[i + 1] = parts[i];
	ret = digest_parts(crypto_md5, inner, count + 1, inner_digest,
			   failed, error_r);
	if (ret == 0) {
		outer[0].data = opad;
		outer[0].len = sizeof(opad);
		outer[1].data = inner_digest;
		outer[1].len = sizeof(inner_digest);
		ret = digest_parts(crypto_md5, outer, 2, mac_r, failed,
				   error_r);
	}
	ntlm_wipe(ipad, sizeof(ipad));
	ntlm_wipe(opad, sizeof(opad));
	ntlm_wipe(inner_digest, sizeof(inner_digest));
	return ret;
}

/* Spread 56 key bits over 8 bytes, 7 bits each, with odd parity in the
   low bit (MS-NLMP 6, DES). */
static void des_expand_key(const uint8_t key7[7], uint8_t key8_r[8])
{
	unsigned int i;

	key8_r[0] = key7[0];
	key8_r[1] = (uint8_t)(key7[0] << 7 | key7[1] >> 1);
	key8_r[2] = (uint8_t)(key7[1] << 6 | key7[2] >> 2);
	key8_r[3] = (uint8_t)(key7[2] << 5 | key7[3] >> 3);
	key8_r[4] = (uint8_t)(key7[3] << 4 | key7[4] >> 4);
	key8_r[5] = (uint8_t)(key7[4] << 3 | key7[5] >> 5);
	key8_r[6] = (uint8_t)(key7[5] << 2 | key7[6] >> 6);
	key8_r[7] = (uint8_t)(key7[6] << 1);
	for (i = 0; i < 8; i++) {
		uint8_t b = key8_r[i] & 0xfe;
		unsigned int bits = 0, j;

		for (j = 1; j < 8; j++)
			bits += (b >> j) & 1;
		key8_r[i] = (uint8_t)(b | ((bits & 1) == 0 ? 1 : 0));
	}
}

int ntlm_des7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8],
	      const char **error_r)
{
	uint8_t key8[8];
	int outl = 0, finl = 0, ret = -1;

	if (crypto_des == NULL || crypto_cipherctx == NULL) {
		*error_r = legacy_unavailable("DES unavailable");
		return -1;
	}
	des_expand_key(key7, key8);
	if (EVP_EncryptInit_ex2(crypto_cipherctx, crypto_des, key8, NULL,
				NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(crypto_cipherctx, 0) == 1 &&
	    EVP_EncryptUpdate(crypto_cipherctx, out, &outl, in, 8) == 1 &&
	    outl == 8 &&
	    EVP_EncryptFinal_ex(crypto_cipherctx, out + outl, &finl) == 1)
		ret = 0;
	(void)EVP_CIPHER_CTX_reset(crypto_cipherctx);
	ntlm_wipe(key8, sizeof(key8));
	if (ret < 0)
		*error_r = "DES encryption failed in OpenSSL";
	return ret;
}

int ntlm_rc4_16(const uint8_t key[16], const uint8_t in[16],
		uint8_t out[16], const char **error_r)
{
	int outl = 0, finl = 0, ret = -1;

	if (crypto_rc4 == NULL || crypto_cipherctx == NULL) {
		*error_r = legacy_unavailable("RC4 unavailable");
		return -1;
	}
	/* RC4's default key length in OpenSSL is 128 bits, which is what
	   MS-NLMP 3.4.5.3 and 3.1.5.1.2 use for the session key. */
	if (EVP_EncryptInit_ex2(crypto_cipherctx, crypto_rc4, key, NULL,
				NULL) == 1 &&
	    EVP_CIPHER_CTX_get_key_length(crypto_cipherctx) == 16 &&
	    EVP_EncryptUpdate(crypto_cipherctx, out, &outl, in, 16) == 1 &&
	    outl == 16 &&
	    EVP_EncryptFinal_ex(crypto_cipherctx, out + outl, &finl) == 1 &&
	    finl == 0)
		ret = 0;
	/* the reset frees the key schedule */
	(void)EVP_CIPHER_CTX_reset(crypto_cipherctx);
	if (ret < 0) {
		ntlm_wipe(out, 16);
		*error_r = "RC4 encryption with a 128-bit key failed in "
			"OpenSSL";
	}
	return ret;
}

int ntlm_random(void *buf, size_t len, const char **error_r)
{
	if (crypto_libctx == NULL) {
		*error_r = crypto_uninitialised;
		return -1;
	}
	if (RAND_bytes_ex(crypto_libctx, buf, len, 0) != 1) {
		*error_r = "OpenSSL random number generator failed";
		return -1;
	}
	return 0;
}

bool ntlm_equal_ct(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

void ntlm_wipe(void *buf, size_t len)
{
	if (buf != NULL && len > 0)
		OPENSSL_cleanse(buf, len);
}
