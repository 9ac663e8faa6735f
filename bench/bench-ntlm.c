/* Benchmark of the server side of one NTLMv2 handshake with a MIC,
   against the raw crypto such a handshake cannot avoid.

   A handshake is: ntlm_server_init_fixed(), ntlm_server_input(NEGOTIATE)
   -> NTLM_SERVER_SEND (the CHALLENGE is built), ntlm_server_input(
   AUTHENTICATE) -> NTLM_SERVER_NEED_HASH, ntlm_server_verify(NT hash) ->
   NTLM_SERVER_SUCCESS with the MIC verified, ntlm_server_deinit(). The
   NEGOTIATE and AUTHENTICATE are built once by the core's client against
   the same fixed server challenge and time, so every iteration verifies;
   any other outcome aborts the run.

   A crypto check is the four HMAC-MD5 computations of that verification,
   done directly with ntlm_hmac_md5(): NTOWFv2, NTProofStr over the blob,
   SessionBaseKey, and the MIC over NEGOTIATE + CHALLENGE + AUTHENTICATE.
   The ratio handshake time / crypto time is what the protocol code
   (parsing, Unicode, policy, copies, wiping) costs on top of the crypto.

   usage: bench-ntlm time [SECONDS]        handshakes/s, checks/s, ratio
          bench-ntlm count N handshake|crypto   N iterations (callgrind)

   bench/run.sh runs both modes ("make bench"). */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ntlm-common.h"
#include "ntlm-crypto.h"
#include "ntlm-msg.h"
#include "ntlm-unicode.h"
#include "ntlm-verify.h"
#include "ntlm-server.h"
#include "ntlm-client.h"
/* tests/lib: the [MS-NLMP] 4.2.1 client ("User" in "Domain", password
   "Password") and the recorded exchange. */
#include "ntlm-test.h"

struct bench {
	struct ntlm_server_config config;
	uint64_t now;

	/* the recorded NEGOTIATE, CHALLENGE and AUTHENTICATE */
	struct ntlm_test_exchange ex;

	/* For the crypto check: UPPER(user) || domain in UTF-16LE, the
	   blob, the NTProofStr and MIC to compare with, and where the MIC
	   is. */
	uint8_t user_domain[2 * NTLM_MAX_NAME_UTF16];
	size_t user_domain_len;
	struct ntlm_slice blob;
	uint8_t nt_proof[16];
	uint8_t mic[16];
	size_t mic_offset;
};

static struct bench bench;
/* Results are stored here so the compiler cannot drop the work. */
static volatile uint8_t bench_sink;

static void bench_die(const char *what, const char *error)
{
	fprintf(stderr, "bench-ntlm: %s: %s\n", what, error);
	exit(1);
}

static void bench_server_fail(struct ntlm_server *server, const char *what,
			      enum ntlm_server_action action)
{
	const char *reason = "";

	if (action == NTLM_SERVER_FAILURE)
		(void)ntlm_server_error(server, &reason);
	fprintf(stderr, "bench-ntlm: %s: unexpected action %d %s\n",
		what, (int)action, reason);
	abort();
}

