#ifndef NTLM_TEST_H
#define NTLM_TEST_H

/* The shared test library (tests/lib, libntlmtest.a): the [MS-NLMP] 4.2
   inputs as bytes, and the recorded exchange between the core's client
   and server that the unit tests, the fuzz corpus generator and the
   benchmarks all start from. Plain C over the core, no CUnit: each user
   asserts in its own way. The known answers themselves are in
   vectors.h, beside this file. */

#include "vectors.h"
#include "ntlm-client.h"
#include "ntlm-server.h"

/* [MS-NLMP] 4.2.1: ServerChallenge 0123456789abcdef, ClientChallenge
   aa x 8, and NTOWFv1/LMOWFv1 of "Password" (4.2.2.1.2, 4.2.2.1.1) as
   constants, so that a user does not need the legacy provider (MD4 and
   DES) to make them. */
extern const uint8_t ntlm_test_server_challenge[8];
extern const uint8_t ntlm_test_client_challenge[8];
extern const uint8_t ntlm_test_nt_hash[16];
extern const uint8_t ntlm_test_lm_hash[16];

/* The 4.2.1 client of this variant: user "User", domain "Domain",
   workstation "COMPUTER", the hashes of "Password" (have_lm_hash stays
   false), ClientChallenge aa x 8; everything else ntlm_client_params_init()'s
   defaults (timestamp 0: the CHALLENGE's). */
void ntlm_test_client_params(struct ntlm_client_params *params,
			     enum ntlm_client_variant variant);

/* Changes a message in flight; len may shrink or grow (up to
   NTLM_MAX_MESSAGE_SIZE). */
typedef void ntlm_test_tamper_func(uint8_t *buf, size_t *len);

/* One recorded exchange: the client and the server, and copies of the
   three messages as they went over the wire (after any tampering). */
struct ntlm_test_exchange {
	struct ntlm_client client;
	struct ntlm_server server;

	/* the server is told the connection is TLS (ntlm_server_set_tls) */
	bool tls;
	/* NULL: the message goes untouched */
	ntlm_test_tamper_func *tamper_negotiate;
	ntlm_test_tamper_func *tamper_challenge;
	ntlm_test_tamper_func *tamper_authenticate;

	uint8_t negotiate[NTLM_MAX_MESSAGE_SIZE];
	size_t negotiate_len;
	uint8_t challenge[NTLM_MAX_MESSAGE_SIZE];
	size_t challenge_len;
	uint8_t authenticate[NTLM_MAX_MESSAGE_SIZE];
	size_t authenticate_len;
};

/* The client of params against a server with config, the fixed server
   challenge and clock (ntlm_server_init_fixed): NEGOTIATE -> CHALLENGE ->
   the client's AUTHENTICATE, recorded in *ex. The server is left waiting
   for the AUTHENTICATE (ntlm_server_input(&ex->server, ex->authenticate,
   ...) goes on). The tamper hooks and tls set in *ex are kept; everything
   else is reset. Returns 0, or -1 with *error_r saying which step failed (the
   client and server are then deinitialised). */
int ntlm_test_exchange_start(struct ntlm_test_exchange *ex,
			     const struct ntlm_client_params *params,
			     const struct ntlm_server_config *config,
			     const uint8_t server_challenge[8], uint64_t now,
			     const char **error_r);

/* Deinitialise the client and server of *ex. Safe on a zeroed or already
   deinitialised exchange, so one teardown serves every test. */
void ntlm_test_exchange_deinit(struct ntlm_test_exchange *ex);

#endif
