#ifndef NTLM_VERIFY_H
#define NTLM_VERIFY_H

/* The NTLM computations of MS-NLMP 3.3 (one-way functions, responses,
   session keys, MIC) and the typed policy that decides which response
   variants a server accepts. The server and client state machines are
   built from these; they are exported for the tests and the tool.

   Names are UTF-16LE throughout. Every function returns 0, or -1 when a
   primitive is unavailable (see ntlm-crypto.h). Intermediate secrets are
   wiped before returning. */

#include "ntlm-common.h"

/* Which response a client used. */
enum ntlm_variant {
	NTLM_VARIANT_NONE = 0,
	/* NTLMv2 response (MS-NLMP 3.3.2) in the NT field. */
	NTLM_VARIANT_NTLMV2,
	/* LMv2 only: empty NT response, 24-byte LMv2 in the LM field. */
	NTLM_VARIANT_LMV2,
	/* NTLMv1 with extended session security ("NTLM2 session
	   response", MS-NLMP 3.3.1 with ESS). */
	NTLM_VARIANT_NTLMV1_ESS,
	/* Plain NTLMv1 (MS-NLMP 3.3.1). */
	NTLM_VARIANT_NTLMV1,
	/* LM response alone (LMOWFv1, MS-NLMP 3.3.1). */
	NTLM_VARIANT_LM,
	/* Anonymous (MS-NLMP 3.2.5.1.2): empty user and responses. */
	NTLM_VARIANT_ANONYMOUS,
};

/* "NTLMv2", "LMv2", "NTLMv1-ESS", "NTLMv1", "LM", "anonymous", "none". */
const char *ntlm_variant_name(enum ntlm_variant variant);

struct ntlm_authenticate;

/* MS-NLMP 3.2.5.1.2: the client is anonymous when the user name and
   the NT response are empty and the LM response is empty or Z(1). */
bool ntlm_authenticate_is_anonymous(const struct ntlm_authenticate *auth);

/* Which variant an AUTHENTICATE's responses have the shape of, by
   their lengths and the flags it is read under (MS-NLMP 3.2.5.1.2,
   3.3): ANONYMOUS (above); NTLMV2 for an NT response over 24 bytes
   (whose structure ntlm_decode_v2_response checks); NTLMV1_ESS or
   NTLMV1 for one of 24 bytes, by NEGOTIATE_EXTENDED_SESSIONSECURITY in
   flags; LMV2 for a 24-byte LM response alone, which is what an LM
   response looks like too (the policy decides which it is tried as);
   NONE when there is no response to check. Policy-free, and the user
   name is not looked at. Returns 0 with *variant_r, or -1 with a static
   *error_r when the NT response has a length no variant has. */
int ntlm_response_shape(const struct ntlm_authenticate *auth, uint32_t flags,
			enum ntlm_variant *variant_r, const char **error_r);

/* What a server accepts. Start from ntlm_policy_init_strict() and relax
   one named setting at a time; each relaxation has a cost, documented in
   dovecot-ntlm.conf.example. */
struct ntlm_policy {
	/* LMv2 alone, with an empty NT response (Cyrus SASL ntlm_v2=yes).
	   Default on. Never accepted when require_mic is set, since an LMv2
	   response cannot carry the MIC flag (CVE-2019-1338). */
	bool allow_lmv2;
	/* NTLMv1 with extended session security. Default off. */
	bool allow_ntlmv1_ess;
	/* Plain NTLMv1. Default off. */
	bool allow_ntlmv1;
	/* LM response alone. Needs the LM hash. Default off. */
	bool allow_lm;
	/* Anonymous logins. Default off. */
	bool allow_anonymous;
	/* Refuse NTLMv2 responses that carry no MIC. Default off, because
	   Thunderbird and curl never send one. */
	bool require_mic;
	/* Largest accepted difference, in seconds, between the timestamp in
	   an NTLMv2 response and the server's clock. 0 disables the check.
	   Default 3600. */
	unsigned int max_clock_skew_secs;
};

void ntlm_policy_init_strict(struct ntlm_policy *policy_r);

