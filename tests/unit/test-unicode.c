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
	/* Latin Extended-B: Windows maps the lower-case digraphs to the
	   capitals and leaves the titlecase forms alone */
	{ "ǆ to Ǆ", 0x01c6, 0x01c4 },
	{ "titlecase ǅ stays", 0x01c5, 0x01c5 },
	{ "Ǆ stays", 0x01c4, 0x01c4 },
	{ "ǉ to Ǉ", 0x01c9, 0x01c7 },
	{ "titlecase ǈ stays", 0x01c8, 0x01c8 },
	{ "ǌ to Ǌ", 0x01cc, 0x01ca },
	{ "titlecase ǋ stays", 0x01cb, 0x01cb },
	{ "ǳ to Ǳ", 0x01f3, 0x01f1 },
	{ "titlecase ǲ stays", 0x01f2, 0x01f2 },
	{ "ơ to Ơ", 0x01a1, 0x01a0 },
	{ "ư to Ư", 0x01b0, 0x01af },
	{ "ǎ to Ǎ", 0x01ce, 0x01cd },
	{ "ǝ to Ǝ", 0x01dd, 0x018e },
	{ "ƀ to Ƀ (Unicode 5.0 capital)", 0x0180, 0x0243 },
	{ "ƿ to Ƿ", 0x01bf, 0x01f7 },
	{ "ș to Ș", 0x0219, 0x0218 },
	{ "ȿ stays (its capital is Unicode 5.2)", 0x023f, 0x023f },
	/* IPA */
	{ "ə to Ə", 0x0259, 0x018f },
	{ "ʀ to Ʀ", 0x0280, 0x01a6 },
	{ "ɐ to Ɐ", 0x0250, 0x2c6f },
	{ "ɥ stays (its capital is Unicode 6.0)", 0x0265, 0x0265 },
	/* Vietnamese (Latin Extended Additional) */
	{ "ễ to Ễ", 0x1ec5, 0x1ec4 },
	{ "ạ to Ạ", 0x1ea1, 0x1ea0 },
	{ "ỹ to Ỹ", 0x1ef9, 0x1ef8 },
	{ "ỿ to Ỿ", 0x1eff, 0x1efe },
	{ "ḁ to Ḁ", 0x1e01, 0x1e00 },
	{ "ẕ to Ẕ", 0x1e95, 0x1e94 },
	{ "ẛ stays (one-way to Ṡ)", 0x1e9b, 0x1e9b },
	{ "capital sharp s ẞ stays", 0x1e9e, 0x1e9e },
	/* Greek */
	{ "α", 0x03b1, 0x0391 },
	{ "ω", 0x03c9, 0x03a9 },
	{ "σ", 0x03c3, 0x03a3 },
	{ "final ς stays (one-way; Windows 8 leaves it)", 0x03c2, 0x03c2 },
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
	{ "beta symbol ϐ stays", 0x03d0, 0x03d0 },
	{ "lunate epsilon ϵ stays", 0x03f5, 0x03f5 },
	{ "lunate sigma ϲ to Ϲ", 0x03f2, 0x03f9 },
	{ "ϗ to Ϗ", 0x03d7, 0x03cf },
	{ "ͻ to Ͻ", 0x037b, 0x03fd },
	{ "ypogegrammeni U+0345 stays", 0x0345, 0x0345 },
	{ "ἀ to Ἀ", 0x1f00, 0x1f08 },
	{ "ὰ to Ὰ", 0x1f70, 0x1fba },
	{ "ᾀ to ᾈ", 0x1f80, 0x1f88 },
	{ "ᾳ to ᾼ", 0x1fb3, 0x1fbc },
	{ "ῥ to Ῥ", 0x1fe5, 0x1fec },
	{ "prosgegrammeni ι stays", 0x1fbe, 0x1fbe },
	{ "ᾲ stays (no one-unit capital)", 0x1fb2, 0x1fb2 },
	/* Cyrillic */
	{ "а", 0x0430, 0x0410 },
	{ "я", 0x044f, 0x042f },
	{ "ѐ", 0x0450, 0x0400 },
	{ "ё", 0x0451, 0x0401 },
	{ "џ", 0x045f, 0x040f },
	{ "А stays", 0x0410, 0x0410 },
	{ "Ё stays", 0x0401, 0x0401 },
	/* Cyrillic letters of the other languages, U+0460..U+052F */
	{ "ѡ to Ѡ", 0x0461, 0x0460 },
	{ "ҁ to Ҁ", 0x0481, 0x0480 },
	{ "ғ to Ғ", 0x0493, 0x0492 },
	{ "қ to Қ", 0x049b, 0x049a },
	{ "ҷ to Ҷ", 0x04b7, 0x04b6 },
	{ "ӂ to Ӂ", 0x04c2, 0x04c1 },
	{ "palochka ӏ to Ӏ", 0x04cf, 0x04c0 },
	{ "ә to Ә", 0x04d9, 0x04d8 },
	{ "ӯ to Ӯ", 0x04ef, 0x04ee },
	{ "ӿ to Ӿ", 0x04ff, 0x04fe },
	{ "ԁ to Ԁ", 0x0501, 0x0500 },
	{ "ԣ to Ԣ", 0x0523, 0x0522 },
	{ "ԥ stays (Unicode 5.2)", 0x0525, 0x0525 },
	{ "ꙁ to Ꙁ (Cyrillic Extended-B)", 0xa641, 0xa640 },
	{ "ꚗ to Ꚗ", 0xa697, 0xa696 },
	{ "ᲀ stays (Cyrillic Extended-C, Unicode 9)", 0x1c80, 0x1c80 },
	/* Armenian */
	{ "ա to Ա", 0x0561, 0x0531 },
	{ "շ to Շ", 0x0577, 0x0547 },
	{ "ֆ to Ֆ", 0x0586, 0x0556 },
	{ "Ա stays", 0x0531, 0x0531 },
	{ "ligature և stays", 0x0587, 0x0587 },
	{ "ﬓ stays", 0xfb13, 0xfb13 },
	/* Georgian: Asomtavruli/Nuskhuri pair, Mtavruli not applied */
	{ "Mkhedruli ა stays (Mtavruli is Unicode 11)", 0x10d0, 0x10d0 },
	{ "Mkhedruli ჰ stays", 0x10f0, 0x10f0 },
	{ "Mtavruli Ა stays", 0x1c90, 0x1c90 },
	{ "Asomtavruli Ⴀ stays", 0x10a0, 0x10a0 },
	{ "Nuskhuri ⴀ to Ⴀ", 0x2d00, 0x10a0 },
	{ "Nuskhuri ⴥ to Ⴥ", 0x2d25, 0x10c5 },
	/* Cherokee: the small letters (Unicode 8) are not upper-cased */
	{ "Cherokee small ꭰ stays", 0xab70, 0xab70 },
	{ "Cherokee small ꮿ stays", 0xabbf, 0xabbf },
	{ "Cherokee small ᏸ stays", 0x13f8, 0x13f8 },
	{ "Cherokee Ꭰ stays", 0x13a0, 0x13a0 },
	/* other scripts Windows cases */
	{ "Glagolitic ⰰ to Ⰰ", 0x2c30, 0x2c00 },
	{ "Coptic ⲁ to Ⲁ", 0x2c81, 0x2c80 },
	{ "Latin Extended-D ꜳ to Ꜳ", 0xa733, 0xa732 },
	{ "ⅰ to Ⅰ", 0x2170, 0x2160 },
	{ "ⓐ to Ⓐ", 0x24d0, 0x24b6 },
	{ "ⓩ to Ⓩ", 0x24e9, 0x24cf },
	{ "fullwidth ａ to Ａ", 0xff41, 0xff21 },
	{ "fullwidth ｚ to Ｚ", 0xff5a, 0xff3a },
	{ "ﬀ ligature stays", 0xfb00, 0xfb00 },
	/* outside the cased scripts */
	{ "CJK stays", 0x65e5, 0x65e5 },
	{ "Hangul stays", 0xac00, 0xac00 },
	{ "high surrogate D800 stays", 0xd800, 0xd800 },
	{ "high surrogate D83D stays", 0xd83d, 0xd83d },
	{ "high surrogate DBFF stays", 0xdbff, 0xdbff },
	{ "low surrogate DC00 stays", 0xdc00, 0xdc00 },
	{ "low surrogate DE00 stays", 0xde00, 0xde00 },
	{ "low surrogate DFFF stays", 0xdfff, 0xdfff },
	{ "private use E000 stays", 0xe000, 0xe000 },
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
   a-z change in ASCII, nothing maps into ASCII from outside it, no two
   units share an upper case (every mapping is one half of a case pair),
   and surrogates never change. */