static void bench_setup(void)
{
	struct ntlm_server_names names;
	struct ntlm_client_params params;
	struct ntlm_authenticate auth;
	struct ntlm_v2_response v2;
	const char *error;
	size_t user_len, domain_len;

	if (ntlm_crypto_init(&error) < 0)
		bench_die("ntlm_crypto_init", error);

	memset(&names, 0, sizeof(names));
	names.nb_computer = "SERVER";
	names.nb_domain = "DOMAIN";
	names.dns_computer = "server.domain.example";
	names.dns_domain = "domain.example";
	if (ntlm_server_config_init(&bench.config, &names, &error) < 0)
		bench_die("ntlm_server_config_init", error);
	/* The strict policy, and the MIC required: every handshake goes
	   through the whole verification. */
	bench.config.policy.require_mic = true;
	bench.now = ntlm_filetime_from_unix(1700000000);

	ntlm_test_client_params(&params, NTLM_CLIENT_V2);
	params.send_mic = true;
	if (ntlm_test_exchange_start(&bench.ex, &params, &bench.config,
				     ntlm_test_server_challenge, bench.now,
				     &error) < 0)
		bench_die("the recorded exchange", error);
	ntlm_test_exchange_deinit(&bench.ex);

	/* What the crypto check hashes. */
	if (ntlm_decode_authenticate(bench.ex.authenticate,
				     bench.ex.authenticate_len, &auth,
				     &error) < 0)
		bench_die("ntlm_decode_authenticate", error);
	if (!auth.have_mic_field)
		bench_die("AUTHENTICATE", "no MIC field");
	if (ntlm_decode_v2_response(&auth.nt_response, &v2, &error) < 0)
		bench_die("ntlm_decode_v2_response", error);
	bench.blob = v2.blob;
	memcpy(bench.nt_proof, v2.nt_proof.data, 16);
	memcpy(bench.mic, auth.mic.data, 16);
	bench.mic_offset = (size_t)(auth.mic.data - bench.ex.authenticate);

	if (ntlm_utf8_to_utf16le(NLMP_USER, strlen(NLMP_USER),
				 bench.user_domain,
				 sizeof(bench.user_domain), &user_len,
				 &error) < 0)
		bench_die("user name", error);
	ntlm_utf16le_upper(bench.user_domain, user_len);
	if (ntlm_utf8_to_utf16le(NLMP_USER_DOM, strlen(NLMP_USER_DOM),
				 bench.user_domain + user_len,
				 sizeof(bench.user_domain) - user_len,
				 &domain_len, &error) < 0)
		bench_die("domain name", error);
	bench.user_domain_len = user_len + domain_len;
}

/* One server-side handshake; aborts unless it succeeds with the MIC
   verified. */
static void bench_handshake(void)
{
	struct ntlm_server server;
	struct ntlm_identity identity;
	enum ntlm_server_action action;

	ntlm_server_init_fixed(&server, &bench.config,
			       ntlm_test_server_challenge, bench.now);
	action = ntlm_server_input(&server, bench.ex.negotiate,
				   bench.ex.negotiate_len);
	if (action != NTLM_SERVER_SEND)
		bench_server_fail(&server, "NEGOTIATE", action);
	action = ntlm_server_input(&server, bench.ex.authenticate,
				   bench.ex.authenticate_len);
	if (action != NTLM_SERVER_NEED_HASH)
		bench_server_fail(&server, "AUTHENTICATE", action);
	action = ntlm_server_verify(&server, NTLM_HASH_NT, ntlm_test_nt_hash);
	if (action != NTLM_SERVER_SUCCESS)
		bench_server_fail(&server, "verify", action);
	ntlm_server_get_identity(&server, &identity);
	if (!identity.mic_verified ||
	    identity.variant != NTLM_VARIANT_NTLMV2)
		bench_server_fail(&server, "identity", action);
	bench_sink ^= (uint8_t)identity.user[0];
	ntlm_server_deinit(&server);
}

static void bench_hmac(const uint8_t key[16], const struct ntlm_slice *parts,
		       unsigned int count, uint8_t mac_r[16])
{
	const char *error;

	if (ntlm_hmac_md5(key, 16, parts, count, mac_r, &error) < 0)
		bench_die("ntlm_hmac_md5", error);
}

/* The four HMAC-MD5 of one verification. Aborts if the proof or the
   MIC came out different from the message's (a broken benchmark). */
