/* ntlm-server.c: the CHALLENGE it sends, and full exchanges against
   ntlm-client.c for every response variant, policy setting, domain form
   and tampering case. The server runs with a fixed challenge and time
   (ntlm_server_init_fixed) so failures can be reproduced. */

#include "test-common.h"
#include "vectors.h"
#include "ntlm-avpair.h"
#include "ntlm-client.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TICKS_PER_SEC 10000000ULL
/* 2017-05-23 20:13:07 UTC: Chromium's client timestamp. */
#define TEST_NOW CHROMIUM_CLIENT_TIMESTAMP
#define TEST_CHALLENGE "0123456789abcdef"
#define OTHER_CHALLENGE "fedcba9876543210"

typedef void tamper_func(uint8_t *buf, size_t *len);

struct exch {
	struct ntlm_server_config config;
	struct ntlm_server server;
	struct ntlm_client client;
	struct ntlm_client_params params;
	uint8_t client_challenge[8];
	uint8_t challenge8[8];
	uint64_t now;
	/* the connection is TLS (ntlm_server_set_tls) */
	bool tls;

	/* the hashes handed to ntlm_server_verify() */
	uint8_t nt_hash[16];
	uint8_t lm_hash[16];

	/* change a message in flight (NULL: untouched) */
	tamper_func *tamper_negotiate;
	tamper_func *tamper_challenge;
	tamper_func *tamper_authenticate;

	/* copies of what went over the wire */
	uint8_t negotiate[NTLM_MAX_MESSAGE_SIZE];
	size_t negotiate_len;
	uint8_t challenge[NTLM_MAX_MESSAGE_SIZE];
	size_t challenge_len;
	uint8_t authenticate[NTLM_MAX_MESSAGE_SIZE];
	size_t authenticate_len;

	/* results */
	enum ntlm_server_action auth_action;
	enum ntlm_server_action final;
	unsigned int hash_requests;
	enum ntlm_hash_kind kinds[4];
	enum ntlm_error error;
	const char *reason;
	struct ntlm_identity id;
};

static struct exch *ex;

static const struct ntlm_server_names test_names = {
	.nb_computer = "SERVER",
	.nb_domain = "DOMAIN",
	.dns_computer = "server.example.com",
	.dns_domain = "example.com",
	.dns_tree = NULL,
};

static bool slice_is_utf16(const struct ntlm_slice *s, const char *str)
{
	uint8_t buf[512];
	size_t len = test_ascii_utf16(str, buf, sizeof(buf));

	return s->len == len && (len == 0 || memcmp(s->data, buf, len) == 0);
}

/* A fresh exchange: default config (strict policy, VERSION sent, target
   is the domain) and a default client (NTLMv2 with MIC, Unicode,
   "User"/"Domain"/"COMPUTER", password "Password"). */
static void exch_reset(void)
{
	const char *error = NULL;

	memset(ex, 0, sizeof(*ex));
	CU_ASSERT_EQUAL_FATAL(ntlm_server_config_init(&ex->config,
						      &test_names, &error), 0);
	ex->config.send_version = true;
	ex->config.target_is_domain = true;
	CU_ASSERT_EQUAL_FATAL(test_hex(TEST_CHALLENGE, ex->challenge8, 8), 8);
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_CLIENT_CHALLENGE,
				       ex->client_challenge, 8), 8);
	ex->now = TEST_NOW;

	ntlm_client_params_init(&ex->params);
	ex->params.user = NLMP_USER;
	ex->params.domain = NLMP_USER_DOM;
	ex->params.workstation = NLMP_WORKSTATION;
	ex->params.client_challenge = ex->client_challenge;
	CU_ASSERT_EQUAL_FATAL(ntlm_nt_hash(NLMP_PASSWD, strlen(NLMP_PASSWD),
					   ex->params.nt_hash, &error), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_lm_hash(NLMP_PASSWD, strlen(NLMP_PASSWD),
					   ex->params.lm_hash, &error), 0);
	memcpy(ex->nt_hash, ex->params.nt_hash, 16);
	memcpy(ex->lm_hash, ex->params.lm_hash, 16);
}

/* NEGOTIATE -> CHALLENGE -> client builds the AUTHENTICATE. */
static void exch_start(void)
{
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	ntlm_server_set_tls(&ex->server, ex->tls);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ex->client, &ex->params,
					       &error), 0);
	ntlm_client_negotiate(&ex->client, &data, &len);
	CU_ASSERT_FATAL(len > 0 && len <= sizeof(ex->negotiate));
	memcpy(ex->negotiate, data, len);
	ex->negotiate_len = len;
	if (ex->tamper_negotiate != NULL)
		ex->tamper_negotiate(ex->negotiate, &ex->negotiate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->negotiate,
						ex->negotiate_len),
			      NTLM_SERVER_SEND);
	ntlm_server_output(&ex->server, &data, &len);
	CU_ASSERT_FATAL(len > 0 && len <= sizeof(ex->challenge));
	memcpy(ex->challenge, data, len);
	ex->challenge_len = len;
	if (ex->tamper_challenge != NULL)
		ex->tamper_challenge(ex->challenge, &ex->challenge_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_input(&ex->client, ex->challenge,
						ex->challenge_len, &error),
			      0);
	ntlm_client_authenticate(&ex->client, &data, &len);
	CU_ASSERT_FATAL(len > 0 && len <= sizeof(ex->authenticate));
	memcpy(ex->authenticate, data, len);
	ex->authenticate_len = len;
	if (ex->tamper_authenticate != NULL)
		ex->tamper_authenticate(ex->authenticate,
					&ex->authenticate_len);
}

/* Feed an AUTHENTICATE and answer every hash request. */
static void exch_finish_with(const uint8_t *auth, size_t auth_len)
{
	enum ntlm_server_action action;

	action = ntlm_server_input(&ex->server, auth, auth_len);
	ex->auth_action = action;
	while (action == NTLM_SERVER_NEED_HASH && ex->hash_requests < 4) {
		enum ntlm_hash_kind kind = ntlm_server_hash_kind(&ex->server);

		ex->kinds[ex->hash_requests++] = kind;
		action = ntlm_server_verify(&ex->server, kind,
					    kind == NTLM_HASH_LM ?
					    ex->lm_hash : ex->nt_hash);
	}
	ex->final = action;
	ex->error = ntlm_server_error(&ex->server, &ex->reason);
	ntlm_server_get_identity(&ex->server, &ex->id);
}

static void exch_finish(void)
{
	exch_finish_with(ex->authenticate, ex->authenticate_len);
}

static void exch_run(void)
{
	exch_start();
	exch_finish();
}

static void print_failure(const char *what)
{
	fprintf(stderr, "\n%s: final action %d, error %s, reason \"%s\", "
		"%u hash request(s)\n", what, ex->final,
		ntlm_error_name(ex->error),
		ex->reason == NULL ? "" : ex->reason, ex->hash_requests);
}

#define ASSERT_SUCCESS(what) do { \
	if (ex->final != NTLM_SERVER_SUCCESS) \
		print_failure(what); \
	CU_ASSERT_EQUAL(ex->final, NTLM_SERVER_SUCCESS); \
	CU_ASSERT_EQUAL(ex->error, NTLM_OK); \
} while (0)

#define ASSERT_FAILURE(what, err) do { \
	if (ex->final != NTLM_SERVER_FAILURE || ex->error != (err)) \
		print_failure(what); \
	CU_ASSERT_EQUAL(ex->final, NTLM_SERVER_FAILURE); \
	CU_ASSERT_EQUAL(ex->error, (err)); \
	CU_ASSERT_PTR_NOT_NULL(ex->reason); \
} while (0)

/* Re-encode the client's AUTHENTICATE with another domain field (no
   MIC: it would no longer match). */
static void rewrite_domain(const char *domain)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE], dom[128];
	const char *error = NULL;
	size_t len;

	memcpy(copy, ex->authenticate, ex->authenticate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(copy,
						       ex->authenticate_len,
						       &msg, &error), 0);
	msg.domain.data = dom;
	msg.domain.len = test_ascii_utf16(domain, dom, sizeof(dom));
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
			msg.have_version ? &msg.version : NULL, false,
			ex->authenticate, sizeof(ex->authenticate), &len,
			NULL, &error), 0);
	ex->authenticate_len = len;
}

/* Re-encode the client's AUTHENTICATE without its NT response: what an
   LM-only client sends. */
/* Rewrite the AUTHENTICATE: the NT response removed, and with
   nt_into_lm the NT response moved into the LM field (an NTLMv1 response
   dressed up as an LM one). */
static void rewrite_responses(bool nt_into_lm)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE];
	const char *error = NULL;
	size_t len;

	memcpy(copy, ex->authenticate, ex->authenticate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(copy,
						       ex->authenticate_len,
						       &msg, &error), 0);
	if (nt_into_lm)
		msg.lm_response = msg.nt_response;
	msg.nt_response.len = 0;
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
			msg.have_version ? &msg.version : NULL, false,
			ex->authenticate, sizeof(ex->authenticate), &len,
			NULL, &error), 0);
	ex->authenticate_len = len;
}

static void drop_nt_response(void)
{
	rewrite_responses(false);
}

static int suite_init(void)
{
	ex = calloc(1, sizeof(*ex));
	return ex == NULL ? -1 : 0;
}

static int suite_cleanup(void)
{
	free(ex);
	ex = NULL;
	return 0;
}

/* --- the CHALLENGE --- */

