/* ntlm-server.c, the relay defence: channel binding
   (MsvAvChannelBindings) per ntlm_channel_binding mode, and the
   MsvAvTargetName list. Every refusal comes before a hash lookup. */

#include "test-server.h"
#include "ntlm-binding.h"

#include <stdio.h>
#include <string.h>

/* Two bindings the server accepts (two certificates, as with SNI); a
   client bound to a third is a relay from another server. */
static const uint8_t our_binding[16] = {
	0x8d, 0x85, 0x1b, 0xd1, 0xa0, 0xb9, 0x1d, 0xfd,
	0x44, 0xcf, 0x5f, 0x19, 0x62, 0x09, 0x4a, 0x2b,
};
static const uint8_t sni_binding[16] = {
	0x59, 0xf8, 0xda, 0x26, 0x52, 0x1f, 0x31, 0xaa,
	0x5e, 0x82, 0xf4, 0x17, 0x66, 0x15, 0x1d, 0x58,
};
static const uint8_t zero_binding[16];

enum relay_client {
	CB_NONE,
	CB_OURS,
	CB_SNI,
	CB_ZERO,
};

struct relay_case {
	const char *name;
	enum ntlm_cb_mode mode;
	bool tls;
	enum relay_client client;
	/* the server knows only sni_binding: a client bound to ours is
	   bound to another server's certificate */
	bool only_sni_known;
	enum ntlm_client_variant variant;
	const char *target_names;
	const char *target_name;
	/* expected */
	bool ok;
	bool bound;
	bool target_checked;
};

static const struct relay_case relay_cases[] = {
	{ .name = "never: a foreign binding is not looked at",
	  .mode = NTLM_CB_NEVER, .client = CB_OURS, .only_sni_known = true,
	  .ok = true },
	{ .name = "never: TLS, no binding", .mode = NTLM_CB_NEVER,
	  .tls = true, .ok = true },
	{ .name = "required: TLS, our certificate",
	  .mode = NTLM_CB_REQUIRED, .tls = true, .client = CB_OURS,
	  .ok = true, .bound = true },
	{ .name = "required: TLS, our other (SNI) certificate",
	  .mode = NTLM_CB_REQUIRED, .tls = true, .client = CB_SNI,
	  .ok = true, .bound = true },
	{ .name = "required: TLS, no binding", .mode = NTLM_CB_REQUIRED,
	  .tls = true },
	{ .name = "required: TLS, zero binding", .mode = NTLM_CB_REQUIRED,
	  .tls = true, .client = CB_ZERO },
	{ .name = "required: TLS, another server's certificate (relay)",
	  .mode = NTLM_CB_REQUIRED, .tls = true, .client = CB_OURS,
	  .only_sni_known = true },
	{ .name = "required: LMv2 carries no AV pairs",
	  .mode = NTLM_CB_REQUIRED, .tls = true, .client = CB_OURS,
	  .variant = NTLM_CLIENT_LMV2 },
	{ .name = "when-present: TLS, none", .mode = NTLM_CB_WHEN_PRESENT,
	  .tls = true, .ok = true },
	{ .name = "when-present: TLS, zero", .mode = NTLM_CB_WHEN_PRESENT,
	  .tls = true, .client = CB_ZERO, .ok = true },
	{ .name = "when-present: plaintext, none",
	  .mode = NTLM_CB_WHEN_PRESENT, .ok = true },
	{ .name = "when-present: TLS, ours", .mode = NTLM_CB_WHEN_PRESENT,
	  .tls = true, .client = CB_OURS, .ok = true, .bound = true },
	{ .name = "when-present: TLS, another server's",
	  .mode = NTLM_CB_WHEN_PRESENT, .tls = true, .client = CB_OURS,
	  .only_sni_known = true },
	{ .name = "when-present: a TLS binding on plaintext",
	  .mode = NTLM_CB_WHEN_PRESENT, .client = CB_OURS },
	{ .name = "when-present: LMv2", .mode = NTLM_CB_WHEN_PRESENT,
	  .variant = NTLM_CLIENT_LMV2, .ok = true },
	{ .name = "target name in the list (case-insensitive service)",
	  .mode = NTLM_CB_NEVER,
	  .target_names = "imap/mail.example.com pop/mail.example.com",
	  .target_name = "IMAP/mail.example.com", .ok = true,
	  .target_checked = true },
	{ .name = "foreign target name", .mode = NTLM_CB_NEVER,
	  .target_names = "imap/mail.example.com pop/mail.example.com",
	  .target_name = "cifs/fileserver.example.com" },
	{ .name = "no target name sent", .mode = NTLM_CB_NEVER,
	  .target_names = "imap/mail.example.com pop/mail.example.com",
	  .ok = true },
	{ .name = "no ntlm_target_names: any name", .mode = NTLM_CB_NEVER,
	  .target_name = "cifs/fileserver.example.com", .ok = true },
	{ .name = "binding and target name at once",
	  .mode = NTLM_CB_REQUIRED, .tls = true, .client = CB_OURS,
	  .target_names = "imap/mail.example.com pop/mail.example.com",
	  .target_name = "pop/mail.example.com", .ok = true, .bound = true,
	  .target_checked = true },
};

