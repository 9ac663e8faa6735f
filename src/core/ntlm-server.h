#ifndef NTLM_SERVER_H
#define NTLM_SERVER_H

/* The I/O-free server (acceptor) side of connection-oriented NTLM, as a
   mail server runs it inside SASL (MS-OXPOP3 3.2.1.2):

     NEGOTIATE -> ntlm_server_input() -> NTLM_SERVER_SEND (a CHALLENGE)
     AUTHENTICATE -> ntlm_server_input() -> NTLM_SERVER_NEED_HASH
        caller looks up the hash for ntlm_server_get_identity()
     ntlm_server_verify(hash) -> NTLM_SERVER_SUCCESS or _FAILURE

   The policy is applied before the hash is asked for, so a refused
   variant never causes a password database lookup. Anonymous logins (if
   allowed) succeed straight from ntlm_server_input(). Every failure has
   an enum ntlm_error class and a static reason that is safe to log: it
   never contains a hash, response, challenge or key.

   struct ntlm_server is defined here so the caller can embed it (for
   instance in a Dovecot request pool), but its fields are private. It
   holds copies of the messages, so the caller's input buffers need not
   outlive the call. */

#include "ntlm-common.h"
#include "ntlm-msg.h"
#include "ntlm-avpair.h"
#include "ntlm-verify.h"
#include "ntlm-binding.h"

/* What the server says about itself in the CHALLENGE. Built once at
   start-up by ntlm_server_config_init() and shared read-only by all
   exchanges. */
struct ntlm_server_names {
	/* UTF-8, at most NTLM_MAX_SERVER_NAME characters each. nb_computer
	   and nb_domain are required; the DNS names default to them. */
	const char *nb_computer;
	const char *nb_domain;
	const char *dns_computer;
	const char *dns_domain;
	/* Optional; MsvAvDnsTreeName is left out when NULL or empty. */
	const char *dns_tree;
};

struct ntlm_server_config {
	struct ntlm_policy policy;
	/* TargetName is the NetBIOS domain (TARGET_TYPE_DOMAIN) when true,
	   else the NetBIOS computer name (TARGET_TYPE_SERVER). */
	bool target_is_domain;
	/* Send a VERSION structure; some clients misbehave without one. */
	bool send_version;
	struct ntlm_version version;

	/* Relay defence (ntlm-binding.h): the channel-binding mode and the
	   MsvAvChannelBindings values of the certificates this server
	   presents; the accepted MsvAvTargetName values (empty: any). */
	enum ntlm_cb_mode cb_mode;
	uint8_t cb_bindings[NTLM_CB_MAX_CERTS][16];
	unsigned int cb_count;
	char target_names[NTLM_LIST_SIZE];

	/* Filled by ntlm_server_config_init(): pre-encoded names; [0] is
	   the NetBIOS domain, [1] the NetBIOS computer name. */
	uint8_t target_name_utf16[2][NTLM_MAX_SERVER_NAME * 4];
	size_t target_name_utf16_len[2];
	uint8_t target_name_oem[2][NTLM_MAX_SERVER_NAME * 4];
	size_t target_name_oem_len[2];
	/* TargetInfo without MsvAvTimestamp and MsvAvEOL. */
	uint8_t target_info[5 * (4 + NTLM_MAX_SERVER_NAME * 4)];
	size_t target_info_len;
};

/* Fill *config_r: the strict policy, version 6.1.0 rev 15 (it says
   nothing about the real host), the given names. Returns -1 with a
   static *error_r if a name is missing, too long or not valid UTF-8. The
   caller may change policy, target_is_domain, send_version and version
   afterwards. */
int ntlm_server_config_init(struct ntlm_server_config *config_r,
			    const struct ntlm_server_names *names,
			    const char **error_r);

enum ntlm_server_action {
	/* Send ntlm_server_output() to the client, then wait for input. */
	NTLM_SERVER_SEND,
	/* Look up the hash ntlm_server_hash_kind() for the identity, then
	   call ntlm_server_verify() or ntlm_server_user_unknown(). */
	NTLM_SERVER_NEED_HASH,
	/* Authenticated; ntlm_server_get_identity() says as whom. */
	NTLM_SERVER_SUCCESS,
	/* Refused; see ntlm_server_error(). */
	NTLM_SERVER_FAILURE,
};

enum ntlm_hash_kind {
	NTLM_HASH_NT,	/* NTOWFv1 = MD4(UTF-16LE(password)) */
	NTLM_HASH_LM,	/* LMOWFv1 */
};

enum ntlm_server_state {
	NTLM_SERVER_STATE_INITIAL = 0,
	NTLM_SERVER_STATE_CHALLENGE_SENT,
	NTLM_SERVER_STATE_NEED_HASH,
	NTLM_SERVER_STATE_DONE,
};

struct ntlm_identity {
	/* UTF-8, NUL-terminated, exactly as the client sent them. */
	const char *user;
	const char *domain;
	const char *workstation;
	enum ntlm_variant variant;
	/* Flags in effect (the AUTHENTICATE's, or the CHALLENGE's if the
	   client sent 0, less KEY_EXCH if it then sent no key). */
	uint32_t flags;
	bool unicode;
	/* An NTLMv2 response with a verified MIC. */
	bool mic_verified;
	/* The MIC was verified under a key the client exchanged
	   (NEGOTIATE_KEY_EXCH): ExportedSessionKey = RC4K(KeyExchangeKey,
	   EncryptedRandomSessionKey). */
	bool key_exchanged;
	/* For NTLMv2: which domain form the proof matched ("as sent",
	   "upper-cased", "empty"); NULL before verification. */
	const char *domain_form;
	/* The NTLMv2 response carried a channel binding that matched one of
	   the configured certificates (on a TLS connection). */
	bool channel_bound;
	/* It carried a MsvAvTargetName that ntlm_target_names accepted. */
	bool target_name_checked;
};