static void decode_server_challenge(struct ntlm_challenge *chal,
				    struct ntlm_av_info *info)
{
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	ntlm_server_output(&ex->server, &data, &len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(data, len, chal, &error),
			      0);
	CU_ASSERT_TRUE_FATAL(chal->target_info.len > 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(chal->target_info.data,
					    chal->target_info.len, info,
					    &error), 0);
}

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
	ntlm_server_deinit(&ex->server);
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
	{ "everything (0xffffffff)", 0xffffffffU &
	  ~(NTLM_FL_OEM_DOMAIN_SUPPLIED | NTLM_FL_OEM_WORKSTATION_SUPPLIED),
	  FL_ALWAYS | FL_SECURITY | NTLM_FL_UNICODE | NTLM_FL_ALWAYS_SIGN |
	  NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_IDENTIFY |
	  NTLM_FL_REQUEST_TARGET,
	  FL_NEVER | NTLM_FL_OEM | NTLM_FL_LM_KEY },
	{ "gss-ntlmssp, integrity + confidentiality",
	  FL_GSS_DEFAULT | NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_KEY_EXCH |
	  NTLM_FL_LM_KEY | NTLM_FL_EXTENDED_SESSIONSECURITY,
	  FL_ALWAYS | FL_SECURITY | NTLM_FL_UNICODE | NTLM_FL_ALWAYS_SIGN |
	  NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_REQUEST_TARGET,
	  FL_NEVER | NTLM_FL_OEM | NTLM_FL_LM_KEY | NTLM_FL_IDENTIFY },
	{ "gss-ntlmssp, integrity only",
	  FL_GSS_DEFAULT | NTLM_FL_SIGN | NTLM_FL_KEY_EXCH |
	  NTLM_FL_EXTENDED_SESSIONSECURITY,
	  FL_ALWAYS | NTLM_FL_SIGN | NTLM_FL_KEY_EXCH | NTLM_FL_128 |
	  NTLM_FL_56 | NTLM_FL_EXTENDED_SESSIONSECURITY,
	  FL_NEVER | NTLM_FL_SEAL | NTLM_FL_LM_KEY },
	{ "python3-ntlm-auth (OEM, sign, seal, key exchange)",
	  NTLM_FL_TARGET_INFO | NTLM_FL_128 | NTLM_FL_56 | NTLM_FL_OEM |
	  NTLM_FL_VERSION | NTLM_FL_KEY_EXCH | NTLM_FL_ALWAYS_SIGN |
	  NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_NTLM |
	  NTLM_FL_EXTENDED_SESSIONSECURITY |
	  NTLM_FL_OEM_DOMAIN_SUPPLIED | NTLM_FL_OEM_WORKSTATION_SUPPLIED,
	  FL_ALWAYS | FL_SECURITY | NTLM_FL_OEM,
	  FL_NEVER | NTLM_FL_UNICODE | NTLM_FL_LM_KEY |
	  NTLM_FL_REQUEST_TARGET },
	{ "Outlook ([MS-OXPOP3] 4.1)", OXPOP3_NEGOTIATE_FLAGS,
	  FL_ALWAYS | NTLM_FL_UNICODE | NTLM_FL_128 | NTLM_FL_56 |
	  NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  FL_NEVER | NTLM_FL_OEM | NTLM_FL_SIGN | NTLM_FL_SEAL |
	  NTLM_FL_KEY_EXCH | NTLM_FL_LM_KEY },
	{ "curl (OEM, no sign/seal)",
	  NTLM_FL_OEM | NTLM_FL_REQUEST_TARGET | NTLM_FL_NTLM |
	  NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  FL_ALWAYS | NTLM_FL_OEM | NTLM_FL_REQUEST_TARGET |
	  NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_ALWAYS_SIGN,
	  FL_NEVER | FL_SECURITY | NTLM_FL_UNICODE | NTLM_FL_LM_KEY },
	{ "LM_KEY without ESS (python3-ntlm-auth compat 0)",
	  NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_LM_KEY | NTLM_FL_SIGN |
	  NTLM_FL_KEY_EXCH,
	  FL_ALWAYS | NTLM_FL_LM_KEY | NTLM_FL_SIGN | NTLM_FL_KEY_EXCH,
	  FL_NEVER | NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_SEAL |
	  NTLM_FL_128 | NTLM_FL_56 },
	{ "LM_KEY with ESS: ESS alone (MS-NLMP 2.2.2.5 G)",
	  NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_LM_KEY |
	  NTLM_FL_EXTENDED_SESSIONSECURITY,
	  FL_ALWAYS | NTLM_FL_EXTENDED_SESSIONSECURITY,
	  FL_NEVER | NTLM_FL_LM_KEY },
	{ "128 without 56, 56 without 128",
	  NTLM_FL_UNICODE | NTLM_FL_128,
	  FL_ALWAYS | NTLM_FL_128, FL_NEVER | NTLM_FL_56 | NTLM_FL_KEY_EXCH },
	{ "56 only", NTLM_FL_UNICODE | NTLM_FL_56,
	  FL_ALWAYS | NTLM_FL_56, FL_NEVER | NTLM_FL_128 },
	{ "DATAGRAM asked: never (SASL is connection-oriented)",
	  NTLM_FL_UNICODE | NTLM_FL_DATAGRAM | NTLM_FL_KEY_EXCH,
	  FL_ALWAYS | NTLM_FL_KEY_EXCH, FL_NEVER },
};

static void test_server_challenge_flag_table(void)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	uint8_t neg[64];
	const char *error = NULL;
	size_t len;
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(challenge_flag_cases); i++) {
		const struct challenge_flag_case *c = &challenge_flag_cases[i];

		exch_reset();
		CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(c->negotiate,
				NULL, NULL, NULL, neg, sizeof(neg), &len,
				&error), 0);
		ntlm_server_init_fixed(&ex->server, &ex->config,
				       ex->challenge8, ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg,
							len),
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
		ntlm_server_deinit(&ex->server);
	}
}

/* Edge cases of the character set and the target type. */
static void test_server_challenge_flags(void)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	uint8_t neg[64];
	const char *error = NULL;
	size_t len;

	/* OEM only, no ESS asked, target is the server: OEM TargetName
	   "SERVER", TARGET_TYPE_SERVER, no ESS offered. */
	exch_reset();
	ex->config.target_is_domain = false;
	ex->config.send_version = false;
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(NTLM_FL_OEM |
			NTLM_FL_NTLM | NTLM_FL_REQUEST_TARGET, NULL, NULL,
			NULL, neg, sizeof(neg), &len, &error), 0);
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg, len),
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
	ntlm_server_deinit(&ex->server);

	/* Neither Unicode nor OEM: refused. */
	exch_reset();
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(NTLM_FL_NTLM, NULL, NULL,
			NULL, neg, sizeof(neg), &len, &error), 0);
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL(ntlm_server_input(&ex->server, neg, len),
			NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->server, &error),
			NTLM_ERR_MESSAGE);
	ntlm_server_deinit(&ex->server);
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
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ex->client, &ex->params,
					       &error), 0);
	{
		const uint8_t *neg;
		size_t len;

		ntlm_client_negotiate(&ex->client, &neg, &len);
		ntlm_server_init_fixed(&ex->server, config, ex->challenge8,
				       ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg,
							len),
				      NTLM_SERVER_SEND);
	}
	decode_server_challenge(&chal, &info);
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, "HOST"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_domain, "CORP"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_computer, "HOST"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_domain, "CORP"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_tree, "corp.example"));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

