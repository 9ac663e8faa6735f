/* The NTLM SASL mechanism for Dovecot's "struct mech_module" API
   (Dovecot 2.3 up to 2.4.1). This file only translates: Dovecot's
   request in, the core's verdict out. All NTLM logic is in src/core. */

#include "auth-common.h"
#include "mech.h"
#include "passdb.h"
#include "str.h"
#include "str-sanitize.h"
#include "module-dir.h"

#include "ntlm-crypto.h"
#include "ntlm-selftest.h"
#include "ntlm-server.h"
#include "mech-ntlm-settings.h"

/* Longest client-chosen string put into a log line. */
#define LOG_NAME_MAX 64

struct ntlm_auth_request {
	struct auth_request auth_request;
	pool_t pool;
	/* the kind of hash the current passdb lookup asks for */
	enum ntlm_hash_kind lookup_kind;
	unsigned int lookups;
	bool started;
	bool username_set;
	struct ntlm_server server;
};

const char *mech_ntlm_version = DOVECOT_ABI_VERSION;
void mech_ntlm_init(struct module *module);
void mech_ntlm_deinit(void);

static struct mech_ntlm_settings *mech_ntlm_set = NULL;

static void mech_ntlm_handle(struct ntlm_auth_request *request,
			     enum ntlm_server_action action);

static const char *mech_ntlm_who(const struct ntlm_identity *id)
{
	return t_strdup_printf("variant=%s, user=%s, domain=%s, "
			       "workstation=%s",
			       ntlm_variant_name(id->variant),
			       str_sanitize(id->user, LOG_NAME_MAX),
			       str_sanitize(id->domain, LOG_NAME_MAX),
			       str_sanitize(id->workstation, LOG_NAME_MAX));
}

static void mech_ntlm_failed(struct ntlm_auth_request *request)
{
	struct auth_request *auth_request = &request->auth_request;
	struct ntlm_identity id;
	const char *reason;
	enum ntlm_error error;

	error = ntlm_server_error(&request->server, &reason);
	ntlm_server_get_identity(&request->server, &id);
	if (error == NTLM_ERR_INTERNAL) {
		e_error(auth_request->mech_event, "NTLM internal error: %s",
			reason);
		auth_request_internal_failure(auth_request);
		return;
	}
	e_info(auth_request->mech_event, "NTLM login refused: %s: %s (%s)",
	       ntlm_error_name(error), reason, mech_ntlm_who(&id));
	auth_request_fail(auth_request);
}

/* The passdb gave no credential NTLM can use: say why and what fixes it.
   PASSWORD_MISMATCH from a credentials lookup means the passdb found the
   user without a password (e.g. an LDAP entry lacking the attribute). */
static void mech_ntlm_log_no_credential(struct auth_request *auth_request,
					enum ntlm_hash_kind kind,
					enum passdb_result result)
{
	const struct auth_passdb *passdb = auth_request->passdb;

	if (result == PASSDB_RESULT_SCHEME_NOT_AVAILABLE && passdb != NULL &&
	    passdb->passdb->iface.lookup_credentials == NULL) {
		e_info(auth_request->mech_event,
		       "NTLM login refused: passdb %s cannot hand out "
		       "credentials, which NTLM needs (fix: serve NTLM users "
		       "from a passdb with {NTLM} hashes or plaintext "
		       "passwords, e.g. passwd-file, sql or ldap, and filter "
		       "NTLM out of this passdb's mechanisms)",
		       passdb->passdb->iface.name);
		return;
	}
	e_info(auth_request->mech_event,
	       "NTLM login refused: the passdb has neither %s hash nor a "
	       "plaintext password for this user (%s; fix: store %s, or "
	       "the plaintext)",
	       kind == NTLM_HASH_LM ? "a {LANMAN}" : "an {NTLM}",
	       result == PASSDB_RESULT_SCHEME_NOT_AVAILABLE ?
	       "it has none, or one in a scheme NTLM cannot use, such as "
	       "a crypt hash" :
	       "it returned no password",
	       kind == NTLM_HASH_LM ?
	       "a {LANMAN} value (needed for an LM response)" :
	       "an {NTLM} value from \"doveadm pw -s NTLM\" or LDAP's "
	       "sambaNTPassword");
}

static void
mech_ntlm_credentials_callback(enum passdb_result result,
			       const unsigned char *credentials, size_t size,
			       struct auth_request *auth_request)
{
	struct ntlm_auth_request *request =
		container_of(auth_request, struct ntlm_auth_request,
			     auth_request);

	switch (result) {
	case PASSDB_RESULT_OK:
		if (size != 16) {
			e_info(auth_request->mech_event,
			       "NTLM login refused: the passdb password "
			       "gives no usable NTLM hash (not UTF-8, or "
			       "MD4 unavailable)");
			auth_request_fail(auth_request);
			return;
		}
		mech_ntlm_handle(request,
				 ntlm_server_verify(&request->server,
						    request->lookup_kind,
						    credentials));
		break;
	case PASSDB_RESULT_INTERNAL_FAILURE:
		auth_request_internal_failure(auth_request);
		break;
	case PASSDB_RESULT_SCHEME_NOT_AVAILABLE:
	case PASSDB_RESULT_PASSWORD_MISMATCH:
		mech_ntlm_log_no_credential(auth_request, request->lookup_kind,
					    result);
		ntlm_server_user_unknown(&request->server);
		auth_request_fail(auth_request);
		break;
	default:
		ntlm_server_user_unknown(&request->server);
		auth_request_fail(auth_request);
		break;
	}
}

