/* The NTLM SASL mechanism for Dovecot's "struct mech_module" API
   (Dovecot 2.3 up to 2.4.1, src/auth/mech.h). An adapter only: it feeds
   the client's data to mech-ntlm-common.c and performs the step it gets
   back through the auth request API. configure builds this file when
   Dovecot installs mech.h. */

#include "auth-common.h"
#include "mech.h"
#include "passdb.h"
#include "module-dir.h"

#include "mech-ntlm-common.h"
#include "mech-ntlm-request.h"

struct ntlm_auth_request {
	struct auth_request auth_request;
	pool_t pool;
	struct mech_ntlm_exchange ex;
};

const char *mech_ntlm_version = DOVECOT_ABI_VERSION;
void mech_ntlm_init(struct module *module);
void mech_ntlm_deinit(void);

static void mech_ntlm_perform(struct ntlm_auth_request *request,
			      const struct mech_ntlm_step *step);

/* The driver name of the passdb that answered, if it cannot hand out
   credentials at all (PAM, shadow...). */
static const char *
mech_ntlm_passdb_without_credentials(const struct auth_request *auth_request)
{
	const struct auth_passdb *passdb = auth_request->passdb;

	if (passdb == NULL || passdb->passdb->iface.lookup_credentials != NULL)
		return NULL;
	return passdb->passdb->iface.name;
}

static void
mech_ntlm_credentials_callback(enum passdb_result result,
			       const unsigned char *credentials, size_t size,
			       struct auth_request *auth_request)
{
	struct ntlm_auth_request *request =
		container_of(auth_request, struct ntlm_auth_request,
			     auth_request);
	enum mech_ntlm_passdb_result res;
	struct mech_ntlm_step step;

	switch (result) {
	case PASSDB_RESULT_OK:
		res = MECH_NTLM_PASSDB_OK;
		break;
	case PASSDB_RESULT_INTERNAL_FAILURE:
		res = MECH_NTLM_PASSDB_INTERNAL_FAILURE;
		break;
	case PASSDB_RESULT_SCHEME_NOT_AVAILABLE:
		res = MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE;
		request->ex.passdb_without_credentials =
			mech_ntlm_passdb_without_credentials(auth_request);
		break;
	case PASSDB_RESULT_PASSWORD_MISMATCH:
		res = MECH_NTLM_PASSDB_NO_PASSWORD;
		break;
	default:
		res = MECH_NTLM_PASSDB_REFUSED;
		break;
	}
	T_BEGIN {
		mech_ntlm_credentials(&request->ex, res, credentials, size,
				      &step);
		mech_ntlm_perform(request, &step);
	} T_END;
}

static void mech_ntlm_perform(struct ntlm_auth_request *request,
			      const struct mech_ntlm_step *step)
{
	struct auth_request *auth_request = &request->auth_request;
	const char *error, *name;

	switch (step->kind) {
	case MECH_NTLM_STEP_OUTPUT:
		auth_request_handler_reply_continue(auth_request, step->data,
						    step->size);
		return;
	case MECH_NTLM_STEP_LOOKUP:
		if (step->username != NULL &&
		    !auth_request_set_username(auth_request, step->username,
					       &error)) {
			mech_ntlm_username_refused(&request->ex, error);
			auth_request_fail(auth_request);
			return;
		}
		if (!mech_ntlm_lookup_allowed(&request->ex, auth_request,
					      step)) {
			auth_request_fail(auth_request);
			return;
		}
		auth_request_lookup_credentials(auth_request, step->scheme,
						mech_ntlm_credentials_callback);
		return;
	case MECH_NTLM_STEP_ANONYMOUS:
		/* as Dovecot's ANONYMOUS mechanism: no passdb is consulted */
		name = auth_request->set->anonymous_username;
		if (!mech_ntlm_anonymous_ok(&request->ex, name)) {
			auth_request_fail(auth_request);
			return;
		}
		auth_request_set_username_forced(auth_request, name);
		auth_request->passdb_success = TRUE;
		auth_request_success(auth_request, "", 0);
		return;
	case MECH_NTLM_STEP_SUCCESS:
		auth_request_success(auth_request, "", 0);
		return;
	case MECH_NTLM_STEP_MISMATCH:
	case MECH_NTLM_STEP_FAILURE:
		/* this API has no separate password-mismatch verdict */
		auth_request_fail(auth_request);
		return;
	case MECH_NTLM_STEP_INTERNAL:
		auth_request_internal_failure(auth_request);
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
	struct mech_ntlm_step step;

	request->ex.master_user_separator =
		auth_request->set->master_user_separator;
	request->ex.tls = mech_ntlm_request_is_tls(auth_request);
	T_BEGIN {
		mech_ntlm_input(&request->ex, auth_request->mech_event, data,
				data_size, &step);
		mech_ntlm_perform(request, &step);
	} T_END;
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

	mech_ntlm_free(&request->ex);
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

void mech_ntlm_init(struct module *module ATTR_UNUSED)
{
	mech_ntlm_plugin_init();
	if (global_auth_settings != NULL && global_auth_settings->use_winbind)
		mech_ntlm_warn_winbind();
	mech_register_module(&mech_ntlm);
}

void mech_ntlm_deinit(void)
{
	mech_unregister_module(&mech_ntlm);
	mech_ntlm_plugin_deinit();
}