static void test_unicode_upper_properties(void)
{
	static uint8_t seen[0x10000 / 8];
	unsigned int u, not_idempotent = 0, ascii_wrong = 0;
	unsigned int into_ascii = 0, shared = 0, surrogate_changed = 0;

	memset(seen, 0, sizeof(seen));
	for (u = 0; u <= 0xffff; u++) {
		uint16_t up = ntlm_unicode_upper((uint16_t)u);

		if (ntlm_unicode_upper(up) != up)
			not_idempotent++;
		if (u < 0x80 && up != ((u >= 'a' && u <= 'z') ? u - 32 : u))
			ascii_wrong++;
		if (u >= 0x80 && up < 0x80)
			into_ascii++;
		if (u >= 0xd800 && u <= 0xdfff && up != u)
			surrogate_changed++;
		if (up != u) {
			if ((seen[up / 8] & (1U << (up % 8))) != 0)
				shared++;
			seen[up / 8] |= (uint8_t)(1U << (up % 8));
		}
	}
	CU_ASSERT_EQUAL(not_idempotent, 0);
	CU_ASSERT_EQUAL(ascii_wrong, 0);
	CU_ASSERT_EQUAL(into_ascii, 0);
	CU_ASSERT_EQUAL(shared, 0);
	CU_ASSERT_EQUAL(surrogate_changed, 0);
}

