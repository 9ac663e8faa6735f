/* Tests for src/core/ntlm-reader.c: the bounds-checked reader, field
   descriptors and their resolution against a message. */

#include "test-common.h"
#include "ntlm-reader.h"

#include <stdio.h>
#include <string.h>

static const uint8_t sample[] = {
	0x01,
	0x02, 0x03,
	0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0xff, 0xfe,
};

/* ------------------------------------------------------------------ */
/* Integer reads */

static void test_reader_integers(void)
{
	struct ntlm_reader r;
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	uint32_t v32 = 0;
	uint64_t v64 = 0;

	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_TRUE(ntlm_reader_ok(&r));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), sizeof(sample));

	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x01);
	CU_ASSERT_TRUE(ntlm_reader_u16(&r, &v16));
	CU_ASSERT_EQUAL(v16, 0x0302);
	CU_ASSERT_TRUE(ntlm_reader_u32(&r, &v32));
	CU_ASSERT_EQUAL(v32, 0x07060504);
	CU_ASSERT_TRUE(ntlm_reader_u64(&r, &v64));
	CU_ASSERT(v64 == 0x0f0e0d0c0b0a0908ULL);
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 2);
	/* high bits survive (no sign extension) */
	CU_ASSERT_TRUE(ntlm_reader_u16(&r, &v16));
	CU_ASSERT_EQUAL(v16, 0xfeff);
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);
	CU_ASSERT_TRUE(ntlm_reader_ok(&r));

	/* all-ones values */
	{
		static const uint8_t ones[8] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
		};

		ntlm_reader_init(&r, ones, sizeof(ones));
		CU_ASSERT_TRUE(ntlm_reader_u64(&r, &v64));
		CU_ASSERT(v64 == UINT64_MAX);
		ntlm_reader_init(&r, ones, sizeof(ones));
		CU_ASSERT_TRUE(ntlm_reader_u32(&r, &v32));
		CU_ASSERT_EQUAL(v32, UINT32_MAX);
	}
}

/* Each read one byte short of what it needs fails, leaves the value
   alone and fails the reader. */
static void test_reader_short_reads(void)
{
	struct ntlm_reader r;
	uint8_t v8 = 0x5a;
	uint16_t v16 = 0x5a5a;
	uint32_t v32 = 0x5a5a5a5a;
	uint64_t v64 = 0x5a5a5a5a5a5a5a5aULL;

	ntlm_reader_init(&r, sample, 0);
	CU_ASSERT_FALSE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x5a);
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));

	ntlm_reader_init(&r, sample, 1);
	CU_ASSERT_FALSE(ntlm_reader_u16(&r, &v16));
	CU_ASSERT_EQUAL(v16, 0x5a5a);
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));

	ntlm_reader_init(&r, sample, 3);
	CU_ASSERT_FALSE(ntlm_reader_u32(&r, &v32));
	CU_ASSERT_EQUAL(v32, 0x5a5a5a5a);
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));

	ntlm_reader_init(&r, sample, 7);
	CU_ASSERT_FALSE(ntlm_reader_u64(&r, &v64));
	CU_ASSERT(v64 == 0x5a5a5a5a5a5a5a5aULL);
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);

	/* a read that needs the last byte exactly succeeds */
	ntlm_reader_init(&r, sample, 8);
	CU_ASSERT_TRUE(ntlm_reader_skip(&r, 4));
	CU_ASSERT_TRUE(ntlm_reader_u32(&r, &v32));
	CU_ASSERT_EQUAL(v32, 0x08070605);
	CU_ASSERT_TRUE(ntlm_reader_ok(&r));
}

