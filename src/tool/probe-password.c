/* dovecot-ntlm-probe: the password, from a file, the environment or a
   prompt without echo; never from the command line. */

#include "dovecot-ntlm-config.h"

#include "probe.h"

#include "ntlm-crypto.h"
#include "ntlm-verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Read one line into buf without its newline; echo off on a terminal. */
static int read_password(FILE *in, const char *prompt, char *buf,
			 size_t size)
{
	struct termios old, quiet;
	bool restore = false;
	size_t len;

	if (prompt != NULL && isatty(fileno(in))) {
		fprintf(stderr, "%s", prompt);
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

static int get_password(const char *file, const char *prompt, char *buf,
			size_t size)
{
	const char *env;
	FILE *in;
	int ret;

	if (file != NULL) {
		in = fopen(file, "r");
		if (in == NULL) {
			fprintf(stderr, "dovecot-ntlm-probe: %s: %s\n", file,
				strerror(errno));
			return -1;
		}
		ret = read_password(in, NULL, buf, size);
		fclose(in);
	} else if ((env = getenv("NTLM_PASSWORD")) != NULL) {
		ret = strlen(env) < size ? 0 : -1;
		if (ret == 0)
			memcpy(buf, env, strlen(env) + 1);
	} else {
		ret = read_password(stdin, prompt, buf, size);
	}
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: password too long\n");
		return -1;
	}
	return 0;
}

int probe_password_hash(const char *file, const char *prompt,
			uint8_t hash_r[16])
{
	char password[PROBE_PASSWORD_MAX];
	const char *error;
	int ret;

	if (get_password(file, prompt, password, sizeof(password)) < 0)
		return PROBE_EXIT_USAGE;
	ret = ntlm_nt_hash(password, strlen(password), hash_r, &error);
	ntlm_wipe(password, sizeof(password));
	if (ret < 0) {
		fprintf(stderr, "dovecot-ntlm-probe: cannot hash: %s\n",
			error);
		return PROBE_EXIT_SOFTWARE;
	}
	return 0;
}
