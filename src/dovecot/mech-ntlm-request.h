#ifndef MECH_NTLM_REQUEST_H
#define MECH_NTLM_REQUEST_H

/* What both mechanism adapters do to Dovecot's struct auth_request, whose
   fields used here are the same on every supported Dovecot. */

struct auth_request;

/* Prepare the LM retry's second passdb lookup. FALSE when it cannot be
   done safely (the caller refuses the login). */
bool mech_ntlm_retry_reset(struct auth_request *auth_request);

#endif
