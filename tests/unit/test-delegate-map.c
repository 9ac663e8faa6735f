/* Tests for src/core/ntlm-delegate-map.c: the delegate map and the
   resolution of delegate-login names to accounts. */

#include "test-common.h"
#include "ntlm-delegate-map.h"

#include <stdlib.h>
#include <string.h>

static const char sample_map[] =
	"# who may open whose mailbox\n"
	"bob: alice\n"
	"john.smith: alice carol@example.com   # two delegates\n"
	"john.smith: dave\n"
	"ghost: alice\n"
	"nobody-delegates:\n"
	"*: postmaster\n"
	"\n"
	"   \t\n"
	"jsmith = john.smith\n"
	"John.Smith@Example.com = john.smith\n"
	"alice@example.com = alice\n"
	"jsmith = somebody.else   # a second line for a name is ignored\n"
	"r\xc3\xa9mi = remi\r\n";

static const struct ntlm_delegate_names names_checked = {
	.domains = "CORP, example.com,corp.example.com",
	.check_domain = true,
	.upn_local_part = false,
};

static const struct ntlm_delegate_names names_unchecked = {
	.domains = NULL,
	.check_domain = false,
	.upn_local_part = false,
};

static const struct ntlm_delegate_names names_local = {
	.domains = "example.com",
	.check_domain = true,
	.upn_local_part = true,
};

/* ------------------------------------------------------------------ */
/* map syntax */

static void test_map_check_valid(void)
{
	unsigned int line = 99;
	const char *error = NULL;

	CU_ASSERT_EQUAL(ntlm_delegate_map_check(sample_map,
						strlen(sample_map), &line,
						&error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("", 0, &line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("a:b", 3, &line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check("# only\n", 7, &line,
						&error), 0);
}

struct bad_map {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen */
	unsigned int line;
};

static const struct bad_map bad_maps[] = {
	{ "lone name", "bob\n", 0, 1 },
	{ "no principal", "ok: a\n: alice\n", 0, 2 },
	{ "two colons", "bob: alice: carol\n", 0, 1 },
	{ "equals in a grant", "bob: alice = carol\n", 0, 1 },
	{ "alias without account", "a: b\n\njsmith =\n", 0, 3 },
	{ "alias with two accounts", "jsmith = john smith\n", 0, 1 },
	{ "alias of *", "* = root\n", 0, 1 },
	{ "slash in a name", "corp/bob: alice\n", 0, 1 },
	{ "backslash in a name", "bob: CORP\\alice\n", 0, 1 },
	{ "control character", "bob: al\x01ice\n", 0, 1 },
	{ "NUL byte", "bob: a\0b\n", 10, 1 },
	{ "colon then equals", "bob := alice\n", 0, 1 },
};

static void test_map_check_invalid(void)
{
	unsigned int i, line;
	const char *error;

	for (i = 0; i < N_ELEMENTS(bad_maps); i++) {
		const struct bad_map *c = &bad_maps[i];
		size_t len = c->len != 0 ? c->len : strlen(c->text);

		line = 0;
		error = NULL;
		ROW_ASSERT(c->name, ntlm_delegate_map_check(c->text, len,
							    &line,
							    &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, line == c->line);
		/* an invalid map grants nothing, not even its valid lines */
		ROW_ASSERT(c->name, !ntlm_delegate_map_allows(c->text, len,
							      "ok", "a"));
	}
}

static void test_map_limits(void)
{
	char name[NTLM_DELEGATE_NAME_MAX + 2 + 4];
	char *big;
	unsigned int line;
	const char *error;
	size_t len;

	/* a name of exactly the maximum length, then one byte more */
	memset(name, 'n', sizeof(name));
	memcpy(name + NTLM_DELEGATE_NAME_MAX, ": a", 3);
	len = NTLM_DELEGATE_NAME_MAX + 3;
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(name, len, &line, &error), 0);
	memset(name, 'n', sizeof(name));
	memcpy(name + NTLM_DELEGATE_NAME_MAX + 1, ": a", 3);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(name, len + 1, &line,
						&error), -1);

	/* the size cap */
	big = malloc(NTLM_DELEGATE_MAP_MAX_SIZE + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, '\n', NTLM_DELEGATE_MAP_MAX_SIZE + 1);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(big,
						NTLM_DELEGATE_MAP_MAX_SIZE,
						&line, &error), 0);
	CU_ASSERT_EQUAL(ntlm_delegate_map_check(big,
						NTLM_DELEGATE_MAP_MAX_SIZE + 1,
						&line, &error), -1);
	free(big);
}

/* ------------------------------------------------------------------ */
/* domains */

static void test_domains(void)
{
	const uint8_t *corp = (const uint8_t *)"corp";

	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked, corp, 4));
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"EXAMPLE.COM", 11));
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"corp.example.com", 16));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"example", 7));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"corpx", 5));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		(const uint8_t *)"cor", 3));
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&names_checked,
		corp, 0));
	/* unchecked: anything goes */
	CU_ASSERT_TRUE(ntlm_delegate_domain_accepted(&names_unchecked,
		(const uint8_t *)"evil", 4));
	/* checked without domains: nothing goes */
	struct ntlm_delegate_names none = { .domains = NULL,
					    .check_domain = true };
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&none, corp, 4));
	none.domains = " , ";
	CU_ASSERT_FALSE(ntlm_delegate_domain_accepted(&none, corp, 4));
}