/* Once failed, every read fails, even one that would fit. */
static void test_reader_sticky(void)
{
	struct ntlm_reader r;
	static const uint8_t marker[1] = { 'x' };
	struct ntlm_slice slice = { marker, 1 };
	uint8_t v8 = 0x5a;
	uint16_t v16 = 0x5a5a;
	uint32_t v32 = 0x5a5a5a5a;
	uint64_t v64 = 0x5a5a5a5a5a5a5a5aULL;

	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_FALSE(ntlm_reader_skip(&r, sizeof(sample)));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);

	v8 = 0x5a;
	CU_ASSERT_FALSE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x5a);
	CU_ASSERT_FALSE(ntlm_reader_u16(&r, &v16));
	CU_ASSERT_EQUAL(v16, 0x5a5a);
	CU_ASSERT_FALSE(ntlm_reader_u32(&r, &v32));
	CU_ASSERT_EQUAL(v32, 0x5a5a5a5a);
	CU_ASSERT_FALSE(ntlm_reader_u64(&r, &v64));
	CU_ASSERT(v64 == 0x5a5a5a5a5a5a5a5aULL);
	CU_ASSERT_FALSE(ntlm_reader_bytes(&r, 1, &slice));
	CU_ASSERT_FALSE(ntlm_reader_bytes(&r, 0, &slice));
	CU_ASSERT_PTR_EQUAL(slice.data, marker);
	CU_ASSERT_EQUAL(slice.len, 1);
	CU_ASSERT_FALSE(ntlm_reader_skip(&r, 0));
	CU_ASSERT_FALSE(ntlm_reader_seek(&r, 0));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);

	/* a chain checked once at the end */
	ntlm_reader_init(&r, sample, 5);
	(void)ntlm_reader_u32(&r, &v32);
	(void)ntlm_reader_u32(&r, &v32);	/* fails */
	/* would fit, but still fails */
	(void)ntlm_reader_u8(&r, &v8);
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	CU_ASSERT_EQUAL(v32, 0x04030201);
	CU_ASSERT_EQUAL(v8, 0x5a);
}

/* ------------------------------------------------------------------ */
/* bytes / skip / seek */

static void test_reader_bytes_skip_seek(void)
{
	struct ntlm_reader r;
	struct ntlm_slice slice, whole;
	uint8_t v8 = 0;

	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_TRUE_FATAL(ntlm_reader_bytes(&r, 3, &slice));
	CU_ASSERT_PTR_EQUAL(slice.data, sample);
	CU_ASSERT_EQUAL(slice.len, 3);
	CU_ASSERT_TRUE_FATAL(ntlm_reader_bytes(&r, 2, &slice));
	CU_ASSERT_PTR_EQUAL(slice.data, sample + 3);
	CU_ASSERT_EQUAL(slice.len, 2);
	TEST_ASSERT_HEX(slice.data, slice.len, "0405");
	/* an empty slice is fine and moves nothing */
	CU_ASSERT_TRUE(ntlm_reader_bytes(&r, 0, &slice));
	CU_ASSERT_EQUAL(slice.len, 0);
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), sizeof(sample) - 5);

	/* skip then read */
	CU_ASSERT_TRUE(ntlm_reader_skip(&r, 2));
	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x08);
	CU_ASSERT_TRUE(ntlm_reader_skip(&r, 0));

	/* take exactly the rest */
	CU_ASSERT_TRUE_FATAL(ntlm_reader_bytes(&r, ntlm_reader_remaining(&r),
					       &slice));
	CU_ASSERT_PTR_EQUAL(slice.data, sample + 8);
	CU_ASSERT_EQUAL(slice.len, sizeof(sample) - 8);
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);
	CU_ASSERT_TRUE(ntlm_reader_ok(&r));

	/* seek: back, to the end, and past it */
	CU_ASSERT_TRUE(ntlm_reader_seek(&r, 1));
	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x02);
	CU_ASSERT_TRUE(ntlm_reader_seek(&r, sizeof(sample)));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 0);
	CU_ASSERT_TRUE(ntlm_reader_ok(&r));
	CU_ASSERT_TRUE(ntlm_reader_seek(&r, 0));
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), sizeof(sample));
	CU_ASSERT_FALSE(ntlm_reader_seek(&r, sizeof(sample) + 1));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));

	/* huge lengths cannot wrap the cursor */
	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_TRUE(ntlm_reader_skip(&r, 1));
	CU_ASSERT_FALSE(ntlm_reader_skip(&r, SIZE_MAX));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_TRUE(ntlm_reader_skip(&r, 1));
	CU_ASSERT_FALSE(ntlm_reader_bytes(&r, SIZE_MAX, &slice));
	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_FALSE(ntlm_reader_bytes(&r, sizeof(sample) + 1, &slice));
	ntlm_reader_init(&r, sample, sizeof(sample));
	CU_ASSERT_FALSE(ntlm_reader_seek(&r, SIZE_MAX));

	/* init over a slice */
	whole.data = sample + 2;
	whole.len = 3;
	ntlm_reader_init_slice(&r, &whole);
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), 3);
	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x03);
	CU_ASSERT_FALSE(ntlm_reader_skip(&r, 3));
}

