/* ntlm-server.c, every response variant against every policy setting
   (table): what is refused before a hash is asked for, what is a mismatch,
   the hashes asked for, and the identity of a success. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum policy_change {
	POL_STRICT,
	POL_NO_LMV2,
	POL_NTLMV1_ESS,
	POL_NTLMV1,
	POL_LM,
	POL_LM_NO_LMV2,
	POL_NO_LMV2_NO_LM,
	POL_ANONYMOUS,
	POL_REQUIRE_MIC,
};

enum auth_shape {
	/* as the client built it */
	SHAPE_AS_BUILT,
	/* the NT response removed: an LM-only client */
	SHAPE_LM_ONLY,
	/* the NTLMv1 response moved into the LM field, NT field empty */
	SHAPE_NT_IN_LM,
};

struct variant_case {
	const char *name;
	enum ntlm_client_variant client;
	bool send_mic;
	bool have_lm_hash;
	enum auth_shape shape;
	enum policy_change policy;
	/* expected */
	enum ntlm_server_action final;
	enum ntlm_error error;
	/* hash requests, in order (NT = 'N', LM = 'L') */
	const char *hashes;
	enum ntlm_variant variant;
	bool mic_verified;
};

static const struct variant_case variant_cases[] = {
	{ .name = "NTLMv2 with MIC, strict", .client = NTLM_CLIENT_V2,
	  .send_mic = true, .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_NTLMV2, .mic_verified = true },
	{ .name = "NTLMv2 without MIC, strict", .client = NTLM_CLIENT_V2,
	  .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_NTLMV2 },
	{ .name = "NTLMv2 with MIC, require_mic", .client = NTLM_CLIENT_V2,
	  .send_mic = true, .shape = SHAPE_AS_BUILT, .policy = POL_REQUIRE_MIC,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_NTLMV2, .mic_verified = true },
	{ .name = "NTLMv2 without MIC, require_mic", .client = NTLM_CLIENT_V2,
	  .shape = SHAPE_AS_BUILT, .policy = POL_REQUIRE_MIC,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_NTLMV2 },

	{ .name = "LMv2, strict", .client = NTLM_CLIENT_LMV2,
	  .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_LMV2 },
	{ .name = "LMv2, allow_lmv2 = no", .client = NTLM_CLIENT_LMV2,
	  .shape = SHAPE_AS_BUILT, .policy = POL_NO_LMV2,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_LMV2 },
	{ .name = "LMv2, require_mic", .client = NTLM_CLIENT_LMV2,
	  .shape = SHAPE_AS_BUILT, .policy = POL_REQUIRE_MIC,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_LMV2 },

	{ .name = "NTLMv1-ESS, strict", .client = NTLM_CLIENT_ESS,
	  .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_NTLMV1_ESS },
	{ .name = "NTLMv1-ESS, allow_ntlmv1 only", .client = NTLM_CLIENT_ESS,
	  .shape = SHAPE_AS_BUILT, .policy = POL_NTLMV1,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_NTLMV1_ESS },
	{ .name = "NTLMv1-ESS, allow_ntlmv1_ess", .client = NTLM_CLIENT_ESS,
	  .shape = SHAPE_AS_BUILT, .policy = POL_NTLMV1_ESS,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_NTLMV1_ESS },

	{ .name = "NTLMv1, strict", .client = NTLM_CLIENT_V1,
	  .have_lm_hash = true, .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_NTLMV1 },
	{ .name = "NTLMv1, allow_ntlmv1_ess only", .client = NTLM_CLIENT_V1,
	  .have_lm_hash = true, .shape = SHAPE_AS_BUILT,
	  .policy = POL_NTLMV1_ESS, .final = NTLM_SERVER_FAILURE,
	  .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_NTLMV1 },
	{ .name = "NTLMv1, allow_ntlmv1", .client = NTLM_CLIENT_V1,
	  .have_lm_hash = true, .shape = SHAPE_AS_BUILT, .policy = POL_NTLMV1,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "N",
	  .variant = NTLM_VARIANT_NTLMV1 },
	{ .name = "NTLMv1 without LM hash, allow_ntlmv1",
	  .client = NTLM_CLIENT_V1, .shape = SHAPE_AS_BUILT,
	  .policy = POL_NTLMV1, .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK,
	  .hashes = "N", .variant = NTLM_VARIANT_NTLMV1 },

	/* LM and LMv2 look alike: with LMv2 allowed the NT hash is asked
	   first, and LM is tried only when the policy allows it. */
	{ .name = "LM, allow_lmv2 = no, allow_lm = no",
	  .client = NTLM_CLIENT_V1, .have_lm_hash = true,
	  .shape = SHAPE_LM_ONLY, .policy = POL_NO_LMV2_NO_LM,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_LMV2 },
	{ .name = "LM, strict (tried as LMv2, no LM retry)",
	  .client = NTLM_CLIENT_V1, .have_lm_hash = true,
	  .shape = SHAPE_LM_ONLY, .policy = POL_STRICT,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_MISMATCH,
	  .hashes = "N", .variant = NTLM_VARIANT_LMV2 },
	{ .name = "LM, allow_lm (LMv2 first, then LM)",
	  .client = NTLM_CLIENT_V1, .have_lm_hash = true,
	  .shape = SHAPE_LM_ONLY, .policy = POL_LM,
	  .final = NTLM_SERVER_SUCCESS, .error = NTLM_OK, .hashes = "NL",
	  .variant = NTLM_VARIANT_LM },
	{ .name = "LM, allow_lm, allow_lmv2 = no", .client = NTLM_CLIENT_V1,
	  .have_lm_hash = true, .shape = SHAPE_LM_ONLY,
	  .policy = POL_LM_NO_LMV2, .final = NTLM_SERVER_SUCCESS,
	  .error = NTLM_OK, .hashes = "L", .variant = NTLM_VARIANT_LM },
	/* An NTLMv1 response (DESL under the NT hash) in the LM field is
	   checked as LMv2 with the NT hash and as LM with the LM hash: it
	   matches neither, so allow_lm does not let NTLMv1 in. */
	{ .name = "NTLMv1 in the LM field, allow_lm", .client = NTLM_CLIENT_V1,
	  .have_lm_hash = true, .shape = SHAPE_NT_IN_LM, .policy = POL_LM,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_MISMATCH,
	  .hashes = "NL", .variant = NTLM_VARIANT_LM },
	{ .name = "NTLMv1 in the LM field, allow_lm, allow_lmv2 = no",
	  .client = NTLM_CLIENT_V1, .have_lm_hash = true,
	  .shape = SHAPE_NT_IN_LM, .policy = POL_LM_NO_LMV2,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_MISMATCH,
	  .hashes = "L", .variant = NTLM_VARIANT_LM },

	{ .name = "anonymous, strict", .client = NTLM_CLIENT_ANONYMOUS,
	  .shape = SHAPE_AS_BUILT, .policy = POL_STRICT,
	  .final = NTLM_SERVER_FAILURE, .error = NTLM_ERR_POLICY, .hashes = "",
	  .variant = NTLM_VARIANT_ANONYMOUS },
	{ .name = "anonymous, allow_anonymous",
	  .client = NTLM_CLIENT_ANONYMOUS, .shape = SHAPE_AS_BUILT,
	  .policy = POL_ANONYMOUS, .final = NTLM_SERVER_SUCCESS,
	  .error = NTLM_OK, .hashes = "", .variant = NTLM_VARIANT_ANONYMOUS },
};

