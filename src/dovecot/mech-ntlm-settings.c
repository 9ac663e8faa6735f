/* Settings for the NTLM mechanism, the part every Dovecot settings
   generation shares: the host's names as defaults, and the server
   configuration the core's exchanges share. */

#include "lib.h"
#include "hostpid.h"
#include "str.h"

#include "mech-ntlm-settings.h"

#include <ctype.h>
#include <fcntl.h>
#include <unistd.h>

/* A certificate file (the certificate, maybe its chain) is small. */
#define CB_CERT_MAX_SIZE (256 * 1024)

#define NETBIOS_NAME_MAX 15

/* First label of name, upper-cased, at most 15 characters: a NetBIOS
   name derived from a DNS name. */
static void netbios_from_dns(const char *name, char *out, size_t size)
{
	size_t i;

	for (i = 0; name[i] != '\0' && name[i] != '.' &&
		    i < NETBIOS_NAME_MAX && i + 1 < size; i++)
		out[i] = i_toupper(name[i]);
	out[i] = '\0';
}

static void fill_host_defaults(struct ntlm_settings *set)
{
	const char *fqdn = my_hostdomain();
	const char *dot = strchr(fqdn, '.');

	if (set->dns_name[0] == '\0')
		i_strocpy(set->dns_name, fqdn, sizeof(set->dns_name));
	if (set->dns_domain[0] == '\0' && dot != NULL && dot[1] != '\0')
		i_strocpy(set->dns_domain, dot + 1, sizeof(set->dns_domain));
	if (set->netbios_name[0] == '\0')
		netbios_from_dns(my_hostname, set->netbios_name,
				 sizeof(set->netbios_name));
	if (set->netbios_domain[0] == '\0') {
		if (set->dns_domain[0] != '\0')
			netbios_from_dns(set->dns_domain, set->netbios_domain,
					 sizeof(set->netbios_domain));
		else
			i_strocpy(set->netbios_domain, "WORKGROUP",
				  sizeof(set->netbios_domain));
	}
}

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
   here (as root, at start-up), and the accepted target names. */
static int mech_ntlm_settings_relay(struct mech_ntlm_settings *set_r,
				    const char **error_r)
{
	struct ntlm_server_config *config = &set_r->server;
	struct cb_load_ctx ctx;

	config->cb_mode = set_r->set.cb_mode;
	i_strocpy(config->target_names, set_r->set.target_names,
		  sizeof(config->target_names));
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
	struct ntlm_server_names names;
	const char *error;

	fill_host_defaults(&set_r->set);

	i_zero(&names);
	names.nb_computer = set_r->set.netbios_name;
	names.nb_domain = set_r->set.netbios_domain;
	names.dns_computer = set_r->set.dns_name;
	names.dns_domain = set_r->set.dns_domain;
	names.dns_tree = set_r->set.dns_tree;
	if (ntlm_server_config_init(&set_r->server, &names, &error) < 0) {
		*error_r = t_strdup_printf("%s: %s", set_r->source, error);
		return -1;
	}
	set_r->server.policy = set_r->set.policy;
	set_r->server.target_is_domain = set_r->set.target_is_domain;
	set_r->server.send_version = set_r->set.send_version;
	set_r->server.version = set_r->set.version;
	return mech_ntlm_settings_relay(set_r, error_r);
}
