#ifndef MECH_NTLM_COMMON_H
#define MECH_NTLM_COMMON_H

/* The part of the NTLM mechanism glue that is the same for every Dovecot
   API generation: driving the core's server, the log lines, the mapping
   of the core's verdicts onto what the mechanism must do next, the user
   name mapping, the plugin's start-up and the policy log line. An
   adapter (mech-ntlm.c for Dovecot's "struct mech_module", 2.3 .. 2.4.1;
   mech-ntlm-sasl.c for lib-sasl's "struct sasl_server_mech_def", 2.4.2
   and later) holds only the calls into its host API: it feeds the
   client's data in, performs the step it gets back, and translates the
   passdb's answer. */

#include "ntlm-server.h"
#include "mech-ntlm-settings.h"

/* What the adapter does next. Every refusal is already logged when the
   step is returned; the adapter only tells Dovecot. */
enum mech_ntlm_step_kind {
	/* Send step.data to the client and wait for its answer. */
	MECH_NTLM_STEP_OUTPUT,
	/* Set the login name step.username if it is not NULL (the first
	   lookup of an exchange; a refusal goes to
	   mech_ntlm_username_refused()), then look up the credentials of
	   scheme step.scheme and pass them to mech_ntlm_credentials(). */
	MECH_NTLM_STEP_LOOKUP,
	/* Authenticated as the login name set before. */
	MECH_NTLM_STEP_SUCCESS,
	/* An anonymous login the policy allows: authenticated as Dovecot's
	   auth_anonymous_username. */
	MECH_NTLM_STEP_ANONYMOUS,
	/* The proof did not verify, or the user or its hash is unknown. */
	MECH_NTLM_STEP_MISMATCH,
	/* Refused: malformed input, policy, integrity, user name. */
	MECH_NTLM_STEP_FAILURE,
	/* Our failure or the passdb's. */
	MECH_NTLM_STEP_INTERNAL,
};

struct mech_ntlm_step {
	enum mech_ntlm_step_kind kind;
	/* MECH_NTLM_STEP_OUTPUT */
	const unsigned char *data;
	size_t size;
	/* MECH_NTLM_STEP_LOOKUP */
	const char *username;
	const char *scheme;
	/* a second lookup in the same exchange (the LM retry after LMv2
	   failed): the adapter must make Dovecot really look up this scheme
	   (it keeps the first lookup's scheme, chain position and user
	   rename) or, where it cannot, refuse with
	   mech_ntlm_retry_refused() */
	bool retry;
};

/* The passdb's answer to a credentials lookup, whatever the generation
   calls it. */
enum mech_ntlm_passdb_result {
	MECH_NTLM_PASSDB_OK,
	MECH_NTLM_PASSDB_INTERNAL_FAILURE,
	MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE,
	/* a password mismatch from a credentials lookup: the passdb found
	   the user without a password (e.g. an LDAP entry lacking the
	   attribute) */
	MECH_NTLM_PASSDB_NO_PASSWORD,
	/* unknown user, disabled, expired, mismatch, ... */
	MECH_NTLM_PASSDB_REFUSED,
};

/* One exchange; the adapter embeds it in its request. */
struct mech_ntlm_exchange {
	/* the adapter's per-request event, for every log line */
	struct event *event;
	/* auth_master_user_separator, set by the adapter (NULL or "" if
	   none): a name carrying it is refused */
	const char *master_user_separator;
	/* set by the adapter with MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE when
	   the passdb that answered cannot hand out credentials at all (PAM,
	   shadow...): its driver name */
	const char *passdb_without_credentials;
	/* the kind of hash the current lookup asks for */
	enum ntlm_hash_kind lookup_kind;
	unsigned int lookups;
	bool started;
	bool username_set;
	/* set by the adapter before each input: the client's connection
	   is TLS (mech_ntlm_request_is_tls()) */
	bool tls;
	struct ntlm_server server;
};

/* The settings the plugin started with (NULL before init). */
extern const struct mech_ntlm_settings *mech_ntlm_set;

/* The client sent data (the initial response or a continuation). */
void mech_ntlm_input(struct mech_ntlm_exchange *ex, struct event *event,
		     const unsigned char *data, size_t size,
		     struct mech_ntlm_step *step_r);
/* The credentials lookup of MECH_NTLM_STEP_LOOKUP answered. The
   credentials are only read during the call. */
void mech_ntlm_credentials(struct mech_ntlm_exchange *ex,
			   enum mech_ntlm_passdb_result result,
			   const unsigned char *credentials, size_t size,
			   struct mech_ntlm_step *step_r);
/* Dovecot refused the login name of MECH_NTLM_STEP_LOOKUP: log why. The
   adapter then fails the request. */
void mech_ntlm_username_refused(struct mech_ntlm_exchange *ex,
				const char *error);
/* Dovecot made the login name a master login (requested_login_user):
   log why that is refused. The adapter then fails the request. */
void mech_ntlm_master_login_refused(struct mech_ntlm_exchange *ex);
/* The LM retry cannot look the LM hash up for real (a continue chain
   left delayed credentials): log why. The adapter then fails. */
void mech_ntlm_retry_refused(struct mech_ntlm_exchange *ex);
/* MECH_NTLM_STEP_ANONYMOUS: whether auth_anonymous_username (name) can
   be used; logs the login or why it is refused (then the adapter
   fails the request). */
bool mech_ntlm_anonymous_ok(struct mech_ntlm_exchange *ex, const char *name);
/* The request ends: wipe what the exchange held. */
void mech_ntlm_free(struct mech_ntlm_exchange *ex);

/* Start-up shared by the adapters: crypto, the known-answer self test,
   the settings, the policy log line. Fatal on error. */
void mech_ntlm_plugin_init(void);
void mech_ntlm_plugin_deinit(void);

/* Warn that auth_use_winbind = yes hands NTLM to Dovecot's winbind. */
void mech_ntlm_warn_winbind(void);

#endif