static void apply_policy(enum policy_change change, struct ntlm_policy *p)
{
	switch (change) {
	case POL_STRICT:
		break;
	case POL_NO_LMV2:
		p->allow_lmv2 = false;
		break;
	case POL_NTLMV1_ESS:
		p->allow_ntlmv1_ess = true;
		break;
	case POL_NTLMV1:
		p->allow_ntlmv1 = true;
		break;
	case POL_LM:
		p->allow_lm = true;
		break;
	case POL_LM_NO_LMV2:
		p->allow_lm = true;
		p->allow_lmv2 = false;
		break;
	case POL_NO_LMV2_NO_LM:
		p->allow_lmv2 = false;
		p->allow_lm = false;
		break;
	case POL_ANONYMOUS:
		p->allow_anonymous = true;
		break;
	case POL_REQUIRE_MIC:
		p->require_mic = true;
		break;
	}
}

static void run_variant_case(const struct variant_case *c,
			     bool wrong_password)
{
	unsigned int i;
	bool ok = true;

	exch_reset();
	apply_policy(c->policy, &ex->config.policy);
	ex->params.variant = c->client;
	ex->params.send_mic = c->send_mic;
	ex->params.have_lm_hash = c->have_lm_hash;
	if (c->client == NTLM_CLIENT_ANONYMOUS) {
		ex->params.user = NULL;
		ex->params.domain = NULL;
	}
	if (wrong_password) {
		const char *error = NULL;

		CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash("Passwort", 8,
						   ex->nt_hash, &error), 0);
		CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash("Passwort", 8,
						   ex->lm_hash, &error), 0);
	}
	exch_start();
	if (c->shape == SHAPE_LM_ONLY)
		drop_nt_response();
	else if (c->shape == SHAPE_NT_IN_LM)
		rewrite_responses(true);
	exch_finish();

	if (wrong_password) {
		if (ex->final != NTLM_SERVER_FAILURE ||
		    ex->error != NTLM_ERR_MISMATCH) {
			fprintf(stderr, "\nwrong password, \"%s\"", c->name);
			print_failure("expected a mismatch");
			CU_FAIL("wrong password not refused as mismatch");
		}
		return;
	}

	if (ex->final != c->final || ex->error != c->error)
		ok = false;
	/* refusals by policy come before any hash is asked for */
	if (c->error == NTLM_ERR_POLICY &&
	    ex->auth_action != NTLM_SERVER_FAILURE)
		ok = false;
	if (ex->hash_requests != strlen(c->hashes))
		ok = false;
	for (i = 0; i < ex->hash_requests && i < strlen(c->hashes); i++) {
		if (ex->kinds[i] != (c->hashes[i] == 'L' ? NTLM_HASH_LM :
				     NTLM_HASH_NT))
			ok = false;
	}
	if (c->final == NTLM_SERVER_SUCCESS) {
		if (ex->id.variant != c->variant ||
		    ex->id.mic_verified != c->mic_verified)
			ok = false;
	}
	if (!ok) {
		fprintf(stderr, "\nvariant case \"%s\": action after "
			"AUTHENTICATE %d, identity variant %s, mic %d",
			c->name, ex->auth_action,
			ntlm_variant_name(ex->id.variant),
			ex->id.mic_verified);
		print_failure("");
		CU_FAIL("variant/policy case");
	}
}

