/* The generation-independent part of the NTLM mechanism glue (see
   mech-ntlm-common.h). Only Dovecot's lib headers here, no auth API: the
   adapters hold the calls into that. All NTLM logic is in src/core. */

#include "lib.h"
#include "str.h"
#include "str-sanitize.h"

#include "ntlm-crypto.h"
#include "ntlm-selftest.h"
#include "ntlm-settings.h"
#include "mech-ntlm-common.h"

/* Longest client-chosen string put into a log line. */
#define LOG_NAME_MAX 64

const struct mech_ntlm_settings *mech_ntlm_set = NULL;
static struct mech_ntlm_settings *mech_ntlm_set_alloc = NULL;

static const char *mech_ntlm_who(const struct ntlm_identity *id)
{
	return t_strdup_printf("variant=%s, user=%s, domain=%s, "
			       "workstation=%s",
			       ntlm_variant_name(id->variant),
			       str_sanitize(id->user, LOG_NAME_MAX),
			       str_sanitize(id->domain, LOG_NAME_MAX),
			       str_sanitize(id->workstation, LOG_NAME_MAX));
}

static void mech_ntlm_step_init(struct mech_ntlm_step *step_r,
				enum mech_ntlm_step_kind kind)
{
	i_zero(step_r);
	step_r->kind = kind;
}

/* The core refused: log its class and reason, and say how Dovecot is to
   be told. */
static void mech_ntlm_failed(struct mech_ntlm_exchange *ex,
			     struct mech_ntlm_step *step_r)
{
	struct ntlm_identity id;
	const char *reason;
	enum ntlm_error error;

	error = ntlm_server_error(&ex->server, &reason);
	ntlm_server_get_identity(&ex->server, &id);
	switch (error) {
	case NTLM_ERR_INTERNAL:
		e_error(ex->event, "NTLM internal error: %s", reason);
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_INTERNAL);
		return;
	case NTLM_ERR_MISMATCH:
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_MISMATCH);
		break;
	default:
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_FAILURE);
		break;
	}
	e_info(ex->event, "NTLM login refused: %s: %s (%s)",
	       ntlm_error_name(error), reason, mech_ntlm_who(&id));
}

/* Map the names the client sent onto a Dovecot login name. NULL (and
   logged) when the mapping refuses them. */
static const char *mech_ntlm_username(struct mech_ntlm_exchange *ex,
				      const struct ntlm_identity *id)
{
	char name[NTLM_MAX_NAME_UTF8 * 2];
	const char *error;

	const char *separator = ex->master_user_separator;

	if (ntlm_map_username(mech_ntlm_set->set.username_map, id->user,
			      id->domain, name, sizeof(name), &error) < 0) {
		e_info(ex->event, "NTLM login refused: user name: %s (%s)",
		       error, mech_ntlm_who(id));
		return NULL;
	}
	/* A master login ("user*master") over NTLM would be checked against
	   credentials Dovecot merely looked up for the master user and then
	   the principal's, never with the master's own password. Refuse it
	   before Dovecot splits the name. */
	if (separator != NULL && separator[0] != '\0' &&
	    strchr(name, separator[0]) != NULL) {
		e_info(ex->event,
		       "NTLM login refused: user name contains the master user "
		       "separator (auth_master_user_separator): master logins "
		       "need a plaintext mechanism (%s)", mech_ntlm_who(id));
		return NULL;
	}
	return t_strdup(name);
}

static void mech_ntlm_action(struct mech_ntlm_exchange *ex,
			     enum ntlm_server_action action,
			     struct mech_ntlm_step *step_r)
{
	struct ntlm_identity id;
	const uint8_t *data;
	size_t size;

