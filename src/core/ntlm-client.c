#include "ntlm-client.h"
#include "ntlm-avpair.h"
#include "ntlm-crypto.h"
#include "ntlm-unicode.h"
#include "ntlm-writer.h"

#include <string.h>

static const struct ntlm_version client_version = {
	.major = 6, .minor = 1, .build = 7601, .revision = 15,
};

void ntlm_client_params_init(struct ntlm_client_params *params_r)
{
	memset(params_r, 0, sizeof(*params_r));
	params_r->variant = NTLM_CLIENT_V2;
	params_r->unicode = true;
	params_r->send_mic = true;
	params_r->send_version = true;
}

int ntlm_client_init(struct ntlm_client *client,
		     const struct ntlm_client_params *params,
		     const char **error_r)
{
	uint32_t flags;

	memset(client, 0, sizeof(*client));
	client->params = *params;
	if (params->client_challenge != NULL)
		memcpy(client->client_challenge, params->client_challenge, 8);
	else if (ntlm_random(client->client_challenge, 8, error_r) < 0)
		return -1;
	client->params.client_challenge = client->client_challenge;
	if (params->random_session_key != NULL)
		memcpy(client->random_session_key,
		       params->random_session_key, 16);
	else if (params->key_exchange &&
		 ntlm_random(client->random_session_key, 16, error_r) < 0)
		return -1;
	client->params.random_session_key = client->random_session_key;
	if (params->variant != NTLM_CLIENT_ANONYMOUS &&
	    (params->user == NULL || params->user[0] == '\0')) {
		*error_r = "user name is required";
		return -1;
	}

	flags = NTLM_FL_OEM | NTLM_FL_REQUEST_TARGET | NTLM_FL_NTLM |
		NTLM_FL_ALWAYS_SIGN | NTLM_FL_128 | NTLM_FL_56 |
		params->request_flags;
	if (params->key_exchange)
		flags |= NTLM_FL_KEY_EXCH;
	if (params->unicode)
		flags |= NTLM_FL_UNICODE;
	if (params->variant != NTLM_CLIENT_V1)
		flags |= NTLM_FL_EXTENDED_SESSIONSECURITY;
	if (params->variant == NTLM_CLIENT_ANONYMOUS)
		flags |= NTLM_FL_ANONYMOUS;
	if (params->send_version)
		flags |= NTLM_FL_VERSION;
	client->negotiate_flags = flags;
	return ntlm_encode_negotiate(flags, NULL, NULL,
				     params->send_version ?
				     &client_version : NULL,
				     client->negotiate,
				     sizeof(client->negotiate),
				     &client->negotiate_len, error_r);
}

void ntlm_client_deinit(struct ntlm_client *client)
{
	ntlm_wipe(client, sizeof(*client));
}

void ntlm_client_negotiate(const struct ntlm_client *client,
			   const uint8_t **data_r, size_t *len_r)
{
	*data_r = client->negotiate;
	*len_r = client->negotiate_len;
}

void ntlm_client_authenticate(const struct ntlm_client *client,
			      const uint8_t **data_r, size_t *len_r)
{
	*data_r = client->authenticate;
	*len_r = client->authenticate_len;
}

const struct ntlm_challenge *
ntlm_client_challenge(const struct ntlm_client *client)
{
	return &client->challenge;
}

enum ntlm_variant ntlm_client_sent_variant(const struct ntlm_client *client)
{
	return client->sent_variant;
}

struct client_names {
	/* UTF-16LE for hashing */
	uint8_t user16[NTLM_MAX_NAME_UTF16];
	size_t user16_len;
	uint8_t domain16[NTLM_MAX_NAME_UTF16];
	size_t domain16_len;
	/* wire encoding */
	uint8_t user[NTLM_MAX_NAME_UTF16];
	size_t user_len;
	uint8_t domain[NTLM_MAX_NAME_UTF16];
	size_t domain_len;
	uint8_t workstation[NTLM_MAX_NAME_UTF16];
	size_t workstation_len;
};

