#include "ntlm-common.h"

const char *ntlm_error_name(enum ntlm_error error)
{
	switch (error) {
	case NTLM_OK:
		return "ok";
	case NTLM_ERR_MESSAGE:
		return "malformed message";
	case NTLM_ERR_POLICY:
		return "refused by policy";
	case NTLM_ERR_MISMATCH:
		return "credentials mismatch";
	case NTLM_ERR_INTEGRITY:
		return "integrity check failed";
	case NTLM_ERR_INTERNAL:
		return "internal error";
	}
	return "unknown error";
}