/* --- variants and policy --- */

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
	{ "NTLMv2 with MIC, strict", NTLM_CLIENT_V2, true, false,
	  SHAPE_AS_BUILT, POL_STRICT, NTLM_SERVER_SUCCESS, NTLM_OK, "N",
	  NTLM_VARIANT_NTLMV2, true },
	{ "NTLMv2 without MIC, strict", NTLM_CLIENT_V2, false, false,
	  SHAPE_AS_BUILT, POL_STRICT, NTLM_SERVER_SUCCESS, NTLM_OK, "N",
	  NTLM_VARIANT_NTLMV2, false },
	{ "NTLMv2 with MIC, require_mic", NTLM_CLIENT_V2, true, false,
	  SHAPE_AS_BUILT, POL_REQUIRE_MIC, NTLM_SERVER_SUCCESS, NTLM_OK, "N",
	  NTLM_VARIANT_NTLMV2, true },
	{ "NTLMv2 without MIC, require_mic", NTLM_CLIENT_V2, false, false,
	  SHAPE_AS_BUILT, POL_REQUIRE_MIC, NTLM_SERVER_FAILURE,
	  NTLM_ERR_POLICY, "", NTLM_VARIANT_NTLMV2, false },

	{ "LMv2, strict", NTLM_CLIENT_LMV2, false, false, SHAPE_AS_BUILT,
	  POL_STRICT, NTLM_SERVER_SUCCESS, NTLM_OK, "N", NTLM_VARIANT_LMV2,
	  false },
	{ "LMv2, allow_lmv2 = no", NTLM_CLIENT_LMV2, false, false,
	  SHAPE_AS_BUILT, POL_NO_LMV2, NTLM_SERVER_FAILURE, NTLM_ERR_POLICY,
	  "", NTLM_VARIANT_LMV2, false },
	{ "LMv2, require_mic", NTLM_CLIENT_LMV2, false, false,
	  SHAPE_AS_BUILT, POL_REQUIRE_MIC, NTLM_SERVER_FAILURE,
	  NTLM_ERR_POLICY, "", NTLM_VARIANT_LMV2, false },

	{ "NTLMv1-ESS, strict", NTLM_CLIENT_ESS, false, false,
	  SHAPE_AS_BUILT, POL_STRICT, NTLM_SERVER_FAILURE, NTLM_ERR_POLICY,
	  "", NTLM_VARIANT_NTLMV1_ESS, false },
	{ "NTLMv1-ESS, allow_ntlmv1 only", NTLM_CLIENT_ESS, false, false,
	  SHAPE_AS_BUILT, POL_NTLMV1, NTLM_SERVER_FAILURE, NTLM_ERR_POLICY,
	  "", NTLM_VARIANT_NTLMV1_ESS, false },
	{ "NTLMv1-ESS, allow_ntlmv1_ess", NTLM_CLIENT_ESS, false, false,
	  SHAPE_AS_BUILT, POL_NTLMV1_ESS, NTLM_SERVER_SUCCESS, NTLM_OK, "N",
	  NTLM_VARIANT_NTLMV1_ESS, false },

	{ "NTLMv1, strict", NTLM_CLIENT_V1, false, true, SHAPE_AS_BUILT,
	  POL_STRICT, NTLM_SERVER_FAILURE, NTLM_ERR_POLICY, "",
	  NTLM_VARIANT_NTLMV1, false },
	{ "NTLMv1, allow_ntlmv1_ess only", NTLM_CLIENT_V1, false, true,
	  SHAPE_AS_BUILT, POL_NTLMV1_ESS, NTLM_SERVER_FAILURE,
	  NTLM_ERR_POLICY, "", NTLM_VARIANT_NTLMV1, false },
	{ "NTLMv1, allow_ntlmv1", NTLM_CLIENT_V1, false, true,
	  SHAPE_AS_BUILT, POL_NTLMV1, NTLM_SERVER_SUCCESS, NTLM_OK, "N",
	  NTLM_VARIANT_NTLMV1, false },
	{ "NTLMv1 without LM hash, allow_ntlmv1", NTLM_CLIENT_V1, false,
	  false, SHAPE_AS_BUILT, POL_NTLMV1, NTLM_SERVER_SUCCESS, NTLM_OK,
	  "N", NTLM_VARIANT_NTLMV1, false },

	/* LM and LMv2 look alike: with LMv2 allowed the NT hash is asked
	   first, and LM is tried only when the policy allows it. */
	{ "LM, allow_lmv2 = no, allow_lm = no", NTLM_CLIENT_V1, false, true,
	  SHAPE_LM_ONLY, POL_NO_LMV2_NO_LM, NTLM_SERVER_FAILURE,
	  NTLM_ERR_POLICY, "", NTLM_VARIANT_LMV2, false },
	{ "LM, strict (tried as LMv2, no LM retry)", NTLM_CLIENT_V1, false,
	  true, SHAPE_LM_ONLY, POL_STRICT, NTLM_SERVER_FAILURE,
	  NTLM_ERR_MISMATCH, "N", NTLM_VARIANT_LMV2, false },
	{ "LM, allow_lm (LMv2 first, then LM)", NTLM_CLIENT_V1, false, true,
	  SHAPE_LM_ONLY, POL_LM, NTLM_SERVER_SUCCESS, NTLM_OK, "NL",
	  NTLM_VARIANT_LM, false },
	{ "LM, allow_lm, allow_lmv2 = no", NTLM_CLIENT_V1, false, true,
	  SHAPE_LM_ONLY, POL_LM_NO_LMV2, NTLM_SERVER_SUCCESS, NTLM_OK, "L",
	  NTLM_VARIANT_LM, false },
	/* An NTLMv1 response (DESL under the NT hash) in the LM field is
	   checked as LMv2 with the NT hash and as LM with the LM hash: it
	   matches neither, so allow_lm does not let NTLMv1 in. */
	{ "NTLMv1 in the LM field, allow_lm", NTLM_CLIENT_V1, false, true,
	  SHAPE_NT_IN_LM, POL_LM, NTLM_SERVER_FAILURE, NTLM_ERR_MISMATCH,
	  "NL", NTLM_VARIANT_LM, false },
	{ "NTLMv1 in the LM field, allow_lm, allow_lmv2 = no",
	  NTLM_CLIENT_V1, false, true, SHAPE_NT_IN_LM, POL_LM_NO_LMV2,
	  NTLM_SERVER_FAILURE, NTLM_ERR_MISMATCH, "L", NTLM_VARIANT_LM,
	  false },

	{ "anonymous, strict", NTLM_CLIENT_ANONYMOUS, false, false,
	  SHAPE_AS_BUILT, POL_STRICT, NTLM_SERVER_FAILURE, NTLM_ERR_POLICY,
	  "", NTLM_VARIANT_ANONYMOUS, false },
	{ "anonymous, allow_anonymous", NTLM_CLIENT_ANONYMOUS, false, false,
	  SHAPE_AS_BUILT, POL_ANONYMOUS, NTLM_SERVER_SUCCESS, NTLM_OK, "",
	  NTLM_VARIANT_ANONYMOUS, false },
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
	const char *error;
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
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
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
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
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
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

/* A hash of another kind than the one asked for ends the exchange,
   whatever its bytes: the LM retry never gets the NT hash. */
static void test_server_wrong_hash_kind(void)
{
	enum ntlm_server_action action;

	/* the NT hash wanted, an LM hash given */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->authenticate,
						ex->authenticate_len),
			      NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->server, NTLM_HASH_LM,
					   ex->nt_hash), NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->server, &ex->reason),
			NTLM_ERR_INTERNAL);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* LM retry after LMv2 failed: the NT hash offered again is refused,
	   even for an NTLMv1 response in the LM field it would match */
	exch_reset();
	ex->config.policy.allow_lm = true;
	ex->params.variant = NTLM_CLIENT_V1;
	ex->params.have_lm_hash = true;
	exch_start();
	rewrite_responses(true);
	action = ntlm_server_input(&ex->server, ex->authenticate,
				   ex->authenticate_len);
	CU_ASSERT_EQUAL_FATAL(action, NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->server), NTLM_HASH_NT);
	action = ntlm_server_verify(&ex->server, NTLM_HASH_NT, ex->nt_hash);
	CU_ASSERT_EQUAL_FATAL(action, NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->server), NTLM_HASH_LM);
	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->server, NTLM_HASH_NT,
					   ex->nt_hash), NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->server, &ex->reason),
			NTLM_ERR_INTERNAL);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

/* --- identity and names --- */

static void test_server_identity(void)
{
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->authenticate,
						ex->authenticate_len),
			      NTLM_SERVER_NEED_HASH);
	CU_ASSERT_EQUAL(ntlm_server_hash_kind(&ex->server), NTLM_HASH_NT);
	ntlm_server_get_identity(&ex->server, &ex->id);
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

	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->server, NTLM_HASH_NT,
					   ex->nt_hash),
			NTLM_SERVER_SUCCESS);
	ntlm_server_get_identity(&ex->server, &ex->id);
	CU_ASSERT_TRUE(ex->id.mic_verified);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain_form);
	CU_ASSERT_STRING_EQUAL(ex->id.domain_form, "as sent");
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* No such user: a mismatch, the identity stays readable. */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->authenticate,
						ex->authenticate_len),
			      NTLM_SERVER_NEED_HASH);
	ntlm_server_user_unknown(&ex->server);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->server, &ex->reason),
			NTLM_ERR_MISMATCH);
	ntlm_server_get_identity(&ex->server, &ex->id);
	CU_ASSERT_STRING_EQUAL(ex->id.user, NLMP_USER);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

static void test_server_domain_forms(void)
{
	static const struct {
		const char *name;
		const char *hashed;	/* domain the client hashes with */
		const char *sent;	/* domain in the message (NULL: same) */
		const char *form;
	} cases[] = {
		{ "as sent", NLMP_USER_DOM, NULL, "as sent" },
		{ "upper-case sent, upper-case hashed", "DOMAIN", NULL,
		  "as sent" },
		{ "upper-cased (Cyrus, Thunderbird)", "DOMAIN", NLMP_USER_DOM,
		  "upper-cased" },
		{ "empty (NIL UserDom)", NULL, NLMP_USER_DOM, "empty" },
		{ "empty sent, empty hashed", NULL, NULL, "as sent" },
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
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}

	/* A domain nobody hashed with: mismatch after all three tries. */
	exch_reset();
	ex->params.domain = "OTHER";
	ex->params.send_mic = false;
	exch_start();
	rewrite_domain(NLMP_USER_DOM);
	exch_finish();
	ASSERT_FAILURE("unrelated domain", NTLM_ERR_MISMATCH);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
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
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
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
			ex->authenticate, ex->authenticate_len, &msg,
			&error), 0);
		CU_ASSERT_EQUAL_FATAL(msg.user.len, strlen(cases[i].latin1));
		CU_ASSERT_EQUAL(memcmp(msg.user.data, cases[i].latin1,
				       msg.user.len), 0);
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}
}

/* --- integrity --- */

static void tamper_negotiate_flag(uint8_t *buf, size_t *len)
{
	(void)len;
	/* NEGOTIATE_IDENTIFY: a flag the server ignores, so only the MIC
	   can tell. */
	buf[14] ^= (uint8_t)(NTLM_FL_IDENTIFY >> 16);
}

static void tamper_challenge_version(uint8_t *buf, size_t *len)
{
	(void)len;
	/* VERSION build number of the CHALLENGE (offset 48 + 2) */
	buf[50] ^= 0x01;
}

static void tamper_mic(uint8_t *buf, size_t *len)
{
	(void)len;
	buf[NTLM_AUTH_MIC_OFFSET + 5] ^= 0x80;
}

/* Clear MsvAvFlags' MIC_PRESENT inside the NTLMv2 blob (drop-the-MIC,
   CVE-2019-1040): the proof covers the blob, so it no longer
   verifies. */
static void tamper_strip_mic_flag(uint8_t *buf, size_t *len)
{
	static const uint8_t pair[] = { 0x06, 0x00, 0x04, 0x00,
					0x02, 0x00, 0x00, 0x00 };
	size_t i;

	for (i = 0; i + sizeof(pair) <= *len; i++) {
		if (memcmp(buf + i, pair, sizeof(pair)) == 0) {
			buf[i + 4] = 0;
			return;
		}
	}
	CU_FAIL_FATAL("no MsvAvFlags pair in the AUTHENTICATE");
}

