/* Settings for the NTLM mechanism, the part every Dovecot settings
   generation shares: the host's names as defaults, and the server
   configuration the core's exchanges share. */

#include "lib.h"
#include "hostpid.h"
#include "str.h"

#include "mech-ntlm-settings.h"

#include <fcntl.h>
#include <unistd.h>

/* A certificate file (the certificate, maybe its chain) is small. */
#define CB_CERT_MAX_SIZE (256 * 1024)

struct cb_load_ctx {
	struct ntlm_server_config *config;
	const char *error;
};

static int cb_load_file(const char *name, size_t len, void *context)
{
	struct cb_load_ctx *ctx = context;
	const char *path = t_strndup(name, len), *error;
	string_t *text = t_str_new(4096);
	char buf[4096];
	ssize_t ret;
	int fd;

	if (ctx->config->cb_count >= NTLM_CB_MAX_CERTS) {
		ctx->error = t_strdup_printf(
			"ntlm_channel_binding_certs: more than %u files",
			NTLM_CB_MAX_CERTS);
		return -1;
	}
	fd = open(path, O_RDONLY);
	if (fd == -1) {
		ctx->error = t_strdup_printf(
			"ntlm_channel_binding_certs: open(%s) failed: %m",
			path);
		return -1;
	}
	while ((ret = read(fd, buf, sizeof(buf))) > 0) {
		if (str_len(text) + (size_t)ret > CB_CERT_MAX_SIZE) {
			ctx->error = t_strdup_printf(
				"ntlm_channel_binding_certs: %s: file too "
				"large", path);
			i_close_fd(&fd);
			return -1;
		}
		str_append_data(text, buf, (size_t)ret);
	}
	if (ret < 0) {
		ctx->error = t_strdup_printf(
			"ntlm_channel_binding_certs: read(%s) failed: %m",
			path);
		i_close_fd(&fd);
		return -1;
	}
	i_close_fd(&fd);
	if (ntlm_cb_from_pem(str_c(text), str_len(text),
			     ctx->config->cb_bindings[ctx->config->cb_count],
			     &error) < 0) {
		ctx->error = t_strdup_printf(
			"ntlm_channel_binding_certs: %s: %s", path, error);
		return -1;
	}
	ctx->config->cb_count++;
	return 0;
}

/* The relay defence: the bindings of the certificate files, read once
   here (as root, at start-up); the core has copied the mode and the
   accepted target names. */
static int mech_ntlm_settings_relay(struct mech_ntlm_settings *set_r,
				    const char **error_r)
{
	struct ntlm_server_config *config = &set_r->server;
	struct cb_load_ctx ctx;

	i_zero(&ctx);
	ctx.config = config;
	if (ntlm_list_foreach(set_r->set.cb_certs, cb_load_file, &ctx) < 0) {
		*error_r = t_strdup_printf("%s: %s", set_r->source, ctx.error);
		return -1;
	}
	if (config->cb_mode != NTLM_CB_NEVER && config->cb_count == 0) {
		*error_r = t_strdup_printf(
			"%s: ntlm_channel_binding = %s needs "
			"ntlm_channel_binding_certs (the PEM file of each "
			"certificate the TLS listeners present)",
			set_r->source, ntlm_cb_mode_name(config->cb_mode));
		return -1;
	}
	return 0;
}

int mech_ntlm_settings_finish(struct mech_ntlm_settings *set_r,
			      const char **error_r)
{
	const char *error;

	ntlm_settings_host_defaults(&set_r->set, my_hostname,
				    my_hostdomain());
	if (ntlm_settings_server_config(&set_r->set, &set_r->server,
					&error) < 0) {
		*error_r = t_strdup_printf("%s: %s", set_r->source, error);
		return -1;
	}
	return mech_ntlm_settings_relay(set_r, error_r);
}
