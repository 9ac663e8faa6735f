#ifndef NTLM_CLIENT_H
#define NTLM_CLIENT_H

/* The client (initiator) side: build a NEGOTIATE, read the server's
   CHALLENGE, build the AUTHENTICATE. The probe tool, the tests, the
   fuzzing corpus and the benchmark all use this; there is no second NTLM
   implementation anywhere in the project. Like the server it does no
   I/O. */

#include "ntlm-common.h"
#include "ntlm-msg.h"
#include "ntlm-verify.h"

enum ntlm_client_variant {
	/* NTLMv2 in the NT field, LMv2 in the LM field (or Z(24) when the
	   CHALLENGE has a timestamp, as Windows does), MIC when asked. */
	NTLM_CLIENT_V2,
	/* LMv2 only, empty NT response (Cyrus SASL ntlm_v2=yes). */
	NTLM_CLIENT_LMV2,
	/* NTLMv1 with extended session security. */
	NTLM_CLIENT_ESS,
	/* Plain NTLMv1; the LM field carries the LM response when an LM
	   hash is given, else a copy of the NT response. */
	NTLM_CLIENT_V1,
	/* Anonymous. */
	NTLM_CLIENT_ANONYMOUS,
};

struct ntlm_client_params {
	enum ntlm_client_variant variant;
	/* UTF-8. domain and workstation may be NULL (empty). */
	const char *user;
	const char *domain;
	const char *workstation;
	/* NTOWFv1 of the password; lm_hash is optional (V1 only). */
	uint8_t nt_hash[16];
	bool have_lm_hash;
	uint8_t lm_hash[16];
	/* Ask for Unicode in the NEGOTIATE (else OEM only, like curl). */
	bool unicode;
	/* Send a MIC (V2 only; needs the CHALLENGE's TargetInfo). */
	bool send_mic;
	/* Send a VERSION in NEGOTIATE/AUTHENTICATE. */
	bool send_version;
	/* Client challenge; random when NULL. */
	const uint8_t *client_challenge;
	/* Blob timestamp: the CHALLENGE's MsvAvTimestamp when present, else
	   this FILETIME, else (0) the current time. */
	uint64_t timestamp;
	/* Use this timestamp even if the CHALLENGE has one (tests). */
	bool force_timestamp;
	/* More flags to ask for in the NEGOTIATE (NTLM_FL_SIGN, _SEAL,
	   _KEY_EXCH, _LM_KEY ...). SIGN and SEAL are kept in the
	   AUTHENTICATE when the CHALLENGE granted them; the others only
	   shape the NEGOTIATE. */
	uint32_t request_flags;
	/* V2 only: when the CHALLENGE grants NEGOTIATE_KEY_EXCH, send
	   EncryptedRandomSessionKey = RC4K(SessionBaseKey, key) and use key
	   as the ExportedSessionKey for the MIC (MS-NLMP 3.1.5.1.2). The key
	   is random_session_key, or random when that is NULL. */
	bool key_exchange;
	const uint8_t *random_session_key;
	/* V2 only: MsvAvChannelBindings (16 bytes, ntlm-binding.h) and
	   MsvAvTargetName (UTF-8, the SPN meant, e.g. "imap/mail.example.com")
	   to add to the AV pairs; NULL for none. Both must stay valid until
	   ntlm_client_input() returned. */
	const uint8_t *channel_binding;
	const char *target_name;
};

struct ntlm_client {
	/* private */
	struct ntlm_client_params params;
	uint8_t client_challenge[8];
	uint32_t negotiate_flags;
	uint8_t negotiate[NTLM_MAX_NEGOTIATE_SIZE];
	size_t negotiate_len;
	uint8_t authenticate[NTLM_MAX_MESSAGE_SIZE];
	size_t authenticate_len;
	uint8_t challenge_msg[NTLM_MAX_MESSAGE_SIZE];
	size_t challenge_len;
	struct ntlm_challenge challenge;
	enum ntlm_variant sent_variant;
	uint8_t random_session_key[16];
};

/* Fill *params_r with defaults: V2, Unicode, MIC and VERSION on. */
void ntlm_client_params_init(struct ntlm_client_params *params_r);

/* Start: build the NEGOTIATE for params (copied, including the hashes).
   Returns -1 with a static *error_r on bad parameters or when the
   CSPRNG fails. */
int ntlm_client_init(struct ntlm_client *client,
		     const struct ntlm_client_params *params,
		     const char **error_r);
void ntlm_client_deinit(struct ntlm_client *client);

/* The NEGOTIATE to send first. */
void ntlm_client_negotiate(const struct ntlm_client *client,
			   const uint8_t **data_r, size_t *len_r);

/* Read the server's CHALLENGE and build the AUTHENTICATE. The decoded
   CHALLENGE is kept (ntlm_client_challenge()). Returns -1 with a static
   *error_r if the CHALLENGE is malformed or does not allow the variant
   (e.g. no TargetInfo for NTLMv2), or with the reason of the crypto
   function that failed (ntlm-verify.h). */
int ntlm_client_input(struct ntlm_client *client, const uint8_t *data,
		      size_t len, const char **error_r);

/* The AUTHENTICATE built by ntlm_client_input(). */
void ntlm_client_authenticate(const struct ntlm_client *client,
			      const uint8_t **data_r, size_t *len_r);

/* The CHALLENGE as decoded (slices point into the client's copy). */
const struct ntlm_challenge *
ntlm_client_challenge(const struct ntlm_client *client);

/* The variant the AUTHENTICATE carries (NTLM_VARIANT_NONE before). */
enum ntlm_variant ntlm_client_sent_variant(const struct ntlm_client *client);

#endif
