/* libFuzzer target: ntlm_delegate_parse() on arbitrary bytes.

   Invariants checked: 0 exactly when there is no "/" (output untouched);
   on success every slice lies inside the input, and the parts put back
   together with "/" are the input; no part is empty or holds "/", "\",
   NUL or a control character; the form agrees with the *_is_upn flags
   and with the number of "@" in each part; the login is at most
   NTLM_DELEGATE_MAX_LEN bytes. */

#include "fuzz-common.h"
#include "ntlm-delegate.h"

static unsigned int
fuzz_delegate_count(const struct ntlm_slice *part, uint8_t c)
{
	unsigned int count = 0;
	size_t i;

	for (i = 0; i < part->len; i++) {
		if (part->data[i] == c)
			count++;
	}
	return count;
}

static void
fuzz_delegate_check_part(const struct ntlm_slice *part,
			 const uint8_t *data, size_t size, bool upn)
{
	size_t i;
	const uint8_t *at;

	fuzz_assert(part->len > 0);
	fuzz_assert(fuzz_slice_inside(part, data, size));
	for (i = 0; i < part->len; i++) {
		fuzz_assert(part->data[i] >= 0x20 && part->data[i] != 0x7f);
		fuzz_assert(part->data[i] != '/' && part->data[i] != '\\');
	}
	if (!upn) {
		fuzz_assert(fuzz_delegate_count(part, '@') == 0);
		return;
	}
	fuzz_assert(fuzz_delegate_count(part, '@') == 1);
	at = memchr(part->data, '@', part->len);
	fuzz_assert(at != part->data);
	fuzz_assert(at != part->data + part->len - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntlm_delegate_login login, untouched;
	const char *error = NULL, *name;
	const uint8_t *next;
	bool has_slash = memchr(data, '/', size) != NULL;
	bool three;
	int ret;

	fuzz_crypto_init();

	memset(&login, 0x5a, sizeof(login));
	untouched = login;
	ret = ntlm_delegate_parse((const char *)data, size, &login, &error);
	if (ret == 0) {
		fuzz_assert(!has_slash);
		fuzz_assert(memcmp(&login, &untouched, sizeof(login)) == 0);
		return 0;
	}
	fuzz_assert(has_slash);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(error != NULL);
		return 0;
	}
	fuzz_assert(ret == 1);
	fuzz_assert(size <= NTLM_DELEGATE_MAX_LEN);

	name = ntlm_delegate_form_name(login.form);
	fuzz_assert(name != NULL);

	switch (login.form) {
	case NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS:
		fuzz_assert(!login.delegate_is_upn && !login.principal_is_upn);
		three = true;
		break;
	case NTLM_DELEGATE_DOMAIN_ALIAS_UPN:
		fuzz_assert(!login.delegate_is_upn && login.principal_is_upn);
		three = true;
		break;
	case NTLM_DELEGATE_UPN_ALIAS:
		fuzz_assert(login.delegate_is_upn && !login.principal_is_upn);
		three = false;
		break;
	case NTLM_DELEGATE_UPN_UPN:
		fuzz_assert(login.delegate_is_upn && login.principal_is_upn);
		three = false;
		break;
	default:
		fuzz_assert(!"unknown delegate form");
		return 0;
	}

	/* domain "/" delegate "/" principal, or delegate "/" principal:
	   the slices are adjacent and cover the whole input. */
	next = data;
	if (three) {
		fuzz_delegate_check_part(&login.domain, data, size, false);
		fuzz_assert(login.domain.data == next);
		next += login.domain.len;
		fuzz_assert(next < data + size && *next == '/');
		next++;
	} else {
		fuzz_assert(login.domain.len == 0);
	}
	fuzz_delegate_check_part(&login.delegate, data, size,
				 login.delegate_is_upn);
	fuzz_assert(login.delegate.data == next);
	next += login.delegate.len;
	fuzz_assert(next < data + size && *next == '/');
	next++;
	fuzz_delegate_check_part(&login.principal, data, size,
				 login.principal_is_upn);
	fuzz_assert(login.principal.data == next);
	next += login.principal.len;
	fuzz_assert(next == data + size);
	return 0;
}