static void test_server_variants(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(variant_cases) / sizeof(variant_cases[0]); i++)
		run_variant_case(&variant_cases[i], false);
}

static void test_server_wrong_password(void)
{
	unsigned int i;

	/* Every case that succeeds with the right password, except the
	   anonymous one, fails with a mismatch on a wrong one. */
	for (i = 0; i < sizeof(variant_cases) / sizeof(variant_cases[0]);
	     i++) {
		const struct variant_case *c = &variant_cases[i];

		if (c->final != NTLM_SERVER_SUCCESS ||
		    c->client == NTLM_CLIENT_ANONYMOUS)
			continue;
		run_variant_case(c, true);
	}
}

static void test_server_anonymous_identity(void)
{
	exch_reset();
	ex->config.policy.allow_anonymous = true;
	ex->params.variant = NTLM_CLIENT_ANONYMOUS;
	ex->params.user = NULL;
	ex->params.domain = NULL;
	exch_run();
	ASSERT_SUCCESS("anonymous");
	/* straight from ntlm_server_input(), no hash */
	CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_SUCCESS);
	CU_ASSERT_EQUAL(ex->hash_requests, 0);
	CU_ASSERT_EQUAL(ex->id.variant, NTLM_VARIANT_ANONYMOUS);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.user);
	CU_ASSERT_STRING_EQUAL(ex->id.user, "");
	CU_ASSERT_FALSE(ex->id.mic_verified);
}

