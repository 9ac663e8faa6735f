#ifndef NTLM_MSG_H
#define NTLM_MSG_H

/* Decoders and encoders for the three NTLM messages (MS-NLMP 2.2.1).

   Decoders never allocate: the decoded structs hold slices into the
   caller's buffer, which must outlive them. Header sizes are never
   assumed: optional VERSION and MIC fields are present only when the
   lowest payload offset leaves room for them. Decoders check framing and
   bounds only; what the values mean is up to ntlm-server and
   ntlm-client. On failure they return -1 with a static *error_r and
   leave the output untouched. */

#include "ntlm-common.h"
#include "ntlm-avpair.h"

/* MS-NLMP 2.2.2.10 VERSION. */
struct ntlm_version {
	uint8_t major;
	uint8_t minor;
	uint16_t build;
	uint8_t revision;
};

struct ntlm_negotiate {
	uint32_t flags;
	/* OEM strings; set only when the matching *_SUPPLIED flag is. */
	struct ntlm_slice domain;
	struct ntlm_slice workstation;
	bool have_version;
	struct ntlm_version version;
};

struct ntlm_challenge {
	uint32_t flags;
	uint8_t server_challenge[8];
	/* Unicode or OEM, per flags. */
	struct ntlm_slice target_name;
	/* Raw AV_PAIR list (validated: see ntlm-avpair.h). */
	struct ntlm_slice target_info;
	bool have_version;
	struct ntlm_version version;
};

struct ntlm_authenticate {
	/* The whole message, for MIC computation. */
	struct ntlm_slice raw;
	uint32_t flags;
	struct ntlm_slice lm_response;
	struct ntlm_slice nt_response;
	/* Unicode or OEM strings, as the negotiated flags say. */
	struct ntlm_slice domain;
	struct ntlm_slice user;
	struct ntlm_slice workstation;
	struct ntlm_slice encrypted_session_key;
	/* Where the payload starts (64, 72, 88 ... in real clients). */
	size_t payload_start;
	bool have_version;
	struct ntlm_version version;
	/* The 16 bytes at offset 72 when the header is long enough to hold
	   a MIC. Whether it is one is said by MsvAvFlags. */
	bool have_mic_field;
	struct ntlm_slice mic;
};

/* MS-NLMP 2.2.2.7: the parsed NTLMv2 response. */
struct ntlm_v2_response {
	struct ntlm_slice nt_proof;	/* 16 bytes */
	struct ntlm_slice blob;		/* the client challenge, from RespType */
	uint64_t timestamp;
	uint8_t client_challenge[8];
	struct ntlm_slice av_list;	/* AV pairs up to and including EOL */
	struct ntlm_av_info av_info;	/* the same, parsed */
};

/* Identify a message: returns its MessageType (1..3), or -1 if the data
   is too short, too long (over NTLM_MAX_MESSAGE_SIZE) or has no
   NTLMSSP signature. */
int ntlm_msg_type(const uint8_t *data, size_t len, const char **error_r);

int ntlm_decode_negotiate(const uint8_t *data, size_t len,
			  struct ntlm_negotiate *msg_r, const char **error_r);
int ntlm_decode_challenge(const uint8_t *data, size_t len,
			  struct ntlm_challenge *msg_r, const char **error_r);
int ntlm_decode_authenticate(const uint8_t *data, size_t len,
			     struct ntlm_authenticate *msg_r,
			     const char **error_r);
/* Parse an NT response longer than 24 bytes as NTLMv2, validating its
   AV pairs. */
int ntlm_decode_v2_response(const struct ntlm_slice *nt_response,
			    struct ntlm_v2_response *resp_r,
			    const char **error_r);

/* Encoders write into buf[0..size) and return 0 with the length, or -1
   if it does not fit. Strings are already in their wire encoding. */
int ntlm_encode_negotiate(uint32_t flags, const struct ntlm_slice *domain,
			  const struct ntlm_slice *workstation,
			  const struct ntlm_version *version,
			  uint8_t *buf, size_t size, size_t *len_r,
			  const char **error_r);
/* target_info is a complete AV pair list; version may be NULL. */
int ntlm_encode_challenge(uint32_t flags, const uint8_t server_challenge[8],
			  const struct ntlm_slice *target_name,
			  const struct ntlm_slice *target_info,
			  const struct ntlm_version *version,
			  uint8_t *buf, size_t size, size_t *len_r,
			  const char **error_r);
/* msg->raw, payload_start and have_mic_field are ignored; a MIC field is
   written (zeroed) when with_mic is true, and its offset returned in
   *mic_offset_r (may be NULL). version may be NULL. */
int ntlm_encode_authenticate(const struct ntlm_authenticate *msg,
			     const struct ntlm_version *version,
			     bool with_mic, uint8_t *buf, size_t size,
			     size_t *len_r, size_t *mic_offset_r,
			     const char **error_r);

/* Name of one flag bit ("NEGOTIATE_UNICODE"), or NULL if unknown. */
const char *ntlm_flag_name(uint32_t flag);
/* Name of a MessageType ("CHALLENGE_MESSAGE"), or NULL if unknown. */
const char *ntlm_msg_type_name(int type);

#endif
