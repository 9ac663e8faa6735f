/* libFuzzer target: ntlm_decode_challenge() on arbitrary bytes, then a
   walk over the TargetInfo with ntlm_av_next().

   Invariants checked: a decoded message lies inside the input; a
   non-empty TargetInfo has been validated, so ntlm_av_parse() accepts it
   and ntlm_av_next() walks it to MsvAvEOL over the same pairs; every
   walked value lies inside the TargetInfo; a failure leaves the output
   untouched; what was decoded, encoded again with
   ntlm_encode_challenge(), decodes to the same values. The CHALLENGE is
   then given to the core's own client (the
   probe tool parses CHALLENGE messages from servers it does not
   trust). */

#include "fuzz-common.h"
#include "ntlm-msg.h"
#include "ntlm-avpair.h"
#include "ntlm-client.h"

static void fuzz_challenge_walk(const struct ntlm_slice *target_info)
{
	struct ntlm_av_info info;
	struct ntlm_slice value;
	const char *error = NULL, *walk_error = NULL;
	unsigned int count = 0;
	size_t pos = 0, prev_pos;
	uint16_t id;
	int ret;

	fuzz_assert(ntlm_av_parse(target_info->data, target_info->len,
				  &info, &error) == 0);
	fuzz_assert(info.raw.data == target_info->data);
	fuzz_assert(info.raw.len <= target_info->len);

	for (;;) {
		prev_pos = pos;
		ret = ntlm_av_next(target_info, &pos, &id, &value,
				   &walk_error);
		count++;
		if (ret <= 0)
			break;
		fuzz_assert(ret == 1);
		fuzz_assert(pos > prev_pos && pos <= target_info->len);
		fuzz_assert(fuzz_slice_inside(&value, target_info->data,
					      target_info->len));
		fuzz_assert(id != NTLM_AV_EOL);
		(void)ntlm_av_id_name(id);
		fuzz_assert(count <= NTLM_MAX_AV_PAIRS);
	}
	/* A validated list ends with MsvAvEOL, and the walk saw the same
	   pairs (EOL included) as the parser. */
	fuzz_assert(ret == 0);
	fuzz_assert(count == info.count);
	fuzz_assert(pos == info.raw.len);
}

static void fuzz_challenge_reencode(const struct ntlm_challenge *msg)
{
	static uint8_t buf[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_challenge again;
	const char *error;
	size_t len;

	if (ntlm_encode_challenge(msg->flags, msg->server_challenge,
				  &msg->target_name, &msg->target_info,
				  msg->have_version ? &msg->version : NULL,
				  buf, sizeof(buf), &len, &error) < 0)
		return;
	fuzz_assert(ntlm_decode_challenge(buf, len, &again, &error) == 0);
	fuzz_assert(again.flags == msg->flags);
	fuzz_assert(memcmp(again.server_challenge, msg->server_challenge,
			   8) == 0);
	fuzz_assert(fuzz_slice_equal(&again.target_name, &msg->target_name));
	fuzz_assert(fuzz_slice_equal(&again.target_info, &msg->target_info));
	fuzz_assert(again.have_version == msg->have_version);
	if (msg->have_version)
		fuzz_assert(fuzz_version_equal(&again.version, &msg->version));
}

static void fuzz_challenge_client(const uint8_t *data, size_t size)
{
	static const enum ntlm_client_variant variants[] = {
		NTLM_CLIENT_V2, NTLM_CLIENT_LMV2, NTLM_CLIENT_ESS,
		NTLM_CLIENT_V1, NTLM_CLIENT_ANONYMOUS,
	};
	struct ntlm_client_params params;
	struct ntlm_client client;
	struct ntlm_authenticate auth;
	const uint8_t *msg;
	const char *error;
	size_t msg_len;

	/* The variant is picked by the last input byte, which leaves the
	   message itself unchanged for every other purpose. */
	ntlm_test_client_params(&params, size == 0 ? NTLM_CLIENT_V2 :
				variants[data[size - 1] % N_ELEMENTS(variants)]);
	params.have_lm_hash = params.variant == NTLM_CLIENT_V1;
	params.timestamp = FUZZ_FILETIME;

	if (ntlm_client_init(&client, &params, &error) < 0) {
		fprintf(stderr, "fuzz: ntlm_client_init() failed: %s\n",
			error);
		abort();
	}
	if (ntlm_client_input(&client, data, size, &error) == 0) {
		/* Whatever it accepted, the client must build an
		   AUTHENTICATE it can decode itself. */
		ntlm_client_authenticate(&client, &msg, &msg_len);
		fuzz_assert(msg_len > 0 && msg_len <= NTLM_MAX_MESSAGE_SIZE);
		fuzz_assert(ntlm_decode_authenticate(msg, msg_len, &auth,
						     &error) == 0);
	} else {
		fuzz_assert(error != NULL);
	}
	ntlm_client_deinit(&client);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntlm_challenge msg, untouched;
	const char *error = NULL, *type_error = NULL;
	int ret;

	fuzz_crypto_init();

	memset(&msg, 0x5a, sizeof(msg));
	untouched = msg;
	ret = ntlm_decode_challenge(data, size, &msg, &error);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(error != NULL);
		fuzz_assert(memcmp(&msg, &untouched, sizeof(msg)) == 0);
	} else {
		fuzz_assert(ret == 0);
		fuzz_assert(ntlm_msg_type(data, size, &type_error) ==
			    NTLM_MSG_CHALLENGE);
		fuzz_assert(fuzz_slice_inside(&msg.target_name, data, size));
		fuzz_assert(fuzz_slice_inside(&msg.target_info, data, size));
		fuzz_wire_name(&msg.target_name,
			       (msg.flags & NTLM_FL_UNICODE) != 0);
		if (msg.target_info.len > 0)
			fuzz_challenge_walk(&msg.target_info);
		fuzz_challenge_reencode(&msg);
	}
	fuzz_challenge_client(data, size);
	return 0;
}
