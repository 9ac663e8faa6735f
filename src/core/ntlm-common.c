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

const char *ntlm_name_row_find(const struct ntlm_name_row *rows,
			       size_t count, uint32_t value)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (rows[i].value == value)
			return rows[i].name;
	}
	return NULL;
}
