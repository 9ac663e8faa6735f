#include "ntlm-msg.h"
#include "ntlm-reader.h"
#include "ntlm-writer.h"
#include "ntlm-avpair.h"

#include <string.h>

#define NEGOTIATE_DESC_END 32
#define NEGOTIATE_VERSION_END 40
#define CHALLENGE_OLD_END 32
#define CHALLENGE_TARGET_INFO_END 48
#define CHALLENGE_VERSION_END 56

int ntlm_msg_type(const uint8_t *data, size_t len, const char **error_r)
{
	struct ntlm_reader r;
	struct ntlm_slice sig;
	uint32_t type;

	if (len > NTLM_MAX_MESSAGE_SIZE) {
		*error_r = "message too large";
		return -1;
	}
	ntlm_reader_init(&r, data, len);
	if (!ntlm_reader_bytes(&r, NTLM_SIGNATURE_LEN, &sig) ||
	    !ntlm_reader_u32(&r, &type)) {
		*error_r = "message too short";
		return -1;
	}
	if (memcmp(sig.data, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN) != 0) {
		*error_r = "no NTLMSSP signature";
		return -1;
	}
	if (type < NTLM_MSG_NEGOTIATE || type > NTLM_MSG_AUTHENTICATE) {
		*error_r = "unknown message type";
		return -1;
	}
	return (int)type;
}

static int expect_type(const uint8_t *data, size_t len, int type,
		       const char **error_r)
{
	int ret = ntlm_msg_type(data, len, error_r);

	if (ret < 0)
		return -1;
	if (ret != type) {
		*error_r = "unexpected message type";
		return -1;
	}
	return 0;
}

static void read_version(struct ntlm_reader *r, size_t pos,
			 struct ntlm_version *version_r)
{
	(void)ntlm_reader_seek(r, pos);
	(void)ntlm_reader_u8(r, &version_r->major);
	(void)ntlm_reader_u8(r, &version_r->minor);
	(void)ntlm_reader_u16(r, &version_r->build);
	(void)ntlm_reader_skip(r, 3);	/* Reserved */
	(void)ntlm_reader_u8(r, &version_r->revision);
}

int ntlm_decode_negotiate(const uint8_t *data, size_t len,
			  struct ntlm_negotiate *msg_r, const char **error_r)
{
	struct ntlm_negotiate msg;
	struct ntlm_reader r;
	struct ntlm_field_desc descs[2];
	size_t payload_start;

	if (expect_type(data, len, NTLM_MSG_NEGOTIATE, error_r) < 0)
		return -1;
	memset(&msg, 0, sizeof(msg));
	ntlm_reader_init(&r, data, len);
	if (!ntlm_reader_seek(&r, 12) || !ntlm_reader_u32(&r, &msg.flags)) {
		*error_r = "NEGOTIATE too short";
		return -1;
	}
	if (len == 16) {
		/* The oldest clients stop after the flags. */
		*msg_r = msg;
		return 0;
	}
	if (!ntlm_reader_field_desc(&r, 16, &descs[0]) ||
	    !ntlm_reader_field_desc(&r, 24, &descs[1])) {
		*error_r = "NEGOTIATE truncated in its fixed header";
		return -1;
	}
	payload_start = ntlm_reader_payload_start(&r, descs, 2);
	if ((msg.flags & NTLM_FL_OEM_DOMAIN_SUPPLIED) != 0 &&
	    ntlm_reader_resolve_field(&r, &descs[0], NEGOTIATE_DESC_END,
				      &msg.domain, error_r) < 0)
		return -1;
	if ((msg.flags & NTLM_FL_OEM_WORKSTATION_SUPPLIED) != 0 &&
	    ntlm_reader_resolve_field(&r, &descs[1], NEGOTIATE_DESC_END,
				      &msg.workstation, error_r) < 0)
		return -1;
	if ((msg.flags & NTLM_FL_VERSION) != 0 &&
	    payload_start >= NEGOTIATE_VERSION_END) {
		read_version(&r, NEGOTIATE_DESC_END, &msg.version);
		msg.have_version = true;
	}
	if (!ntlm_reader_ok(&r)) {
		*error_r = "NEGOTIATE truncated";
		return -1;
	}
	*msg_r = msg;
	return 0;
}

int ntlm_decode_challenge(const uint8_t *data, size_t len,
			  struct ntlm_challenge *msg_r, const char **error_r)
{
	struct ntlm_challenge msg;
	struct ntlm_reader r;
	struct ntlm_field_desc descs[2];
	struct ntlm_slice chal;
	struct ntlm_av_info info;
	unsigned int ndescs = 1;
	size_t payload_start, header_end = CHALLENGE_OLD_END;

