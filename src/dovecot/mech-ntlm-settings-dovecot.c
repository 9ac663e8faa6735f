/* Settings for the NTLM mechanism on Dovecot 2.4: the ntlm_* settings of
   dovecot.conf, declared by the settings module (ntlm-settings-info.c),
   read with settings_get(). The module's init runs before the auth
   process has created its auth event, so this uses an event of its own
   (under the process's settings root). Read once at start-up, as the
   2.3 file is. */

#include "lib.h"
#include "settings.h"

#include "mech-ntlm-settings.h"
#include "ntlm-settings-info.h"

int mech_ntlm_settings_load(struct mech_ntlm_settings *set_r,
			    const char **error_r)
{
	const struct ntlm_dovecot_settings *dset;
	struct event *event;
	const char *error;
	int ret;

	i_zero(set_r);
	ntlm_settings_init(&set_r->set);
	set_r->source = "dovecot.conf";

	event = event_create(NULL);
	ret = settings_get(event, &ntlm_setting_parser_info, 0, &dset,
			   &error);
	event_unref(&event);
	if (ret < 0) {
		*error_r = t_strdup_printf("ntlm settings: %s", error);
		return -1;
	}
	ret = ntlm_dovecot_settings_apply(dset, &set_r->set, &error);
	settings_free(dset);
	if (ret < 0) {
		*error_r = t_strdup_printf("dovecot.conf: %s", error);
		return -1;
	}
	return mech_ntlm_settings_finish(set_r, error_r);
}
