/* ntlm-server.c, messages out of order, and an AUTHENTICATE with flags 0. */

#include "test-server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_server_order(void)
{
	static const uint8_t empty[1] = { 0 };

	/* AUTHENTICATE first */
	exch_reset();
	exch_start();
	server_restart();
	expect_message_failure("AUTHENTICATE without NEGOTIATE",
		exch_input_authenticate());

	/* CHALLENGE sent to the server */
	server_restart();
	expect_message_failure("CHALLENGE to the server",
		ntlm_server_input(&ex->wire.server, ex->wire.challenge,
				  ex->wire.challenge_len));

	/* empty input, first and second step */
	server_restart();
	expect_message_failure("empty first input",
			       ntlm_server_input(&ex->wire.server, empty, 0));
	server_restart();
	CU_ASSERT_EQUAL_FATAL(exch_input_negotiate(),
			      NTLM_SERVER_SEND);
	expect_message_failure("empty second input",
			       ntlm_server_input(&ex->wire.server, empty, 0));

	/* NEGOTIATE twice */
	server_restart();
	CU_ASSERT_EQUAL_FATAL(exch_input_negotiate(),
			      NTLM_SERVER_SEND);
	expect_message_failure("NEGOTIATE twice",
		exch_input_negotiate());

	/* input after a success, and after a failure */
	exch_reset();
	exch_run();
	ASSERT_SUCCESS("baseline");
	expect_message_failure("input after success",
		exch_input_authenticate());
	expect_message_failure("NEGOTIATE after success",
		exch_input_negotiate());

	exch_reset();
	memset(ex->nt_hash, 0x11, 16);
	exch_run();
	ASSERT_FAILURE("bad hash", NTLM_ERR_MISMATCH);
	expect_message_failure("input after failure",
		exch_input_authenticate());

	/* input while the hash is awaited */
	exch_reset();
	exch_start();
	CU_ASSERT_EQUAL_FATAL(exch_input_authenticate(),
			      NTLM_SERVER_NEED_HASH);
	expect_message_failure("input while waiting for the hash",
		exch_input_authenticate());

	/* a hash nobody asked for */
	exch_reset();
	ntlm_server_init_fixed(&ex->wire.server, &ex->config, ex->challenge8,
			       ex->now);
	CU_ASSERT_EQUAL(exch_verify(NTLM_HASH_NT, ex->nt_hash),
			NTLM_SERVER_FAILURE);
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
	ex->wire.tamper_authenticate = zero_flags;
	exch_run();
	ASSERT_SUCCESS("AUTHENTICATE flags 0");
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(ex->wire.challenge,
						    ex->wire.challenge_len,
						    &chal, &error), 0);
	CU_ASSERT_EQUAL(ex->id.flags, chal.flags);
	CU_ASSERT_TRUE(ex->id.unicode);
	CU_ASSERT_STRING_EQUAL(ex->id.user, NLMP_USER);
}

static const struct test_case server_order_tests[] = {
	{ "message order", test_server_order },
	{ "AUTHENTICATE flags 0", test_server_zero_flags },
};

int test_server_order_register(void)
{
	return test_server_register_suite("server: message order",
					  server_order_tests,
					  N_ELEMENTS(server_order_tests));
}
