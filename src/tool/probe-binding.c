#include "probe-binding.h"
#include "ntlm-binding.h"

#include <stdio.h>
#include <string.h>

void probe_binding_tls(struct probe_binding *b, const uint8_t *cert_der,
		       size_t cert_der_len, const char *service,
		       const char *host)
{
	const char *error;

	b->tls = true;
	if (b->target_name != NULL)
		snprintf(b->spn, sizeof(b->spn), "%s", b->target_name);
	else
		snprintf(b->spn, sizeof(b->spn), "%s/%s", service, host);
	printf("  target name (MsvAvTargetName): \"%s\"\n", b->spn);
	if (b->no_binding) {
		printf("  channel binding: not sent (--no-channel-binding)\n");
		return;
	}
	if (cert_der == NULL) {
		printf("  channel binding: not sent (no server "
		       "certificate)\n");
		return;
	}
	if (ntlm_cb_from_der(cert_der, cert_der_len, b->binding,
			     &error) < 0) {
		printf("  channel binding: not sent (%s)\n", error);
	} else {
		b->have_binding = true;
		printf("  channel binding: tls-server-end-point of this "
		       "certificate (MsvAvChannelBindings)\n");
	}
}

void probe_binding_apply(const struct probe_binding *b,
			 struct ntlm_client_params *params)
{
	if (!b->tls)
		return;
	if (b->have_binding)
		params->channel_binding = b->binding;
	if (b->spn[0] != '\0')
		params->target_name = b->spn;
}

const char *probe_binding_hint(const struct probe_binding *b,
			       bool negotiate)
{
	if (!b->tls) {
		/* such a server refuses at the NEGOTIATE; without TLS
		   nothing else of the relay defence applies to the probe */
		return !negotiate ? "" :
			"  Without TLS: a server with ntlm_channel_binding = "
			"required refuses NTLM (--starttls or --tls).\n";
	}
	if (!b->have_binding)
		return "  No channel binding was sent: a server with "
			"ntlm_channel_binding = required refuses that.\n";
	return "  The channel binding and target name were sent: a server "
		"bound to another certificate (ntlm_channel_binding_certs) "
		"or not listing the target name (ntlm_target_names) "
		"refuses them.\n";
}