/* Microsoft's "Windows 8 Upper Case Mapping Table" ([MS-UCODEREF]
   3.1.5.3), transcribed by hand as runs from the Linux kernel's
   rendering of it (fs/smb/client/winucase.c): units first..last, every
   step-th one, map to upper + (unit - first). Every unit not listed maps
   to itself. The generated table must agree for all 65536 units: this
   is the check that the generator's rule is Windows' table, written
   down independently of the generator and of UnicodeData.txt. */
struct windows_upper_run {
	uint16_t first, last;
	uint8_t step;
	uint16_t upper;
};

static const struct windows_upper_run windows8_upper_runs[] = {
	{ 0x0061, 0x007a, 1, 0x0041 },
	{ 0x00e0, 0x00f6, 1, 0x00c0 },
	{ 0x00f8, 0x00fe, 1, 0x00d8 },
	{ 0x00ff, 0x00ff, 1, 0x0178 },
	{ 0x0101, 0x012f, 2, 0x0100 },
	{ 0x0133, 0x0137, 2, 0x0132 },
	{ 0x013a, 0x0148, 2, 0x0139 },
	{ 0x014b, 0x0177, 2, 0x014a },
	{ 0x017a, 0x017e, 2, 0x0179 },
	{ 0x0180, 0x0180, 1, 0x0243 },
	{ 0x0183, 0x0185, 2, 0x0182 },
	{ 0x0188, 0x0188, 1, 0x0187 },
	{ 0x018c, 0x018c, 1, 0x018b },
	{ 0x0192, 0x0192, 1, 0x0191 },
	{ 0x0195, 0x0195, 1, 0x01f6 },
	{ 0x0199, 0x0199, 1, 0x0198 },
	{ 0x019a, 0x019a, 1, 0x023d },
	{ 0x019e, 0x019e, 1, 0x0220 },
	{ 0x01a1, 0x01a5, 2, 0x01a0 },
	{ 0x01a8, 0x01a8, 1, 0x01a7 },
	{ 0x01ad, 0x01ad, 1, 0x01ac },
	{ 0x01b0, 0x01b0, 1, 0x01af },
	{ 0x01b4, 0x01b6, 2, 0x01b3 },
	{ 0x01b9, 0x01b9, 1, 0x01b8 },
	{ 0x01bd, 0x01bd, 1, 0x01bc },
	{ 0x01bf, 0x01bf, 1, 0x01f7 },
	{ 0x01c6, 0x01c6, 1, 0x01c4 },
	{ 0x01c9, 0x01c9, 1, 0x01c7 },
	{ 0x01cc, 0x01cc, 1, 0x01ca },
	{ 0x01ce, 0x01dc, 2, 0x01cd },
	{ 0x01dd, 0x01dd, 1, 0x018e },
	{ 0x01df, 0x01ef, 2, 0x01de },
	{ 0x01f3, 0x01f3, 1, 0x01f1 },
	{ 0x01f5, 0x01f5, 1, 0x01f4 },
	{ 0x01f9, 0x01ff, 2, 0x01f8 },
	{ 0x0201, 0x021f, 2, 0x0200 },
	{ 0x0223, 0x0233, 2, 0x0222 },
	{ 0x023c, 0x023c, 1, 0x023b },
	{ 0x0242, 0x0242, 1, 0x0241 },
	{ 0x0247, 0x024f, 2, 0x0246 },
	{ 0x0250, 0x0250, 1, 0x2c6f },
	{ 0x0251, 0x0251, 1, 0x2c6d },
	{ 0x0253, 0x0253, 1, 0x0181 },
	{ 0x0254, 0x0254, 1, 0x0186 },
	{ 0x0256, 0x0257, 1, 0x0189 },
	{ 0x0259, 0x0259, 1, 0x018f },
	{ 0x025b, 0x025b, 1, 0x0190 },
	{ 0x0260, 0x0260, 1, 0x0193 },
	{ 0x0263, 0x0263, 1, 0x0194 },
	{ 0x0268, 0x0268, 1, 0x0197 },
	{ 0x0269, 0x0269, 1, 0x0196 },
	{ 0x026b, 0x026b, 1, 0x2c62 },
	{ 0x026f, 0x026f, 1, 0x019c },
	{ 0x0271, 0x0271, 1, 0x2c6e },
	{ 0x0272, 0x0272, 1, 0x019d },
	{ 0x0275, 0x0275, 1, 0x019f },
	{ 0x027d, 0x027d, 1, 0x2c64 },
	{ 0x0280, 0x0280, 1, 0x01a6 },
	{ 0x0283, 0x0283, 1, 0x01a9 },
	{ 0x0288, 0x0288, 1, 0x01ae },
	{ 0x0289, 0x0289, 1, 0x0244 },
	{ 0x028a, 0x028b, 1, 0x01b1 },
	{ 0x028c, 0x028c, 1, 0x0245 },
	{ 0x0292, 0x0292, 1, 0x01b7 },
	{ 0x0371, 0x0373, 2, 0x0370 },
	{ 0x0377, 0x0377, 1, 0x0376 },
	{ 0x037b, 0x037d, 1, 0x03fd },
	{ 0x03ac, 0x03ac, 1, 0x0386 },
	{ 0x03ad, 0x03af, 1, 0x0388 },
	{ 0x03b1, 0x03c1, 1, 0x0391 },
	{ 0x03c3, 0x03cb, 1, 0x03a3 },
	{ 0x03cc, 0x03cc, 1, 0x038c },
	{ 0x03cd, 0x03ce, 1, 0x038e },
	{ 0x03d7, 0x03d7, 1, 0x03cf },
	{ 0x03d9, 0x03ef, 2, 0x03d8 },
	{ 0x03f2, 0x03f2, 1, 0x03f9 },
	{ 0x03f8, 0x03f8, 1, 0x03f7 },
	{ 0x03fb, 0x03fb, 1, 0x03fa },
	{ 0x0430, 0x044f, 1, 0x0410 },
	{ 0x0450, 0x045f, 1, 0x0400 },
	{ 0x0461, 0x0481, 2, 0x0460 },
	{ 0x048b, 0x04bf, 2, 0x048a },
	{ 0x04c2, 0x04ce, 2, 0x04c1 },
	{ 0x04cf, 0x04cf, 1, 0x04c0 },
	{ 0x04d1, 0x04ff, 2, 0x04d0 },
	{ 0x0501, 0x0523, 2, 0x0500 },
	{ 0x0561, 0x0586, 1, 0x0531 },
	{ 0x1d79, 0x1d79, 1, 0xa77d },
	{ 0x1d7d, 0x1d7d, 1, 0x2c63 },
	{ 0x1e01, 0x1e95, 2, 0x1e00 },
	{ 0x1ea1, 0x1eff, 2, 0x1ea0 },
	{ 0x1f00, 0x1f07, 1, 0x1f08 },
	{ 0x1f10, 0x1f15, 1, 0x1f18 },
	{ 0x1f20, 0x1f27, 1, 0x1f28 },
	{ 0x1f30, 0x1f37, 1, 0x1f38 },
	{ 0x1f40, 0x1f45, 1, 0x1f48 },
	{ 0x1f51, 0x1f57, 2, 0x1f59 },
	{ 0x1f60, 0x1f67, 1, 0x1f68 },
	{ 0x1f70, 0x1f71, 1, 0x1fba },
	{ 0x1f72, 0x1f75, 1, 0x1fc8 },
	{ 0x1f76, 0x1f77, 1, 0x1fda },
	{ 0x1f78, 0x1f79, 1, 0x1ff8 },
	{ 0x1f7a, 0x1f7b, 1, 0x1fea },
	{ 0x1f7c, 0x1f7d, 1, 0x1ffa },
	{ 0x1f80, 0x1f87, 1, 0x1f88 },
	{ 0x1f90, 0x1f97, 1, 0x1f98 },
	{ 0x1fa0, 0x1fa7, 1, 0x1fa8 },
	{ 0x1fb0, 0x1fb1, 1, 0x1fb8 },
	{ 0x1fb3, 0x1fb3, 1, 0x1fbc },
	{ 0x1fc3, 0x1fc3, 1, 0x1fcc },
	{ 0x1fd0, 0x1fd1, 1, 0x1fd8 },
	{ 0x1fe0, 0x1fe1, 1, 0x1fe8 },
	{ 0x1fe5, 0x1fe5, 1, 0x1fec },
	{ 0x1ff3, 0x1ff3, 1, 0x1ffc },
	{ 0x214e, 0x214e, 1, 0x2132 },
	{ 0x2170, 0x217f, 1, 0x2160 },
	{ 0x2184, 0x2184, 1, 0x2183 },
	{ 0x24d0, 0x24e9, 1, 0x24b6 },
	{ 0x2c30, 0x2c5e, 1, 0x2c00 },
	{ 0x2c61, 0x2c61, 1, 0x2c60 },
	{ 0x2c65, 0x2c65, 1, 0x023a },
	{ 0x2c66, 0x2c66, 1, 0x023e },
	{ 0x2c68, 0x2c6c, 2, 0x2c67 },
	{ 0x2c73, 0x2c73, 1, 0x2c72 },
	{ 0x2c76, 0x2c76, 1, 0x2c75 },
	{ 0x2c81, 0x2ce3, 2, 0x2c80 },
	{ 0x2d00, 0x2d25, 1, 0x10a0 },
	{ 0xa641, 0xa65f, 2, 0xa640 },
	{ 0xa663, 0xa66d, 2, 0xa662 },
	{ 0xa681, 0xa697, 2, 0xa680 },
	{ 0xa723, 0xa72f, 2, 0xa722 },
	{ 0xa733, 0xa76f, 2, 0xa732 },
	{ 0xa77a, 0xa77c, 2, 0xa779 },
	{ 0xa77f, 0xa787, 2, 0xa77e },
	{ 0xa78c, 0xa78c, 1, 0xa78b },
	{ 0xff41, 0xff5a, 1, 0xff21 },
};

