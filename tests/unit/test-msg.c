/* ntlm-msg.c: the three messages as real clients and the specs send them
   ([MS-OXPOP3] 4.1, [MS-NLMP] 4.2), encode/decode round trips, optional
   header fields, and one table row per known parsing bug class. */

#include "test-common.h"
#include "vectors.h"
#include "ntlm-avpair.h"
#include "ntlm-msg.h"
#include "ntlm-writer.h"

#include <stdio.h>
#include <string.h>

/* The slice holds str in UTF-16LE. */
static bool slice_is_utf16(const struct ntlm_slice *s, const char *str)
{
	uint8_t buf[512];
	size_t len = test_ascii_utf16(str, buf, sizeof(buf));

	return s->len == len && (len == 0 || memcmp(s->data, buf, len) == 0);
}

static bool slice_is(const struct ntlm_slice *s, const char *str)
{
	size_t len = strlen(str);

	return s->len == len && (len == 0 || memcmp(s->data, str, len) == 0);
}

static void test_msg_oxpop3_negotiate(void)
{
	uint8_t buf[128];
	struct ntlm_negotiate neg;
	const char *error = NULL;
	size_t len;

	len = test_base64(OXPOP3_NEGOTIATE_B64, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 40);
	CU_ASSERT_EQUAL(ntlm_msg_type(buf, len, &error), NTLM_MSG_NEGOTIATE);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(neg.flags, OXPOP3_NEGOTIATE_FLAGS);
	CU_ASSERT_EQUAL(neg.domain.len, 0);
	CU_ASSERT_EQUAL(neg.workstation.len, 0);
	CU_ASSERT_TRUE_FATAL(neg.have_version);
	CU_ASSERT_EQUAL(neg.version.major, 5);
	CU_ASSERT_EQUAL(neg.version.minor, 1);
	CU_ASSERT_EQUAL(neg.version.build, 2600);
	CU_ASSERT_EQUAL(neg.version.revision, 15);
}

static void test_msg_oxpop3_challenge(void)
{
	uint8_t buf[256];
	struct ntlm_challenge chal;
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len;

	len = test_base64(OXPOP3_CHALLENGE_B64, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 176);
	CU_ASSERT_EQUAL(ntlm_msg_type(buf, len, &error), NTLM_MSG_CHALLENGE);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_EQUAL(chal.flags, OXPOP3_CHALLENGE_FLAGS);
	TEST_ASSERT_HEX(chal.server_challenge, 8, OXPOP3_SERVER_CHALLENGE);
	CU_ASSERT_TRUE(slice_is_utf16(&chal.target_name, "TESTSERVER"));
	CU_ASSERT_PTR_EQUAL(chal.target_name.data, buf + 0x38);
	CU_ASSERT_EQUAL_FATAL(chal.target_info.len, 100);
	CU_ASSERT_PTR_EQUAL(chal.target_info.data, buf + 0x4c);
	CU_ASSERT_TRUE_FATAL(chal.have_version);
	CU_ASSERT_EQUAL(chal.version.major, 5);
	CU_ASSERT_EQUAL(chal.version.minor, 2);
	CU_ASSERT_EQUAL(chal.version.build, 3790);
	CU_ASSERT_EQUAL(chal.version.revision, 15);

	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(chal.target_info.data,
					    chal.target_info.len, &info,
					    &error), 0);
	CU_ASSERT_EQUAL(info.count, 5);
	CU_ASSERT_EQUAL(info.raw.len, 100);
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_domain, "TESTSERVER"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, "TESTSERVER"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_domain, "TestServer"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.dns_computer, "TestServer"));
	CU_ASSERT_EQUAL(info.dns_tree.len, 0);
	CU_ASSERT_FALSE(info.have_timestamp);
	CU_ASSERT_FALSE(info.have_flags);
}

static void test_msg_oxpop3_authenticate(void)
{
	uint8_t buf[256];
	struct ntlm_authenticate auth;
	const char *error = NULL;
	size_t len;

	len = test_base64(OXPOP3_AUTHENTICATE_B64, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 146);
	CU_ASSERT_EQUAL(ntlm_msg_type(buf, len, &error),
			NTLM_MSG_AUTHENTICATE);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(buf, len, &auth,
						       &error), 0);
	CU_ASSERT_PTR_EQUAL(auth.raw.data, buf);
	CU_ASSERT_EQUAL(auth.raw.len, 146);
	CU_ASSERT_EQUAL(auth.flags, OXPOP3_AUTHENTICATE_FLAGS);
	CU_ASSERT_EQUAL(auth.domain.len, 0);
	CU_ASSERT_TRUE(slice_is_utf16(&auth.user, "user"));
	CU_ASSERT_TRUE(slice_is_utf16(&auth.workstation, "NF-CLIENT"));
	CU_ASSERT_EQUAL_FATAL(auth.lm_response.len, 24);
	CU_ASSERT_EQUAL_FATAL(auth.nt_response.len, 24);
	CU_ASSERT_PTR_EQUAL(auth.lm_response.data, buf + 0x62);
	CU_ASSERT_PTR_EQUAL(auth.nt_response.data, buf + 0x7a);
	TEST_ASSERT_HEX(auth.lm_response.data, 24, OXPOP3_LM_RESPONSE);
	TEST_ASSERT_HEX(auth.nt_response.data, 24, OXPOP3_NT_RESPONSE);
	CU_ASSERT_EQUAL(auth.encrypted_session_key.len, 0);
	CU_ASSERT_EQUAL(auth.payload_start, 72);
	CU_ASSERT_TRUE_FATAL(auth.have_version);
	CU_ASSERT_EQUAL(auth.version.major, 5);
	CU_ASSERT_EQUAL(auth.version.minor, 1);
	CU_ASSERT_EQUAL(auth.version.build, 2600);
	CU_ASSERT_EQUAL(auth.version.revision, 15);
	CU_ASSERT_FALSE(auth.have_mic_field);
	CU_ASSERT_EQUAL(auth.mic.len, 0);
}

