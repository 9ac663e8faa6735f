#include "ntlm-server.h"
#include "ntlm-avpair.h"
#include "ntlm-crypto.h"
#include "ntlm-unicode.h"
#include "ntlm-writer.h"

#include <stdlib.h>
#include <string.h>

#define FILETIME_TICKS_PER_SEC 10000000ULL

/* Flags granted whenever the NEGOTIATE asks for them, as MS-NLMP
   3.2.5.1.1 and Windows servers do. SASL NTLM has no security layer
   after authentication (MS-OXPOP3, MS-OXIMAP4, MS-SMTPNTLM), so
   signing, sealing and the key strengths cost nothing here: the only
   thing that follows from them is the session key exchange, which the
   MIC check honours (server_v2_after_proof). Clients that insist on
   SIGN/SEAL (GSSAPI initiators, SSPI callers asking for integrity) give
   up when they are not granted. */
#define GRANTED_FLAGS (NTLM_FL_REQUEST_TARGET | NTLM_FL_SIGN | \
		       NTLM_FL_SEAL | NTLM_FL_ALWAYS_SIGN | \
		       NTLM_FL_EXTENDED_SESSIONSECURITY | NTLM_FL_IDENTIFY | \
		       NTLM_FL_128 | NTLM_FL_KEY_EXCH | NTLM_FL_56)
/* Never granted: DATAGRAM (SASL is connection-oriented) and
   REQUEST_NON_NT_SESSION_KEY (a v1 key variant nobody needs). LM_KEY is
   granted only without extended session security (MS-NLMP 2.2.2.5 G:
   "If both are requested, NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY
   alone MUST be returned"). */

/* Flags an AUTHENTICATE may carry although the CHALLENGE did not: they
   describe the AUTHENTICATE itself (a VERSION is present) or repeat
   NEGOTIATE-only bits, and change nothing in the verification. */
#define AUTH_DESCRIPTIVE_FLAGS (NTLM_FL_VERSION | \
				NTLM_FL_OEM_DOMAIN_SUPPLIED | \
				NTLM_FL_OEM_WORKSTATION_SUPPLIED)

static int encode_name(const char *name, uint8_t *buf, size_t size,
		       size_t *len_r, const char **error_r)
{
	size_t len = strlen(name);

	if (len == 0) {
		*error_r = "server name is empty";
		return -1;
	}
	if (ntlm_utf8_to_utf16le(name, len, buf, size, len_r, error_r) < 0)
		return -1;
	if (*len_r > NTLM_MAX_SERVER_NAME * 2) {
		*error_r = "server name is too long";
		return -1;
	}
	return 0;
}

int ntlm_server_config_init(struct ntlm_server_config *config_r,
			    const struct ntlm_server_names *names,
			    const char **error_r)
{
	struct ntlm_server_config config;
	const char *values[5];
	static const uint16_t ids[5] = {
		NTLM_AV_NB_DOMAIN_NAME, NTLM_AV_NB_COMPUTER_NAME,
		NTLM_AV_DNS_DOMAIN_NAME, NTLM_AV_DNS_COMPUTER_NAME,
		NTLM_AV_DNS_TREE_NAME,
	};
	uint8_t utf16[NTLM_MAX_SERVER_NAME * 4];
	struct ntlm_writer w;
	const char *target;
	size_t len;
	unsigned int i;

	if (names->nb_computer == NULL || names->nb_domain == NULL) {
		*error_r = "NetBIOS computer and domain names are required";
		return -1;
	}
	memset(&config, 0, sizeof(config));
	ntlm_policy_init_strict(&config.policy);
	config.send_version = true;
	config.version.major = 6;
	config.version.minor = 1;
	config.version.build = 0;
	config.version.revision = 15;

	values[0] = names->nb_domain;
	values[1] = names->nb_computer;
	values[2] = names->dns_domain != NULL && names->dns_domain[0] != '\0' ?
		names->dns_domain : names->nb_domain;
	values[3] = names->dns_computer != NULL &&
		names->dns_computer[0] != '\0' ?
		names->dns_computer : names->nb_computer;
	values[4] = names->dns_tree;

	ntlm_writer_init(&w, config.target_info, sizeof(config.target_info), 0);
	for (i = 0; i < 5; i++) {
		if (values[i] == NULL || values[i][0] == '\0')
			continue;
		if (encode_name(values[i], utf16, sizeof(utf16), &len,
				error_r) < 0)
			return -1;
		ntlm_av_write(&w, ids[i], utf16, len);
	}
	if (ntlm_writer_finish(&w, &config.target_info_len, error_r) < 0)
		return -1;

	/* TargetName follows target_is_domain, which the caller may still
	   change, so both names are kept ready. */
	for (i = 0; i < 2; i++) {
		target = i == 0 ? names->nb_domain : names->nb_computer;
		if (encode_name(target, config.target_name_utf16[i],
				sizeof(config.target_name_utf16[i]),
				&config.target_name_utf16_len[i],
				error_r) < 0)
			return -1;
		if (ntlm_utf8_to_latin1(target, strlen(target),
					config.target_name_oem[i],
					sizeof(config.target_name_oem[i]),
					&config.target_name_oem_len[i],
					error_r) < 0)
			return -1;
	}
	config.target_is_domain = true;
	*config_r = config;
	return 0;
}

