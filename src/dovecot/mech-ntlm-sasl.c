/* The NTLM SASL mechanism for lib-sasl's "struct sasl_server_mech_def"
   API (Dovecot 2.4.2 and later: sasl-server-protected.h, registered
   through auth-sasl.h). An adapter only: it feeds the client's data to
   mech-ntlm-common.c and performs the step it gets back through the SASL
   server request API. configure builds this file when Dovecot installs
   sasl-server-protected.h. */

#include "auth-common.h"
#include "auth-settings.h"
#include "auth-request.h"
#include "sasl-server-protected.h"
#include "auth-sasl.h"
#include "module-dir.h"

#include "mech-ntlm-common.h"
#include "mech-ntlm-request.h"

struct ntlm_sasl_request {
	struct sasl_server_mech_request mreq;
	struct mech_ntlm_exchange ex;
};

const char *mech_ntlm_version = DOVECOT_ABI_VERSION;
void mech_ntlm_init(struct module *module);
void mech_ntlm_deinit(void);

static void mech_ntlm_perform(struct ntlm_sasl_request *request,
			      const struct mech_ntlm_step *step);

/* The auth request behind a SASL request: lib-sasl passes the auth
   process's own request context (auth-sasl.c does the same). */
static struct auth_request *
mech_ntlm_auth_request(struct sasl_server_mech_request *mreq)
{
	return container_of(sasl_server_request_get_req_ctx(mreq),
			    struct auth_request, sasl.req);
}

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
mech_ntlm_credentials_callback(struct sasl_server_mech_request *mreq,
			       const struct sasl_passdb_result *result)
{
	struct ntlm_sasl_request *request =
		container_of(mreq, struct ntlm_sasl_request, mreq);
	enum mech_ntlm_passdb_result res;
	struct mech_ntlm_step step;

	switch (result->status) {
	case SASL_PASSDB_RESULT_OK:
		res = MECH_NTLM_PASSDB_OK;
		break;
	case SASL_PASSDB_RESULT_INTERNAL_FAILURE:
		res = MECH_NTLM_PASSDB_INTERNAL_FAILURE;
		break;
	case SASL_PASSDB_RESULT_SCHEME_NOT_AVAILABLE:
		res = MECH_NTLM_PASSDB_SCHEME_NOT_AVAILABLE;
		request->ex.passdb_without_credentials =
			mech_ntlm_passdb_without_credentials(
				mech_ntlm_auth_request(mreq));
		break;
	case SASL_PASSDB_RESULT_PASSWORD_MISMATCH:
		res = MECH_NTLM_PASSDB_NO_PASSWORD;
		break;
	default:
		res = MECH_NTLM_PASSDB_REFUSED;
		break;
	}
	T_BEGIN {
		mech_ntlm_credentials(&request->ex, res,
				      result->credentials.data,
				      result->credentials.size, &step);
		mech_ntlm_perform(request, &step);
	} T_END;
}

static void mech_ntlm_perform(struct ntlm_sasl_request *request,
			      const struct mech_ntlm_step *step)
{
	struct sasl_server_mech_request *mreq = &request->mreq;
	struct auth_request *auth_request = mech_ntlm_auth_request(mreq);
	const char *anonymous;

	switch (step->kind) {
	case MECH_NTLM_STEP_OUTPUT:
		sasl_server_request_output(mreq, step->data, step->size);
		return;
	case MECH_NTLM_STEP_LOOKUP:
		/* after a refused authid the request is already failed:
		   only failure() may follow */
		if (step->username != NULL &&
		    !sasl_server_request_set_authid(mreq,
				SASL_SERVER_AUTHID_TYPE_USERNAME,
				step->username)) {
			mech_ntlm_username_refused(&request->ex,
				"refused by Dovecot (see the line above)");
			sasl_server_request_failure(mreq);
			return;
		}
		if (!mech_ntlm_lookup_allowed(&request->ex, auth_request,
					      step)) {
			sasl_server_request_failure(mreq);
			return;
		}
		sasl_server_request_lookup_credentials(mreq, step->scheme,
			mech_ntlm_credentials_callback);
		return;
	case MECH_NTLM_STEP_ANONYMOUS:
		/* the auth process asserts a non-empty anonymous user, so it
		   is checked first; then as Dovecot's ANONYMOUS mechanism:
		   no passdb is consulted (lib-sasl sets passdb_success only
		   for mechanisms that need no passdb at all, which NTLM is
		   not) */
		anonymous = auth_request->set->anonymous_username;
		if (!mech_ntlm_anonymous_ok(&request->ex, anonymous) ||
		    !sasl_server_request_set_authid(mreq,
				SASL_SERVER_AUTHID_TYPE_ANONYMOUS, "")) {
			sasl_server_request_failure(mreq);
			return;
		}
		auth_request->passdb_success = TRUE;
		sasl_server_request_success(mreq, "", 0);
		return;
	case MECH_NTLM_STEP_SUCCESS:
		sasl_server_request_success(mreq, "", 0);
		return;
	case MECH_NTLM_STEP_MISMATCH:
		sasl_server_request_password_mismatch(mreq);
		return;
	case MECH_NTLM_STEP_FAILURE:
		sasl_server_request_failure(mreq);
		return;
	case MECH_NTLM_STEP_INTERNAL:
		sasl_server_request_internal_failure(mreq);
		return;
	}
	i_unreached();
}