static void test_msg_nlmp_challenges(void)
{
	uint8_t buf[256];
	struct ntlm_challenge chal;
	const char *error = NULL;
	size_t len;

	/* 4.2.2.3: no TargetInfo (empty descriptor), VERSION 6.0.6000 */
	len = test_hex(NLMP_CHALLENGE_V1, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_EQUAL(chal.flags, NLMP_CHALLENGE_V1_FLAGS);
	TEST_ASSERT_HEX(chal.server_challenge, 8, NLMP_SERVER_CHALLENGE);
	CU_ASSERT_TRUE(slice_is_utf16(&chal.target_name, NLMP_SERVER_NAME));
	CU_ASSERT_EQUAL(chal.target_info.len, 0);
	CU_ASSERT_TRUE_FATAL(chal.have_version);
	CU_ASSERT_EQUAL(chal.version.major, 6);
	CU_ASSERT_EQUAL(chal.version.minor, 0);
	CU_ASSERT_EQUAL(chal.version.build, 6000);
	CU_ASSERT_EQUAL(chal.version.revision, 15);

	/* 4.2.4.3: TargetInfo with NbDomain, NbComputer, EOL */
	len = test_hex(NLMP_CHALLENGE_V2, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 104);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_EQUAL(chal.flags, NLMP_CHALLENGE_V2_FLAGS);
	TEST_ASSERT_HEX(chal.server_challenge, 8, NLMP_SERVER_CHALLENGE);
	CU_ASSERT_TRUE(slice_is_utf16(&chal.target_name, NLMP_SERVER_NAME));
	TEST_ASSERT_HEX(chal.target_info.data, chal.target_info.len,
			NLMP_V2_TARGET_INFO);
	CU_ASSERT_TRUE(chal.have_version);

	/* The 32-byte header of old servers (Chromium's minimal
	   CHALLENGE): no TargetInfo descriptor, no VERSION. */
	len = test_hex("4e544c4d53535000 02000000 0000000020000000"
		       "07820800 0123456789abcdef", buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 32);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_EQUAL(chal.flags, 0x00088207);
	CU_ASSERT_EQUAL(chal.target_name.len, 0);
	CU_ASSERT_EQUAL(chal.target_info.len, 0);
	CU_ASSERT_FALSE(chal.have_version);
}

static void test_msg_negotiate_sizes(void)
{
	uint8_t buf[128];
	struct ntlm_negotiate neg;
	const char *error = NULL;
	size_t len, i;

	/* 40 bytes with VERSION: see the [MS-OXPOP3] test. 32 bytes:
	   Chromium's NEGOTIATE, two empty descriptors, no VERSION. */
	len = test_hex(CHROMIUM_NEGOTIATE, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, 32);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(neg.flags, CHROMIUM_NEGOTIATE_FLAGS);
	CU_ASSERT_EQUAL(neg.domain.len, 0);
	CU_ASSERT_EQUAL(neg.workstation.len, 0);
	CU_ASSERT_FALSE(neg.have_version);

	/* 16 bytes: the flags and nothing else, even with the VERSION
	   flag set there is no VERSION to read. */
	len = test_base64(OXPOP3_NEGOTIATE_B64, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, 16, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(neg.flags, OXPOP3_NEGOTIATE_FLAGS);
	CU_ASSERT_EQUAL(neg.domain.len, 0);
	CU_ASSERT_EQUAL(neg.workstation.len, 0);
	CU_ASSERT_FALSE(neg.have_version);

	/* Anything shorter than 16, or cut inside the descriptors, is
	   refused. */
	for (i = 0; i < 16; i++)
		CU_ASSERT_EQUAL(ntlm_decode_negotiate(buf, i, &neg, &error),
				-1);
	for (i = 17; i < 32; i++)
		CU_ASSERT_EQUAL(ntlm_decode_negotiate(buf, i, &neg, &error),
				-1);
	/* 32..39 bytes with the VERSION flag: no VERSION. */
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, 32, &neg, &error),
			      0);
	CU_ASSERT_FALSE(neg.have_version);
}

