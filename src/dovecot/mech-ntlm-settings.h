#ifndef MECH_NTLM_SETTINGS_H
#define MECH_NTLM_SETTINGS_H

#include "ntlm-server.h"
#include "ntlm-settings.h"

/* Dovecot 2.3: where the settings come from: $DOVECOT_NTLM_CONFIG if set
   (a test instance points it at its own file with import_environment),
   else this file, which may be absent (then the strict defaults apply).
   Dovecot 2.4 has the ntlm_* settings in dovecot.conf instead. */
#define MECH_NTLM_CONFIG_ENV "DOVECOT_NTLM_CONFIG"
#define MECH_NTLM_CONFIG_DEFAULT "/etc/dovecot/dovecot-ntlm.conf"

struct mech_ntlm_settings {
	/* where they were read: the file's path, or "dovecot.conf" */
	const char *source;
	struct ntlm_settings set;
	struct ntlm_server_config server;
};

/* Read the settings and build the server configuration, with the host's
   names wherever the settings give none. Returns -1 with *error_r if the
   settings are unusable. One implementation per Dovecot settings
   generation: mech-ntlm-settings-file.c (2.3, its own file) and
   mech-ntlm-settings-dovecot.c (2.4, settings_get()). */
int mech_ntlm_settings_load(struct mech_ntlm_settings *set_r,
			    const char **error_r);

/* Shared by both: fill in the host's names and build set_r->server from
   set_r->set. */
int mech_ntlm_settings_finish(struct mech_ntlm_settings *set_r,
			      const char **error_r);

#endif