	switch (action) {
	case NTLM_SERVER_SEND:
		ntlm_server_output(&ex->server, &data, &size);
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_OUTPUT);
		step_r->data = data;
		step_r->size = size;
		return;
	case NTLM_SERVER_NEED_HASH:
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_LOOKUP);
		if (!ex->username_set) {
			ntlm_server_get_identity(&ex->server, &id);
			step_r->username = mech_ntlm_username(ex, &id);
			if (step_r->username == NULL) {
				mech_ntlm_step_init(step_r,
						    MECH_NTLM_STEP_FAILURE);
				return;
			}
			ex->username_set = TRUE;
			e_debug(ex->event, "NTLM AUTHENTICATE (%s)",
				mech_ntlm_who(&id));
		}
		ex->lookup_kind = ntlm_server_hash_kind(&ex->server);
		step_r->scheme = ex->lookup_kind == NTLM_HASH_LM ?
			"LANMAN" : "NTLM";
		step_r->retry = ex->lookups++ > 0;
		return;
	case NTLM_SERVER_SUCCESS:
		ntlm_server_get_identity(&ex->server, &id);
		e_debug(ex->event,
			"NTLM login succeeded (%s, MIC %s, domain %s, "
			"session key %s%s%s)",
			mech_ntlm_who(&id),
			id.mic_verified ? "verified" : "absent",
			id.domain_form != NULL ? id.domain_form : "-",
			id.key_exchanged ? "exchanged" :
			(id.flags & NTLM_FL_KEY_EXCH) != 0 ?
			"exchanged, unused" : "not exchanged",
			id.channel_bound ? ", channel binding verified" : "",
			id.target_name_checked ? ", target name accepted" :
			"");
		mech_ntlm_step_init(step_r,
				    id.variant == NTLM_VARIANT_ANONYMOUS ?
				    MECH_NTLM_STEP_ANONYMOUS :
				    MECH_NTLM_STEP_SUCCESS);
		return;
	case NTLM_SERVER_FAILURE:
		mech_ntlm_failed(ex, step_r);
		return;
	}
	i_unreached();
}

void mech_ntlm_input(struct mech_ntlm_exchange *ex, struct event *event,
		     const unsigned char *data, size_t size,
		     struct mech_ntlm_step *step_r)
{
	const char *error;

	ex->event = event;
	if (!ex->started) {
		if (ntlm_server_init(&ex->server, &mech_ntlm_set->server,
				     &error) < 0) {
			e_error(ex->event, "NTLM: %s", error);
			mech_ntlm_step_init(step_r, MECH_NTLM_STEP_INTERNAL);
			return;
		}
		ntlm_server_set_tls(&ex->server, ex->tls);
		ex->started = TRUE;
	}
	mech_ntlm_action(ex, ntlm_server_input(&ex->server, data, size),
			 step_r);
}

/* The passdb gave no credential NTLM can use: say why and what fixes it. */
static void mech_ntlm_log_no_credential(struct mech_ntlm_exchange *ex,
					enum mech_ntlm_passdb_result result)
{
	enum ntlm_hash_kind kind = ex->lookup_kind;

	if (result == MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE &&
	    ex->passdb_without_credentials != NULL) {
		e_info(ex->event,
		       "NTLM login refused: passdb %s cannot hand out "
		       "credentials, which NTLM needs (fix: serve NTLM users "
		       "from a passdb with {NTLM} hashes or plaintext "
		       "passwords, e.g. passwd-file, sql or ldap, and filter "
		       "NTLM out of this passdb's mechanisms)",
		       ex->passdb_without_credentials);
		return;
	}
	e_info(ex->event,
	       "NTLM login refused: the passdb has neither %s hash nor a "
	       "plaintext password for this user (%s; fix: store %s, or "
	       "the plaintext)",
	       kind == NTLM_HASH_LM ? "a {LANMAN}" : "an {NTLM}",
	       result == MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE ?
	       "it has none, or one in a scheme NTLM cannot use, such as "
	       "a crypt hash" :
	       "it returned no password",
	       kind == NTLM_HASH_LM ?
	       "a {LANMAN} value (needed for an LM response)" :
	       "an {NTLM} value from \"doveadm pw -s NTLM\" or LDAP's "
	       "sambaNTPassword");
}