static void
mech_ntlm_auth_continue(struct sasl_server_mech_request *mreq,
			const unsigned char *data, size_t data_size)
{
	struct ntlm_sasl_request *request =
		container_of(mreq, struct ntlm_sasl_request, mreq);
	struct mech_ntlm_step step;

	request->ex.master_user_separator =
		mech_ntlm_auth_request(mreq)->set->master_user_separator;
	request->ex.tls = mech_ntlm_request_is_tls(mech_ntlm_auth_request(mreq));
	T_BEGIN {
		mech_ntlm_input(&request->ex, mreq->event, data, data_size,
				&step);
		mech_ntlm_perform(request, &step);
	} T_END;
}

static struct sasl_server_mech_request *
mech_ntlm_auth_new(const struct sasl_server_mech *mech ATTR_UNUSED,
		   pool_t pool)
{
	struct ntlm_sasl_request *request;

	request = p_new(pool, struct ntlm_sasl_request, 1);
	return &request->mreq;
}

static void mech_ntlm_auth_free(struct sasl_server_mech_request *mreq)
{
	struct ntlm_sasl_request *request =
		container_of(mreq, struct ntlm_sasl_request, mreq);

	/* the pool is lib-sasl's; only wipe what the exchange held */
	mech_ntlm_free(&request->ex);
}

static const struct sasl_server_mech_funcs mech_ntlm_funcs = {
	.auth_new = mech_ntlm_auth_new,
	.auth_initial = sasl_server_mech_generic_auth_initial,
	.auth_continue = mech_ntlm_auth_continue,
	.auth_free = mech_ntlm_auth_free,
};

static const struct sasl_server_mech_def mech_ntlm_def = {
	.name = "NTLM",

	.flags = SASL_MECH_SEC_DICTIONARY | SASL_MECH_SEC_ACTIVE |
		SASL_MECH_SEC_ALLOW_NULS,
	.passdb_need = SASL_MECH_PASSDB_NEED_LOOKUP_CREDENTIALS,

	.funcs = &mech_ntlm_funcs,
};

static bool
mech_ntlm_register(struct sasl_server_instance *sinst,
		   const struct auth_settings *set ATTR_UNUSED)
{
	(void)sasl_server_mech_register(sinst, &mech_ntlm_def, NULL);
	return TRUE;
}

static void mech_ntlm_unregister(struct sasl_server_instance *sinst)
{
	sasl_server_mech_unregister(sinst, &mech_ntlm_def);
}

/* the name must be upper case (auth-sasl.c asserts it) */
static const struct auth_sasl_mech_module mech_ntlm_module = {
	.mech_name = "NTLM",
	.mech_register = mech_ntlm_register,
	.mech_unregister = mech_ntlm_unregister,
};

void mech_ntlm_init(struct module *module ATTR_UNUSED)
{
	mech_ntlm_plugin_init();
	if (global_auth_settings != NULL && global_auth_settings->use_winbind)
		mech_ntlm_warn_winbind();
	auth_sasl_mech_register_module(&mech_ntlm_module);
}

void mech_ntlm_deinit(void)
{
	auth_sasl_mech_unregister_module(&mech_ntlm_module);
	mech_ntlm_plugin_deinit();
}
