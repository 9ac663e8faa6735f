/* Tests for src/core/ntlm-unicode.c: strict conversions, rejections,
   output-buffer bounds and the NTOWFv2 upper-case mapping. */

#include "test-common.h"
#include "ntlm-unicode.h"

#include <stdio.h>
#include <string.h>

#define CANARY 0xa5
#define UNSET_LEN ((size_t)0xdeadbeef)

/* Assert cond for one named table row: a failure report carries the
   row name. CUnit copies the message, so one static buffer will do. */
/* ------------------------------------------------------------------ */
/* Round trips */

struct roundtrip_case {
	const char *name;
	const char *utf8_hex;
	const char *utf16_hex;
};

static const struct roundtrip_case roundtrip_cases[] = {
	{ "empty", "", "" },
	{ "ascii", "75736572", "7500730065007200" },
	{ "latin-1 jörg", "6a c3b6 72 67", "6a00 f600 7200 6700" },
	{ "U+0080 smallest 2-byte", "c280", "8000" },
	{ "U+07FF largest 2-byte", "dfbf", "ff07" },
	{ "U+0800 smallest 3-byte", "e0a080", "0008" },
	{ "U+20AC euro", "e282ac", "ac20" },
	{ "U+D7FF below surrogates", "ed9fbf", "ffd7" },
	{ "U+E000 above surrogates", "ee8080", "00e0" },
	{ "U+FFFF largest BMP", "efbfbf", "ffff" },
	{ "CJK 日本", "e697a5 e69cac", "e565 2c67" },
	{ "U+10000 smallest non-BMP", "f0908080", "00d8 00dc" },
	{ "U+1F600 emoji", "f09f9880", "3dd8 00de" },
	{ "U+10FFFF largest", "f48fbfbf", "ffdb ffdf" },
	{ "mixed a é € emoji z", "61 c3a9 e282ac f09f9880 7a",
	  "6100 e900 ac20 3dd8 00de 7a00" },
	{ "two pairs in a row", "f09f9880 f09f9881",
	  "3dd8 00de 3dd8 01de" },
};

static void test_unicode_roundtrip(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(roundtrip_cases); i++) {
		const struct roundtrip_case *c = &roundtrip_cases[i];
		uint8_t utf8[64], utf16[64], out16[64];
		char out8[64];
		size_t utf8_len, utf16_len, out_len = UNSET_LEN;
		const char *error = NULL;
		int ret;

		utf8_len = test_hex(c->utf8_hex, utf8, sizeof(utf8));
		utf16_len = test_hex(c->utf16_hex, utf16, sizeof(utf16));

		/* UTF-16LE -> UTF-8 */
		memset(out8, CANARY, sizeof(out8));
		ret = ntlm_utf16le_to_utf8(utf16, utf16_len, out8,
					   sizeof(out8), &out_len, &error);
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, out_len == utf8_len);
		if (ret == 0 && out_len == utf8_len) {
			ROW_ASSERT(c->name,
				   memcmp(out8, utf8, utf8_len) == 0);
			ROW_ASSERT(c->name, out8[utf8_len] == '\0');
			ROW_ASSERT(c->name,
				   (uint8_t)out8[utf8_len + 1] == CANARY);
		}

		/* UTF-8 -> UTF-16LE */
		out_len = UNSET_LEN;
		memset(out16, CANARY, sizeof(out16));
		ret = ntlm_utf8_to_utf16le((const char *)utf8, utf8_len,
					   out16, sizeof(out16), &out_len,
					   &error);
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, out_len == utf16_len);
		if (ret == 0 && out_len == utf16_len) {
			ROW_ASSERT(c->name,
				   memcmp(out16, utf16, utf16_len) == 0);
			ROW_ASSERT(c->name, out16[utf16_len] == CANARY);
		}
	}
}

/* Every BMP scalar value and a sample of supplementary ones survive
   UTF-16LE -> UTF-8 -> UTF-16LE unchanged. */
