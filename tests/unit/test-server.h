#ifndef TEST_SERVER_H
#define TEST_SERVER_H

/* The harness of the ntlm-server.c suites (test-server-*.c, one suite a
   file): the recorded exchange of tests/lib between the core's client and
   server, with a fixed challenge and time (ntlm_server_init_fixed) so
   failures can be reproduced, and every hash request answered. Each test
   starts with exch_reset(); the suites' teardown (exch_teardown) ends
   whatever exchange a test left, so no test deinitialises its own. */

#include "test-common.h"
#include "ntlm-test.h"
#include "ntlm-avpair.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"

#define TICKS_PER_SEC 10000000ULL
/* 2017-05-23 20:13:07 UTC: Chromium's client timestamp. */
#define TEST_NOW CHROMIUM_CLIENT_TIMESTAMP
#define TEST_CHALLENGE NLMP_SERVER_CHALLENGE
#define OTHER_CHALLENGE "fedcba9876543210"

typedef ntlm_test_tamper_func tamper_func;

struct exch {
	struct ntlm_server_config config;
	struct ntlm_client_params params;
	uint8_t challenge8[8];
	uint64_t now;

	/* the hashes handed to ntlm_server_verify() */
	uint8_t nt_hash[16];
	uint8_t lm_hash[16];

	/* the client, the server, the tamper hooks and the messages as
	   they went over the wire */
	struct ntlm_test_exchange wire;

	/* results */
	enum ntlm_server_action auth_action;
	enum ntlm_server_action final;
	unsigned int hash_requests;
	enum ntlm_hash_kind kinds[4];
	enum ntlm_error error;
	const char *reason;
	struct ntlm_identity id;
};

extern struct exch *ex;
/* The server's names: SERVER, DOMAIN, server.example.com, example.com. */
extern const struct ntlm_server_names test_names;

bool slice_is_utf16(const struct ntlm_slice *s, const char *str);

/* A fresh exchange (the previous one torn down): default config (strict
   policy, VERSION sent, target is the domain) and the [MS-NLMP] 4.2.1
   client (NTLMv2 with MIC, Unicode, "User"/"Domain"/"COMPUTER", password
   "Password"). */
void exch_reset(void);
/* NEGOTIATE -> CHALLENGE -> client builds the AUTHENTICATE. */
void exch_start(void);
/* Feed an AUTHENTICATE and answer every hash request. */
void exch_finish_with(const uint8_t *auth, size_t auth_len);
void exch_finish(void);
void exch_run(void);
/* The recorded NEGOTIATE or AUTHENTICATE (again) to the server, and a
   hash to ntlm_server_verify(): the server's next action. */
enum ntlm_server_action exch_input_negotiate(void);
enum ntlm_server_action exch_input_authenticate(void);
enum ntlm_server_action exch_verify(enum ntlm_hash_kind kind,
				    const uint8_t hash[16]);
/* The suites' teardown: deinitialise the exchange's server and client. */
void exch_teardown(void);

void print_failure(const char *what);

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

/* Edit the AUTHENTICATE on the wire: decode a copy of it into *msg
   (pointing into copy), change msg, then authenticate_store() encodes it
   back in its place, without a MIC field. */
void authenticate_decode_copy(struct ntlm_authenticate *msg,
			      uint8_t copy[NTLM_MAX_MESSAGE_SIZE]);
void authenticate_store(const struct ntlm_authenticate *msg);
/* Re-encode the client's AUTHENTICATE with another domain field (no
   MIC: it would no longer match). */
void rewrite_domain(const char *domain);
/* Rewrite the AUTHENTICATE: the NT response removed (what an LM-only
   client sends), and with nt_into_lm the NT response moved into the LM
   field (an NTLMv1 response dressed up as an LM one). */
void rewrite_responses(bool nt_into_lm);
void drop_nt_response(void);

/* The server's CHALLENGE, decoded, and its TargetInfo parsed. */
void decode_server_challenge(struct ntlm_challenge *chal,
			     struct ntlm_av_info *info);
/* action is a failure with NTLM_ERR_MESSAGE and a reason. */
void expect_message_failure(const char *what,
			    enum ntlm_server_action action);
/* A fresh server with the fixed challenge and time, the old one wiped. */
void server_restart(void);
/* A NEGOTIATE with these flags (no names, no VERSION) to a fresh server
   (server_restart): the server's action. */
enum ntlm_server_action exch_negotiate_flags(uint32_t flags);

/* Register a server suite: the shared exchange, exch_teardown after each
   test. */
int test_server_register_suite(const char *name,
			       const struct test_case *tests,
			       unsigned int count);

#endif
