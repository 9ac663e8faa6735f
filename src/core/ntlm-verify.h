#ifndef NTLM_VERIFY_H
#define NTLM_VERIFY_H

/* The NTLM computations of MS-NLMP 3.3 (one-way functions, responses,
   session keys, MIC). The server and client state machines are built
   from these; they are exported for the tests and the tool. Which
   variant a response is and whether the policy accepts it is
   ntlm-policy.h.

   Names are UTF-16LE throughout. Every int function returns 0, or -1
   with a static *error_r: a bad argument named below, or the reason of
   the primitive that failed (ntlm-crypto.h; for MD4, DES and RC4 without
   the legacy provider, the ntlm_crypto_legacy_error() text). Reasons
   never hold names, keys or message bytes. Intermediate secrets are
   wiped before returning. */

#include "ntlm-common.h"
#include "ntlm-policy.h"

/* NTOWFv1 = MD4(UTF-16LE(password)). password is UTF-8. Returns -1
   when it is not valid UTF-8, is too long or MD4 fails. */
int ntlm_nt_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r);
/* LMOWFv1 (MS-NLMP 3.3.1): DES of "KGS!@#$%" under the upper-cased
   password padded to 14 bytes. The password must be ASCII and at most
   14 bytes: Windows stores no LM hash for a longer one, and truncating
   would let a 14-character prefix log in, so -1 is returned (as when
   DES fails). */
int ntlm_lm_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r);

/* NTOWFv2 = HMAC_MD5(NTOWFv1, UPPER(user) || domain) (MS-NLMP 3.3.2).
   user is upper-cased here; domain is used as given. -1 also for a user
   of odd length or longer than NTLM_MAX_NAME_UTF16 bytes. */
int ntlm_ntowfv2(const uint8_t nt_hash[16],
		 const struct ntlm_slice *user_utf16,
		 const struct ntlm_slice *domain_utf16,
		 uint8_t key_r[16], const char **error_r);

/* DESL(K, D) with a 16-byte key (MS-NLMP 6): three DES blocks. */
int ntlm_desl(const uint8_t key[16], const uint8_t challenge[8],
	      uint8_t response_r[24], const char **error_r);
/* The challenge an ESS response is computed over:
   MD5(server_challenge || client_challenge)[0..8]. */
int ntlm_ess_challenge(const uint8_t server_challenge[8],
		       const uint8_t client_challenge[8],
		       uint8_t challenge_r[8], const char **error_r);

/* NTProofStr = HMAC_MD5(NTOWFv2, server_challenge || blob). */
int ntlm_v2_proof(const uint8_t key[16], const uint8_t server_challenge[8],
		  const struct ntlm_slice *blob, uint8_t proof_r[16],
		  const char **error_r);
/* The 16-byte LMv2 proof over server and client challenges. */
int ntlm_lmv2_proof(const uint8_t key[16],
		    const uint8_t server_challenge[8],
		    const uint8_t client_challenge[8], uint8_t proof_r[16],
		    const char **error_r);
/* SessionBaseKey for NTLMv2 = HMAC_MD5(NTOWFv2, NTProofStr). */
int ntlm_v2_session_key(const uint8_t key[16], const uint8_t proof[16],
			uint8_t session_key_r[16], const char **error_r);

/* With NEGOTIATE_KEY_EXCH: ExportedSessionKey = RC4K(KeyExchangeKey,
   EncryptedRandomSessionKey) (MS-NLMP 3.2.5.1.2). For NTLMv2 the
   KeyExchangeKey is the SessionBaseKey (3.4.5.1). */
int ntlm_exported_session_key(const uint8_t key_exchange_key[16],
			      const uint8_t encrypted_key[16],
			      uint8_t exported_r[16], const char **error_r);
/* The client side: EncryptedRandomSessionKey = RC4K(KeyExchangeKey,
   ExportedSessionKey) (MS-NLMP 3.1.5.1.2). */
int ntlm_encrypt_session_key(const uint8_t key_exchange_key[16],
			     const uint8_t exported_key[16],
			     uint8_t encrypted_r[16], const char **error_r);

/* MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE ||
   AUTHENTICATE) with the 16 MIC bytes at mic_offset of the AUTHENTICATE
   taken as zero (MS-NLMP 3.1.5.1.2). The authenticate buffer is not
   modified. -1 also when it has no 16 bytes at mic_offset. */
int ntlm_compute_mic(const uint8_t session_key[16],
		     const struct ntlm_slice *negotiate,
		     const struct ntlm_slice *challenge,
		     const struct ntlm_slice *authenticate,
		     size_t mic_offset, uint8_t mic_r[16],
		     const char **error_r);

/* FILETIME (100 ns ticks since 1601) for a Unix time in seconds. */
uint64_t ntlm_filetime_from_unix(uint64_t unix_secs);
/* Current time as FILETIME. */
uint64_t ntlm_filetime_now(void);

#endif
