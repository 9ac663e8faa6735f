#include "ntlm-writer.h"

#include <string.h>

void ntlm_writer_init(struct ntlm_writer *w, uint8_t *buf, size_t size,
		      size_t header_len)
{
	w->buf = buf;
	w->size = size;
	w->pos = header_len;
	w->failed = header_len > size;
	if (!w->failed)
		memset(buf, 0, header_len);
}

/* Room for len bytes at pos, checked by subtraction. */
static bool writer_room(struct ntlm_writer *w, size_t pos, size_t len)
{
	if (w->failed)
		return false;
	if (pos > w->size || len > w->size - pos) {
		w->failed = true;
		return false;
	}
	return true;
}

static void put_le(uint8_t *p, uint64_t value, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++)
		p[i] = (uint8_t)(value >> (8 * i));
}

void ntlm_writer_u8_at(struct ntlm_writer *w, size_t pos, uint8_t value)
{
	if (writer_room(w, pos, 1))
		w->buf[pos] = value;
}

void ntlm_writer_u16_at(struct ntlm_writer *w, size_t pos, uint16_t value)
{
	if (writer_room(w, pos, 2))
		put_le(w->buf + pos, value, 2);
}

void ntlm_writer_u32_at(struct ntlm_writer *w, size_t pos, uint32_t value)
{
	if (writer_room(w, pos, 4))
		put_le(w->buf + pos, value, 4);
}

void ntlm_writer_u64_at(struct ntlm_writer *w, size_t pos, uint64_t value)
{
	if (writer_room(w, pos, 8))
		put_le(w->buf + pos, value, 8);
}

void ntlm_writer_bytes_at(struct ntlm_writer *w, size_t pos,
			  const void *data, size_t len)
{
	if (len > 0 && writer_room(w, pos, len))
		memcpy(w->buf + pos, data, len);
}

void ntlm_writer_append(struct ntlm_writer *w, const void *data, size_t len)
{
	if (!writer_room(w, w->pos, len))
		return;
	if (len > 0)
		memcpy(w->buf + w->pos, data, len);
	w->pos += len;
}

void ntlm_writer_append_u16(struct ntlm_writer *w, uint16_t value)
{
	if (writer_room(w, w->pos, 2)) {
		put_le(w->buf + w->pos, value, 2);
		w->pos += 2;
	}
}

void ntlm_writer_append_u32(struct ntlm_writer *w, uint32_t value)
{
	if (writer_room(w, w->pos, 4)) {
		put_le(w->buf + w->pos, value, 4);
		w->pos += 4;
	}
}

void ntlm_writer_append_u64(struct ntlm_writer *w, uint64_t value)
{
	if (writer_room(w, w->pos, 8)) {
		put_le(w->buf + w->pos, value, 8);
		w->pos += 8;
	}
}

static void writer_desc(struct ntlm_writer *w, size_t desc_pos,
			size_t offset, size_t len)
{
	if (w->failed)
		return;
	if (len > UINT16_MAX || offset > UINT32_MAX) {
		w->failed = true;
		return;
	}
	ntlm_writer_u16_at(w, desc_pos, (uint16_t)len);
	ntlm_writer_u16_at(w, desc_pos + 2, (uint16_t)len);
	ntlm_writer_u32_at(w, desc_pos + 4, (uint32_t)offset);
}

void ntlm_writer_field(struct ntlm_writer *w, size_t desc_pos,
		       const void *data, size_t len)
{
	size_t start = w->pos;

	ntlm_writer_append(w, data, len);
	writer_desc(w, desc_pos, start, len);
}

void ntlm_writer_field_since(struct ntlm_writer *w, size_t desc_pos,
			     size_t start)
{
	if (!w->failed && start > w->pos)
		w->failed = true;
	if (w->failed)
		return;
	writer_desc(w, desc_pos, start, w->pos - start);
}

size_t ntlm_writer_pos(const struct ntlm_writer *w)
{
	return w->pos;
}

int ntlm_writer_finish(struct ntlm_writer *w, size_t *len_r,
		       const char **error_r)
{
	if (w->failed) {
		*error_r = "message does not fit its buffer";
		return -1;
	}
	*len_r = w->pos;
	return 0;
}
