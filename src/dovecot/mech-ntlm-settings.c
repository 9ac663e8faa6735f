/* Settings for the NTLM mechanism: the file is read once, when the auth
   process loads the module (still as root, before it drops privileges),
   so it may be readable by root only. The same code serves every
   Dovecot API generation. */

#include "lib.h"
#include "hostpid.h"
#include "str.h"

#include "mech-ntlm-settings.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* The settings file is small; anything larger is a mistake. */
#define MECH_NTLM_CONFIG_MAX_SIZE (64 * 1024)
#define NETBIOS_NAME_MAX 15

static int read_file(const char *path, bool missing_ok, string_t *text,
		     const char **error_r)
{
	char buf[4096];
	ssize_t ret;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd == -1) {
		if (errno == ENOENT && missing_ok)
			return 0;
		*error_r = t_strdup_printf("open(%s) failed: %m", path);
		return -1;
	}
	while ((ret = read(fd, buf, sizeof(buf))) > 0) {
		if (str_len(text) + (size_t)ret > MECH_NTLM_CONFIG_MAX_SIZE) {
			*error_r = t_strdup_printf("%s: file too large", path);
			i_close_fd(&fd);
			return -1;
		}
		str_append_data(text, buf, (size_t)ret);
	}
	if (ret < 0) {
		*error_r = t_strdup_printf("read(%s) failed: %m", path);
		i_close_fd(&fd);
		return -1;
	}
	i_close_fd(&fd);
	return 1;
}

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

int mech_ntlm_settings_load(struct mech_ntlm_settings *set_r,
			    const char **error_r)
{
	struct ntlm_server_names names;
	const char *path, *error;
	unsigned int line = 0;
	bool missing_ok = FALSE;
	string_t *text;
	int ret;

	i_zero(set_r);
	ntlm_settings_init(&set_r->set);
	path = getenv(MECH_NTLM_CONFIG_ENV);
	if (path == NULL || path[0] == '\0') {
		/* the default file is optional, a named one is not */
		path = MECH_NTLM_CONFIG_DEFAULT;
		missing_ok = TRUE;
	}
	set_r->path = path;

	text = t_str_new(1024);
	ret = read_file(path, missing_ok, text, error_r);
	if (ret < 0)
		return -1;
	if (ret > 0 &&
	    ntlm_settings_parse(&set_r->set, str_c(text), str_len(text),
				&line, &error) < 0) {
		*error_r = t_strdup_printf("%s line %u: %s", path, line,
					   error);
		return -1;
	}
	fill_host_defaults(&set_r->set);

	i_zero(&names);
	names.nb_computer = set_r->set.netbios_name;
	names.nb_domain = set_r->set.netbios_domain;
	names.dns_computer = set_r->set.dns_name;
	names.dns_domain = set_r->set.dns_domain;
	names.dns_tree = set_r->set.dns_tree;
	if (ntlm_server_config_init(&set_r->server, &names, &error) < 0) {
		*error_r = t_strdup_printf("%s: %s", path, error);
		return -1;
	}
	set_r->server.policy = set_r->set.policy;
	set_r->server.target_is_domain = set_r->set.target_is_domain;
	set_r->server.send_version = set_r->set.send_version;
	set_r->server.version = set_r->set.version;
	return 0;
}
