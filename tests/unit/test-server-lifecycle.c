/* ntlm-server.c, replay into a new exchange, size limits, the random
   challenge and the real clock, wiping on deinit, the memory of a waiting
   handshake, and the error names. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		memcpy(neg, ex->wire.negotiate, ex->wire.negotiate_len);
		neg_len = ex->wire.negotiate_len;
		memcpy(auth, ex->wire.authenticate, ex->wire.authenticate_len);
		auth_len = ex->wire.authenticate_len;

		/* a new exchange, same time, another challenge */
		exch_reset();
		CU_ASSERT_EQUAL_FATAL(test_hex(OTHER_CHALLENGE,
					       ex->challenge8, 8), 8);
		ntlm_server_init_fixed(&ex->wire.server, &ex->config,
				       ex->challenge8, ex->now);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_input(&ex->wire.server, neg,
							neg_len),
				      NTLM_SERVER_SEND);
		exch_finish_with(auth, auth_len);
		ASSERT_FAILURE(mic[i] ? "replay with MIC" :
			       "replay without MIC", NTLM_ERR_MISMATCH);
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
	memset(big, 0, sizeof(big));
	memcpy(big, ex->wire.negotiate, ex->wire.negotiate_len);
	server_restart();
	CU_ASSERT_EQUAL(ntlm_server_input(&ex->wire.server, big,
					  NTLM_MAX_NEGOTIATE_SIZE),
			NTLM_SERVER_SEND);
	server_restart();
	expect_message_failure("NEGOTIATE over the limit",
		ntlm_server_input(&ex->wire.server, big,
				  NTLM_MAX_NEGOTIATE_SIZE + 1));

	/* AUTHENTICATE: up to NTLM_MAX_MESSAGE_SIZE */
	exch_reset();
	ex->params.send_mic = false;
	ex->wire.tamper_authenticate = pad_to_max;
	exch_run();
	ASSERT_SUCCESS("AUTHENTICATE of the maximum size");

	exch_reset();
	ex->params.send_mic = false;
	exch_start();
	memset(big, 0, sizeof(big));
	memcpy(big, ex->wire.authenticate, ex->wire.authenticate_len);
	exch_finish_with(big, sizeof(big));
	ASSERT_FAILURE("AUTHENTICATE over the limit", NTLM_ERR_MESSAGE);
	CU_ASSERT_EQUAL(ex->hash_requests, 0);

	/* a user name of exactly NTLM_MAX_NAME_UNITS units */
	memset(user, 'a', sizeof(user));
	user[NTLM_MAX_NAME_UNITS] = '\0';
	exch_reset();
	ex->params.user = user;
	exch_run();
	ASSERT_SUCCESS("user name of the maximum length");
	CU_ASSERT_EQUAL(strlen(ex->id.user), NTLM_MAX_NAME_UNITS);
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
	for (i = 0; i < 2; i++) {
		/* the client's NEGOTIATE to a new server with a random
		   challenge and the real clock */
		ntlm_server_deinit(&ex->wire.server);
		CU_ASSERT_EQUAL_FATAL(ntlm_server_init(&ex->wire.server,
						       &ex->config, &error),
				      0);
		CU_ASSERT_EQUAL_FATAL(exch_input_negotiate(),
				NTLM_SERVER_SEND);
		decode_server_challenge(&chal[i], &info);
		now = ntlm_filetime_now();
		CU_ASSERT_TRUE(info.have_timestamp);
		CU_ASSERT(info.timestamp + 50000000ULL >= now &&
			  info.timestamp <= now + 50000000ULL);
	}
	CU_ASSERT_NOT_EQUAL(memcmp(chal[0].server_challenge,
				   chal[1].server_challenge, 8), 0);
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
	struct ntlm_server *s = &ex->wire.server;
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
}

/* A handshake waiting for its AUTHENTICATE holds only the two messages
   at their own size (issue 14: memory per waiting handshake). */
static void test_server_waiting_size(void)
{
	struct ntlm_server *s = &ex->wire.server;

	CU_ASSERT(sizeof(struct ntlm_server) <= 256);
	exch_reset();
	exch_start();
	CU_ASSERT_PTR_NULL(s->a);
	CU_ASSERT(s->negotiate_len == ex->wire.negotiate_len);
	CU_ASSERT(s->challenge_len > 0 && s->challenge_len < 1024);
	ntlm_server_deinit(s);
}

/* The names the logs show: each error its own. */
static void test_server_error_names(void)
{
	static const struct {
		enum ntlm_error error;
		const char *name;
	} cases[] = {
		{ .error = NTLM_OK, .name = "ok" },
		{ .error = NTLM_ERR_MESSAGE, .name = "malformed message" },
		{ .error = NTLM_ERR_POLICY, .name = "refused by policy" },
		{ .error = NTLM_ERR_MISMATCH, .name = "credentials mismatch" },
		{ .error = NTLM_ERR_INTEGRITY,
		  .name = "integrity check failed" },
		{ .error = NTLM_ERR_INTERNAL, .name = "internal error" },
		/* a value outside the enum (a bug): still a name */
		{ .error = (enum ntlm_error)99, .name = "unknown error" },
	};
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(cases); i++) {
		ROW_ASSERT(cases[i].name,
			   strcmp(ntlm_error_name(cases[i].error),
				  cases[i].name) == 0);
	}
}

static const struct test_case server_lifecycle_tests[] = {
	{ "waiting handshake holds only its messages",
	  test_server_waiting_size },
	{ "AUTHENTICATE replayed into a new exchange", test_server_replay },
	{ "size limits", test_server_limits },
	{ "random challenge and current time", test_server_random_init },
	{ "deinit wipes", test_server_deinit_wipes },
	{ "error names", test_server_error_names },
};

int test_server_lifecycle_register(void)
{
	return test_server_register_suite("server: lifecycle",
					  server_lifecycle_tests,
					  N_ELEMENTS(server_lifecycle_tests));
}
