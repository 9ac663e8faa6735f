#include "ntlm-reader.h"

void ntlm_reader_init(struct ntlm_reader *r, const uint8_t *data,
		      size_t size)
{
	r->data = data;
	r->size = data == NULL ? 0 : size;
	r->pos = 0;
	r->failed = false;
}

void ntlm_reader_init_slice(struct ntlm_reader *r,
			    const struct ntlm_slice *slice)
{
	ntlm_reader_init(r, slice->data, slice->len);
}

size_t ntlm_reader_remaining(const struct ntlm_reader *r)
{
	return r->failed ? 0 : r->size - r->pos;
}

bool ntlm_reader_ok(const struct ntlm_reader *r)
{
	return !r->failed;
}

/* The one check everything else rests on: can len more bytes be taken
   from the cursor? pos <= size always holds, so size - pos cannot
   wrap. */
static bool reader_have(struct ntlm_reader *r, size_t len)
{
	if (r->failed)
		return false;
	if (len > r->size - r->pos) {
		r->failed = true;
		return false;
	}
	return true;
}

bool ntlm_reader_u8(struct ntlm_reader *r, uint8_t *value_r)
{
	if (!reader_have(r, 1))
		return false;
	*value_r = r->data[r->pos];
	r->pos += 1;
	return true;
}

bool ntlm_reader_u16(struct ntlm_reader *r, uint16_t *value_r)
{
	const uint8_t *p;

	if (!reader_have(r, 2))
		return false;
	p = r->data + r->pos;
	*value_r = (uint16_t)(p[0] | (p[1] << 8));
	r->pos += 2;
	return true;
}

bool ntlm_reader_u32(struct ntlm_reader *r, uint32_t *value_r)
{
	const uint8_t *p;

	if (!reader_have(r, 4))
		return false;
	p = r->data + r->pos;
	*value_r = (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
		((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
	r->pos += 4;
	return true;
}

bool ntlm_reader_u64(struct ntlm_reader *r, uint64_t *value_r)
{
	uint32_t lo, hi;
	size_t start = r->pos;

	if (!reader_have(r, 8))
		return false;
	(void)ntlm_reader_u32(r, &lo);
	(void)ntlm_reader_u32(r, &hi);
	if (r->failed) {
		r->pos = start;
		return false;
	}
	*value_r = ((uint64_t)hi << 32) | lo;
	return true;
}

bool ntlm_reader_bytes(struct ntlm_reader *r, size_t len,
		       struct ntlm_slice *slice_r)
{
	if (!reader_have(r, len))
		return false;
	slice_r->data = len == 0 ? NULL : r->data + r->pos;
	slice_r->len = len;
	r->pos += len;
	return true;
}

bool ntlm_reader_skip(struct ntlm_reader *r, size_t len)
{
	if (!reader_have(r, len))
		return false;
	r->pos += len;
	return true;
}

bool ntlm_reader_seek(struct ntlm_reader *r, size_t pos)
{
	if (r->failed)
		return false;
	if (pos > r->size) {
		r->failed = true;
		return false;
	}
	r->pos = pos;
	return true;
}

bool ntlm_reader_field_desc(struct ntlm_reader *r, size_t hdr_pos,
			    struct ntlm_field_desc *desc_r)
{
	struct ntlm_reader sub;
	uint16_t len, maxlen;
	uint32_t offset;

	if (r->failed)
		return false;
	if (hdr_pos > r->size) {
		r->failed = true;
		return false;
	}
	ntlm_reader_init(&sub, r->data, r->size);
	sub.pos = hdr_pos;
	if (!ntlm_reader_u16(&sub, &len) ||
	    !ntlm_reader_u16(&sub, &maxlen) ||
	    !ntlm_reader_u32(&sub, &offset)) {
		r->failed = true;
		return false;
	}
	/* MaxLen is deliberately ignored: Len alone says how many bytes
	   are read (the CVE-2020-12673 class validated one and read the
	   other). */
	(void)maxlen;
	desc_r->len = len;
	desc_r->offset = offset;
	return true;
}

int ntlm_reader_resolve_field(const struct ntlm_reader *r,
			      const struct ntlm_field_desc *desc,
			      size_t payload_start,
			      struct ntlm_slice *slice_r, const char **error_r)
{
	if (desc->len == 0) {
		slice_r->data = NULL;
		slice_r->len = 0;
		return 0;
	}
	if (desc->offset < payload_start) {
		*error_r = "field overlaps the fixed header";
		return -1;
	}
	/* By subtraction: offset <= size first, then len <= size - offset.
	   A 32-bit offset near 2^32 cannot wrap anything here. */
	if (desc->offset > r->size ||
	    desc->len > r->size - desc->offset) {
		*error_r = "field points outside the message";
		return -1;
	}
	slice_r->data = r->data + desc->offset;
	slice_r->len = desc->len;
	return 0;
}

size_t ntlm_reader_payload_start(const struct ntlm_reader *r,
				 const struct ntlm_field_desc *descs,
				 unsigned int count)
{
	size_t start = r->size;
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (descs[i].len != 0 && descs[i].offset < start)
			start = descs[i].offset;
	}
	return start;
}
