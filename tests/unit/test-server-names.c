/* ntlm-server.c, the identity of a login, and the user and domain forms:
   domain as sent, upper-cased or empty, DOMAIN\\user and UPN in the user
   field, an OEM-only client. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_server_identity(void)
{
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(exch_input_authenticate(),
			      NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->wire.server), NTLM_HASH_NT);
	ntlm_server_get_identity(&ex->wire.server, &ex->id);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.user);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.workstation);
	CU_ASSERT_STRING_EQUAL(ex->id.user, NLMP_USER);
	CU_ASSERT_STRING_EQUAL(ex->id.domain, NLMP_USER_DOM);
	CU_ASSERT_STRING_EQUAL(ex->id.workstation, NLMP_WORKSTATION);
	CU_ASSERT_EQUAL(ex->id.variant, NTLM_VARIANT_NTLMV2);
	CU_ASSERT_TRUE(ex->id.unicode);
	CU_ASSERT_FALSE(ex->id.mic_verified);
	CU_ASSERT_PTR_NULL(ex->id.domain_form);

	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->wire.server, NTLM_HASH_NT,
					   ex->nt_hash),
			NTLM_SERVER_SUCCESS);
	ntlm_server_get_identity(&ex->wire.server, &ex->id);
	CU_ASSERT_TRUE(ex->id.mic_verified);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain_form);
	CU_ASSERT_STRING_EQUAL(ex->id.domain_form, "as sent");

	/* No such user: a mismatch, the identity stays readable. */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(exch_input_authenticate(),
			      NTLM_SERVER_NEED_HASH);
	ntlm_server_user_unknown(&ex->wire.server);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->wire.server, &ex->reason),
			NTLM_ERR_MISMATCH);
	ntlm_server_get_identity(&ex->wire.server, &ex->id);
	CU_ASSERT_STRING_EQUAL(ex->id.user, NLMP_USER);
}

static void test_server_domain_forms(void)
{
	static const struct {
		const char *name;
		const char *hashed;	/* domain the client hashes with */
		const char *sent;	/* domain in the message (NULL: same) */
		const char *form;
	} cases[] = {
		{ .name = "as sent", .hashed = NLMP_USER_DOM, .sent = NULL,
		  .form = "as sent" },
		{ .name = "upper-case sent, upper-case hashed",
		  .hashed = "DOMAIN", .sent = NULL, .form = "as sent" },
		{ .name = "upper-cased (Cyrus, Thunderbird)",
		  .hashed = "DOMAIN", .sent = NLMP_USER_DOM,
		  .form = "upper-cased" },
		{ .name = "empty (NIL UserDom)", .hashed = NULL,
		  .sent = NLMP_USER_DOM, .form = "empty" },
		{ .name = "empty sent, empty hashed", .hashed = NULL,
		  .sent = NULL, .form = "as sent" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->params.domain = cases[i].hashed;
		ex->params.send_mic = false;
		exch_start();
		if (cases[i].sent != NULL)
			rewrite_domain(cases[i].sent);
		exch_finish();
		ASSERT_SUCCESS(cases[i].name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain_form);
		if (strcmp(ex->id.domain_form, cases[i].form) != 0) {
			fprintf(stderr, "\ndomain case \"%s\": form \"%s\"\n",
				cases[i].name, ex->id.domain_form);
			CU_FAIL("domain form");
		}
		CU_ASSERT_STRING_EQUAL(ex->id.domain,
			cases[i].sent != NULL ? cases[i].sent :
			cases[i].hashed != NULL ? cases[i].hashed : "");
	}

	/* A domain nobody hashed with: mismatch after all three tries. */
	exch_reset();
	ex->params.domain = "OTHER";
	ex->params.send_mic = false;
	exch_start();
	rewrite_domain(NLMP_USER_DOM);
	exch_finish();
	ASSERT_FAILURE("unrelated domain", NTLM_ERR_MISMATCH);
}

static void test_server_user_forms(void)
{
	static const char *const users[] = {
		"DOMAIN\\user", "user@domain", "user@example.com",
		"DOMAIN/user",
	};
	unsigned int i;

	for (i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		exch_reset();
		ex->params.user = users[i];
		ex->params.domain = NULL;
		exch_run();
		ASSERT_SUCCESS(users[i]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.user);
		CU_ASSERT_STRING_EQUAL(ex->id.user, users[i]);
		CU_ASSERT_STRING_EQUAL(ex->id.domain, "");
		CU_ASSERT_TRUE(ex->id.mic_verified);
	}
}

static void test_server_oem_client(void)
{
	static const struct {
		const char *user;
		const char *latin1;
	} cases[] = {
		{ "user", "user" },
		/* U+00F6: one byte on the wire, two in UTF-8 */
		{ "j\xc3\xb6rg", "j\xf6rg" },
	};
	struct ntlm_authenticate msg;
	const char *error = NULL;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->params.unicode = false;
		ex->params.user = cases[i].user;
		exch_run();
		ASSERT_SUCCESS(cases[i].user);
		CU_ASSERT_FALSE(ex->id.unicode);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.user);
		CU_ASSERT_STRING_EQUAL(ex->id.user, cases[i].user);
		CU_ASSERT_STRING_EQUAL(ex->id.domain, NLMP_USER_DOM);
		CU_ASSERT_STRING_EQUAL(ex->id.workstation, NLMP_WORKSTATION);
		CU_ASSERT_EQUAL(ex->id.flags & NTLM_FL_UNICODE, 0);
		/* the user field is Latin-1 on the wire */
		CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(
			ex->wire.authenticate, ex->wire.authenticate_len, &msg,
			&error), 0);
		CU_ASSERT_EQUAL_FATAL(msg.user.len, strlen(cases[i].latin1));
		CU_ASSERT_EQUAL(memcmp(msg.user.data, cases[i].latin1,
				       msg.user.len), 0);
	}
}

static const struct test_case server_names_tests[] = {
	{ "identity and unknown user", test_server_identity },
	{ "domain as sent / upper-cased / empty", test_server_domain_forms },
	{ "DOMAIN\\user and UPN in the user field", test_server_user_forms },
	{ "OEM-only client", test_server_oem_client },
};

int test_server_names_register(void)
{
	return test_server_register_suite("server: identity and names",
					  server_names_tests,
					  N_ELEMENTS(server_names_tests));
}