static bool mech_ntlm_set_username(struct ntlm_auth_request *request,
				   const struct ntlm_identity *id)
{
	struct auth_request *auth_request = &request->auth_request;
	const char *separator = auth_request->set->master_user_separator;
	char name[NTLM_MAX_NAME_UTF8 * 2];
	const char *error;

	if (ntlm_map_username(mech_ntlm_set->set.username_map, id->user,
			      id->domain, name, sizeof(name), &error) < 0) {
		e_info(auth_request->mech_event,
		       "NTLM login refused: user name: %s (%s)", error,
		       mech_ntlm_who(id));
		return FALSE;
	}
	/* A master login ("user*master") over NTLM would be checked against
	   credentials Dovecot merely looked up for the master user and then
	   the principal's, never with the master's own password. Refuse it
	   before Dovecot splits the name. */
	if (separator != NULL && separator[0] != '\0' &&
	    strchr(name, separator[0]) != NULL) {
		e_info(auth_request->mech_event,
		       "NTLM login refused: user name contains the master user "
		       "separator (auth_master_user_separator): master logins "
		       "need a plaintext mechanism (%s)", mech_ntlm_who(id));
		return FALSE;
	}
	if (!auth_request_set_username(auth_request, name, &error)) {
		e_info(auth_request->mech_event,
		       "NTLM login refused: user name: %s (%s)", error,
		       mech_ntlm_who(id));
		return FALSE;
	}
	if (auth_request->fields.requested_login_user != NULL) {
		e_info(auth_request->mech_event,
		       "NTLM login refused: master logins need a plaintext "
		       "mechanism (%s)", mech_ntlm_who(id));
		return FALSE;
	}
	request->username_set = TRUE;
	return TRUE;
}

/* Ask the passdbs for the hash the core wants. A second lookup (the LM
   retry after LMv2 failed) must really look up the LM hash: Dovecot keeps
   the first lookup's scheme, chain position and user rename in the
   request and would hand over the NT hash again, so those are reset. A
   chain that continued after a successful lookup left delayed
   credentials (the NT hash) that Dovecot falls back to and that no API
   clears: the retry is refused there instead. */
static bool mech_ntlm_lookup(struct ntlm_auth_request *request)
{
	struct auth_request *auth_request = &request->auth_request;

	request->lookup_kind = ntlm_server_hash_kind(&request->server);
	if (request->lookups++ > 0) {
		if (auth_request->fields.delayed_credentials != NULL ||
		    auth_request->fields.skip_password_check) {
			e_info(auth_request->mech_event,
			       "NTLM login refused: the LM retry "
			       "(ntlm_allow_lm) needs a passdb chain that "
			       "ends at the passdb holding the password");
			return FALSE;
		}
		auth_request->wanted_credentials_scheme = NULL;
		auth_request->passdb =
			auth_request_get_auth(auth_request)->passdbs;
		auth_request->passdb_success = FALSE;
		/* Dovecot wiped the first lookup's password but left the
		   pointer: passdbs that read it back (ldap, dict, lua)
		   would take "" for the LM question and assert-crash */
		auth_request->passdb_password = NULL;
		if (auth_request->fields.translated_username != NULL) {
			auth_request_set_username_forced(auth_request,
				auth_request->fields.translated_username);
		}
	}
	auth_request_lookup_credentials(auth_request,
		request->lookup_kind == NTLM_HASH_LM ? "LANMAN" : "NTLM",
		mech_ntlm_credentials_callback);
	return TRUE;
}

/* Anonymous NTLM (ntlm_allow_anonymous) logs in as
   auth_anonymous_username, as Dovecot's ANONYMOUS mechanism does. */
static bool mech_ntlm_anonymous(struct auth_request *auth_request)
{
	const char *name = auth_request->set->anonymous_username;

	if (name == NULL || name[0] == '\0') {
		e_info(auth_request->mech_event,
		       "NTLM anonymous login refused: auth_anonymous_username "
		       "is empty");
		return FALSE;
	}
	auth_request_set_username_forced(auth_request, name);
	e_info(auth_request->mech_event, "NTLM anonymous login as %s",
	       str_sanitize(name, LOG_NAME_MAX));
	/* no passdb is consulted, as for Dovecot's ANONYMOUS */
	auth_request->passdb_success = TRUE;
	return TRUE;
}

static void mech_ntlm_handle(struct ntlm_auth_request *request,
			     enum ntlm_server_action action)
{
	struct auth_request *auth_request = &request->auth_request;
	struct ntlm_identity id;
	const uint8_t *data;
	size_t size;