static void server_reset(struct ntlm_server *server,
			 const struct ntlm_server_config *config)
{
	server->config = config;
	server->state = NTLM_SERVER_STATE_INITIAL;
	server->error = NTLM_OK;
	server->reason = NULL;
	server->success = false;
	server->challenge_flags = 0;
	server->auth_flags = 0;
	server->negotiate = NULL;
	server->negotiate_len = 0;
	server->challenge = NULL;
	server->challenge_len = 0;
	server->a = NULL;
	server->variant = NTLM_VARIANT_NONE;
	server->hash_kind = NTLM_HASH_NT;
	server->lm_fallback = false;
	server->domain_form = NULL;
	server->mic_verified = false;
	server->key_exchanged = false;
	server->tls = false;
	server->channel_bound = false;
	server->target_name_checked = false;
}

void ntlm_server_set_tls(struct ntlm_server *server, bool tls)
{
	server->tls = tls;
}

int ntlm_server_init(struct ntlm_server *server,
		     const struct ntlm_server_config *config,
		     const char **error_r)
{
	uint8_t challenge[8];

	if (ntlm_random(challenge, sizeof(challenge), error_r) < 0)
		return -1;
	ntlm_server_init_fixed(server, config, challenge, ntlm_filetime_now());
	ntlm_wipe(challenge, sizeof(challenge));
	return 0;
}

void ntlm_server_init_fixed(struct ntlm_server *server,
			    const struct ntlm_server_config *config,
			    const uint8_t challenge[8], uint64_t now)
{
	server_reset(server, config);
	memcpy(server->server_challenge, challenge, 8);
	server->timestamp = now;
}

void ntlm_server_wipe(struct ntlm_server *server)
{
	struct ntlm_server_auth_data *a = server->a;

	if (server->negotiate != NULL)
		ntlm_wipe(server->negotiate, server->negotiate_len);
	if (server->challenge != NULL)
		ntlm_wipe(server->challenge, server->challenge_len);
	ntlm_wipe(server->server_challenge, sizeof(server->server_challenge));
	if (a != NULL) {
		/* Only what was written: the names are NUL-terminated and
		   never longer than their buffers. */
		ntlm_wipe(a->authenticate, a->auth.raw.len);
		ntlm_wipe(a->user_utf16, a->user_utf16_len);
		ntlm_wipe(a->domain_utf16, a->domain_utf16_len);
		ntlm_wipe(a->user, strlen(a->user));
		ntlm_wipe(a->domain, strlen(a->domain));
		ntlm_wipe(a->workstation, strlen(a->workstation));
		ntlm_wipe(&a->auth, sizeof(a->auth));
		ntlm_wipe(&a->v2, sizeof(a->v2));
		a->user_utf16_len = 0;
		a->domain_utf16_len = 0;
	}
}

void ntlm_server_deinit(struct ntlm_server *server)
{
	ntlm_server_wipe(server);
	free(server->negotiate);
	free(server->challenge);
	free(server->a);
	server->negotiate = NULL;
	server->challenge = NULL;
	server->a = NULL;
	server->negotiate_len = 0;
	server->challenge_len = 0;
	server->state = NTLM_SERVER_STATE_DONE;
}

static enum ntlm_server_action
server_fail(struct ntlm_server *server, enum ntlm_error error,
	    const char *reason)
{
	server->state = NTLM_SERVER_STATE_DONE;
	server->success = false;
	server->error = error;
	server->reason = reason;
	return NTLM_SERVER_FAILURE;
}

static enum ntlm_server_action server_succeed(struct ntlm_server *server)
{
	server->state = NTLM_SERVER_STATE_DONE;
	server->success = true;
	server->error = NTLM_OK;
	server->reason = NULL;
	return NTLM_SERVER_SUCCESS;
}

