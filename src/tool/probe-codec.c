/* dovecot-ntlm-probe: text to and from the network. Base64 through
   OpenSSL's codec, with the strictness the probe promises put in front
   of it; hex; the sanitizer that keeps a server from driving the
   operator's terminal; and the word lists of capability lines. */

#include "dovecot-ntlm-config.h"

#include "probe-codec.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Length of the well-formed UTF-8 sequence at text[0] (RFC 3629: no
   overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_sequence_len(const unsigned char *text, size_t len)
{
	size_t need, i;

	if (text[0] >= 0xc2 && text[0] <= 0xdf)
		need = 2;
	else if (text[0] >= 0xe0 && text[0] <= 0xef)
		need = 3;
	else if (text[0] >= 0xf0 && text[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((text[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((text[0] == 0xe0 && text[1] < 0xa0) ||
	    (text[0] == 0xed && text[1] > 0x9f) ||
	    (text[0] == 0xf0 && text[1] < 0x90) ||
	    (text[0] == 0xf4 && text[1] > 0x8f))
		return 0;
	return need;
}

/* A raw 0x9b is CSI on an 8-bit terminal: bytes that are not UTF-8 are
   escaped as well as the controls. */
void probe_fput_sanitized(FILE *out, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
		} else if (p[i] < 0x80) {
			putc(p[i], out);
			i++;
		} else if ((n = utf8_sequence_len(p + i, len - i)) == 0) {
			fprintf(out, "\\x%02x", p[i]);
			i++;
		} else if (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0) {
			fprintf(out, "\\u%04x", p[i + 1]);
			i += 2;
		} else {
			fwrite(p + i, 1, n, out);
			i += n;
		}
	}
}

void probe_print_line(const char *prefix, const char *text)
{
	fputs(prefix, stdout);
	probe_fput_sanitized(stdout, text, strlen(text));
	putchar('\n');
}

void probe_print_hex(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		printf("%02x", data[i]);
}

const char probe_base64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void probe_base64_encode(const uint8_t *data, size_t len, char *out)
{
	/* len is at most a message (NTLM_MAX_MESSAGE_SIZE) */
	(void)EVP_EncodeBlock((unsigned char *)out, data, (int)len);
}

/* Decode the quanta collected in chunk[0..fill) (whole quanta, padding
   only in the last one when pad > 0) to out + *olen. EVP_DecodeBlock
   decodes "=" as zero bits: a padded quantum goes through a buffer of
   its own and keeps the bytes before its padding. */
static int base64_flush(const char *chunk, size_t fill, size_t pad,
			uint8_t *out, size_t *olen)
{
	const unsigned char *in = (const unsigned char *)chunk;
	size_t full = pad > 0 ? fill - 4 : fill;
	uint8_t last[3];

	if (full > 0) {
		if (EVP_DecodeBlock(out + *olen, in, (int)full) !=
		    (int)(full / 4 * 3))
			return -1;
		*olen += full / 4 * 3;
	}
	if (pad > 0) {
		if (EVP_DecodeBlock(last, in + full, 4) != 3)
			return -1;
		memcpy(out + *olen, last, 3 - pad);
		*olen += 3 - pad;
	}
	return 0;
}

/* OpenSSL's decoder is not strict (it accepts "=" anywhere and has no
   size limit): the characters are checked here, in one pass, and handed
   to it a chunk of whole quanta at a time. */
int probe_base64_decode(const char *in, uint8_t *out, size_t out_size,
			size_t *len_r, char *error, size_t error_size)
{
	char chunk[64];
	size_t i, n = 0, fill = 0, olen = 0, pad = 0;

	for (i = 0; in[i] != '\0'; i++) {
		char c = in[i];

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			if (++pad > 2 || n % 4 < 2) {
				snprintf(error, error_size, "misplaced '=' "
					 "padding at offset %zu", i);
				return -1;
			}
		} else if (strchr(probe_base64_alphabet, c) == NULL) {
			snprintf(error, error_size,
				 "invalid base64 character 0x%02x at offset "
				 "%zu", (unsigned char)c, i);
			return -1;
		} else if (pad > 0) {
			snprintf(error, error_size, "data after '=' padding "
				 "at offset %zu", i);
			return -1;
		} else if ((n + 1) % 4 == 0 && (n + 1) / 4 * 3 > out_size) {
			goto too_long;
		}
		if (fill == sizeof(chunk)) {
			/* whole quanta, none of them padded */
			if (base64_flush(chunk, fill, 0, out, &olen) < 0)
				goto failed;
			fill = 0;
		}
		chunk[fill++] = c;
		n++;
	}
	if (n % 4 != 0) {
		snprintf(error, error_size, "base64 is truncated (%zu "
			 "characters, not a multiple of 4)", n);
		return -1;
	}
	if (pad > 0 && n / 4 * 3 - pad > out_size)
		goto too_long;
	if (base64_flush(chunk, fill, pad, out, &olen) < 0)
		goto failed;
	*len_r = olen;
	return 0;
too_long:
	snprintf(error, error_size, "message longer than %zu bytes",
		 out_size);
	return -1;
failed:
	snprintf(error, error_size, "the base64 decoder failed");
	return -1;
}

bool probe_has_word(const char *text, const char *word)
{
	size_t wlen = strlen(word), n;

	while (*text != '\0') {
		text += strspn(text, " ");
		n = strcspn(text, " ");
		if (n == wlen && strncasecmp(text, word, n) == 0)
			return true;
		text += n;
	}
	return false;
}
