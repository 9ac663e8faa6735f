#ifndef NTLM_READER_H
#define NTLM_READER_H

/* The bounds-checked reader. This is the only code in the project that
   turns untrusted lengths and offsets into pointers. Every check is done
   by subtraction against the bytes that remain, so no sum can wrap.

   A reader has a cursor. Reads consume bytes only on success; the first
   failure makes the reader "failed" (sticky), after which every read
   fails and returns nothing, so a chain of reads can be checked once at
   the end. */

#include "ntlm-common.h"

struct ntlm_reader {
	const uint8_t *data;
	size_t size;
	size_t pos;
	bool failed;
};

/* Start reading data[0..size). */
void ntlm_reader_init(struct ntlm_reader *r, const uint8_t *data,
		      size_t size);
/* Same, over a slice. */
void ntlm_reader_init_slice(struct ntlm_reader *r,
			    const struct ntlm_slice *slice);

/* Little-endian integer reads at the cursor. Return true and advance on
   success; on failure leave *value_r untouched and mark the reader
   failed. */
bool ntlm_reader_u8(struct ntlm_reader *r, uint8_t *value_r);
bool ntlm_reader_u16(struct ntlm_reader *r, uint16_t *value_r);
bool ntlm_reader_u32(struct ntlm_reader *r, uint32_t *value_r);
bool ntlm_reader_u64(struct ntlm_reader *r, uint64_t *value_r);
/* Take the next len bytes as a slice. */
bool ntlm_reader_bytes(struct ntlm_reader *r, size_t len,
		       struct ntlm_slice *slice_r);
/* Skip len bytes. */
bool ntlm_reader_skip(struct ntlm_reader *r, size_t len);
/* Move the cursor to an absolute position (at most size). */
bool ntlm_reader_seek(struct ntlm_reader *r, size_t pos);

/* Bytes left after the cursor (0 once failed). */
size_t ntlm_reader_remaining(const struct ntlm_reader *r);
/* True when the reader has not failed. */
bool ntlm_reader_ok(const struct ntlm_reader *r);

/* An MS-NLMP 2.2.1 "fields" descriptor (Len, MaxLen, BufferOffset) as it
   appears in the fixed header of a message. */
struct ntlm_field_desc {
	uint16_t len;
	uint32_t offset;
};

/* Read the 8-byte descriptor at absolute header position hdr_pos. MaxLen
   is read and ignored: only Len says how much data there is. Does not
   move the cursor. */
bool ntlm_reader_field_desc(struct ntlm_reader *r, size_t hdr_pos,
			    struct ntlm_field_desc *desc_r);

/* Resolve a descriptor against the whole message. An empty field (len
   0) is valid wherever it points and gives an empty slice. A non-empty
   field must start at or after payload_start (it may not overlap the
   fixed header) and end inside the message. Returns 0 and fills *slice_r,
   or -1 with a static *error_r. */
int ntlm_reader_resolve_field(const struct ntlm_reader *r,
			      const struct ntlm_field_desc *desc,
			      size_t payload_start,
			      struct ntlm_slice *slice_r, const char **error_r);

/* Where the payload of a message starts, given its descriptors: the
   lowest offset among non-empty fields, or the message size if every
   field is empty. The fixed header of a message ends there, which is how
   decoders learn whether optional VERSION and MIC fields are present
   instead of assuming a header size. */
size_t ntlm_reader_payload_start(const struct ntlm_reader *r,
				 const struct ntlm_field_desc *descs,
				 unsigned int count);

#endif
