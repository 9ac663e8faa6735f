/* Tests for src/core/ntlm-delegate.c: the [MS-OXPOP3] 2.2.2 delegate
   login grammar. */

#include "test-common.h"
#include "ntlm-delegate.h"

#include <stdio.h>
#include <string.h>

/* Does slice point at exactly name[offset .. offset+len)? */
static bool slice_is(const struct ntlm_slice *slice, const char *name,
		     size_t offset, size_t len)
{
	return slice->len == len &&
		slice->data == (const uint8_t *)name + offset;
}

/* ------------------------------------------------------------------ */
/* The four forms */

struct form_case {
	const char *name;
	const char *login;
	enum ntlm_delegate_form form;
	const char *form_name;
	/* expected slices as offset/len into login; domain_len 0 = empty */
	size_t domain_off, domain_len;
	size_t delegate_off, delegate_len;
	size_t principal_off, principal_len;
	bool delegate_is_upn, principal_is_upn;
};

static const struct form_case form_cases[] = {
	{ "domain/alias/alias", "CONTOSO/jdoe/boss",
	  NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS, "domain/alias/alias",
	  0, 7, 8, 4, 13, 4, false, false },
	{ "domain/alias/upn", "CONTOSO/jdoe/boss@contoso.com",
	  NTLM_DELEGATE_DOMAIN_ALIAS_UPN, "domain/alias/upn",
	  0, 7, 8, 4, 13, 16, false, true },
	{ "upn/alias", "jdoe@contoso.com/boss",
	  NTLM_DELEGATE_UPN_ALIAS, "upn/alias",
	  0, 0, 0, 16, 17, 4, true, false },
	{ "upn/upn", "jdoe@contoso.com/boss@contoso.com",
	  NTLM_DELEGATE_UPN_UPN, "upn/upn",
	  0, 0, 0, 16, 17, 16, true, true },
	{ "single-character parts", "D/a/b",
	  NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS, "domain/alias/alias",
	  0, 1, 2, 1, 4, 1, false, false },
	{ "minimal UPNs", "a@b/c@d",
	  NTLM_DELEGATE_UPN_UPN, "upn/upn",
	  0, 0, 0, 3, 4, 3, true, true },
	{ "dotted domain, UTF-8 alias", "corp.example/j\xc3\xb6rg/boss",
	  NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS, "domain/alias/alias",
	  0, 12, 13, 5, 19, 4, false, false },
};

static void test_delegate_forms(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(form_cases); i++) {
		const struct form_case *c = &form_cases[i];
		struct ntlm_delegate_login login;
		const char *error = NULL;
		int ret;

		memset(&login, 0xa5, sizeof(login));
		ret = ntlm_delegate_parse(c->login, strlen(c->login), &login,
					  &error);
		ROW_ASSERT(c->name, ret == 1);
		if (ret != 1)
			continue;
		ROW_ASSERT(c->name, login.form == c->form);
		ROW_ASSERT(c->name, login.domain.len == c->domain_len);
		if (c->domain_len > 0) {
			ROW_ASSERT(c->name,
				   slice_is(&login.domain, c->login,
					    c->domain_off, c->domain_len));
		}
		ROW_ASSERT(c->name, slice_is(&login.delegate, c->login,
					     c->delegate_off,
					     c->delegate_len));
		ROW_ASSERT(c->name, slice_is(&login.principal, c->login,
					     c->principal_off,
					     c->principal_len));
		ROW_ASSERT(c->name, login.delegate_is_upn ==
			   c->delegate_is_upn);
		ROW_ASSERT(c->name, login.principal_is_upn ==
			   c->principal_is_upn);
		ROW_ASSERT(c->name,
			   strcmp(ntlm_delegate_form_name(login.form),
				  c->form_name) == 0);
	}
}

/* Only the first len bytes are parsed. */
static void test_delegate_length_bound(void)
{
	static const char name[] = "CONTOSO/jdoe/boss/extra";
	struct ntlm_delegate_login login;
	const char *error = NULL;

	CU_ASSERT_EQUAL_FATAL(ntlm_delegate_parse(name, 17, &login, &error), 1);
	CU_ASSERT_EQUAL(login.form, NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS);
	CU_ASSERT(slice_is(&login.principal, name, 13, 4));
	/* the whole string has four parts */
	CU_ASSERT_EQUAL(ntlm_delegate_parse(name, strlen(name), &login,
					    &error), -1);
	/* "CONTOSO" alone has no "/" */
	CU_ASSERT_EQUAL(ntlm_delegate_parse(name, 7, &login, &error), 0);
}