static void test_unicode_roundtrip_exhaustive(void)
{
	unsigned int failures = 0;
	uint32_t cp;

	for (cp = 1; cp <= 0x10ffff; cp++) {
		uint8_t in[4], back[4];
		char mid[8];
		size_t in_len, mid_len, back_len;
		const char *error;

		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp > 0xffff && (cp & 0xff) != 0x5a)
			continue;
		if (cp < 0x10000) {
			in[0] = (uint8_t)cp;
			in[1] = (uint8_t)(cp >> 8);
			in_len = 2;
		} else {
			uint32_t v = cp - 0x10000;
			uint16_t hi = (uint16_t)(0xd800 + (v >> 10));
			uint16_t lo = (uint16_t)(0xdc00 + (v & 0x3ff));

			in[0] = (uint8_t)hi;
			in[1] = (uint8_t)(hi >> 8);
			in[2] = (uint8_t)lo;
			in[3] = (uint8_t)(lo >> 8);
			in_len = 4;
		}
		if (ntlm_utf16le_to_utf8(in, in_len, mid, sizeof(mid),
					 &mid_len, &error) < 0 ||
		    mid_len != strlen(mid) ||
		    ntlm_utf8_to_utf16le(mid, mid_len, back, sizeof(back),
					 &back_len, &error) < 0 ||
		    back_len != in_len || memcmp(in, back, in_len) != 0)
			failures++;
	}
	CU_ASSERT_EQUAL(failures, 0);
}

/* ------------------------------------------------------------------ */
/* Rejections */

struct reject_case {
	const char *name;
	const char *hex;
};

static const struct reject_case utf16_reject_cases[] = {
	{ "odd length, 1 byte", "61" },
	{ "odd length, 3 bytes", "610062" },
	{ "odd length after a pair", "3dd800de61" },
	{ "lone high surrogate at end", "6100 3dd8" },
	{ "lone high surrogate alone", "3dd8" },
	{ "high surrogate then BMP", "3dd8 6100" },
	{ "high surrogate then high", "3dd8 3dd8 00de" },
	{ "lone low surrogate", "00de" },
	{ "lone low surrogate mid-string", "6100 00dc 6200" },
	{ "reversed pair (low, high)", "00de 3dd8" },
	{ "embedded NUL", "6100 0000 6200" },
	{ "NUL only", "0000" },
	{ "trailing NUL", "6100 0000" },
};

static void test_unicode_utf16_reject(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(utf16_reject_cases); i++) {
		const struct reject_case *c = &utf16_reject_cases[i];
		uint8_t in[32];
		char out[64];
		size_t in_len, out_len = UNSET_LEN;
		const char *error = NULL;
		int ret;

		in_len = test_hex(c->hex, in, sizeof(in));
		ret = ntlm_utf16le_to_utf8(in, in_len, out, sizeof(out),
					   &out_len, &error);
		ROW_ASSERT(c->name, ret == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
		/* no half-converted string is left behind */
		ROW_ASSERT(c->name, out[0] == '\0');
	}
}

static const struct reject_case utf8_reject_cases[] = {
	/* overlong forms */
	{ "overlong NUL (c0 80)", "c080" },
	{ "overlong '/' 2-byte", "c0af" },
	{ "overlong U+007F (c1 bf)", "c1bf" },
	{ "overlong '/' 3-byte", "e080af" },
	{ "overlong U+07FF 3-byte", "e09fbf" },
	{ "overlong '/' 4-byte", "f08080af" },
	{ "overlong U+FFFF 4-byte", "f08fbfbf" },
	/* surrogates */
	{ "surrogate U+D800", "eda080" },
	{ "surrogate U+DBFF", "edafbf" },
	{ "surrogate U+DC00", "edb080" },
	{ "surrogate U+DFFF", "edbfbf" },
	{ "CESU-8 surrogate pair", "eda0bd edb880" },
	/* beyond U+10FFFF */
	{ "U+110000", "f4908080" },
	{ "lead f5", "f5808080" },
	{ "lead f7, U+1FFFFF", "f7bfbfbf" },
	{ "5-byte form", "f888808080" },
	{ "6-byte form", "fc8480808080" },
	{ "lead fe", "fe" },
	{ "lead ff", "ff" },
	/* truncated */
	{ "truncated 2-byte", "c3" },
	{ "truncated 3-byte after 1", "e2" },
	{ "truncated 3-byte after 2", "e282" },
	{ "truncated 4-byte after 3", "f09f98" },
	{ "truncated at end of text", "61 62 e282" },
	/* bad continuation bytes */
	{ "lone continuation 80", "80" },
	{ "lone continuation bf", "61 bf 62" },
	{ "2-byte with ASCII second", "c328" },
	{ "3-byte with ASCII second", "e228a1" },
	{ "3-byte with ASCII third", "e28228" },
	{ "4-byte with ASCII fourth", "f09f9828" },
	{ "2-byte lead before lead", "c3c3b6" },
	/* NUL */
	{ "NUL only", "00" },
	{ "embedded NUL", "61 00 62" },
	{ "trailing NUL", "61 00" },
};