	if (expect_type(data, len, NTLM_MSG_CHALLENGE, error_r) < 0)
		return -1;
	memset(&msg, 0, sizeof(msg));
	ntlm_reader_init(&r, data, len);
	if (!ntlm_reader_field_desc(&r, 12, &descs[0]) ||
	    !ntlm_reader_seek(&r, 20) || !ntlm_reader_u32(&r, &msg.flags) ||
	    !ntlm_reader_bytes(&r, 8, &chal)) {
		*error_r = "CHALLENGE truncated in its fixed header";
		return -1;
	}
	memcpy(msg.server_challenge, chal.data, 8);

	/* Old servers end the header after the challenge (32) or the
	   reserved bytes (40); TargetInfo's descriptor exists when the
	   payload starts at 48 or later, and must exist when the server
	   says NEGOTIATE_TARGET_INFO (then nothing may overlap it). */
	payload_start = ntlm_reader_payload_start(&r, descs, 1);
	if ((payload_start >= CHALLENGE_TARGET_INFO_END ||
	     (msg.flags & NTLM_FL_TARGET_INFO) != 0) &&
	    len >= CHALLENGE_TARGET_INFO_END) {
		if (!ntlm_reader_field_desc(&r, 40, &descs[1])) {
			*error_r = "CHALLENGE truncated in its fixed header";
			return -1;
		}
		ndescs = 2;
		header_end = CHALLENGE_TARGET_INFO_END;
		payload_start = ntlm_reader_payload_start(&r, descs, 2);
	}
	if (ntlm_reader_resolve_field(&r, &descs[0], header_end,
				      &msg.target_name, error_r) < 0)
		return -1;
	if (ndescs == 2) {
		if (ntlm_reader_resolve_field(&r, &descs[1], header_end,
					      &msg.target_info, error_r) < 0)
			return -1;
		if (msg.target_info.len > 0 &&
		    ntlm_av_parse(msg.target_info.data, msg.target_info.len,
				  &info, error_r) < 0)
			return -1;
		if ((msg.flags & NTLM_FL_VERSION) != 0 &&
		    payload_start >= CHALLENGE_VERSION_END) {
			read_version(&r, CHALLENGE_TARGET_INFO_END,
				     &msg.version);
			msg.have_version = true;
		}
	}
	if (!ntlm_reader_ok(&r)) {
		*error_r = "CHALLENGE truncated";
		return -1;
	}
	*msg_r = msg;
	return 0;
}

int ntlm_decode_authenticate(const uint8_t *data, size_t len,
			     struct ntlm_authenticate *msg_r,
			     const char **error_r)
{
	struct ntlm_authenticate msg;
	struct ntlm_reader r;
	struct ntlm_field_desc descs[6];
	struct ntlm_slice *fields[6];
	unsigned int i;

	if (expect_type(data, len, NTLM_MSG_AUTHENTICATE, error_r) < 0)
		return -1;
	memset(&msg, 0, sizeof(msg));
	fields[0] = &msg.lm_response;
	fields[1] = &msg.nt_response;
	fields[2] = &msg.domain;
	fields[3] = &msg.user;
	fields[4] = &msg.workstation;
	fields[5] = &msg.encrypted_session_key;

	ntlm_reader_init(&r, data, len);
	for (i = 0; i < 6; i++)
		(void)ntlm_reader_field_desc(&r, 12 + 8 * i, &descs[i]);
	(void)ntlm_reader_seek(&r, 60);
	(void)ntlm_reader_u32(&r, &msg.flags);
	if (!ntlm_reader_ok(&r)) {
		*error_r = "AUTHENTICATE truncated in its fixed header";
		return -1;
	}
	for (i = 0; i < 6; i++) {
		if (ntlm_reader_resolve_field(&r, &descs[i],
					      NTLM_AUTH_FIXED_LEN,
					      fields[i], error_r) < 0)
			return -1;
	}
	msg.payload_start = ntlm_reader_payload_start(&r, descs, 6);
	if (msg.payload_start >= NTLM_AUTH_MIC_OFFSET) {
		read_version(&r, NTLM_AUTH_VERSION_OFFSET, &msg.version);
		msg.have_version = true;
	}
	if (msg.payload_start >= NTLM_AUTH_MIC_END) {
		(void)ntlm_reader_seek(&r, NTLM_AUTH_MIC_OFFSET);
		(void)ntlm_reader_bytes(&r, 16, &msg.mic);
		msg.have_mic_field = true;
	}
	if (!ntlm_reader_ok(&r)) {
		*error_r = "AUTHENTICATE truncated";
		return -1;
	}
	msg.raw.data = data;
	msg.raw.len = len;
	*msg_r = msg;
	return 0;
}

