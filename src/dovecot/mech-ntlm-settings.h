#ifndef MECH_NTLM_SETTINGS_H
#define MECH_NTLM_SETTINGS_H

#include "ntlm-server.h"
#include "ntlm-settings.h"

/* Where the settings come from: $DOVECOT_NTLM_CONFIG if set (a test
   instance points it at its own file with import_environment), else
   this file, which may be absent (then the strict defaults apply). */
#define MECH_NTLM_CONFIG_ENV "DOVECOT_NTLM_CONFIG"
#define MECH_NTLM_CONFIG_DEFAULT "/etc/dovecot/dovecot-ntlm.conf"

struct mech_ntlm_settings {
	const char *path;
	struct ntlm_settings set;
	struct ntlm_server_config server;
};

/* Read the settings file and build the server configuration, with the
   host's names wherever the file gives none. Returns -1 with *error_r if
   the file named by the environment is missing, or any file is
   unreadable or invalid. */
int mech_ntlm_settings_load(struct mech_ntlm_settings *set_r,
			    const char **error_r);

#endif