static void test_server_integrity(void)
{
	static const struct {
		const char *name;
		tamper_func *negotiate, *challenge, *authenticate;
		enum ntlm_error error;
	} cases[] = {
		{ "NEGOTIATE flag changed in flight", tamper_negotiate_flag,
		  NULL, NULL, NTLM_ERR_INTEGRITY },
		{ "CHALLENGE byte changed in flight", NULL,
		  tamper_challenge_version, NULL, NTLM_ERR_INTEGRITY },
		{ "MIC byte flipped", NULL, NULL, tamper_mic,
		  NTLM_ERR_INTEGRITY },
		{ "MIC_PRESENT cleared in the blob", NULL, NULL,
		  tamper_strip_mic_flag, NTLM_ERR_MISMATCH },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->tamper_negotiate = cases[i].negotiate;
		ex->tamper_challenge = cases[i].challenge;
		ex->tamper_authenticate = cases[i].authenticate;
		exch_run();
		/* the proof itself is checked first: the hash was asked */
		CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
		ASSERT_FAILURE(cases[i].name, cases[i].error);
		CU_ASSERT_FALSE(ex->id.mic_verified);
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}
}

/* The CHALLENGE's MsvAvTimestamp changed in flight: the client echoes
   the changed value (and its proof is valid), the server notices. */
static void tamper_challenge_timestamp(uint8_t *buf, size_t *len)
{
	uint8_t pair[12];
	size_t i;

	pair[0] = NTLM_AV_TIMESTAMP;
	pair[1] = 0;
	pair[2] = 8;
	pair[3] = 0;
	for (i = 0; i < 8; i++)
		pair[4 + i] = (uint8_t)(TEST_NOW >> (8 * i));
	for (i = 0; i + sizeof(pair) <= *len; i++) {
		if (memcmp(buf + i, pair, sizeof(pair)) == 0) {
			/* one second later */
			buf[i + 4] ^= 0x80;
			return;
		}
	}
	CU_FAIL_FATAL("no MsvAvTimestamp in the CHALLENGE");
}

static void test_server_echoed_timestamp(void)
{
	static const bool mic[] = { true, false };
	unsigned int i;

	for (i = 0; i < sizeof(mic) / sizeof(mic[0]); i++) {
		exch_reset();
		ex->params.send_mic = mic[i];
		ex->tamper_challenge = tamper_challenge_timestamp;
		exch_run();
		CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
		ASSERT_FAILURE("echoed timestamp changed", NTLM_ERR_INTEGRITY);
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}
}

/* AUTHENTICATE messages that are well-framed but unusable. Each is the
   client's message re-encoded with one change; all are refused as
   NTLM_ERR_MESSAGE before any hash is asked for. */
enum auth_edit {
	EDIT_USER_UNPAIRED_SURROGATE,
	EDIT_USER_EMBEDDED_NUL,
	EDIT_USER_TOO_LONG,
	EDIT_USER_EMPTY,
	EDIT_DOMAIN_ODD_LENGTH,
	EDIT_NT_30_BYTES,
	EDIT_NT_47_BYTES,
	EDIT_NT_16_BYTES,
	EDIT_ESS_LM_TOO_SHORT,
	EDIT_NO_RESPONSES,
};

static const struct {
	const char *name;
	enum ntlm_client_variant client;
	enum auth_edit edit;
} bad_auth_cases[] = {
	{ "user name with an unpaired surrogate", NTLM_CLIENT_V2,
	  EDIT_USER_UNPAIRED_SURROGATE },
	{ "user name with an embedded NUL", NTLM_CLIENT_V2,
	  EDIT_USER_EMBEDDED_NUL },
	{ "user name of 257 units", NTLM_CLIENT_V2, EDIT_USER_TOO_LONG },
	{ "empty user name with an NTLMv2 response", NTLM_CLIENT_V2,
	  EDIT_USER_EMPTY },
	{ "domain of odd length (Unicode)", NTLM_CLIENT_V2,
	  EDIT_DOMAIN_ODD_LENGTH },
	{ "NT response of 30 bytes", NTLM_CLIENT_V2, EDIT_NT_30_BYTES },
	{ "NT response of 47 bytes", NTLM_CLIENT_V2, EDIT_NT_47_BYTES },
	{ "NT response of 16 bytes", NTLM_CLIENT_V2, EDIT_NT_16_BYTES },
	{ "ESS response with a 4-byte LM field", NTLM_CLIENT_ESS,
	  EDIT_ESS_LM_TOO_SHORT },
	{ "user but no responses at all", NTLM_CLIENT_V2,
	  EDIT_NO_RESPONSES },
};

static void edit_authenticate(enum auth_edit edit)
{
	static uint8_t name[NTLM_MAX_NAME_UTF16 + 16];
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE];
	const char *error = NULL;
	size_t len, i;

	memcpy(copy, ex->authenticate, ex->authenticate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(copy,
						       ex->authenticate_len,
						       &msg, &error), 0);
	switch (edit) {
	case EDIT_USER_UNPAIRED_SURROGATE:
		/* "U" D800 "r" */
		memcpy(name, "U\0\x00\xd8r\0", 6);
		msg.user.data = name;
		msg.user.len = 6;
		break;
	case EDIT_USER_EMBEDDED_NUL:
		memcpy(name, "U\0\0\0r\0", 6);
		msg.user.data = name;
		msg.user.len = 6;
		break;
	case EDIT_USER_TOO_LONG:
		for (i = 0; i < NTLM_MAX_NAME_UNITS + 1; i++) {
			name[2 * i] = 'a';
			name[2 * i + 1] = 0;
		}
		msg.user.data = name;
		msg.user.len = 2 * (NTLM_MAX_NAME_UNITS + 1);
		break;
	case EDIT_USER_EMPTY:
		msg.user.len = 0;
		break;
	case EDIT_DOMAIN_ODD_LENGTH:
		CU_ASSERT_FATAL(msg.domain.len > 1);
		msg.domain.len--;
		break;
	case EDIT_NT_30_BYTES:
		msg.nt_response.len = 30;
		break;
	case EDIT_NT_47_BYTES:
		msg.nt_response.len = 47;
		break;
	case EDIT_NT_16_BYTES:
		msg.nt_response.len = 16;
		break;
	case EDIT_ESS_LM_TOO_SHORT:
		msg.lm_response.len = 4;
		break;
	case EDIT_NO_RESPONSES:
		msg.lm_response.len = 0;
		msg.nt_response.len = 0;
		break;
	}
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
			msg.have_version ? &msg.version : NULL, false,
			ex->authenticate, sizeof(ex->authenticate), &len,
			NULL, &error), 0);
	ex->authenticate_len = len;
}

static void test_server_bad_authenticate(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_auth_cases) / sizeof(bad_auth_cases[0]);
	     i++) {
		exch_reset();
		ex->config.policy.allow_ntlmv1_ess = true;
		ex->params.variant = bad_auth_cases[i].client;
		ex->params.send_mic = false;
		exch_start();
		edit_authenticate(bad_auth_cases[i].edit);
		exch_finish();
		ASSERT_FAILURE(bad_auth_cases[i].name, NTLM_ERR_MESSAGE);
		CU_ASSERT_EQUAL(ex->hash_requests, 0);
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}

	/* A blob announcing a MIC in a message with no room for one (the
	   MIC field dropped from the header, the flag kept): refused. */
	exch_reset();
	exch_start();
	rewrite_domain(NLMP_USER_DOM);	/* re-encoded without MIC field */
	exch_finish();
	if (ex->final != NTLM_SERVER_FAILURE ||
	    (ex->error != NTLM_ERR_MESSAGE &&
	     ex->error != NTLM_ERR_INTEGRITY))
		print_failure("MIC flag without MIC field");
	CU_ASSERT_EQUAL(ex->final, NTLM_SERVER_FAILURE);
	CU_ASSERT(ex->error == NTLM_ERR_MESSAGE ||
		  ex->error == NTLM_ERR_INTEGRITY);
	CU_ASSERT_FALSE(ex->id.mic_verified);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* Outlook's AUTHENTICATE cut short, after a valid NEGOTIATE. */
	exch_reset();
	exch_start();
	{
		uint8_t buf[256];
		size_t len = test_base64(OXPOP3_AUTHENTICATE_B64, buf,
					 sizeof(buf));

		exch_finish_with(buf, len - 1);
		ASSERT_FAILURE("truncated AUTHENTICATE", NTLM_ERR_MESSAGE);
	}
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