static enum ntlm_server_action
server_negotiate(struct ntlm_server *server, const uint8_t *data,
		 size_t len)
{
	const struct ntlm_server_config *config = server->config;
	struct ntlm_negotiate neg;
	struct ntlm_slice target_name, target_info;
	uint8_t info[sizeof(config->target_info) + 16];
	uint8_t challenge[NTLM_MAX_MESSAGE_SIZE];
	size_t challenge_len;
	struct ntlm_writer w;
	uint32_t flags;
	unsigned int i;
	const char *error;

	if (len > NTLM_MAX_NEGOTIATE_SIZE)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "NEGOTIATE too large");
	if (ntlm_decode_negotiate(data, len, &neg, &error) < 0)
		return server_fail(server, NTLM_ERR_MESSAGE, error);

	flags = NTLM_FL_NTLM | NTLM_FL_TARGET_INFO |
		(neg.flags & GRANTED_FLAGS);
	if ((neg.flags & NTLM_FL_LM_KEY) != 0 &&
	    (neg.flags & NTLM_FL_EXTENDED_SESSIONSECURITY) == 0)
		flags |= NTLM_FL_LM_KEY;
	if ((neg.flags & NTLM_FL_UNICODE) != 0)
		flags |= NTLM_FL_UNICODE;
	else if ((neg.flags & NTLM_FL_OEM) != 0)
		flags |= NTLM_FL_OEM;
	else
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "NEGOTIATE offers neither Unicode nor OEM");
	flags |= config->target_is_domain ? NTLM_FL_TARGET_TYPE_DOMAIN :
		NTLM_FL_TARGET_TYPE_SERVER;
	if (config->send_version)
		flags |= NTLM_FL_VERSION;

	i = config->target_is_domain ? 0 : 1;
	if ((flags & NTLM_FL_UNICODE) != 0) {
		target_name.data = config->target_name_utf16[i];
		target_name.len = config->target_name_utf16_len[i];
	} else {
		target_name.data = config->target_name_oem[i];
		target_name.len = config->target_name_oem_len[i];
	}

	ntlm_writer_init(&w, info, sizeof(info), 0);
	ntlm_writer_append(&w, config->target_info, config->target_info_len);
	ntlm_av_write_u64(&w, NTLM_AV_TIMESTAMP, server->timestamp);
	ntlm_av_write_eol(&w);
	if (ntlm_writer_finish(&w, &target_info.len, &error) < 0)
		return server_fail(server, NTLM_ERR_INTERNAL, error);
	target_info.data = info;

	if (ntlm_encode_challenge(flags, server->server_challenge,
				  &target_name, &target_info,
				  config->send_version ? &config->version : NULL,
				  challenge, sizeof(challenge),
				  &challenge_len, &error) < 0)
		return server_fail(server, NTLM_ERR_INTERNAL, error);

	/* kept at their own size for the MIC */
	server->negotiate = malloc(len);
	server->challenge = malloc(challenge_len);
	if (server->negotiate == NULL || server->challenge == NULL) {
		free(server->negotiate);
		free(server->challenge);
		server->negotiate = NULL;
		server->challenge = NULL;
		return server_fail(server, NTLM_ERR_INTERNAL,
				   "out of memory");
	}
	memcpy(server->negotiate, data, len);
	server->negotiate_len = len;
	memcpy(server->challenge, challenge, challenge_len);
	server->challenge_len = challenge_len;
	server->challenge_flags = flags;
	server->state = NTLM_SERVER_STATE_CHALLENGE_SENT;
	return NTLM_SERVER_SEND;
}

/* Decode one name from the AUTHENTICATE into UTF-8 (for the caller)
   and UTF-16LE (for hashing, if utf16 is not NULL). */
static int decode_name(const struct ntlm_slice *wire, bool unicode,
		       uint8_t *utf16, size_t *utf16_len_r,
		       char *utf8, size_t utf8_size, const char **error_r)
{
	size_t utf8_len;

	if (wire->len > (unicode ? NTLM_MAX_NAME_UTF16 :
			 NTLM_MAX_NAME_UNITS)) {
		*error_r = "name too long";
		return -1;
	}
	if (ntlm_wire_name_to_utf8(wire, unicode, utf8, utf8_size,
				   &utf8_len, error_r) < 0)
		return -1;
	if (utf16 == NULL)
		return 0;
	if (!unicode) {
		return ntlm_latin1_to_utf16le(wire->data, wire->len, utf16,
					      NTLM_MAX_NAME_UTF16,
					      utf16_len_r, error_r);
	}
	if (wire->len > 0)
		memcpy(utf16, wire->data, wire->len);
	*utf16_len_r = wire->len;
	return 0;
}