static void test_delegate_form_names(void)
{
	CU_ASSERT_STRING_EQUAL(
		ntlm_delegate_form_name(NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS),
		"domain/alias/alias");
	CU_ASSERT_STRING_EQUAL(
		ntlm_delegate_form_name(NTLM_DELEGATE_DOMAIN_ALIAS_UPN),
		"domain/alias/upn");
	CU_ASSERT_STRING_EQUAL(
		ntlm_delegate_form_name(NTLM_DELEGATE_UPN_ALIAS),
		"upn/alias");
	CU_ASSERT_STRING_EQUAL(
		ntlm_delegate_form_name(NTLM_DELEGATE_UPN_UPN), "upn/upn");
}

/* ------------------------------------------------------------------ */
/* Malformed delegate logins */

struct bad_case {
	const char *name;
	const char *login;
	/* 0 = strlen(login); set for inputs with an embedded NUL */
	size_t len;
};

static const struct bad_case bad_cases[] = {
	/* empty parts */
	{ "only a slash", "/", 0 },
	{ "two slashes", "//", 0 },
	{ "empty domain", "/jdoe/boss", 0 },
	{ "empty delegate", "CONTOSO//boss", 0 },
	{ "empty principal, 3 parts", "CONTOSO/jdoe/", 0 },
	{ "empty delegate UPN", "/boss", 0 },
	{ "empty principal, 2 parts", "jdoe@contoso.com/", 0 },
	/* too many parts */
	{ "four parts", "a/b/c/d", 0 },
	{ "four parts with UPNs", "CONTOSO/jdoe/boss@x.com/more", 0 },
	{ "trailing slash after 3 parts", "CONTOSO/jdoe/boss/", 0 },
	/* '@' where an alias or domain must be */
	{ "domain with @", "CON@TOSO/jdoe/boss", 0 },
	{ "domain is a UPN", "jdoe@contoso.com/jdoe/boss", 0 },
	{ "3-part delegate is a UPN", "CONTOSO/jdoe@contoso.com/boss", 0 },
	{ "3-part delegate is lone @", "CONTOSO/@/boss", 0 },
	/* 2-part delegate must be a UPN */
	{ "2-part delegate is an alias", "jdoe/boss", 0 },
	{ "2-part delegate alias, principal UPN", "jdoe/boss@contoso.com", 0 },
	/* malformed UPNs */
	{ "delegate UPN empty local part", "@contoso.com/boss", 0 },
	{ "delegate UPN empty domain", "jdoe@/boss", 0 },
	{ "delegate UPN two @", "jdoe@contoso@com/boss", 0 },
	{ "delegate UPN lone @", "@/boss", 0 },
	{ "principal UPN empty local part", "jdoe@contoso.com/@contoso.com",
	  0 },
	{ "principal UPN empty domain", "CONTOSO/jdoe/boss@", 0 },
	{ "principal UPN two @", "CONTOSO/jdoe/boss@x@y", 0 },
	{ "principal UPN adjacent @@", "jdoe@contoso.com/boss@@x", 0 },
	{ "principal lone @", "CONTOSO/jdoe/@", 0 },
	/* forbidden bytes */
	{ "control character in domain", "CON\x01TOSO/jdoe/boss", 0 },
	{ "tab in delegate", "CONTOSO/jd\toe/boss", 0 },
	{ "newline in principal", "CONTOSO/jdoe/boss\n", 0 },
	{ "CR in UPN", "jdoe@contoso.com\r/boss", 0 },
	{ "escape (0x1f)", "CONTOSO/jdoe/bo\x1fss", 0 },
	{ "DEL (0x7f)", "CONTOSO/jdoe/boss\x7f", 0 },
	{ "backslash in domain", "CON\\TOSO/jdoe/boss", 0 },
	{ "backslash as domain separator", "CONTOSO\\jdoe/boss@x.com", 0 },
	{ "backslash in principal", "jdoe@contoso.com/bo\\ss", 0 },
	{ "NUL in delegate", "CONTOSO/jd\0oe/boss", 18 },
	{ "NUL at end", "CONTOSO/jdoe/boss\0", 18 },
	{ "NUL before the slash", "jdoe@contoso.com\0/boss", 22 },
};

