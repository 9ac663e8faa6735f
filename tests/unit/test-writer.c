/* Tests for src/core/ntlm-writer.c: the bounded message writer. */

#include "test-common.h"
#include "ntlm-writer.h"

#include <stdlib.h>
#include <string.h>

#define CANARY 0xa5

static bool all_canary(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != CANARY)
			return false;
	}
	return true;
}

static void test_writer_header(void)
{
	uint8_t buf[64];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 0;

	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, sizeof(buf), 24);
	/* the header is zeroed, nothing after it is touched */
	TEST_ASSERT_HEX(buf, 24, "000000000000000000000000"
			"000000000000000000000000");
	CU_ASSERT_TRUE(all_canary(buf + 24, sizeof(buf) - 24));
	CU_ASSERT_EQUAL(ntlm_writer_pos(&w), 24);

	ntlm_writer_bytes_at(&w, 0, "NTLMSSP", 8);
	ntlm_writer_u32_at(&w, 8, 0x00000002);
	ntlm_writer_u8_at(&w, 12, 0xab);
	ntlm_writer_u16_at(&w, 14, 0x1234);
	ntlm_writer_u64_at(&w, 16, 0x0102030405060708ULL);
	/* header writes do not move the payload */
	CU_ASSERT_EQUAL(ntlm_writer_pos(&w), 24);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 24);
	TEST_ASSERT_HEX(buf, len,
			"4e544c4d53535000 02000000 ab00 3412"
			"0807060504030201");

	/* a later write at a header position overwrites */
	ntlm_writer_u16_at(&w, 12, 0xffff);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	TEST_ASSERT_HEX(buf + 12, 2, "ffff");
	/* zero-length writes anywhere in bounds are no-ops */
	ntlm_writer_bytes_at(&w, 24, "", 0);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), 0);
}

static void test_writer_append(void)
{
	uint8_t buf[64];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 0;

	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, sizeof(buf), 4);
	ntlm_writer_append(&w, "ab", 2);
	ntlm_writer_append(&w, NULL, 0);
	ntlm_writer_append_u16(&w, 0xbeef);
	ntlm_writer_append_u32(&w, 0xdeadbeef);
	ntlm_writer_append_u64(&w, 0x1122334455667788ULL);
	CU_ASSERT_EQUAL(ntlm_writer_pos(&w), 4 + 2 + 2 + 4 + 8);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 20);
	TEST_ASSERT_HEX(buf, len, "00000000 6162 efbe efbeadde"
			"8877665544332211");
	CU_ASSERT_TRUE(all_canary(buf + 20, sizeof(buf) - 20));
}

static void test_writer_fields(void)
{
	uint8_t buf[64];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 0, start;

	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, sizeof(buf), 24);
	ntlm_writer_field(&w, 0, "abc", 3);
	ntlm_writer_field(&w, 8, NULL, 0);
	start = ntlm_writer_pos(&w);
	CU_ASSERT_EQUAL(start, 27);
	ntlm_writer_append_u16(&w, 0x0002);
	ntlm_writer_append_u16(&w, 0x0000);
	ntlm_writer_field_since(&w, 16, start);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 31);
	TEST_ASSERT_HEX(buf, len,
			/* Len, MaxLen, Offset */
			"0300 0300 18000000"
			/* empty: Len 0 at the current payload end */
			"0000 0000 1b000000"
			"0400 0400 1b000000"
			"616263 02000000");

	/* an empty field_since */
	ntlm_writer_init(&w, buf, sizeof(buf), 8);
	start = ntlm_writer_pos(&w);
	ntlm_writer_field_since(&w, 0, start);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 8);
	TEST_ASSERT_HEX(buf, 8, "0000 0000 08000000");

	/* a start beyond the payload end is misuse */
	ntlm_writer_init(&w, buf, sizeof(buf), 8);
	ntlm_writer_field_since(&w, 0, 9);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
}

static void test_writer_exact_fit(void)
{
	uint8_t buf[32];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 0;

	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_append_u32(&w, 0x04030201);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 20);
	TEST_ASSERT_HEX(buf + 16, 4, "01020304");
	CU_ASSERT_TRUE(all_canary(buf + 20, sizeof(buf) - 20));

	/* header exactly the buffer */
	ntlm_writer_init(&w, buf, 16, 16);
	ntlm_writer_u64_at(&w, 8, 0);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 16);
}

/* Overflow: the failing write writes nothing, later writes that would
   fit do nothing either, and finish() reports it. */
static void test_writer_overflow(void)
{
	uint8_t buf[32];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 12345;

	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_append(&w, "abcde", 5);
	CU_ASSERT_TRUE(all_canary(buf + 16, sizeof(buf) - 16));
	ntlm_writer_append(&w, "x", 1);
	ntlm_writer_u8_at(&w, 0, 0x77);
	CU_ASSERT_TRUE(all_canary(buf + 16, sizeof(buf) - 16));
	CU_ASSERT_EQUAL(buf[0], 0x00);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
	CU_ASSERT_EQUAL(len, 12345);
	/* still failed on a second look */
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* each kind of write can overflow */
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_append_u64(&w, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 18);
	ntlm_writer_append_u32(&w, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 19);
	ntlm_writer_append_u16(&w, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_u16_at(&w, 19, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_u32_at(&w, 17, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_u64_at(&w, 13, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_u8_at(&w, 20, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_u8_at(&w, SIZE_MAX, 1);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_bytes_at(&w, 18, "abc", 3);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_field(&w, 0, "abcde", 5);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	/* a descriptor position outside the buffer */
	ntlm_writer_init(&w, buf, 20, 16);
	ntlm_writer_field(&w, 16, "ab", 2);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	/* a header larger than the buffer */
	memset(buf, CANARY, sizeof(buf));
	ntlm_writer_init(&w, buf, 8, 16);
	CU_ASSERT_TRUE(all_canary(buf + 8, sizeof(buf) - 8));
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
}

/* A field is at most 65535 bytes: Len is 16 bits. */
static void test_writer_field_limit(void)
{
	size_t size = 16 + 65536 + 16;
	uint8_t *buf = malloc(size);
	uint8_t *data = malloc(65536);
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);
	memset(data, 'x', 65536);

	ntlm_writer_init(&w, buf, size, 16);
	ntlm_writer_field(&w, 0, data, 65535);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	CU_ASSERT_EQUAL(len, 16 + 65535);
	TEST_ASSERT_HEX(buf, 8, "ffff ffff 10000000");

	ntlm_writer_init(&w, buf, size, 16);
	ntlm_writer_field(&w, 0, data, 65536);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* the same through field_since */
	ntlm_writer_init(&w, buf, size, 16);
	ntlm_writer_append(&w, data, 65536);
	ntlm_writer_field_since(&w, 0, 16);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);

	free(data);
	free(buf);
}

static const struct test_case writer_tests[] = {
	{ "header writes", test_writer_header },
	{ "appends", test_writer_append },
	{ "fields", test_writer_fields },
	{ "exact fit", test_writer_exact_fit },
	{ "overflow", test_writer_overflow },
	{ "field size limit", test_writer_field_limit },
};

int test_writer_register(void)
{
	return test_register_suite("writer", NULL, NULL, writer_tests,
				   N_ELEMENTS(writer_tests));
}