/* The flags the AUTHENTICATE is verified under. The rule (SECURITY.md,
   "Negotiated flags"): an AUTHENTICATE may keep or drop what the
   CHALLENGE granted, but claim nothing else, pick one character set,
   and claim ANONYMOUS only with anonymous responses; with KEY_EXCH its
   EncryptedRandomSessionKey is exactly 16 bytes. Checked before any
   name is decoded or hash asked for. Returns the reason for a refusal,
   or NULL with *flags_r set. */
static const char *
auth_effective_flags(const struct ntlm_server *server, uint32_t *flags_r)
{
	const struct ntlm_authenticate *auth = &server->a->auth;
	uint32_t flags = auth->flags, extra;

	if (flags == 0) {
		/* MS-NLMP 3.2.5.1.2: a client may send 0 here; the
		   negotiated flags apply then. Key exchange is in effect
		   only if the client did exchange a key. */
		flags = server->challenge_flags;
		if (auth->encrypted_session_key.len == 0)
			flags &= ~(uint32_t)NTLM_FL_KEY_EXCH;
	} else {
		if ((flags & NTLM_FL_UNICODE) != 0 &&
		    (flags & NTLM_FL_OEM) != 0)
			return "AUTHENTICATE flags set both NEGOTIATE_UNICODE "
				"and NEGOTIATE_OEM (MS-NLMP 2.2.2.5)";
		if ((flags & NTLM_FL_ANONYMOUS) != 0 &&
		    !ntlm_authenticate_is_anonymous(auth))
			return "AUTHENTICATE flags set NEGOTIATE_ANONYMOUS "
				"but the message carries a user name or "
				"responses (MS-NLMP 3.2.5.1.2)";
		extra = flags & ~(server->challenge_flags |
				  AUTH_DESCRIPTIVE_FLAGS | NTLM_FL_ANONYMOUS);
		if (extra != 0)
			return "AUTHENTICATE flags claim what the CHALLENGE "
				"did not grant (MS-NLMP 3.2.5.1.1, 3.2.5.1.2)";
	}
	if ((flags & NTLM_FL_KEY_EXCH) != 0 &&
	    auth->encrypted_session_key.len != 16)
		return "NEGOTIATE_KEY_EXCH with an EncryptedRandomSessionKey "
			"that is not 16 bytes (MS-NLMP 2.2.1.3, 3.2.5.1.2)";
	*flags_r = flags;
	return NULL;
}

/* The variant the responses are checked as: their shape (core's
   ntlm_response_shape), with what this server requires of each. */
static enum ntlm_variant classify(struct ntlm_server *server,
				  uint32_t flags, const char **error_r)
{
	const struct ntlm_authenticate *auth = &server->a->auth;
	const struct ntlm_policy *policy = &server->config->policy;
	enum ntlm_variant shape;
	const char *reason;

	if (ntlm_response_shape(auth, flags, &shape, error_r) < 0)
		shape = NTLM_VARIANT_NONE;
	else if (shape == NTLM_VARIANT_ANONYMOUS)
		return shape;
	else if (shape == NTLM_VARIANT_NONE)
		*error_r = "no usable response in AUTHENTICATE";
	if (auth->user.len == 0) {
		*error_r = "empty user name";
		return NTLM_VARIANT_NONE;
	}
	switch (shape) {
	case NTLM_VARIANT_NTLMV2:
		if (ntlm_decode_v2_response(&auth->nt_response, &server->a->v2,
					    error_r) < 0)
			return NTLM_VARIANT_NONE;
		break;
	case NTLM_VARIANT_NTLMV1_ESS:
		if (auth->lm_response.len < 8) {
			*error_r = "NTLMv1-ESS response without a client "
				"challenge";
			return NTLM_VARIANT_NONE;
		}
		break;
	case NTLM_VARIANT_LMV2:
		/* LMv2 and LM look alike on the wire; try LMv2 first. */
		if (ntlm_policy_allows(policy, NTLM_VARIANT_LMV2, &reason))
			server->lm_fallback = policy->allow_lm;
		else if (policy->allow_lm)
			return NTLM_VARIANT_LM;
		break;
	default:
		break;
	}
	return shape;
}

static const char *const no_mic_refused =
	"NTLMv2 response without a MIC refused (ntlm_require_mic = yes)";

/* Whether the NTLMv2 AV pairs announce a MIC. */
static bool v2_has_mic(const struct ntlm_server *server)
{
	const struct ntlm_av_info *info = &server->a->v2.av_info;

	return info->have_flags &&
		(info->flags & NTLM_AV_FLAG_MIC_PRESENT) != 0;
}

/* The relay defence on an AUTHENTICATE whose variant the policy allows
   (ntlm-binding.h), before any lookup: a refusal needs no password.
   Returns NULL, or the reason for refusing. */