/* ------------------------------------------------------------------ */
/* resolution */

struct resolve_case {
	const char *name;
	const struct ntlm_delegate_names *set;
	const char *login_name;
	const char *account; /* NULL: refused */
};

static const struct resolve_case resolve_cases[] = {
	{ "account as is", &names_checked, "bob", "bob" },
	{ "alias line (KB Q191558)", &names_checked, "jsmith", "john.smith" },
	{ "alias, other case", &names_checked, "JSmith", "john.smith" },
	{ "UPN line, other case", &names_checked, "john.smith@EXAMPLE.com",
	  "john.smith" },
	{ "UPN without a line stays whole", &names_checked,
	  "carol@example.com", "carol@example.com" },
	{ "UPN in a refused domain", &names_checked, "alice@evil.com", NULL },
	{ "UPN with two '@'", &names_checked, "a@b@example.com", NULL },
	{ "UPN without local part", &names_checked, "@example.com", NULL },
	{ "UPN without domain", &names_checked, "alice@", NULL },
	{ "UPN, domain ignored", &names_unchecked, "alice@evil.com",
	  "alice@evil.com" },
	{ "UPN local part as alias", &names_local, "jsmith@example.com",
	  "john.smith" },
	{ "UPN local part as account", &names_local, "bob@example.com",
	  "bob" },
	{ "UPN line wins over the local part", &names_local,
	  "alice@example.com", "alice" },
	{ "UPN local part, domain still checked", &names_local,
	  "bob@corp.example.com", NULL },
	{ "first line for a name wins", &names_checked, "jsmith",
	  "john.smith" },
	{ "UTF-8 alias", &names_checked, "r\xc3\xa9mi", "remi" },
	{ "name with a space", &names_checked, "bo b", NULL },
	{ "name with a slash", &names_checked, "a/b", NULL },
	{ "empty name", &names_checked, "", NULL },
};

static void test_resolve(void)
{
	char account[NTLM_DELEGATE_NAME_MAX + 1];
	unsigned int i;
	const char *error;
	int ret;

	for (i = 0; i < N_ELEMENTS(resolve_cases); i++) {
		const struct resolve_case *c = &resolve_cases[i];

		error = NULL;
		ret = ntlm_delegate_resolve(sample_map, strlen(sample_map),
					    c->set,
					    (const uint8_t *)c->login_name,
					    strlen(c->login_name), account,
					    sizeof(account), &error);
		if (c->account == NULL) {
			ROW_ASSERT(c->name, ret == -1);
			ROW_ASSERT(c->name, error != NULL);
		} else {
			ROW_ASSERT(c->name, ret == 0);
			ROW_ASSERT(c->name, ret == 0 &&
				   strcmp(account, c->account) == 0);
		}
	}
}

static void test_resolve_buffer(void)
{
	char small[4];
	const char *error = NULL;

	/* "bob" fits in 4 bytes, "john.smith" does not */
	CU_ASSERT_EQUAL(ntlm_delegate_resolve(sample_map, strlen(sample_map),
					      &names_checked,
					      (const uint8_t *)"bob", 3,
					      small, sizeof(small), &error), 0);
	CU_ASSERT_STRING_EQUAL(small, "bob");
	CU_ASSERT_EQUAL(ntlm_delegate_resolve(sample_map, strlen(sample_map),
					      &names_checked,
					      (const uint8_t *)"jsmith", 6,
					      small, sizeof(small), &error),
			-1);
}

/* ------------------------------------------------------------------ */
/* whole logins */

struct login_case {
	const char *name;
	const struct ntlm_delegate_names *set;
	const char *login;
	const char *delegate, *principal; /* NULL: refused */
};

