#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/* Shared by the libFuzzer targets in tests/fuzz. Each target defines
   LLVMFuzzerTestOneInput(); it is linked either with libFuzzer
   (--with-fuzzer=clang) or with fuzz-replay.c, which runs the checked-in
   corpus in "make check".

   A target reports a violated invariant with fuzz_assert(), which prints
   what was expected and abort()s, so that libFuzzer keeps the input as a
   crash. Everything here is static inline: there is no fuzz library. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntlm-common.h"
#include "ntlm-crypto.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"
#include "ntlm-msg.h"
#include "ntlm-server.h"
/* tests/lib: the [MS-NLMP] 4.2 inputs and the recorded exchange. */
#include "ntlm-test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef N_ELEMENTS
#  define N_ELEMENTS(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#define fuzz_assert(expr) \
	((expr) ? (void)0 : fuzz_assert_failed(#expr, __FILE__, __LINE__))

static inline void
fuzz_assert_failed(const char *expr, const char *file, unsigned int line)
{
	fprintf(stderr, "%s:%u: fuzz invariant violated: %s\n",
		file, line, expr);
	abort();
}

/* The fixed server challenge and clock of the stateful target, and of
   the corpus generator that prepares AUTHENTICATE messages for it: the
   [MS-NLMP] 4.2.1 server challenge (ntlm_test_server_challenge), and
   2023-11-14 22:13:20 UTC. */
#define FUZZ_UNIX_TIME 1700000000ULL
#define FUZZ_FILETIME \
	((FUZZ_UNIX_TIME + NTLM_FILETIME_UNIX_OFFSET) * 10000000ULL)

/* Control byte bits of fuzz-exchange inputs: answer the first (or the
   LM retry's) request for a hash with ntlm_server_user_unknown(). */
#define FUZZ_CTRL_UNKNOWN_FIRST 0x01
#define FUZZ_CTRL_UNKNOWN_RETRY 0x02

/* The credentials are the [MS-NLMP] 4.2.1 client's
   (ntlm_test_client_params(): "User" in "Domain", password "Password"),
   its hashes constants (ntlm_test_nt_hash, ntlm_test_lm_hash) so that the
   targets do not depend on the legacy provider (MD4 and DES). */

/* ntlm_crypto_init() once per process; it is never deinitialised, as
   libFuzzer gives no hook for the end of the run. */
static inline void fuzz_crypto_init(void)
{
	static bool initialized = false;
	const char *error;

	if (initialized)
		return;
	if (ntlm_crypto_init(&error) < 0) {
		fprintf(stderr, "fuzz: ntlm_crypto_init() failed: %s\n",
			error);
		abort();
	}
	initialized = true;
}

/* The names every fuzzed server announces ("Server" and "Domain", as in
   [MS-NLMP] 4.2.1). */
static inline void
fuzz_server_config_names(struct ntlm_server_config *config_r)
{
	struct ntlm_server_names names;
	const char *error;

	memset(&names, 0, sizeof(names));
	names.nb_computer = "SERVER";
	names.nb_domain = "DOMAIN";
	names.dns_computer = "server.domain.example";
	names.dns_domain = "domain.example";
	names.dns_tree = "example";
	if (ntlm_server_config_init(config_r, &names, &error) < 0) {
		fprintf(stderr, "fuzz: ntlm_server_config_init() failed: "
			"%s\n", error);
		abort();
	}
}

/* The permissive server: every variant allowed, no MIC required and no
   clock check, so that every verification path can be reached. */
static inline const struct ntlm_server_config *
fuzz_server_config_permissive(void)
{
	static struct ntlm_server_config config;
	static bool initialized = false;

	if (!initialized) {
		fuzz_crypto_init();
		fuzz_server_config_names(&config);
		config.policy.allow_lmv2 = true;
		config.policy.allow_ntlmv1_ess = true;
		config.policy.allow_ntlmv1 = true;
		config.policy.allow_lm = true;
		config.policy.allow_anonymous = true;
		config.policy.require_mic = false;
		config.policy.max_clock_skew_secs = 0;
		config.send_version = true;
		initialized = true;
	}
	return &config;
}

/* The strict server: ntlm_server_config_init()'s default policy. With
   require_mic, also refuse NTLMv2 without a MIC. Everything but the
   policy is as in the permissive server, so that both send the same
   CHALLENGE and one prepared AUTHENTICATE (MIC included) fits both. */
static inline const struct ntlm_server_config *
fuzz_server_config_strict(bool require_mic)
{
	static struct ntlm_server_config configs[2];
	static bool initialized = false;

	if (!initialized) {
		fuzz_crypto_init();
		fuzz_server_config_names(&configs[0]);
		configs[0].send_version = true;
		configs[1] = configs[0];
		configs[1].policy.require_mic = true;
		initialized = true;
	}
	return &configs[require_mic ? 1 : 0];
}

/* Whether slice lies inside data[0..size). An empty slice may point
   anywhere (or nowhere). */
static inline bool
fuzz_slice_inside(const struct ntlm_slice *slice, const uint8_t *data,
		  size_t size)
{
	if (slice->len == 0)
		return true;
	if (slice->data == NULL || slice->data < data)
		return false;
	if ((size_t)(slice->data - data) > size)
		return false;
	return slice->len <= size - (size_t)(slice->data - data);
}

static inline bool
fuzz_slice_equal(const struct ntlm_slice *a, const struct ntlm_slice *b)
{
	return a->len == b->len &&
		(a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static inline bool
fuzz_version_equal(const struct ntlm_version *a, const struct ntlm_version *b)
{
	return a->major == b->major && a->minor == b->minor &&
		a->build == b->build && a->revision == b->revision;
}

/* Whether a NUL-terminated string is valid UTF-8 of at most max_len
   bytes, by the core's own strict converter. */
static inline bool fuzz_valid_utf8(const char *str, size_t max_len)
{
	static uint8_t utf16[NTLM_MAX_MESSAGE_SIZE * 2];
	const char *error;
	size_t len, utf16_len;

	if (str == NULL)
		return false;
	len = strlen(str);
	if (len > max_len)
		return false;
	return ntlm_utf8_to_utf16le(str, len, utf16, sizeof(utf16),
				    &utf16_len, &error) == 0;
}

/* Convert a name field from the wire to UTF-8 as the server does
   (ntlm_wire_name_to_utf8), to run the converters over decoded fields. */
static inline void
fuzz_wire_name(const struct ntlm_slice *name, bool unicode)
{
	char utf8[NTLM_MAX_MESSAGE_SIZE * 2 + 1];
	const char *error;
	size_t len;
	int ret;

	ret = ntlm_wire_name_to_utf8(name, unicode, utf8, sizeof(utf8), &len,
				     &error);
	if (ret == 0)
		fuzz_assert(len < sizeof(utf8) && utf8[len] == '\0');
	else
		fuzz_assert(error != NULL);
}

#endif