static const char *relay_check(struct ntlm_server *server)
{
	const struct ntlm_server_config *config = server->config;
	const struct ntlm_av_info *info = &server->a->v2.av_info;
	const char *error;
	int ret;

	if (server->variant != NTLM_VARIANT_NTLMV2) {
		/* no AV pairs: nothing binds the exchange */
		if (config->cb_mode == NTLM_CB_REQUIRED)
			return "response without AV pairs carries no channel "
				"binding (ntlm_channel_binding = required)";
		return NULL;
	}
	if (config->target_names[0] != '\0') {
		ret = ntlm_target_name_check(config->target_names,
					     &info->target_name, &error);
		if (ret < 0)
			return "invalid MsvAvTargetName";
		if (ret == 0)
			return "MsvAvTargetName is not one of "
				"ntlm_target_names (a relay from another "
				"service?)";
		server->target_name_checked = info->target_name.len > 0;
	}
	if (config->cb_mode == NTLM_CB_NEVER)
		return NULL;
	if (!ntlm_cb_present(&info->channel_bindings)) {
		if (config->cb_mode == NTLM_CB_REQUIRED)
			return "no channel binding in the response "
				"(ntlm_channel_binding = required)";
		return NULL;
	}
	if (!server->tls)
		return "channel binding sent on a connection without TLS "
			"(a relay of a TLS exchange?)";
	if (!ntlm_cb_matches(&info->channel_bindings,
			     (const uint8_t (*)[16])config->cb_bindings,
			     config->cb_count))
		return "channel binding does not match this server's "
			"certificate (a relay from another TLS server?)";
	server->channel_bound = true;
	return NULL;
}

static enum ntlm_server_action
server_authenticate(struct ntlm_server *server, const uint8_t *data,
		    size_t len)
{
	struct ntlm_authenticate *auth;
	const char *error;
	uint32_t flags;
	bool unicode;

	if (len > sizeof(server->a->authenticate))
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "AUTHENTICATE too large");
	/* only the lengths need to be cleared: the buffers are written
	   before they are read */
	server->a = malloc(sizeof(*server->a));
	if (server->a == NULL)
		return server_fail(server, NTLM_ERR_INTERNAL, "out of memory");
	memset(&server->a->auth, 0, sizeof(server->a->auth));
	memset(&server->a->v2, 0, sizeof(server->a->v2));
	server->a->user_utf16_len = 0;
	server->a->domain_utf16_len = 0;
	server->a->user[0] = '\0';
	server->a->domain[0] = '\0';
	server->a->workstation[0] = '\0';
	auth = &server->a->auth;
	memcpy(server->a->authenticate, data, len);
	if (ntlm_decode_authenticate(server->a->authenticate, len, auth,
				     &error) < 0) {
		auth->raw.len = len;	/* so deinit wipes it */
		return server_fail(server, NTLM_ERR_MESSAGE, error);
	}

	error = auth_effective_flags(server, &flags);
	if (error != NULL)
		return server_fail(server, NTLM_ERR_MESSAGE, error);
	server->auth_flags = flags;
	if ((flags & NTLM_FL_UNICODE) != 0)
		unicode = true;
	else if ((flags & NTLM_FL_OEM) != 0)
		unicode = false;
	else
		unicode = (server->challenge_flags & NTLM_FL_UNICODE) != 0;

	if (decode_name(&auth->user, unicode, server->a->user_utf16,
			&server->a->user_utf16_len, server->a->user,
			sizeof(server->a->user), &error) < 0)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "invalid user name");
	if (decode_name(&auth->domain, unicode, server->a->domain_utf16,
			&server->a->domain_utf16_len, server->a->domain,
			sizeof(server->a->domain), &error) < 0)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "invalid domain name");
	if (decode_name(&auth->workstation, unicode, NULL, NULL,
			server->a->workstation, sizeof(server->a->workstation),
			&error) < 0)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "invalid workstation name");

	server->variant = classify(server, flags, &error);
	if (server->variant == NTLM_VARIANT_NONE)
		return server_fail(server, NTLM_ERR_MESSAGE, error);
	if (!ntlm_policy_allows(&server->config->policy, server->variant,
				&error))
		return server_fail(server, NTLM_ERR_POLICY, error);
	if (server->variant == NTLM_VARIANT_NTLMV2 &&
	    server->config->policy.require_mic && !v2_has_mic(server))
		return server_fail(server, NTLM_ERR_POLICY, no_mic_refused);
	error = relay_check(server);
	if (error != NULL)
		return server_fail(server, NTLM_ERR_POLICY, error);
	if (server->variant == NTLM_VARIANT_ANONYMOUS)
		return server_succeed(server);

	server->hash_kind = server->variant == NTLM_VARIANT_LM ?
		NTLM_HASH_LM : NTLM_HASH_NT;
	server->state = NTLM_SERVER_STATE_NEED_HASH;
	return NTLM_SERVER_NEED_HASH;
}