static void test_server_clock_skew(void)
{
	static const struct {
		const char *name;
		int64_t offset_secs;
		unsigned int max_skew;
		bool ok;
	} cases[] = {
		{ "2 h old, skew 3600", -7200, 3600, false },
		{ "2 h ahead, skew 3600", 7200, 3600, false },
		{ "30 min old, skew 3600", -1800, 3600, true },
		{ "exactly at the limit", -3600, 3600, true },
		{ "2 h old, check off (skew 0)", -7200, 0, true },
		{ "10 years old, check off (skew 0)",
		  -10LL * 365 * 86400, 0, true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		exch_reset();
		ex->config.policy.max_clock_skew_secs = cases[i].max_skew;
		ex->params.force_timestamp = true;
		ex->params.timestamp = (uint64_t)((int64_t)TEST_NOW +
			cases[i].offset_secs * (int64_t)TICKS_PER_SEC);
		exch_run();
		if (cases[i].ok) {
			ASSERT_SUCCESS(cases[i].name);
		} else {
			ASSERT_FAILURE(cases[i].name, NTLM_ERR_POLICY);
		}
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}
}

/* --- protocol order --- */

static void expect_message_failure(const char *what,
				   enum ntlm_server_action action)
{
	const char *reason = NULL;
	enum ntlm_error error = ntlm_server_error(&ex->server, &reason);

	if (action != NTLM_SERVER_FAILURE || error != NTLM_ERR_MESSAGE)
		fprintf(stderr, "\n%s: action %d, error %s\n", what, action,
			ntlm_error_name(error));
	CU_ASSERT_EQUAL(action, NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(error, NTLM_ERR_MESSAGE);
	CU_ASSERT_PTR_NOT_NULL(reason);
}

/* A fresh exchange with the fixed challenge and time, the old one wiped. */
static void server_restart(void)
{
	ntlm_server_deinit(&ex->server);
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
}

static void test_server_order(void)
{
	static const uint8_t empty[1] = { 0 };

	/* AUTHENTICATE first */
	exch_reset();
	exch_start();
	server_restart();
	expect_message_failure("AUTHENTICATE without NEGOTIATE",
		ntlm_server_input(&ex->server, ex->authenticate,
				  ex->authenticate_len));

	/* CHALLENGE sent to the server */
	server_restart();
	expect_message_failure("CHALLENGE to the server",
		ntlm_server_input(&ex->server, ex->challenge,
				  ex->challenge_len));

	/* empty input, first and second step */
	server_restart();
	expect_message_failure("empty first input",
			       ntlm_server_input(&ex->server, empty, 0));
	server_restart();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->negotiate,
						ex->negotiate_len),
			      NTLM_SERVER_SEND);
	expect_message_failure("empty second input",
			       ntlm_server_input(&ex->server, empty, 0));

	/* NEGOTIATE twice */
	server_restart();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->negotiate,
						ex->negotiate_len),
			      NTLM_SERVER_SEND);
	expect_message_failure("NEGOTIATE twice",
		ntlm_server_input(&ex->server, ex->negotiate,
				  ex->negotiate_len));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* input after a success, and after a failure */
	exch_reset();
	exch_run();
	ASSERT_SUCCESS("baseline");
	expect_message_failure("input after success",
		ntlm_server_input(&ex->server, ex->authenticate,
				  ex->authenticate_len));
	expect_message_failure("NEGOTIATE after success",
		ntlm_server_input(&ex->server, ex->negotiate,
				  ex->negotiate_len));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	exch_reset();
	memset(ex->nt_hash, 0x11, 16);
	exch_run();
	ASSERT_FAILURE("bad hash", NTLM_ERR_MISMATCH);
	expect_message_failure("input after failure",
		ntlm_server_input(&ex->server, ex->authenticate,
				  ex->authenticate_len));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* input while the hash is awaited */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, ex->authenticate,
						ex->authenticate_len),
			      NTLM_SERVER_NEED_HASH);
	expect_message_failure("input while waiting for the hash",
		ntlm_server_input(&ex->server, ex->authenticate,
				  ex->authenticate_len));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* a hash nobody asked for */
	exch_reset();
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL(ntlm_server_verify(&ex->server, NTLM_HASH_NT, ex->nt_hash),
			NTLM_SERVER_FAILURE);
	ntlm_server_deinit(&ex->server);
}

static void zero_flags(uint8_t *buf, size_t *len)
{
	(void)len;
	memset(buf + 60, 0, 4);
}

static void test_server_zero_flags(void)
{
	struct ntlm_challenge chal;
	const char *error = NULL;

	exch_reset();
	ex->params.send_mic = false;
	ex->tamper_authenticate = zero_flags;
	exch_run();
	ASSERT_SUCCESS("AUTHENTICATE flags 0");
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(ex->challenge,
						    ex->challenge_len, &chal,
						    &error), 0);
	CU_ASSERT_EQUAL(ex->id.flags, chal.flags);
	CU_ASSERT_TRUE(ex->id.unicode);
	CU_ASSERT_STRING_EQUAL(ex->id.user, NLMP_USER);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

/* --- AUTHENTICATE flags against the negotiation --- */

static uint32_t get_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
		((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Re-encode the client's AUTHENTICATE with an EncryptedRandomSessionKey
   of len bytes (the real one first, then 0x42), keeping its flags. */
static void rewrite_session_key(size_t len)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE], key[32];
	const char *error = NULL;
	size_t out_len;

	CU_ASSERT_FATAL(len <= sizeof(key));
	memcpy(copy, ex->authenticate, ex->authenticate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(copy,
						       ex->authenticate_len,
						       &msg, &error), 0);
	memset(key, 0x42, sizeof(key));
	if (msg.encrypted_session_key.len > 0)
		memcpy(key, msg.encrypted_session_key.data,
		       msg.encrypted_session_key.len < len ?
		       msg.encrypted_session_key.len : len);
	msg.encrypted_session_key.data = key;
	msg.encrypted_session_key.len = len;
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
			msg.have_version ? &msg.version : NULL, false,
			ex->authenticate, sizeof(ex->authenticate), &out_len,
			NULL, &error), 0);
	ex->authenticate_len = out_len;
}

enum auth_flag_edit {
	AF_OR,		/* the client's flags | value */
	AF_AND_NOT,	/* the client's flags & ~value */
	AF_SET,		/* value */
};

static const struct auth_flag_case {
	const char *name;
	/* the client: extra NEGOTIATE flags, key exchange, anonymous */
	uint32_t request;
	bool key_exchange;
	bool anonymous;
	/* the edit: EncryptedRandomSessionKey length (-1 as built), then
	   the flags */
	int key_len;
	enum auth_flag_edit edit;
	uint32_t value;
	bool ok;
	/* the server sends no VERSION (ntlm_send_version = no) */
	bool no_version;
} auth_flag_cases[] = {
	{ "as built", 0, false, false, -1, AF_OR, 0, true },
	{ "0xffffffff", 0, false, false, -1, AF_SET, 0xffffffffU, false },
	{ "0xffffffff after sign/seal/key exchange were granted",
	  NTLM_FL_SIGN | NTLM_FL_SEAL, true, false, -1, AF_SET,
	  0xffffffffU, false },
	{ "UNICODE and OEM together", 0, false, false, -1, AF_OR,
	  NTLM_FL_OEM, false },
	{ "ANONYMOUS with a user name and real responses", 0, false, false,
	  -1, AF_OR, NTLM_FL_ANONYMOUS, false },
	{ "DATAGRAM (never offered)", 0, false, false, -1, AF_OR,
	  NTLM_FL_DATAGRAM, false },
	{ "LM_KEY (not offered with ESS)", NTLM_FL_LM_KEY, false, false, -1,
	  AF_OR, NTLM_FL_LM_KEY, false },
	{ "SIGN that was not asked for", 0, false, false, -1, AF_OR,
	  NTLM_FL_SIGN, false },
	{ "SEAL that was not asked for", NTLM_FL_SIGN, false, false, -1,
	  AF_OR, NTLM_FL_SEAL, false },
	{ "KEY_EXCH that was not asked for, 16-byte key", 0, false, false,
	  16, AF_OR, NTLM_FL_KEY_EXCH, false },
	{ "REQUEST_NON_NT_SESSION_KEY", 0, false, false, -1, AF_OR,
	  NTLM_FL_REQUEST_NON_NT_SESSION_KEY, false },
	{ "TARGET_TYPE_SERVER (the CHALLENGE said domain)", 0, false, false,
	  -1, AF_OR, NTLM_FL_TARGET_TYPE_SERVER, false },
	{ "IDENTIFY that was not asked for", 0, false, false, -1, AF_OR,
	  NTLM_FL_IDENTIFY, false },
	{ "VERSION and OEM_*_SUPPLIED describe the message", 0, false,
	  false, -1, AF_OR, NTLM_FL_VERSION | NTLM_FL_OEM_DOMAIN_SUPPLIED |
	  NTLM_FL_OEM_WORKSTATION_SUPPLIED, true },
	{ "VERSION although the CHALLENGE had none", 0, false, false, -1,
	  AF_OR, NTLM_FL_VERSION, true, true },
	{ "granted flags dropped", NTLM_FL_SIGN | NTLM_FL_SEAL |
	  NTLM_FL_IDENTIFY, false, false, -1, AF_AND_NOT, NTLM_FL_SIGN |
	  NTLM_FL_SEAL | NTLM_FL_IDENTIFY | NTLM_FL_128 | NTLM_FL_56 |
	  NTLM_FL_ALWAYS_SIGN | NTLM_FL_TARGET_INFO, true },
	{ "no character set: the CHALLENGE's applies", 0, false, false, -1,
	  AF_AND_NOT, NTLM_FL_UNICODE, true },
	{ "sign, seal, key exchange granted and used",
	  NTLM_FL_SIGN | NTLM_FL_SEAL, true, false, -1, AF_OR, 0, true },
	{ "flags 0: the CHALLENGE's apply", 0, false, false, -1, AF_SET, 0,
	  true },
	{ "flags 0, KEY_EXCH granted, no key: no key exchange",
	  NTLM_FL_KEY_EXCH, false, false, -1, AF_SET, 0, true },
	{ "flags 0, KEY_EXCH granted, 16-byte key", NTLM_FL_SIGN, true,
	  false, -1, AF_SET, 0, true },
	{ "flags 0, KEY_EXCH granted, 8-byte key", NTLM_FL_SIGN, true,
	  false, 8, AF_SET, 0, false },
	{ "KEY_EXCH without a key", NTLM_FL_KEY_EXCH, false, false, 0,
	  AF_OR, NTLM_FL_KEY_EXCH, false },
	{ "KEY_EXCH with a 15-byte key", 0, true, false, 15, AF_OR, 0,
	  false },
	{ "KEY_EXCH with a 17-byte key", 0, true, false, 17, AF_OR, 0,
	  false },
	{ "KEY_EXCH with a 32-byte key", 0, true, false, 32, AF_OR, 0,
	  false },
	{ "a key without KEY_EXCH is not used", 0, false, false, 16, AF_OR,
	  0, true },
	{ "ANONYMOUS with anonymous responses", 0, false, true, -1, AF_OR,
	  NTLM_FL_ANONYMOUS, true },
	{ "anonymous, 0xffffffff", 0, false, true, -1, AF_SET, 0xffffffffU,
	  false },
};