/* What the AUTHENTICATE brings (private): allocated when it arrives, so
   a handshake waiting for its AUTHENTICATE holds no more than the two
   messages it has seen. */
struct ntlm_server_auth_data {
	uint8_t authenticate[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_authenticate auth;
	struct ntlm_v2_response v2;

	uint8_t user_utf16[NTLM_MAX_NAME_UTF16];
	size_t user_utf16_len;
	uint8_t domain_utf16[NTLM_MAX_NAME_UTF16];
	size_t domain_utf16_len;
	char user[NTLM_MAX_NAME_UTF8];
	char domain[NTLM_MAX_NAME_UTF8];
	char workstation[NTLM_MAX_NAME_UTF8];
};

struct ntlm_server {
	/* private */
	const struct ntlm_server_config *config;
	enum ntlm_server_state state;
	enum ntlm_error error;
	const char *reason;
	bool success;

	uint8_t server_challenge[8];
	uint64_t timestamp;
	uint32_t challenge_flags;
	uint32_t auth_flags;

	/* the NEGOTIATE and the CHALLENGE for the MIC, malloc()ed at their
	   own size */
	uint8_t *negotiate;
	size_t negotiate_len;
	uint8_t *challenge;
	size_t challenge_len;
	/* NULL until the AUTHENTICATE arrives */
	struct ntlm_server_auth_data *a;

	enum ntlm_variant variant;
	enum ntlm_hash_kind hash_kind;
	bool lm_fallback;
	const char *domain_form;
	bool mic_verified;
	bool key_exchanged;
	/* the client connection is TLS (ntlm_server_set_tls) */
	bool tls;
	bool channel_bound;
	bool target_name_checked;
};

/* Start an exchange with a fresh random server challenge and the current
   time. Returns -1 with *error_r only if the CSPRNG fails. The exchange
   allocates the messages it keeps (about 300 bytes while it waits for
   the AUTHENTICATE, 12 KiB from the AUTHENTICATE on): every init must
   be followed by ntlm_server_deinit(), which wipes and frees them. */
int ntlm_server_init(struct ntlm_server *server,
		     const struct ntlm_server_config *config,
		     const char **error_r);
/* Same with a given challenge and time (FILETIME), for tests, fuzzers
   and benchmarks only. */
void ntlm_server_init_fixed(struct ntlm_server *server,
			    const struct ntlm_server_config *config,
			    const uint8_t challenge[8], uint64_t now);
/* Wipe everything the exchange held and free it. Safe to call more than
   once. */
void ntlm_server_deinit(struct ntlm_server *server);
/* Only the wiping part of ntlm_server_deinit() (the tests look at the
   buffers afterwards). */
void ntlm_server_wipe(struct ntlm_server *server);

/* Whether the client's connection is TLS, as the host knows it: set
   before the first input. Under ntlm_channel_binding = required an
   exchange without TLS is refused at its NEGOTIATE; a channel binding
   can only match on TLS. */
void ntlm_server_set_tls(struct ntlm_server *server, bool tls);

/* Feed the next client message. Anything out of order, malformed or
   oversized ends the exchange with NTLM_SERVER_FAILURE. */
enum ntlm_server_action
ntlm_server_input(struct ntlm_server *server, const uint8_t *data,
		  size_t len);

/* The message to send after NTLM_SERVER_SEND. Valid until the next call
   on this server. */
void ntlm_server_output(const struct ntlm_server *server,
			const uint8_t **data_r, size_t *len_r);

/* After NTLM_SERVER_NEED_HASH: which hash is wanted. */
enum ntlm_hash_kind ntlm_server_hash_kind(const struct ntlm_server *server);

/* Answer NTLM_SERVER_NEED_HASH with the user's hash (16 bytes) of the
   given kind: the caller states what it looked up, and a hash of any
   other kind than ntlm_server_hash_kind() asked for ends the exchange
   (an LM response is never checked against an NT hash, which would make
   it an NTLMv1 response under another policy switch). Returns
   NTLM_SERVER_SUCCESS, NTLM_SERVER_FAILURE, or NTLM_SERVER_NEED_HASH
   again when LMv2 failed and the policy allows an LM retry, which needs
   the LM hash. The caller should wipe its copy of the hash. */
enum ntlm_server_action
ntlm_server_verify(struct ntlm_server *server, enum ntlm_hash_kind kind,
		   const uint8_t hash[16]);

/* Answer NTLM_SERVER_NEED_HASH when there is no such user, or no hash of
   the wanted kind. Ends the exchange as a mismatch. */
void ntlm_server_user_unknown(struct ntlm_server *server);

/* Available from NTLM_SERVER_NEED_HASH on (and after a failure, with
   whatever was decoded; empty strings otherwise). */
void ntlm_server_get_identity(const struct ntlm_server *server,
			      struct ntlm_identity *identity_r);

/* After NTLM_SERVER_FAILURE: the class and a static reason. When a
   computation failed (NTLM_ERR_INTERNAL), the reason is the failed
   primitive's own (ntlm-verify.h, ntlm-crypto.h): for MD4, DES or RC4
   without the legacy provider, ntlm_crypto_legacy_error(). */
enum ntlm_error ntlm_server_error(const struct ntlm_server *server,
				  const char **reason_r);

#endif
