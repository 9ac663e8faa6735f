/* libFuzzer target: every conversion in ntlm-unicode.h and the
   upper-casing, over the same input read as UTF-16LE, as UTF-8 and as
   Latin-1.

   Invariants checked (abort() on a violation):
   - whatever one direction accepts, the other direction accepts and
     gives back exactly the input (UTF-16LE <-> UTF-8, Latin-1 <-> UTF-8,
     and Latin-1 -> UTF-16LE agreeing with Latin-1 -> UTF-8 -> UTF-16LE);
   - UTF-8 outputs are NUL-terminated with no NUL inside;
   - an output buffer of exactly the needed size is enough, and one byte
     less is refused (the buffers are malloc()ed to the byte, so ASan
     sees any write past them);
   - upper-casing keeps the length, is ntlm_unicode_upper() unit by unit,
     is idempotent, and keeps valid UTF-16LE valid.
   ntlm_unicode_upper() is also checked once over all 65536 units. */

#include "fuzz-common.h"
#include "ntlm-unicode.h"

typedef int fuzz_convert_func_t(const void *in, size_t in_len, void *out,
				size_t out_size, size_t *out_len_r,
				const char **error_r);

/* The five converters behind one signature (their in and out pointers
   differ only in char vs uint8_t). */
static int
conv_utf16le_to_utf8(const void *in, size_t in_len, void *out,
		     size_t out_size, size_t *out_len_r, const char **error_r)
{
	return ntlm_utf16le_to_utf8(in, in_len, out, out_size, out_len_r,
				    error_r);
}

static int
conv_utf8_to_utf16le(const void *in, size_t in_len, void *out,
		     size_t out_size, size_t *out_len_r, const char **error_r)
{
	return ntlm_utf8_to_utf16le(in, in_len, out, out_size, out_len_r,
				    error_r);
}

static int
conv_latin1_to_utf8(const void *in, size_t in_len, void *out,
		    size_t out_size, size_t *out_len_r, const char **error_r)
{
	return ntlm_latin1_to_utf8(in, in_len, out, out_size, out_len_r,
				   error_r);
}

static int
conv_latin1_to_utf16le(const void *in, size_t in_len, void *out,
		       size_t out_size, size_t *out_len_r,
		       const char **error_r)
{
	return ntlm_latin1_to_utf16le(in, in_len, out, out_size, out_len_r,
				      error_r);
}

static int
conv_utf8_to_latin1(const void *in, size_t in_len, void *out,
		    size_t out_size, size_t *out_len_r, const char **error_r)
{
	return ntlm_utf8_to_latin1(in, in_len, out, out_size, out_len_r,
				   error_r);
}

/* Run a converter into a buffer of out_size bytes allocated exactly. On
   success returns a malloc()ed copy of the output (out_len bytes plus the
   NUL for UTF-8 outputs), else NULL. */
static uint8_t *
fuzz_convert(fuzz_convert_func_t *func, const void *in, size_t in_len,
	     size_t out_size, size_t *out_len_r)
{
	uint8_t *out = malloc(out_size == 0 ? 1 : out_size);
	const char *error = NULL;
	size_t out_len = (size_t)-1;

	fuzz_assert(out != NULL);
	if (func(in, in_len, out, out_size, &out_len, &error) < 0) {
		fuzz_assert(error != NULL);
		free(out);
		return NULL;
	}
	fuzz_assert(out_len <= out_size);
	*out_len_r = out_len;
	return out;
}

/* Convert with a generous buffer; if that works, check that the exact
   size works too and one byte less does not. */
static uint8_t *
fuzz_convert_checked(fuzz_convert_func_t *func, const void *in,
		     size_t in_len, size_t max_out, bool utf8_out,
		     size_t *out_len_r)
{
	uint8_t *out, *exact, *small;
	size_t out_len, exact_len, small_len, need;

	out = fuzz_convert(func, in, in_len, max_out, &out_len);
	if (out == NULL)
		return NULL;
	if (utf8_out) {
		fuzz_assert(out_len < max_out);
		fuzz_assert(out[out_len] == '\0');
		fuzz_assert(memchr(out, '\0', out_len) == NULL);
	}

	need = out_len + (utf8_out ? 1 : 0);
	exact = fuzz_convert(func, in, in_len, need, &exact_len);
	fuzz_assert(exact != NULL);
	fuzz_assert(exact_len == out_len);
	fuzz_assert(memcmp(exact, out, need) == 0);
	free(exact);
	if (need > 0) {
		small = fuzz_convert(func, in, in_len, need - 1, &small_len);
		fuzz_assert(small == NULL);
	}
	*out_len_r = out_len;
	return out;
}

static void fuzz_unicode_from_utf16(const uint8_t *data, size_t size)
{
	uint8_t *utf8, *back;
	size_t utf8_len, back_len;

	/* A unit becomes at most 3 UTF-8 bytes (a pair: 4 for 4). */
	utf8 = fuzz_convert_checked(conv_utf16le_to_utf8,
				    data, size, size / 2 * 3 + 1, true,
				    &utf8_len);
	if (utf8 == NULL)
		return;
	fuzz_assert(size % 2 == 0);
	back = fuzz_convert_checked(conv_utf8_to_utf16le,
				    utf8, utf8_len, utf8_len * 2, false,
				    &back_len);
	fuzz_assert(back != NULL);
	fuzz_assert(back_len == size && memcmp(back, data, size) == 0);
	free(back);
	free(utf8);
}