static void test_unicode_upper_windows8(void)
{
	static uint16_t expect[0x10000];
	unsigned int u, i, mismatches = 0, mapped = 0;

	for (u = 0; u <= 0xffff; u++)
		expect[u] = (uint16_t)u;
	for (i = 0; i < N_ELEMENTS(windows8_upper_runs); i++) {
		const struct windows_upper_run *r = &windows8_upper_runs[i];

		for (u = r->first; u <= r->last; u += r->step)
			expect[u] = (uint16_t)(r->upper + (u - r->first));
	}
	for (u = 0; u <= 0xffff; u++) {
		if (expect[u] != u)
			mapped++;
		if (ntlm_unicode_upper((uint16_t)u) != expect[u]) {
			if (mismatches++ < 5) {
				char name[64];

				snprintf(name, sizeof(name),
					 "U+%04X -> U+%04X, Windows U+%04X", u,
					 ntlm_unicode_upper((uint16_t)u),
					 expect[u]);
				ROW_ASSERT(name, false);
			}
		}
	}
	CU_ASSERT_EQUAL(mismatches, 0);
	/* the runs themselves: 973 units change in Windows 8's table */
	CU_ASSERT_EQUAL(mapped, 973);
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
	{ "Greek σοφός keeps final ς",
	  "\xcf\x83\xce\xbf\xcf\x86\xcf\x8c\xcf\x82",
	  "\xce\xa3\xce\x9f\xce\xa6\xce\x8c\xcf\x82" },
	{ "Vietnamese nguyễn", "nguy\xe1\xbb\x85n", "NGUY\xe1\xbb\x84N" },
	{ "Vietnamese trương", "tr\xc6\xb0\xc6\xa1ng",
	  "TR\xc6\xaf\xc6\xa0NG" },
	{ "Latin Extended-B ǆemal", "\xc7\x86" "emal", "\xc7\x84" "EMAL" },
	{ "titlecase ǅemal keeps ǅ", "\xc7\x85" "emal", "\xc7\x85" "EMAL" },
	{ "Armenian աշոտ", "\xd5\xa1\xd5\xb7\xd5\xb8\xd5\xbf",
	  "\xd4\xb1\xd5\x87\xd5\x88\xd5\x8f" },
	{ "Tajik ҷамшед",
	  "\xd2\xb7\xd0\xb0\xd0\xbc\xd1\x88\xd0\xb5\xd0\xb4",
	  "\xd2\xb6\xd0\x90\xd0\x9c\xd0\xa8\xd0\x95\xd0\x94" },
	{ "Komi ԁаня", "\xd4\x81\xd0\xb0\xd0\xbd\xd1\x8f",
	  "\xd4\x80\xd0\x90\xd0\x9d\xd0\xaf" },
	{ "Georgian ნინო unchanged",
	  "\xe1\x83\x9c\xe1\x83\x98\xe1\x83\x9c\xe1\x83\x9d",
	  "\xe1\x83\x9c\xe1\x83\x98\xe1\x83\x9c\xe1\x83\x9d" },
	{ "Cherokee ꮳꮃꭹ unchanged",
	  "\xea\xae\xb3\xea\xae\x83\xea\xad\xb9",
	  "\xea\xae\xb3\xea\xae\x83\xea\xad\xb9" },
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
	{ "upper-case table is Windows 8's", test_unicode_upper_windows8 },
	{ "upper-case strings", test_unicode_upper_strings },
	{ "upper-case buffer", test_unicode_upper_buffer },
};

int test_unicode_register(void)
{
	return test_register_suite("unicode", NULL, NULL, unicode_tests,
				   N_ELEMENTS(unicode_tests));
}
