/* ntlm-server.c, the CHALLENGE ntlm-server.c sends: its contents, the flags
   it grants for a NEGOTIATE (table), and ntlm_server_config_init(). */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_server_challenge_contents(void)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;

	exch_reset();
	exch_start();
	decode_server_challenge(&chal, &info);

	TEST_ASSERT_HEX(chal.server_challenge, 8, TEST_CHALLENGE);
	CU_ASSERT_TRUE(slice_is_utf16(&chal.target_name, "DOMAIN"));
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_TARGET_TYPE_DOMAIN, 0);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_TARGET_TYPE_SERVER, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_UNICODE, 0);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_OEM, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_NTLM, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_TARGET_INFO, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_VERSION, 0);
	/* the client asked for ESS */
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_EXTENDED_SESSIONSECURITY,
			    0);
	CU_ASSERT_EQUAL(chal.flags & (NTLM_FL_KEY_EXCH | NTLM_FL_SIGN |
				      NTLM_FL_SEAL), 0);

	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_domain, "DOMAIN"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, "SERVER"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_domain, "example.com"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_computer,
				      "server.example.com"));
	CU_ASSERT_EQUAL(info.dns_tree.len, 0);
	CU_ASSERT_TRUE(info.have_timestamp);
	CU_ASSERT_EQUAL(info.timestamp, TEST_NOW);
	/* An empty MsvAvFlags broke Windows 10 MICs (gss-ntlmssp #98). */
	CU_ASSERT_FALSE(info.have_flags);
	/* 4 names + timestamp + EOL */
	CU_ASSERT_EQUAL(info.count, 6);
	CU_ASSERT_EQUAL(info.raw.len, chal.target_info.len);

	/* config_init's VERSION: 6.1.0 rev 15 */
	CU_ASSERT_TRUE_FATAL(chal.have_version);
	CU_ASSERT_EQUAL(chal.version.major, 6);
	CU_ASSERT_EQUAL(chal.version.minor, 1);
	CU_ASSERT_EQUAL(chal.version.build, 0);
	CU_ASSERT_EQUAL(chal.version.revision, 15);
}

/* The CHALLENGE's answer to a NEGOTIATE (MS-NLMP 3.2.5.1.1): what is
   granted when asked for, what never is. Rows are real clients'
   NEGOTIATE flags and edge cases. */
#define FL_ALWAYS (NTLM_FL_NTLM | NTLM_FL_TARGET_INFO | \
		   NTLM_FL_TARGET_TYPE_DOMAIN | NTLM_FL_VERSION)
#define FL_SECURITY (NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_KEY_EXCH | \
		     NTLM_FL_128 | NTLM_FL_56)
#define FL_NEVER (NTLM_FL_DATAGRAM | NTLM_FL_ANONYMOUS | \
		  NTLM_FL_REQUEST_NON_NT_SESSION_KEY | \
		  NTLM_FL_OEM_DOMAIN_SUPPLIED | \
		  NTLM_FL_OEM_WORKSTATION_SUPPLIED | \
		  NTLM_FL_TARGET_TYPE_SERVER)
/* gss-ntlmssp's NTLMSSP_DEFAULT_CLIENT_FLAGS */
#define FL_GSS_DEFAULT (NTLM_FL_ALWAYS_SIGN | NTLM_FL_128 | NTLM_FL_56 | \
			NTLM_FL_NTLM | NTLM_FL_REQUEST_TARGET | \
			NTLM_FL_OEM | NTLM_FL_UNICODE | NTLM_FL_VERSION)