static const uint8_t *relay_client_binding(enum relay_client client)
{
	switch (client) {
	case CB_NONE:
		return NULL;
	case CB_OURS:
		return our_binding;
	case CB_SNI:
		return sni_binding;
	case CB_ZERO:
		return zero_binding;
	}
	return NULL;
}

static void relay_setup(const struct relay_case *c)
{
	exch_reset();
	ex->config.cb_mode = c->mode;
	memcpy(ex->config.cb_bindings[0], sni_binding, 16);
	memcpy(ex->config.cb_bindings[1], our_binding, 16);
	ex->config.cb_count = c->only_sni_known ? 1 : 2;
	if (c->target_names != NULL)
		strcpy(ex->config.target_names, c->target_names);
	ex->wire.tls = c->tls;
	if (c->variant != 0)
		ex->params.variant = c->variant;
	ex->params.channel_binding = relay_client_binding(c->client);
	ex->params.target_name = c->target_name;
}

static void test_server_relay_cases(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(relay_cases); i++) {
		const struct relay_case *c = &relay_cases[i];

		relay_setup(c);
		exch_run();
		if (c->ok) {
			ASSERT_SUCCESS(c->name);
		} else {
			ASSERT_FAILURE(c->name, NTLM_ERR_POLICY);
			CU_ASSERT_EQUAL(ex->hash_requests, 0);
		}
		if (ex->id.channel_bound != c->bound ||
		    ex->id.target_name_checked != c->target_checked)
			print_failure(c->name);
		CU_ASSERT_EQUAL(ex->id.channel_bound, c->bound);
		CU_ASSERT_EQUAL(ex->id.target_name_checked,
				c->target_checked);
	}
}

/* required without TLS: refused at the NEGOTIATE, before a CHALLENGE */
static void test_server_relay_plaintext(void)
{
	const struct relay_case c = {
		.mode = NTLM_CB_REQUIRED, .client = CB_OURS,
	};
	const char *error = NULL;

	relay_setup(&c);
	CU_ASSERT_EQUAL(ntlm_test_exchange_start(&ex->wire, &ex->params,
						 &ex->config, ex->challenge8,
						 ex->now, &error), -1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(error);
	CU_ASSERT_EQUAL(strncmp(error, "server NEGOTIATE: ", 18), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(error, "without TLS"));
	CU_ASSERT_EQUAL(ex->wire.challenge_len, 0);
}

static const struct test_case relay_tests[] = {
	{ "channel binding modes and target names", test_server_relay_cases },
	{ "required refuses plaintext at the NEGOTIATE",
	  test_server_relay_plaintext },
};

int test_server_relay_register(void)
{
	return test_server_register_suite("server: relay defence", relay_tests,
					  N_ELEMENTS(relay_tests));
}