static const struct ntlm_version test_version = {
	.major = 10, .minor = 0, .build = 19041, .revision = 15,
};

static void test_msg_negotiate_roundtrip(void)
{
	uint8_t buf[128];
	struct ntlm_negotiate neg;
	struct ntlm_slice domain, ws;
	const char *error = NULL;
	uint32_t flags;
	size_t len;

	flags = NTLM_FL_UNICODE | NTLM_FL_OEM | NTLM_FL_NTLM |
		NTLM_FL_OEM_DOMAIN_SUPPLIED |
		NTLM_FL_OEM_WORKSTATION_SUPPLIED | NTLM_FL_VERSION;
	domain.data = (const uint8_t *)"EXAMPLE";
	domain.len = 7;
	ws.data = (const uint8_t *)"HOST1";
	ws.len = 5;
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(flags, &domain, &ws,
						    &test_version, buf,
						    sizeof(buf), &len,
						    &error), 0);
	CU_ASSERT_EQUAL(len, 40 + 7 + 5);
	CU_ASSERT_EQUAL(ntlm_msg_type(buf, len, &error), NTLM_MSG_NEGOTIATE);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(neg.flags, flags);
	CU_ASSERT_TRUE(slice_is(&neg.domain, "EXAMPLE"));
	CU_ASSERT_TRUE(slice_is(&neg.workstation, "HOST1"));
	CU_ASSERT_TRUE_FATAL(neg.have_version);
	CU_ASSERT_EQUAL(neg.version.major, 10);
	CU_ASSERT_EQUAL(neg.version.minor, 0);
	CU_ASSERT_EQUAL(neg.version.build, 19041);
	CU_ASSERT_EQUAL(neg.version.revision, 15);

	/* Without the *_SUPPLIED flags the strings are not reported. */
	flags &= ~(NTLM_FL_OEM_DOMAIN_SUPPLIED |
		   NTLM_FL_OEM_WORKSTATION_SUPPLIED);
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_negotiate(flags, &domain, &ws,
						    NULL, buf, sizeof(buf),
						    &len, &error), 0);
	CU_ASSERT_EQUAL(len, 32 + 7 + 5);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_negotiate(buf, len, &neg, &error),
			      0);
	CU_ASSERT_EQUAL(neg.domain.len, 0);
	CU_ASSERT_EQUAL(neg.workstation.len, 0);
	CU_ASSERT_FALSE(neg.have_version);

	/* Too small a buffer fails. */
	CU_ASSERT_EQUAL(ntlm_encode_negotiate(flags, &domain, &ws, NULL, buf,
					      40, &len, &error), -1);
}

static void test_msg_challenge_roundtrip(void)
{
	uint8_t buf[512], name[64], info[128], chal8[8];
	struct ntlm_slice name_s, info_s;
	struct ntlm_challenge chal;
	const char *error = NULL;
	uint32_t flags;
	size_t len;

	flags = NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_TARGET_INFO |
		NTLM_FL_TARGET_TYPE_DOMAIN | NTLM_FL_VERSION;
	CU_ASSERT_EQUAL_FATAL(test_hex("0011223344556677", chal8, 8), 8);
	name_s.data = name;
	name_s.len = test_ascii_utf16("EXAMPLE", name, sizeof(name));
	info_s.data = info;
	info_s.len = test_hex(NLMP_V2_TARGET_INFO, info, sizeof(info));

	CU_ASSERT_EQUAL_FATAL(ntlm_encode_challenge(flags, chal8, &name_s,
						    &info_s, &test_version,
						    buf, sizeof(buf), &len,
						    &error), 0);
	CU_ASSERT_EQUAL(len, 56 + name_s.len + info_s.len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_EQUAL(chal.flags, flags);
	TEST_ASSERT_HEX(chal.server_challenge, 8, "0011223344556677");
	CU_ASSERT_TRUE(slice_is_utf16(&chal.target_name, "EXAMPLE"));
	TEST_ASSERT_HEX(chal.target_info.data, chal.target_info.len,
			NLMP_V2_TARGET_INFO);
	CU_ASSERT_TRUE_FATAL(chal.have_version);
	CU_ASSERT_EQUAL(chal.version.build, 19041);

	/* Without a VERSION: 48-byte header. */
	CU_ASSERT_EQUAL_FATAL(ntlm_encode_challenge(flags, chal8, &name_s,
						    &info_s, NULL, buf,
						    sizeof(buf), &len,
						    &error), 0);
	CU_ASSERT_EQUAL(len, 48 + name_s.len + info_s.len);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_challenge(buf, len, &chal, &error),
			      0);
	CU_ASSERT_FALSE(chal.have_version);
	TEST_ASSERT_HEX(chal.target_info.data, chal.target_info.len,
			NLMP_V2_TARGET_INFO);

	CU_ASSERT_EQUAL(ntlm_encode_challenge(flags, chal8, &name_s, &info_s,
					      NULL, buf, 60, &len, &error),
			-1);
}

