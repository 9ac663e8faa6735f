#include "ntlm-policy.h"
#include "ntlm-msg.h"

#include <string.h>

const char *ntlm_variant_name(enum ntlm_variant variant)
{
	switch (variant) {
	case NTLM_VARIANT_NONE:
		return "none";
	case NTLM_VARIANT_NTLMV2:
		return "NTLMv2";
	case NTLM_VARIANT_LMV2:
		return "LMv2";
	case NTLM_VARIANT_NTLMV1_ESS:
		return "NTLMv1-ESS";
	case NTLM_VARIANT_NTLMV1:
		return "NTLMv1";
	case NTLM_VARIANT_LM:
		return "LM";
	case NTLM_VARIANT_ANONYMOUS:
		return "anonymous";
	}
	return "unknown";
}

bool ntlm_authenticate_is_anonymous(const struct ntlm_authenticate *auth)
{
	return auth->nt_response.len == 0 && auth->user.len == 0 &&
		(auth->lm_response.len == 0 ||
		 (auth->lm_response.len == 1 &&
		  auth->lm_response.data[0] == 0));
}

int ntlm_response_shape(const struct ntlm_authenticate *auth, uint32_t flags,
			enum ntlm_variant *variant_r, const char **error_r)
{
	size_t nt_len = auth->nt_response.len;

	if (ntlm_authenticate_is_anonymous(auth))
		*variant_r = NTLM_VARIANT_ANONYMOUS;
	else if (nt_len > 24)
		*variant_r = NTLM_VARIANT_NTLMV2;
	else if (nt_len == 24) {
		*variant_r = (flags & NTLM_FL_EXTENDED_SESSIONSECURITY) != 0 ?
			NTLM_VARIANT_NTLMV1_ESS : NTLM_VARIANT_NTLMV1;
	} else if (nt_len > 0) {
		*error_r = "NT response of an impossible length";
		return -1;
	} else if (auth->lm_response.len == 24)
		*variant_r = NTLM_VARIANT_LMV2;
	else
		*variant_r = NTLM_VARIANT_NONE;
	return 0;
}

void ntlm_policy_init_strict(struct ntlm_policy *policy_r)
{
	memset(policy_r, 0, sizeof(*policy_r));
	policy_r->allow_lmv2 = true;
	policy_r->max_clock_skew_secs = 3600;
}

bool ntlm_policy_allows(const struct ntlm_policy *policy,
			enum ntlm_variant variant, const char **reason_r)
{
	switch (variant) {
	case NTLM_VARIANT_NTLMV2:
		return true;
	case NTLM_VARIANT_LMV2:
		if (policy->require_mic) {
			*reason_r = "LMv2-only response refused: it cannot "
				"carry a MIC (ntlm_require_mic = yes)";
			return false;
		}
		if (!policy->allow_lmv2) {
			*reason_r = "LMv2-only response refused "
				"(ntlm_allow_lmv2 = no)";
			return false;
		}
		return true;
	case NTLM_VARIANT_NTLMV1_ESS:
		if (!policy->allow_ntlmv1_ess) {
			*reason_r = "NTLMv1 with extended session security "
				"refused (ntlm_allow_ntlmv1_ess = no)";
			return false;
		}
		return true;
	case NTLM_VARIANT_NTLMV1:
		if (!policy->allow_ntlmv1) {
			*reason_r = "NTLMv1 refused (ntlm_allow_ntlmv1 = no)";
			return false;
		}
		return true;
	case NTLM_VARIANT_LM:
		if (!policy->allow_lm) {
			*reason_r = "LM response refused (ntlm_allow_lm = no)";
			return false;
		}
		return true;
	case NTLM_VARIANT_ANONYMOUS:
		if (!policy->allow_anonymous) {
			*reason_r = "anonymous login refused "
				"(ntlm_allow_anonymous = no)";
			return false;
		}
		return true;
	case NTLM_VARIANT_NONE:
		break;
	}
	*reason_r = "no usable response in AUTHENTICATE";
	return false;
}