/* Whether policy accepts variant; if not, *reason_r names the setting
   that would allow it ("NTLMv1 refused (ntlm_allow_ntlmv1 = no)"). */
bool ntlm_policy_allows(const struct ntlm_policy *policy,
			enum ntlm_variant variant, const char **reason_r);

/* NTOWFv1 = MD4(UTF-16LE(password)). password is UTF-8. Returns -1
   with a static *error_r when it is not valid UTF-8, is too long or
   MD4 is unavailable. */
int ntlm_nt_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r);
/* LMOWFv1 (MS-NLMP 3.3.1): DES of "KGS!@#$%" under the upper-cased
   password padded to 14 bytes. The password must be ASCII and at most
   14 bytes: Windows stores no LM hash for a longer one, and truncating
   would let a 14-character prefix log in, so -1 is returned (with a
   static *error_r, as when DES is unavailable). */
int ntlm_lm_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r);

/* NTOWFv2 = HMAC_MD5(NTOWFv1, UPPER(user) || domain) (MS-NLMP 3.3.2).
   user is upper-cased here; domain is used as given. */
int ntlm_ntowfv2(const uint8_t nt_hash[16],
		 const struct ntlm_slice *user_utf16,
		 const struct ntlm_slice *domain_utf16,
		 uint8_t key_r[16]);

/* DESL(K, D) with a 16-byte key (MS-NLMP 6): three DES blocks. */
int ntlm_desl(const uint8_t key[16], const uint8_t challenge[8],
	      uint8_t response_r[24]);
/* The challenge an ESS response is computed over:
   MD5(server_challenge || client_challenge)[0..8]. */
int ntlm_ess_challenge(const uint8_t server_challenge[8],
		       const uint8_t client_challenge[8],
		       uint8_t challenge_r[8]);

/* NTProofStr = HMAC_MD5(NTOWFv2, server_challenge || blob). */
int ntlm_v2_proof(const uint8_t key[16], const uint8_t server_challenge[8],
		  const struct ntlm_slice *blob, uint8_t proof_r[16]);
/* The 16-byte LMv2 proof over server and client challenges. */
int ntlm_lmv2_proof(const uint8_t key[16],
		    const uint8_t server_challenge[8],
		    const uint8_t client_challenge[8], uint8_t proof_r[16]);
/* SessionBaseKey for NTLMv2 = HMAC_MD5(NTOWFv2, NTProofStr). */
int ntlm_v2_session_key(const uint8_t key[16], const uint8_t proof[16],
			uint8_t session_key_r[16]);

/* With NEGOTIATE_KEY_EXCH: ExportedSessionKey = RC4K(KeyExchangeKey,
   EncryptedRandomSessionKey) (MS-NLMP 3.2.5.1.2). For NTLMv2 the
   KeyExchangeKey is the SessionBaseKey (3.4.5.1). */
int ntlm_exported_session_key(const uint8_t key_exchange_key[16],
			      const uint8_t encrypted_key[16],
			      uint8_t exported_r[16]);
/* The client side: EncryptedRandomSessionKey = RC4K(KeyExchangeKey,
   ExportedSessionKey) (MS-NLMP 3.1.5.1.2). */
int ntlm_encrypt_session_key(const uint8_t key_exchange_key[16],
			     const uint8_t exported_key[16],
			     uint8_t encrypted_r[16]);

/* MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE ||
   AUTHENTICATE) with the 16 MIC bytes at mic_offset of the AUTHENTICATE
   taken as zero (MS-NLMP 3.1.5.1.2). The authenticate buffer is not
   modified. */
int ntlm_compute_mic(const uint8_t session_key[16],
		     const struct ntlm_slice *negotiate,
		     const struct ntlm_slice *challenge,
		     const struct ntlm_slice *authenticate,
		     size_t mic_offset, uint8_t mic_r[16]);

/* FILETIME (100 ns ticks since 1601) for a Unix time in seconds. */
uint64_t ntlm_filetime_from_unix(uint64_t unix_secs);
/* Current time as FILETIME. */
uint64_t ntlm_filetime_now(void);

#endif
