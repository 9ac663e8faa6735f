#ifndef PROBE_CODEC_H
#define PROBE_CODEC_H

/* dovecot-ntlm-probe: text to and from the network (probe-codec.c).
   Nothing here does I/O but the print functions, which write to
   stdout or to the FILE given. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The base64 alphabet, without "=". */
extern const char probe_base64_alphabet[];

/* Base64 of data[0..len) into out, NUL-terminated; out holds
   PROBE_BASE64_ENCODED_SIZE(len) bytes. */
#define PROBE_BASE64_ENCODED_SIZE(len) (((len) + 2) / 3 * 4 + 1)
void probe_base64_encode(const uint8_t *data, size_t len, char *out);

/* Strict base64: whitespace (space, tab, CR, LF) is skipped; otherwise
   only the alphabet, with "=" padding at the very end and a length that
   is a multiple of four. Returns 0 with *len_r, or -1 with the reason in
   error[0..error_size) ("invalid base64 character 0x21 at offset 3").
   Never writes more than out_size bytes. */
int probe_base64_decode(const char *in, uint8_t *out, size_t out_size,
			size_t *len_r, char *error, size_t error_size);

/* Text from the network, printed so that a server cannot drive the
   operator's terminal: C0 controls and DEL as \xNN, the C1 controls
   U+0080..U+009F (CSI among them) as \uNNNN, bytes that are not
   well-formed UTF-8 (RFC 3629) as \xNN; everything else as it is. */
void probe_fput_sanitized(FILE *out, const char *text, size_t len);
/* prefix, then the sanitized text and a newline, on stdout. */
void probe_print_line(const char *prefix, const char *text);
/* Lower-case hex on stdout. */
void probe_print_hex(const uint8_t *data, size_t len);

/* Whether the space-separated list in text has word
   (case-insensitive). */
bool probe_has_word(const char *text, const char *word);

#endif
