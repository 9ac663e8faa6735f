#ifndef NTLM_CRYPTO_H
#define NTLM_CRYPTO_H

/* Cryptographic primitives through OpenSSL's libcrypto.

   All algorithms are fetched once, by ntlm_crypto_init(), from a private
   OSSL_LIB_CTX into which the "default" and "legacy" providers are
   loaded; the process-wide default library context is never touched, so
   loading this code into Dovecot's auth process changes nothing for
   Dovecot's own use of OpenSSL.

   MD4 (NTOWFv1), DES (NTLMv1, LM) and RC4 (the session key exchange,
   MS-NLMP 3.1.5.1.2) exist only in the legacy provider. NTLMv2
   verification needs none of them, unless the client exchanges a session
   key and sends a MIC. If the legacy provider cannot be loaded,
   ntlm_crypto_init() still succeeds, ntlm_crypto_legacy_error() returns
   a one-line explanation with the fix, and the functions that need MD4,
   DES or RC4 fail with that same text as their *error_r. The state is
   global and reference counted; it is not for use from several threads
   at once. */

#include "ntlm-common.h"

/* Returns 0 on success, -1 with a static *error_r if MD5 itself is
   unavailable (nothing can work then). Each successful call must be
   paired with ntlm_crypto_deinit(). */
int ntlm_crypto_init(const char **error_r);
void ntlm_crypto_deinit(void);

/* NULL when MD4, DES and RC4 are available, else why they are not
   (also before ntlm_crypto_init()). */
const char *ntlm_crypto_legacy_error(void);

/* Every function below that returns int returns 0, or -1 with a
   static *error_r naming what failed: a bad argument, "NTLM crypto not
   initialised", the ntlm_crypto_legacy_error() text when the algorithm
   is one of MD4, DES and RC4 and the legacy provider is missing, or the
   OpenSSL operation that failed. No reason holds key or data bytes. */

/* Digests. */
int ntlm_md4(const void *data, size_t len, uint8_t digest_r[16],
	     const char **error_r);
int ntlm_md5(const void *data, size_t len, uint8_t digest_r[16],
	     const char **error_r);

/* HMAC-MD5 over the concatenation of count slices (RFC 2104). The key is
   at most 64 bytes and count at most 8; more is refused with -1. */
int ntlm_hmac_md5(const uint8_t *key, size_t key_len,
		  const struct ntlm_slice *parts, unsigned int count,
		  uint8_t mac_r[16], const char **error_r);

/* MS-NLMP 6 DES(K, D): one DES-ECB block with a 7-byte key expanded to
   DES's 8-byte form. */
int ntlm_des7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8],
	      const char **error_r);

/* RC4K(key, in) of MS-NLMP 6 for one 16-byte block with a 16-byte key:
   the session key exchange. RC4 is its own inverse, so this both
   encrypts and decrypts. On failure out is wiped. */
int ntlm_rc4_16(const uint8_t key[16], const uint8_t in[16],
		uint8_t out[16], const char **error_r);

/* Fill buf from OpenSSL's CSPRNG. */
int ntlm_random(void *buf, size_t len, const char **error_r);

/* Constant-time equality. */
bool ntlm_equal_ct(const void *a, const void *b, size_t len);

/* Wipe a secret; the compiler may not optimise it away. */
void ntlm_wipe(void *buf, size_t len);

#endif