/* A hash of another kind than the one asked for ends the exchange,
   whatever its bytes: the LM retry never gets the NT hash. */
static void test_server_wrong_hash_kind(void)
{
	enum ntlm_server_action action;

	/* the NT hash wanted, an LM hash given */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(exch_input_authenticate(),
			      NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->wire.server, NTLM_HASH_LM,
					   ex->nt_hash), NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->wire.server, &ex->reason),
			NTLM_ERR_INTERNAL);

	/* LM retry after LMv2 failed: the NT hash offered again is refused,
	   even for an NTLMv1 response in the LM field it would match */
	exch_reset();
	ex->config.policy.allow_lm = true;
	ex->params.variant = NTLM_CLIENT_V1;
	ex->params.have_lm_hash = true;
	exch_start();
	rewrite_responses(true);
	action = exch_input_authenticate();
	CU_ASSERT_EQUAL_FATAL(action, NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->wire.server), NTLM_HASH_NT);
	action = exch_verify(NTLM_HASH_NT, ex->nt_hash);
	CU_ASSERT_EQUAL_FATAL(action, NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->wire.server), NTLM_HASH_LM);
	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->wire.server, NTLM_HASH_NT,
					   ex->nt_hash), NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->wire.server, &ex->reason),
			NTLM_ERR_INTERNAL);
}

/* A verification the crypto cannot do ends as an internal error whose
   reason is the primitive's: without the legacy provider (dropped after
   the client built its messages) NTLMv1 and NTLMv1-ESS fail on DES and
   the NTLMv2 key exchange on RC4, all with ntlm_crypto_legacy_error();
   NTLMv2 with a MIC and no key exchange needs only MD5. */
static void test_server_crypto_reasons(void)
{
	static const struct {
		const char *name;
		enum ntlm_client_variant client;
		enum policy_change policy;
		bool key_exchange;
		bool fails;
	} cases[] = {
		{ "NTLMv1", NTLM_CLIENT_V1, POL_NTLMV1, false, true },
		{ "NTLMv1-ESS", NTLM_CLIENT_ESS, POL_NTLMV1_ESS, false, true },
		{ "NTLMv2, key exchange", NTLM_CLIENT_V2, POL_STRICT, true,
		  true },
		{ "NTLMv2, MIC", NTLM_CLIENT_V2, POL_STRICT, false, false },
	};
	unsigned int i;
	bool ok;

	for (i = 0; i < N_ELEMENTS(cases); i++) {
		exch_reset();
		apply_policy(cases[i].policy, &ex->config.policy);
		ex->params.variant = cases[i].client;
		if (cases[i].key_exchange) {
			ex->params.request_flags = NTLM_FL_SIGN | NTLM_FL_SEAL;
			ex->params.key_exchange = true;
		}
		exch_start();
		if (test_crypto_drop_legacy()) {
			exch_finish();
			if (cases[i].fails)
				ok = ex->final == NTLM_SERVER_FAILURE &&
					ex->error == NTLM_ERR_INTERNAL &&
					ex->reason ==
					ntlm_crypto_legacy_error();
			else
				ok = ex->final == NTLM_SERVER_SUCCESS &&
					ex->id.mic_verified;
			if (!ok)
				print_failure(cases[i].name);
			ROW_ASSERT(cases[i].name, ok);
		}
		test_crypto_restore_legacy();
	}
}

static const struct test_case server_policy_tests[] = {
	{ "variants x policy, refused before the hash", test_server_variants },
	{ "wrong password is a mismatch", test_server_wrong_password },
	{ "anonymous identity", test_server_anonymous_identity },
	{ "hash of the wrong kind", test_server_wrong_hash_kind },
	{ "crypto failures give the primitive's reason",
	  test_server_crypto_reasons },
};

int test_server_policy_register(void)
{
	return test_server_register_suite("server: variants and policy",
					  server_policy_tests,
					  N_ELEMENTS(server_policy_tests));
}
