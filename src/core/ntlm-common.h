#ifndef NTLM_COMMON_H
#define NTLM_COMMON_H

/* Constants and small types shared by the whole NTLM core. Names follow
   [MS-NLMP]; section numbers are given where a value comes from. This
   header, like everything in src/core, includes no Dovecot header. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MS-NLMP 2.2.1: every message starts with this 8-byte signature. */
#define NTLM_SIGNATURE "NTLMSSP"
#define NTLM_SIGNATURE_LEN 8

/* MS-NLMP 2.2.1: MessageType values. */
#define NTLM_MSG_NEGOTIATE 1
#define NTLM_MSG_CHALLENGE 2
#define NTLM_MSG_AUTHENTICATE 3

/* MS-NLMP 2.2.2.5: NEGOTIATE flags (letters as in the spec). */
#define NTLM_FL_UNICODE			0x00000001 /* A */
#define NTLM_FL_OEM			0x00000002 /* B */
#define NTLM_FL_REQUEST_TARGET		0x00000004 /* C */
#define NTLM_FL_SIGN			0x00000010 /* D */
#define NTLM_FL_SEAL			0x00000020 /* E */
#define NTLM_FL_DATAGRAM		0x00000040 /* F */
#define NTLM_FL_LM_KEY			0x00000080 /* G */
#define NTLM_FL_NTLM			0x00000200 /* H */
#define NTLM_FL_ANONYMOUS		0x00000800 /* J */
#define NTLM_FL_OEM_DOMAIN_SUPPLIED	0x00001000 /* K */
#define NTLM_FL_OEM_WORKSTATION_SUPPLIED 0x00002000 /* L */
#define NTLM_FL_ALWAYS_SIGN		0x00008000 /* M */
#define NTLM_FL_TARGET_TYPE_DOMAIN	0x00010000 /* N */
#define NTLM_FL_TARGET_TYPE_SERVER	0x00020000 /* O */
#define NTLM_FL_EXTENDED_SESSIONSECURITY 0x00080000 /* P */
#define NTLM_FL_IDENTIFY		0x00100000 /* Q */
#define NTLM_FL_REQUEST_NON_NT_SESSION_KEY 0x00400000 /* R */
#define NTLM_FL_TARGET_INFO		0x00800000 /* S */
#define NTLM_FL_VERSION			0x02000000 /* T */
#define NTLM_FL_128			0x20000000 /* U */
#define NTLM_FL_KEY_EXCH		0x40000000 /* V */
#define NTLM_FL_56			0x80000000 /* W */

/* MS-NLMP 2.2.2.1: AV_PAIR identifiers. */
#define NTLM_AV_EOL			0x0000
#define NTLM_AV_NB_COMPUTER_NAME	0x0001
#define NTLM_AV_NB_DOMAIN_NAME		0x0002
#define NTLM_AV_DNS_COMPUTER_NAME	0x0003
#define NTLM_AV_DNS_DOMAIN_NAME		0x0004
#define NTLM_AV_DNS_TREE_NAME		0x0005
#define NTLM_AV_FLAGS			0x0006
#define NTLM_AV_TIMESTAMP		0x0007
#define NTLM_AV_SINGLE_HOST		0x0008
#define NTLM_AV_TARGET_NAME		0x0009
#define NTLM_AV_CHANNEL_BINDINGS	0x000a

/* MS-NLMP 2.2.2.1: MsvAvFlags bits. */
#define NTLM_AV_FLAG_CONSTRAINED	0x00000001
#define NTLM_AV_FLAG_MIC_PRESENT	0x00000002
#define NTLM_AV_FLAG_UNTRUSTED_SPN	0x00000004

/* Limits. Anything larger is refused before it is looked at. */
/* Whole message. Real AUTHENTICATE messages stay under 2 KiB. */
#define NTLM_MAX_MESSAGE_SIZE 8192
/* A NEGOTIATE is kept for the MIC; real ones are 16..64 bytes. */
#define NTLM_MAX_NEGOTIATE_SIZE 1024
/* AV_PAIRs in one list, EOL included. Real lists hold about ten. */
#define NTLM_MAX_AV_PAIRS 32
/* User, domain and workstation names, in UTF-16 code units. */
#define NTLM_MAX_NAME_UNITS 256
#define NTLM_MAX_NAME_UTF16 (NTLM_MAX_NAME_UNITS * 2)
/* Worst case UTF-8 for NTLM_MAX_NAME_UNITS units, plus NUL. */
#define NTLM_MAX_NAME_UTF8 (NTLM_MAX_NAME_UNITS * 3 + 1)
/* Names the server puts into its CHALLENGE, in characters. */
#define NTLM_MAX_SERVER_NAME 255

/* MS-NLMP 2.2.2.7: length of the fixed part of an NTLMv2 client
   challenge (NTLMv2_CLIENT_CHALLENGE) before the AV pairs, and of the
   whole NTLMv2_RESPONSE (NTProofStr + client challenge + MsvAvEOL). */
#define NTLM_V2_BLOB_HEADER_LEN 28
#define NTLM_V2_MIN_RESPONSE_LEN (16 + NTLM_V2_BLOB_HEADER_LEN + 4)

/* Fixed offsets inside an AUTHENTICATE message (MS-NLMP 2.2.1.3). */
#define NTLM_AUTH_FIXED_LEN 64
#define NTLM_AUTH_VERSION_OFFSET 64
#define NTLM_AUTH_MIC_OFFSET 72
#define NTLM_AUTH_MIC_END 88

/* Seconds between 1601-01-01 and 1970-01-01 (FILETIME epoch). */
#define NTLM_FILETIME_UNIX_OFFSET 11644473600ULL

/* Rows in a static table. */
#define NTLM_N_ELEMENTS(arr) (sizeof(arr) / sizeof((arr)[0]))

/* One named value of a protocol table (a flag bit, a MessageType). */
struct ntlm_name_row {
	uint32_t value;
	const char *name;
};

/* The name of value in rows[0..count), or NULL. */
const char *ntlm_name_row_find(const struct ntlm_name_row *rows,
			       size_t count, uint32_t value);

/* A view into a caller's buffer. Decoders fill these; nothing they
   point to is owned, so there is never anything to free. */
struct ntlm_slice {
	const uint8_t *data;
	size_t len;
};

/* Outcome classes. Every failure in the core is one of these plus a
   static, loggable reason string that never contains secret data. */
enum ntlm_error {
	NTLM_OK = 0,
	/* The peer sent something malformed or unexpected. */
	NTLM_ERR_MESSAGE,
	/* Well-formed, but refused by the configured policy. */
	NTLM_ERR_POLICY,
	/* A proof did not verify: wrong password (or wrong user). */
	NTLM_ERR_MISMATCH,
	/* Integrity check failed after the proof verified (MIC, echoed
	   timestamp): tampering or a broken client. */
	NTLM_ERR_INTEGRITY,
	/* Our own failure: crypto unavailable, buffer too small, misuse. */
	NTLM_ERR_INTERNAL,
};

const char *ntlm_error_name(enum ntlm_error error);

#endif