static void fuzz_unicode_from_utf8(const uint8_t *data, size_t size)
{
	uint8_t *utf16, *back, *latin1;
	size_t utf16_len, back_len, latin1_len;
	bool valid;

	utf16 = fuzz_convert_checked(conv_utf8_to_utf16le,
				     data, size, size * 2, false,
				     &utf16_len);
	valid = utf16 != NULL;
	if (valid) {
		fuzz_assert(utf16_len % 2 == 0);
		back = fuzz_convert_checked(
			conv_utf16le_to_utf8, utf16, utf16_len,
			size + 1, true, &back_len);
		fuzz_assert(back != NULL);
		fuzz_assert(back_len == size &&
			    memcmp(back, data, size) == 0);
		free(back);
		free(utf16);
	}

	latin1 = fuzz_convert_checked(conv_utf8_to_latin1,
				      data, size, size, false, &latin1_len);
	if (latin1 != NULL) {
		/* Only valid UTF-8 can become Latin-1. */
		fuzz_assert(valid);
		back = fuzz_convert_checked(
			conv_latin1_to_utf8, latin1,
			latin1_len, latin1_len * 2 + 1, true, &back_len);
		fuzz_assert(back != NULL);
		fuzz_assert(back_len == size &&
			    memcmp(back, data, size) == 0);
		free(back);
		free(latin1);
	}
}

static void fuzz_unicode_from_latin1(const uint8_t *data, size_t size)
{
	uint8_t *utf8, *utf16, *via_utf8, *back;
	size_t utf8_len, utf16_len, via_len, back_len;
	bool has_nul = memchr(data, '\0', size) != NULL;

	utf8 = fuzz_convert_checked(conv_latin1_to_utf8,
				    data, size, size * 2 + 1, true,
				    &utf8_len);
	utf16 = fuzz_convert_checked(conv_latin1_to_utf16le,
				     data, size, size * 2, false,
				     &utf16_len);
	/* Every byte but NUL is a Latin-1 character. */
	fuzz_assert((utf8 != NULL) == !has_nul);
	fuzz_assert((utf16 != NULL) == !has_nul);
	if (has_nul)
		return;
	fuzz_assert(utf16_len == size * 2);

	via_utf8 = fuzz_convert_checked(conv_utf8_to_utf16le,
					utf8, utf8_len, utf8_len * 2, false,
					&via_len);
	fuzz_assert(via_utf8 != NULL);
	fuzz_assert(via_len == utf16_len &&
		    memcmp(via_utf8, utf16, utf16_len) == 0);
	back = fuzz_convert_checked(conv_utf8_to_latin1,
				    utf8, utf8_len, utf8_len, false,
				    &back_len);
	fuzz_assert(back != NULL);
	fuzz_assert(back_len == size && memcmp(back, data, size) == 0);
	free(back);
	free(via_utf8);
	free(utf16);
	free(utf8);
}

static void fuzz_unicode_upper(const uint8_t *data, size_t size)
{
	const char *error;
	size_t len = size & ~(size_t)1, i, utf8_len;
	uint8_t *buf, *again;
	char *utf8;
	uint16_t unit;
	bool valid;

	buf = malloc(len == 0 ? 1 : len);
	again = malloc(len == 0 ? 1 : len);
	utf8 = malloc(len / 2 * 3 + 1);
	fuzz_assert(buf != NULL && again != NULL && utf8 != NULL);
	memcpy(buf, data, len);

	valid = ntlm_utf16le_to_utf8(buf, len, utf8, len / 2 * 3 + 1,
				     &utf8_len, &error) == 0;
	ntlm_utf16le_upper(buf, len);
	for (i = 0; i < len; i += 2) {
		unit = data[i] | (data[i + 1] << 8);
		unit = ntlm_unicode_upper(unit);
		fuzz_assert(buf[i] == (unit & 0xff) &&
			    buf[i + 1] == (unit >> 8));
	}
	memcpy(again, buf, len);
	ntlm_utf16le_upper(again, len);
	fuzz_assert(memcmp(again, buf, len) == 0);
	if (valid) {
		fuzz_assert(ntlm_utf16le_to_utf8(buf, len, utf8,
						 len / 2 * 3 + 1,
						 &utf8_len, &error) == 0);
	}
	free(utf8);
	free(again);
	free(buf);
}

/* Properties of the unit mapping that hold over the whole BMP. */
static void fuzz_unicode_check_table(void)
{
	static uint8_t seen[0x10000 / 8];
	unsigned int i;
	uint16_t up;

	for (i = 0; i <= 0xffff; i++) {
		up = ntlm_unicode_upper((uint16_t)i);
		/* idempotent */
		fuzz_assert(ntlm_unicode_upper(up) == up);
		/* NUL and surrogates stay what they are */
		fuzz_assert((i == 0) == (up == 0));
		fuzz_assert((i >= 0xd800 && i <= 0xdfff) ==
			    (up >= 0xd800 && up <= 0xdfff));
		if (i >= 0xd800 && i <= 0xdfff)
			fuzz_assert(up == i);
		/* ASCII maps to ASCII, only a-z change, and nothing else
		   maps into ASCII */
		if (i < 0x80) {
			fuzz_assert(up == (i >= 'a' && i <= 'z' ?
					   i - 'a' + 'A' : i));
		} else {
			fuzz_assert(up >= 0x80);
		}
		/* one-to-one: no two units share an upper case */
		if (up != i) {
			fuzz_assert((seen[up / 8] & (1U << (up % 8))) == 0);
			seen[up / 8] |= (uint8_t)(1U << (up % 8));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool table_checked = false;

	fuzz_crypto_init();
	if (!table_checked) {
		fuzz_unicode_check_table();
		table_checked = true;
	}

	fuzz_unicode_from_utf16(data, size);
	fuzz_unicode_from_utf8(data, size);
	fuzz_unicode_from_latin1(data, size);
	fuzz_unicode_upper(data, size);
	return 0;
}
