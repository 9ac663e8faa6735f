#ifndef NTLM_POLICY_H
#define NTLM_POLICY_H

/* Which response variant an AUTHENTICATE carries, and the typed policy
   that decides which variants a server accepts. Policy-free shape
   first, then the policy: the server asks both before it asks for any
   hash. */

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

#endif
