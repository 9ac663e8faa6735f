/* Plumbing on Dovecot's struct auth_request shared by the mech_module and
   the lib-sasl adapters. */

#include "auth-common.h"
#include "auth-request.h"

#include "mech-ntlm-common.h"
#include "mech-ntlm-request.h"

/* The LM retry's second lookup must really look up the LM hash: Dovecot
   keeps the first lookup's scheme, chain position and user rename in the
   request and would hand over the NT hash again, so those are reset. A
   chain that continued after a successful lookup left delayed
   credentials (the NT hash) that Dovecot falls back to and that no API
   clears: the retry is refused there instead. */
bool mech_ntlm_retry_reset(struct auth_request *auth_request)
{
	if (auth_request->fields.delayed_credentials != NULL ||
	    auth_request->fields.skip_password_check)
		return FALSE;
	auth_request->wanted_credentials_scheme = NULL;
	auth_request->passdb = auth_request_get_auth(auth_request)->passdbs;
	auth_request->passdb_success = FALSE;
	/* Dovecot wiped the first lookup's password but left the pointer:
	   passdbs that read it back (ldap, dict, lua) would take "" for
	   the LM question and assert-crash */
	auth_request->passdb_password = NULL;
	if (auth_request->fields.translated_username != NULL) {
		auth_request_set_username_forced(auth_request,
			auth_request->fields.translated_username);
	}
	return TRUE;
}

bool mech_ntlm_request_is_tls(const struct auth_request *auth_request)
{
#ifdef HAVE_AUTH_REQUEST_CONN_SECURED
	/* 2.4 */
	return auth_request->fields.conn_secured ==
		AUTH_REQUEST_CONN_SECURED_TLS;
#else
	/* 2.3 */
	return auth_request->fields.secured == AUTH_REQUEST_SECURED_TLS;
#endif
}

bool mech_ntlm_lookup_allowed(struct mech_ntlm_exchange *ex,
			      struct auth_request *auth_request,
			      const struct mech_ntlm_step *step)
{
	if (step->username != NULL &&
	    auth_request->fields.requested_login_user != NULL) {
		mech_ntlm_master_login_refused(ex);
		return FALSE;
	}
	if (step->retry && !mech_ntlm_retry_reset(auth_request)) {
		mech_ntlm_retry_refused(ex);
		return FALSE;
	}
	return TRUE;
}