/* AUTHENTICATE header sizes: 64 (nothing optional), 72 (VERSION), 88
   (VERSION and MIC). The MIC field exists only when the payload starts
   at 88 or later. */
static void test_msg_authenticate_headers(void)
{
	static const struct {
		bool version;
		bool with_mic;
		size_t payload_start;
	} cases[] = {
		{ false, false, 64 },
		{ true, false, 72 },
		{ true, true, 88 },
		{ false, true, 88 },
	};
	uint8_t lm[24], nt[60], user[32], domain[32], ws[32];
	uint8_t buf[512];
	struct ntlm_authenticate in, out;
	const char *error = NULL;
	size_t len, mic_offset;
	unsigned int i;

	memset(lm, 0x11, sizeof(lm));
	memset(nt, 0x22, sizeof(nt));
	memset(&in, 0, sizeof(in));
	in.flags = NTLM_FL_UNICODE | NTLM_FL_NTLM | NTLM_FL_VERSION;
	in.lm_response.data = lm;
	in.lm_response.len = sizeof(lm);
	in.nt_response.data = nt;
	in.nt_response.len = sizeof(nt);
	in.user.data = user;
	in.user.len = test_ascii_utf16("someone", user, sizeof(user));
	in.domain.data = domain;
	in.domain.len = test_ascii_utf16("EXAMPLE", domain, sizeof(domain));
	in.workstation.data = ws;
	in.workstation.len = test_ascii_utf16("WS", ws, sizeof(ws));

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mic_offset = 12345;
		CU_ASSERT_EQUAL_FATAL(
			ntlm_encode_authenticate(&in,
				cases[i].version ? &test_version : NULL,
				cases[i].with_mic, buf, sizeof(buf), &len,
				&mic_offset, &error), 0);
		CU_ASSERT_EQUAL(len, cases[i].payload_start + 24 + 60 +
				14 + 14 + 4);
		if (cases[i].with_mic)
			CU_ASSERT_EQUAL(mic_offset, 72);
		CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(buf, len, &out,
							       &error), 0);
		CU_ASSERT_EQUAL(out.payload_start, cases[i].payload_start);
		CU_ASSERT_EQUAL(out.have_mic_field, cases[i].with_mic);
		CU_ASSERT_EQUAL(out.have_version,
				cases[i].payload_start >= 72);
		if (cases[i].version && out.have_version) {
			CU_ASSERT_EQUAL(out.version.major, 10);
			CU_ASSERT_EQUAL(out.version.build, 19041);
			CU_ASSERT_EQUAL(out.version.revision, 15);
		}
		if (cases[i].with_mic && out.have_mic_field) {
			CU_ASSERT_EQUAL_FATAL(out.mic.len, 16);
			CU_ASSERT_PTR_EQUAL(out.mic.data, buf + 72);
			TEST_ASSERT_HEX(out.mic.data, 16,
					"00000000000000000000000000000000");
		}
		CU_ASSERT_EQUAL(out.flags, in.flags);
		CU_ASSERT_EQUAL(out.lm_response.len, 24);
		CU_ASSERT_EQUAL(out.nt_response.len, 60);
		CU_ASSERT_TRUE(slice_is_utf16(&out.user, "someone"));
		CU_ASSERT_TRUE(slice_is_utf16(&out.domain, "EXAMPLE"));
		CU_ASSERT_TRUE(slice_is_utf16(&out.workstation, "WS"));
		CU_ASSERT_EQUAL(out.encrypted_session_key.len, 0);
		if (out.lm_response.len == 24)
			CU_ASSERT_EQUAL(memcmp(out.lm_response.data, lm, 24),
					0);
		if (out.nt_response.len == 60)
			CU_ASSERT_EQUAL(memcmp(out.nt_response.data, nt, 60),
					0);
	}

	/* Payload at 87: room for a VERSION but not for a whole MIC. */
	{
		struct ntlm_writer w;

		ntlm_writer_init(&w, buf, sizeof(buf), 87);
		ntlm_writer_bytes_at(&w, 0, NTLM_SIGNATURE, 8);
		ntlm_writer_u32_at(&w, 8, NTLM_MSG_AUTHENTICATE);
		ntlm_writer_u32_at(&w, 60, NTLM_FL_UNICODE);
		ntlm_writer_field(&w, 36, user, 14);
		ntlm_writer_field(&w, 20, nt, 24);
		CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
		CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(buf, len, &out,
							       &error), 0);
		CU_ASSERT_EQUAL(out.payload_start, 87);
		CU_ASSERT_TRUE(out.have_version);
		CU_ASSERT_FALSE(out.have_mic_field);
	}

	/* The Chromium message: zero VERSION, MIC at 72. */
	len = test_hex(CHROMIUM_AUTHENTICATE, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(buf, len, &out,
						       &error), 0);
	CU_ASSERT_EQUAL(out.payload_start, 88);
	CU_ASSERT_TRUE_FATAL(out.have_mic_field);
	TEST_ASSERT_HEX(out.mic.data, out.mic.len, CHROMIUM_MIC);
	CU_ASSERT_TRUE(slice_is_utf16(&out.domain, NLMP_USER_DOM));
	CU_ASSERT_TRUE(slice_is_utf16(&out.user, NLMP_USER));
	CU_ASSERT_TRUE(slice_is_utf16(&out.workstation, NLMP_WORKSTATION));
	TEST_ASSERT_HEX(out.lm_response.data, out.lm_response.len,
			"000000000000000000000000000000000000000000000000");

	/* A buffer too small for the header fails. */
	CU_ASSERT_EQUAL(ntlm_encode_authenticate(&in, NULL, true, buf, 80,
						 &len, NULL, &error), -1);
}

