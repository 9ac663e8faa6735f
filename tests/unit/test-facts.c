/* The protocol facts the core keeps for every user (the server, the
   probe's dumper, the fuzz helpers): the response shape of an
   AUTHENTICATE (ntlm-verify.c), a wire name as UTF-8 (ntlm-unicode.c),
   and the named rows of the AV pair, MsvAvFlags and MessageType tables
   (ntlm-avpair.c, ntlm-msg.c). */

#include "test-common.h"
#include "ntlm-avpair.h"
#include "ntlm-msg.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"

#include <string.h>

static const uint8_t zeros[32];
static const uint8_t ones[32] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

struct shape_row {
	const char *name;
	size_t lm_len, nt_len, user_len;
	/* the LM response's bytes: zeros, or ones */
	bool lm_ones;
	uint32_t flags;
	int ret;
	enum ntlm_variant shape;
};

static const struct shape_row shape_rows[] = {
	{ "nothing at all is anonymous", 0, 0, 0, false, 0, 0,
	  NTLM_VARIANT_ANONYMOUS },
	{ "LM Z(1) is anonymous", 1, 0, 0, false, 0, 0,
	  NTLM_VARIANT_ANONYMOUS },
	{ "LM of one non-zero byte is not anonymous", 1, 0, 0, true, 0, 0,
	  NTLM_VARIANT_NONE },
	{ "a user without responses has none", 0, 0, 4, false, 0, 0,
	  NTLM_VARIANT_NONE },
	{ "NT over 24 bytes is NTLMv2", 24, 25, 4, false, 0, 0,
	  NTLM_VARIANT_NTLMV2 },
	{ "NTLMv2 without a user is still NTLMv2", 0, 32, 0, false, 0, 0,
	  NTLM_VARIANT_NTLMV2 },
	{ "NT of 24 bytes is NTLMv1", 24, 24, 4, false, 0, 0,
	  NTLM_VARIANT_NTLMV1 },
	{ "NT of 24 bytes with ESS is NTLMv1-ESS", 24, 24, 4, false,
	  NTLM_FL_EXTENDED_SESSIONSECURITY, 0, NTLM_VARIANT_NTLMV1_ESS },
	{ "ESS with a short LM is still the ESS shape", 0, 24, 4, false,
	  NTLM_FL_EXTENDED_SESSIONSECURITY, 0, NTLM_VARIANT_NTLMV1_ESS },
	{ "LM of 24 bytes alone is LMv2 (or LM)", 24, 0, 4, false, 0, 0,
	  NTLM_VARIANT_LMV2 },
	{ "LM of 24 bytes alone, no user", 24, 0, 0, false, 0, 0,
	  NTLM_VARIANT_LMV2 },
	{ "LM of 16 bytes alone has none", 16, 0, 4, false, 0, 0,
	  NTLM_VARIANT_NONE },
	{ "NT of 1 byte is impossible", 24, 1, 4, false, 0, -1,
	  NTLM_VARIANT_NONE },
	{ "NT of 23 bytes is impossible", 0, 23, 0, false, 0, -1,
	  NTLM_VARIANT_NONE },
};

static void test_facts_response_shape(void)
{
	struct ntlm_authenticate auth;
	enum ntlm_variant shape;
	const char *error;
	unsigned int i;
	int ret;

	for (i = 0; i < N_ELEMENTS(shape_rows); i++) {
		const struct shape_row *row = &shape_rows[i];

		memset(&auth, 0, sizeof(auth));
		auth.lm_response.data = row->lm_ones ? ones : zeros;
		auth.lm_response.len = row->lm_len;
		auth.nt_response.data = zeros;
		auth.nt_response.len = row->nt_len;
		auth.user.data = zeros;
		auth.user.len = row->user_len;
		auth.flags = row->flags;
		shape = (enum ntlm_variant)-1;
		error = NULL;
		ret = ntlm_response_shape(&auth, row->flags, &shape, &error);
		ROW_ASSERT(row->name, ret == row->ret);
		if (ret == 0) {
			ROW_ASSERT(row->name, shape == row->shape);
		} else {
			ROW_ASSERT(row->name, error != NULL &&
				   strstr(error, "impossible length") != NULL);
			ROW_ASSERT(row->name, shape == (enum ntlm_variant)-1);
		}
		ROW_ASSERT(row->name,
			   ntlm_authenticate_is_anonymous(&auth) ==
			   (ret == 0 && row->shape == NTLM_VARIANT_ANONYMOUS));
	}
}

static void test_facts_wire_name(void)
{
	/* "jörg" in UTF-16LE and in OEM (Latin-1) */
	static const uint8_t utf16[] = { 'j', 0, 0xf6, 0, 'r', 0, 'g', 0 };
	static const uint8_t oem[] = { 'j', 0xf6, 'r', 'g' };
	struct ntlm_slice wire;
	const char *error;
	char out[16];
	size_t len;

	wire.data = utf16;
	wire.len = sizeof(utf16);
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, true, out, sizeof(out),
					       &len, &error), 0);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL(out, "j\xc3\xb6rg");

	wire.data = oem;
	wire.len = sizeof(oem);
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, false, out, sizeof(out),
					       &len, &error), 0);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL(out, "j\xc3\xb6rg");

	/* the same bytes read under the other character set */
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, true, out, sizeof(out),
					       &len, &error), 0);
	CU_ASSERT_STRING_NOT_EQUAL(out, "j\xc3\xb6rg");
	wire.data = utf16;
	wire.len = 3;
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, true, out, sizeof(out),
					       &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	/* OEM NUL is refused; so is output that does not fit */
	wire.data = zeros;
	wire.len = 2;
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, false, out, sizeof(out),
					       &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	wire.data = oem;
	wire.len = sizeof(oem);
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, false, out, 5, &len,
					       &error), -1);
	/* empty is a name */
	wire.len = 0;
	CU_ASSERT_EQUAL(ntlm_wire_name_to_utf8(&wire, true, out, sizeof(out),
					       &len, &error), 0);
	CU_ASSERT_EQUAL(len, 0);
	CU_ASSERT_STRING_EQUAL(out, "");
}