static void test_delegate_malformed(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct ntlm_delegate_login login, untouched;
		size_t len = c->len != 0 ? c->len : strlen(c->login);
		const char *error = NULL;

		memset(&login, 0xa5, sizeof(login));
		memcpy(&untouched, &login, sizeof(login));
		ROW_ASSERT(c->name, ntlm_delegate_parse(c->login, len, &login,
							&error) == -1);
		ROW_ASSERT(c->name, error != NULL && error[0] != '\0');
		ROW_ASSERT(c->name,
			   memcmp(&login, &untouched, sizeof(login)) == 0);
	}
}

/* ------------------------------------------------------------------ */
/* Ordinary logins: no "/" at all */

static const struct bad_case plain_cases[] = {
	{ "empty", "", 0 },
	{ "alias", "jdoe", 0 },
	{ "UPN", "jdoe@contoso.com", 0 },
	{ "down-level DOMAIN\\user", "CONTOSO\\jdoe", 0 },
	{ "double @ (not ours to judge)", "a@b@c", 0 },
};

static void test_delegate_plain(void)
{
	char long_name[NTLM_DELEGATE_MAX_LEN + 100];
	struct ntlm_delegate_login login, untouched;
	const char *error = NULL;
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(plain_cases); i++) {
		const struct bad_case *c = &plain_cases[i];

		memset(&login, 0xa5, sizeof(login));
		memcpy(&untouched, &login, sizeof(login));
		ROW_ASSERT(c->name,
			   ntlm_delegate_parse(c->login, strlen(c->login),
					       &login, &error) == 0);
		ROW_ASSERT(c->name,
			   memcmp(&login, &untouched, sizeof(login)) == 0);
	}

	/* a long ordinary name is not a delegate login at all */
	memset(long_name, 'x', sizeof(long_name));
	memset(&login, 0xa5, sizeof(login));
	CU_ASSERT_EQUAL(ntlm_delegate_parse(long_name, sizeof(long_name),
					    &login, &error), 0);
	CU_ASSERT(memcmp(&login, &untouched, sizeof(login)) == 0);
}

/* ------------------------------------------------------------------ */
/* NTLM_DELEGATE_MAX_LEN */

static void make_long_login(char *buf, size_t len)
{
	/* "CONTOSO/jdoe/bbbb...b" of exactly len bytes */
	memset(buf, 'b', len);
	memcpy(buf, "CONTOSO/jdoe/", 13);
}

static void test_delegate_max_len(void)
{
	char buf[NTLM_DELEGATE_MAX_LEN + 2];
	struct ntlm_delegate_login login, untouched;
	const char *error = NULL;

	make_long_login(buf, NTLM_DELEGATE_MAX_LEN);
	CU_ASSERT_EQUAL_FATAL(ntlm_delegate_parse(buf, NTLM_DELEGATE_MAX_LEN,
						  &login, &error), 1);
	CU_ASSERT_EQUAL(login.form, NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS);
	CU_ASSERT(slice_is(&login.principal, buf, 13,
			   NTLM_DELEGATE_MAX_LEN - 13));

	make_long_login(buf, NTLM_DELEGATE_MAX_LEN + 1);
	memset(&login, 0xa5, sizeof(login));
	memcpy(&untouched, &login, sizeof(login));
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_delegate_parse(buf, NTLM_DELEGATE_MAX_LEN + 1,
					    &login, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	CU_ASSERT(memcmp(&login, &untouched, sizeof(login)) == 0);

	/* the same login cut at the limit is fine again */
	CU_ASSERT_EQUAL(ntlm_delegate_parse(buf, NTLM_DELEGATE_MAX_LEN,
					    &login, &error), 1);
}

static const struct test_case delegate_tests[] = {
	{ "the four forms", test_delegate_forms },
	{ "length bounds parsing", test_delegate_length_bound },
	{ "form names", test_delegate_form_names },
	{ "malformed logins", test_delegate_malformed },
	{ "ordinary logins", test_delegate_plain },
	{ "maximum length", test_delegate_max_len },
};

int test_delegate_register(void)
{
	return test_register_suite("delegate", NULL, NULL, delegate_tests,
				   N_ELEMENTS(delegate_tests));
}