static void test_unicode_utf8_reject(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(utf8_reject_cases); i++) {
		const struct reject_case *c = &utf8_reject_cases[i];
		uint8_t in[32], out[64];
		size_t in_len, out_len = UNSET_LEN;
		const char *error = NULL;
		int ret;

		in_len = test_hex(c->hex, in, sizeof(in));
		ret = ntlm_utf8_to_utf16le((const char *)in, in_len, out,
					   sizeof(out), &out_len, &error);
		ROW_ASSERT(c->name, ret == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);

		/* the OEM encoder uses the same strict decoder */
		error = NULL;
		ret = ntlm_utf8_to_latin1((const char *)in, in_len, out,
					  sizeof(out), &out_len, &error);
		ROW_ASSERT(c->name, ret == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
	}
}

/* The decoder accepts exactly the well-formed sequences: check every
   two-byte input and every lead/second-byte combination of the longer
   forms against Unicode's table of well-formed byte sequences. */
static bool wellformed_second(uint8_t lead, uint8_t second)
{
	if (lead == 0xe0)
		return second >= 0xa0 && second <= 0xbf;
	if (lead == 0xed)
		return second >= 0x80 && second <= 0x9f;
	if (lead == 0xf0)
		return second >= 0x90 && second <= 0xbf;
	if (lead == 0xf4)
		return second >= 0x80 && second <= 0x8f;
	return second >= 0x80 && second <= 0xbf;
}

static void test_unicode_utf8_wellformed_table(void)
{
	unsigned int lead, second, mismatches = 0;

	for (lead = 0xc0; lead <= 0xff; lead++) {
		for (second = 0x00; second <= 0xff; second++) {
			uint8_t in[4], out[8];
			size_t in_len, out_len;
			const char *error;
			bool expect;

			in[0] = (uint8_t)lead;
			in[1] = (uint8_t)second;
			in[2] = 0x80;
			in[3] = 0x80;
			if (lead <= 0xc1 || lead >= 0xf5) {
				expect = false;
				in_len = 2;
			} else if (lead <= 0xdf) {
				expect = second >= 0x80 && second <= 0xbf;
				in_len = 2;
			} else if (lead <= 0xef) {
				expect = wellformed_second((uint8_t)lead,
							   (uint8_t)second);
				in_len = 3;
			} else {
				expect = wellformed_second((uint8_t)lead,
							   (uint8_t)second);
				in_len = 4;
			}
			if ((ntlm_utf8_to_utf16le((const char *)in, in_len,
						  out, sizeof(out), &out_len,
						  &error) == 0) != expect)
				mismatches++;
		}
	}
	CU_ASSERT_EQUAL(mismatches, 0);
}

/* ------------------------------------------------------------------ */
/* Output buffer bounds: exact fit succeeds, one byte short fails and
   writes nothing past the given size. */

enum conv {
	CONV_UTF16_TO_UTF8,
	CONV_UTF8_TO_UTF16,
	CONV_LATIN1_TO_UTF8,
	CONV_LATIN1_TO_UTF16,
	CONV_UTF8_TO_LATIN1,
};

