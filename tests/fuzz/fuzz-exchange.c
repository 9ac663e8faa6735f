/* libFuzzer target: whole server exchanges.

   Input: one control byte, then tokens, each a 2-byte little-endian
   length and that many bytes (the last one may be short). The tokens are
   fed to one ntlm_server, started with ntlm_server_init_fixed() and the
   fixed challenge and clock of fuzz-common.h, for as long as it answers
   NTLM_SERVER_SEND. On NTLM_SERVER_NEED_HASH the server gets the hash of
   "Password" of the kind it asks for, or ntlm_server_user_unknown() when
   bit 0 (first request) or bit 1 (an LM retry) of the control byte is
   set. The same tokens go through three servers: the permissive policy
   (every verification path reachable), the strict default, and the
   strict default with require_mic.

   Invariants checked: every CHALLENGE the server sends decodes, carries
   the fixed challenge and timestamp and a valid TargetInfo, and grants
   only what MS-NLMP 3.2.5.1.1 allows for the NEGOTIATE's flags; the
   AUTHENTICATE's flags kept the rule of SECURITY.md ("Negotiated flags")
   whenever the hash is asked for or the login succeeds; the hash is
   asked for only for a variant the policy allows and a valid UTF-8 user;
   the hash is asked for again only once (LM retry); a success needs a
   hash and an allowed variant (a MIC when required); a failure has a
   class and a reason; nothing succeeds after the exchange ended. Every
   token is copied into a buffer of its own size so that ASan sees reads
   past it. */

#include "fuzz-common.h"
#include "ntlm-msg.h"
#include "ntlm-avpair.h"

