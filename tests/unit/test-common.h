#ifndef TEST_COMMON_H
#define TEST_COMMON_H

/* Helpers shared by the CUnit suites. Each tests/unit/test-<file>.c
   covers src/core/ntlm-<file>.c and exports one registration function
   that adds its suite to the registry; test-main.c calls them all. */

#include <CUnit/CUnit.h>

#include "ntlm-common.h"

#define N_ELEMENTS(arr) (sizeof(arr) / sizeof((arr)[0]))

/* One named test of a suite's table. */
struct test_case {
	const char *name;
	CU_TestFunc func;
};

/* Add a suite with its tests; returns 0, or -1 on a CUnit error. */
int test_register_suite(const char *name, CU_InitializeFunc init,
			CU_CleanupFunc cleanup, const struct test_case *tests,
			unsigned int count);
/* The same with a teardown run after each test, pass or fail (a failed
   CU_*_FATAL assertion ends a test early: what it set up is still
   released). */
int test_register_suite_teardown(const char *name, CU_InitializeFunc init,
				 CU_CleanupFunc cleanup,
				 CU_TearDownFunc teardown,
				 const struct test_case *tests,
				 unsigned int count);

/* An assertion inside a table loop, reported with the row's name:
   "[offset wraps 32 bits] ret == -1". */
const char *test_row_msg(const char *row, const char *cond);
#define ROW_ASSERT(row, cond) \
	CU_assertImplementation((cond), __LINE__, \
				test_row_msg((row), #cond), __FILE__, "", \
				CU_FALSE)

/* ASCII text as UTF-16LE into buf (asserts that it fits); the length. */
size_t test_ascii_utf16(const char *str, uint8_t *buf, size_t size);

/* Decode hex (spaces, newlines and colons are skipped) into buf. Returns
   the byte count. A malformed string or one that does not fit is a bug in
   the test itself: it aborts the run. */
size_t test_hex(const char *hex, uint8_t *buf, size_t size);

/* Compare len bytes at data with a hex string (CU_ASSERT). */
#define TEST_ASSERT_HEX(data, len, hex) \
	CU_ASSERT_TRUE(test_equal_hex((data), (len), (hex)))
bool test_equal_hex(const void *data, size_t len, const char *hex);

/* A static reason from an error_r: not NULL and equal to text. */
#define TEST_ASSERT_REASON(error, text) \
	CU_ASSERT_TRUE(test_reason_is((error), (text)))
bool test_reason_is(const char *error, const char *text);

/* The crypto without the legacy provider, for the reasons its absence
   gives: the runner's ntlm_crypto_init() is undone and done again with
   OPENSSL_MODULES naming a directory that does not exist. Returns
   whether MD4, DES and RC4 are now missing (asserted). Every call must
   be followed by test_crypto_restore_legacy(), which initialises the
   crypto as the runner did and asserts that the legacy provider is
   back; no CU_*_FATAL assertion may come between the two. In
   test-crypto.c (test-ntlm only). */
bool test_crypto_drop_legacy(void);
void test_crypto_restore_legacy(void);

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
int test_server_challenge_register(void);
int test_server_policy_register(void);
int test_server_names_register(void);
int test_server_integrity_register(void);
int test_server_order_register(void);
int test_server_flags_register(void);
int test_server_lifecycle_register(void);
int test_server_relay_register(void);
int test_client_register(void);
int test_delegate_register(void);
int test_delegate_map_register(void);
int test_facts_register(void);
int test_settings_register(void);
int test_binding_register(void);

#endif
