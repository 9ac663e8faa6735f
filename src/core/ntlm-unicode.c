/* Strict UTF-16LE / UTF-8 / ISO-8859-1 conversions and the simple
   upper-case mapping NTOWFv2 needs. See ntlm-unicode.h. */

#include "ntlm-unicode.h"
#include "ntlm-unicode-upper.h"

#define ERR_ODD_LENGTH "UTF-16 string has an odd length"
#define ERR_UTF16_NUL "UTF-16 string contains NUL"
#define ERR_LONE_HIGH "UTF-16 string has an unpaired high surrogate"
#define ERR_LONE_LOW "UTF-16 string has an unpaired low surrogate"
#define ERR_UTF8_NUL "UTF-8 string contains NUL"
#define ERR_UTF8_LEAD "UTF-8 string has an invalid lead byte"
#define ERR_UTF8_CONT "UTF-8 string has an invalid continuation byte"
#define ERR_UTF8_TRUNCATED "UTF-8 string ends inside a sequence"
#define ERR_UTF8_OVERLONG "UTF-8 string has an overlong sequence"
#define ERR_UTF8_SURROGATE "UTF-8 string encodes a surrogate"
#define ERR_UTF8_RANGE "UTF-8 string encodes a value above U+10FFFF"
#define ERR_LATIN1_NUL "OEM string contains NUL"
#define ERR_NOT_LATIN1 "character cannot be expressed as OEM (ISO-8859-1)"
#define ERR_NO_SPACE "output buffer too small"

#define IS_HIGH_SURROGATE(u) ((u) >= 0xd800 && (u) <= 0xdbff)
#define IS_LOW_SURROGATE(u) ((u) >= 0xdc00 && (u) <= 0xdfff)

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static void put_le16(uint8_t *p, uint16_t value)
{
	p[0] = (uint8_t)(value & 0xff);
	p[1] = (uint8_t)(value >> 8);
}

/* Bytes needed to encode cp in UTF-8 (cp is a valid scalar value). */
static size_t utf8_len(uint32_t cp)
{
	if (cp < 0x80)
		return 1;
	if (cp < 0x800)
		return 2;
	if (cp < 0x10000)
		return 3;
	return 4;
}

