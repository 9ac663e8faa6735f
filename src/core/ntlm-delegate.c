/* The [MS-OXPOP3] 2.2.2 delegate-access login grammar. See
   ntlm-delegate.h. */

#include "ntlm-delegate.h"

#include <string.h>

#define NTLM_DELEGATE_MAX_PARTS 3

static void slice_set(struct ntlm_slice *slice, const char *data, size_t len)
{
	slice->data = (const uint8_t *)data;
	slice->len = len;
}

static unsigned int count_at(const struct ntlm_slice *part)
{
	unsigned int count = 0;
	size_t i;

	for (i = 0; i < part->len; i++) {
		if (part->data[i] == '@')
			count++;
	}
	return count;
}

/* A part with an "@" must be exactly local@domain, both non-empty. */
static bool part_is_valid_upn(const struct ntlm_slice *part)
{
	const uint8_t *at;

	if (count_at(part) != 1)
		return false;
	at = memchr(part->data, '@', part->len);
	return at != part->data && at != part->data + part->len - 1;
}

static int check_part(const struct ntlm_slice *part, const char **error_r)
{
	size_t i;

	if (part->len == 0) {
		*error_r = "delegate login has an empty part";
		return -1;
	}
	for (i = 0; i < part->len; i++) {
		uint8_t c = part->data[i];

		if (c == 0x00) {
			*error_r = "delegate login contains NUL";
			return -1;
		}
		if (c < 0x20 || c == 0x7f) {
			*error_r = "delegate login contains a control "
				"character";
			return -1;
		}
		if (c == '\\') {
			*error_r = "delegate login contains a backslash";
			return -1;
		}
	}
	return 0;
}

int ntlm_delegate_parse(const char *name, size_t len,
			struct ntlm_delegate_login *login_r,
			const char **error_r)
{
	struct ntlm_slice parts[NTLM_DELEGATE_MAX_PARTS];
	struct ntlm_delegate_login login;
	const struct ntlm_slice *principal;
	unsigned int i, count = 0;
	size_t start = 0, pos;

	if (len == 0 || memchr(name, '/', len) == NULL)
		return 0;
	if (len > NTLM_DELEGATE_MAX_LEN) {
		*error_r = "delegate login too long";
		return -1;
	}

	/* split at every "/" */
	for (pos = 0; pos <= len; pos++) {
		if (pos < len && name[pos] != '/')
			continue;
		if (count == NTLM_DELEGATE_MAX_PARTS) {
			*error_r = "delegate login has more than three parts";
			return -1;
		}
		slice_set(&parts[count++], name + start, pos - start);
		start = pos + 1;
	}
	for (i = 0; i < count; i++) {
		if (check_part(&parts[i], error_r) < 0)
			return -1;
	}

	memset(&login, 0, sizeof(login));
	principal = &parts[count - 1];
	login.principal = *principal;
	if (count_at(principal) > 0) {
		if (!part_is_valid_upn(principal)) {
			*error_r = "delegate login has a malformed "
				"principal UPN";
			return -1;
		}
		login.principal_is_upn = true;
	}

	if (count == 3) {
		if (count_at(&parts[0]) > 0) {
			*error_r = "delegate login domain contains '@'";
			return -1;
		}
		if (count_at(&parts[1]) > 0) {
			*error_r = "delegate alias after a domain contains '@'";
			return -1;
		}
		login.domain = parts[0];
		login.delegate = parts[1];
		login.delegate_is_upn = false;
		login.form = login.principal_is_upn ?
			NTLM_DELEGATE_DOMAIN_ALIAS_UPN :
			NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS;
	} else {
		/* count == 2: the delegate must be a UPN */
		if (!part_is_valid_upn(&parts[0])) {
			*error_r = "delegate login without a domain needs a "
				"delegate UPN";
			return -1;
		}
		slice_set(&login.domain, name, 0);
		login.delegate = parts[0];
		login.delegate_is_upn = true;
		login.form = login.principal_is_upn ?
			NTLM_DELEGATE_UPN_UPN : NTLM_DELEGATE_UPN_ALIAS;
	}
	*login_r = login;
	return 1;
}

const char *ntlm_delegate_form_name(enum ntlm_delegate_form form)
{
	switch (form) {
	case NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS:
		return "domain/alias/alias";
	case NTLM_DELEGATE_DOMAIN_ALIAS_UPN:
		return "domain/alias/upn";
	case NTLM_DELEGATE_UPN_ALIAS:
		return "upn/alias";
	case NTLM_DELEGATE_UPN_UPN:
		return "upn/upn";
	}
	return "unknown";
}