static void test_server_auth_flag_table(void)
{
	unsigned int i;
	uint32_t flags;

	for (i = 0; i < N_ELEMENTS(auth_flag_cases); i++) {
		const struct auth_flag_case *c = &auth_flag_cases[i];

		exch_reset();
		/* the edits invalidate a MIC; MICs are tested below */
		ex->params.send_mic = false;
		ex->params.request_flags = c->request;
		ex->params.key_exchange = c->key_exchange;
		if (c->no_version)
			ex->config.send_version = false;
		if (c->anonymous) {
			ex->config.policy.allow_anonymous = true;
			ex->params.variant = NTLM_CLIENT_ANONYMOUS;
			ex->params.user = NULL;
			ex->params.domain = NULL;
		}
		exch_start();
		if (c->key_len >= 0)
			rewrite_session_key((size_t)c->key_len);
		flags = get_u32le(ex->authenticate + 60);
		switch (c->edit) {
		case AF_OR:
			flags |= c->value;
			break;
		case AF_AND_NOT:
			flags &= ~c->value;
			break;
		case AF_SET:
			flags = c->value;
			break;
		}
		put_u32le(ex->authenticate + 60, flags);
		exch_finish();
		if (c->ok) {
			ASSERT_SUCCESS(c->name);
		} else {
			ASSERT_FAILURE(c->name, NTLM_ERR_MESSAGE);
			/* refused straight from the AUTHENTICATE, before any
			   hash was asked for */
			ROW_ASSERT(c->name,
				   ex->auth_action == NTLM_SERVER_FAILURE);
			ROW_ASSERT(c->name, ex->hash_requests == 0);
			ROW_ASSERT(c->name, ex->reason != NULL &&
				   strstr(ex->reason, "MS-NLMP") != NULL);
		}
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}
}

/* With NEGOTIATE_KEY_EXCH the MIC is keyed with the client's random
   ExportedSessionKey, not the SessionBaseKey (MS-NLMP 3.2.5.1.2). */
static void test_server_key_exchange_mic(void)
{
	static const struct {
		const char *name;
		bool key_exchange;
		bool send_mic;
		bool require_mic;
	} cases[] = {
		{ "key exchange, MIC", true, true, false },
		{ "key exchange, MIC, require_mic", true, true, true },
		{ "key exchange, no MIC", true, false, false },
		{ "no key exchange, MIC, require_mic", false, true, true },
	};
	uint8_t random_key[16], sbk[16], key[16], mic[16];
	uint8_t user[32], dom[32];
	struct ntlm_authenticate msg;
	struct ntlm_v2_response v2;
	struct ntlm_slice neg, chal, auth, u, d;
	const char *error = NULL;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_RANDOM_SESSION_KEY, random_key,
				       16), 16);
	for (i = 0; i < N_ELEMENTS(cases); i++) {
		exch_reset();
		ex->config.policy.require_mic = cases[i].require_mic;
		ex->params.request_flags = NTLM_FL_SIGN | NTLM_FL_SEAL;
		ex->params.key_exchange = cases[i].key_exchange;
		ex->params.random_session_key = random_key;
		ex->params.send_mic = cases[i].send_mic;
		exch_start();

		/* the client did what the row says */
		CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(
				ex->authenticate, ex->authenticate_len, &msg,
				&error), 0);
		ROW_ASSERT(cases[i].name, ((msg.flags & NTLM_FL_KEY_EXCH) != 0)
			   == cases[i].key_exchange);
		ROW_ASSERT(cases[i].name, (msg.flags & NTLM_FL_SIGN) != 0);
		ROW_ASSERT(cases[i].name, (msg.flags & NTLM_FL_SEAL) != 0);
		ROW_ASSERT(cases[i].name, msg.encrypted_session_key.len ==
			   (cases[i].key_exchange ? 16U : 0U));
		if (cases[i].key_exchange && cases[i].send_mic) {
			/* recompute both candidate MICs here: the message
			   carries the one keyed with the random key */
			CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(
					&msg.nt_response, &v2, &error), 0);
			u.data = user;
			u.len = test_ascii_utf16(NLMP_USER, user,
						 sizeof(user));
			d.data = dom;
			d.len = test_ascii_utf16(NLMP_USER_DOM, dom,
						 sizeof(dom));
			CU_ASSERT_EQUAL_FATAL(ntlm_ntowfv2(ex->nt_hash, &u, &d,
							   key), 0);
			CU_ASSERT_EQUAL_FATAL(ntlm_v2_session_key(key,
					v2.nt_proof.data, sbk), 0);
			neg.data = ex->negotiate;
			neg.len = ex->negotiate_len;
			chal.data = ex->challenge;
			chal.len = ex->challenge_len;
			auth.data = ex->authenticate;
			auth.len = ex->authenticate_len;
			CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(random_key,
					&neg, &chal, &auth,
					NTLM_AUTH_MIC_OFFSET, mic), 0);
			CU_ASSERT_EQUAL(memcmp(mic, msg.mic.data, 16), 0);
			CU_ASSERT_EQUAL_FATAL(ntlm_compute_mic(sbk, &neg, &chal,
					&auth, NTLM_AUTH_MIC_OFFSET, mic), 0);
			CU_ASSERT_NOT_EQUAL(memcmp(mic, msg.mic.data, 16), 0);
			/* and the key travels as RC4K(SessionBaseKey) */
			CU_ASSERT_EQUAL_FATAL(ntlm_exported_session_key(sbk,
					msg.encrypted_session_key.data, key),
					0);
			CU_ASSERT_EQUAL(memcmp(key, random_key, 16), 0);
		}

		exch_finish();
		ASSERT_SUCCESS(cases[i].name);
		ROW_ASSERT(cases[i].name,
			   ex->id.mic_verified == cases[i].send_mic);
		ROW_ASSERT(cases[i].name, ex->id.key_exchanged ==
			   (cases[i].key_exchange && cases[i].send_mic));
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);
	}

	/* A different EncryptedRandomSessionKey of the right length gives
	   another ExportedSessionKey: the MIC no longer matches. */
	exch_reset();
	ex->params.request_flags = NTLM_FL_SIGN;
	ex->params.key_exchange = true;
	ex->params.random_session_key = random_key;
	exch_start();
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(ex->authenticate,
			ex->authenticate_len, &msg, &error), 0);
	CU_ASSERT_EQUAL_FATAL(msg.encrypted_session_key.len, 16);
	ex->authenticate[msg.encrypted_session_key.data -
			 ex->authenticate] ^= 0x01;
	exch_finish();
	ASSERT_FAILURE("EncryptedRandomSessionKey changed", NTLM_ERR_INTEGRITY);
	CU_ASSERT_EQUAL(ex->hash_requests, 1);
	CU_ASSERT_FALSE(ex->id.mic_verified);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

/* Outlook's messages of [MS-OXPOP3] 4.1 against this server: its
   AUTHENTICATE's flags (0xa2888205) keep the rule for the CHALLENGE its
   NEGOTIATE gets here, so the hash is asked for (the response, NTLMv1
   with ESS, was made for Exchange's challenge and does not verify). */
static void test_server_outlook_flags(void)
{
	uint8_t neg[64], auth[512];
	size_t neg_len, auth_len;

	exch_reset();
	ex->config.policy.allow_ntlmv1_ess = true;
	neg_len = test_base64(OXPOP3_NEGOTIATE_B64, neg, sizeof(neg));
	auth_len = test_base64(OXPOP3_AUTHENTICATE_B64, auth, sizeof(auth));
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg, neg_len),
			      NTLM_SERVER_SEND);
	CU_ASSERT_EQUAL(get_u32le(auth + 60), OXPOP3_AUTHENTICATE_FLAGS);
	ex->auth_action = ntlm_server_input(&ex->server, auth, auth_len);
	ex->error = ntlm_server_error(&ex->server, &ex->reason);
	if (ex->auth_action != NTLM_SERVER_NEED_HASH)
		fprintf(stderr, "\nOutlook AUTHENTICATE: %s: %s\n",
			ntlm_error_name(ex->error), ex->reason);
	CU_ASSERT_EQUAL(ex->auth_action, NTLM_SERVER_NEED_HASH);
	ntlm_server_get_identity(&ex->server, &ex->id);
	CU_ASSERT_EQUAL(ex->id.flags, OXPOP3_AUTHENTICATE_FLAGS);
	ntlm_server_user_unknown(&ex->server);
	ntlm_server_deinit(&ex->server);
}

/* The [MS-NLMP] 4.2.4.3 AUTHENTICATE, rebuilt from its 4.2.4.2 parts:
   flags 0xe2888235 (KEY_EXCH, SIGN, SEAL, ...) and the 4.2.4.2.3
   EncryptedRandomSessionKey, against a server whose CHALLENGE used the
   spec's server challenge and granted those flags. */