/* Encode cp at out[*pos], keeping room for the terminating NUL. */
static int utf8_put(uint32_t cp, char *out, size_t out_size, size_t *pos,
		    const char **error_r)
{
	size_t n = utf8_len(cp);
	uint8_t *p;

	/* out_size - *pos is at least 1 here: the NUL is always reserved */
	if (n > out_size - *pos - 1) {
		*error_r = ERR_NO_SPACE;
		return -1;
	}
	p = (uint8_t *)out + *pos;
	switch (n) {
	case 1:
		p[0] = (uint8_t)cp;
		break;
	case 2:
		p[0] = (uint8_t)(0xc0 | (cp >> 6));
		p[1] = (uint8_t)(0x80 | (cp & 0x3f));
		break;
	case 3:
		p[0] = (uint8_t)(0xe0 | (cp >> 12));
		p[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		p[2] = (uint8_t)(0x80 | (cp & 0x3f));
		break;
	default:
		p[0] = (uint8_t)(0xf0 | (cp >> 18));
		p[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		p[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		p[3] = (uint8_t)(0x80 | (cp & 0x3f));
		break;
	}
	*pos += n;
	return 0;
}

/* Start a NUL-terminated UTF-8 output: there must be room for the NUL. */
static int utf8_out_begin(char *out, size_t out_size, const char **error_r)
{
	if (out_size == 0) {
		*error_r = ERR_NO_SPACE;
		return -1;
	}
	out[0] = '\0';
	return 0;
}

static int utf8_out_fail(char *out, const char **error_r,
			 const char *error)
{
	/* never leave a half-converted string behind */
	out[0] = '\0';
	*error_r = error;
	return -1;
}

/* Decode one strict UTF-8 sequence at in[*pos]. */
static int utf8_get(const uint8_t *in, size_t in_len, size_t *pos,
		    uint32_t *cp_r, const char **error_r)
{
	uint8_t lead = in[*pos];
	uint32_t cp, min;
	size_t i, n;

	if (lead == 0x00) {
		*error_r = ERR_UTF8_NUL;
		return -1;
	}
	if (lead < 0x80) {
		*cp_r = lead;
		*pos += 1;
		return 0;
	}
	if ((lead & 0xe0) == 0xc0) {
		n = 2;
		cp = lead & 0x1f;
		min = 0x80;
	} else if ((lead & 0xf0) == 0xe0) {
		n = 3;
		cp = lead & 0x0f;
		min = 0x800;
	} else if ((lead & 0xf8) == 0xf0) {
		n = 4;
		cp = lead & 0x07;
		min = 0x10000;
	} else {
		/* a continuation byte, or 0xf8..0xff */
		*error_r = ERR_UTF8_LEAD;
		return -1;
	}
	if (n > in_len - *pos) {
		/* it is only truncation if what is there is well-formed */
		for (i = 1; i < in_len - *pos; i++) {
			if ((in[*pos + i] & 0xc0) != 0x80) {
				*error_r = ERR_UTF8_CONT;
				return -1;
			}
		}
		*error_r = ERR_UTF8_TRUNCATED;
		return -1;
	}
	for (i = 1; i < n; i++) {
		uint8_t c = in[*pos + i];

		if ((c & 0xc0) != 0x80) {
			*error_r = ERR_UTF8_CONT;
			return -1;
		}
		cp = (cp << 6) | (c & 0x3f);
	}
	if (cp < min) {
		*error_r = ERR_UTF8_OVERLONG;
		return -1;
	}
	if (cp >= 0xd800 && cp <= 0xdfff) {
		*error_r = ERR_UTF8_SURROGATE;
		return -1;
	}
	if (cp > 0x10ffff) {
		*error_r = ERR_UTF8_RANGE;
		return -1;
	}
	*cp_r = cp;
	*pos += n;
	return 0;
}

int ntlm_utf16le_to_utf8(const uint8_t *in, size_t in_len,
			 char *out, size_t out_size, size_t *out_len_r,
			 const char **error_r)
{
	size_t i, pos = 0;

	if (utf8_out_begin(out, out_size, error_r) < 0)
		return -1;
	if ((in_len % 2) != 0)
		return utf8_out_fail(out, error_r, ERR_ODD_LENGTH);

	for (i = 0; i < in_len; i += 2) {
		uint16_t unit = get_le16(in + i);
		uint32_t cp = unit;

		if (unit == 0)
			return utf8_out_fail(out, error_r, ERR_UTF16_NUL);
		if (IS_LOW_SURROGATE(unit))
			return utf8_out_fail(out, error_r, ERR_LONE_LOW);
		if (IS_HIGH_SURROGATE(unit)) {
			uint16_t low;

			if (in_len - i < 4)
				return utf8_out_fail(out, error_r,
						     ERR_LONE_HIGH);
			low = get_le16(in + i + 2);
			if (!IS_LOW_SURROGATE(low))
				return utf8_out_fail(out, error_r,
						     ERR_LONE_HIGH);
			cp = 0x10000 + (((uint32_t)unit - 0xd800) << 10) +
				((uint32_t)low - 0xdc00);
			i += 2;
		}
		if (utf8_put(cp, out, out_size, &pos, error_r) < 0)
			return utf8_out_fail(out, error_r, *error_r);
	}
	out[pos] = '\0';
	*out_len_r = pos;
	return 0;
}

int ntlm_utf8_to_utf16le(const char *in, size_t in_len,
			 uint8_t *out, size_t out_size, size_t *out_len_r,
			 const char **error_r)
{
	const uint8_t *p = (const uint8_t *)in;
	size_t i = 0, pos = 0;

	while (i < in_len) {
		uint32_t cp;

		if (utf8_get(p, in_len, &i, &cp, error_r) < 0)
			return -1;
		if (cp < 0x10000) {
			if (out_size - pos < 2) {
				*error_r = ERR_NO_SPACE;
				return -1;
			}
			put_le16(out + pos, (uint16_t)cp);
			pos += 2;
		} else {
			cp -= 0x10000;
			if (out_size - pos < 4) {
				*error_r = ERR_NO_SPACE;
				return -1;
			}
			put_le16(out + pos, (uint16_t)(0xd800 + (cp >> 10)));
			put_le16(out + pos + 2,
				 (uint16_t)(0xdc00 + (cp & 0x3ff)));
			pos += 4;
		}
	}
	*out_len_r = pos;
	return 0;
}

int ntlm_latin1_to_utf8(const uint8_t *in, size_t in_len,
			char *out, size_t out_size, size_t *out_len_r,
			const char **error_r)
{
	size_t i, pos = 0;

	if (utf8_out_begin(out, out_size, error_r) < 0)
		return -1;
	for (i = 0; i < in_len; i++) {
		if (in[i] == 0x00)
			return utf8_out_fail(out, error_r, ERR_LATIN1_NUL);
		if (utf8_put(in[i], out, out_size, &pos, error_r) < 0)
			return utf8_out_fail(out, error_r, *error_r);
	}
	out[pos] = '\0';
	*out_len_r = pos;
	return 0;
}

int ntlm_wire_name_to_utf8(const struct ntlm_slice *wire, bool unicode,
			   char *out, size_t out_size, size_t *out_len_r,
			   const char **error_r)
{
	if (unicode) {
		return ntlm_utf16le_to_utf8(wire->data, wire->len, out,
					    out_size, out_len_r, error_r);
	}
	return ntlm_latin1_to_utf8(wire->data, wire->len, out, out_size,
				   out_len_r, error_r);
}

int ntlm_latin1_to_utf16le(const uint8_t *in, size_t in_len,
			   uint8_t *out, size_t out_size, size_t *out_len_r,
			   const char **error_r)
{
	size_t i;

	for (i = 0; i < in_len; i++) {
		if (in[i] == 0x00) {
			*error_r = ERR_LATIN1_NUL;
			return -1;
		}
	}
	if (in_len > out_size / 2) {
		*error_r = ERR_NO_SPACE;
		return -1;
	}
	for (i = 0; i < in_len; i++)
		put_le16(out + i * 2, in[i]);
	*out_len_r = in_len * 2;
	return 0;
}

int ntlm_utf8_to_latin1(const char *in, size_t in_len,
			uint8_t *out, size_t out_size, size_t *out_len_r,
			const char **error_r)
{
	const uint8_t *p = (const uint8_t *)in;
	size_t i = 0, pos = 0;

	while (i < in_len) {
		uint32_t cp;

		if (utf8_get(p, in_len, &i, &cp, error_r) < 0)
			return -1;
		if (cp > 0xff) {
			*error_r = ERR_NOT_LATIN1;
			return -1;
		}
		if (pos >= out_size) {
			*error_r = ERR_NO_SPACE;
			return -1;
		}
		out[pos++] = (uint8_t)cp;
	}
	*out_len_r = pos;
	return 0;
}

/* Upper-casing. The table is ntlm-unicode-upper.h, made by
   gen-unicode-upper.py (see there for the rule and how it was checked
   against Windows). The index has one entry for each of the
   2^(16 - NTLM_UPPER_BLOCK_BITS) blocks of a 16-bit unit and each block
   has 2^NTLM_UPPER_BLOCK_BITS deltas, so every unit indexes inside both
   arrays. */

#define UPPER_BLOCK_SIZE (1U << NTLM_UPPER_BLOCK_BITS)
#define UPPER_N_BLOCKS \
	(sizeof(ntlm_upper_deltas) / sizeof(ntlm_upper_deltas[0]))

_Static_assert(sizeof(ntlm_upper_index) ==
	       0x10000 / UPPER_BLOCK_SIZE, "the index covers the BMP");
_Static_assert(sizeof(ntlm_upper_deltas[0]) ==
	       UPPER_BLOCK_SIZE * sizeof(uint16_t),
	       "blocks have the indexed size");
_Static_assert(UPPER_N_BLOCKS <= 256, "a uint8_t index reaches every block");

uint16_t ntlm_unicode_upper(uint16_t unit)
{
	unsigned int block = ntlm_upper_index[unit >> NTLM_UPPER_BLOCK_BITS];

	if (block >= UPPER_N_BLOCKS) {
		/* cannot happen with the generated table */
		return unit;
	}
	return (uint16_t)(unit +
			  ntlm_upper_deltas[block][unit &
						   (UPPER_BLOCK_SIZE - 1)]);
}

void ntlm_utf16le_upper(uint8_t *buf, size_t len)
{
	size_t i;

	/* an odd trailing byte (a caller bug) is left alone */
	for (i = 0; i + 1 < len; i += 2)
		put_le16(buf + i, ntlm_unicode_upper(get_le16(buf + i)));
}
