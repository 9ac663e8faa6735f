#include "ntlm-verify.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-unicode.h"

#include <string.h>
#include <time.h>

/* Longest password hashed here, in UTF-16 code units (Windows allows
   256 characters). */
#define NTLM_MAX_PASSWORD_UNITS 512

int ntlm_nt_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r)
{
	uint8_t utf16[NTLM_MAX_PASSWORD_UNITS * 2];
	size_t utf16_len;
	const char *error;
	int ret;

	if (len == 0)
		utf16_len = 0;
	else if (ntlm_utf8_to_utf16le(password, len, utf16, sizeof(utf16),
				      &utf16_len, &error) < 0) {
		*error_r = "password is not valid UTF-8 or too long";
		return -1;
	}
	ret = ntlm_md4(utf16, utf16_len, hash_r, error_r);
	ntlm_wipe(utf16, sizeof(utf16));
	return ret;
}

int ntlm_lm_hash(const char *password, size_t len, uint8_t hash_r[16],
		 const char **error_r)
{
	static const uint8_t magic[8] = "KGS!@#$%";
	uint8_t key[14];
	size_t i;
	int ret;

	if (len > sizeof(key)) {
		*error_r = "a password over 14 bytes has no LM hash";
		return -1;
	}
	memset(key, 0, sizeof(key));
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)password[i];

		if (c == 0 || c >= 0x80) {
			ntlm_wipe(key, sizeof(key));
			*error_r = "a password that is not ASCII has no LM "
				"hash";
			return -1;
		}
		key[i] = (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
	}
	ret = ntlm_des7(key, magic, hash_r, error_r);
	if (ret == 0)
		ret = ntlm_des7(key + 7, magic, hash_r + 8, error_r);
	ntlm_wipe(key, sizeof(key));
	return ret;
}

int ntlm_ntowfv2(const uint8_t nt_hash[16],
		 const struct ntlm_slice *user_utf16,
		 const struct ntlm_slice *domain_utf16,
		 uint8_t key_r[16], const char **error_r)
{
	uint8_t user[NTLM_MAX_NAME_UTF16];
	struct ntlm_slice parts[2];
	int ret;

	if (user_utf16->len > sizeof(user)) {
		*error_r = "NTOWFv2: user name too long";
		return -1;
	}
	if (user_utf16->len % 2 != 0) {
		*error_r = "NTOWFv2: user name of odd length is not UTF-16LE";
		return -1;
	}
	if (user_utf16->len > 0)
		memcpy(user, user_utf16->data, user_utf16->len);
	ntlm_utf16le_upper(user, user_utf16->len);
	parts[0].data = user;
	parts[0].len = user_utf16->len;
	parts[1] = *domain_utf16;
	ret = ntlm_hmac_md5(nt_hash, 16, parts, 2, key_r, error_r);
	ntlm_wipe(user, sizeof(user));
	return ret;
}

int ntlm_desl(const uint8_t key[16], const uint8_t challenge[8],
	      uint8_t response_r[24], const char **error_r)
{
	uint8_t k3[7];
	int ret;

	memset(k3, 0, sizeof(k3));
	memcpy(k3, key + 14, 2);
	ret = ntlm_des7(key, challenge, response_r, error_r);
	if (ret == 0)
		ret = ntlm_des7(key + 7, challenge, response_r + 8, error_r);
	if (ret == 0)
		ret = ntlm_des7(k3, challenge, response_r + 16, error_r);
	ntlm_wipe(k3, sizeof(k3));
	return ret;
}

int ntlm_ess_challenge(const uint8_t server_challenge[8],
		       const uint8_t client_challenge[8],
		       uint8_t challenge_r[8], const char **error_r)
{
	uint8_t both[16], digest[16];

	memcpy(both, server_challenge, 8);
	memcpy(both + 8, client_challenge, 8);
	if (ntlm_md5(both, sizeof(both), digest, error_r) < 0)
		return -1;
	memcpy(challenge_r, digest, 8);
	return 0;
}

int ntlm_v2_proof(const uint8_t key[16], const uint8_t server_challenge[8],
		  const struct ntlm_slice *blob, uint8_t proof_r[16],
		  const char **error_r)
{
	struct ntlm_slice parts[2];

	parts[0].data = server_challenge;
	parts[0].len = 8;
	parts[1] = *blob;
	return ntlm_hmac_md5(key, 16, parts, 2, proof_r, error_r);
}

int ntlm_lmv2_proof(const uint8_t key[16],
		    const uint8_t server_challenge[8],
		    const uint8_t client_challenge[8], uint8_t proof_r[16],
		    const char **error_r)
{
	struct ntlm_slice parts[2];

	parts[0].data = server_challenge;
	parts[0].len = 8;
	parts[1].data = client_challenge;
	parts[1].len = 8;
	return ntlm_hmac_md5(key, 16, parts, 2, proof_r, error_r);
}

int ntlm_v2_session_key(const uint8_t key[16], const uint8_t proof[16],
			uint8_t session_key_r[16], const char **error_r)
{
	struct ntlm_slice part = { proof, 16 };

	return ntlm_hmac_md5(key, 16, &part, 1, session_key_r, error_r);
}

int ntlm_exported_session_key(const uint8_t key_exchange_key[16],
			      const uint8_t encrypted_key[16],
			      uint8_t exported_r[16], const char **error_r)
{
	return ntlm_rc4_16(key_exchange_key, encrypted_key, exported_r,
			   error_r);
}

int ntlm_encrypt_session_key(const uint8_t key_exchange_key[16],
			     const uint8_t exported_key[16],
			     uint8_t encrypted_r[16], const char **error_r)
{
	return ntlm_rc4_16(key_exchange_key, exported_key, encrypted_r,
			   error_r);
}

int ntlm_compute_mic(const uint8_t session_key[16],
		     const struct ntlm_slice *negotiate,
		     const struct ntlm_slice *challenge,
		     const struct ntlm_slice *authenticate,
		     size_t mic_offset, uint8_t mic_r[16],
		     const char **error_r)
{
	static const uint8_t zero_mic[16];
	struct ntlm_slice parts[5];

	if (mic_offset > authenticate->len ||
	    authenticate->len - mic_offset < 16) {
		*error_r = "MIC: the AUTHENTICATE has no 16 bytes at the MIC "
			"offset";
		return -1;
	}
	parts[0] = *negotiate;
	parts[1] = *challenge;
	parts[2].data = authenticate->data;
	parts[2].len = mic_offset;
	parts[3].data = zero_mic;
	parts[3].len = 16;
	parts[4].data = authenticate->data + mic_offset + 16;
	parts[4].len = authenticate->len - mic_offset - 16;
	return ntlm_hmac_md5(session_key, 16, parts, 5, mic_r, error_r);
}

uint64_t ntlm_filetime_from_unix(uint64_t unix_secs)
{
	return (unix_secs + NTLM_FILETIME_UNIX_OFFSET) * 10000000ULL;
}

uint64_t ntlm_filetime_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return ntlm_filetime_from_unix((uint64_t)time(NULL));
	return ntlm_filetime_from_unix((uint64_t)ts.tv_sec) +
		(uint64_t)ts.tv_nsec / 100;
}