/* ------------------------------------------------------------------ */
/* Field descriptors */

#define MSG_SIZE 96
#define DESC_POS 12
#define PAYLOAD_START 64

static void put_desc(uint8_t *p, uint16_t len, uint16_t maxlen,
		     uint32_t offset)
{
	p[0] = (uint8_t)len;
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)maxlen;
	p[3] = (uint8_t)(maxlen >> 8);
	p[4] = (uint8_t)offset;
	p[5] = (uint8_t)(offset >> 8);
	p[6] = (uint8_t)(offset >> 16);
	p[7] = (uint8_t)(offset >> 24);
}

static void test_reader_field_desc(void)
{
	uint8_t msg[MSG_SIZE];
	struct ntlm_reader r;
	struct ntlm_field_desc desc = { 0x5a5a, 0x5a5a5a5a };
	uint8_t v8 = 0;

	memset(msg, 0, sizeof(msg));
	put_desc(msg + DESC_POS, 0x1234, 0xffff, 0x01020304);
	msg[0] = 0x77;

	ntlm_reader_init(&r, msg, sizeof(msg));
	CU_ASSERT_TRUE_FATAL(ntlm_reader_field_desc(&r, DESC_POS, &desc));
	CU_ASSERT_EQUAL(desc.len, 0x1234);
	CU_ASSERT_EQUAL(desc.offset, 0x01020304);
	/* the cursor did not move */
	CU_ASSERT_EQUAL(ntlm_reader_remaining(&r), sizeof(msg));
	CU_ASSERT_TRUE(ntlm_reader_u8(&r, &v8));
	CU_ASSERT_EQUAL(v8, 0x77);

	/* a descriptor ending exactly at the end */
	put_desc(msg + MSG_SIZE - 8, 2, 2, 0xfffffffe);
	CU_ASSERT_TRUE(ntlm_reader_field_desc(&r, MSG_SIZE - 8, &desc));
	CU_ASSERT_EQUAL(desc.len, 2);
	CU_ASSERT_EQUAL(desc.offset, 0xfffffffe);

	/* a descriptor that does not fit fails the reader */
	desc.len = 0x5a5a;
	ntlm_reader_init(&r, msg, sizeof(msg));
	CU_ASSERT_FALSE(ntlm_reader_field_desc(&r, MSG_SIZE - 7, &desc));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	ntlm_reader_init(&r, msg, sizeof(msg));
	CU_ASSERT_FALSE(ntlm_reader_field_desc(&r, MSG_SIZE + 1, &desc));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	ntlm_reader_init(&r, msg, sizeof(msg));
	CU_ASSERT_FALSE(ntlm_reader_field_desc(&r, SIZE_MAX - 2, &desc));
	CU_ASSERT_FALSE(ntlm_reader_ok(&r));
	ntlm_reader_init(&r, msg, 8 + DESC_POS - 1);
	CU_ASSERT_FALSE(ntlm_reader_field_desc(&r, DESC_POS, &desc));
}

/* Security buffers: a descriptor written into a MSG_SIZE-byte message,
   read back with ntlm_reader_field_desc() and resolved with
   PAYLOAD_START. */
struct field_case {
	const char *name;
	uint16_t len, maxlen;
	uint32_t offset;
	bool ok;
};