static void test_facts_av_rows(void)
{
	static const uint16_t names[] = {
		NTLM_AV_NB_COMPUTER_NAME, NTLM_AV_NB_DOMAIN_NAME,
		NTLM_AV_DNS_COMPUTER_NAME, NTLM_AV_DNS_DOMAIN_NAME,
		NTLM_AV_DNS_TREE_NAME, NTLM_AV_TARGET_NAME,
	};
	const struct ntlm_av_id_row *row;
	unsigned int id, i, n_names = 0;

	/* every identifier up to MsvAvChannelBindings has a row, with its
	   own id and a name; nothing after it does */
	for (id = 0; id <= 0xffff; id++) {
		row = ntlm_av_id_lookup((uint16_t)id);
		if (id > NTLM_AV_CHANNEL_BINDINGS) {
			if (row != NULL) {
				CU_FAIL("a row for an unknown identifier");
				break;
			}
			continue;
		}
		CU_ASSERT_PTR_NOT_NULL_FATAL(row);
		CU_ASSERT_EQUAL(row->id, id);
		CU_ASSERT_PTR_NOT_NULL(row->name);
		CU_ASSERT_PTR_EQUAL(ntlm_av_id_name((uint16_t)id), row->name);
		CU_ASSERT_EQUAL(ntlm_av_id_is_name((uint16_t)id), row->is_name);
		CU_ASSERT_TRUE(row->size == 0 || row->size_error != NULL);
		CU_ASSERT_TRUE(!row->is_name || row->size == 0);
		if (row->is_name)
			n_names++;
	}
	CU_ASSERT_EQUAL(n_names, N_ELEMENTS(names));
	for (i = 0; i < N_ELEMENTS(names); i++)
		CU_ASSERT_TRUE(ntlm_av_id_is_name(names[i]));
	CU_ASSERT_FALSE(ntlm_av_id_is_name(0x000b));
	CU_ASSERT_EQUAL(ntlm_av_id_lookup(NTLM_AV_FLAGS)->size, 4);
	CU_ASSERT_EQUAL(ntlm_av_id_lookup(NTLM_AV_TIMESTAMP)->size, 8);
	CU_ASSERT_EQUAL(ntlm_av_id_lookup(NTLM_AV_CHANNEL_BINDINGS)->size, 16);
	CU_ASSERT_TRUE(ntlm_av_id_lookup(NTLM_AV_SINGLE_HOST)->size_is_minimum);
}

static void test_facts_flag_rows(void)
{
	unsigned int bit, known = 0;

	CU_ASSERT_STRING_EQUAL(ntlm_av_flag_name(NTLM_AV_FLAG_CONSTRAINED),
			       "CONSTRAINED");
	CU_ASSERT_STRING_EQUAL(ntlm_av_flag_name(NTLM_AV_FLAG_MIC_PRESENT),
			       "MIC_PRESENT");
	CU_ASSERT_STRING_EQUAL(ntlm_av_flag_name(NTLM_AV_FLAG_UNTRUSTED_SPN),
			       "UNTRUSTED_SPN");
	CU_ASSERT_PTR_NULL(ntlm_av_flag_name(0));
	CU_ASSERT_PTR_NULL(ntlm_av_flag_name(NTLM_AV_FLAG_CONSTRAINED |
					     NTLM_AV_FLAG_MIC_PRESENT));
	for (bit = 0; bit < 32; bit++) {
		if (ntlm_av_flag_name((uint32_t)1 << bit) != NULL)
			known++;
	}
	CU_ASSERT_EQUAL(known, 3);

	/* NegotiateFlags: all but the reserved r1..r10 bits are named */
	known = 0;
	for (bit = 0; bit < 32; bit++) {
		if (ntlm_flag_name((uint32_t)1 << bit) != NULL)
			known++;
	}
	CU_ASSERT_EQUAL(known, 22);
	CU_ASSERT_STRING_EQUAL(ntlm_flag_name(NTLM_FL_56), "NEGOTIATE_56");
}

static void test_facts_msg_type_rows(void)
{
	CU_ASSERT_STRING_EQUAL(ntlm_msg_type_name(NTLM_MSG_NEGOTIATE),
			       "NEGOTIATE_MESSAGE");
	CU_ASSERT_STRING_EQUAL(ntlm_msg_type_name(NTLM_MSG_CHALLENGE),
			       "CHALLENGE_MESSAGE");
	CU_ASSERT_STRING_EQUAL(ntlm_msg_type_name(NTLM_MSG_AUTHENTICATE),
			       "AUTHENTICATE_MESSAGE");
	CU_ASSERT_PTR_NULL(ntlm_msg_type_name(0));
	CU_ASSERT_PTR_NULL(ntlm_msg_type_name(4));
	CU_ASSERT_PTR_NULL(ntlm_msg_type_name(-1));
}

static const struct test_case facts_tests[] = {
	{ "response shape", test_facts_response_shape },
	{ "wire name to UTF-8", test_facts_wire_name },
	{ "AV pair identifier rows", test_facts_av_rows },
	{ "MsvAvFlags and NegotiateFlags names", test_facts_flag_rows },
	{ "MessageType names", test_facts_msg_type_rows },
};

int test_facts_register(void)
{
	return test_register_suite("facts", NULL, NULL, facts_tests,
				   N_ELEMENTS(facts_tests));
}
