/* Settings for the NTLM mechanism, the part every Dovecot settings
   generation shares: the host's names as defaults, and the server
   configuration the core's exchanges share. */

#include "lib.h"
#include "hostpid.h"
#include "str.h"

#include "mech-ntlm-settings.h"

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
	return 0;
}