enum ntlm_server_action
ntlm_server_input(struct ntlm_server *server, const uint8_t *data,
		  size_t len)
{
	const char *error;
	int type;

	if (server->state == NTLM_SERVER_STATE_DONE)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "input after the exchange ended");
	if (server->state == NTLM_SERVER_STATE_NEED_HASH)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "input while waiting for credentials");
	type = ntlm_msg_type(data, len, &error);
	if (type < 0)
		return server_fail(server, NTLM_ERR_MESSAGE, error);

	switch (server->state) {
	case NTLM_SERVER_STATE_INITIAL:
		if (type == NTLM_MSG_AUTHENTICATE)
			return server_fail(server, NTLM_ERR_MESSAGE,
					   "AUTHENTICATE without NEGOTIATE");
		if (type != NTLM_MSG_NEGOTIATE)
			return server_fail(server, NTLM_ERR_MESSAGE,
					   "expected a NEGOTIATE message");
		if (server->config->cb_mode == NTLM_CB_REQUIRED &&
		    !server->tls)
			return server_fail(server, NTLM_ERR_POLICY,
					   "NTLM refused on a connection "
					   "without TLS "
					   "(ntlm_channel_binding = required)");
		return server_negotiate(server, data, len);
	case NTLM_SERVER_STATE_CHALLENGE_SENT:
		if (type == NTLM_MSG_NEGOTIATE)
			return server_fail(server, NTLM_ERR_MESSAGE,
					   "second NEGOTIATE message");
		if (type != NTLM_MSG_AUTHENTICATE)
			return server_fail(server, NTLM_ERR_MESSAGE,
					   "expected an AUTHENTICATE message");
		return server_authenticate(server, data, len);
	case NTLM_SERVER_STATE_NEED_HASH:
	case NTLM_SERVER_STATE_DONE:
		break;
	}
	return server_fail(server, NTLM_ERR_INTERNAL, "invalid server state");
}

void ntlm_server_output(const struct ntlm_server *server,
			const uint8_t **data_r, size_t *len_r)
{
	*data_r = server->challenge;
	*len_r = server->challenge_len;
}

enum ntlm_hash_kind ntlm_server_hash_kind(const struct ntlm_server *server)
{
	return server->hash_kind;
}

/* Try NTOWFv2 over the domain as sent, upper-cased, then empty
   (MS-NLMP 3.3.2; "NTLM servers SHOULD support NTLM clients which
   incorrectly use NIL for the UserDom", 3.2.5.1.2). check() gets each
   candidate key and says whether it matched. Returns 1 on a match (key
   left in key_r), 0 on none, -1 with a static *error_r on crypto
   failure. */
typedef int v2_check_func(struct ntlm_server *server,
			  const uint8_t key[16], const char **error_r);

static int try_v2_domains(struct ntlm_server *server,
			  const uint8_t nt_hash[16], v2_check_func *check,
			  uint8_t key_r[16], const char **error_r)
{
	uint8_t upper[NTLM_MAX_NAME_UTF16];
	struct ntlm_slice user, domains[3];
	const char *forms[3];
	unsigned int i, count = 0;
	int ret = 0;

	user.data = server->a->user_utf16;
	user.len = server->a->user_utf16_len;
	domains[count].data = server->a->domain_utf16;
	domains[count].len = server->a->domain_utf16_len;
	forms[count++] = "as sent";
	if (server->a->domain_utf16_len > 0) {
		memcpy(upper, server->a->domain_utf16, server->a->domain_utf16_len);
		ntlm_utf16le_upper(upper, server->a->domain_utf16_len);
		if (memcmp(upper, server->a->domain_utf16,
			   server->a->domain_utf16_len) != 0) {
			domains[count].data = upper;
			domains[count].len = server->a->domain_utf16_len;
			forms[count++] = "upper-cased";
		}
		domains[count].data = NULL;
		domains[count].len = 0;
		forms[count++] = "empty";
	}
	for (i = 0; i < count && ret == 0; i++) {
		if (ntlm_ntowfv2(nt_hash, &user, &domains[i], key_r,
				 error_r) < 0) {
			ret = -1;
			break;
		}
		ret = check(server, key_r, error_r);
		if (ret > 0)
			server->domain_form = forms[i];
	}
	if (ret <= 0)
		ntlm_wipe(key_r, 16);
	ntlm_wipe(upper, sizeof(upper));
	return ret;
}