static const struct field_case field_cases[] = {
	/* empty fields are valid anywhere */
	{ "empty at 0", 0, 0, 0, true },
	{ "empty inside the fixed header", 0, 0, 8, true },
	{ "empty at payload start", 0, 0, PAYLOAD_START, true },
	{ "empty at message end", 0, 0, MSG_SIZE, true },
	{ "empty past message end", 0, 0, MSG_SIZE + 1000, true },
	{ "empty at 0xffffffff", 0, 0, 0xffffffff, true },
	{ "empty with MaxLen 0xffff", 0, 0xffff, 0x7fffffff, true },
	/* in bounds */
	{ "at payload start", 4, 4, PAYLOAD_START, true },
	{ "whole payload", MSG_SIZE - PAYLOAD_START,
	  MSG_SIZE - PAYLOAD_START, PAYLOAD_START, true },
	{ "ends exactly at message end", 8, 8, MSG_SIZE - 8, true },
	{ "last byte", 1, 1, MSG_SIZE - 1, true },
	/* out of bounds */
	{ "one byte past end", 9, 9, MSG_SIZE - 8, false },
	{ "starts at end", 1, 1, MSG_SIZE, false },
	{ "offset beyond message", 4, 4, MSG_SIZE + 10, false },
	{ "offset far beyond message", 4, 4, 0x10000000, false },
	{ "offset wraps 32 bits", 16, 16, 0xfffffff8, false },
	{ "offset 0xffffffff, len 1", 1, 1, 0xffffffff, false },
	{ "offset 0xffffffff, len 0xffff", 0xffff, 0xffff, 0xffffffff,
	  false },
	{ "len > remaining", MSG_SIZE - PAYLOAD_START + 1,
	  MSG_SIZE - PAYLOAD_START + 1, PAYLOAD_START, false },
	{ "len 0xffff", 0xffff, 0xffff, PAYLOAD_START, false },
	/* overlapping the fixed header */
	{ "overlaps fixed header by one", 4, 4, PAYLOAD_START - 1, false },
	{ "starts at signature", 8, 8, 0, false },
	{ "points at own descriptor", 8, 8, DESC_POS, false },
	/* MaxLen is ignored: only Len counts */
	{ "MaxLen larger than Len", 4, 0xffff, PAYLOAD_START, true },
	{ "MaxLen smaller than Len", 8, 0, PAYLOAD_START, true },
	{ "MaxLen fits, Len does not", MSG_SIZE, 4, PAYLOAD_START, false },
	{ "MaxLen fits, Len 0xffff", 0xffff, 1, PAYLOAD_START, false },
};

static void test_reader_resolve_field(void)
{
	unsigned int i;
	uint8_t msg[MSG_SIZE];

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;

	for (i = 0; i < N_ELEMENTS(field_cases); i++) {
		const struct field_case *c = &field_cases[i];
		struct ntlm_reader r;
		struct ntlm_field_desc desc;
		struct ntlm_slice slice = { NULL, 0x5a5a };
		const char *error = NULL;
		uint8_t copy[MSG_SIZE];
		int ret;

		memcpy(copy, msg, sizeof(copy));
		put_desc(copy + DESC_POS, c->len, c->maxlen, c->offset);
		ntlm_reader_init(&r, copy, sizeof(copy));
		if (!ntlm_reader_field_desc(&r, DESC_POS, &desc)) {
			ROW_ASSERT(c->name, false);
			continue;
		}
		ROW_ASSERT(c->name, desc.len == c->len);
		ROW_ASSERT(c->name, desc.offset == c->offset);

		ret = ntlm_reader_resolve_field(&r, &desc, PAYLOAD_START,
						&slice, &error);
		if (!c->ok) {
			ROW_ASSERT(c->name, ret == -1);
			ROW_ASSERT(c->name, error != NULL);
			continue;
		}
		ROW_ASSERT(c->name, ret == 0);
		ROW_ASSERT(c->name, slice.len == c->len);
		if (c->len > 0) {
			ROW_ASSERT(c->name, slice.data == copy + c->offset);
		}
		/* resolving does not touch the reader */
		ROW_ASSERT(c->name, ntlm_reader_ok(&r));
		ROW_ASSERT(c->name, ntlm_reader_remaining(&r) == MSG_SIZE);
	}
}

/* ------------------------------------------------------------------ */
/* payload_start */

#define MAX_DESCS 6

