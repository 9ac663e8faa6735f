#include "probe-binding.h"
#include "ntlm-binding.h"

#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>

int probe_binding_option(struct probe_binding *b, int argc, char **argv,
			 int i)
{
	if (strcmp(argv[i], "--no-channel-binding") == 0) {
		b->no_binding = true;
		return 1;
	}
	if (strcmp(argv[i], "--target-name") == 0) {
		if (i + 1 >= argc)
			return -1;
		b->target_name = argv[i + 1];
		return 2;
	}
	return 0;
}

void probe_binding_tls(struct probe_binding *b, SSL *ssl,
		       const char *service, const char *host)
{
	unsigned char *der = NULL;
	const char *error;
	X509 *cert;
	int len;

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
	cert = SSL_get1_peer_certificate(ssl);
	len = cert == NULL ? -1 : i2d_X509(cert, &der);
	X509_free(cert);
	if (len <= 0) {
		printf("  channel binding: not sent (no server "
		       "certificate)\n");
		return;
	}
	if (ntlm_cb_from_der(der, (size_t)len, b->binding, &error) < 0) {
		printf("  channel binding: not sent (%s)\n", error);
	} else {
		b->have_binding = true;
		printf("  channel binding: tls-server-end-point of this "
		       "certificate (MsvAvChannelBindings)\n");
	}
	OPENSSL_free(der);
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