static int check_v2(struct ntlm_server *server, const uint8_t key[16],
		    const char **error_r)
{
	uint8_t proof[16];
	int ret;

	if (ntlm_v2_proof(key, server->server_challenge, &server->a->v2.blob,
			  proof, error_r) < 0)
		return -1;
	ret = ntlm_equal_ct(proof, server->a->v2.nt_proof.data, 16) ? 1 : 0;
	ntlm_wipe(proof, sizeof(proof));
	return ret;
}

static int check_lmv2(struct ntlm_server *server, const uint8_t key[16],
		      const char **error_r)
{
	const uint8_t *lm = server->a->auth.lm_response.data;
	uint8_t proof[16];
	int ret;

	if (ntlm_lmv2_proof(key, server->server_challenge, lm + 16,
			    proof, error_r) < 0)
		return -1;
	ret = ntlm_equal_ct(proof, lm, 16) ? 1 : 0;
	ntlm_wipe(proof, sizeof(proof));
	return ret;
}

/* The checks that follow a matching NTLMv2 proof: the blob is now known
   to come from someone holding the password. */
static enum ntlm_server_action
server_v2_after_proof(struct ntlm_server *server, const uint8_t key[16])
{
	const struct ntlm_policy *policy = &server->config->policy;
	const struct ntlm_av_info *info = &server->a->v2.av_info;
	struct ntlm_slice negotiate, challenge;
	uint8_t session_key[16], mic[16];
	uint64_t skew, limit;
	const char *error;
	bool mic_ok;

	if (info->have_timestamp && info->timestamp != server->timestamp)
		return server_fail(server, NTLM_ERR_INTEGRITY,
				   "echoed MsvAvTimestamp differs from the "
				   "CHALLENGE's");
	if (policy->max_clock_skew_secs > 0) {
		limit = (uint64_t)policy->max_clock_skew_secs *
			FILETIME_TICKS_PER_SEC;
		skew = server->a->v2.timestamp > server->timestamp ?
			server->a->v2.timestamp - server->timestamp :
			server->timestamp - server->a->v2.timestamp;
		if (skew > limit)
			return server_fail(server, NTLM_ERR_POLICY,
					   "NTLMv2 timestamp outside the allowed "
					   "clock skew (ntlm_max_clock_skew)");
	}

	if (!v2_has_mic(server)) {
		if (policy->require_mic)
			return server_fail(server, NTLM_ERR_POLICY,
					   no_mic_refused);
		return server_succeed(server);
	}
	if (!server->a->auth.have_mic_field)
		return server_fail(server, NTLM_ERR_MESSAGE,
				   "MIC announced but the header has no room "
				   "for it");
	/* For NTLMv2 the KeyExchangeKey is the SessionBaseKey (MS-NLMP
	   3.4.5.1). Without key exchange it is also the ExportedSessionKey;
	   with it, the ExportedSessionKey is the client's random key, which
	   the EncryptedRandomSessionKey carries under RC4K(KeyExchangeKey)
	   (3.2.5.1.2). Its length was checked with the flags. */
	if (ntlm_v2_session_key(key, server->a->v2.nt_proof.data,
				session_key, &error) < 0)
		return server_fail(server, NTLM_ERR_INTERNAL, error);
	if ((server->auth_flags & NTLM_FL_KEY_EXCH) != 0) {
		uint8_t exported[16];
		int ret;

		ret = ntlm_exported_session_key(session_key,
				server->a->auth.encrypted_session_key.data,
				exported, &error);
		memcpy(session_key, exported, sizeof(session_key));
		ntlm_wipe(exported, sizeof(exported));
		if (ret < 0) {
			ntlm_wipe(session_key, sizeof(session_key));
			return server_fail(server, NTLM_ERR_INTERNAL, error);
		}
		server->key_exchanged = true;
	}
	negotiate.data = server->negotiate;
	negotiate.len = server->negotiate_len;
	challenge.data = server->challenge;
	challenge.len = server->challenge_len;
	if (ntlm_compute_mic(session_key, &negotiate, &challenge,
			     &server->a->auth.raw, NTLM_AUTH_MIC_OFFSET,
			     mic, &error) < 0) {
		ntlm_wipe(session_key, sizeof(session_key));
		return server_fail(server, NTLM_ERR_INTERNAL, error);
	}
	mic_ok = ntlm_equal_ct(mic, server->a->auth.mic.data, 16);
	ntlm_wipe(session_key, sizeof(session_key));
	ntlm_wipe(mic, sizeof(mic));
	if (!mic_ok)
		return server_fail(server, NTLM_ERR_INTEGRITY,
				   "MIC does not match the messages");
	server->mic_verified = true;
	return server_succeed(server);
}