static void test_msg_v2_response(void)
{
	uint8_t buf[512];
	struct ntlm_authenticate auth;
	struct ntlm_v2_response v2;
	struct ntlm_av_info info;
	struct ntlm_slice nt;
	const char *error = NULL;
	size_t len, i;

	len = test_hex(CHROMIUM_AUTHENTICATE, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_authenticate(buf, len, &auth,
						       &error), 0);
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&auth.nt_response, &v2,
						      &error), 0);
	TEST_ASSERT_HEX(v2.nt_proof.data, v2.nt_proof.len, CHROMIUM_V2_PROOF);
	CU_ASSERT_EQUAL(v2.timestamp, CHROMIUM_CLIENT_TIMESTAMP);
	TEST_ASSERT_HEX(v2.client_challenge, 8, NLMP_CLIENT_CHALLENGE);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(v2.av_list.data, v2.av_list.len,
					    &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 6);
	CU_ASSERT_TRUE(info.have_flags);
	CU_ASSERT_EQUAL(info.flags, NTLM_AV_FLAG_MIC_PRESENT);
	TEST_ASSERT_HEX(info.channel_bindings.data, info.channel_bindings.len,
			CHROMIUM_CHANNEL_BINDINGS_HASH);
	CU_ASSERT_TRUE(slice_is_utf16(&info.target_name, "HTTP/Server"));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_domain, NLMP_USER_DOM));
	CU_ASSERT_TRUE(slice_is_utf16(&info.nb_computer, NLMP_SERVER_NAME));

	/* The 4.2.4.1.3 temp behind an NTProofStr. */
	memset(buf, 0, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(test_hex(NLMP_NTPROOFSTR, buf, 16), 16);
	len = 16 + test_hex(NLMP_V2_TEMP, buf + 16, sizeof(buf) - 16);
	nt.data = buf;
	nt.len = len;
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&nt, &v2, &error), 0);
	CU_ASSERT_EQUAL(v2.timestamp, 0);
	CU_ASSERT_EQUAL(v2.blob.len, 68);
	TEST_ASSERT_HEX(v2.av_list.data, v2.av_list.len, NLMP_V2_TARGET_INFO);

	/* Every length from 0 to 47 is too short for an NTLMv2 response;
	   48 (the minimum: proof, 28-byte header, EOL) is fine. */
	for (i = 0; i < NTLM_V2_MIN_RESPONSE_LEN; i++) {
		nt.len = i;
		memset(&v2, 0x5a, sizeof(v2));
		CU_ASSERT_EQUAL(ntlm_decode_v2_response(&nt, &v2, &error), -1);
	}
	memset(buf + 16 + 28, 0, 4);
	nt.len = NTLM_V2_MIN_RESPONSE_LEN;
	CU_ASSERT_EQUAL_FATAL(ntlm_decode_v2_response(&nt, &v2, &error), 0);
	CU_ASSERT_EQUAL(v2.av_list.len, 4);
}

/* Malformed messages: each row takes a valid message and changes exactly
   one thing. */
enum base_msg {
	BASE_NEGOTIATE,		/* [MS-OXPOP3] 4.1, 40 bytes */
	BASE_NEGOTIATE_OEM,	/* encoded: OEM "DOM" at 40, "WS" at 43 */
	BASE_CHALLENGE,		/* [MS-NLMP] 4.2.4.3, 104 bytes */
	BASE_AUTH,		/* [MS-OXPOP3] 4.1, 146 bytes */
	BASE_AUTH_V2,		/* Chromium, 286 bytes, NTLMv2 at 112 */
};

enum outcome {
	/* the message is fine */
	PASS,
	/* ntlm_msg_type() refuses it */
	FAIL_TYPE,
	/* ntlm_msg_type() accepts, the decoder refuses */
	FAIL_DECODE,
	/* the AUTHENTICATE decodes, its NTLMv2 response does not */
	FAIL_V2,
};

struct malformed_case {
	const char *name;
	enum base_msg base;
	/* patch bytes at offset (hex; NULL: none) */
	size_t offset;
	const char *patch;
	/* new message length (0: unchanged; longer: zero-padded) */
	size_t len;
	enum outcome outcome;
};

#define MAX_PLUS_1 (NTLM_MAX_MESSAGE_SIZE + 1)

