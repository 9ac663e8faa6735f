#include "ntlm-selftest.h"
#include "ntlm-crypto.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"

#include <string.h>

/* [MS-NLMP] 4.2.1 common values and the results of 4.2.2-4.2.4. */
static const uint8_t kat_server_challenge[8] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
};
static const uint8_t kat_client_challenge[8] = {
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa
};
static const uint8_t kat_ntowfv1[16] = {
	0xa4, 0xf4, 0x9c, 0x40, 0x65, 0x10, 0xbd, 0xca,
	0xb6, 0x82, 0x4e, 0xe7, 0xc3, 0x0f, 0xd8, 0x52
};
static const uint8_t kat_ntlmv1[24] = {
	0x67, 0xc4, 0x30, 0x11, 0xf3, 0x02, 0x98, 0xa2,
	0xad, 0x35, 0xec, 0xe6, 0x4f, 0x16, 0x33, 0x1c,
	0x44, 0xbd, 0xbe, 0xd9, 0x27, 0x84, 0x1f, 0x94
};
static const uint8_t kat_ess[24] = {
	0x75, 0x37, 0xf8, 0x03, 0xae, 0x36, 0x71, 0x28,
	0xca, 0x45, 0x82, 0x04, 0xbd, 0xe7, 0xca, 0xf8,
	0x1e, 0x97, 0xed, 0x26, 0x83, 0x26, 0x72, 0x32
};
static const uint8_t kat_ntowfv2[16] = {
	0x0c, 0x86, 0x8a, 0x40, 0x3b, 0xfd, 0x7a, 0x93,
	0xa3, 0x00, 0x1e, 0xf2, 0x2e, 0xf0, 0x2e, 0x3f
};
static const uint8_t kat_ntproofstr[16] = {
	0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5, 0x1c, 0x96,
	0xaa, 0xbc, 0x92, 0x7b, 0xeb, 0xef, 0x6a, 0x1c
};
static const uint8_t kat_lmv2[16] = {
	0x86, 0xc3, 0x50, 0x97, 0xac, 0x9c, 0xec, 0x10,
	0x25, 0x54, 0x76, 0x4a, 0x57, 0xcc, 0xcc, 0x19
};
/* The NTLMv2 "temp" of 4.2.4.1.3: header, Time 0, client challenge,
   Z(4), AV pairs (NbDomain "Domain", NbComputer "Server", EOL), Z(4). */
static const uint8_t kat_temp[] = {
	0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa,
	0x00, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x0c, 0x00, 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0,
	'n', 0,
	0x01, 0x00, 0x0c, 0x00, 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0,
	'r', 0,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

int ntlm_selftest(bool *legacy_r, const char **error_r)
{
	static const uint8_t user[] = { 'U', 0, 's', 0, 'e', 0, 'r', 0 };
	static const uint8_t domain[] = {
		'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0
	};
	struct ntlm_slice user_s = { user, sizeof(user) };
	struct ntlm_slice domain_s = { domain, sizeof(domain) };
	struct ntlm_slice temp = { kat_temp, sizeof(kat_temp) };
	uint8_t key[16], out[24], chal[8];
	int ret = -1;

	*legacy_r = ntlm_crypto_legacy_error() == NULL;

	/* NTLMv2 needs only MD5: start from the published NTOWFv1. A
	   computation that fails reports its own reason; a wrong value
	   names the value. */
	if (ntlm_ntowfv2(kat_ntowfv1, &user_s, &domain_s, key, error_r) < 0)
		goto out;
	if (!ntlm_equal_ct(key, kat_ntowfv2, 16)) {
		*error_r = "self-check failed: NTOWFv2";
		goto out;
	}
	if (ntlm_v2_proof(key, kat_server_challenge, &temp, out, error_r) < 0)
		goto out;
	if (!ntlm_equal_ct(out, kat_ntproofstr, 16)) {
		*error_r = "self-check failed: NTProofStr";
		goto out;
	}
	if (ntlm_lmv2_proof(key, kat_server_challenge, kat_client_challenge,
			    out, error_r) < 0)
		goto out;
	if (!ntlm_equal_ct(out, kat_lmv2, 16)) {
		*error_r = "self-check failed: LMv2";
		goto out;
	}
	if (*legacy_r) {
		if (ntlm_nt_hash("Password", 8, key, error_r) < 0)
			goto out;
		if (!ntlm_equal_ct(key, kat_ntowfv1, 16)) {
			*error_r = "self-check failed: NTOWFv1";
			goto out;
		}
		if (ntlm_desl(key, kat_server_challenge, out, error_r) < 0)
			goto out;
		if (!ntlm_equal_ct(out, kat_ntlmv1, 24)) {
			*error_r = "self-check failed: NTLMv1 response";
			goto out;
		}
		if (ntlm_ess_challenge(kat_server_challenge,
				       kat_client_challenge, chal,
				       error_r) < 0 ||
		    ntlm_desl(key, chal, out, error_r) < 0)
			goto out;
		if (!ntlm_equal_ct(out, kat_ess, 24)) {
			*error_r = "self-check failed: NTLMv1-ESS response";
			goto out;
		}
	}
	ret = 0;
out:
	ntlm_wipe(key, sizeof(key));
	ntlm_wipe(out, sizeof(out));
	return ret;
}
