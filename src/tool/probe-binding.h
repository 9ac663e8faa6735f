#ifndef PROBE_BINDING_H
#define PROBE_BINDING_H

/* dovecot-ntlm-probe's side of the relay defence (ntlm-binding.h): over
   TLS the probe binds its NTLMv2 response to the certificate the server
   presented (MsvAvChannelBindings, RFC 5929 tls-server-end-point) and
   names the service it meant (MsvAvTargetName, "imap/HOST", "pop/HOST"
   or "smtp/HOST" unless --target-name says otherwise), as a Windows
   client with Extended Protection does; and it explains a refusal that
   a server requiring them would give. Kept apart from the protocol code
   so it is a few hook lines there. */

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "ntlm-client.h"

struct probe_binding {
	/* options (--no-channel-binding, --target-name SPN) */
	bool no_binding;
	const char *target_name;
	/* after probe_binding_tls() */
	bool tls;
	bool have_binding;
	uint8_t binding[16];
	char spn[300];
};

/* TLS is up: compute the binding of the server's certificate (DER, as
   probe-conn.c read it off the session; NULL when there is none) and the
   SPN for service ("imap", "pop", "smtp") at host; say what will be
   sent. */
void probe_binding_tls(struct probe_binding *b, const uint8_t *cert_der,
		       size_t cert_der_len, const char *service,
		       const char *host);

/* Put the binding and the SPN into the NTLMv2 client's parameters (b
   must outlive the client's input of the CHALLENGE). */
void probe_binding_apply(const struct probe_binding *b,
			 struct ntlm_client_params *params);

/* A line for a refused login (negotiate: refused at the NEGOTIATE, else
   at the AUTHENTICATE): what a server with ntlm_channel_binding or
   ntlm_target_names would have wanted; "" when they cannot be why. */
const char *probe_binding_hint(const struct probe_binding *b,
			       bool negotiate);

#endif