static const struct challenge_flag_case {
	const char *name;
	uint32_t negotiate;
	/* expected: all of these set, none of those */
	uint32_t granted;
	uint32_t refused;
} challenge_flag_cases[] = {
	{ .name = "everything (0xffffffff)",
	  .negotiate = 0xffffffffU & ~(NTLM_FL_OEM_DOMAIN_SUPPLIED |
	    NTLM_FL_OEM_WORKSTATION_SUPPLIED),
	  .granted = FL_ALWAYS | FL_SECURITY | NTLM_FL_UNICODE |
	    NTLM_FL_ALWAYS_SIGN | NTLM_FL_EXTENDED_SESSIONSECURITY |
	    NTLM_FL_IDENTIFY | NTLM_FL_REQUEST_TARGET,
	  .refused = FL_NEVER | NTLM_FL_OEM | NTLM_FL_LM_KEY },
	{ .name = "gss-ntlmssp, integrity + confidentiality",
	  .negotiate = FL_GSS_DEFAULT | NTLM_FL_SIGN | NTLM_FL_SEAL |
	    NTLM_FL_KEY_EXCH | NTLM_FL_LM_KEY |
	    NTLM_FL_EXTENDED_SESSIONSECURITY,
	  .granted = FL_ALWAYS | FL_SECURITY | NTLM_FL_UNICODE |
	    NTLM_FL_ALWAYS_SIGN | NTLM_FL_EXTENDED_SESSIONSECURITY |
	    NTLM_FL_REQUEST_TARGET,
	  .refused = FL_NEVER | NTLM_FL_OEM | NTLM_FL_LM_KEY |
	    NTLM_FL_IDENTIFY },
	{ .name = "gss-ntlmssp, integrity only",
	  .negotiate = FL_GSS_DEFAULT | NTLM_FL_SIGN | NTLM_FL_KEY_EXCH |
	    NTLM_FL_EXTENDED_SESSIONSECURITY,
	  .granted = FL_ALWAYS | NTLM_FL_SIGN | NTLM_FL_KEY_EXCH |
	    NTLM_FL_128 | NTLM_FL_56 | NTLM_FL_EXTENDED_SESSIONSECURITY,
	  .refused = FL_NEVER | NTLM_FL_SEAL | NTLM_FL_LM_KEY },
	{ .name = "python3-ntlm-auth (OEM, sign, seal, key exchange)",
	  .negotiate = NTLM_FL_TARGET_INFO | NTLM_FL_128 | NTLM_FL_56 |
	    NTLM_FL_OEM | NTLM_FL_VERSION | NTLM_FL_KEY_EXCH |
	    NTLM_FL_ALWAYS_SIGN | NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_NTLM |
	    NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_OEM_DOMAIN_SUPPLIED |
	    NTLM_FL_OEM_WORKSTATION_SUPPLIED,
	  .granted = FL_ALWAYS | FL_SECURITY | NTLM_FL_OEM,
	  .refused = FL_NEVER | NTLM_FL_UNICODE | NTLM_FL_LM_KEY |
	    NTLM_FL_REQUEST_TARGET },
	{ .name = "Outlook ([MS-OXPOP3] 4.1)",
	  .negotiate = OXPOP3_NEGOTIATE_FLAGS,
	  .granted = FL_ALWAYS | NTLM_FL_UNICODE | NTLM_FL_128 | NTLM_FL_56 |
	    NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  .refused = FL_NEVER | NTLM_FL_OEM | NTLM_FL_SIGN | NTLM_FL_SEAL |
	    NTLM_FL_KEY_EXCH | NTLM_FL_LM_KEY },
	{ .name = "curl (OEM, no sign/seal)",
	  .negotiate = NTLM_FL_OEM | NTLM_FL_REQUEST_TARGET | NTLM_FL_NTLM |
	    NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  .granted = FL_ALWAYS | NTLM_FL_OEM | NTLM_FL_REQUEST_TARGET |
	    NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  .refused = FL_NEVER | FL_SECURITY | NTLM_FL_UNICODE |
	    NTLM_FL_LM_KEY },
	{ .name = "LM_KEY without ESS (python3-ntlm-auth compat 0)",
	  .negotiate = NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_LM_KEY |
	    NTLM_FL_SIGN | NTLM_FL_KEY_EXCH,
	  .granted = FL_ALWAYS | NTLM_FL_LM_KEY | NTLM_FL_SIGN |
	    NTLM_FL_KEY_EXCH,
	  .refused = FL_NEVER | NTLM_FL_EXTENDED_SESSIONSECURITY |
	    NTLM_FL_SEAL | NTLM_FL_128 | NTLM_FL_56 },
	{ .name = "LM_KEY with ESS: ESS alone (MS-NLMP 2.2.2.5 G)",
	  .negotiate = NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_LM_KEY |
	    NTLM_FL_EXTENDED_SESSIONSECURITY,
	  .granted = FL_ALWAYS | NTLM_FL_EXTENDED_SESSIONSECURITY,
	  .refused = FL_NEVER | NTLM_FL_LM_KEY },
	{ .name = "128 without 56, 56 without 128",
	  .negotiate = NTLM_FL_UNICODE | NTLM_FL_128,
	  .granted = FL_ALWAYS | NTLM_FL_128,
	  .refused = FL_NEVER | NTLM_FL_56 | NTLM_FL_KEY_EXCH },
	{ .name = "56 only", .negotiate = NTLM_FL_UNICODE | NTLM_FL_56,
	  .granted = FL_ALWAYS | NTLM_FL_56,
	  .refused = FL_NEVER | NTLM_FL_128 },
	{ .name = "DATAGRAM asked: never (SASL is connection-oriented)",
	  .negotiate = NTLM_FL_UNICODE | NTLM_FL_DATAGRAM | NTLM_FL_KEY_EXCH,
	  .granted = FL_ALWAYS | NTLM_FL_KEY_EXCH, .refused = FL_NEVER },
};

