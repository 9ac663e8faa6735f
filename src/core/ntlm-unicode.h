#ifndef NTLM_UNICODE_H
#define NTLM_UNICODE_H

/* Strict conversions between the encodings NTLM uses on the wire
   (UTF-16LE, or "OEM" bytes) and UTF-8, which is what Dovecot and
   configuration files use.

   UTF-16LE input is rejected when it has an odd length, an unpaired
   surrogate or an embedded NUL. UTF-8 input is rejected when it is not
   shortest-form UTF-8, encodes a surrogate or a value over U+10FFFF, or
   contains NUL. Nothing is ever folded to 7 bits.

   OEM strings carry no code page on the wire. They are read as
   ISO-8859-1, byte for byte, which is also how curl, libntlm and
   Cyrus SASL widen them when they hash names; NUL is refused.

   Every function writes only into the caller's buffer and returns -1
   with a static *error_r when the input is invalid or the output does
   not fit. UTF-8 outputs are NUL-terminated. */

#include "ntlm-common.h"

int ntlm_utf16le_to_utf8(const uint8_t *in, size_t in_len,
			 char *out, size_t out_size, size_t *out_len_r,
			 const char **error_r);
int ntlm_utf8_to_utf16le(const char *in, size_t in_len,
			 uint8_t *out, size_t out_size, size_t *out_len_r,
			 const char **error_r);
int ntlm_latin1_to_utf8(const uint8_t *in, size_t in_len,
			char *out, size_t out_size, size_t *out_len_r,
			const char **error_r);
int ntlm_latin1_to_utf16le(const uint8_t *in, size_t in_len,
			   uint8_t *out, size_t out_size, size_t *out_len_r,
			   const char **error_r);
/* UTF-8 to OEM, for a client that must send OEM strings: only
   characters up to U+00FF can be expressed. */
int ntlm_utf8_to_latin1(const char *in, size_t in_len,
			uint8_t *out, size_t out_size, size_t *out_len_r,
			const char **error_r);

/* Upper-case UTF-16LE text in place, one code unit at a time, as
   NTOWFv2 requires for the user name (MS-NLMP 3.3.2). The mapping is
   the simple one-to-one case mapping of Unicode for the scripts a user
   name is realistically written in: ASCII, Latin-1, Latin Extended-A,
   Greek and Cyrillic (the ranges Windows' own upcase table agrees on).
   Code units outside these ranges are left unchanged, never dropped.
   len must be even. */
void ntlm_utf16le_upper(uint8_t *buf, size_t len);

/* Upper-case one code unit (the mapping above). */
uint16_t ntlm_unicode_upper(uint16_t unit);

#endif
