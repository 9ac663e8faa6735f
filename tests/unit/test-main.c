/* The CUnit runner: registers the suites (one per core file; ntlm-server.c
   has several, test-server-*.c), runs them all, prints CUnit's totals,
   and exits non-zero if any assertion failed, a suite could not be set
   up, or no test ran at all. */

#include "test-common.h"
#include "ntlm-crypto.h"

#include <CUnit/Basic.h>
#include <stdio.h>

static int (*const registrations[])(void) = {
	test_reader_register,
	test_writer_register,
	test_unicode_register,
	test_crypto_register,
	test_avpair_register,
	test_msg_register,
	test_verify_register,
	test_server_challenge_register,
	test_server_policy_register,
	test_server_names_register,
	test_server_integrity_register,
	test_server_order_register,
	test_server_flags_register,
	test_server_lifecycle_register,
	test_server_relay_register,
	test_client_register,
	test_delegate_register,
	test_delegate_map_register,
	test_settings_register,
	test_facts_register,
	test_binding_register,
};

int main(void)
{
	const char *error;
	unsigned int i, tests_run, tests_failed, failures, suites_failed;

	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "crypto init failed: %s\n", error);
		return 1;
	}
	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		return 1;
	}
	for (i = 0; i < sizeof(registrations) / sizeof(registrations[0]); i++) {
		if (registrations[i]() != 0) {
			fprintf(stderr, "CUnit: suite registration failed: %s\n",
				CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (CU_basic_run_tests() != CUE_SUCCESS) {
		fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	tests_run = CU_get_number_of_tests_run();
	tests_failed = CU_get_number_of_tests_failed();
	failures = CU_get_number_of_failures();
	suites_failed = CU_get_number_of_suites_failed();
	printf("\n%u tests run, %u assertions failed, %u suites failed\n",
	       tests_run, failures, suites_failed);
	printf("unit: %u passed, %u failed\n", tests_run - tests_failed,
	       tests_failed);
	CU_cleanup_registry();
	ntlm_crypto_deinit();

	if (tests_run == 0) {
		fprintf(stderr, "no test ran\n");
		return 1;
	}
	return failures == 0 && suites_failed == 0 ? 0 : 1;
}