static void test_server_challenge_flag_table(void)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(challenge_flag_cases); i++) {
		const struct challenge_flag_case *c = &challenge_flag_cases[i];

		exch_reset();
		CU_ASSERT_EQUAL_FATAL(exch_negotiate_flags(c->negotiate),
				      NTLM_SERVER_SEND);
		decode_server_challenge(&chal, &info);
		if ((chal.flags & c->granted) != c->granted ||
		    (chal.flags & c->refused) != 0)
			fprintf(stderr, "\n%s: CHALLENGE flags 0x%08x, "
				"missing 0x%08x, unexpected 0x%08x\n",
				c->name, chal.flags,
				c->granted & ~chal.flags,
				chal.flags & c->refused);
		ROW_ASSERT(c->name, (chal.flags & c->granted) == c->granted);
		ROW_ASSERT(c->name, (chal.flags & c->refused) == 0);
		/* never both character sets, never LM_KEY with ESS */
		ROW_ASSERT(c->name, (chal.flags & NTLM_FL_UNICODE) == 0 ||
			   (chal.flags & NTLM_FL_OEM) == 0);
		ROW_ASSERT(c->name, (chal.flags & NTLM_FL_LM_KEY) == 0 ||
			   (chal.flags &
			    NTLM_FL_EXTENDED_SESSIONSECURITY) == 0);
	}
}

/* Edge cases of the character set and the target type. */
static void test_server_challenge_flags(void)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	const char *error = NULL;

	/* OEM only, no ESS asked, target is the server: OEM TargetName
	   "SERVER", TARGET_TYPE_SERVER, no ESS offered. */
	exch_reset();
	ex->config.target_is_domain = false;
	ex->config.send_version = false;
	CU_ASSERT_EQUAL_FATAL(exch_negotiate_flags(NTLM_FL_OEM | NTLM_FL_NTLM |
						   NTLM_FL_REQUEST_TARGET),
			      NTLM_SERVER_SEND);
	decode_server_challenge(&chal, &info);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_UNICODE, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_OEM, 0);
	CU_ASSERT_NOT_EQUAL(chal.flags & NTLM_FL_TARGET_TYPE_SERVER, 0);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_TARGET_TYPE_DOMAIN, 0);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_EXTENDED_SESSIONSECURITY, 0);
	CU_ASSERT_EQUAL(chal.flags & NTLM_FL_VERSION, 0);
	CU_ASSERT_FALSE(chal.have_version);
	CU_ASSERT_EQUAL_FATAL(chal.target_name.len, 6);
	CU_ASSERT_EQUAL(memcmp(chal.target_name.data, "SERVER", 6), 0);
	/* AV pairs are always UTF-16 */
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, "SERVER"));

	/* Neither Unicode nor OEM: refused. */
	exch_reset();
	CU_ASSERT_EQUAL(exch_negotiate_flags(NTLM_FL_NTLM), NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->wire.server, &error),
			NTLM_ERR_MESSAGE);
}