struct payload_case {
	const char *name;
	unsigned int count;
	struct ntlm_field_desc descs[MAX_DESCS];
	size_t expect;
};

static const struct payload_case payload_cases[] = {
	{ "no descriptors", 0, { { 0, 0 } }, MSG_SIZE },
	{ "all empty", 3, { { 0, 0 }, { 0, 8 }, { 0, 64 } }, MSG_SIZE },
	{ "one non-empty", 1, { { 4, 72 } }, 72 },
	{ "empty at low offset does not count", 3,
	  { { 0, 0 }, { 4, 80 }, { 0, 12 } }, 80 },
	{ "lowest of several", 4,
	  { { 2, 90 }, { 4, 72 }, { 8, 88 }, { 0, 40 } }, 72 },
	{ "first is lowest", 3, { { 2, 64 }, { 4, 72 }, { 8, 88 } }, 64 },
	{ "mixed, AUTHENTICATE-like, no VERSION", 6,
	  { { 24, 64 }, { 0, 0 }, { 12, 88 }, { 8, 100 }, { 0, 0 },
	    { 0, 108 } }, 64 },
	{ "mixed, VERSION and MIC present", 6,
	  { { 0, 88 }, { 24, 88 }, { 14, 112 }, { 8, 126 }, { 16, 134 },
	    { 0, 150 } }, 88 },
	{ "empty field with offset 0 and lower real field", 2,
	  { { 0, 0 }, { 1, 48 } }, 48 },
};

static void test_reader_payload_start(void)
{
	uint8_t msg[MSG_SIZE];
	unsigned int i;

	memset(msg, 0, sizeof(msg));
	for (i = 0; i < N_ELEMENTS(payload_cases); i++) {
		const struct payload_case *c = &payload_cases[i];
		struct ntlm_reader r;

		ntlm_reader_init(&r, msg, sizeof(msg));
		ROW_ASSERT(c->name,
			   ntlm_reader_payload_start(&r, c->descs,
						     c->count) == c->expect);
	}
}

/* payload_start and resolve_field together: a field that starts before
   the computed payload start cannot exist, one at it resolves. */
static void test_reader_payload_resolve(void)
{
	uint8_t msg[MSG_SIZE];
	struct ntlm_field_desc descs[3] = {
		{ 0, 0 }, { 8, 72 }, { 4, 80 },
	};
	struct ntlm_reader r;
	struct ntlm_slice slice;
	const char *error;
	size_t start;

	memset(msg, 0, sizeof(msg));
	ntlm_reader_init(&r, msg, sizeof(msg));
	start = ntlm_reader_payload_start(&r, descs, 3);
	CU_ASSERT_EQUAL_FATAL(start, 72);
	CU_ASSERT_EQUAL(ntlm_reader_resolve_field(&r, &descs[0], start,
						  &slice, &error), 0);
	CU_ASSERT_EQUAL(slice.len, 0);
	CU_ASSERT_EQUAL(ntlm_reader_resolve_field(&r, &descs[1], start,
						  &slice, &error), 0);
	CU_ASSERT_PTR_EQUAL(slice.data, msg + 72);
	CU_ASSERT_EQUAL(slice.len, 8);
	CU_ASSERT_EQUAL(ntlm_reader_resolve_field(&r, &descs[2], start,
						  &slice, &error), 0);
	CU_ASSERT_PTR_EQUAL(slice.data, msg + 80);
	CU_ASSERT_EQUAL(slice.len, 4);
}

static const struct test_case reader_tests[] = {
	{ "integer reads", test_reader_integers },
	{ "short reads", test_reader_short_reads },
	{ "sticky failure", test_reader_sticky },
	{ "bytes, skip, seek", test_reader_bytes_skip_seek },
	{ "field descriptors", test_reader_field_desc },
	{ "security buffers", test_reader_resolve_field },
	{ "payload start", test_reader_payload_start },
	{ "payload start and resolve", test_reader_payload_resolve },
};

int test_reader_register(void)
{
	return test_register_suite("reader", NULL, NULL, reader_tests,
				   N_ELEMENTS(reader_tests));
}
