#ifndef MECH_NTLM_REQUEST_H
#define MECH_NTLM_REQUEST_H

/* What both mechanism adapters do to Dovecot's struct auth_request, whose
   fields used here are the same on every supported Dovecot. */

struct auth_request;
struct mech_ntlm_exchange;
struct mech_ntlm_step;

/* Whether the client's connection to the login process is TLS (what the
   login process told the auth process: "secured=tls"; a connection that
   is only "secured" because it comes from a trusted network or
   localhost is not). */
bool mech_ntlm_request_is_tls(const struct auth_request *auth_request);

/* Prepare the LM retry's second passdb lookup. FALSE when it cannot be
   done safely (the caller refuses the login). */
bool mech_ntlm_retry_reset(struct auth_request *auth_request);

/* After the user name is set and before a credentials lookup: refuse (log
   and return FALSE) a name Dovecot took for a master login, and an LM
   retry that cannot be done safely; otherwise prepare the retry. */
bool mech_ntlm_lookup_allowed(struct mech_ntlm_exchange *ex,
			      struct auth_request *auth_request,
			      const struct mech_ntlm_step *step);

#endif
