/* libFuzzer target: ntlm_decode_authenticate() on arbitrary bytes, then
   ntlm_decode_v2_response() on an NT response longer than 24 bytes.

   Invariants checked: every decoded field lies inside the input, raw is
   the input, the MIC field is 16 bytes inside the fixed header, the
   parts of an NTLMv2 response lie inside the NT response and its AV list
   is one ntlm_av_parse() accepts; failures leave outputs untouched; what
   was decoded, encoded again with ntlm_encode_authenticate() (with a
   MIC field when there was room for one), decodes to the same values
   with a zeroed MIC. */

#include "fuzz-common.h"
#include "ntlm-msg.h"
#include "ntlm-avpair.h"

static void fuzz_authenticate_v2(const struct ntlm_slice *nt_response)
{
	struct ntlm_v2_response resp, untouched;
	struct ntlm_av_info info;
	const char *error = NULL;
	const uint8_t *nt = nt_response->data;
	size_t nt_len = nt_response->len;
	int ret;

	memset(&resp, 0x5a, sizeof(resp));
	untouched = resp;
	ret = ntlm_decode_v2_response(nt_response, &resp, &error);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(error != NULL);
		fuzz_assert(memcmp(&resp, &untouched, sizeof(resp)) == 0);
		return;
	}
	fuzz_assert(ret == 0);
	fuzz_assert(nt_len >= NTLM_V2_MIN_RESPONSE_LEN);
	fuzz_assert(resp.nt_proof.data == nt && resp.nt_proof.len == 16);
	fuzz_assert(fuzz_slice_inside(&resp.blob, nt, nt_len));
	fuzz_assert(resp.blob.data == nt + 16);
	fuzz_assert(resp.blob.len == nt_len - 16);
	fuzz_assert(fuzz_slice_inside(&resp.av_list, resp.blob.data,
				      resp.blob.len));
	fuzz_assert(resp.av_list.len >= 4);
	fuzz_assert(resp.av_list.data ==
		    resp.blob.data + NTLM_V2_BLOB_HEADER_LEN);
	fuzz_assert(ntlm_av_parse(resp.av_list.data, resp.av_list.len,
				  &info, &error) == 0);
	fuzz_assert(info.raw.len == resp.av_list.len);
}

static void fuzz_authenticate_reencode(const struct ntlm_authenticate *msg)
{
	static const uint8_t zero[16];
	static uint8_t buf[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_authenticate again;
	const char *error;
	size_t len, mic_offset;

	if (ntlm_encode_authenticate(msg, msg->have_version ?
				     &msg->version : NULL,
				     msg->have_mic_field, buf, sizeof(buf),
				     &len, &mic_offset, &error) < 0)
		return;
	fuzz_assert(ntlm_decode_authenticate(buf, len, &again, &error) == 0);
	fuzz_assert(again.flags == msg->flags);
	fuzz_assert(fuzz_slice_equal(&again.lm_response, &msg->lm_response));
	fuzz_assert(fuzz_slice_equal(&again.nt_response, &msg->nt_response));
	fuzz_assert(fuzz_slice_equal(&again.domain, &msg->domain));
	fuzz_assert(fuzz_slice_equal(&again.user, &msg->user));
	fuzz_assert(fuzz_slice_equal(&again.workstation, &msg->workstation));
	fuzz_assert(fuzz_slice_equal(&again.encrypted_session_key,
				     &msg->encrypted_session_key));
	fuzz_assert(again.have_version == msg->have_version);
	if (msg->have_version)
		fuzz_assert(fuzz_version_equal(&again.version, &msg->version));
	fuzz_assert(again.have_mic_field == msg->have_mic_field);
	if (msg->have_mic_field) {
		fuzz_assert(mic_offset == NTLM_AUTH_MIC_OFFSET);
		fuzz_assert(memcmp(again.mic.data, zero, 16) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntlm_authenticate msg, untouched;
	const char *error = NULL, *type_error = NULL;
	bool unicode;
	int ret;

	fuzz_crypto_init();

	memset(&msg, 0x5a, sizeof(msg));
	untouched = msg;
	ret = ntlm_decode_authenticate(data, size, &msg, &error);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(error != NULL);
		fuzz_assert(memcmp(&msg, &untouched, sizeof(msg)) == 0);
		return 0;
	}
	fuzz_assert(ret == 0);
	fuzz_assert(ntlm_msg_type(data, size, &type_error) ==
		    NTLM_MSG_AUTHENTICATE);
	fuzz_assert(msg.raw.data == data && msg.raw.len == size);
	fuzz_assert(msg.payload_start >= NTLM_AUTH_FIXED_LEN);
	fuzz_assert(msg.payload_start <= size);
	fuzz_assert(fuzz_slice_inside(&msg.lm_response, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.nt_response, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.domain, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.user, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.workstation, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.encrypted_session_key,
				      data, size));
	if (msg.have_mic_field) {
		fuzz_assert(msg.mic.len == 16);
		fuzz_assert(msg.mic.data == data + NTLM_AUTH_MIC_OFFSET);
		fuzz_assert(msg.payload_start >= NTLM_AUTH_MIC_END);
	}
	if (msg.have_version)
		fuzz_assert(msg.payload_start >= NTLM_AUTH_VERSION_OFFSET + 8);

	unicode = (msg.flags & NTLM_FL_UNICODE) != 0;
	fuzz_wire_name(&msg.user, unicode);
	fuzz_wire_name(&msg.domain, unicode);
	fuzz_wire_name(&msg.workstation, unicode);

	if (msg.nt_response.len > 24)
		fuzz_authenticate_v2(&msg.nt_response);
	fuzz_authenticate_reencode(&msg);
	return 0;
}