static void test_server_config(void)
{
	struct ntlm_server_names names;
	struct ntlm_server_config *config = &ex->config;
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	char long_name[NTLM_MAX_SERVER_NAME + 2];
	const char *error = NULL;

	names = test_names;
	names.nb_computer = NULL;
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), -1);
	names = test_names;
	names.nb_domain = NULL;
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), -1);
	names = test_names;
	names.nb_domain = "";
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), -1);
	names = test_names;
	names.dns_domain = "bad\xff" "utf8";
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), -1);

	memset(long_name, 'a', sizeof(long_name));
	long_name[NTLM_MAX_SERVER_NAME + 1] = '\0';
	names = test_names;
	names.nb_computer = long_name;
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), -1);
	long_name[NTLM_MAX_SERVER_NAME] = '\0';
	CU_ASSERT_EQUAL(ntlm_server_config_init(config, &names, &error), 0);

	/* Defaults: strict policy; DNS names default to the NetBIOS
	   ones; the tree name appears when given. */
	names.nb_computer = "HOST";
	names.nb_domain = "CORP";
	names.dns_computer = NULL;
	names.dns_domain = NULL;
	names.dns_tree = "corp.example";
	CU_ASSERT_EQUAL_FATAL(ntlm_server_config_init(config, &names,
						      &error), 0);
	CU_ASSERT_TRUE(config->policy.allow_lmv2);
	CU_ASSERT_FALSE(config->policy.allow_ntlmv1);
	CU_ASSERT_FALSE(config->policy.allow_ntlmv1_ess);
	CU_ASSERT_FALSE(config->policy.allow_lm);
	CU_ASSERT_FALSE(config->policy.allow_anonymous);
	CU_ASSERT_FALSE(config->policy.require_mic);
	CU_ASSERT_EQUAL(config->policy.max_clock_skew_secs, 3600);
	CU_ASSERT_EQUAL(config->version.major, 6);
	CU_ASSERT_EQUAL(config->version.minor, 1);
	CU_ASSERT_EQUAL(config->version.build, 0);
	CU_ASSERT_EQUAL(config->version.revision, 15);

	CU_ASSERT_EQUAL_FATAL(test_hex(TEST_CHALLENGE, ex->challenge8, 8), 8);
	ex->now = TEST_NOW;
	ntlm_client_params_init(&ex->params);
	ex->params.user = "u";
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ex->wire.client, &ex->params,
					       &error), 0);
	{
		const uint8_t *neg;
		size_t len;

		ntlm_client_negotiate(&ex->wire.client, &neg, &len);
		ntlm_server_init_fixed(&ex->wire.server, config, ex->challenge8,
				       ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->wire.server, neg,
							len),
				      NTLM_SERVER_SEND);
	}
	decode_server_challenge(&chal, &info);
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, "HOST"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_domain, "CORP"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_computer, "HOST"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_domain, "CORP"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_tree, "corp.example"));
}

static const struct test_case server_challenge_tests[] = {
	{ "CHALLENGE contents", test_server_challenge_contents },
	{ "CHALLENGE flags", test_server_challenge_flags },
	{ "CHALLENGE grants what the NEGOTIATE asks (flag table)",
	  test_server_challenge_flag_table },
	{ "config init", test_server_config },
};

int test_server_challenge_register(void)
{
	return test_server_register_suite("server: CHALLENGE",
					  server_challenge_tests,
					  N_ELEMENTS(server_challenge_tests));
}
