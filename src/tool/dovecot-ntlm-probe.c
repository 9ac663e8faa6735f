/* dovecot-ntlm-probe: the operator's side of dovecot-ntlm.

     dovecot-ntlm-probe selftest   check the crypto against [MS-NLMP] 4.2
     dovecot-ntlm-probe hash       read a password, print its {NTLM} value

   Built only on the NTLM core: there is no second NTLM implementation. */

#include "dovecot-ntlm-config.h"

#include "ntlm-crypto.h"
#include "ntlm-selftest.h"
#include "ntlm-verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum probe_exit {
	PROBE_EXIT_OK = 0,
	PROBE_EXIT_USAGE = 64,
	PROBE_EXIT_SOFTWARE = 70,
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dovecot-ntlm-probe selftest\n"
		"       dovecot-ntlm-probe hash [--password-file FILE]\n"
		"\n"
		"hash reads the password from FILE, from the environment\n"
		"variable NTLM_PASSWORD, or from a prompt, never from the\n"
		"command line, and prints the value for a passdb: {NTLM}<hex>.\n");
}

static int cmd_selftest(void)
{
	const char *error;
	bool legacy;

	if (ntlm_selftest(&legacy, &error) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: %s\n", error);
		return PROBE_EXIT_SOFTWARE;
	}
	printf("NTLMv2 known answers ([MS-NLMP] 4.2.4): ok\n");
	if (legacy)
		printf("NTLMv1/ESS known answers ([MS-NLMP] 4.2.2-4.2.3): ok\n");
	else
		printf("NTLMv1/ESS: skipped: %s\n", ntlm_crypto_legacy_error());
	printf("self-check passed\n");
	return PROBE_EXIT_OK;
}

/* Read one line into buf without its newline; echo off on a terminal. */
static int read_password(FILE *in, bool prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool restore = false;
	size_t len;

	if (prompt && isatty(fileno(in))) {
		fprintf(stderr, "Password: ");
		if (tcgetattr(fileno(in), &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			restore = tcsetattr(fileno(in), TCSAFLUSH, &quiet) == 0;
		}
	}
	if (fgets(buf, (int)size, in) == NULL)
		buf[0] = '\0';
	if (restore) {
		(void)tcsetattr(fileno(in), TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	len = strcspn(buf, "\r\n");
	if (buf[len] == '\0' && len == size - 1)
		return -1;
	buf[len] = '\0';
	return 0;
}

static int cmd_hash(int argc, char **argv)
{
	char password[1024];
	const char *env;
	uint8_t hash[16];
	unsigned int i;
	FILE *in;
	int ret;

	if (argc == 2 && strcmp(argv[0], "--password-file") == 0) {
		in = fopen(argv[1], "r");
		if (in == NULL) {
			perror(argv[1]);
			return PROBE_EXIT_USAGE;
		}
		ret = read_password(in, false, password, sizeof(password));
		fclose(in);
	} else if (argc != 0) {
		usage(stderr);
		return PROBE_EXIT_USAGE;
	} else if ((env = getenv("NTLM_PASSWORD")) != NULL) {
		ret = strlen(env) < sizeof(password) ? 0 : -1;
		if (ret == 0)
			strcpy(password, env);
	} else {
		ret = read_password(stdin, true, password, sizeof(password));
	}
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: password too long\n");
		return PROBE_EXIT_USAGE;
	}
	if (ntlm_nt_hash(password, strlen(password), hash) < 0) {
		ntlm_wipe(password, sizeof(password));
		fprintf(stderr, "dovecot-ntlm-probe: cannot hash: %s\n",
			ntlm_crypto_legacy_error() != NULL ?
			ntlm_crypto_legacy_error() :
			"password is not valid UTF-8 or too long");
		return PROBE_EXIT_SOFTWARE;
	}
	ntlm_wipe(password, sizeof(password));
	printf("{NTLM}");
	for (i = 0; i < sizeof(hash); i++)
		printf("%02x", hash[i]);
	printf("\n");
	ntlm_wipe(hash, sizeof(hash));
	return PROBE_EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *error;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return PROBE_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return PROBE_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("dovecot-ntlm-probe %s\n", PACKAGE_VERSION);
		return PROBE_EXIT_OK;
	}
	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: %s\n", error);
		return PROBE_EXIT_SOFTWARE;
	}
	if (strcmp(argv[1], "selftest") == 0 && argc == 2)
		ret = cmd_selftest();
	else if (strcmp(argv[1], "hash") == 0)
		ret = cmd_hash(argc - 2, argv + 2);
	else {
		usage(stderr);
		ret = PROBE_EXIT_USAGE;
	}
	ntlm_crypto_deinit();
	return ret;
}