static enum ntlm_server_action
server_verify_v1(struct ntlm_server *server, const uint8_t hash[16],
		 const struct ntlm_slice *response, bool ess)
{
	uint8_t challenge[8], expected[24];
	const char *error;
	bool ok;

	memcpy(challenge, server->server_challenge, 8);
	if (ess && ntlm_ess_challenge(server->server_challenge,
				      server->a->auth.lm_response.data,
				      challenge, &error) < 0)
		return server_fail(server, NTLM_ERR_INTERNAL, error);
	if (ntlm_desl(hash, challenge, expected, &error) < 0)
		return server_fail(server, NTLM_ERR_INTERNAL, error);
	ok = ntlm_equal_ct(expected, response->data, 24);
	ntlm_wipe(expected, sizeof(expected));
	ntlm_wipe(challenge, sizeof(challenge));
	if (!ok)
		return server_fail(server, NTLM_ERR_MISMATCH,
				   "response does not match");
	return server_succeed(server);
}

enum ntlm_server_action
ntlm_server_verify(struct ntlm_server *server, enum ntlm_hash_kind kind,
		   const uint8_t hash[16])
{
	enum ntlm_server_action action;
	const char *error;
	uint8_t key[16];
	int ret;

	if (server->state != NTLM_SERVER_STATE_NEED_HASH)
		return server_fail(server, NTLM_ERR_INTERNAL,
				   "credentials given out of order");
	if (kind != server->hash_kind)
		return server_fail(server, NTLM_ERR_INTERNAL,
				   kind == NTLM_HASH_NT ?
				   "NT hash given where the LM hash is needed" :
				   "LM hash given where the NT hash is needed");

	switch (server->variant) {
	case NTLM_VARIANT_NTLMV2:
		ret = try_v2_domains(server, hash, check_v2, key, &error);
		if (ret < 0)
			return server_fail(server, NTLM_ERR_INTERNAL, error);
		if (ret == 0)
			return server_fail(server, NTLM_ERR_MISMATCH,
					   "NTLMv2 proof does not match");
		action = server_v2_after_proof(server, key);
		ntlm_wipe(key, sizeof(key));
		return action;
	case NTLM_VARIANT_LMV2:
		ret = try_v2_domains(server, hash, check_lmv2, key, &error);
		ntlm_wipe(key, sizeof(key));
		if (ret < 0)
			return server_fail(server, NTLM_ERR_INTERNAL, error);
		if (ret > 0)
			return server_succeed(server);
		if (server->lm_fallback) {
			server->lm_fallback = false;
			server->variant = NTLM_VARIANT_LM;
			server->hash_kind = NTLM_HASH_LM;
			return NTLM_SERVER_NEED_HASH;
		}
		return server_fail(server, NTLM_ERR_MISMATCH,
				   "LMv2 proof does not match");
	case NTLM_VARIANT_NTLMV1_ESS:
		return server_verify_v1(server, hash,
					&server->a->auth.nt_response, true);
	case NTLM_VARIANT_NTLMV1:
		return server_verify_v1(server, hash,
					&server->a->auth.nt_response, false);
	case NTLM_VARIANT_LM:
		return server_verify_v1(server, hash,
					&server->a->auth.lm_response, false);
	case NTLM_VARIANT_ANONYMOUS:
	case NTLM_VARIANT_NONE:
		break;
	}
	return server_fail(server, NTLM_ERR_INTERNAL, "invalid variant");
}

void ntlm_server_user_unknown(struct ntlm_server *server)
{
	(void)server_fail(server, NTLM_ERR_MISMATCH,
			  "no such user or no NTLM hash for it");
}

void ntlm_server_get_identity(const struct ntlm_server *server,
			      struct ntlm_identity *identity_r)
{
	memset(identity_r, 0, sizeof(*identity_r));
	identity_r->user = server->a != NULL ? server->a->user : "";
	identity_r->domain = server->a != NULL ? server->a->domain : "";
	identity_r->workstation = server->a != NULL ?
		server->a->workstation : "";
	identity_r->variant = server->variant;
	identity_r->flags = server->auth_flags;
	identity_r->unicode = (server->auth_flags & NTLM_FL_UNICODE) != 0;
	identity_r->mic_verified = server->mic_verified;
	identity_r->key_exchanged = server->key_exchanged;
	identity_r->channel_bound = server->channel_bound;
	identity_r->target_name_checked = server->target_name_checked;
	identity_r->domain_form = server->domain_form;
}

enum ntlm_error ntlm_server_error(const struct ntlm_server *server,
				  const char **reason_r)
{
	*reason_r = server->reason != NULL ? server->reason : "";
	return server->error;
}