static const struct malformed_case malformed_cases[] = {
	/* --- framing, any message --- */
	{ "valid AUTHENTICATE", BASE_AUTH, 0, NULL, 0, PASS },
	{ "truncated header: 11 bytes, no type", BASE_AUTH, 0, NULL, 11,
	  FAIL_TYPE },
	{ "truncated fixed header (40 of 64 bytes)", BASE_AUTH, 0, NULL, 40,
	  FAIL_DECODE },
	{ "truncated: last payload byte missing", BASE_AUTH, 0, NULL, 145,
	  FAIL_DECODE },
	{ "wrong signature", BASE_AUTH, 0, "4f", 0, FAIL_TYPE },
	{ "signature without its NUL", BASE_AUTH, 7, "20", 0, FAIL_TYPE },
	{ "wrong type (CHALLENGE for AUTHENTICATE)", BASE_AUTH, 8, "02", 0,
	  FAIL_DECODE },
	{ "unknown type 4", BASE_AUTH, 8, "04", 0, FAIL_TYPE },
	{ "type 0x103 (high bytes set)", BASE_AUTH, 9, "01", 0, FAIL_TYPE },
	{ "padded to the maximum size", BASE_AUTH, 0, NULL,
	  NTLM_MAX_MESSAGE_SIZE, PASS },
	{ "oversized message (max + 1)", BASE_AUTH, 0, NULL, MAX_PLUS_1,
	  FAIL_TYPE },

	/* --- security buffers --- */
	{ "CVE-2023-25563: NT offset + Len wraps 32 bits", BASE_AUTH,
	  24, "f0ffffff", 0, FAIL_DECODE },
	{ "CVE-2023-25563: user offset 0xffffffff", BASE_AUTH,
	  40, "ffffffff", 0, FAIL_DECODE },
	{ "CVE-2020-12673: Len > MaxLen, one byte past the end", BASE_AUTH,
	  20, "1900", 0, FAIL_DECODE },
	{ "CVE-2020-12673: Len 0xffff, MaxLen small", BASE_AUTH,
	  20, "ffff", 0, FAIL_DECODE },
	{ "MaxLen is ignored: 0", BASE_AUTH, 22, "0000", 0, PASS },
	{ "MaxLen is ignored: larger than the message", BASE_AUTH,
	  22, "ffff", 0, PASS },
	{ "field overlaps the fixed header (user at 32)", BASE_AUTH,
	  40, "20000000", 0, FAIL_DECODE },
	{ "field overlaps the fixed header (NT at 0)", BASE_AUTH,
	  24, "00000000", 0, FAIL_DECODE },
	{ "field starts past the end", BASE_AUTH, 48, "93000000", 0,
	  FAIL_DECODE },
	{ "empty field with a wild offset is fine", BASE_AUTH,
	  56, "ffffffff", 0, PASS },
	{ "empty field pointing into the header is fine", BASE_AUTH,
	  32, "10000000", 0, PASS },

	/* --- NTLMv2 response (NT field at 112 of the Chromium message) --- */
	{ "valid NTLMv2 AUTHENTICATE", BASE_AUTH_V2, 0, NULL, 0, PASS },
	{ "NTLMv2 response of 25 bytes", BASE_AUTH_V2, 20, "1900", 0,
	  FAIL_V2 },
	{ "NTLMv2 response of 32 bytes", BASE_AUTH_V2, 20, "2000", 0,
	  FAIL_V2 },
	{ "NTLMv2 response of 47 bytes", BASE_AUTH_V2, 20, "2f00", 0,
	  FAIL_V2 },
	{ "NTLMv2 response of 48 bytes, AV list cut", BASE_AUTH_V2,
	  20, "3000", 0, FAIL_V2 },
	{ "bad RespType", BASE_AUTH_V2, 128, "02", 0, FAIL_V2 },
	{ "bad HiRespType", BASE_AUTH_V2, 129, "00", 0, FAIL_V2 },
	{ "AV list without EOL in the blob", BASE_AUTH_V2, 242, "ff000400",
	  0, FAIL_V2 },
	{ "MsvAvEOL with a non-zero length", BASE_AUTH_V2, 244, "0400", 0,
	  FAIL_V2 },
	{ "GHSL-2023-011: AV length past the blob", BASE_AUTH_V2,
	  218, "ff00", 0, FAIL_V2 },
	{ "GHSL-2023-011: MsvAvTimestamp of 4 bytes", BASE_AUTH_V2,
	  188, "0700", 0, FAIL_V2 },
	{ "GHSL-2023-011: MsvAvFlags of 24 bytes", BASE_AUTH_V2,
	  190, "1800", 0, FAIL_V2 },
	{ "GHSL-2023-011: MsvAvChannelBindings of 42 bytes", BASE_AUTH_V2,
	  198, "2a00", 0, FAIL_V2 },
	{ "duplicate MsvAvNbDomainName", BASE_AUTH_V2, 172, "02", 0,
	  FAIL_V2 },

	/* --- CHALLENGE ([MS-NLMP] 4.2.4.3) --- */
	{ "valid CHALLENGE", BASE_CHALLENGE, 0, NULL, 0, PASS },
	{ "TargetInfo without MsvAvEOL", BASE_CHALLENGE, 40, "2000", 0,
	  FAIL_DECODE },
	{ "GHSL-2023-011: AV length past TargetInfo", BASE_CHALLENGE,
	  86, "1000", 0, FAIL_DECODE },
	{ "TargetInfo Len past the end", BASE_CHALLENGE, 40, "2500", 0,
	  FAIL_DECODE },
	{ "CVE-2023-25563: TargetInfo offset wraps", BASE_CHALLENGE,
	  44, "fcffffff", 0, FAIL_DECODE },
	{ "TargetName overlaps the fixed header", BASE_CHALLENGE,
	  16, "18000000", 0, FAIL_DECODE },
	{ "TargetInfo overlaps the fixed header", BASE_CHALLENGE,
	  44, "28000000", 0, FAIL_DECODE },
	{ "wrong type (NEGOTIATE for CHALLENGE)", BASE_CHALLENGE,
	  8, "01", 0, FAIL_DECODE },
	{ "CHALLENGE truncated to 24 bytes", BASE_CHALLENGE, 0, NULL, 24,
	  FAIL_DECODE },
	{ "oversized CHALLENGE", BASE_CHALLENGE, 0, NULL, MAX_PLUS_1,
	  FAIL_TYPE },

	/* --- NEGOTIATE --- */
	{ "valid NEGOTIATE", BASE_NEGOTIATE, 0, NULL, 0, PASS },
	{ "NEGOTIATE of 15 bytes", BASE_NEGOTIATE, 0, NULL, 15,
	  FAIL_DECODE },
	{ "NEGOTIATE cut inside the descriptors", BASE_NEGOTIATE, 0, NULL,
	  24, FAIL_DECODE },
	{ "NEGOTIATE wrong signature", BASE_NEGOTIATE, 1, "55", 0,
	  FAIL_TYPE },
	{ "wrong type (AUTHENTICATE for NEGOTIATE)", BASE_NEGOTIATE,
	  8, "03", 0, FAIL_DECODE },
	{ "valid OEM NEGOTIATE", BASE_NEGOTIATE_OEM, 0, NULL, 0, PASS },
	{ "OEM domain past the end", BASE_NEGOTIATE_OEM, 16, "0600", 0,
	  FAIL_DECODE },
	{ "OEM workstation offset wraps", BASE_NEGOTIATE_OEM,
	  28, "ffffffff", 0, FAIL_DECODE },
	{ "OEM domain overlaps the fixed header", BASE_NEGOTIATE_OEM,
	  20, "10000000", 0, FAIL_DECODE },
};

