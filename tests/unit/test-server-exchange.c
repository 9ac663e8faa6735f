/* The harness of the ntlm-server.c suites (test-server.h): the shared
   exchange, its helpers and the suites' setup and teardown. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct exch *ex;

const struct ntlm_server_names test_names = {
	.nb_computer = "SERVER",
	.nb_domain = "DOMAIN",
	.dns_computer = "server.example.com",
	.dns_domain = "example.com",
	.dns_tree = NULL,
};

bool slice_is_utf16(const struct ntlm_slice *s, const char *str)
{
	uint8_t buf[512];
	size_t len = test_ascii_utf16(str, buf, sizeof(buf));

	return s->len == len && (len == 0 || memcmp(s->data, buf, len) == 0);
}

void exch_teardown(void)
{
	ntlm_test_exchange_deinit(&ex->wire);
}

void exch_reset(void)
{
	const char *error = NULL;

	exch_teardown();
	memset(ex, 0, sizeof(*ex));
	CU_ASSERT_EQUAL_FATAL(ntlm_server_config_init(&ex->config,
						      &test_names, &error), 0);
	ex->config.send_version = true;
	ex->config.target_is_domain = true;
	memcpy(ex->challenge8, ntlm_test_server_challenge,
	       sizeof(ex->challenge8));
	ex->now = TEST_NOW;

	ntlm_test_client_params(&ex->params, NTLM_CLIENT_V2);
	memcpy(ex->nt_hash, ex->params.nt_hash, 16);
	memcpy(ex->lm_hash, ex->params.lm_hash, 16);
}

void exch_start(void)
{
	const char *error = NULL;
	int ret;

	ret = ntlm_test_exchange_start(&ex->wire, &ex->params, &ex->config,
				       ex->challenge8, ex->now, &error);
	if (ret < 0)
		fprintf(stderr, "\nexchange: %s\n", error);
	CU_ASSERT_EQUAL_FATAL(ret, 0);
}

void exch_finish_with(const uint8_t *auth, size_t auth_len)
{
	enum ntlm_server_action action;

	action = ntlm_server_input(&ex->wire.server, auth, auth_len);
	ex->auth_action = action;
	while (action == NTLM_SERVER_NEED_HASH && ex->hash_requests < 4) {
		enum ntlm_hash_kind kind =
			ntlm_server_hash_kind(&ex->wire.server);

		ex->kinds[ex->hash_requests++] = kind;
		action = ntlm_server_verify(&ex->wire.server, kind,
					    kind == NTLM_HASH_LM ?
					    ex->lm_hash : ex->nt_hash);
	}
	ex->final = action;
	ex->error = ntlm_server_error(&ex->wire.server, &ex->reason);
	ntlm_server_get_identity(&ex->wire.server, &ex->id);
}

void exch_finish(void)
{
	exch_finish_with(ex->wire.authenticate, ex->wire.authenticate_len);
}

void exch_run(void)
{
	exch_start();
	exch_finish();
}

enum ntlm_server_action exch_input_negotiate(void)
{
	return ntlm_server_input(&ex->wire.server, ex->wire.negotiate,
				 ex->wire.negotiate_len);
}

enum ntlm_server_action exch_input_authenticate(void)
{
	return ntlm_server_input(&ex->wire.server, ex->wire.authenticate,
				 ex->wire.authenticate_len);
}

enum ntlm_server_action exch_verify(enum ntlm_hash_kind kind,
				    const uint8_t hash[16])
{
	return ntlm_server_verify(&ex->wire.server, kind, hash);
}

void print_failure(const char *what)
{
	fprintf(stderr, "\n%s: final action %d, error %s, reason \"%s\", "
		"%u hash request(s)\n", what, ex->final,
		ntlm_error_name(ex->error),
		ex->reason == NULL ? "" : ex->reason, ex->hash_requests);
}

void authenticate_decode_copy(struct ntlm_authenticate *msg,
			      uint8_t copy[NTLM_MAX_MESSAGE_SIZE])
{
	const char *error = NULL;

	memcpy(copy, ex->wire.authenticate, ex->wire.authenticate_len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(copy,
					ex->wire.authenticate_len, msg,
					&error), 0);
}

void authenticate_store(const struct ntlm_authenticate *msg)
{
	const char *error = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(ntlm_encode_authenticate(msg,
			msg->have_version ? &msg->version : NULL, false,
			ex->wire.authenticate, sizeof(ex->wire.authenticate),
			&len, NULL, &error), 0);
	ex->wire.authenticate_len = len;
}

void rewrite_domain(const char *domain)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE], dom[128];

	authenticate_decode_copy(&msg, copy);
	msg.domain.data = dom;
	msg.domain.len = test_ascii_utf16(domain, dom, sizeof(dom));
	authenticate_store(&msg);
}

void rewrite_responses(bool nt_into_lm)
{
	struct ntlm_authenticate msg;
	uint8_t copy[NTLM_MAX_MESSAGE_SIZE];

	authenticate_decode_copy(&msg, copy);
	if (nt_into_lm)
		msg.lm_response = msg.nt_response;
	msg.nt_response.len = 0;
	authenticate_store(&msg);
}

void drop_nt_response(void)
{
	rewrite_responses(false);
}

void decode_server_challenge(struct ntlm_challenge *chal,
			     struct ntlm_av_info *info)
{
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	ntlm_server_output(&ex->wire.server, &data, &len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(data, len, chal, &error),
			      0);
	CU_ASSERT_TRUE_FATAL(chal->target_info.len > 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(chal->target_info.data,
					    chal->target_info.len, info,
					    &error), 0);
}

void expect_message_failure(const char *what,
			    enum ntlm_server_action action)
{
	const char *reason = NULL;
	enum ntlm_error error = ntlm_server_error(&ex->wire.server, &reason);

	if (action != NTLM_SERVER_FAILURE || error != NTLM_ERR_MESSAGE)
		fprintf(stderr, "\n%s: action %d, error %s\n", what, action,
			ntlm_error_name(error));
	CU_ASSERT_EQUAL(action, NTLM_SERVER_FAILURE);
	CU_ASSERT_EQUAL(error, NTLM_ERR_MESSAGE);
	CU_ASSERT_PTR_NOT_NULL(reason);
}

/* A fresh exchange with the fixed challenge and time, the old one wiped. */
void server_restart(void)
{
	ntlm_server_deinit(&ex->wire.server);
	ntlm_server_init_fixed(&ex->wire.server, &ex->config, ex->challenge8,
			       ex->now);
}

enum ntlm_server_action exch_negotiate_flags(uint32_t flags)
{
	uint8_t neg[64];
	const char *error = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(flags, NULL, NULL, NULL,
						    neg, sizeof(neg), &len,
						    &error), 0);
	server_restart();
	return ntlm_server_input(&ex->wire.server, neg, len);
}

static int suite_init(void)
{
	ex = calloc(1, sizeof(*ex));
	return ex == NULL ? -1 : 0;
}

static int suite_cleanup(void)
{
	exch_teardown();
	free(ex);
	ex = NULL;
	return 0;
}

int test_server_register_suite(const char *name,
			       const struct test_case *tests,
			       unsigned int count)
{
	return test_register_suite_teardown(name, suite_init, suite_cleanup,
					    exch_teardown, tests, count);
}