void mech_ntlm_credentials(struct mech_ntlm_exchange *ex,
			   enum mech_ntlm_passdb_result result,
			   const unsigned char *credentials, size_t size,
			   struct mech_ntlm_step *step_r)
{
	switch (result) {
	case MECH_NTLM_PASSDB_OK:
		if (size != 16) {
			e_info(ex->event,
			       "NTLM login refused: the passdb password "
			       "gives no usable NTLM hash (not UTF-8, or "
			       "MD4 unavailable)");
			ntlm_server_user_unknown(&ex->server);
			mech_ntlm_step_init(step_r, MECH_NTLM_STEP_FAILURE);
			return;
		}
		mech_ntlm_action(ex, ntlm_server_verify(&ex->server,
							ex->lookup_kind,
							credentials), step_r);
		return;
	case MECH_NTLM_PASSDB_INTERNAL_FAILURE:
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_INTERNAL);
		return;
	case MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE:
	case MECH_NTLM_PASSDB_NO_PASSWORD:
		mech_ntlm_log_no_credential(ex, result);
		ntlm_server_user_unknown(&ex->server);
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_FAILURE);
		return;
	case MECH_NTLM_PASSDB_REFUSED:
		/* the passdb logged why (unknown user, disabled, ...) */
		ntlm_server_user_unknown(&ex->server);
		mech_ntlm_step_init(step_r, MECH_NTLM_STEP_FAILURE);
		return;
	}
	i_unreached();
}

void mech_ntlm_username_refused(struct mech_ntlm_exchange *ex,
				const char *error)
{
	struct ntlm_identity id;

	ntlm_server_get_identity(&ex->server, &id);
	e_info(ex->event, "NTLM login refused: user name: %s (%s)", error,
	       mech_ntlm_who(&id));
}

void mech_ntlm_master_login_refused(struct mech_ntlm_exchange *ex)
{
	struct ntlm_identity id;

	ntlm_server_get_identity(&ex->server, &id);
	e_info(ex->event, "NTLM login refused: master logins need a "
	       "plaintext mechanism (%s)", mech_ntlm_who(&id));
}

void mech_ntlm_retry_refused(struct mech_ntlm_exchange *ex)
{
	e_info(ex->event, "NTLM login refused: the LM retry "
	       "(ntlm_allow_lm) needs a passdb chain that ends at the passdb "
	       "holding the password");
}

bool mech_ntlm_anonymous_ok(struct mech_ntlm_exchange *ex, const char *name)
{
	if (name == NULL || name[0] == '\0') {
		e_info(ex->event, "NTLM anonymous login refused: "
		       "auth_anonymous_username is empty");
		return FALSE;
	}
	e_info(ex->event, "NTLM anonymous login as %s",
	       str_sanitize(name, LOG_NAME_MAX));
	return TRUE;
}

void mech_ntlm_free(struct mech_ntlm_exchange *ex)
{
	if (ex->started)
		ntlm_server_deinit(&ex->server);
	ex->started = FALSE;
}

static void mech_ntlm_log_policy(const struct mech_ntlm_settings *set)
{
	const struct ntlm_policy *policy = &set->set.policy;
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
		       set->source, str_c(str));
	}
	if (set->server.cb_mode != NTLM_CB_NEVER) {
		i_info("NTLM: ntlm_channel_binding = %s, bound to %u "
		       "certificate(s)", ntlm_cb_mode_name(set->server.cb_mode),
		       set->server.cb_count);
	}
}

void mech_ntlm_plugin_init(void)
{
	const char *error;
	bool legacy;

	if (ntlm_crypto_init(&error) < 0)
		i_fatal("NTLM: %s", error);
	if (ntlm_selftest(&legacy, &error) < 0)
		i_fatal("NTLM: %s", error);
	if (!legacy)
		i_warning("NTLM: %s", ntlm_crypto_legacy_error());

	mech_ntlm_set_alloc = i_new(struct mech_ntlm_settings, 1);
	T_BEGIN {
		if (mech_ntlm_settings_load(mech_ntlm_set_alloc, &error) < 0)
			i_fatal("NTLM: %s", error);
		mech_ntlm_log_policy(mech_ntlm_set_alloc);
	} T_END;
	mech_ntlm_set = mech_ntlm_set_alloc;
}

void mech_ntlm_plugin_deinit(void)
{
	mech_ntlm_set = NULL;
	i_free(mech_ntlm_set_alloc);
	ntlm_crypto_deinit();
}

void mech_ntlm_warn_winbind(void)
{
	i_warning("NTLM: auth_use_winbind = yes: winbind's NTLM mechanism "
		  "takes precedence over dovecot-ntlm");
}
