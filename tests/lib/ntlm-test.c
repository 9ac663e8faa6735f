/* The shared test library: the [MS-NLMP] 4.2 inputs and the recorded
   client/server exchange (ntlm-test.h). */

#include "ntlm-test.h"

#include <stdio.h>
#include <string.h>

const uint8_t ntlm_test_server_challenge[8] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef
};
const uint8_t ntlm_test_client_challenge[8] = {
	0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa
};
/* NLMP_NTOWFV1 */
const uint8_t ntlm_test_nt_hash[16] = {
	0xa4, 0xf4, 0x9c, 0x40, 0x65, 0x10, 0xbd, 0xca,
	0xb6, 0x82, 0x4e, 0xe7, 0xc3, 0x0f, 0xd8, 0x52
};
/* NLMP_LMOWFV1 */
const uint8_t ntlm_test_lm_hash[16] = {
	0xe5, 0x2c, 0xac, 0x67, 0x41, 0x9a, 0x9a, 0x22,
	0x4a, 0x3b, 0x10, 0x8f, 0x3f, 0xa6, 0xcb, 0x6d
};

void ntlm_test_client_params(struct ntlm_client_params *params,
			     enum ntlm_client_variant variant)
{
	ntlm_client_params_init(params);
	params->variant = variant;
	params->user = NLMP_USER;
	params->domain = NLMP_USER_DOM;
	params->workstation = NLMP_WORKSTATION;
	memcpy(params->nt_hash, ntlm_test_nt_hash, sizeof(params->nt_hash));
	memcpy(params->lm_hash, ntlm_test_lm_hash, sizeof(params->lm_hash));
	params->client_challenge = ntlm_test_client_challenge;
}

static int exchange_fail(struct ntlm_test_exchange *ex, const char *step,
			 const char *reason, const char **error_r)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s: %s", step,
		 reason == NULL ? "(no reason)" : reason);
	*error_r = buf;
	ntlm_test_exchange_deinit(ex);
	return -1;
}

/* Copy a message out of the client or server into the record, then let
   the hook change it. */
static int record(uint8_t *dest, size_t *dest_len, const uint8_t *data,
		  size_t len, ntlm_test_tamper_func *tamper)
{
	if (len == 0 || len > NTLM_MAX_MESSAGE_SIZE)
		return -1;
	memcpy(dest, data, len);
	*dest_len = len;
	if (tamper != NULL)
		tamper(dest, dest_len);
	return *dest_len <= NTLM_MAX_MESSAGE_SIZE ? 0 : -1;
}

int ntlm_test_exchange_start(struct ntlm_test_exchange *ex,
			     const struct ntlm_client_params *params,
			     const struct ntlm_server_config *config,
			     const uint8_t server_challenge[8], uint64_t now,
			     const char **error_r)
{
	ntlm_test_tamper_func *tamper_negotiate = ex->tamper_negotiate;
	ntlm_test_tamper_func *tamper_challenge = ex->tamper_challenge;
	ntlm_test_tamper_func *tamper_authenticate = ex->tamper_authenticate;
	bool tls = ex->tls;
	const uint8_t *data;
	const char *error = NULL;
	size_t len;

	memset(ex, 0, sizeof(*ex));
	ex->tamper_negotiate = tamper_negotiate;
	ex->tamper_challenge = tamper_challenge;
	ex->tamper_authenticate = tamper_authenticate;
	ex->tls = tls;

	ntlm_server_init_fixed(&ex->server, config, server_challenge, now);
	ntlm_server_set_tls(&ex->server, tls);
	if (ntlm_client_init(&ex->client, params, &error) < 0)
		return exchange_fail(ex, "ntlm_client_init", error, error_r);
	ntlm_client_negotiate(&ex->client, &data, &len);
	if (record(ex->negotiate, &ex->negotiate_len, data, len,
		   ex->tamper_negotiate) < 0)
		return exchange_fail(ex, "NEGOTIATE", "bad size", error_r);
	if (ntlm_server_input(&ex->server, ex->negotiate,
			      ex->negotiate_len) != NTLM_SERVER_SEND) {
		(void)ntlm_server_error(&ex->server, &error);
		return exchange_fail(ex, "server NEGOTIATE", error, error_r);
	}
	ntlm_server_output(&ex->server, &data, &len);
	if (record(ex->challenge, &ex->challenge_len, data, len,
		   ex->tamper_challenge) < 0)
		return exchange_fail(ex, "CHALLENGE", "bad size", error_r);
	if (ntlm_client_input(&ex->client, ex->challenge, ex->challenge_len,
			      &error) < 0)
		return exchange_fail(ex, "ntlm_client_input", error, error_r);
	ntlm_client_authenticate(&ex->client, &data, &len);
	if (record(ex->authenticate, &ex->authenticate_len, data, len,
		   ex->tamper_authenticate) < 0)
		return exchange_fail(ex, "AUTHENTICATE", "bad size", error_r);
	return 0;
}

void ntlm_test_exchange_deinit(struct ntlm_test_exchange *ex)
{
	ntlm_server_deinit(&ex->server);
	ntlm_client_deinit(&ex->client);
}
