#ifndef TEST_COMMON_H
#define TEST_COMMON_H

/* Helpers shared by the CUnit suites. Each tests/unit/test-<file>.c
   covers src/core/ntlm-<file>.c and exports one registration function
   that adds its suite to the registry; test-main.c calls them all. */

#include <CUnit/CUnit.h>

#include "ntlm-common.h"

/* Decode hex (spaces, newlines and colons are skipped) into buf. Returns
   the byte count. A malformed string or one that does not fit is a bug in
   the test itself: it aborts the run. */
size_t test_hex(const char *hex, uint8_t *buf, size_t size);

/* Compare len bytes at data with a hex string (CU_ASSERT). */
#define TEST_ASSERT_HEX(data, len, hex) \
	CU_ASSERT_TRUE(test_equal_hex((data), (len), (hex)))
bool test_equal_hex(const void *data, size_t len, const char *hex);

/* Base64 decode into buf (for messages quoted from the specs). Aborts on
   malformed input, like test_hex(). */
size_t test_base64(const char *b64, uint8_t *buf, size_t size);

int test_reader_register(void);
int test_writer_register(void);
int test_unicode_register(void);
int test_crypto_register(void);
int test_avpair_register(void);
int test_msg_register(void);
int test_verify_register(void);
int test_server_register(void);
int test_client_register(void);
int test_delegate_register(void);
int test_settings_register(void);

#endif