int ntlm_decode_v2_response(const struct ntlm_slice *nt_response,
			    struct ntlm_v2_response *resp_r,
			    const char **error_r)
{
	struct ntlm_v2_response resp;
	struct ntlm_reader r;
	struct ntlm_slice chal, rest;
	struct ntlm_av_info info;
	uint8_t resp_type, hi_resp_type;

	if (nt_response->len < NTLM_V2_MIN_RESPONSE_LEN) {
		*error_r = "NTLMv2 response too short";
		return -1;
	}
	memset(&resp, 0, sizeof(resp));
	ntlm_reader_init_slice(&r, nt_response);
	(void)ntlm_reader_bytes(&r, 16, &resp.nt_proof);
	resp.blob.data = nt_response->data + 16;
	resp.blob.len = nt_response->len - 16;
	(void)ntlm_reader_u8(&r, &resp_type);
	(void)ntlm_reader_u8(&r, &hi_resp_type);
	(void)ntlm_reader_skip(&r, 6);
	(void)ntlm_reader_u64(&r, &resp.timestamp);
	(void)ntlm_reader_bytes(&r, 8, &chal);
	(void)ntlm_reader_skip(&r, 4);
	if (!ntlm_reader_ok(&r)) {
		*error_r = "NTLMv2 response truncated";
		return -1;
	}
	if (resp_type != 1 || hi_resp_type != 1) {
		*error_r = "NTLMv2 response has an unknown RespType";
		return -1;
	}
	memcpy(resp.client_challenge, chal.data, 8);
	(void)ntlm_reader_bytes(&r, ntlm_reader_remaining(&r), &rest);
	if (ntlm_av_parse(rest.data, rest.len, &info, error_r) < 0)
		return -1;
	resp.av_list = info.raw;
	resp.av_info = info;
	*resp_r = resp;
	return 0;
}

static void write_version(struct ntlm_writer *w, size_t pos,
			  const struct ntlm_version *version)
{
	ntlm_writer_u8_at(w, pos, version->major);
	ntlm_writer_u8_at(w, pos + 1, version->minor);
	ntlm_writer_u16_at(w, pos + 2, version->build);
	ntlm_writer_u8_at(w, pos + 7, version->revision);
}

static void write_header(struct ntlm_writer *w, uint32_t type)
{
	ntlm_writer_bytes_at(w, 0, NTLM_SIGNATURE, NTLM_SIGNATURE_LEN);
	ntlm_writer_u32_at(w, 8, type);
}

int ntlm_encode_negotiate(uint32_t flags, const struct ntlm_slice *domain,
			  const struct ntlm_slice *workstation,
			  const struct ntlm_version *version,
			  uint8_t *buf, size_t size, size_t *len_r,
			  const char **error_r)
{
	struct ntlm_writer w;
	size_t header = version != NULL ? NEGOTIATE_VERSION_END :
		NEGOTIATE_DESC_END;

	ntlm_writer_init(&w, buf, size, header);
	write_header(&w, NTLM_MSG_NEGOTIATE);
	ntlm_writer_u32_at(&w, 12, flags);
	if (version != NULL)
		write_version(&w, NEGOTIATE_DESC_END, version);
	ntlm_writer_field(&w, 16, domain == NULL ? NULL : domain->data,
			  domain == NULL ? 0 : domain->len);
	ntlm_writer_field(&w, 24,
			  workstation == NULL ? NULL : workstation->data,
			  workstation == NULL ? 0 : workstation->len);
	return ntlm_writer_finish(&w, len_r, error_r);
}

int ntlm_encode_challenge(uint32_t flags, const uint8_t server_challenge[8],
			  const struct ntlm_slice *target_name,
			  const struct ntlm_slice *target_info,
			  const struct ntlm_version *version,
			  uint8_t *buf, size_t size, size_t *len_r,
			  const char **error_r)
{
	struct ntlm_writer w;
	size_t header = version != NULL ? CHALLENGE_VERSION_END :
		CHALLENGE_TARGET_INFO_END;

	ntlm_writer_init(&w, buf, size, header);
	write_header(&w, NTLM_MSG_CHALLENGE);
	ntlm_writer_u32_at(&w, 20, flags);
	ntlm_writer_bytes_at(&w, 24, server_challenge, 8);
	if (version != NULL)
		write_version(&w, CHALLENGE_TARGET_INFO_END, version);
	ntlm_writer_field(&w, 12, target_name->data, target_name->len);
	ntlm_writer_field(&w, 40, target_info->data, target_info->len);
	return ntlm_writer_finish(&w, len_r, error_r);
}

