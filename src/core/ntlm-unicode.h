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
/* A name field of a message (user, domain, workstation, TargetName)
   as UTF-8: UTF-16LE when the message is read under NEGOTIATE_UNICODE,
   else OEM (as above). */
int ntlm_wire_name_to_utf8(const struct ntlm_slice *wire, bool unicode,
			   char *out, size_t out_size, size_t *out_len_r,
			   const char **error_r);
/* UTF-8 to OEM, for a client that must send OEM strings: only
   characters up to U+00FF can be expressed. */
int ntlm_utf8_to_latin1(const char *in, size_t in_len,
			uint8_t *out, size_t out_size, size_t *out_len_r,
			const char **error_r);

/* Upper-case UTF-16LE text in place, one code unit at a time, as
   NTOWFv2 requires for the user name (MS-NLMP 3.3.2) and as Windows does
   it (RtlUpcaseUnicodeString): every unit of the BMP maps to exactly one
   unit, following Microsoft's published Windows 8 upper-case table
   ([MS-UCODEREF] 3.1.5.3). That is Unicode's simple upper-case mapping
   restricted to case pairs that round-trip and were assigned by Unicode
   5.1: final sigma, the titlecase digraphs (U+01C5 ...), dotless i and
   the like stay, and so do the scripts Unicode cased later (Georgian
   Mtavruli, Cherokee). Surrogates, and characters whose upper case is
   longer (U+00DF sharp s), are left unchanged, never dropped.
   src/core/gen-unicode-upper.py generates the table and documents the
   rule. len must be even. */
void ntlm_utf16le_upper(uint8_t *buf, size_t len);

/* Upper-case one code unit (the mapping above). */
uint16_t ntlm_unicode_upper(uint16_t unit);

#endif