	switch (action) {
	case NTLM_SERVER_SEND:
		ntlm_server_output(&request->server, &data, &size);
		auth_request_handler_reply_continue(auth_request, data, size);
		return;
	case NTLM_SERVER_NEED_HASH:
		ntlm_server_get_identity(&request->server, &id);
		if (!request->username_set) {
			if (!mech_ntlm_set_username(request, &id)) {
				auth_request_fail(auth_request);
				return;
			}
			e_debug(auth_request->mech_event,
				"NTLM AUTHENTICATE (%s)", mech_ntlm_who(&id));
		}
		if (!mech_ntlm_lookup(request))
			auth_request_fail(auth_request);
		return;
	case NTLM_SERVER_SUCCESS:
		ntlm_server_get_identity(&request->server, &id);
		if (id.variant == NTLM_VARIANT_ANONYMOUS &&
		    !mech_ntlm_anonymous(auth_request)) {
			auth_request_fail(auth_request);
			return;
		}
		e_debug(auth_request->mech_event,
			"NTLM login succeeded (%s, MIC %s, domain %s, "
			"session key %s)",
			mech_ntlm_who(&id),
			id.mic_verified ? "verified" : "absent",
			id.domain_form != NULL ? id.domain_form : "-",
			id.key_exchanged ? "exchanged" :
			(id.flags & NTLM_FL_KEY_EXCH) != 0 ?
			"exchanged, unused" : "not exchanged");
		auth_request_success(auth_request, "", 0);
		return;
	case NTLM_SERVER_FAILURE:
		mech_ntlm_failed(request);
		return;
	}
	i_unreached();
}

static void mech_ntlm_auth_continue(struct auth_request *auth_request,
				    const unsigned char *data,
				    size_t data_size)
{
	struct ntlm_auth_request *request =
		container_of(auth_request, struct ntlm_auth_request,
			     auth_request);
	const char *error;

	if (!request->started) {
		if (ntlm_server_init(&request->server, &mech_ntlm_set->server,
				     &error) < 0) {
			e_error(auth_request->mech_event, "NTLM: %s", error);
			auth_request_internal_failure(auth_request);
			return;
		}
		request->started = TRUE;
	}
	mech_ntlm_handle(request, ntlm_server_input(&request->server, data,
						    data_size));
}

static struct auth_request *mech_ntlm_auth_new(void)
{
	struct ntlm_auth_request *request;
	pool_t pool;

	pool = pool_alloconly_create(MEMPOOL_GROWING"ntlm_auth_request",
				     sizeof(*request) + 1024);
	request = p_new(pool, struct ntlm_auth_request, 1);
	request->pool = pool;
	request->auth_request.pool = pool;
	return &request->auth_request;
}

static void mech_ntlm_auth_free(struct auth_request *auth_request)
{
	struct ntlm_auth_request *request =
		container_of(auth_request, struct ntlm_auth_request,
			     auth_request);

	if (request->started)
		ntlm_server_deinit(&request->server);
	pool_unref(&request->pool);
}

static const struct mech_module mech_ntlm = {
	"NTLM",

	.flags = MECH_SEC_DICTIONARY | MECH_SEC_ACTIVE | MECH_SEC_ALLOW_NULS,
	.passdb_need = MECH_PASSDB_NEED_LOOKUP_CREDENTIALS,

	mech_ntlm_auth_new,
	mech_generic_auth_initial,
	mech_ntlm_auth_continue,
	mech_ntlm_auth_free
};

static void mech_ntlm_log_policy(const struct ntlm_policy *policy)
{
	string_t *str = t_str_new(128);

	if (policy->allow_ntlmv1_ess)
		str_append(str, " ntlm_allow_ntlmv1_ess");
	if (policy->allow_ntlmv1)
		str_append(str, " ntlm_allow_ntlmv1");
	if (policy->allow_lm)
		str_append(str, " ntlm_allow_lm");
	if (policy->allow_anonymous)
		str_append(str, " ntlm_allow_anonymous");
	if (str_len(str) > 0) {
		i_info("NTLM: weaker variants enabled by %s:%s",
		       mech_ntlm_set->path, str_c(str));
	}
}

void mech_ntlm_init(struct module *module ATTR_UNUSED)
{
	const char *error;
	bool legacy;

	if (ntlm_crypto_init(&error) < 0)
		i_fatal("NTLM: %s", error);
	if (ntlm_selftest(&legacy, &error) < 0)
		i_fatal("NTLM: %s", error);
	if (!legacy)
		i_warning("NTLM: %s", ntlm_crypto_legacy_error());

	mech_ntlm_set = i_new(struct mech_ntlm_settings, 1);
	if (mech_ntlm_settings_load(mech_ntlm_set, &error) < 0)
		i_fatal("NTLM: %s", error);
	mech_ntlm_log_policy(&mech_ntlm_set->set.policy);
	if (global_auth_settings != NULL && global_auth_settings->use_winbind) {
		i_warning("NTLM: auth_use_winbind = yes: winbind's NTLM "
			  "mechanism takes precedence over dovecot-ntlm");
	}
	mech_register_module(&mech_ntlm);
}

void mech_ntlm_deinit(void)
{
	mech_unregister_module(&mech_ntlm);
	i_free(mech_ntlm_set);
	ntlm_crypto_deinit();
}