struct bounds_case {
	const char *name;
	enum conv conv;
	const char *in_hex;
	/* output size needed, including the NUL for UTF-8 outputs */
	size_t need;
	/* output length reported */
	size_t out_len;
};

static const struct bounds_case bounds_cases[] = {
	{ "utf16->utf8 jörg", CONV_UTF16_TO_UTF8,
	  "6a00 f600 7200 6700", 6, 5 },
	{ "utf16->utf8 emoji", CONV_UTF16_TO_UTF8, "3dd8 00de", 5, 4 },
	{ "utf16->utf8 euro last", CONV_UTF16_TO_UTF8, "6100 ac20", 5, 4 },
	{ "utf16->utf8 empty", CONV_UTF16_TO_UTF8, "", 1, 0 },
	{ "utf8->utf16 jörg", CONV_UTF8_TO_UTF16, "6a c3b6 72 67", 8, 8 },
	{ "utf8->utf16 emoji", CONV_UTF8_TO_UTF16, "f09f9880", 4, 4 },
	{ "utf8->utf16 a emoji", CONV_UTF8_TO_UTF16, "61 f09f9880", 6, 6 },
	{ "latin1->utf8 jörg", CONV_LATIN1_TO_UTF8, "6a f6 72 67", 6, 5 },
	{ "latin1->utf8 ends with ÿ", CONV_LATIN1_TO_UTF8, "61 ff", 4, 3 },
	{ "latin1->utf8 empty", CONV_LATIN1_TO_UTF8, "", 1, 0 },
	{ "latin1->utf16 jörg", CONV_LATIN1_TO_UTF16, "6a f6 72 67", 8, 8 },
	{ "utf8->latin1 jörg", CONV_UTF8_TO_LATIN1, "6a c3b6 72 67", 4, 4 },
	{ "utf8->latin1 ÿ", CONV_UTF8_TO_LATIN1, "c3bf", 1, 1 },
};

static int run_conv(enum conv conv, const uint8_t *in, size_t in_len,
		    uint8_t *out, size_t out_size, size_t *out_len_r,
		    const char **error_r)
{
	switch (conv) {
	case CONV_UTF16_TO_UTF8:
		return ntlm_utf16le_to_utf8(in, in_len, (char *)out,
					    out_size, out_len_r, error_r);
	case CONV_UTF8_TO_UTF16:
		return ntlm_utf8_to_utf16le((const char *)in, in_len, out,
					    out_size, out_len_r, error_r);
	case CONV_LATIN1_TO_UTF8:
		return ntlm_latin1_to_utf8(in, in_len, (char *)out,
					   out_size, out_len_r, error_r);
	case CONV_LATIN1_TO_UTF16:
		return ntlm_latin1_to_utf16le(in, in_len, out, out_size,
					      out_len_r, error_r);
	case CONV_UTF8_TO_LATIN1:
		return ntlm_utf8_to_latin1((const char *)in, in_len, out,
					   out_size, out_len_r, error_r);
	}
	return -2;
}

static void test_unicode_output_bounds(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(bounds_cases); i++) {
		const struct bounds_case *c = &bounds_cases[i];
		uint8_t in[32], out[64];
		size_t in_len, out_len = UNSET_LEN, j;
		const char *error = NULL;
		bool nul_out = c->conv == CONV_UTF16_TO_UTF8 ||
			c->conv == CONV_LATIN1_TO_UTF8;
		bool canary_ok = true;
		int ret;

		in_len = test_hex(c->in_hex, in, sizeof(in));

		/* exact fit */
		memset(out, CANARY, sizeof(out));
		ret = run_conv(c->conv, in, in_len, out, c->need, &out_len,
			       &error);
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, out_len == c->out_len);
		if (nul_out)
			ROW_ASSERT(c->name, out[c->out_len] == '\0');
		for (j = c->need; j < sizeof(out); j++) {
			if (out[j] != CANARY)
				canary_ok = false;
		}
		ROW_ASSERT(c->name, canary_ok);

		/* one short: an error, never a truncation */
		if (c->need == 0)
			continue;
		out_len = UNSET_LEN;
		error = NULL;
		memset(out, CANARY, sizeof(out));
		ret = run_conv(c->conv, in, in_len, out, c->need - 1,
			       &out_len, &error);
		ROW_ASSERT(c->name, ret == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
		canary_ok = true;
		for (j = c->need - 1; j < sizeof(out); j++) {
			if (out[j] != CANARY)
				canary_ok = false;
		}
		ROW_ASSERT(c->name, canary_ok);
		if (nul_out && c->need > 1)
			ROW_ASSERT(c->name, out[0] == '\0');
	}
}