static uint8_t malformed_buf[NTLM_MAX_MESSAGE_SIZE + 64];

static size_t base_message(enum base_msg base, uint8_t *buf, size_t size)
{
	static const struct ntlm_version version = {
		.major = 6, .minor = 1, .build = 7601, .revision = 15,
	};
	struct ntlm_slice domain, ws;
	const char *error = NULL;
	size_t len = 0;

	switch (base) {
	case BASE_NEGOTIATE:
		return test_base64(OXPOP3_NEGOTIATE_B64, buf, size);
	case BASE_NEGOTIATE_OEM:
		domain.data = (const uint8_t *)"DOM";
		domain.len = 3;
		ws.data = (const uint8_t *)"WS";
		ws.len = 2;
		CU_ASSERT_EQUAL_FATAL(
			ntlm_encode_negotiate(NTLM_FL_OEM | NTLM_FL_NTLM |
				NTLM_FL_OEM_DOMAIN_SUPPLIED |
				NTLM_FL_OEM_WORKSTATION_SUPPLIED |
				NTLM_FL_VERSION, &domain, &ws, &version,
				buf, size, &len, &error), 0);
		/* the layout the rows assume */
		CU_ASSERT_EQUAL_FATAL(len, 45);
		CU_ASSERT_FATAL(buf[20] == 40 && buf[28] == 43);
		return len;
	case BASE_CHALLENGE:
		return test_hex(NLMP_CHALLENGE_V2, buf, size);
	case BASE_AUTH:
		return test_base64(OXPOP3_AUTHENTICATE_B64, buf, size);
	case BASE_AUTH_V2:
		return test_hex(CHROMIUM_AUTHENTICATE, buf, size);
	}
	return 0;
}

/* Run the decoder for base over buf; returns the outcome seen. Checks
   on the way that failing decoders leave their output untouched. */