static void test_server_nlmp_key_exchange(void)
{
	static const struct ntlm_version spec_version = {
		.major = 6, .minor = 0, .build = 6000, .revision = 15,
	};
	struct ntlm_authenticate msg;
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	uint8_t neg[64], lm[24], nt[16 + 128], key[16], user[32], dom[32];
	uint8_t ws[32];
	const char *error = NULL;
	size_t len, neg_len;
	unsigned int key_len;

	for (key_len = 14; key_len <= 16; key_len++) {
		exch_reset();
		/* the blob's Time is 0 */
		ex->config.policy.max_clock_skew_secs = 0;
		CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(
				NLMP_AUTHENTICATE_V2_FLAGS, NULL, NULL, NULL,
				neg, sizeof(neg), &neg_len, &error), 0);
		ntlm_server_init_fixed(&ex->server, &ex->config,
				       ex->challenge8, ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg,
							neg_len),
				      NTLM_SERVER_SEND);
		decode_server_challenge(&chal, &info);
		CU_ASSERT_EQUAL(chal.flags & NLMP_AUTHENTICATE_V2_FLAGS,
				NLMP_AUTHENTICATE_V2_FLAGS);

		memset(&msg, 0, sizeof(msg));
		msg.flags = NLMP_AUTHENTICATE_V2_FLAGS;
		msg.lm_response.data = lm;
		msg.lm_response.len = test_hex(NLMP_LMV2_RESPONSE, lm,
					       sizeof(lm));
		CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTPROOFSTR, nt, 16), 16);
		msg.nt_response.data = nt;
		msg.nt_response.len = 16 + test_hex(NLMP_V2_TEMP, nt + 16,
						    sizeof(nt) - 16);
		msg.domain.data = dom;
		msg.domain.len = test_ascii_utf16(NLMP_USER_DOM, dom,
						  sizeof(dom));
		msg.user.data = user;
		msg.user.len = test_ascii_utf16(NLMP_USER, user, sizeof(user));
		msg.workstation.data = ws;
		msg.workstation.len = test_ascii_utf16(NLMP_WORKSTATION, ws,
						       sizeof(ws));
		CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_V2_ENC_SESSION_KEY, key,
					       16), 16);
		msg.encrypted_session_key.data = key;
		msg.encrypted_session_key.len = key_len;
		CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(&msg,
				&spec_version, false, ex->authenticate,
				sizeof(ex->authenticate), &len, NULL, &error),
				0);
		ex->authenticate_len = len;
		exch_finish();
		if (key_len == 16) {
			ASSERT_SUCCESS("MS-NLMP 4.2.4.3 AUTHENTICATE");
			CU_ASSERT_EQUAL(ex->id.variant, NTLM_VARIANT_NTLMV2);
			CU_ASSERT_EQUAL(ex->id.flags,
					NLMP_AUTHENTICATE_V2_FLAGS);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ex->id.domain_form);
			CU_ASSERT_STRING_EQUAL(ex->id.domain_form, "as sent");
		} else {
			ASSERT_FAILURE("MS-NLMP 4.2.4.3 AUTHENTICATE, short "
				       "key", NTLM_ERR_MESSAGE);
			CU_ASSERT_EQUAL(ex->hash_requests, 0);
		}
		ntlm_server_deinit(&ex->server);
	}
}

static void test_server_replay(void)
{
	static const bool mic[] = { true, false };
	uint8_t neg[NTLM_MAX_MESSAGE_SIZE], auth[NTLM_MAX_MESSAGE_SIZE];
	size_t neg_len, auth_len;
	unsigned int i;

	for (i = 0; i < sizeof(mic) / sizeof(mic[0]); i++) {
		exch_reset();
		ex->params.send_mic = mic[i];
		exch_run();
		ASSERT_SUCCESS("original exchange");
		memcpy(neg, ex->negotiate, ex->negotiate_len);
		neg_len = ex->negotiate_len;
		memcpy(auth, ex->authenticate, ex->authenticate_len);
		auth_len = ex->authenticate_len;
		ntlm_server_deinit(&ex->server);
		ntlm_client_deinit(&ex->client);

		/* a new exchange, same time, another challenge */
		exch_reset();
		CU_ASSERT_EQUAL_FATAL(test_hex(OTHER_CHALLENGE,
					       ex->challenge8, 8), 8);
		ntlm_server_init_fixed(&ex->server, &ex->config,
				       ex->challenge8, ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server, neg,
							neg_len),
				      NTLM_SERVER_SEND);
		exch_finish_with(auth, auth_len);
		ASSERT_FAILURE(mic[i] ? "replay with MIC" :
			       "replay without MIC", NTLM_ERR_MISMATCH);
		ntlm_server_deinit(&ex->server);
	}
}

static void pad_to_max(uint8_t *buf, size_t *len)
{
	memset(buf + *len, 0, NTLM_MAX_MESSAGE_SIZE - *len);
	*len = NTLM_MAX_MESSAGE_SIZE;
}

static void test_server_limits(void)
{
	static uint8_t big[NTLM_MAX_MESSAGE_SIZE + 1];
	char user[NTLM_MAX_NAME_UNITS + 2];

	/* NEGOTIATE: up to NTLM_MAX_NEGOTIATE_SIZE (trailing bytes are
	   not part of any field) */
	exch_reset();
	exch_start();
	ntlm_server_deinit(&ex->server);
	memset(big, 0, sizeof(big));
	memcpy(big, ex->negotiate, ex->negotiate_len);
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL(ntlm_server_input(&ex->server, big,
					  NTLM_MAX_NEGOTIATE_SIZE),
			NTLM_SERVER_SEND);
	server_restart();
	expect_message_failure("NEGOTIATE over the limit",
		ntlm_server_input(&ex->server, big,
				  NTLM_MAX_NEGOTIATE_SIZE + 1));
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* AUTHENTICATE: up to NTLM_MAX_MESSAGE_SIZE */
	exch_reset();
	ex->params.send_mic = false;
	ex->tamper_authenticate = pad_to_max;
	exch_run();
	ASSERT_SUCCESS("AUTHENTICATE of the maximum size");
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	exch_reset();
	ex->params.send_mic = false;
	exch_start();
	memset(big, 0, sizeof(big));
	memcpy(big, ex->authenticate, ex->authenticate_len);
	exch_finish_with(big, sizeof(big));
	ASSERT_FAILURE("AUTHENTICATE over the limit", NTLM_ERR_MESSAGE);
	CU_ASSERT_EQUAL(ex->hash_requests, 0);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);

	/* a user name of exactly NTLM_MAX_NAME_UNITS units */
	memset(user, 'a', sizeof(user));
	user[NTLM_MAX_NAME_UNITS] = '\0';
	exch_reset();
	ex->params.user = user;
	exch_run();
	ASSERT_SUCCESS("user name of the maximum length");
	CU_ASSERT_EQUAL(strlen(ex->id.user), NTLM_MAX_NAME_UNITS);
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}

static void test_server_random_init(void)
{
	struct ntlm_challenge chal[2];
	struct ntlm_av_info info;
	uint64_t now;
	const char *error = NULL;
	unsigned int i;

	exch_reset();
	exch_start();
	ntlm_server_deinit(&ex->server);
	for (i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(ntlm_server_init(&ex->server,
						       &ex->config, &error),
				      0);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->server,
				ex->negotiate, ex->negotiate_len),
				NTLM_SERVER_SEND);
		decode_server_challenge(&chal[i], &info);
		now = ntlm_filetime_now();
		CU_ASSERT_TRUE(info.have_timestamp);
		CU_ASSERT(info.timestamp + 50000000ULL >= now &&
			  info.timestamp <= now + 50000000ULL);
		ntlm_server_deinit(&ex->server);
	}
	CU_ASSERT_NOT_EQUAL(memcmp(chal[0].server_challenge,
				   chal[1].server_challenge, 8), 0);
	ntlm_client_deinit(&ex->client);
}

static bool all_zero(const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != 0)
			return false;
	}
	return true;
}

static void test_server_deinit_wipes(void)
{
	struct ntlm_server *s = &ex->server;
	size_t neg_len, chal_len, auth_len, user_len, domain_len, ws_len;
	size_t user16_len, domain16_len;

	exch_reset();
	exch_run();
	ASSERT_SUCCESS("exchange before deinit");
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->negotiate);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->challenge);
	neg_len = s->negotiate_len;
	chal_len = s->challenge_len;
	auth_len = s->a->auth.raw.len;
	user_len = strlen(s->a->user);
	domain_len = strlen(s->a->domain);
	ws_len = strlen(s->a->workstation);
	user16_len = s->a->user_utf16_len;
	domain16_len = s->a->domain_utf16_len;
	/* sanity: there was something to wipe */
	CU_ASSERT_FALSE(all_zero(s->server_challenge,
				 sizeof(s->server_challenge)));
	CU_ASSERT_FALSE(all_zero(s->a->authenticate, 64));
	CU_ASSERT(neg_len > 0 && chal_len > 0 && auth_len > 64 &&
		  user_len > 0 && user16_len > 0);

	ntlm_server_wipe(s);
	CU_ASSERT_TRUE(all_zero(s->server_challenge,
				sizeof(s->server_challenge)));
	CU_ASSERT_TRUE(all_zero(s->negotiate, neg_len));
	CU_ASSERT_TRUE(all_zero(s->challenge, chal_len));
	/* the responses: hash-derived */
	CU_ASSERT_TRUE(all_zero(s->a->authenticate, auth_len));
	CU_ASSERT_TRUE(all_zero(&s->a->auth, sizeof(s->a->auth)));
	CU_ASSERT_TRUE(all_zero(&s->a->v2, sizeof(s->a->v2)));
	CU_ASSERT_TRUE(all_zero(s->a->user_utf16, user16_len));
	CU_ASSERT_TRUE(all_zero(s->a->domain_utf16, domain16_len));
	CU_ASSERT_TRUE(all_zero(s->a->user, user_len));
	CU_ASSERT_TRUE(all_zero(s->a->domain, domain_len));
	CU_ASSERT_TRUE(all_zero(s->a->workstation, ws_len));
	/* deinit wipes and frees; twice is fine */
	ntlm_server_deinit(s);
	CU_ASSERT_PTR_NULL(s->a);
	CU_ASSERT_PTR_NULL(s->negotiate);
	CU_ASSERT_PTR_NULL(s->challenge);
	ntlm_server_deinit(s);
	ntlm_client_deinit(&ex->client);

	/* after a failure too */
	exch_reset();
	memset(ex->nt_hash, 0x11, 16);
	exch_run();
	ASSERT_FAILURE("bad hash", NTLM_ERR_MISMATCH);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s->a);
	auth_len = s->a->auth.raw.len;
	user_len = strlen(s->a->user);
	ntlm_server_wipe(s);
	CU_ASSERT_TRUE(all_zero(s->a->authenticate, auth_len));
	CU_ASSERT_TRUE(all_zero(s->a->user, user_len));
	ntlm_server_deinit(s);
	ntlm_client_deinit(&ex->client);
}

/* A handshake waiting for its AUTHENTICATE holds only the two messages
   at their own size (issue 14: memory per waiting handshake). */