int ntlm_encode_authenticate(const struct ntlm_authenticate *msg,
			     const struct ntlm_version *version,
			     bool with_mic, uint8_t *buf, size_t size,
			     size_t *len_r, size_t *mic_offset_r,
			     const char **error_r)
{
	struct ntlm_writer w;
	size_t header = NTLM_AUTH_FIXED_LEN;

	if (with_mic)
		header = NTLM_AUTH_MIC_END;
	else if (version != NULL)
		header = NTLM_AUTH_MIC_OFFSET;
	ntlm_writer_init(&w, buf, size, header);
	write_header(&w, NTLM_MSG_AUTHENTICATE);
	ntlm_writer_u32_at(&w, 60, msg->flags);
	if (version != NULL)
		write_version(&w, NTLM_AUTH_VERSION_OFFSET, version);
	/* Payload in the order Windows uses. */
	ntlm_writer_field(&w, 28, msg->domain.data, msg->domain.len);
	ntlm_writer_field(&w, 36, msg->user.data, msg->user.len);
	ntlm_writer_field(&w, 44, msg->workstation.data,
			  msg->workstation.len);
	ntlm_writer_field(&w, 12, msg->lm_response.data,
			  msg->lm_response.len);
	ntlm_writer_field(&w, 20, msg->nt_response.data,
			  msg->nt_response.len);
	ntlm_writer_field(&w, 52, msg->encrypted_session_key.data,
			  msg->encrypted_session_key.len);
	if (mic_offset_r != NULL)
		*mic_offset_r = with_mic ? NTLM_AUTH_MIC_OFFSET : 0;
	return ntlm_writer_finish(&w, len_r, error_r);
}

/* MS-NLMP 2.2.2.5: one row per defined NegotiateFlags bit. */
static const struct ntlm_name_row flag_rows[] = {
	{ NTLM_FL_UNICODE, "NEGOTIATE_UNICODE" },
	{ NTLM_FL_OEM, "NEGOTIATE_OEM" },
	{ NTLM_FL_REQUEST_TARGET, "REQUEST_TARGET" },
	{ NTLM_FL_SIGN, "NEGOTIATE_SIGN" },
	{ NTLM_FL_SEAL, "NEGOTIATE_SEAL" },
	{ NTLM_FL_DATAGRAM, "NEGOTIATE_DATAGRAM" },
	{ NTLM_FL_LM_KEY, "NEGOTIATE_LM_KEY" },
	{ NTLM_FL_NTLM, "NEGOTIATE_NTLM" },
	{ NTLM_FL_ANONYMOUS, "ANONYMOUS" },
	{ NTLM_FL_OEM_DOMAIN_SUPPLIED, "NEGOTIATE_OEM_DOMAIN_SUPPLIED" },
	{ NTLM_FL_OEM_WORKSTATION_SUPPLIED,
	  "NEGOTIATE_OEM_WORKSTATION_SUPPLIED" },
	{ NTLM_FL_ALWAYS_SIGN, "NEGOTIATE_ALWAYS_SIGN" },
	{ NTLM_FL_TARGET_TYPE_DOMAIN, "TARGET_TYPE_DOMAIN" },
	{ NTLM_FL_TARGET_TYPE_SERVER, "TARGET_TYPE_SERVER" },
	{ NTLM_FL_EXTENDED_SESSIONSECURITY,
	  "NEGOTIATE_EXTENDED_SESSIONSECURITY" },
	{ NTLM_FL_IDENTIFY, "NEGOTIATE_IDENTIFY" },
	{ NTLM_FL_REQUEST_NON_NT_SESSION_KEY, "REQUEST_NON_NT_SESSION_KEY" },
	{ NTLM_FL_TARGET_INFO, "NEGOTIATE_TARGET_INFO" },
	{ NTLM_FL_VERSION, "NEGOTIATE_VERSION" },
	{ NTLM_FL_128, "NEGOTIATE_128" },
	{ NTLM_FL_KEY_EXCH, "NEGOTIATE_KEY_EXCH" },
	{ NTLM_FL_56, "NEGOTIATE_56" },
};

const char *ntlm_flag_name(uint32_t flag)
{
	return ntlm_name_row_find(flag_rows, NTLM_N_ELEMENTS(flag_rows), flag);
}

/* MS-NLMP 2.2.1: the MessageType values. */
static const struct ntlm_name_row msg_type_rows[] = {
	{ NTLM_MSG_NEGOTIATE, "NEGOTIATE_MESSAGE" },
	{ NTLM_MSG_CHALLENGE, "CHALLENGE_MESSAGE" },
	{ NTLM_MSG_AUTHENTICATE, "AUTHENTICATE_MESSAGE" },
};

const char *ntlm_msg_type_name(int type)
{
	if (type < 0)
		return NULL;
	return ntlm_name_row_find(msg_type_rows,
				  NTLM_N_ELEMENTS(msg_type_rows),
				  (uint32_t)type);
}