static enum outcome run_decoder(enum base_msg base, const uint8_t *buf,
				size_t len)
{
	union {
		struct ntlm_negotiate neg;
		struct ntlm_challenge chal;
		struct ntlm_authenticate auth;
	} out, pattern;
	struct ntlm_v2_response v2, v2_pattern;
	const char *error = NULL;
	int ret;

	if (ntlm_msg_type(buf, len, &error) < 0) {
		CU_ASSERT_PTR_NOT_NULL(error);
		return FAIL_TYPE;
	}
	memset(&out, 0xa5, sizeof(out));
	memset(&pattern, 0xa5, sizeof(pattern));
	error = NULL;
	switch (base) {
	case BASE_NEGOTIATE:
	case BASE_NEGOTIATE_OEM:
		ret = ntlm_decode_negotiate(buf, len, &out.neg, &error);
		break;
	case BASE_CHALLENGE:
		ret = ntlm_decode_challenge(buf, len, &out.chal, &error);
		break;
	case BASE_AUTH:
	case BASE_AUTH_V2:
		ret = ntlm_decode_authenticate(buf, len, &out.auth, &error);
		break;
	default:
		ret = -1;
		break;
	}
	if (ret < 0) {
		CU_ASSERT_PTR_NOT_NULL(error);
		CU_ASSERT_EQUAL(memcmp(&out, &pattern, sizeof(out)), 0);
		return FAIL_DECODE;
	}
	if (base != BASE_AUTH_V2 || out.auth.nt_response.len <= 24)
		return PASS;
	memset(&v2, 0xa5, sizeof(v2));
	memset(&v2_pattern, 0xa5, sizeof(v2_pattern));
	error = NULL;
	if (ntlm_decode_v2_response(&out.auth.nt_response, &v2, &error) < 0) {
		CU_ASSERT_PTR_NOT_NULL(error);
		CU_ASSERT_EQUAL(memcmp(&v2, &v2_pattern, sizeof(v2)), 0);
		return FAIL_V2;
	}
	return PASS;
}

static const char *const outcome_names[] = {
	"pass", "refused by ntlm_msg_type", "refused by the decoder",
	"refused by ntlm_decode_v2_response",
};

static void test_msg_malformed(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(malformed_cases) / sizeof(malformed_cases[0]);
	     i++) {
		const struct malformed_case *c = &malformed_cases[i];
		uint8_t patch[16];
		size_t len, patch_len;
		enum outcome seen;

		memset(malformed_buf, 0, sizeof(malformed_buf));
		len = base_message(c->base, malformed_buf,
				   sizeof(malformed_buf));
		CU_ASSERT_FATAL(len > 0);
		if (c->patch != NULL) {
			patch_len = test_hex(c->patch, patch, sizeof(patch));
			CU_ASSERT_FATAL(c->offset + patch_len <= len);
			/* a patch that changes nothing is a broken row */
			CU_ASSERT_FATAL(memcmp(malformed_buf + c->offset, patch,
					       patch_len) != 0);
			memcpy(malformed_buf + c->offset, patch, patch_len);
		}
		if (c->len != 0) {
			CU_ASSERT_FATAL(c->len <= sizeof(malformed_buf));
			len = c->len;
		}
		seen = run_decoder(c->base, malformed_buf, len);
		if (seen != c->outcome) {
			fprintf(stderr, "\nmalformed row \"%s\": expected %s, "
				"got %s\n", c->name, outcome_names[c->outcome],
				outcome_names[seen]);
			CU_FAIL("malformed message row");
		}
	}
}

static void test_msg_flag_names(void)
{
	unsigned int bit, named = 0;

	CU_ASSERT_STRING_EQUAL(ntlm_flag_name(NTLM_FL_UNICODE),
			       "NEGOTIATE_UNICODE");
	CU_ASSERT_STRING_EQUAL(ntlm_flag_name(NTLM_FL_KEY_EXCH),
			       "NEGOTIATE_KEY_EXCH");
	CU_ASSERT_PTR_NULL(ntlm_flag_name(0));
	CU_ASSERT_PTR_NULL(ntlm_flag_name(NTLM_FL_UNICODE | NTLM_FL_OEM));
	for (bit = 0; bit < 32; bit++) {
		if (ntlm_flag_name(1U << bit) != NULL)
			named++;
	}
	/* The 22 flags of ntlm-common.h. */
	CU_ASSERT_EQUAL(named, 22);
}

static const struct test_case msg_tests[] = {
	{ "[MS-OXPOP3] 4.1 NEGOTIATE", test_msg_oxpop3_negotiate },
	{ "[MS-OXPOP3] 4.1 CHALLENGE", test_msg_oxpop3_challenge },
	{ "[MS-OXPOP3] 4.1 AUTHENTICATE", test_msg_oxpop3_authenticate },
	{ "[MS-NLMP] 4.2.2.3 and 4.2.4.3 CHALLENGE",
	  test_msg_nlmp_challenges },
	{ "NEGOTIATE of 16, 32 and 40 bytes", test_msg_negotiate_sizes },
	{ "NEGOTIATE round trip", test_msg_negotiate_roundtrip },
	{ "CHALLENGE round trip", test_msg_challenge_roundtrip },
	{ "AUTHENTICATE header sizes 64, 72, 88",
	  test_msg_authenticate_headers },
	{ "NTLMv2 response", test_msg_v2_response },
	{ "malformed messages, one bug class per row", test_msg_malformed },
	{ "flag names", test_msg_flag_names },
};

int test_msg_register(void)
{
	return test_register_suite("msg", NULL, NULL, msg_tests,
				   N_ELEMENTS(msg_tests));
}