static void test_server_waiting_size(void)
{
	struct ntlm_server *s = &ex->server;

	CU_ASSERT(sizeof(struct ntlm_server) <= 256);
	exch_reset();
	exch_start();
	CU_ASSERT_PTR_NULL(s->a);
	CU_ASSERT(s->negotiate_len == ex->negotiate_len);
	CU_ASSERT(s->challenge_len > 0 && s->challenge_len < 1024);
	ntlm_server_deinit(s);
	ntlm_client_deinit(&ex->client);
}

static void test_server_error_names(void)
{
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_OK));
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_ERR_MESSAGE));
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_ERR_POLICY));
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_ERR_MISMATCH));
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_ERR_INTEGRITY));
	CU_ASSERT_PTR_NOT_NULL(ntlm_error_name(NTLM_ERR_INTERNAL));
	CU_ASSERT_STRING_NOT_EQUAL(ntlm_error_name(NTLM_ERR_POLICY),
				   ntlm_error_name(NTLM_ERR_MISMATCH));
}

/* The relay defence: channel binding (MsvAvChannelBindings) per mode, and
   the MsvAvTargetName list. Every refusal comes before a hash lookup. */
static const uint8_t our_binding[16] = {
	0x8d, 0x85, 0x1b, 0xd1, 0xa0, 0xb9, 0x1d, 0xfd,
	0x44, 0xcf, 0x5f, 0x19, 0x62, 0x09, 0x4a, 0x2b,
};
static const uint8_t other_binding[16] = {
	0x59, 0xf8, 0xda, 0x26, 0x52, 0x1f, 0x31, 0xaa,
	0x5e, 0x82, 0xf4, 0x17, 0x66, 0x15, 0x1d, 0x58,
};
static const uint8_t zero_binding[16];

static void cb_setup(enum ntlm_cb_mode mode, bool tls,
		     const uint8_t *client_binding)
{
	exch_reset();
	ex->config.cb_mode = mode;
	memcpy(ex->config.cb_bindings[0], other_binding, 16);
	memcpy(ex->config.cb_bindings[1], our_binding, 16);
	ex->config.cb_count = 2;
	ex->tls = tls;
	ex->params.channel_binding = client_binding;
}

static void cb_expect_refused(const char *what)
{
	exch_run();
	ASSERT_FAILURE(what, NTLM_ERR_POLICY);
	CU_ASSERT_EQUAL(ex->hash_requests, 0);
	CU_ASSERT_FALSE(ex->id.channel_bound);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);
}

static void cb_expect_ok(const char *what, bool bound)
{
	exch_run();
	ASSERT_SUCCESS(what);
	CU_ASSERT_EQUAL(ex->id.channel_bound, bound);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);
}

static void test_server_channel_binding(void)
{
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	/* never: whatever the client sends is not looked at */
	cb_setup(NTLM_CB_NEVER, false, other_binding);
	cb_expect_ok("never, foreign binding", false);
	cb_setup(NTLM_CB_NEVER, true, NULL);
	cb_expect_ok("never, TLS, none", false);

	/* required */
	cb_setup(NTLM_CB_REQUIRED, true, our_binding);
	cb_expect_ok("required, TLS, our certificate", true);
	cb_setup(NTLM_CB_REQUIRED, true, other_binding);
	cb_expect_ok("required, TLS, our other (SNI) certificate", true);
	cb_setup(NTLM_CB_REQUIRED, true, NULL);
	cb_expect_refused("required, TLS, no binding");
	cb_setup(NTLM_CB_REQUIRED, true, zero_binding);
	cb_expect_refused("required, TLS, zero binding");
	cb_setup(NTLM_CB_REQUIRED, true, our_binding);
	ex->config.cb_count = 1;	/* only other_binding is ours now */
	cb_expect_refused("required, TLS, another server's certificate");
	cb_setup(NTLM_CB_REQUIRED, true, our_binding);
	ex->params.variant = NTLM_CLIENT_LMV2;
	cb_expect_refused("required, LMv2 (no AV pairs)");

	/* required without TLS: refused at the NEGOTIATE */
	cb_setup(NTLM_CB_REQUIRED, false, our_binding);
	ntlm_server_init_fixed(&ex->server, &ex->config, ex->challenge8,
			       ex->now);
	ntlm_server_set_tls(&ex->server, false);
	CU_ASSERT_EQUAL_FATAL(ntlm_client_init(&ex->client, &ex->params,
					       &error), 0);
	ntlm_client_negotiate(&ex->client, &data, &len);
	CU_ASSERT_EQUAL(ntlm_server_input(&ex->server, data, len),
			NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(ntlm_server_error(&ex->server, &error),
			NTLM_ERR_POLICY);
	CU_ASSERT_PTR_NOT_NULL(strstr(error, "without TLS"));
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);

	/* when-present */
	cb_setup(NTLM_CB_WHEN_PRESENT, true, NULL);
	cb_expect_ok("when-present, TLS, none", false);
	cb_setup(NTLM_CB_WHEN_PRESENT, true, zero_binding);
	cb_expect_ok("when-present, TLS, zero", false);
	cb_setup(NTLM_CB_WHEN_PRESENT, false, NULL);
	cb_expect_ok("when-present, plaintext, none", false);
	cb_setup(NTLM_CB_WHEN_PRESENT, true, our_binding);
	cb_expect_ok("when-present, TLS, ours", true);
	cb_setup(NTLM_CB_WHEN_PRESENT, true, our_binding);
	ex->config.cb_count = 1;
	cb_expect_refused("when-present, TLS, another server's");
	cb_setup(NTLM_CB_WHEN_PRESENT, false, our_binding);
	cb_expect_refused("when-present, a TLS binding on plaintext");
	cb_setup(NTLM_CB_WHEN_PRESENT, false, NULL);
	ex->params.variant = NTLM_CLIENT_LMV2;
	cb_expect_ok("when-present, LMv2", false);
}

static void test_server_target_name(void)
{
	static const char *const names =
		"imap/mail.example.com pop/mail.example.com";

	cb_setup(NTLM_CB_NEVER, false, NULL);
	strcpy(ex->config.target_names, names);
	ex->params.target_name = "IMAP/mail.example.com";
	exch_run();
	ASSERT_SUCCESS("target name in the list");
	CU_ASSERT_TRUE(ex->id.target_name_checked);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);

	cb_setup(NTLM_CB_NEVER, false, NULL);
	strcpy(ex->config.target_names, names);
	ex->params.target_name = "cifs/fileserver.example.com";
	cb_expect_refused("foreign target name");

	cb_setup(NTLM_CB_NEVER, false, NULL);
	strcpy(ex->config.target_names, names);
	exch_run();
	ASSERT_SUCCESS("no target name sent");
	CU_ASSERT_FALSE(ex->id.target_name_checked);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);

	/* no list: any name */
	cb_setup(NTLM_CB_NEVER, false, NULL);
	ex->params.target_name = "cifs/fileserver.example.com";
	exch_run();
	ASSERT_SUCCESS("no ntlm_target_names");
	CU_ASSERT_FALSE(ex->id.target_name_checked);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);

	/* both checks at once */
	cb_setup(NTLM_CB_REQUIRED, true, our_binding);
	strcpy(ex->config.target_names, names);
	ex->params.target_name = "pop/mail.example.com";
	exch_run();
	ASSERT_SUCCESS("binding and target name");
	CU_ASSERT_TRUE(ex->id.channel_bound);
	CU_ASSERT_TRUE(ex->id.target_name_checked);
	ntlm_client_deinit(&ex->client);
	ntlm_server_deinit(&ex->server);
}

static const struct test_case server_tests[] = {
	{ "channel binding modes", test_server_channel_binding },
	{ "target name list", test_server_target_name },
	{ "waiting handshake holds only its messages",
	  test_server_waiting_size },
	{ "CHALLENGE contents", test_server_challenge_contents },
	{ "CHALLENGE flags", test_server_challenge_flags },
	{ "CHALLENGE grants what the NEGOTIATE asks (flag table)",
	  test_server_challenge_flag_table },
	{ "config init", test_server_config },
	{ "variants x policy, refused before the hash",
	  test_server_variants },
	{ "wrong password is a mismatch", test_server_wrong_password },
	{ "anonymous identity", test_server_anonymous_identity },
	{ "identity and unknown user", test_server_identity },
	{ "hash of the wrong kind", test_server_wrong_hash_kind },
	{ "domain as sent / upper-cased / empty", test_server_domain_forms },
	{ "DOMAIN\\user and UPN in the user field", test_server_user_forms },
	{ "OEM-only client", test_server_oem_client },
	{ "tampering gives INTEGRITY", test_server_integrity },
	{ "timestamp skew", test_server_clock_skew },
	{ "echoed MsvAvTimestamp changed", test_server_echoed_timestamp },
	{ "unusable AUTHENTICATE messages", test_server_bad_authenticate },
	{ "message order", test_server_order },
	{ "AUTHENTICATE flags 0", test_server_zero_flags },
	{ "AUTHENTICATE flags against the negotiation (table)",
	  test_server_auth_flag_table },
	{ "key exchange: the MIC under the ExportedSessionKey",
	  test_server_key_exchange_mic },
	{ "MS-NLMP 4.2.4.3 AUTHENTICATE with key exchange",
	  test_server_nlmp_key_exchange },
	{ "Outlook's AUTHENTICATE flags keep the rule",
	  test_server_outlook_flags },
	{ "AUTHENTICATE replayed into a new exchange", test_server_replay },
	{ "size limits", test_server_limits },
	{ "random challenge and current time", test_server_random_init },
	{ "deinit wipes", test_server_deinit_wipes },
	{ "error names", test_server_error_names },
};

int test_server_register(void)
{
	return test_register_suite("server", suite_init, suite_cleanup, server_tests,
				   N_ELEMENTS(server_tests));
}