static const struct login_case login_cases[] = {
	{ "domain/alias/alias", &names_checked, "CORP/alice/jsmith",
	  "alice", "john.smith" },
	{ "domain/alias/upn", &names_checked,
	  "corp.example.com/alice/john.smith@example.com",
	  "alice", "john.smith" },
	{ "upn/alias", &names_checked, "alice@example.com/jsmith",
	  "alice", "john.smith" },
	{ "upn/upn", &names_checked,
	  "alice@example.com/john.smith@example.com", "alice", "john.smith" },
	{ "unknown domain", &names_checked, "EVIL/alice/bob", NULL, NULL },
	{ "unknown domain ignored", &names_unchecked, "EVIL/alice/bob",
	  "alice", "bob" },
	{ "delegate UPN in unknown domain", &names_checked,
	  "alice@evil.com/bob", NULL, NULL },
	{ "principal UPN in unknown domain", &names_checked,
	  "CORP/alice/bob@evil.com", NULL, NULL },
};

static void test_login_accounts(void)
{
	char delegate[NTLM_DELEGATE_NAME_MAX + 1];
	char principal[NTLM_DELEGATE_NAME_MAX + 1];
	struct ntlm_delegate_login login;
	unsigned int i;
	const char *error;
	int ret;

	for (i = 0; i < N_ELEMENTS(login_cases); i++) {
		const struct login_case *c = &login_cases[i];

		error = NULL;
		ROW_ASSERT(c->name, ntlm_delegate_parse(c->login,
							strlen(c->login),
							&login, &error) == 1);
		ret = ntlm_delegate_login_accounts(sample_map,
						   strlen(sample_map), c->set,
						   &login, delegate,
						   sizeof(delegate), principal,
						   sizeof(principal), &error);
		if (c->delegate == NULL) {
			ROW_ASSERT(c->name, ret == -1);
			ROW_ASSERT(c->name, error != NULL);
			continue;
		}
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, ret == 0 &&
			   strcmp(delegate, c->delegate) == 0 &&
			   strcmp(principal, c->principal) == 0);
	}
}

/* ------------------------------------------------------------------ */
/* grants */

struct allow_case {
	const char *name;
	const char *principal, *delegate;
	bool allowed;
};

static const struct allow_case allow_cases[] = {
	{ "listed", "bob", "alice", true },
	{ "listed, other case", "BOB", "Alice", true },
	{ "second of two", "john.smith", "carol@example.com", true },
	{ "grant lines add up", "john.smith", "dave", true },
	{ "not listed", "bob", "carol@example.com", false },
	{ "grants are not symmetric", "alice", "bob", false },
	{ "unknown principal", "nobody", "alice", false },
	{ "principal with no delegates", "nobody-delegates", "alice", false },
	{ "prefix of a listed name", "bob", "alic", false },
	{ "listed name is a prefix", "bob", "alice2", false },
	{ "grant lines name accounts, not aliases", "jsmith", "alice",
	  false },
	{ "comment is not a delegate", "john.smith", "two", false },
	{ "wildcard principal", "anyone", "postmaster", true },
	{ "wildcard is no delegate", "bob", "*", false },
	{ "empty delegate", "bob", "", false },
	{ "empty principal", "", "alice", false },
};

static void test_allows(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(allow_cases); i++) {
		const struct allow_case *c = &allow_cases[i];

		ROW_ASSERT(c->name, ntlm_delegate_map_allows(
				sample_map, strlen(sample_map),
				c->principal, c->delegate) == c->allowed);
	}
	/* deny by default: an empty map grants nothing */
	CU_ASSERT_FALSE(ntlm_delegate_map_allows("", 0, "bob", "alice"));
}

static void test_grant_revoke(void)
{
	/* granting is adding a name, revoking is removing it */
	const char *granted = "bob: carol alice\n";
	const char *revoked = "bob: carol\n";

	CU_ASSERT_TRUE(ntlm_delegate_map_allows(granted, strlen(granted),
						"bob", "alice"));
	CU_ASSERT_FALSE(ntlm_delegate_map_allows(revoked, strlen(revoked),
						 "bob", "alice"));
	CU_ASSERT_TRUE(ntlm_delegate_map_allows(revoked, strlen(revoked),
						"bob", "carol"));
}

static const struct test_case delegate_map_tests[] = {
	{ "valid maps", test_map_check_valid },
	{ "invalid maps", test_map_check_invalid },
	{ "name and size limits", test_map_limits },
	{ "domains", test_domains },
	{ "name resolution", test_resolve },
	{ "resolution buffer", test_resolve_buffer },
	{ "login accounts", test_login_accounts },
	{ "grants", test_allows },
	{ "grant and revoke", test_grant_revoke },
};

int test_delegate_map_register(void)
{
	return test_register_suite("delegate-map", NULL, NULL,
				   delegate_map_tests,
				   N_ELEMENTS(delegate_map_tests));
}