static int encode_one(const char *name, bool unicode, uint8_t *utf16,
		      size_t *utf16_len_r, uint8_t *wire, size_t *wire_len_r,
		      const char **error_r)
{
	size_t len = name == NULL ? 0 : strlen(name);

	*wire_len_r = 0;
	if (utf16_len_r != NULL)
		*utf16_len_r = 0;
	if (len == 0)
		return 0;
	if (utf16 != NULL &&
	    ntlm_utf8_to_utf16le(name, len, utf16, NTLM_MAX_NAME_UTF16,
				 utf16_len_r, error_r) < 0)
		return -1;
	if (unicode)
		return ntlm_utf8_to_utf16le(name, len, wire,
					    NTLM_MAX_NAME_UTF16, wire_len_r,
					    error_r);
	return ntlm_utf8_to_latin1(name, len, wire, NTLM_MAX_NAME_UTF16,
				   wire_len_r, error_r);
}

static int encode_names(const struct ntlm_client_params *params,
			bool unicode, struct client_names *names,
			const char **error_r)
{
	if (encode_one(params->user, unicode, names->user16,
		       &names->user16_len, names->user, &names->user_len,
		       error_r) < 0 ||
	    encode_one(params->domain, unicode, names->domain16,
		       &names->domain16_len, names->domain,
		       &names->domain_len, error_r) < 0 ||
	    encode_one(params->workstation, unicode, NULL, NULL,
		       names->workstation, &names->workstation_len,
		       error_r) < 0) {
		*error_r = "user, domain or workstation name cannot be "
			"encoded";
		return -1;
	}
	return 0;
}

/* The NTLMv2 client challenge (MS-NLMP 2.2.2.7): header, the server's AV
   pairs with our MsvAvFlags merged in, EOL, and four zero bytes. */
static int build_v2_blob(const struct ntlm_client *client,
			 uint64_t timestamp, uint8_t *buf, size_t size,
			 size_t *len_r, const char **error_r)
{
	const struct ntlm_slice *info = &client->challenge.target_info;
	struct ntlm_writer w;
	struct ntlm_slice value;
	uint32_t av_flags = 0;
	size_t pos = 0;
	uint16_t id;
	int ret;

	ntlm_writer_init(&w, buf, size, 0);
	ntlm_writer_append_u16(&w, 0x0101);
	ntlm_writer_append_u16(&w, 0);
	ntlm_writer_append_u32(&w, 0);
	ntlm_writer_append_u64(&w, timestamp);
	ntlm_writer_append(&w, client->client_challenge, 8);
	ntlm_writer_append_u32(&w, 0);
	while ((ret = ntlm_av_next(info, &pos, &id, &value, error_r)) > 0) {
		if (id == NTLM_AV_FLAGS) {
			struct ntlm_slice v = value;

			if (v.len == 4)
				av_flags = (uint32_t)v.data[0] |
					((uint32_t)v.data[1] << 8) |
					((uint32_t)v.data[2] << 16) |
					((uint32_t)v.data[3] << 24);
			continue;
		}
		/* the client's own to say */
		if (id == NTLM_AV_CHANNEL_BINDINGS ||
		    id == NTLM_AV_TARGET_NAME)
			continue;
		ntlm_av_write(&w, id, value.data, value.len);
	}
	if (ret < 0)
		return -1;
	if (client->params.channel_binding != NULL)
		ntlm_av_write(&w, NTLM_AV_CHANNEL_BINDINGS,
			      client->params.channel_binding, 16);
	if (client->params.target_name != NULL) {
		uint8_t spn[NTLM_MAX_NAME_UTF16];
		size_t spn_len;

		if (ntlm_utf8_to_utf16le(client->params.target_name,
					 strlen(client->params.target_name),
					 spn, sizeof(spn), &spn_len,
					 error_r) < 0)
			return -1;
		ntlm_av_write(&w, NTLM_AV_TARGET_NAME, spn, spn_len);
	}
	if (client->params.send_mic)
		av_flags |= NTLM_AV_FLAG_MIC_PRESENT;
	if (av_flags != 0)
		ntlm_av_write_u32(&w, NTLM_AV_FLAGS, av_flags);
	ntlm_av_write_eol(&w);
	ntlm_writer_append_u32(&w, 0);
	return ntlm_writer_finish(&w, len_r, error_r);
}

