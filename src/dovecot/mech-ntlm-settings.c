/* Settings for the NTLM mechanism, the part every Dovecot settings
   generation shares: the host's names as defaults, and the server
   configuration the core's exchanges share. */

#include "lib.h"
#include "hostpid.h"
#include "str.h"

#include "mech-ntlm-settings.h"

#include <ctype.h>

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
	return 0;
}