static void bench_crypto(void)
{
	static const uint8_t zero_mic[16];
	struct ntlm_slice parts[5];
	uint8_t key[16], proof[16], session_key[16], mic[16];

	/* NTOWFv2 = HMAC_MD5(NT hash, UPPER(user) || domain) */
	parts[0].data = bench.user_domain;
	parts[0].len = bench.user_domain_len;
	bench_hmac(ntlm_test_nt_hash, parts, 1, key);

	/* NTProofStr = HMAC_MD5(NTOWFv2, server challenge || blob) */
	parts[0].data = ntlm_test_server_challenge;
	parts[0].len = 8;
	parts[1] = bench.blob;
	bench_hmac(key, parts, 2, proof);

	/* SessionBaseKey = HMAC_MD5(NTOWFv2, NTProofStr) */
	parts[0].data = proof;
	parts[0].len = 16;
	bench_hmac(key, parts, 1, session_key);

	/* MIC = HMAC_MD5(SessionBaseKey, NEGOTIATE || CHALLENGE ||
	   AUTHENTICATE with the MIC zeroed) */
	parts[0].data = bench.ex.negotiate;
	parts[0].len = bench.ex.negotiate_len;
	parts[1].data = bench.ex.challenge;
	parts[1].len = bench.ex.challenge_len;
	parts[2].data = bench.ex.authenticate;
	parts[2].len = bench.mic_offset;
	parts[3].data = zero_mic;
	parts[3].len = 16;
	parts[4].data = bench.ex.authenticate + bench.mic_offset + 16;
	parts[4].len = bench.ex.authenticate_len - bench.mic_offset - 16;
	bench_hmac(session_key, parts, 5, mic);

	if (memcmp(proof, bench.nt_proof, 16) != 0 ||
	    memcmp(mic, bench.mic, 16) != 0) {
		fprintf(stderr, "bench-ntlm: crypto check: NTProofStr or MIC "
			"differs from the AUTHENTICATE's\n");
		abort();
	}
	bench_sink ^= mic[0];
}

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run one kind for about slice seconds; adds to *count and *secs. */
static void bench_slice(bool handshake, double slice,
			unsigned long long *count, double *secs)
{
	double start = bench_now(), elapsed;
	unsigned long long n = 0;
	unsigned int i;

	do {
		for (i = 0; i < 64; i++) {
			if (handshake)
				bench_handshake();
			else
				bench_crypto();
		}
		n += 64;
		elapsed = bench_now() - start;
	} while (elapsed < slice);
	*count += n;
	*secs += elapsed;
}

static int bench_time(double seconds)
{
	unsigned long long hs_count = 0, cr_count = 0;
	double hs_secs = 0, cr_secs = 0, hs_rate, cr_rate;
	double slice = 0.25;

	/* Warm up both (caches, lazy initialisation, CPU frequency). */
	bench_slice(true, 0.2, &hs_count, &hs_secs);
	bench_slice(false, 0.2, &cr_count, &cr_secs);
	hs_count = cr_count = 0;
	hs_secs = cr_secs = 0;

	/* Alternate short slices so that both see the same machine. */
	if (seconds / 2 < slice)
		slice = seconds / 2;
	while (hs_secs + cr_secs < seconds) {
		bench_slice(true, slice, &hs_count, &hs_secs);
		bench_slice(false, slice, &cr_count, &cr_secs);
	}

	hs_rate = (double)hs_count / hs_secs;
	cr_rate = (double)cr_count / cr_secs;
	printf("handshakes/s:    %12.0f  (%llu in %.2f s, %.2f us each)\n",
	       hs_rate, hs_count, hs_secs, 1e6 / hs_rate);
	printf("crypto-checks/s: %12.0f  (%llu in %.2f s, %.2f us each)\n",
	       cr_rate, cr_count, cr_secs, 1e6 / cr_rate);
	printf("ratio handshake/crypto: %.2f\n", cr_rate / hs_rate);
	return 0;
}

static int bench_count(unsigned long n, const char *what)
{
	unsigned long i;
	bool handshake;

	if (strcmp(what, "handshake") == 0)
		handshake = true;
	else if (strcmp(what, "crypto") == 0)
		handshake = false;
	else {
		fprintf(stderr, "bench-ntlm: unknown kind %s\n", what);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (handshake)
			bench_handshake();
		else
			bench_crypto();
	}
	printf("%lu %s iterations\n", n, what);
	return 0;
}

static void bench_usage(void)
{
	fprintf(stderr,
		"usage: bench-ntlm time [SECONDS]\n"
		"       bench-ntlm count N handshake|crypto\n");
	exit(2);
}

int main(int argc, char *argv[])
{
	char *end;
	double seconds = 5;
	unsigned long n;
	int ret;

	if (argc < 2)
		bench_usage();

	bench_setup();
	/* Both kinds are checked once before anything is measured. */
	bench_handshake();
	bench_crypto();

	if (strcmp(argv[1], "time") == 0 && argc <= 3) {
		if (argc == 3) {
			seconds = strtod(argv[2], &end);
			if (*end != '\0' || seconds <= 0)
				bench_usage();
		}
		ret = bench_time(seconds);
	} else if (strcmp(argv[1], "count") == 0 && argc == 4) {
		n = strtoul(argv[2], &end, 10);
		if (*end != '\0')
			bench_usage();
		ret = bench_count(n, argv[3]);
	} else {
		bench_usage();
		return 2;
	}
	ntlm_crypto_deinit();
	return ret;
}