static int find_timestamp(const struct ntlm_slice *info, uint64_t *ts_r)
{
	struct ntlm_av_info parsed;
	const char *error;

	if (info->len == 0 ||
	    ntlm_av_parse(info->data, info->len, &parsed, &error) < 0 ||
	    !parsed.have_timestamp)
		return 0;
	*ts_r = parsed.timestamp;
	return 1;
}

int ntlm_client_input(struct ntlm_client *client, const uint8_t *data,
		      size_t len, const char **error_r)
{
	const struct ntlm_client_params *params = &client->params;
	struct client_names names;
	struct ntlm_authenticate msg;
	uint8_t nt[NTLM_MAX_MESSAGE_SIZE], lm[24], key[16], proof[16];
	uint8_t session_key[16], chal8[8], mic[16], enc_key[16];
	struct ntlm_slice neg, chal, auth;
	size_t nt_len = 0, lm_len = 0, mic_offset = 0;
	uint64_t timestamp = 0;
	bool unicode, have_ts, with_mic = false;
	int ret = -1;

	if (len > sizeof(client->challenge_msg)) {
		*error_r = "CHALLENGE too large";
		return -1;
	}
	memcpy(client->challenge_msg, data, len);
	client->challenge_len = len;
	if (ntlm_decode_challenge(client->challenge_msg, len,
				  &client->challenge, error_r) < 0)
		return -1;
	unicode = (client->challenge.flags & NTLM_FL_UNICODE) != 0;
	if (encode_names(params, unicode, &names, error_r) < 0)
		return -1;

	memset(&msg, 0, sizeof(msg));
	/* Keep what the server offered, less what this client does not
	   do: signing or sealing it did not ask for, LM_KEY, DATAGRAM, and
	   KEY_EXCH unless it sends a key (MS-NLMP 3.1.5.1.2 forbids
	   KEY_EXCH without an EncryptedRandomSessionKey; added below). */
	msg.flags = client->challenge.flags &
		~(uint32_t)(NTLM_FL_KEY_EXCH | NTLM_FL_SIGN | NTLM_FL_SEAL |
			    NTLM_FL_LM_KEY | NTLM_FL_DATAGRAM);
	msg.flags |= client->challenge.flags & params->request_flags &
		(NTLM_FL_SIGN | NTLM_FL_SEAL);
	switch (params->variant) {
	case NTLM_CLIENT_V2:
		if (client->challenge.target_info.len == 0) {
			*error_r = "CHALLENGE has no TargetInfo: NTLMv2 is "
				"impossible";
			goto out;
		}
		have_ts = find_timestamp(&client->challenge.target_info,
					 &timestamp) > 0;
		if (!have_ts || params->force_timestamp) {
			timestamp = params->timestamp != 0 ?
				params->timestamp : ntlm_filetime_now();
		}
		if (ntlm_ntowfv2(params->nt_hash,
				 &(struct ntlm_slice){ names.user16,
						       names.user16_len },
				 &(struct ntlm_slice){ names.domain16,
						       names.domain16_len },
				 key, error_r) < 0)
			goto out;
		if (build_v2_blob(client, timestamp, nt + 16,
				  sizeof(nt) - 16, &nt_len, error_r) < 0)
			goto out;
		if (ntlm_v2_proof(key, client->challenge.server_challenge,
				  &(struct ntlm_slice){ nt + 16, nt_len },
				  proof, error_r) < 0)
			goto out;
		memcpy(nt, proof, 16);
		nt_len += 16;
		if (have_ts && !params->force_timestamp) {
			/* Windows sends Z(24) once the server has sent a
			   timestamp (MS-NLMP 3.1.5.1.2). */
			memset(lm, 0, sizeof(lm));
		} else {
			if (ntlm_lmv2_proof(key,
					    client->challenge.server_challenge,
					    client->client_challenge, lm,
					    error_r) < 0)
				goto out;
			memcpy(lm + 16, client->client_challenge, 8);
		}
		lm_len = 24;
		if (ntlm_v2_session_key(key, proof, session_key, error_r) < 0)
			goto out;
		if (params->key_exchange &&
		    (client->challenge.flags & NTLM_FL_KEY_EXCH) != 0) {
			/* KeyExchangeKey = SessionBaseKey for NTLMv2 */
			if (ntlm_encrypt_session_key(session_key,
					client->random_session_key,
					enc_key, error_r) < 0)
				goto out;
			memcpy(session_key, client->random_session_key, 16);
			msg.flags |= NTLM_FL_KEY_EXCH;
			msg.encrypted_session_key.data = enc_key;
			msg.encrypted_session_key.len = 16;
		}
		with_mic = params->send_mic;
		client->sent_variant = NTLM_VARIANT_NTLMV2;
		break;
	case NTLM_CLIENT_LMV2:
		if (ntlm_ntowfv2(params->nt_hash,
				 &(struct ntlm_slice){ names.user16,
						       names.user16_len },
				 &(struct ntlm_slice){ names.domain16,
						       names.domain16_len },
				 key, error_r) < 0 ||
		    ntlm_lmv2_proof(key, client->challenge.server_challenge,
				    client->client_challenge, lm, error_r) < 0)
			goto out;
		memcpy(lm + 16, client->client_challenge, 8);
		lm_len = 24;
		client->sent_variant = NTLM_VARIANT_LMV2;
		break;
	case NTLM_CLIENT_ESS:
		if ((client->challenge.flags &
		     NTLM_FL_EXTENDED_SESSIONSECURITY) == 0) {
			*error_r = "server did not offer extended session "
				"security";
			goto out;
		}
		memset(lm, 0, sizeof(lm));
		memcpy(lm, client->client_challenge, 8);
		lm_len = 24;
		if (ntlm_ess_challenge(client->challenge.server_challenge,
				       client->client_challenge, chal8,
				       error_r) < 0 ||
		    ntlm_desl(params->nt_hash, chal8, nt, error_r) < 0)
			goto out;
		nt_len = 24;
		client->sent_variant = NTLM_VARIANT_NTLMV1_ESS;
		break;
	case NTLM_CLIENT_V1:
		msg.flags &= ~NTLM_FL_EXTENDED_SESSIONSECURITY;
		if (ntlm_desl(params->nt_hash,
			      client->challenge.server_challenge, nt,
			      error_r) < 0)
			goto out;
		nt_len = 24;
		if (params->have_lm_hash) {
			if (ntlm_desl(params->lm_hash,
				      client->challenge.server_challenge,
				      lm, error_r) < 0)
				goto out;
		} else {
			memcpy(lm, nt, 24);
		}
		lm_len = 24;
		client->sent_variant = NTLM_VARIANT_NTLMV1;
		break;
	case NTLM_CLIENT_ANONYMOUS:
		names.user_len = 0;
		names.domain_len = 0;
		lm[0] = 0;
		lm_len = 1;
		msg.flags |= NTLM_FL_ANONYMOUS;
		client->sent_variant = NTLM_VARIANT_ANONYMOUS;
		break;
	}

	msg.lm_response.data = lm;
	msg.lm_response.len = lm_len;
	msg.nt_response.data = nt;
	msg.nt_response.len = nt_len;
	msg.domain.data = names.domain;
	msg.domain.len = names.domain_len;
	msg.user.data = names.user;
	msg.user.len = names.user_len;
	msg.workstation.data = names.workstation;
	msg.workstation.len = names.workstation_len;
	if (ntlm_encode_authenticate(&msg, params->send_version || with_mic ?
				     &client_version : NULL, with_mic,
				     client->authenticate,
				     sizeof(client->authenticate),
				     &client->authenticate_len, &mic_offset,
				     error_r) < 0)
		goto out;
	if (with_mic) {
		neg.data = client->negotiate;
		neg.len = client->negotiate_len;
		chal.data = client->challenge_msg;
		chal.len = client->challenge_len;
		auth.data = client->authenticate;
		auth.len = client->authenticate_len;
		if (ntlm_compute_mic(session_key, &neg, &chal, &auth,
				     mic_offset, mic, error_r) < 0)
			goto out;
		memcpy(client->authenticate + mic_offset, mic, 16);
	}
	ret = 0;
out:
	ntlm_wipe(key, sizeof(key));
	ntlm_wipe(proof, sizeof(proof));
	ntlm_wipe(session_key, sizeof(session_key));
	ntlm_wipe(enc_key, sizeof(enc_key));
	ntlm_wipe(&names, sizeof(names));
	return ret;
}
