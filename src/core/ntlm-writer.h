#ifndef NTLM_WRITER_H
#define NTLM_WRITER_H

/* A bounded writer for messages we build ourselves (CHALLENGE on the
   server side, NEGOTIATE and AUTHENTICATE on the client side). The fixed
   header is written at absolute positions; variable data is appended to
   the payload after it, and a field descriptor pointing at the appended
   bytes is filled in. Like the reader, a failure (buffer too small, a
   field over 65535 bytes) is sticky and reported once by
   ntlm_writer_finish(). */

#include "ntlm-common.h"

struct ntlm_writer {
	uint8_t *buf;
	size_t size;
	/* end of the payload written so far */
	size_t pos;
	bool failed;
};

/* Start a message of header_len fixed bytes (zeroed) in buf. */
void ntlm_writer_init(struct ntlm_writer *w, uint8_t *buf, size_t size,
		      size_t header_len);

void ntlm_writer_u8_at(struct ntlm_writer *w, size_t pos, uint8_t value);
void ntlm_writer_u16_at(struct ntlm_writer *w, size_t pos, uint16_t value);
void ntlm_writer_u32_at(struct ntlm_writer *w, size_t pos, uint32_t value);
void ntlm_writer_u64_at(struct ntlm_writer *w, size_t pos, uint64_t value);
void ntlm_writer_bytes_at(struct ntlm_writer *w, size_t pos,
			  const void *data, size_t len);

/* Append to the payload. */
void ntlm_writer_append(struct ntlm_writer *w, const void *data,
			size_t len);
void ntlm_writer_append_u16(struct ntlm_writer *w, uint16_t value);
void ntlm_writer_append_u32(struct ntlm_writer *w, uint32_t value);
void ntlm_writer_append_u64(struct ntlm_writer *w, uint64_t value);

/* Append data and point the descriptor at header position desc_pos to
   it. An empty field gets Len 0 and the current payload offset. */
void ntlm_writer_field(struct ntlm_writer *w, size_t desc_pos,
		       const void *data, size_t len);
/* Point the descriptor at desc_pos to payload bytes [start, pos), for
   data appended piecewise (AV pair lists). */
void ntlm_writer_field_since(struct ntlm_writer *w, size_t desc_pos,
			     size_t start);

/* Current payload end, for ntlm_writer_field_since(). */
size_t ntlm_writer_pos(const struct ntlm_writer *w);

/* Returns 0 and the message length, or -1 if anything overflowed. */
int ntlm_writer_finish(struct ntlm_writer *w, size_t *len_r,
		       const char **error_r);

#endif
