#include "test-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t test_hex(const char *hex, uint8_t *buf, size_t size)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex != '\0'; hex++) {
		int v;

		if (*hex == ' ' || *hex == '\n' || *hex == ':' || *hex == '\t')
			continue;
		v = hex_value(*hex);
		if (v < 0) {
			fprintf(stderr, "test_hex: bad character '%c'\n", *hex);
			abort();
		}
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= size) {
			fprintf(stderr, "test_hex: output buffer too small\n");
			abort();
		}
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0) {
		fprintf(stderr, "test_hex: odd number of digits\n");
		abort();
	}
	return n;
}

bool test_equal_hex(const void *data, size_t len, const char *hex)
{
	uint8_t expected[NTLM_MAX_MESSAGE_SIZE];
	size_t n = test_hex(hex, expected, sizeof(expected));

	return n == len && memcmp(data, expected, len) == 0;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

size_t test_base64(const char *b64, uint8_t *buf, size_t size)
{
	uint32_t acc = 0;
	unsigned int bits = 0;
	size_t n = 0;

	for (; *b64 != '\0'; b64++) {
		int v;

		if (*b64 == ' ' || *b64 == '\n' || *b64 == '\t')
			continue;
		if (*b64 == '=')
			break;
		v = b64_value(*b64);
		if (v < 0) {
			fprintf(stderr, "test_base64: bad character '%c'\n", *b64);
			abort();
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= size) {
				fprintf(stderr, "test_base64: buffer too small\n");
				abort();
			}
			buf[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

int test_register_suite(const char *name, CU_InitializeFunc init,
			CU_CleanupFunc cleanup, const struct test_case *tests,
			unsigned int count)
{
	return test_register_suite_teardown(name, init, cleanup, NULL, tests,
					    count);
}

int test_register_suite_teardown(const char *name, CU_InitializeFunc init,
				 CU_CleanupFunc cleanup,
				 CU_TearDownFunc teardown,
				 const struct test_case *tests,
				 unsigned int count)
{
	CU_pSuite suite;
	unsigned int i;

	suite = CU_add_suite_with_setup_and_teardown(name, init, cleanup, NULL,
						     teardown);
	if (suite == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		if (CU_add_test(suite, tests[i].name, tests[i].func) == NULL)
			return -1;
	}
	return 0;
}

const char *test_row_msg(const char *row, const char *cond)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "[%s] %s", row, cond);
	return buf;
}

size_t test_ascii_utf16(const char *str, uint8_t *buf, size_t size)
{
	size_t i, len = strlen(str);

	CU_ASSERT_FATAL(len * 2 <= size);
	for (i = 0; i < len; i++) {
		buf[i * 2] = (uint8_t)str[i];
		buf[i * 2 + 1] = 0;
	}
	return len * 2;
}

bool test_reason_is(const char *error, const char *text)
{
	if (error == NULL) {
		fprintf(stderr, "\nno reason, expected \"%s\"", text);
		return false;
	}
	if (strcmp(error, text) != 0) {
		fprintf(stderr, "\nreason \"%s\", expected \"%s\"", error,
			text);
		return false;
	}
	return true;
}