static void test_unicode_zero_size_output(void)
{
	const char *error = NULL;
	size_t out_len = UNSET_LEN;
	char out8[1] = { 'x' };

	/* an empty UTF-16 output needs no room at all */
	CU_ASSERT_EQUAL(ntlm_utf8_to_utf16le("", 0, NULL, 0, &out_len,
					     &error), 0);
	CU_ASSERT_EQUAL(out_len, 0);
	out_len = UNSET_LEN;
	CU_ASSERT_EQUAL(ntlm_latin1_to_utf16le((const uint8_t *)"", 0, NULL,
					       0, &out_len, &error), 0);
	CU_ASSERT_EQUAL(out_len, 0);
	/* but a UTF-8 output always needs its NUL */
	out_len = UNSET_LEN;
	CU_ASSERT_EQUAL(ntlm_utf16le_to_utf8((const uint8_t *)"", 0, out8, 0,
					     &out_len, &error), -1);
	CU_ASSERT_EQUAL(out_len, UNSET_LEN);
	CU_ASSERT_EQUAL(out8[0], 'x');
	CU_ASSERT_EQUAL(ntlm_latin1_to_utf8((const uint8_t *)"", 0, out8, 0,
					    &out_len, &error), -1);
	CU_ASSERT_EQUAL(out8[0], 'x');
}

/* ------------------------------------------------------------------ */
/* OEM (ISO-8859-1) */

static void test_unicode_latin1(void)
{
	uint8_t all[255], back[255], utf16[510];
	char utf8[512];
	size_t len, back_len, i;
	const char *error = NULL;
	bool ok = true;

	/* "jörg" as OEM */
	CU_ASSERT_EQUAL(ntlm_latin1_to_utf8((const uint8_t *)"j\xf6rg", 4,
					    utf8, sizeof(utf8), &len,
					    &error), 0);
	CU_ASSERT_EQUAL(len, 5);
	CU_ASSERT_STRING_EQUAL(utf8, "j\xc3\xb6rg");

	/* every byte but NUL, through UTF-8 and UTF-16 and back */
	for (i = 0; i < sizeof(all); i++)
		all[i] = (uint8_t)(i + 1);
	CU_ASSERT_EQUAL_FATAL(ntlm_latin1_to_utf8(all, sizeof(all), utf8,
						  sizeof(utf8), &len,
						  &error), 0);
	CU_ASSERT_EQUAL(len, 127 + 128 * 2);
	CU_ASSERT_EQUAL(strlen(utf8), len);
	CU_ASSERT_EQUAL_FATAL(ntlm_utf8_to_latin1(utf8, len, back,
						  sizeof(back), &back_len,
						  &error), 0);
	CU_ASSERT_EQUAL(back_len, sizeof(all));
	CU_ASSERT(memcmp(all, back, sizeof(all)) == 0);

	CU_ASSERT_EQUAL_FATAL(ntlm_latin1_to_utf16le(all, sizeof(all), utf16,
						     sizeof(utf16), &len,
						     &error), 0);
	CU_ASSERT_EQUAL(len, sizeof(utf16));
	for (i = 0; i < sizeof(all); i++) {
		if (utf16[i * 2] != all[i] || utf16[i * 2 + 1] != 0)
			ok = false;
	}
	CU_ASSERT(ok);
}

static const struct reject_case latin1_in_reject_cases[] = {
	{ "NUL only", "00" },
	{ "embedded NUL", "61 00 62" },
	{ "trailing NUL", "61 62 00" },
};