struct fuzz_tokens {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

/* The next token in a buffer of its own, or NULL at the end. */
static uint8_t *
fuzz_next_token(struct fuzz_tokens *tokens, size_t *len_r)
{
	uint8_t *token;
	size_t len;

	if (tokens->size - tokens->pos < 2)
		return NULL;
	len = tokens->data[tokens->pos] |
		(tokens->data[tokens->pos + 1] << 8);
	tokens->pos += 2;
	if (len > tokens->size - tokens->pos)
		len = tokens->size - tokens->pos;
	token = malloc(len == 0 ? 1 : len);
	fuzz_assert(token != NULL);
	memcpy(token, tokens->data + tokens->pos, len);
	tokens->pos += len;
	*len_r = len;
	return token;
}

static void fuzz_exchange_check_challenge(const struct ntlm_server *server,
					  uint32_t negotiate_flags)
{
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	const uint8_t *data;
	const char *error;
	size_t len;

	ntlm_server_output(server, &data, &len);
	fuzz_assert(len > 0 && len <= NTLM_MAX_MESSAGE_SIZE);
	fuzz_assert(ntlm_decode_challenge(data, len, &chal, &error) == 0);
	fuzz_assert(memcmp(chal.server_challenge, ntlm_test_server_challenge,
			   8) == 0);
	fuzz_assert((chal.flags & NTLM_FL_TARGET_INFO) != 0);
	fuzz_assert(ntlm_av_parse(chal.target_info.data, chal.target_info.len,
				  &info, &error) == 0);
	fuzz_assert(info.have_timestamp && info.timestamp == FUZZ_FILETIME);
	/* MS-NLMP 3.2.5.1.1: one character set; the security flags only
	   when asked for; LM_KEY never with ESS; never DATAGRAM. */
	fuzz_assert(((chal.flags & NTLM_FL_UNICODE) != 0) !=
		    ((chal.flags & NTLM_FL_OEM) != 0));
	fuzz_assert((chal.flags & (NTLM_FL_DATAGRAM | NTLM_FL_ANONYMOUS |
				   NTLM_FL_REQUEST_NON_NT_SESSION_KEY)) == 0);
	fuzz_assert((chal.flags & NTLM_FL_LM_KEY) == 0 ||
		    (chal.flags & NTLM_FL_EXTENDED_SESSIONSECURITY) == 0);
	fuzz_assert((chal.flags & ~negotiate_flags &
		     (NTLM_FL_SIGN | NTLM_FL_SEAL | NTLM_FL_KEY_EXCH |
		      NTLM_FL_128 | NTLM_FL_56 | NTLM_FL_LM_KEY |
		      NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_IDENTIFY |
		      NTLM_FL_ALWAYS_SIGN | NTLM_FL_REQUEST_TARGET)) == 0);
}

/* On NEED_HASH or SUCCESS: the AUTHENTICATE's flags kept the rule of
   SECURITY.md ("Negotiated flags"). */
static void fuzz_exchange_check_auth_flags(const struct ntlm_server *server)
{
	const struct ntlm_authenticate *auth;
	uint32_t flags;

	/* the AUTHENTICATE has arrived */
	fuzz_assert(server->a != NULL);
	auth = &server->a->auth;
	flags = auth->flags;

	if (flags == 0) {
		fuzz_assert((server->auth_flags & ~server->challenge_flags) ==
			    0);
	} else {
		fuzz_assert(server->auth_flags == flags);
		fuzz_assert((flags & NTLM_FL_UNICODE) == 0 ||
			    (flags & NTLM_FL_OEM) == 0);
		fuzz_assert((flags & ~(server->challenge_flags |
				       NTLM_FL_VERSION |
				       NTLM_FL_OEM_DOMAIN_SUPPLIED |
				       NTLM_FL_OEM_WORKSTATION_SUPPLIED |
				       NTLM_FL_ANONYMOUS)) == 0);
		if ((flags & NTLM_FL_ANONYMOUS) != 0)
			fuzz_assert(auth->user.len == 0 &&
				    auth->nt_response.len == 0);
	}
	if ((server->auth_flags & NTLM_FL_KEY_EXCH) != 0)
		fuzz_assert(auth->encrypted_session_key.len == 16);
	if (server->key_exchanged)
		fuzz_assert(server->mic_verified &&
			    (server->auth_flags & NTLM_FL_KEY_EXCH) != 0);
}

static void
fuzz_exchange_check_identity(const struct ntlm_server *server,
			     const struct ntlm_server_config *config,
			     bool need_user)
{
	struct ntlm_identity id;
	const char *reason;

	ntlm_server_get_identity(server, &id);
	fuzz_assert(id.user != NULL && id.domain != NULL &&
		    id.workstation != NULL);
	fuzz_assert(ntlm_policy_allows(&config->policy, id.variant,
				       &reason));
	if (need_user) {
		fuzz_assert(id.user[0] != '\0');
		fuzz_assert(fuzz_valid_utf8(id.user, NTLM_MAX_NAME_UTF8 - 1));
	}
	if (id.domain[0] != '\0')
		fuzz_assert(fuzz_valid_utf8(id.domain,
					    NTLM_MAX_NAME_UTF8 - 1));
	if (id.workstation[0] != '\0')
		fuzz_assert(fuzz_valid_utf8(id.workstation,
					    NTLM_MAX_NAME_UTF8 - 1));
}

static void
fuzz_exchange_check_success(const struct ntlm_server *server,
			    const struct ntlm_server_config *config,
			    bool hash_given)
{
	struct ntlm_identity id;

	ntlm_server_get_identity(server, &id);
	fuzz_exchange_check_identity(server, config,
				     id.variant != NTLM_VARIANT_ANONYMOUS);
	if (id.variant == NTLM_VARIANT_ANONYMOUS) {
		fuzz_assert(id.user[0] == '\0');
		return;
	}
	/* Only a real hash can make a proof verify. */
	fuzz_assert(hash_given);
	if (id.mic_verified)
		fuzz_assert(id.variant == NTLM_VARIANT_NTLMV2);
	if (id.variant == NTLM_VARIANT_NTLMV2) {
		fuzz_assert(id.domain_form != NULL);
		if (config->policy.require_mic)
			fuzz_assert(id.mic_verified);
	}
	if (id.variant == NTLM_VARIANT_LMV2)
		fuzz_assert(id.domain_form != NULL);
}

static void fuzz_exchange_check_failure(const struct ntlm_server *server)
{
	const char *reason = NULL;
	enum ntlm_error error;

	error = ntlm_server_error(server, &reason);
	fuzz_assert(error != NTLM_OK);
	fuzz_assert(reason != NULL && reason[0] != '\0');
	/* a failure of a known kind, named in the logs (the fallback name is
	   for values outside the enum) */
	fuzz_assert(error == NTLM_ERR_MESSAGE || error == NTLM_ERR_POLICY ||
		    error == NTLM_ERR_MISMATCH ||
		    error == NTLM_ERR_INTEGRITY || error == NTLM_ERR_INTERNAL);
	fuzz_assert(strcmp(ntlm_error_name(error), "unknown error") != 0);
}

/* Answer NEED_HASH requests until the server decides. */
static enum ntlm_server_action
fuzz_exchange_hashes(struct ntlm_server *server,
		     const struct ntlm_server_config *config, uint8_t ctrl,
		     bool *hash_given_r)
{
	enum ntlm_server_action action = NTLM_SERVER_NEED_HASH;
	unsigned int round;
	bool unknown;

	for (round = 0; action == NTLM_SERVER_NEED_HASH; round++) {
		/* Only an LMv2 failure may ask once more, for the LM
		   hash. */
		fuzz_assert(round < 2);
		fuzz_exchange_check_identity(server, config, true);
		unknown = (ctrl & (round == 0 ? FUZZ_CTRL_UNKNOWN_FIRST :
				   FUZZ_CTRL_UNKNOWN_RETRY)) != 0;
		if (round > 0)
			fuzz_assert(ntlm_server_hash_kind(server) ==
				    NTLM_HASH_LM);
		if (unknown) {
			ntlm_server_user_unknown(server);
			action = NTLM_SERVER_FAILURE;
			break;
		}
		*hash_given_r = true;
		switch (ntlm_server_hash_kind(server)) {
		case NTLM_HASH_NT:
			action = ntlm_server_verify(server, NTLM_HASH_NT, ntlm_test_nt_hash);
			break;
		case NTLM_HASH_LM:
			action = ntlm_server_verify(server, NTLM_HASH_LM, ntlm_test_lm_hash);
			break;
		default:
			fuzz_assert(!"unknown hash kind");
		}
		fuzz_assert(action != NTLM_SERVER_SEND);
	}
	return action;
}

static void
fuzz_exchange_run(const struct ntlm_server_config *config,
		  const uint8_t *data, size_t size)
{
	struct fuzz_tokens tokens;
	struct ntlm_server server;
	enum ntlm_server_action action = NTLM_SERVER_SEND;
	uint8_t ctrl = data[0], *token;
	bool hash_given = false;
	uint32_t negotiate_flags;
	size_t len;

	tokens.data = data + 1;
	tokens.size = size - 1;
	tokens.pos = 0;

	ntlm_server_init_fixed(&server, config, ntlm_test_server_challenge,
			       FUZZ_FILETIME);
	while (action == NTLM_SERVER_SEND &&
	       (token = fuzz_next_token(&tokens, &len)) != NULL) {
		/* a NEGOTIATE's flags: offset 12 (it decoded if the
		   server answers with a CHALLENGE) */
		negotiate_flags = len >= 16 ? (uint32_t)token[12] |
			((uint32_t)token[13] << 8) |
			((uint32_t)token[14] << 16) |
			((uint32_t)token[15] << 24) : 0;
		action = ntlm_server_input(&server, token, len);
		free(token);
		if (action == NTLM_SERVER_SEND)
			fuzz_exchange_check_challenge(&server,
						      negotiate_flags);
		else if (action == NTLM_SERVER_NEED_HASH) {
			fuzz_exchange_check_auth_flags(&server);
			action = fuzz_exchange_hashes(&server, config, ctrl,
						      &hash_given);
		}
	}

	switch (action) {
	case NTLM_SERVER_SEND:
		/* ran out of tokens */
		break;
	case NTLM_SERVER_SUCCESS:
		fuzz_exchange_check_auth_flags(&server);
		fuzz_exchange_check_success(&server, config, hash_given);
		break;
	case NTLM_SERVER_FAILURE:
		fuzz_exchange_check_failure(&server);
		break;
	case NTLM_SERVER_NEED_HASH:
		fuzz_assert(!"NEED_HASH left unanswered");
		break;
	}
	if (action != NTLM_SERVER_SEND) {
		/* The exchange has ended: more input is refused. */
		token = fuzz_next_token(&tokens, &len);
		if (token != NULL) {
			fuzz_assert(ntlm_server_input(&server, token, len) ==
				    NTLM_SERVER_FAILURE);
			fuzz_exchange_check_failure(&server);
			free(token);
		}
	}
	ntlm_server_deinit(&server);
	ntlm_server_deinit(&server);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_crypto_init();
	if (size < 1)
		return 0;

	fuzz_exchange_run(fuzz_server_config_permissive(), data, size);
	fuzz_exchange_run(fuzz_server_config_strict(false), data, size);
	fuzz_exchange_run(fuzz_server_config_strict(true), data, size);
	return 0;
}