static const struct reject_case latin1_out_reject_cases[] = {
	{ "U+0100", "c480" },
	{ "U+0178 (Ÿ)", "c5b8" },
	{ "U+20AC euro", "e282ac" },
	{ "U+1F600 emoji", "f09f9880" },
	{ "representable then not", "6a c3b6 c480" },
};

static void test_unicode_latin1_reject(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(latin1_in_reject_cases); i++) {
		const struct reject_case *c = &latin1_in_reject_cases[i];
		uint8_t in[16], out[64];
		size_t in_len, out_len = UNSET_LEN;
		const char *error = NULL;

		in_len = test_hex(c->hex, in, sizeof(in));
		ROW_ASSERT(c->name,
			   ntlm_latin1_to_utf8(in, in_len, (char *)out,
					       sizeof(out), &out_len,
					       &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
		error = NULL;
		ROW_ASSERT(c->name,
			   ntlm_latin1_to_utf16le(in, in_len, out,
						  sizeof(out), &out_len,
						  &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
	}
	for (i = 0; i < N_ELEMENTS(latin1_out_reject_cases); i++) {
		const struct reject_case *c = &latin1_out_reject_cases[i];
		uint8_t in[16], out[64];
		size_t in_len, out_len = UNSET_LEN;
		const char *error = NULL;

		in_len = test_hex(c->hex, in, sizeof(in));
		ROW_ASSERT(c->name,
			   ntlm_utf8_to_latin1((const char *)in, in_len, out,
					       sizeof(out), &out_len,
					       &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name, out_len == UNSET_LEN);
	}
}

/* ------------------------------------------------------------------ */
/* Upper-casing */

struct upper_case {
	const char *name;
	uint16_t in, out;
};

static const struct upper_case upper_cases[] = {
	/* ASCII */
	{ "a", 0x0061, 0x0041 },
	{ "z", 0x007a, 0x005a },
	{ "A stays", 0x0041, 0x0041 },
	{ "Z stays", 0x005a, 0x005a },
	{ "@ stays", 0x0040, 0x0040 },
	{ "` stays", 0x0060, 0x0060 },
	{ "{ stays", 0x007b, 0x007b },
	{ "digit stays", 0x0035, 0x0035 },
	{ "NUL stays", 0x0000, 0x0000 },
	/* Latin-1 */
	{ "micro sign stays", 0x00b5, 0x00b5 },
	{ "sharp s stays", 0x00df, 0x00df },
	{ "à", 0x00e0, 0x00c0 },
	{ "ö", 0x00f6, 0x00d6 },
	{ "division sign stays", 0x00f7, 0x00f7 },
	{ "ø", 0x00f8, 0x00d8 },
	{ "þ", 0x00fe, 0x00de },
	{ "ÿ to U+0178", 0x00ff, 0x0178 },
	{ "À stays", 0x00c0, 0x00c0 },
	{ "multiplication sign stays", 0x00d7, 0x00d7 },
	{ "nbsp stays", 0x00a0, 0x00a0 },
	/* Latin Extended-A */
	{ "Ā stays", 0x0100, 0x0100 },
	{ "ā", 0x0101, 0x0100 },
	{ "į", 0x012f, 0x012e },
	{ "İ stays", 0x0130, 0x0130 },
	{ "dotless ı stays", 0x0131, 0x0131 },
	{ "ĳ", 0x0133, 0x0132 },
	{ "ķ", 0x0137, 0x0136 },
	{ "kra ĸ stays", 0x0138, 0x0138 },
	{ "Ĺ stays", 0x0139, 0x0139 },
	{ "ĺ", 0x013a, 0x0139 },
	{ "ł", 0x0142, 0x0141 },
	{ "Ň stays", 0x0147, 0x0147 },
	{ "ň", 0x0148, 0x0147 },
	{ "ŉ stays", 0x0149, 0x0149 },
	{ "Ŋ stays", 0x014a, 0x014a },
	{ "ŋ", 0x014b, 0x014a },
	{ "œ", 0x0153, 0x0152 },
	{ "š", 0x0161, 0x0160 },
	{ "ŷ", 0x0177, 0x0176 },
	{ "Ÿ stays", 0x0178, 0x0178 },
	{ "Ź stays", 0x0179, 0x0179 },
	{ "ź", 0x017a, 0x0179 },
	{ "ż", 0x017c, 0x017b },
	{ "ž", 0x017e, 0x017d },
	{ "long s ſ stays", 0x017f, 0x017f },
	/* Greek */
	{ "α", 0x03b1, 0x0391 },
	{ "ω", 0x03c9, 0x03a9 },
	{ "σ", 0x03c3, 0x03a3 },
	{ "final ς", 0x03c2, 0x03a3 },
	{ "ά", 0x03ac, 0x0386 },
	{ "έ", 0x03ad, 0x0388 },
	{ "ή", 0x03ae, 0x0389 },
	{ "ί", 0x03af, 0x038a },
	{ "ό", 0x03cc, 0x038c },
	{ "ύ", 0x03cd, 0x038e },
	{ "ώ", 0x03ce, 0x038f },
	{ "ϊ", 0x03ca, 0x03aa },
	{ "ϋ", 0x03cb, 0x03ab },
	{ "ΐ stays", 0x0390, 0x0390 },
	{ "ΰ stays", 0x03b0, 0x03b0 },
	{ "Α stays", 0x0391, 0x0391 },
	{ "Σ stays", 0x03a3, 0x03a3 },
	/* Cyrillic */
	{ "а", 0x0430, 0x0410 },
	{ "я", 0x044f, 0x042f },
	{ "ѐ", 0x0450, 0x0400 },
	{ "ё", 0x0451, 0x0401 },
	{ "џ", 0x045f, 0x040f },
	{ "А stays", 0x0410, 0x0410 },
	{ "Ё stays", 0x0401, 0x0401 },
	/* outside the mapped scripts */
	{ "CJK stays", 0x65e5, 0x65e5 },
	{ "high surrogate stays", 0xd83d, 0xd83d },
	{ "low surrogate stays", 0xde00, 0xde00 },
	{ "U+FFFF stays", 0xffff, 0xffff },
};

static void test_unicode_upper_units(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(upper_cases); i++) {
		const struct upper_case *c = &upper_cases[i];

		ROW_ASSERT(c->name, ntlm_unicode_upper(c->in) == c->out);
	}
}

/* Properties over all 65536 code units: upper-casing is idempotent, only
   a-z change in ASCII, nothing maps into ASCII from outside it, and
   nothing outside the five scripts changes. */
static void test_unicode_upper_properties(void)
{
	unsigned int u, not_idempotent = 0, ascii_wrong = 0;
	unsigned int into_ascii = 0, outside_changed = 0;

	for (u = 0; u <= 0xffff; u++) {
		uint16_t up = ntlm_unicode_upper((uint16_t)u);

		if (ntlm_unicode_upper(up) != up)
			not_idempotent++;
		if (u < 0x80 && up != ((u >= 'a' && u <= 'z') ? u - 32 : u))
			ascii_wrong++;
		if (u >= 0x80 && up < 0x80)
			into_ascii++;
		if (up != u && !(u < 0x0180 ||
				 (u >= 0x0380 && u < 0x0400) ||
				 (u >= 0x0430 && u <= 0x045f)))
			outside_changed++;
	}
	CU_ASSERT_EQUAL(not_idempotent, 0);
	CU_ASSERT_EQUAL(ascii_wrong, 0);
	CU_ASSERT_EQUAL(into_ascii, 0);
	CU_ASSERT_EQUAL(outside_changed, 0);
}

struct upper_string_case {
	const char *name;
	const char *in;
	const char *out;
};

static const struct upper_string_case upper_string_cases[] = {
	{ "ascii user", "user", "USER" },
	{ "upn", "user@example.com", "USER@EXAMPLE.COM" },
	{ "already upper", "ADMIN", "ADMIN" },
	{ "straße keeps ß", "stra\xc3\x9f" "e", "STRA\xc3\x9f" "E" },
	{ "jörg", "j\xc3\xb6rg", "J\xc3\x96RG" },
	{ "ÿ to Ÿ", "\xc3\xbf", "\xc5\xb8" },
	{ "łukasz", "\xc5\x82ukasz", "\xc5\x81UKASZ" },
	{ "Greek σοφός", "\xcf\x83\xce\xbf\xcf\x86\xcf\x8c\xcf\x82",
	  "\xce\xa3\xce\x9f\xce\xa6\xce\x8c\xce\xa3" },
	{ "Greek αβγ", "\xce\xb1\xce\xb2\xce\xb3",
	  "\xce\x91\xce\x92\xce\x93" },
	{ "Cyrillic иван", "\xd0\xb8\xd0\xb2\xd0\xb0\xd0\xbd",
	  "\xd0\x98\xd0\x92\xd0\x90\xd0\x9d" },
	{ "Cyrillic ёжик", "\xd1\x91\xd0\xb6\xd0\xb8\xd0\xba",
	  "\xd0\x81\xd0\x96\xd0\x98\xd0\x9a" },
	{ "emoji pair untouched", "\xf0\x9f\x98\x80" "a",
	  "\xf0\x9f\x98\x80" "A" },
	{ "CJK untouched", "\xe6\x97\xa5" "x", "\xe6\x97\xa5" "X" },
};

static void test_unicode_upper_strings(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(upper_string_cases); i++) {
		const struct upper_string_case *c = &upper_string_cases[i];
		uint8_t utf16[64];
		char utf8[64];
		size_t len16, len8;
		const char *error;

		if (ntlm_utf8_to_utf16le(c->in, strlen(c->in), utf16,
					 sizeof(utf16), &len16,
					 &error) < 0) {
			ROW_ASSERT(c->name, false);
			continue;
		}
		ntlm_utf16le_upper(utf16, len16);
		if (ntlm_utf16le_to_utf8(utf16, len16, utf8, sizeof(utf8),
					 &len8, &error) < 0) {
			ROW_ASSERT(c->name, false);
			continue;
		}
		ROW_ASSERT(c->name, strcmp(utf8, c->out) == 0);
		ROW_ASSERT(c->name, len8 == strlen(c->out));
	}
}

static void test_unicode_upper_buffer(void)
{
	/* "ab" + a stray byte: only whole units are touched */
	uint8_t buf[5] = { 'a', 0x00, 'b', 0x00, 'c' };
	/* upper-casing looks at whole units: 0x61 as a high byte is not
	   'a' */
	uint8_t hi[2] = { 0x00, 0x61 };

	ntlm_utf16le_upper(buf, 4);
	TEST_ASSERT_HEX(buf, sizeof(buf), "4100 4200 63");
	ntlm_utf16le_upper(buf, 0);
	TEST_ASSERT_HEX(buf, sizeof(buf), "4100 4200 63");
	ntlm_utf16le_upper(hi, sizeof(hi));
	TEST_ASSERT_HEX(hi, sizeof(hi), "0061");
}

static const struct test_case unicode_tests[] = {
	{ "round trips", test_unicode_roundtrip },
	{ "round trip of every code point", test_unicode_roundtrip_exhaustive },
	{ "UTF-16 rejections", test_unicode_utf16_reject },
	{ "UTF-8 rejections", test_unicode_utf8_reject },
	{ "UTF-8 well-formed byte table", test_unicode_utf8_wellformed_table },
	{ "output buffer bounds", test_unicode_output_bounds },
	{ "zero-size output", test_unicode_zero_size_output },
	{ "OEM conversions", test_unicode_latin1 },
	{ "OEM rejections", test_unicode_latin1_reject },
	{ "upper-case code units", test_unicode_upper_units },
	{ "upper-case properties", test_unicode_upper_properties },
	{ "upper-case strings", test_unicode_upper_strings },
	{ "upper-case buffer", test_unicode_upper_buffer },
};

int test_unicode_register(void)
{
	return test_register_suite("unicode", NULL, NULL, unicode_tests,
				   N_ELEMENTS(unicode_tests));
}
